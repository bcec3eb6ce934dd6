import type { UploadView } from './uploads.schemas.ts';

// The sentences about an upload that the receipt, the API's messages and the command line all write, so that
// a coordinator reads one wording wherever they look.

/** "2026-12-03 09:28 UTC": a time as the receipt and the messages about an upload write it. */
export function minuteUtc(isoTime: string): string {
  return `${isoTime.slice(0, 16).replace('T', ' ')} UTC`;
}

/** A withdrawn upload, or one being withdrawn, must not pass for reports that stand. */
export function withdrawalLine({ at, requestedAt, by, reason, reports, kept }: NonNullable<UploadView['withdrawal']>): string {
  const count = reports.toLocaleString('en-US');
  const stayed = kept > 0 ? ` ${kept.toLocaleString('en-US')} ${kept === 1 ? 'report it took in was' : 'reports it took in were'} also sent by a later upload, and ${kept === 1 ? 'stays' : 'stay'} as that upload's.` : '';
  if (!at) return `Being withdrawn, as asked ${minuteUtc(requestedAt)} by ${by}: ${count} of the reports this file took in deleted so far.${stayed} Reason: ${reason}`;
  const deleted = reports === 1 ? 'the report this file took in was' : `the ${count} reports this file took in were`;
  return `Withdrawn ${minuteUtc(at)} by ${by}: ${deleted} deleted.${stayed} Reason: ${reason}`;
}
