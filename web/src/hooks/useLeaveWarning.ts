import { useEffect } from 'react';

/**
 * While `active` (a file still on its way to the hub), leaving or reloading the page asks first: it would stop the
 * file, and the hub keeps nothing of a file it has not had whole.
 */
export function useLeaveWarning(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [active]);
}
