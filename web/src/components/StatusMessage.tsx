import type { ReactNode, Ref } from 'react';

/**
 * A polite confirmation ("Password changed") that screen readers announce without moving focus. Given a `ref`,
 * it can take the focus, for a message the page opens with: one there from the start is not announced.
 */
export function StatusMessage({ children, ref }: { children: ReactNode; ref?: Ref<HTMLDivElement> }) {
  return (
    <div ref={ref} className="banner banner--success" role="status" tabIndex={ref ? -1 : undefined}>
      {children}
    </div>
  );
}
