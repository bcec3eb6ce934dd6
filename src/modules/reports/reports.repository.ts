import { sql } from 'kysely';
import type { Selectable, SelectQueryBuilder } from 'kysely';
import { sqlStateOf } from '../../db/database-errors.ts';
import type { Executor } from '../../db/database.ts';
import { executePrepared } from '../../db/prepared-statements.ts';
import type { DB } from '../../db/schema.ts';
import { learnerFieldsOf } from './report-snapshot.ts';
import type { ReportedLearner } from './reports.schemas.ts';
import type { HistoryAction, ReportStatus, StoredCredit, StoredProblem } from './reports.tables.ts';

export type LearnerReportRow = Selectable<DB['learner_reports']>;

/** What every report of one batch shares: sent once with the batch, not with each report. */
export type ReportBatch = { providerOrgId: string; uploadId: string | null; reportedBy: string };

/** A report as stored, before the database gives it a timestamp; the rest comes from its `ReportBatch`. */
export type NewLearnerReport = {
  id: string;
  activityId: string | null;
  personId: string | null;
  status: ReportStatus;
  matchKey: string | null;
  sessionDate: string | null;
  firstName: string | null;
  lastName: string | null;
  birthMonth: number | null;
  birthDay: number | null;
  state: string | null;
  licenseNumber: string | null;
  npi: string | null;
  board: string | null;
  boardId: string | null;
  completionDate: string | null;
  consent: 'written' | 'implied' | null;
  creditId: string | null;
  credits: StoredCredit[];
  problems: StoredProblem[];
  matchRule: string | null;
  late: boolean;
  rowNumber: number | null;
  /** Rejected reports only: the row as it was sent, hashed, by which the same row sent again is known. */
  rejectionKey: string | null;
  /** Rejected reports only: the sender's reference for the row, by which the row corrected and sent again finds it. */
  reference: string | null;
};

export type CreditLineRow = {
  personId: string;
  reportId: string;
  creditType: string;
  amount: number;
  providerOrgId: string;
  activityId: string;
  completionDate: string;
  reportedAt: Date;
};

export type NaturalKey = { activityId: string; matchKey: string; sessionDate: string | null };

/**
 * Inserts a batch's reports, and the credit lines of the accepted ones, in one statement. The reports go as
 * one JSON document: whatever the batch size, it is one parameter, and PostgreSQL reads it faster than the
 * hub writes array literals. A report whose natural key is already taken is skipped; the ids of the reports
 * actually inserted are returned.
 */
export async function insertLearnerReports(executor: Executor, batch: ReportBatch, rows: NewLearnerReport[]): Promise<Map<string, Date>> {
  if (rows.length === 0) return new Map();
  const insert = sql<{ id: string; reported_at: Date }>`
    with inserted as (
    insert into learner_reports (
      id, provider_org_id, activity_id, person_id, status, match_key, session_date,
      first_name, last_name, birth_month, birth_day, state, license_number, npi, board, board_id,
      completion_date, consent, credit_id, credits, problems, match_rule, late, upload_id, row_number, reported_by, rejection_key,
      reference)
    select r.id, ${batch.providerOrgId}::uuid, r."activityId", r."personId", r.status, r."matchKey", r."sessionDate",
      r."firstName", r."lastName", r."birthMonth", r."birthDay", r.state, r."licenseNumber", r.npi, r.board, r."boardId",
      r."completionDate", r.consent, r."creditId", r.credits, r.problems, r."matchRule", r.late, ${batch.uploadId}::uuid,
      r."rowNumber", ${batch.reportedBy}::text, r."rejectionKey", r.reference
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(
      id uuid, "activityId" text, "personId" uuid, status text, "matchKey" text, "sessionDate" date,
      "firstName" text, "lastName" text, "birthMonth" smallint, "birthDay" smallint, state text, "licenseNumber" text,
      npi text, board text, "boardId" text, "completionDate" date, consent text, "creditId" text, credits jsonb,
      problems jsonb, "matchRule" text, late boolean, "rowNumber" integer, "rejectionKey" text, reference text)
    on conflict (provider_org_id, activity_id, match_key, session_date)
      where deleted_at is null and status <> 'rejected'
      do nothing
    returning id, reported_at, status, person_id, provider_org_id, activity_id, completion_date, credits),
    credit_lines as (
      insert into learner_report_credits
        (person_id, report_id, credit_type, amount, provider_org_id, activity_id, completion_date, reported_at)
      select i.person_id, i.id, line->>'type', (line->>'amount')::numeric, i.provider_org_id, i.activity_id,
        i.completion_date, i.reported_at
      from inserted i cross join jsonb_array_elements(i.credits) line
      where i.status = 'accepted')
    select id, reported_at from inserted`;
  const result = await executePrepared(executor, insert);
  return new Map(result.rows.map((row) => [row.id, new Date(row.reported_at)]));
}

/** A report just taken in, as it is compared with the rejected reports to fix that it may correct. */
export type TakenInReport = Pick<NewLearnerReport, 'activityId' | 'completionDate' | 'firstName' | 'lastName' | 'birthMonth' | 'birthDay' | 'state' | 'licenseNumber' | 'npi'>;

/**
 * The same learner as far as the rejected report tells: no birth month, birth day, license or NPI that
 * differs from the report sent (`sent`); a value the rejected report lacks is no difference, a license's state
 * too (a sign-in sheet sent first without its License state column).
 */
const noIdentityDiffers = sql`(rejected.birth_month is null or rejected.birth_month = sent."birthMonth")
      and (rejected.birth_day is null or rejected.birth_day = sent."birthDay")
      and (rejected.license_number is null or (rejected.license_number = sent."licenseNumber" and (rejected.state is null or rejected.state = sent.state)))
      and (rejected.npi is null or rejected.npi = sent.npi)`;

/** Sent before this batch: a report rejected in this same request or upload is left to its own row. */
const sentBefore = (uploadId: string | null) => sql`rejected.reported_at < now() and (${uploadId}::uuid is null or rejected.upload_id is distinct from ${uploadId}::uuid)`;

/**
 * Rejected reports still to fix, sent earlier (another upload, or an earlier request), of the same learner's
 * completion as one of these reports just taken in: the same activity, completion date and name, and no
 * birth month, birth day, license or NPI that differs (a value the rejected report lacks is no difference).
 */
export async function findRejectedReportsCorrectedBy(
  executor: Executor,
  providerOrgId: string,
  uploadId: string | null,
  reports: readonly TakenInReport[],
): Promise<string[]> {
  if (reports.length === 0) return [];
  const result = await sql<{ id: string }>`
    select distinct rejected.id from json_to_recordset(${JSON.stringify(reports)}::json) as sent(
        "activityId" text, "completionDate" date, "firstName" text, "lastName" text, "birthMonth" smallint, "birthDay" smallint,
        state text, "licenseNumber" text, npi text)
      join learner_reports rejected on rejected.provider_org_id = ${providerOrgId} and rejected.status = 'rejected'
        and rejected.deleted_at is null and rejected.activity_id = sent."activityId" and rejected.completion_date = sent."completionDate"
    where lower(rejected.first_name) = lower(sent."firstName") and lower(rejected.last_name) = lower(sent."lastName")
      and ${noIdentityDiffers} and ${sentBefore(uploadId)}`.execute(executor);
  return result.rows.map((row) => row.id);
}

/**
 * Rejected reports still to fix, sent earlier, that carried the same reference as one of these reports just
 * taken in and are the same learner's completion but for one mistake: of the activity, the completion date,
 * the first name and the last name, at most one differs (a value the rejected report lacks, or could not
 * read, counts as that one), and no birth month, birth day, license or NPI differs. A reference alone is
 * never enough: a provider may number its rows, and another learner's rejected report with the same number
 * stays to fix.
 */
export async function findRejectedReportsCorrectedByReference(
  executor: Executor,
  providerOrgId: string,
  uploadId: string | null,
  reports: readonly (TakenInReport & { reference: string })[],
): Promise<string[]> {
  if (reports.length === 0) return [];
  // Most references name no report to fix: those that do are found first, from the references alone, so that
  // only their rows are compared. Each reference is looked up on its own, and no further than its first report
  // to fix, however many share it (a semi-join could read every report to fix of the provider instead).
  const probe = await executePrepared(
    executor,
    sql<{ reference: string }>`
    select sent.reference from unnest(${[...new Set(reports.map((report) => report.reference))]}::text[]) as sent(reference)
    cross join lateral (select from learner_reports rejected where rejected.provider_org_id = ${providerOrgId}::uuid
      and rejected.reference = sent.reference and rejected.status = 'rejected' and rejected.deleted_at is null limit 1) found`,
  );
  const toFix = new Set(probe.rows.map((row) => row.reference));
  const compared = reports.filter((report) => toFix.has(report.reference));
  if (compared.length === 0) return [];
  const sameReference = sql`rejected.provider_org_id = ${providerOrgId}::uuid and rejected.reference = sent.reference
        and rejected.status = 'rejected' and rejected.deleted_at is null`;
  const oneMistakeAtMost = sql`(case when rejected.activity_id = sent."activityId" then 0 else 1 end
        + case when rejected.completion_date = sent."completionDate" then 0 else 1 end
        + case when lower(rejected.first_name) = lower(sent."firstName") then 0 else 1 end
        + case when lower(rejected.last_name) = lower(sent."lastName") then 0 else 1 end) <= 1
      and ${noIdentityDiffers} and ${sentBefore(uploadId)}`;
  // With one mistake at most, one of the names is the same: each is looked up by its own index, so that a
  // reference many rows share is read no further than the reports to fix of one name.
  const result = await executePrepared(
    executor,
    sql<{ id: string }>`
    with sent as (
      select * from json_to_recordset(${JSON.stringify(compared)}::json) as sent(
        reference text, "activityId" text, "completionDate" date, "firstName" text, "lastName" text, "birthMonth" smallint,
        "birthDay" smallint, state text, "licenseNumber" text, npi text))
    select rejected.id from sent join learner_reports rejected on ${sameReference} and lower(rejected.last_name) = lower(sent."lastName")
    where ${oneMistakeAtMost}
    union
    select rejected.id from sent join learner_reports rejected on ${sameReference} and lower(rejected.first_name) = lower(sent."firstName")
    where ${oneMistakeAtMost}`,
  );
  return result.rows.map((row) => row.id);
}

/**
 * The provider's rejected reports sent as any of these rows, id by rejection key: those on file (not deleted), and,
 * asked `corrected`, those a later upload corrected when none is on file.
 */
export async function findRejectedReportsByKeys(
  executor: Executor,
  providerOrgId: string,
  keys: string[],
  { corrected = false }: { corrected?: boolean } = {},
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const rejectedAs = (sent: string[]) =>
    executor
      .selectFrom('learner_reports')
      .select(['id', 'rejection_key'])
      .where('provider_org_id', '=', providerOrgId)
      .where('rejection_key', 'in', sent)
      .where('status', '=', 'rejected')
      .orderBy('reported_at');
  const take = (rows: { id: string; rejection_key: string | null }[]) => {
    for (const row of rows) if (!found.has(row.rejection_key as string)) found.set(row.rejection_key as string, row.id);
  };
  // Each lookup as its own partial index has it: the rejected reports on file, then those corrected since.
  if (keys.length > 0) take(await rejectedAs(keys).where('deleted_at', 'is', null).execute());
  const notOnFile = corrected ? keys.filter((key) => !found.has(key)) : [];
  if (notOnFile.length > 0) take(await rejectedAs(notOnFile).where('corrected_by_upload_id', 'is not', null).execute());
  return found;
}

/**
 * The live (not deleted, not rejected) reports holding any of these natural keys; `providerOrgId`
 * narrows to one provider (null: any, for the hub's own re-matching).
 */
export async function findLiveReportsByKeys(
  executor: Executor,
  providerOrgId: string | null,
  keys: NaturalKey[],
): Promise<LearnerReportRow[]> {
  if (keys.length === 0) return [];
  const result = await sql<LearnerReportRow>`
    select r.* from learner_reports r
    join unnest(
      ${keys.map((key) => key.activityId)}::text[],
      ${keys.map((key) => key.matchKey)}::text[],
      ${keys.map((key) => key.sessionDate)}::date[]) as k(activity_id, match_key, session_date)
      on r.activity_id = k.activity_id and r.match_key = k.match_key
      and r.session_date is not distinct from k.session_date
    where (${providerOrgId}::uuid is null or r.provider_org_id = ${providerOrgId}::uuid)
      and r.deleted_at is null and r.status <> 'rejected'`.execute(executor);
  return result.rows;
}

export async function insertCreditLines(executor: Executor, lines: CreditLineRow[]): Promise<void> {
  if (lines.length === 0) return;
  await sql`
    insert into learner_report_credits
      (person_id, report_id, credit_type, amount, provider_org_id, activity_id, completion_date, reported_at)
    select * from unnest(
      ${lines.map((line) => line.personId)}::uuid[], ${lines.map((line) => line.reportId)}::uuid[],
      ${lines.map((line) => line.creditType)}::text[], ${lines.map((line) => line.amount)}::numeric[],
      ${lines.map((line) => line.providerOrgId)}::uuid[], ${lines.map((line) => line.activityId)}::text[],
      ${lines.map((line) => line.completionDate)}::date[], ${lines.map((line) => line.reportedAt.toISOString())}::timestamptz[])`.execute(
    executor,
  );
}

export async function deleteCreditLines(executor: Executor, reportIds: string[]): Promise<void> {
  if (reportIds.length === 0) return;
  await executor.deleteFrom('learner_report_credits').where('report_id', 'in', reportIds).execute();
}

export async function findReport(executor: Executor, id: string): Promise<LearnerReportRow | undefined> {
  return executor.selectFrom('learner_reports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findReportsForUpdate(
  executor: Executor,
  providerOrgId: string | null,
  ids: string[],
): Promise<LearnerReportRow[]> {
  if (ids.length === 0) return [];
  let query = executor.selectFrom('learner_reports').selectAll().where('id', 'in', ids);
  if (providerOrgId !== null) query = query.where('provider_org_id', '=', providerOrgId);
  return query.forUpdate().execute();
}

export type ReportListFilter = {
  providerOrgId: string | null;
  activityId?: string;
  status?: ReportStatus;
  since?: string;
  search?: string;
  late?: boolean;
  includeDeleted: boolean;
  after?: { reportedAt: string; id: string };
  limit: number;
};

/** Newest first; `after` is the last row of the previous page. */
export async function listReports(executor: Executor, filter: ReportListFilter) {
  let query = executor
    .selectFrom('learner_reports')
    .selectAll()
    // The cursor keeps the database's microseconds, which a JavaScript Date would lose.
    .select(sql<string>`reported_at::text`.as('reported_at_text'))
    .orderBy('reported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.providerOrgId !== null) query = query.where('provider_org_id', '=', filter.providerOrgId);
  if (filter.activityId) query = query.where('activity_id', '=', filter.activityId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.late !== undefined) query = query.where('late', '=', filter.late);
  if (!filter.includeDeleted) query = query.where('deleted_at', 'is', null);
  if (filter.since) {
    const since = new Date(filter.since);
    query = query.where((eb) => eb.or([eb('reported_at', '>=', since), eb('updated_at', '>=', since)]));
  }
  if (filter.search) {
    const words = filter.search.split(/\s+/).filter(Boolean);
    for (const word of words) {
      const pattern = `${word.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('last_name', 'ilike', pattern),
          eb('first_name', 'ilike', pattern),
          eb('npi', 'like', pattern),
          eb('license_number', 'ilike', pattern),
          eb('board_id', 'ilike', pattern),
          eb('credit_id', 'ilike', pattern),
        ]),
      );
    }
  }
  if (filter.after) {
    const { reportedAt, id } = filter.after;
    query = query.where((eb) =>
      eb.or([
        eb('reported_at', '<', sql<Date>`${reportedAt}::timestamptz`),
        eb.and([eb('reported_at', '=', sql<Date>`${reportedAt}::timestamptz`), eb('id', '<', id)]),
      ]),
    );
  }
  return query.execute();
}

export type ReportChanges = Partial<{
  activity_id: string;
  person_id: string | null;
  status: ReportStatus;
  match_key: string | null;
  session_date: string | null;
  first_name: string;
  last_name: string;
  birth_month: number;
  birth_day: number;
  state: string | null;
  license_number: string | null;
  npi: string | null;
  board: string | null;
  board_id: string | null;
  completion_date: string;
  consent: 'written' | 'implied' | null;
  credit_id: string | null;
  credits: StoredCredit[];
  problems: StoredProblem[];
  match_rule: string | null;
  late: boolean;
}>;

export async function updateReport(executor: Executor, id: string, changes: ReportChanges): Promise<LearnerReportRow> {
  const { credits, problems, ...plain } = changes;
  return executor
    .updateTable('learner_reports')
    .set({
      ...plain,
      ...(credits !== undefined ? { credits: JSON.stringify(credits) } : {}),
      ...(problems !== undefined ? { problems: JSON.stringify(problems) } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type MatchUpdate = {
  id: string;
  status: ReportStatus;
  personId: string | null;
  matchKey: string | null;
  matchRule: string | null;
  problems: StoredProblem[];
};

/** Applies the outcome of matching pending reports again, in one statement. */
export async function applyMatchUpdates(executor: Executor, updates: MatchUpdate[]): Promise<LearnerReportRow[]> {
  if (updates.length === 0) return [];
  const result = await sql<LearnerReportRow>`
    update learner_reports r set
      status = u.status, person_id = u.person_id, match_key = u.match_key, match_rule = u.match_rule,
      problems = u.problems, updated_at = now()
    from unnest(
      ${updates.map((update) => update.id)}::uuid[], ${updates.map((update) => update.status)}::text[],
      ${updates.map((update) => update.personId)}::uuid[], ${updates.map((update) => update.matchKey)}::text[],
      ${updates.map((update) => update.matchRule)}::text[],
      ${updates.map((update) => JSON.stringify(update.problems))}::jsonb[])
      as u(id, status, person_id, match_key, match_rule, problems)
    where r.id = u.id and r.status = 'pending' and r.deleted_at is null
    returning r.*`.execute(executor);
  return result.rows;
}

/**
 * The reason a rejected report is deleted with when a report sent later corrects it: a file's row (`by` names the
 * upload, which `corrected_by_upload_id` keeps too), or a report sent through the API or the form (`laterReport`).
 */
export const correctedReason = (by: string) => `Corrected by ${by}`;

/** A report sent through the API or the form that corrects a rejected one, as its reason names it. */
export const laterReport = (which: string) => `a later report of the same completion (${which})`;

/**
 * The reasons of reports deleted as corrected by a report sent through the API or the form, as SQL's like finds them:
 * the hub's own words whole, so that a reason typed by hand ("Corrected by phone") is not read as one.
 */
export const correctedByLaterReportLike = correctedReason(laterReport('%'));

export async function markDeleted(
  executor: Executor,
  ids: string[],
  deletedBy: string,
  reason: string,
  correctedByUploadId: string | null = null,
): Promise<LearnerReportRow[]> {
  if (ids.length === 0) return [];
  return executor
    .updateTable('learner_reports')
    .set({ deleted_at: sql<Date>`now()`, deleted_by: deletedBy, delete_reason: reason, corrected_by_upload_id: correctedByUploadId, updated_at: sql<Date>`now()` })
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .returningAll()
    .execute();
}

/**
 * The rejected reports an upload's rows corrected (each deleted, the upload its corrector) whose completion no
 * report of another upload holds: once the upload is withdrawn, nothing on file reports them.
 */
const correctedByUploadAlone = (uploadId: string, providerOrgId: string) => sql`
  report.provider_org_id = ${providerOrgId} and report.corrected_by_upload_id = ${uploadId}
    and report.status = 'rejected' and report.deleted_at is not null
    and not exists (
      select from learner_reports live
      where live.provider_org_id = report.provider_org_id and live.deleted_at is null and live.status <> 'rejected'
        and live.upload_id is distinct from ${uploadId}
        and live.activity_id = report.activity_id and live.completion_date = report.completion_date
        and lower(live.last_name) = lower(report.last_name))`;

/** How many rejected reports withdrawing the upload would make to fix again (`restoreCorrectedBy`). */
export async function countCorrectedByUploadAlone(executor: Executor, uploadId: string, providerOrgId: string): Promise<number> {
  const result = await sql<{ count: number }>`select count(*)::int as count from learner_reports report where ${correctedByUploadAlone(uploadId, providerOrgId)}`.execute(executor);
  return result.rows[0].count;
}

/** Makes the rejected reports the withdrawn upload had corrected, and nothing else reports, to fix again; each with when it had been deleted. */
export async function restoreCorrectedBy(executor: Executor, uploadId: string, providerOrgId: string): Promise<Array<{ id: string; deletedAt: Date; deleteReason: string | null }>> {
  const result = await sql<{ id: string; deleted_at: Date; delete_reason: string | null }>`
    with corrected as (
      select report.id, report.deleted_at, report.delete_reason from learner_reports report
      where ${correctedByUploadAlone(uploadId, providerOrgId)}
      for update)
    update learner_reports restored
    set deleted_at = null, deleted_by = null, delete_reason = null, corrected_by_upload_id = null, updated_at = now()
    from corrected where restored.id = corrected.id
    returning restored.id, corrected.deleted_at, corrected.delete_reason`.execute(executor);
  return result.rows.map((row) => ({ id: row.id, deletedAt: new Date(row.deleted_at), deleteReason: row.delete_reason }));
}

export type HistoryEntry = {
  reportId: string;
  providerOrgId: string;
  action: HistoryAction;
  actor: string;
  reason: string | null;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
};

export async function insertHistory(executor: Executor, entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await executor
    .insertInto('learner_report_history')
    .values(
      entries.map((entry) => ({
        report_id: entry.reportId,
        provider_org_id: entry.providerOrgId,
        action: entry.action,
        actor: entry.actor,
        reason: entry.reason,
        before: JSON.stringify(entry.before),
        after: JSON.stringify(entry.after),
      })),
    )
    .execute();
}

export async function listHistory(executor: Executor, reportId: string) {
  return executor
    .selectFrom('learner_report_history')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('id')
    .execute();
}

/** Pending reports in pages by id, optionally narrowed to one provider, or to what a roster may match. */
export async function findPendingReports(
  executor: Executor,
  filter: {
    providerOrgId?: string;
    jurisdiction?: string;
    boardCode?: string;
    reportIds?: string[];
    afterId?: string;
    limit: number;
  },
): Promise<LearnerReportRow[]> {
  let query = executor
    .selectFrom('learner_reports')
    .selectAll()
    .where('status', '=', 'pending')
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .limit(filter.limit);
  if (filter.providerOrgId) query = query.where('provider_org_id', '=', filter.providerOrgId);
  if (filter.jurisdiction) {
    const jurisdiction = filter.jurisdiction;
    query = query.where((eb) => eb.or([eb('state', '=', jurisdiction), eb('state', 'is', null)]));
  }
  if (filter.boardCode) {
    const boardCode = filter.boardCode;
    query = query.where((eb) => eb.or([eb('board', '=', boardCode), eb('board', 'is', null)]));
  }
  if (filter.reportIds) query = query.where('id', 'in', filter.reportIds);
  if (filter.afterId) query = query.where('id', '>', filter.afterId);
  return query.execute();
}

export type StatusCounts = { accepted: number; pending: number; rejected: number; late: number; total: number };

const countColumns = sql<number>`count(*)::int`;

export async function countReportsByActivity(
  executor: Executor,
  providerOrgId: string,
  range: { from: string; to: string },
) {
  return executor
    .selectFrom('learner_reports')
    .select([
      'activity_id',
      countColumns.as('total'),
      sql<number>`(count(*) filter (where status = 'accepted'))::int`.as('accepted'),
      sql<number>`(count(*) filter (where status = 'pending'))::int`.as('pending'),
      sql<number>`(count(*) filter (where status = 'rejected'))::int`.as('rejected'),
      sql<number>`(count(*) filter (where late))::int`.as('late'),
      sql<Date>`max(reported_at)`.as('last_reported_at'),
    ])
    .where('provider_org_id', '=', providerOrgId)
    .where('deleted_at', 'is', null)
    .where('reported_at', '>=', new Date(range.from))
    .where('reported_at', '<', new Date(range.to))
    .groupBy('activity_id')
    .orderBy('activity_id')
    .execute();
}

export async function countReportsToFix(executor: Executor, providerOrgId: string) {
  return executor
    .selectFrom('learner_reports')
    .select([
      sql<number>`(count(*) filter (where status = 'pending'))::int`.as('pending'),
      sql<number>`(count(*) filter (where status = 'rejected'))::int`.as('rejected'),
    ])
    .where('provider_org_id', '=', providerOrgId)
    .where('deleted_at', 'is', null)
    .where('status', 'in', ['pending', 'rejected'])
    .executeTakeFirstOrThrow();
}

/** How promptly a provider reported completions since `from` (rejected rows without a date aside). */
export async function reportingTimeliness(executor: Executor, providerOrgId: string, from: string) {
  return executor
    .selectFrom('learner_reports')
    .select([
      countColumns.as('reported'),
      sql<number>`(count(*) filter (where late))::int`.as('late'),
      sql<number | null>`percentile_cont(0.5) within group (order by (reported_at::date - completion_date))`.as(
        'median_days',
      ),
    ])
    .where('provider_org_id', '=', providerOrgId)
    .where('deleted_at', 'is', null)
    .where('status', '<>', 'rejected')
    .where('completion_date', 'is not', null)
    .where('reported_at', '>=', new Date(from))
    .executeTakeFirstOrThrow();
}

/** An activity as its provider knows it: its title and their own ID. */
export type ActivityName = { title: string; providerActivityId: string };

/** The provider's activities among these hub IDs, by hub ID; another provider's, or none, simply absent. */
export async function findActivityNames(executor: Executor, providerOrgId: string, ids: string[]): Promise<Map<string, ActivityName>> {
  if (ids.length === 0) return new Map();
  const rows = await executor
    .selectFrom('activities')
    .select(['id', 'title', 'provider_activity_id'])
    .where('provider_org_id', '=', providerOrgId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, { title: row.title, providerActivityId: row.provider_activity_id }]));
}

export type CreditRange = { since?: string; until?: string; after?: { completionDate: string; reportId: string; creditType: string }; limit: number };

function creditLinesQuery(executor: Executor, range: CreditRange) {
  let query = executor
    .selectFrom('learner_report_credits as c')
    .leftJoin('activities as a', (join) => join.on(sql`a.id`, '=', sql`c.activity_id::bpchar`))
    .leftJoin('organizations as o', 'o.id', 'c.provider_org_id')
    .leftJoin('persons as p', 'p.id', 'c.person_id')
    .select([
      'c.report_id',
      'c.person_id',
      'c.activity_id',
      'c.credit_type',
      'c.amount',
      'c.provider_org_id',
      'c.completion_date',
      'c.reported_at',
      sql<string | null>`a.title`.as('activity_title'),
      sql<string | null>`a.type`.as('activity_type'),
      'o.name as provider_name',
      sql<string | null>`p.first_name || ' ' || p.last_name`.as('person_name'),
    ])
    .orderBy('c.completion_date', 'desc')
    .orderBy('c.report_id', 'desc')
    .orderBy('c.credit_type', 'desc')
    .limit(range.limit + 1);
  if (range.since) query = query.where('c.completion_date', '>=', range.since);
  if (range.until) query = query.where('c.completion_date', '<=', range.until);
  if (range.after) {
    const { completionDate, reportId, creditType } = range.after;
    query = query.where(
      sql<boolean>`(c.completion_date, c.report_id, c.credit_type) < (${completionDate}::date, ${reportId}::uuid, ${creditType})`,
    );
  }
  return query;
}

export type CreditLineView = Awaited<ReturnType<typeof findPersonCreditLines>>[number];

/** Every accepted credit line of one person: the passport. */
export async function findPersonCreditLines(executor: Executor, personId: string, range: CreditRange) {
  return creditLinesQuery(executor, range).where('c.person_id', '=', personId).execute();
}

/**
 * Credit lines a board may see: those of the people in `personIds` (a subquery of the registry that
 * scopes a licensing board to its licensees), or, for a certifying board, the lines of its MOC credit
 * types (`mocBoardCode`).
 */
export async function findBoardCreditLines(
  executor: Executor,
  scope: { personIds: SelectQueryBuilder<DB, any, { person_id: string }> } | { mocBoardCode: string },
  range: CreditRange & { personId?: string; amongPersons?: string[] },
) {
  let query = creditLinesQuery(executor, range);
  if (range.personId) query = query.where('c.person_id', '=', range.personId);
  // The physicians a search found (never none: a search that finds no one reads no credit lines).
  if (range.amongPersons) query = query.where('c.person_id', 'in', range.amongPersons);
  if ('mocBoardCode' in scope) {
    return query.where('c.credit_type', 'like', mocTypesOf(scope.mocBoardCode)).execute();
  }
  return query.where('c.person_id', 'in', scope.personIds).execute();
}

/** The physicians reported MOC credit of a certifying board: what its list of credits shows. */
export function personsWithMocCreditOf(executor: Executor, boardCode: string) {
  return executor.selectFrom('learner_report_credits as moc').select('moc.person_id').where('moc.credit_type', 'like', mocTypesOf(boardCode));
}

/** A LIKE pattern of a certifying board's MOC credit types (MOC_ABIM_MK, MOC_ABIM_PS…). */
const mocTypesOf = (boardCode: string) => `MOC\\_${boardCode}\\_%`;

export type PurgeGroup = {
  provider_org_id: string;
  activity_id: string | null;
  report_count: number;
  status_counts: Record<string, number>;
  credit_totals: Record<string, number>;
};

/**
 * Reports whose retention has run out: six years after the activity ended (after the completion,
 * or after the report for a row that could not be read), grouped for the aggregate trace.
 */
function expiredReports(executor: Executor, cutoffDate: string) {
  return executor
    .selectFrom('learner_reports as r')
    .leftJoin('activities as a', (join) => join.on(sql`a.id`, '=', sql`r.activity_id::bpchar`))
    .where(sql<boolean>`coalesce(a.end_date, r.completion_date, r.reported_at::date) < ${cutoffDate}::date`);
}

export async function summarizeExpiredReports(executor: Executor, cutoffDate: string): Promise<PurgeGroup[]> {
  const result = await sql<PurgeGroup>`
    with expired as (${expiredReports(executor, cutoffDate).select(['r.id', 'r.provider_org_id', 'r.activity_id', 'r.status', 'r.credits'])}),
    statuses as (
      select provider_org_id, activity_id, count(*)::int as report_count,
        jsonb_object_agg(status, n) as status_counts
      from (select provider_org_id, activity_id, status, count(*)::int as n from expired group by 1, 2, 3) s
      group by 1, 2),
    credits as (
      select provider_org_id, activity_id, jsonb_object_agg(type, total) as credit_totals
      from (
        select e.provider_org_id, e.activity_id, line->>'type' as type, sum((line->>'amount')::numeric) as total
        from expired e, jsonb_array_elements(e.credits) line
        where e.status = 'accepted'
        group by 1, 2, 3) c
      group by 1, 2)
    select s.provider_org_id, s.activity_id, s.report_count, s.status_counts,
      coalesce(c.credit_totals, '{}'::jsonb) as credit_totals
    from statuses s
    left join credits c on c.provider_org_id = s.provider_org_id and c.activity_id is not distinct from s.activity_id
    order by s.provider_org_id, s.activity_id`.execute(executor);
  return result.rows;
}

export async function deleteExpiredReports(executor: Executor, cutoffDate: string): Promise<number> {
  const expiredIds = expiredReports(executor, cutoffDate).select('r.id');
  await executor.deleteFrom('learner_report_credits').where('report_id', 'in', expiredIds).execute();
  await executor.deleteFrom('learner_report_history').where('report_id', 'in', expiredIds).execute();
  const result = await executor.deleteFrom('learner_reports').where('id', 'in', expiredIds).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertPurgeTraces(
  executor: Executor,
  traces: (PurgeGroup & { purged_by: string; cutoff_date: string })[],
): Promise<void> {
  if (traces.length === 0) return;
  await executor
    .insertInto('report_purge_traces')
    .values(
      traces.map((trace) => ({
        purged_by: trace.purged_by,
        cutoff_date: trace.cutoff_date,
        provider_org_id: trace.provider_org_id,
        activity_id: trace.activity_id,
        report_count: trace.report_count,
        status_counts: JSON.stringify(trace.status_counts),
        credit_totals: JSON.stringify(trace.credit_totals),
      })),
    )
    .execute();
}

/** The learner as the provider reported them; null for a report sent without a whole identity. */
export function reportedLearnerOf(row: LearnerReportRow): ReportedLearner | null {
  const { firstName, lastName, birthMonth, birthDay, ...identifiers } = learnerFieldsOf(row);
  if (firstName === null || lastName === null || birthMonth === null || birthDay === null) return null;
  return { firstName, lastName, birthMonth, birthDay, ...identifiers };
}

export function toLearnerReportView(row: LearnerReportRow) {
  return {
    id: row.id,
    providerOrgId: row.provider_org_id,
    activityId: row.activity_id,
    status: row.status,
    personId: row.person_id,
    learner: reportedLearnerOf(row),
    completionDate: row.completion_date,
    credits: row.credits.map((credit) => ({ type: credit.type, amount: Number(credit.amount) })),
    consent: row.consent,
    creditId: row.credit_id,
    late: row.late,
    problems: row.problems,
    matchRule: row.match_rule,
    uploadId: row.upload_id,
    rowNumber: row.row_number,
    reportedAt: new Date(row.reported_at).toISOString(),
    reportedBy: row.reported_by,
    updatedAt: new Date(row.updated_at).toISOString(),
    deletedAt: row.deleted_at ? new Date(row.deleted_at).toISOString() : null,
    deletedBy: row.deleted_by,
    deleteReason: row.delete_reason,
    correctedByUploadId: row.corrected_by_upload_id,
  };
}

export type LearnerReportView = ReturnType<typeof toLearnerReportView>;

export type StoredResponse = { request_hash: string; status_code: number; response_body: string; content_type: string };

/**
 * Claims an Idempotency-Key for this organization inside the caller's transaction. Returns null when
 * the key is new (a concurrent request with the same key waits here until this one commits), or the
 * response stored for it.
 */
export async function claimIdempotencyKey(
  executor: Executor,
  organizationId: string,
  key: string,
  requestHash: string,
): Promise<StoredResponse | null> {
  const claimed = await executor
    .insertInto('idempotency_keys')
    .values({
      organization_id: organizationId,
      key,
      request_hash: requestHash,
      status_code: 0,
      response_body: '',
      content_type: '',
    })
    .onConflict((conflict) => conflict.columns(['organization_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (claimed) return null;
  return executor
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response_body', 'content_type'])
    .where('organization_id', '=', organizationId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

export async function storeIdempotentResponse(
  executor: Executor,
  organizationId: string,
  key: string,
  response: { statusCode: number; body: string; contentType: string },
): Promise<void> {
  await executor
    .updateTable('idempotency_keys')
    .set({ status_code: response.statusCode, response_body: response.body, content_type: response.contentType })
    .where('organization_id', '=', organizationId)
    .where('key', '=', key)
    .execute();
}

export async function findProviderNames(executor: Executor, providerOrgId: string) {
  return executor
    .selectFrom('organizations')
    .select(['name', 'provider_id'])
    .where('id', '=', providerOrgId)
    .executeTakeFirst();
}

/** The registry's name keys and birth month and day of a person, to find reports they may claim. */
export async function findPersonIdentity(executor: Executor, personId: string) {
  return executor
    .selectFrom('persons')
    .select(['first_key', 'last_key', 'birth_month', 'birth_day'])
    .where('id', '=', personId)
    .executeTakeFirst();
}

/**
 * Pending reports of a learner born on this month and day: the candidates a physician may claim. Those
 * whose completion is already in the physician's passport from another report (`matchKey`, the
 * physician's) are left out: claiming one would break the reports' natural key (provider, activity,
 * learner, session), which the claim refuses (`findLiveReportsByKeys`).
 */
export async function findPendingByBirthDate(executor: Executor, birthMonth: number, birthDay: number, matchKey: string, limit = 500) {
  return executor
    .selectFrom('learner_reports as r')
    .leftJoin('activities as a', (join) => join.on(sql`a.id`, '=', sql`r.activity_id::bpchar`))
    .leftJoin('organizations as o', 'o.id', 'r.provider_org_id')
    .selectAll('r')
    .select([sql<string | null>`a.title`.as('activity_title'), 'o.name as provider_name'])
    .where('r.status', '=', 'pending')
    .where('r.deleted_at', 'is', null)
    .where('r.birth_month', '=', birthMonth)
    .where('r.birth_day', '=', birthDay)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('learner_reports as held')
            .select(sql.lit(1).as('one'))
            .whereRef('held.provider_org_id', '=', 'r.provider_org_id')
            .whereRef('held.activity_id', '=', 'r.activity_id')
            .where('held.match_key', '=', matchKey)
            .where(sql<boolean>`held.session_date is not distinct from r.session_date`)
            .where('held.deleted_at', 'is', null)
            .where('held.status', '<>', 'rejected'),
        ),
      ),
    )
    .orderBy('r.completion_date', 'desc')
    .limit(limit)
    .execute();
}

/** Whether a database error is a unique-key violation: another request stored the same report first. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlStateOf(error) === '23505';
}
