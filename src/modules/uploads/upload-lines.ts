import { describeRowProblem, rowProblemLines } from './row-problem-counts.ts';
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
function withdrawalLine({ at, requestedAt, by, reason, reports, kept }: NonNullable<UploadView['withdrawal']>): string {
  const reportCount = count(reports);
  const stayed = kept > 0 ? ` ${count(kept)} ${kept === 1 ? 'report it took in was' : 'reports it took in were'} also sent by a later upload, and ${kept === 1 ? 'stays' : 'stay'} as that upload's.` : '';
  if (!at) return `Being withdrawn, as asked ${minuteUtc(requestedAt)} by ${by}: ${reportCount} of the reports this file took in deleted so far.${stayed} Reason: ${reason}`;
  const deleted = reports === 1 ? 'the report this file took in was' : `the ${reportCount} reports this file took in were`;
  return `Withdrawn ${minuteUtc(at)} by ${by}: ${deleted} deleted.${stayed} Reason: ${reason}`;
}

/**
 * What a withdrawn upload, or one being withdrawn, leaves to do: its accepted and pending rows go with its rejected
 * ones, so its file goes again whole, corrected, rather than its rows to fix alone.
 */
function sendAgainWholeLine({ at }: NonNullable<UploadView['withdrawal']>): string {
  return at
    ? 'Its accepted and pending rows were deleted too: once corrected, the file may be sent again whole.'
    : 'Its accepted and pending rows are being deleted too: once that is done, the file, corrected, may be sent again whole.';
}

/**
 * An upload's kinds of problem as lines under their headings: what to fix and what to check, or, once it is withdrawn
 * (or being withdrawn), its withdrawal and what was wrong, to correct before the file goes again whole.
 */
export function uploadOutcomeLines(upload: Pick<UploadView, 'withdrawal' | 'rowProblems'>, options: { shown?: number; indent?: string } = {}): string[] {
  if (!upload.withdrawal) return rowProblemLines(upload.rowProblems, options);
  return [withdrawalLine(upload.withdrawal), sendAgainWholeLine(upload.withdrawal), ...withdrawnRowProblemLines(upload.rowProblems, options)];
}

/**
 * The kinds of problem of a withdrawn upload, or one being withdrawn, as lines under their headings: what was wrong
 * in its rows, to correct in the file before it goes again whole, none of them a row to fix nor one on file not to
 * send again, as nothing it took in stays; rows that are no completion apart, as for any upload.
 */
function withdrawnRowProblemLines(kinds: UploadView['rowProblems'], { shown = kinds.length, indent = '' } = {}): string[] {
  const found = kinds.filter((kind) => !kind.noCompletion);
  const more = found.length - shown;
  return [
    ...(found.length > 0 ? ['What was wrong, most common first:'] : []),
    ...found.slice(0, shown).map((kind) => `${indent}${describeRowProblem(kind)}`),
    ...(more > 0 ? [`${indent}and ${more} more ${more === 1 ? 'kind' : 'kinds'} of problem: see the receipt.`] : []),
    ...rowProblemLines(kinds.filter((kind) => kind.noCompletion), { shown, indent }),
  ];
}
