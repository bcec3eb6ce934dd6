import { useEffect } from 'react';

/** How many files are on their way to the hub now, from any page: signing out asks first while one is. */
let filesOnTheirWay = 0;

/**
 * While `active` (a file still on its way to the hub), leaving or reloading the page asks first, and so does signing
 * out (`isFileOnItsWay`): it would stop the file, and the hub keeps nothing of a file it has not had whole.
 */
export function useLeaveWarning(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    filesOnTheirWay += 1;
    return () => {
      window.removeEventListener('beforeunload', ask);
      filesOnTheirWay -= 1;
    };
  }, [active]);
}

/** Whether a page is sending a file to the hub that signing out would stop. */
export function isFileOnItsWay(): boolean {
  return filesOnTheirWay > 0;
}
