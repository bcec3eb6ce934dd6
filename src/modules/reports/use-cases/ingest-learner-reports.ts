import { createHash } from 'node:crypto';
import { timeOrderedId } from '../../../db/time-ordered-id.ts';
import type { Executor } from '../../../db/database.ts';
import type { AuthenticatedActor } from '../../../http/actor.ts';
import type { Problem } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { creditTypeName } from '../../activities/credit-types.ts';
import { currentHubDay } from '../hub-day.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { identityMatchKey, personMatchKey } from '../identity-key.ts';
import { findNamedActivities, matchReportedIdentities } from '../reports.dependencies.ts';
import type { NamedActivities } from '../reports.dependencies.ts';
import type { IdentityMatch } from '../report-outcome.ts';
import { decideOutcome } from '../report-outcome.ts';
import { activityDatesText, activityName, checkConsent, checkReportRules, completionDayOfActivity, creditsDesignatedBy, isLate, sessionDateFor } from '../report-rules.ts';
import { yearMissingMessage } from '../../../files/written-dates.ts';
import type { DateOrder, MonthDay } from '../../../files/written-dates.ts';
import { quoted } from '../../../words.ts';
import type { ActivityForRules, ReportedCredit } from '../report-rules.ts';
import * as repository from '../reports.repository.ts';
import { deleteCorrectedReports } from './delete-learner-reports.ts';
import type { LearnerReportRow, NewLearnerReport, TakenInReport } from '../reports.repository.ts';
import type { StoredProblem } from '../reports.tables.ts';
import { reportedLearnerSchema } from '../reports.schemas.ts';
import type { LearnerReportInput, ReportedLearner } from '../reports.schemas.ts';
import type { ReadablePart } from '../report-input.ts';

/**
 * `readable`: when the input could not be read as a whole, the values that could, kept with the rejected report.
 * `keepNothing`: the row is receipted as rejected and nothing of it is kept: the learner declined to be reported,
 * or the row holds no completion (a total, the header again).
 */
export type IngestRow = {
  rowNumber?: number;
  /** How messages name the row, where its number alone would not do ('row 12 of sheet "March"'). */
  rowWords?: string;
  input: LearnerReportInput | null;
  readable?: ReadablePart;
  keepNothing?: boolean;
  /**
   * The row as it was sent (a file's values, a document's element, a request's JSON; never a birth year),
   * asked for only when it is rejected: it is known by it, so that the same row sent again, in the same file
   * or a later one, points to the rejected report on file instead of adding one more to fix.
   */
  sentAs?: () => unknown;
  /**
   * The sender's own reference for the row (a file's Reference column, an XML report's CreditID), kept with
   * the report should it be rejected: the row corrected and sent again with it corrects that report, even
   * where its activity, completion date or one name was the mistake.
   */
  reference?: string | null;
  parseProblems: Problem[];
  /** The row was sent without credits (its file has no credits column): it takes those its activity designates. */
  creditsFromActivity?: boolean;
  /**
   * The row's completion date was written without its year ("11/13", "13-Nov", as a sheet typed by hand has it): its
   * `input` holds a stand-in date until the row's activity tells the year (`datedByActivity`).
   */
  completionDateWithoutYear?: { written: string; monthDay: MonthDay; order?: DateOrder | null };
};

export type ReportReceipt = {
  id: string | null;
  status: 'accepted' | 'pending' | 'rejected';
  duplicate: boolean;
  late: boolean;
  problems: Problem[];
};

export type IngestParams = {
  actor: AuthenticatedActor;
  requestId?: string;
  providerOrgId: string;
  uploadId?: string | null;
  /** Where the batch was sent, as the reason of a rejected report it corrects names it ("june.csv (upload …)"). */
  sentIn?: string;
  /** The rows may name an activity by its title, as a sheet filled in by hand does. */
  activitiesByTitle?: boolean;
  rows: IngestRow[];
};

/** One report per physician, activity and session: the parts of a report's natural key. */
type NaturalKey = { activityId: string; matchKey: string; sessionDate: string | null };

/**
 * `naturalKey`: as text (`keyText`). `twin`: for a rejected report whose activity, date and learner could be
 * read, the natural key it would have had: a report on file (or taken in with it) under that key makes it a
 * repeat of that report, not one more to fix (correcting it would only make the same report twice).
 * `activity`: the one the row names, when the hub has it, by which a repeat's message names it.
 */
type Candidate = { row: IngestRow; report: NewLearnerReport; naturalKey: string | null; twin?: NaturalKey | null; activity?: ActivityForRules };

/** A batch checked and matched, ready to store: what `prepareLearnerReports` hands to `storeLearnerReports`. */
export type PreparedReports = { params: IngestParams; candidates: Candidate[] };

/**
 * Takes in a batch of learner reports for one provider, set-based: one query for the batch's
 * activities, one matching call, one insert that skips reports already on file. Every row gets a
 * receipt, in order; nothing is dropped. The caller owns the transaction.
 */
export async function ingestLearnerReports(executor: Executor, params: IngestParams): Promise<ReportReceipt[]> {
  return storeLearnerReports(executor, await prepareLearnerReports(executor, params));
}

/**
 * The reading half of taking in a batch: checks the rules against the activities and matches the
 * learners, without writing. A batch upload prepares its next chunk while the last one is stored.
 */
export async function prepareLearnerReports(executor: Executor, params: IngestParams): Promise<PreparedReports> {
  const { actor, providerOrgId } = params;
  authorize(actor, 'learnerReport.create', { organizationId: providerOrgId }, 'provider');
  if (params.rows.length === 0) return { params, candidates: [] };
  const today = currentHubDay();

  // A row kept as rejected names its activity by the hub's ID too, when it could be read.
  const activityIds = params.rows.flatMap((row) => {
    const activityId = (row.input ?? row.readable)?.activityId;
    return activityId ? [activityId] : [];
  });
  const activities = await findNamedActivities(executor, providerOrgId, [...new Set(activityIds)], { byTitle: params.activitiesByTitle });
  const rows = params.rows.map((row) => datedByActivity(row, activities, today));
  const readable = rows.filter((row): row is IngestRow & { input: LearnerReportInput } => isReadable(row));
  // Rows that could not be read as a whole are matched too when their learner could be, to tell a repeat.
  const learnerRead = rows.flatMap((row) => {
    if (isReadable(row) || !row.readable) return [];
    const learner = reportedLearnerSchema.safeParse(row.readable.learner);
    return learner.success ? [{ row, learner: learner.data }] : [];
  });
  const matches = await matchReportedIdentities(executor, [...readable.map((row) => row.input.learner), ...learnerRead.map(({ learner }) => learner)]);
  const matchOf = new Map<IngestRow, IdentityMatch>(readable.map((row, index) => [row, matches[index]]));
  const unreadMatchOf = new Map(learnerRead.map(({ row, learner }, index) => [row, { learner, match: matches[readable.length + index] }]));

  /** The natural key a rejected report would have had, when its activity, date and learner are known. */
  const wouldBeKey = (
    activity: ActivityForRules | undefined,
    sent: { completionDate: string | null } | null | undefined,
    learner: ReportedLearner,
    match: IdentityMatch,
  ): NaturalKey | null => {
    if (!activity || !sent?.completionDate) return null;
    const identity = decideOutcome([], match);
    const matchKey = identity.status === 'accepted' && identity.personId ? personMatchKey(identity.personId) : identity.status === 'pending' ? identityMatchKey(learner) : null;
    return matchKey ? { activityId: activity.id, matchKey, sessionDate: sessionDateFor(activity.type, sent.completionDate) } : null;
  };

  const candidates: Candidate[] = rows.map((row) => {
    const match = matchOf.get(row);
    if (!match || !row.input) {
      const unread = unreadMatchOf.get(row);
      const activity = row.readable?.activityId ? activities.named(row.readable.activityId, row.readable.completionDate) : undefined;
      const twin = unread ? wouldBeKey(activity, row.readable, unread.learner, unread.match) : null;
      return { row, report: rejectedReport(row, activities, providerOrgId, today), naturalKey: null, twin, activity };
    }
    // A report names its activity by the hub activity ID, whichever ID the row gave.
    const activity = activities.named(row.input.activityId, row.input.completionDate);
    const input = activity ? withCreditsOfRow({ ...row.input, activityId: activity.id }, row, activity) : row.input;
    const ruleProblems = checkReportRules(input, activity, providerOrgId, today, {
      sharingTitle: activities.sharingTitle(row.input.activityId),
      misspeltActivity: activities.misspelt(row.input.activityId),
      creditsFromActivity: row.creditsFromActivity,
    });
    const outcome = decideOutcome(ruleProblems, match);
    const sessionDate = activity ? sessionDateFor(activity.type, input.completionDate) : null;
    const matchKey =
      outcome.status === 'accepted' && outcome.personId
        ? personMatchKey(outcome.personId)
        : outcome.status === 'pending'
          ? identityMatchKey(input.learner)
          : null;
    const report: NewLearnerReport = {
      ...reportFields(input, row),
      status: outcome.status,
      personId: outcome.personId,
      matchRule: outcome.matchRule,
      // What to do about the learner comes before the date read, which is only to check.
      problems: outcome.status === 'rejected' || !row.completionDateWithoutYear ? outcome.problems : [...outcome.problems, yearReadNote(row.completionDateWithoutYear.written, input.completionDate, activity)],
      matchKey,
      sessionDate,
      late: isLate(input.completionDate, today),
      rejectionKey: outcome.status === 'rejected' ? rejectionKeyOf(row) : null,
      reference: outcome.status === 'rejected' ? (row.reference ?? null) : null,
    };
    const twin = outcome.status === 'rejected' ? wouldBeKey(activity, input, input.learner, match) : null;
    return { row, report, naturalKey: matchKey ? keyText({ activityId: input.activityId, matchKey, sessionDate }) : null, twin, activity };
  });
  return { params: { ...params, rows }, candidates };
}

/**
 * A row whose completion date was written without its year, dated: the one day of that month and day its activity
 * takes this year or last (`completionDayOfActivity`), a row rejected for its other values too. When its activity is
 * not known, or does not tell, the row is one whose date could not be read, and says why.
 */
function datedByActivity(row: IngestRow, activities: NamedActivities, today: string): IngestRow {
  const withoutYear = row.completionDateWithoutYear;
  if (!withoutYear) return row;
  const activityId = (row.input ?? row.readable)?.activityId;
  const dated = activityId ? completionDayOfActivity(withoutYear.monthDay, (day) => activities.named(activityId, day), today) : null;
  if (dated && 'day' in dated) {
    if (row.input) return { ...row, input: { ...row.input, completionDate: dated.day } };
    return row.readable ? { ...row, readable: { ...row.readable, completionDate: dated.day } } : row;
  }
  const message = `Completion date: ${yearMissingMessage(withoutYear.written, withoutYear.monthDay, withoutYear.order, dated?.because)}`;
  const { completionDateWithoutYear: _, ...rest } = row;
  const readable = row.input ? { ...row.input, completionDate: null, consent: row.input.consent ?? null, creditId: row.input.creditId ?? null } : row.readable;
  return {
    ...rest,
    input: null,
    readable,
    parseProblems: [...row.parseProblems, { code: yearMissingCode, field: 'completionDate', row: row.rowNumber, message }],
  };
}

/** A completion date written without its year, which its activity did not tell. */
const yearMissingCode = 'completion_date_year_missing';

/** What a report dated by its activity says of it, for its sender to check. */
function yearReadNote(written: string, completionDate: string, activity: ActivityForRules | undefined): StoredProblem {
  const dates = activity ? ` (${activityDatesText(activity)})` : '';
  return {
    code: 'completion_year_from_activity',
    field: 'completionDate',
    message: `Completion date: ${quoted(written)} has no year, and was read as ${completionDate}, the one such day its activity takes${dates}. If the learner completed it on another day, correct the report.`,
  };
}

/**
 * The writing half: stores the prepared reports (those already on file, or twice in the batch, are
 * recognised, not doubled), records the batch in the audit log, and returns the receipts in order.
 */
export async function storeLearnerReports(executor: Executor, prepared: PreparedReports): Promise<ReportReceipt[]> {
  const { params, candidates } = prepared;
  const { actor, providerOrgId, rows } = params;
  if (rows.length === 0) return [];

  // A rejected row sent before, and still to fix, points to its rejected report; in a file, so does one sent as it
  // was after a later upload corrected it (a workbook sent again with a tab more, corrected in the rows to fix only).
  const rejectionKeys = candidates.flatMap(({ report }) => (report.rejectionKey ? [report.rejectionKey] : []));
  const rejectedOnFile = await repository.findRejectedReportsByKeys(executor, providerOrgId, [...new Set(rejectionKeys)], { corrected: Boolean(params.uploadId) });
  // A rejected report of a completion on file, or taken in with it, is a repeat of that report.
  const takenWith = new Map<string, Candidate>();
  for (const candidate of candidates) if (candidate.naturalKey && !takenWith.has(candidate.naturalKey)) takenWith.set(candidate.naturalKey, candidate);
  const twinKeys = candidates.flatMap(({ twin }) => (twin && !takenWith.has(keyText(twin)) ? [twin] : []));
  const twinsOnFile = await reportsOnFileByKey(executor, providerOrgId, twinKeys);
  // The same report twice in one batch is stored once; the later copies point at the first.
  const firstByKey = new Map<string, Candidate>();
  const toInsert: Candidate[] = [];
  const sameAs = new Map<Candidate, Candidate>();
  const twinOf = new Map<Candidate, LearnerReportRow>();
  for (const candidate of candidates) {
    const { rejectionKey } = candidate.report;
    if (candidate.row.keepNothing || (rejectionKey && rejectedOnFile.has(rejectionKey))) continue;
    if (candidate.twin) {
      const first = takenWith.get(keyText(candidate.twin));
      const onFile = twinsOnFile.get(keyText(candidate.twin));
      if (first) {
        sameAs.set(candidate, first);
        continue;
      }
      if (onFile) {
        twinOf.set(candidate, onFile);
        continue;
      }
    }
    const batchKey = candidate.naturalKey ?? (rejectionKey ? `rejected|${rejectionKey}` : null);
    const first = batchKey ? firstByKey.get(batchKey) : undefined;
    if (first) {
      sameAs.set(candidate, first);
      continue;
    }
    if (batchKey) firstByKey.set(batchKey, candidate);
    toInsert.push(candidate);
  }

  const inserted = await repository.insertLearnerReports(
    executor,
    { providerOrgId, uploadId: params.uploadId ?? null, reportedBy: actor.label },
    toInsert.map((candidate) => candidate.report),
  );
  await correctRejectedReports(executor, params, toInsert.filter((candidate) => inserted.has(candidate.report.id)));
  const alreadyOnFile = toInsert.filter((candidate) => !inserted.has(candidate.report.id));
  const existingByKey = new Map<string, LearnerReportRow>();
  const alreadyOnFileKeys = alreadyOnFile.map(({ report }) => ({ activityId: report.activityId as string, matchKey: report.matchKey as string, sessionDate: report.sessionDate }));
  for (const [key, row] of await reportsOnFileByKey(executor, providerOrgId, alreadyOnFileKeys)) existingByKey.set(key, row);

  const receiptOf = (candidate: Candidate): ReportReceipt => {
    const { report, row } = candidate;
    if (row.keepNothing) return { id: null, status: 'rejected', duplicate: false, late: false, problems: withRow(report.problems, row.rowNumber) };
    const rejectedBefore = report.rejectionKey ? rejectedOnFile.get(report.rejectionKey) : undefined;
    if (rejectedBefore) return { id: rejectedBefore, status: 'rejected', duplicate: true, late: false, problems: withRow(report.problems, row.rowNumber) };
    const twin = twinOf.get(candidate);
    if (twin) return duplicateReceipt(twin, candidate);
    if (inserted.has(report.id)) {
      return {
        id: report.id,
        status: report.status,
        duplicate: false,
        late: report.late,
        problems: withRow(report.problems, row.rowNumber),
      };
    }
    const existing = candidate.naturalKey ? existingByKey.get(candidate.naturalKey) : undefined;
    if (!existing) {
      // Taken by a report stored by a concurrent request that is not visible here yet.
      return {
        id: null,
        status: 'rejected',
        duplicate: true,
        late: report.late,
        problems: withRow(
          [{ code: 'duplicate_in_flight', field: 'learner', message: 'The same report is being stored by another request; send it again to get its id.' }],
          row.rowNumber,
        ),
      };
    }
    return duplicateReceipt(existing, candidate);
  };

  /** The report of this completion on file before this batch (in a file, before this upload), of which none of its copies is kept. */
  const onFileBefore = (candidate: Candidate): LearnerReportRow | undefined => {
    const onFile = twinOf.get(candidate) ?? (candidate.naturalKey && !inserted.has(candidate.report.id) ? existingByKey.get(candidate.naturalKey) : undefined);
    return onFile && (!params.uploadId || onFile.upload_id !== params.uploadId) ? onFile : undefined;
  };

  const receipts = candidates.map((candidate) => {
    const first = sameAs.get(candidate);
    if (!first) return receiptOf(candidate);
    // A copy of a report on file before is told how it differs from that report, as the row read in its place is.
    const onFile = onFileBefore(first);
    const firstReceipt = onFile ? duplicateReceipt(onFile, candidate) : receiptOf(first);
    const differences = sentTwiceProblem(first, candidate, params.uploadId ? 'file' : 'batch', onFile !== undefined);
    return {
      ...firstReceipt,
      duplicate: true,
      problems: withRow([...firstReceipt.problems, ...(differences ? [differences] : [])], candidate.row.rowNumber),
    };
  });

  const counts = { accepted: 0, pending: 0, rejected: 0, duplicates: 0 };
  for (const receipt of receipts) {
    if (receipt.duplicate) counts.duplicates += 1;
    else counts[receipt.status] += 1;
  }
  const single = receipts.length === 1 && receipts[0].id && !receipts[0].duplicate ? receipts[0].id : null;
  await recordAudit(
    executor,
    { actor, requestId: params.requestId ?? 'internal' },
    {
      action: 'learner_report.create',
      entityType: single ? 'learner_report' : 'learner_report_batch',
      entityId: single ?? params.uploadId ?? null,
      organizationId: providerOrgId,
      details: { received: rows.length, ...counts, uploadId: params.uploadId ?? null },
    },
  );
  return receipts;
}

/**
 * A report taken in for a learner's completion that was sent before and rejected corrects that rejected
 * report, which leaves the reports to fix (deleted, with the reason): the file corrected and sent again
 * whole, or a document sent again, clears what the first one left to fix, as a file of rows to fix does.
 * A row sent with the reference of a rejected report corrects it also where one of its activity, completion
 * date, first or last name was the mistake.
 */
async function correctRejectedReports(executor: Executor, params: IngestParams, stored: readonly Candidate[]): Promise<void> {
  const taken = stored.filter(({ report }) => report.status !== 'rejected');
  const uploadId = params.uploadId ?? null;
  const withReference = taken.flatMap(({ report, row }) => (row.reference ? [{ ...takenInFields(report), reference: row.reference }] : []));
  const corrected = new Set([
    ...(await repository.findRejectedReportsCorrectedBy(executor, params.providerOrgId, uploadId, taken.map(({ report }) => takenInFields(report)))),
    ...(await repository.findRejectedReportsCorrectedByReference(executor, params.providerOrgId, uploadId, withReference)),
  ]);
  if (corrected.size === 0) return;
  const by = params.sentIn ?? repository.laterReport(taken.length === 1 ? `report ${taken[0].report.id}` : 'sent in one request');
  const context = { actor: params.actor, requestId: params.requestId ?? 'internal' };
  await deleteCorrectedReports(executor, context, [...corrected], by, uploadId);
}

/** What a report taken in is compared by with the rejected reports it may correct. */
function takenInFields(report: NewLearnerReport): TakenInReport {
  const { activityId, completionDate, firstName, lastName, birthMonth, birthDay, state, licenseNumber, npi } = report;
  return { activityId, completionDate, firstName, lastName, birthMonth, birthDay, state, licenseNumber, npi };
}

/** The live reports under these natural keys, by `keyText`. */
async function reportsOnFileByKey(executor: Executor, providerOrgId: string, keys: NaturalKey[]): Promise<Map<string, LearnerReportRow>> {
  const byKey = new Map<string, LearnerReportRow>();
  if (keys.length === 0) return byKey;
  for (const row of await repository.findLiveReportsByKeys(executor, providerOrgId, keys)) {
    byKey.set(keyText({ activityId: row.activity_id as string, matchKey: row.match_key as string, sessionDate: row.session_date }), row);
  }
  return byKey;
}

function isReadable(row: IngestRow): boolean {
  return row.input !== null && row.parseProblems.length === 0;
}

function keyText({ activityId, matchKey, sessionDate }: NaturalKey): string {
  return `${activityId}|${matchKey}|${sessionDate ?? ''}`;
}

function reportFields(input: LearnerReportInput | ReadablePart | null | undefined, row: IngestRow) {
  return {
    id: timeOrderedId(),
    activityId: input?.activityId ?? null,
    firstName: input?.learner.firstName ?? null,
    lastName: input?.learner.lastName ?? null,
    birthMonth: input?.learner.birthMonth ?? null,
    birthDay: input?.learner.birthDay ?? null,
    state: input?.learner.state ?? null,
    licenseNumber: input?.learner.licenseNumber ?? null,
    npi: input?.learner.npi ?? null,
    board: input?.learner.board ?? null,
    boardId: input?.learner.boardId ?? null,
    completionDate: input?.completionDate ?? null,
    consent: input?.consent ?? null,
    creditId: input?.creditId ?? null,
    credits: (input?.credits ?? []).map((credit) => ({ type: credit.type, amount: credit.amount })),
    rowNumber: row.rowNumber ?? null,
  };
}

/**
 * A row that could not be read is kept too, with what is wrong, so that nothing is dropped. The activity's
 * rules are checked against what could be read of it too, so that the row's other problems are said now
 * rather than once the value that could not be read is corrected.
 */
function rejectedReport(row: IngestRow, activities: NamedActivities, providerOrgId: string, today: string): NewLearnerReport {
  const problems = row.parseProblems.map(({ code, field, message }) => ({ code, field: field ?? 'row', message }));
  const asSent = row.input ?? row.readable;
  const activity = asSent?.activityId ? activities.named(asSent.activityId, asSent.completionDate) : undefined;
  // A row sent without credits keeps its activity's, so that correcting its report starts from them.
  const sent = asSent && withCreditsOfRow(asSent, row, activity);
  // What the reading already said of a field (a credit amount, by any path below `credits`) is not said again.
  const topField = (field: string) => field.split('.')[0];
  const fieldsSaid = new Set(problems.map((problem) => topField(problem.field)));
  // A credit that could not be read was said too: that none is left is not a problem of its own.
  const creditsSaid = row.readable?.creditsSaid === true;
  const notSaid = (problem: { code: string; field: string }) => !fieldsSaid.has(topField(problem.field)) && !(creditsSaid && problem.code === 'credits_missing');
  // The rules need the activity; the values that could not be read (the completion date among them) were said already.
  const forRules = sent?.activityId ? { ...sent, activityId: activity?.id ?? sent.activityId } : null;
  if (forRules) {
    const rules = { sharingTitle: activities.sharingTitle(forRules.activityId), creditsFromActivity: row.creditsFromActivity };
    problems.push(...checkReportRules(forRules, activity, providerOrgId, today, rules).filter(notSaid));
  } else if (sent) {
    // Without them, what needs nothing else is still said: the consent.
    problems.push(...checkConsent(sent.consent).filter(notSaid));
  }
  return {
    ...reportFields(sent && activity ? { ...sent, activityId: activity.id } : sent, row),
    status: 'rejected',
    personId: null,
    matchRule: null,
    matchKey: null,
    sessionDate: null,
    late: false,
    problems: problems.length > 0 ? problems : [{ code: 'unreadable', field: 'row', message: 'The report could not be read.' }],
    rejectionKey: row.keepNothing ? null : rejectionKeyOf(row),
    reference: row.keepNothing ? null : (row.reference ?? null),
  };
}

/** The row as it was sent, hashed; null when the sender did not say, or nothing of it could be read (a row far too long). */
function rejectionKeyOf(row: IngestRow): string | null {
  if (row.sentAs === undefined) return null;
  const sent = canonicalJson(row.sentAs());
  return sent === '{}' ? null : createHash('sha256').update(sent).digest('base64url');
}

/** JSON with the keys of each object in order, so that the same values in another column order hash the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    // An empty value is no value: a column left empty, or one more empty column, is the same row.
    const entries = Object.entries(value as Record<string, unknown>).filter(([, entry]) => entry !== undefined && entry !== '');
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function duplicateReceipt(existing: LearnerReportRow, { report: sent, row: { rowNumber }, activity }: Candidate): ReportReceipt {
  // What differs is said, so that its sender knows whether the report on file or this one is right.
  const differences = [
    ...(existing.completion_date !== sent.completionDate ? [`completed ${existing.completion_date}, not ${sent.completionDate}`] : []),
    ...(sameCredits(existing.credits, sent.credits) ? [] : [`with ${creditsText(existing.credits)}, not ${creditsText(sent.credits)}`]),
    ...(existing.consent !== sent.consent ? [`with ${consentText(existing.consent)}, not ${consentText(sent.consent)}`] : []),
  ];
  const problems = [...existing.problems];
  if (differences.length > 0) {
    problems.push({
      code: 'already_reported',
      field: 'learner',
      message: `This learner is already reported for activity ${activity ? activityName(activity) : existing.activity_id}, ${differences.join(' and ')}. To change that report, correct it instead of sending it again.`,
    });
  }
  return {
    id: existing.id,
    status: existing.status,
    duplicate: true,
    late: existing.late,
    problems: withRow(problems, rowNumber),
  };
}

/**
 * What a copy of a report in the same batch sent otherwise than the one kept (the first, or the one taken in
 * when the copy was refused); null when nothing differs. `sentIn`: what the rows came in, as the sender calls it;
 * `firstOnFile`: the row read in this one's place is itself a copy of a report on file before, so that neither is kept.
 */
function sentTwiceProblem(first: Candidate, later: Candidate, sentIn: 'file' | 'batch', firstOnFile: boolean): Problem | null {
  const dates = [first.report.completionDate, later.report.completionDate];
  const differences = [
    ...(dates[0] !== dates[1] ? [`another completion date (${dates[0]} there, ${dates[1]} here)`] : []),
    ...(sameCredits(first.report.credits, later.report.credits) ? [] : ['other credits']),
    ...(first.report.consent !== later.report.consent ? [`another consent (${consentText(first.report.consent)} there, ${consentText(later.report.consent)} here)`] : []),
  ];
  if (differences.length === 0) return null;
  const where = first.row.rowNumber ? ` (${first.row.rowWords ?? `row ${first.row.rowNumber}`})` : '';
  // A copy with a mistake gives way to a report taken in from a row after it.
  const when = (first.row.rowNumber ?? 0) > (later.row.rowNumber ?? 0) ? 'later' : 'earlier';
  return {
    code: 'already_reported',
    field: 'learner',
    message: `This learner appears for this activity ${when} in the same ${sentIn}${where}, with ${differences.join(' and ')}; ${firstOnFile ? 'that row is read in place of this one, and its report is on file already' : 'only that row is kept'}.`,
  };
}

/** The row's credits: as sent, or its activity's when its file has no credits column and the activity is known. */
function withCreditsOfRow<T extends { credits: ReportedCredit[] }>(sent: T, row: IngestRow, activity: ActivityForRules | undefined): T {
  return row.creditsFromActivity && activity ? { ...sent, credits: creditsDesignatedBy(activity) } : sent;
}

/** "written consent", "no consent given": a report's consent, as a difference between two copies says it. */
function consentText(consent: string | null): string {
  return consent ? `${consent} consent` : 'no consent given';
}

/** "2 AMA PRA Category 1 Credit™ and 1 ABIM: Medical knowledge (MOC_ABIM_MK)". */
function creditsText(credits: { type: string; amount: number }[]): string {
  return credits.length === 0 ? 'no credits' : credits.map((credit) => `${Number(credit.amount)} ${creditTypeName(credit.type)}`).join(' and ');
}

function sameCredits(a: { type: string; amount: number }[], b: { type: string; amount: number }[]): boolean {
  const text = (credits: { type: string; amount: number }[]) =>
    credits
      .map((credit) => `${credit.type}=${Number(credit.amount)}`)
      .sort()
      .join(',');
  return text(a) === text(b);
}

function withRow(problems: Problem[], rowNumber: number | undefined): Problem[] {
  return rowNumber === undefined ? problems : problems.map((problem) => ({ ...problem, row: rowNumber }));
}
