import { anotherListsCursor, cursorField, decodeCursor, encodeCursor, filtersOf } from '../../../http/cursor.ts';
import { BadRequestError } from '../../../http/errors.ts';
import type { CreditLineView, CreditRange } from '../reports.repository.ts';

export type CreditQuery = { since?: string; until?: string; limit: number; cursor?: string };

/** The options of a list of credits, a board's narrowed to one physician (`personId`) or to those a search finds (`q`). */
type ListedCreditQuery = CreditQuery & { personId?: string; q?: string };

/** The filters a page of credits was listed with: its cursor goes on with these only. */
function listedWith(query: ListedCreditQuery) {
  return filtersOf({ ...query, q: query.q?.trim() });
}

/**
 * The range of credit lines a page asks for. `list` is whose credits they are (the board's, or the physician's
 * own): a cursor from another's list, whose place means nothing in this one, is refused.
 */
export function creditRange(query: ListedCreditQuery, list: string): CreditRange {
  const position = query.cursor
    ? decodeCursor(query.cursor, { list: cursorField.id, completionDate: cursorField.day, reportId: cursorField.id, creditType: cursorField.text }, listedWith(query))
    : undefined;
  if (position && position.list !== list) throw new BadRequestError('invalid_cursor', anotherListsCursor);
  return { since: query.since, until: query.until, limit: query.limit, after: position };
}

/** One page of credit lines of `list` (as `creditRange` was given it), newest completion first, with the cursor of the next page. */
export function creditPage(rows: CreditLineView[], query: ListedCreditQuery, list: string) {
  const { limit } = query;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      reportId: row.report_id,
      personId: row.person_id,
      personName: row.person_name,
      activityId: row.activity_id,
      activityTitle: row.activity_title,
      activityType: row.activity_type,
      providerOrgId: row.provider_org_id,
      providerName: row.provider_name,
      completionDate: row.completion_date,
      creditType: row.credit_type,
      amount: Number(row.amount),
      reportedAt: new Date(row.reported_at).toISOString(),
    })),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ list, completionDate: last.completion_date, reportId: last.report_id, creditType: last.credit_type }, listedWith(query))
        : null,
  };
}
