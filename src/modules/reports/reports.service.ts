import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isRefusedValue, refusedFieldMessage, valueNotStored } from '../../db/database-errors.ts';
import { inSavepoint } from '../../db/savepoints.ts';
import type { DB } from '../../db/schema.ts';
import type { RequestContext } from '../../http/actor.ts';
import { BadRequestError, ConflictError, NotFoundError, PayloadTooLargeError } from '../../http/errors.ts';
import type { Problem } from '../../http/errors.ts';
import { inWords } from '../../words.ts';
import * as repository from './reports.repository.ts';
import { findProviderOrganization, requiredProvider } from './reports.dependencies.ts';
import { candidateOfJson, readablePart } from './report-input.ts';
import { learnerReportSubmissionSchema, MAX_REPORTS_PER_REQUEST, reportIssueCode } from './reports.schemas.ts';
import type { LearnerReportCorrection, ListLearnerReportsQuery } from './reports.schemas.ts';
import { readActivityReportsXml } from './reports.xml-input.ts';
import { receiptsToXml, reportsToActivityReportsXml } from './reports.xml.ts';
import { boardLicenseeCredits, type BoardCreditQuery } from './use-cases/board-licensee-credits.ts';
import { claimPendingReport, listClaimableReports } from './use-cases/claim-pending-reports.ts';
import type { CreditQuery } from './use-cases/credit-pages.ts';
import { correctLearnerReport } from './use-cases/correct-learner-report.ts';
import { deleteLearnerReport, deleteLearnerReports } from './use-cases/delete-learner-reports.ts';
import { deleteReportsByIdentity } from './use-cases/delete-reports-by-identity.ts';
import type { DeletionReceipt } from './use-cases/delete-reports-by-identity.ts';
import { getLearnerReport } from './use-cases/get-learner-report.ts';
import { ingestLearnerReports } from './use-cases/ingest-learner-reports.ts';
import type { IngestParams, IngestRow, ReportReceipt } from './use-cases/ingest-learner-reports.ts';
import { listLearnerReports } from './use-cases/list-learner-reports.ts';
import { ownCredits } from './use-cases/person-credits.ts';
import { providerDashboard } from './use-cases/provider-dashboard.ts';
import { purgeOldReports } from './use-cases/purge-old-reports.ts';
import { rematchPendingReports } from './use-cases/rematch-pending-reports.ts';
import type { RematchScope } from './use-cases/rematch-pending-reports.ts';

export type ReportSubmission = {
  providerOrgId?: string;
  contentType: 'json' | 'xml';
  wantsXml: boolean;
  body: unknown;
  /** For XML, whose schema has no place for it: the learners' consent, for every report of the document. */
  consent?: 'written' | 'implied';
  idempotencyKey?: string;
};

/** What a row of a submission gets: a report taken in, or (XML) the report it named deleted. */
type SubmissionReceipt = ReportReceipt | DeletionReceipt;

/**
 * A ready answer: the route sends it as it is (it may be a stored answer to an earlier request).
 * `location`: the address of the report a 201 created.
 */
export type SubmissionResponse = { statusCode: number; contentType: string; body: string; location?: string };

export function createReportsService({ db }: { db: Kysely<DB> }) {
  /**
   * `POST /learner-reports`: one report or an array, as JSON or MedBiquitous XML. Each report gets a
   * receipt; an Idempotency-Key sent again with the same body gets the same answer, with another
   * body a conflict.
   */
  async function submit(context: RequestContext, submission: ReportSubmission): Promise<SubmissionResponse> {
    const providerOrgId = await requiredProvider(db, context.actor, { requested: submission.providerOrgId, action: 'learnerReport.create', what: 'learner reports' });
    const { rows, single } =
      submission.contentType === 'xml'
        ? await readXmlBody(submission.body, submission.consent)
        : readJsonBody(submission.body);
    return db.transaction().execute(async (trx) => {
      if (submission.idempotencyKey) {
        const requestHash = hashRequest(submission);
        const stored = await repository.claimIdempotencyKey(trx, providerOrgId, submission.idempotencyKey, requestHash);
        if (stored && stored.request_hash !== requestHash) {
          throw new ConflictError(
            'idempotency_key_reused',
            'This Idempotency-Key was already used with a different request. Use a new key for a new request.',
          );
        }
        if (stored && stored.status_code > 0) {
          return withLocation({ statusCode: stored.status_code, contentType: stored.content_type, body: stored.response_body });
        }
      }
      const receipts = await takeInRows(trx, context, providerOrgId, rows);
      const response = respond(receipts, single, submission.wantsXml);
      if (submission.idempotencyKey) {
        await repository.storeIdempotentResponse(trx, providerOrgId, submission.idempotencyKey, response);
      }
      return withLocation(response);
    });
  }

  return {
    submit,
    get: (context: RequestContext, id: string) => getLearnerReport(db, context, id),
    getAsXml: async (context: RequestContext, id: string) => {
      const report = await getLearnerReport(db, context, id);
      return reportsAsXml(db, report.providerOrgId, [report]);
    },
    list: (context: RequestContext, query: ListLearnerReportsQuery) =>
      db.transaction().execute((trx) => listLearnerReports(trx, context, query)),
    correct: (context: RequestContext, id: string, correction: LearnerReportCorrection) =>
      db.transaction().execute((trx) => correctLearnerReport(trx, context, id, correction)),
    delete: (context: RequestContext, id: string, reason: GivenReason) =>
      db.transaction().execute((trx) => deleteLearnerReport(trx, context, id, deletionReason(reason))),
    deleteMany: (context: RequestContext, ids: string[], reason: string) =>
      db.transaction().execute((trx) => deleteLearnerReports(trx, context, ids, reason)),
    async dashboard(context: RequestContext, provider: string, month?: string) {
      // A 7-digit provider ID names the same organization; none that is a provider's is the provider not found.
      const providerOrgId = (await findProviderOrganization(db, provider))?.id;
      if (!providerOrgId) throw new NotFoundError('provider');
      return providerDashboard(db, context, providerOrgId, month);
    },
    ownCredits: (context: RequestContext, query: CreditQuery) =>
      db.transaction().execute((trx) => ownCredits(trx, context, query)),
    licenseeCredits: (context: RequestContext, boardOrgId: string, query: BoardCreditQuery) =>
      db.transaction().execute((trx) => boardLicenseeCredits(trx, context, boardOrgId, query)),
    claimable: (context: RequestContext) => db.transaction().execute((trx) => listClaimableReports(trx, context)),
    claim: (context: RequestContext, id: string) => claimPendingReport(db, context, id),
    rematchPending: (context: RequestContext, scope?: RematchScope) => rematchPendingReports(db, context, scope),
    purge: (context: RequestContext, options?: { today?: string }) => purgeOldReports(db, context, options),
  };
}

export type ReportsService = ReturnType<typeof createReportsService>;

/**
 * Reports to take in and, from an XML document, reports to delete (LearnerRecordAction "delete"),
 * each set in one go; the receipts come back in the order of the rows.
 */
async function takeInRows(
  trx: Transaction<DB>,
  context: RequestContext,
  providerOrgId: string,
  rows: (IngestRow & { action?: 'add' | 'delete' })[],
): Promise<SubmissionReceipt[]> {
  const deletions = rows.filter((row) => row.action === 'delete');
  const additions = rows.filter((row) => row.action !== 'delete');
  const params = { actor: context.actor, requestId: context.requestId, providerOrgId, rows: additions };
  const added = rows.length > 1 ? await ingestRefusedAlone(trx, params) : await ingestLearnerReports(trx, params);
  const deleted = deletions.length
    ? await deleteReportsByIdentity(trx, context, providerOrgId, deletions, 'Deleted by the provider (LearnerRecordAction delete)')
    : [];
  const receiptOf = new Map<IngestRow, SubmissionReceipt>([
    ...additions.map((row, index) => [row, added[index]] as const),
    ...deletions.map((row, index) => [row, deleted[index]] as const),
  ]);
  return rows.map((row) => receiptOf.get(row) as SubmissionReceipt);
}

/**
 * Takes in reports sent together. When the database refuses a value in them (one no check foresaw), they are taken
 * in again by halves, each in a savepoint, down to the report holding it, which is kept rejected with the database's
 * reason and none of its values, as a file's row is: the reports beside it go in. One report sent alone is refused
 * with its request.
 */
async function ingestRefusedAlone(trx: Transaction<DB>, params: IngestParams): Promise<ReportReceipt[]> {
  try {
    return await inSavepoint(trx, () => ingestLearnerReports(trx, params));
  } catch (error) {
    if (!isRefusedValue(error)) throw error;
    const { rows } = params;
    if (rows.length === 1) {
      const [{ rowNumber, sentAs }] = rows;
      const problem = { code: valueNotStored, field: 'report', message: refusedFieldMessage(error, 'this report') };
      const refused = { rowNumber, sentAs, input: null, parseProblems: [problem] };
      return inSavepoint(trx, () => ingestLearnerReports(trx, { ...params, rows: [refused] })).catch((again: unknown) => {
        if (!isRefusedValue(again)) throw again;
        return [{ id: null, status: 'rejected', duplicate: false, late: false, problems: [{ ...problem, ...(rowNumber === undefined ? {} : { row: rowNumber }) }] }];
      });
    }
    const half = Math.ceil(rows.length / 2);
    return [...(await ingestRefusedAlone(trx, { ...params, rows: rows.slice(0, half) })), ...(await ingestRefusedAlone(trx, { ...params, rows: rows.slice(half) }))];
  }
}

/** The reason for a deletion, as given in the query, the body, or both. */
export type GivenReason = { inQuery?: string; inBody?: string };

function deletionReason({ inQuery, inBody }: GivenReason): string {
  if (inQuery !== undefined && inBody !== undefined && inQuery !== inBody) {
    throw new BadRequestError('reason_given_twice', 'Two different reasons were given, in ?reason= and in the body: give the reason once.', [
      { code: 'reason_given_twice', field: 'reason', message: 'Give the reason once, in ?reason= or in the body' },
    ]);
  }
  const reason = inQuery ?? inBody;
  if (!reason || reason.trim().length < 3) {
    throw new BadRequestError('reason_required', 'Say why the report is deleted (?reason= or a JSON body with reason).', [
      { code: 'required', field: 'reason', message: 'Give a reason for the deletion, in a few words' },
    ]);
  }
  return reason.trim();
}

function readJsonBody(body: unknown): { rows: IngestRow[]; single: boolean } {
  const single = !Array.isArray(body);
  const items = Array.isArray(body) ? body : [body];
  if (single && (body === null || typeof body !== 'object')) {
    throw new BadRequestError('invalid_request', 'Send one learner report (a JSON object) or an array of them.');
  }
  if (items.length === 0) throw new BadRequestError('empty_batch', 'The array holds no learner report.');
  refuseWhatIsNoReport(items, single);
  if (items.length > MAX_REPORTS_PER_REQUEST) {
    throw new PayloadTooLargeError(
      `At most ${MAX_REPORTS_PER_REQUEST} reports per request; this one has ${items.length}. Split it, or upload a file.`,
      'too_many_reports',
    );
  }
  return {
    single,
    rows: items.map((item, index) => {
      const parsed = learnerReportSubmissionSchema.safeParse(item);
      if (parsed.success) return { rowNumber: single ? undefined : index + 1, input: parsed.data, sentAs: () => item, parseProblems: [] };
      const candidate = candidateOfJson(item);
      return {
        rowNumber: single ? undefined : index + 1,
        input: null,
        ...(candidate ? { readable: readablePart(candidate) } : {}),
        sentAs: () => item,
        parseProblems: parsed.error.issues.map(
          (issue): Problem => ({
            code: reportIssueCode(issue),
            field: issue.path.join('.') || 'report',
            message: issue.message,
          }),
        ),
      };
    }),
  };
}

/**
 * Items that are no report at all (not an object, or an object with none of a report's fields: `{}`, a number) are a
 * client's mistake, not reports to correct: the request is refused, and nothing of it is kept as a rejected report.
 */
function refuseWhatIsNoReport(items: readonly unknown[], single: boolean): void {
  const fields = Object.keys(learnerReportSubmissionSchema.shape);
  const isReport = (item: unknown) => typeof item === 'object' && item !== null && !Array.isArray(item) && fields.some((field) => field in item);
  const places = items.flatMap((item, index) => (isReport(item) ? [] : [index + 1]));
  if (places.length === 0) return;
  const what = `a learner report is an object with ${inWords(fields)}`;
  const message = single
    ? `The body holds none of a learner report's fields: ${what}.`
    : `${places.length === 1 ? `Item ${places[0]}` : `Items ${inWords(places.slice(0, 10).map(String))}${places.length > 10 ? ' and more' : ''}`} of the array ${places.length === 1 ? 'is' : 'are'} no learner report: ${what}. Nothing was taken in: send the array again without ${places.length === 1 ? 'it' : 'them'}.`;
  const problems = single
    ? [{ code: 'not_a_report', field: 'report', message }]
    : places.map((place) => ({ code: 'not_a_report', field: String(place - 1), message: `Item ${place} is no learner report: ${what}.` }));
  throw new BadRequestError('not_a_report', message, problems);
}

async function readXmlBody(body: unknown, consent: ReportSubmission['consent']): Promise<{ rows: IngestRow[]; single: boolean }> {
  if (typeof body !== 'string' || body.trim() === '') {
    throw new BadRequestError('invalid_request', 'Send an ActivityReports XML document.');
  }
  const rows = await readActivityReportsXml(body, consent);
  if (rows.length > MAX_REPORTS_PER_REQUEST) {
    throw new PayloadTooLargeError(
      `At most ${MAX_REPORTS_PER_REQUEST} ActivityReport elements per request; this one has ${rows.length}. Upload a file instead.`,
      'too_many_reports',
    );
  }
  return { rows, single: false };
}

function respond(receipts: SubmissionReceipt[], single: boolean, wantsXml: boolean): SubmissionResponse {
  if (wantsXml) return { statusCode: 200, contentType: 'application/xml; charset=utf-8', body: receiptsToXml(receipts) };
  if (single) {
    const [receipt] = receipts;
    return {
      statusCode: receipt.duplicate ? 200 : 201,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify(receipt),
    };
  }
  return { statusCode: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(receipts) };
}

/** A report created is answered with its address, a stored answer to a retry too (only one report answers 201). */
function withLocation(response: SubmissionResponse): SubmissionResponse {
  if (response.statusCode !== 201) return response;
  const receipt = JSON.parse(response.body) as { id: string };
  return { ...response, location: `/api/v1/learner-reports/${receipt.id}` };
}

function hashRequest(submission: ReportSubmission): string {
  const body = typeof submission.body === 'string' ? submission.body : JSON.stringify(submission.body);
  return createHash('sha256').update(`${submission.contentType}\n${submission.consent ?? ''}\n${body}`).digest('hex');
}

async function reportsAsXml(db: Kysely<DB>, providerOrgId: string, reports: repository.LearnerReportView[]) {
  const provider = await repository.findProviderNames(db, providerOrgId);
  const activityIds = reports.map((report) => report.activityId).filter((id): id is string => id !== null);
  return reportsToActivityReportsXml(reports, {
    providerName: provider?.name ?? 'Provider',
    providerId: provider?.provider_id ?? null,
    activityNames: await repository.findActivityNames(db, providerOrgId, activityIds),
    now: new Date(),
  });
}
