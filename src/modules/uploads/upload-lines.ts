import type { UploadView } from './uploads.schemas.ts';

// The sentences about an upload that the receipt, the API's messages and the command line all write, so that
// a coordinator reads one wording wherever they look.

/** "20,000": every count the receipt, the messages and the command line write is written so. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** "accepted 9,800, pending 120, rejected 60, duplicates 20": where an upload's rows went. */
export function rowCounts(rows: Pick<UploadView['rows'], 'accepted' | 'pending' | 'rejected' | 'duplicates'>): string {
  return `accepted ${count(rows.accepted)}, pending ${count(rows.pending)}, rejected ${count(rows.rejected)}, duplicates ${count(rows.duplicates)}`;
}

/** "2026-12-03 09:28 UTC": a time as the receipt and the messages about an upload write it. */
export function minuteUtc(isoTime: string): string {
  return `${isoTime.slice(0, 16).replace('T', ' ')} UTC`;
}

/** A withdrawn upload, or one being withdrawn, must not pass for reports that stand. */
export function withdrawalLine({ at, requestedAt, by, reason, reports, kept }: NonNullable<UploadView['withdrawal']>): string {
  const reportCount = count(reports);
  const stayed = kept > 0 ? ` ${count(kept)} ${kept === 1 ? 'report it took in was' : 'reports it took in were'} also sent by a later upload, and ${kept === 1 ? 'stays' : 'stay'} as that upload's.` : '';
  if (!at) return `Being withdrawn, as asked ${minuteUtc(requestedAt)} by ${by}: ${reportCount} of the reports this file took in deleted so far.${stayed} Reason: ${reason}`;
  const deleted = reports === 1 ? 'the report this file took in was' : `the ${reportCount} reports this file took in were`;
  return `Withdrawn ${minuteUtc(at)} by ${by}: ${deleted} deleted.${stayed} Reason: ${reason}`;
}
