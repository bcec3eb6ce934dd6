import type { ReactNode, Ref } from 'react';

/**
 * A polite confirmation ("Password changed") that screen readers announce without moving focus. Given a `ref`,
 * it can take the focus, for a message the page opens with: one there from the start is not announced. Its `tone` is
 * `warning` when what was done left something to fix (a file's rows rejected), so that it does not read as all well.
 */
export function StatusMessage({ children, ref, tone = 'success' }: { children: ReactNode; ref?: Ref<HTMLDivElement>; tone?: 'success' | 'warning' }) {
  return (
    <div ref={ref} className={`banner banner--${tone}`} role="status" tabIndex={ref ? -1 : undefined}>
      {children}
    </div>
  );
}
