// How an upload ended, as the web app and the command line both say it: they read it from the upload as the API
// gives it, so that a coordinator reads the same outcome wherever they look.

/** The error code of an upload its sender stopped: it ends with the status `failed`, and its error says who stopped it. */
export const stoppedBySender = 'stopped';

/** Whether an upload was stopped by someone who asked, rather than by a failure. */
export function isStoppedBySender(upload: { status: string; error: { code: string } | null }): boolean {
  return upload.status === 'failed' && upload.error?.code === stoppedBySender;
}

export type RowsToFixSaid = { count: number; words: 'to fix' | 'rejected' };

/**
 * Of an upload taken in whole (and not withdrawn), its rows to fix as it can say them: those still to fix where they
 * are counted (one upload), or else those it rejected with something to correct (a list, which does not count those
 * corrected since); null when there are none.
 */
export function rowsToFixSaid(upload: {
  status: string;
  withdrawal: unknown;
  rows: { toFix: number; stillToFix: number | null };
}): RowsToFixSaid | null {
  if (upload.status !== 'finished' || upload.withdrawal) return null;
  const { toFix, stillToFix } = upload.rows;
  const said: RowsToFixSaid = stillToFix === null ? { count: toFix, words: 'rejected' } : { count: stillToFix, words: 'to fix' };
  return said.count > 0 ? said : null;
}
