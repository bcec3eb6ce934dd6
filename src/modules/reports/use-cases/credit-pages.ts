import { cursorField, decodeCursor, encodeCursor } from '../../../http/cursor.ts';
import type { CreditLineView, CreditRange } from '../reports.repository.ts';

export type CreditQuery = { since?: string; until?: string; limit: number; cursor?: string };

/** The options of a list of credits, a board's narrowed to one physician (`personId`) or to those a search finds (`q`). */
type ListedCreditQuery = CreditQuery & { personId?: string; q?: string };

/** The filters a page of credits was listed with: its cursor goes on with these only. */
function listedWith(query: ListedCreditQuery) {
  return { since: query.since, until: query.until, personId: query.personId, q: query.q?.trim() };
}

export function creditRange(query: ListedCreditQuery): CreditRange {
  return {
    since: query.since,
    until: query.until,
    limit: query.limit,
    after: query.cursor
      ? decodeCursor(query.cursor, { completionDate: cursorField.day, reportId: cursorField.id, creditType: cursorField.text }, listedWith(query))
      : undefined,
  };
}

/** One page of credit lines, newest completion first, with the cursor of the next page. */
export function creditPage(rows: CreditLineView[], query: ListedCreditQuery) {
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
        ? encodeCursor({ completionDate: last.completion_date, reportId: last.report_id, creditType: last.credit_type }, listedWith(query))
        : null,
  };
}
