import type { ReactNode } from 'react';

/** A polite confirmation ("Password changed") that screen readers announce without moving focus. */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <div className="banner banner--success" role="status">
      {children}
    </div>
  );
}
