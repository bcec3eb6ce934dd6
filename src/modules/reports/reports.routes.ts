import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { systemContext } from '../../http/actor.ts';
import { idParams, strictQuery } from '../../http/common.schemas.ts';
import { acceptQuality } from '../../http/download.ts';
import { UnsupportedMediaTypeError } from '../../http/errors.ts';
import { invalid, jsonBody, responses, signedIn } from '../../http/responses.ts';
import { onRegistryChange } from '../registry/registry.events.ts';
import {
  boardCreditPageSchema,
  boardCreditsQuerySchema,
  bulkDeleteLearnerReportsSchema,
  bulkDeleteResultSchema,
  claimableReportsSchema,
  correctLearnerReportSchema,
  deleteLearnerReportBodySchema,
  deleteLearnerReportQuerySchema,
  learnerReportDeletionSchema,
  learnerReportSubmissionSchema,
  learnerReportPageSchema,
  learnerReportSchema,
  learnerReportWithHistorySchema,
  listLearnerReportsQuerySchema,
  MAX_REPORTS_PER_REQUEST,
  personCreditPageSchema,
  personCreditsQuerySchema,
  providerDashboardQuerySchema,
  providerDashboardSchema,
  providerReferenceSchema,
  reportReceiptSchema,
} from './reports.schemas.ts';
import { RECEIPTS_NAMESPACE } from './reports.xml.ts';

const XML_TYPES = ['application/xml', 'text/xml'];
/** 1,000 ActivityReport elements fit well within this. */
const XML_BODY_LIMIT = 20 * 1024 * 1024;

// The XML documents taken and answered, as the API reference shows them: text, read and written by reports.xml*.ts.
const activityReportsXml = z
  .string()
  .describe('A MedBiquitous Activity Report v2 ActivityReports document (http://ns.medbiq.org/activityreport/v2/), one ActivityReport per learner completion');
const receiptsXml = z
  .string()
  .describe(
    `A LearnerReportReceipts document (namespace ${RECEIPTS_NAMESPACE}): one Receipt per ActivityReport, in the order sent, ` +
      'with the attributes position, id, status, duplicate, late and deleted, and a Problem element (code, field, row) per problem',
  );
const xmlContent = (schema: z.ZodString) => ({ 'application/xml': { schema } });

export const reportsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { reports } = app.hub;
  const tags = ['Learner reports'];

  // Pending reports are matched again whenever a roster or NPI load changes the registry.
  const stopListening = onRegistryChange(async (change) => {
    await reports.rematchPending(systemContext('registry change'), {
      jurisdiction: change.jurisdiction ?? undefined,
      boardCode: change.boardCode ?? undefined,
    });
  });
  app.addHook('onClose', async () => {
    stopListening();
  });

  app.addContentTypeParser(XML_TYPES, { parseAs: 'string', bodyLimit: XML_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );
  // Many clients send their JSON content type with every request, a DELETE without a body too.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (request.method === 'DELETE' && body === '') return done(null, null);
    return parseJson(request, body.toString(), done);
  });

  app.post(
    '/api/v1/learner-reports',
    {
      schema: {
        tags,
        summary: 'Report learner completions: one report or an array of up to 1,000',
        description:
          `A JSON body is one LearnerReportSubmission or an array of up to ${MAX_REPORTS_PER_REQUEST}; an application/xml body is a ` +
          'MedBiquitous Activity Report v2 ActivityReports document, one ActivityReport per learner. Every report gets a ' +
          'receipt (accepted, pending or rejected, with problems; deleted for an XML LearnerRecordAction delete), in order: ' +
          'a report that does not fit the schema is receipted rejected with its problems, not refused with the request. ' +
          'A report already on file is recognised (duplicate: true, the existing id). Send Accept: application/xml for XML ' +
          'receipts (a LearnerReportReceipts document). An Idempotency-Key header makes a retry safe.',
        querystring: strictQuery('Reporting learners takes', {
          providerOrgId: providerReferenceSchema
            .optional()
            .describe('Operators only: the provider reporting, by its 7-digit provider ID or its organization id'),
          consent: z
            .enum(['written', 'implied'])
            .optional()
            .describe('XML only: the learners’ consent to be reported, for every report of the document'),
        }),
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        // Checked report by report by the service, so that each gets its receipt; the API reference says what is taken (config.bodyDoc).
        body: z.unknown(),
        response: responses({
          200: {
            description: 'The receipts, in the order sent; for one report already on file, its receipt (duplicate: true)',
            content: { 'application/json': { schema: z.union([reportReceiptSchema, z.array(reportReceiptSchema)]) }, ...xmlContent(receiptsXml) },
          },
          201: {
            description: 'One report taken in: its receipt',
            headers: { location: { type: 'string', description: 'The report’s address: /api/v1/learner-reports/{id}' } },
            content: { 'application/json': { schema: reportReceiptSchema } },
          },
          ...signedIn,
          400: 'The body or an option is not as expected (not a report nor an array of them, an empty array), or the provider named is none',
          409: 'The Idempotency-Key was used before with another request (`idempotency_key_reused`)',
          413: 'More reports than a request takes, or a body larger than the hub takes',
          415: 'Not JSON nor XML: send application/json or application/xml',
          422: 'An XML document that cannot be read as one (`file_unreadable`: not well-formed, a DOCTYPE), or one report holding a value the database cannot store (`value_not_stored`)',
        }),
      },
      config: {
        bodyDoc: {
          content: {
            'application/json': z
              .union([learnerReportSubmissionSchema, z.array(learnerReportSubmissionSchema).min(1).max(MAX_REPORTS_PER_REQUEST)])
              .describe(`One report, or an array of up to ${MAX_REPORTS_PER_REQUEST}`),
            ...Object.fromEntries(XML_TYPES.map((type) => [type, activityReportsXml])),
          },
        },
      },
    },
    async (request, reply) => {
      const response = await reports.submit(request.requireContext(), {
        providerOrgId: request.query.providerOrgId,
        contentType: bodyKind(request),
        wantsXml: wantsXml(request),
        body: request.body,
        consent: request.query.consent,
        idempotencyKey: request.headers['idempotency-key'],
      });
      return sendReady(reply, response);
    },
  );

  app.get(
    '/api/v1/learner-reports',
    {
      schema: {
        tags,
        summary: 'List learner reports (filter by activity, status, date, search), newest first',
        querystring: listLearnerReportsQuerySchema,
        response: responses({ 200: [learnerReportPageSchema, 'A page of learner reports, newest first'], ...signedIn, ...invalid }),
      },
    },
    async (request) => reports.list(request.requireContext(), request.query),
  );

  app.get(
    '/api/v1/learner-reports/:id',
    {
      schema: {
        tags,
        summary: 'Get a learner report with its history (JSON, or MedBiquitous XML with Accept: application/xml)',
        params: idParams,
        response: responses({
          200: {
            description: 'The report with its history; with Accept: application/xml, the report as an ActivityReports document',
            content: { 'application/json': { schema: learnerReportWithHistorySchema }, ...xmlContent(activityReportsXml) },
          },
          ...signedIn,
          ...invalid,
          404: 'No such learner report of yours',
        }),
      },
    },
    async (request, reply) => {
      const context = request.requireContext();
      if (wantsXml(request)) {
        const body = await reports.getAsXml(context, request.params.id);
        return sendReady(reply, { statusCode: 200, contentType: 'application/xml; charset=utf-8', body });
      }
      return reports.get(context, request.params.id);
    },
  );

  app.patch(
    '/api/v1/learner-reports/:id',
    {
      schema: {
        tags,
        summary: 'Correct a learner report in place (credits, completion date, identity, consent)',
        params: idParams,
        body: correctLearnerReportSchema,
        response: responses({
          200: [learnerReportSchema, 'The report, corrected'],
          ...signedIn,
          ...jsonBody,
          404: 'No such learner report of yours',
          409: 'The report was deleted (`report_deleted`), or the correction would repeat a report already on file',
          422: 'The correction names what cannot be (`validation_failed`: an activity not yours), or an accepted report\'s correction gives no reason (`reason_required`); `problems` says what',
        }),
      },
    },
    async (request) => reports.correct(request.requireContext(), request.params.id, request.body),
  );

  app.delete(
    '/api/v1/learner-reports/:id',
    {
      schema: {
        tags,
        summary: 'Delete a learner report, with a reason (?reason= or a JSON body); it can then be reported again',
        description:
          'The reason goes in ?reason= or in a JSON body { "reason": "…" }; the body may be left out. ' +
          'Given in both, it must be the same. Deleting a report deleted before changes nothing and answers 200 with that ' +
          'deletion (alreadyDeleted: true), so that a retry is safe.',
        params: idParams,
        querystring: deleteLearnerReportQuerySchema,
        body: deleteLearnerReportBodySchema,
        response: responses({
          200: [learnerReportDeletionSchema, 'The deletion, or the earlier one (alreadyDeleted: true)'],
          ...signedIn,
          ...jsonBody,
          400: 'No reason given, two different ones, or the id or body not as expected',
          404: 'No such learner report of yours',
        }),
      },
    },
    async (request) =>
      reports.delete(request.requireContext(), request.params.id, { inQuery: request.query.reason, inBody: request.body?.reason }),
  );

  app.post(
    '/api/v1/learner-reports/bulk-delete',
    {
      schema: {
        tags,
        summary: 'Delete several learner reports with one reason',
        body: bulkDeleteLearnerReportsSchema,
        response: responses({ 200: [bulkDeleteResultSchema, 'What became of each report'], ...signedIn, ...jsonBody }),
      },
    },
    async (request) => reports.deleteMany(request.requireContext(), request.body.ids, request.body.reason),
  );

  app.get(
    '/api/v1/providers/:id/dashboard',
    {
      schema: {
        tags,
        summary: 'A provider’s reporting this month: per activity, reports to fix, timeliness',
        // The provider by its organization id or its 7-digit provider ID, as uploads and reports name it.
        params: z.object({ id: providerReferenceSchema }),
        querystring: providerDashboardQuerySchema,
        response: responses({ 200: [providerDashboardSchema, 'The month\'s reporting, per activity'], ...signedIn, ...invalid, 404: 'No such provider of yours' }),
      },
    },
    async (request) => reports.dashboard(request.requireContext(), request.params.id, request.query.month),
  );

  app.get(
    '/api/v1/boards/:id/credits',
    {
      schema: {
        tags: ['Boards'],
        summary: 'Credits of the board’s licensees (any reporting state), or a certifying board’s MOC credits',
        params: idParams,
        querystring: boardCreditsQuerySchema,
        response: responses({
          200: [boardCreditPageSchema, 'A page of credits'],
          ...signedIn,
          ...invalid,
          400: 'An option is not as expected: a physician named twice (personId and q), dates in the wrong order',
          404: 'No such board of yours, or no such licensee of it',
        }),
      },
    },
    async (request) => reports.licenseeCredits(request.requireContext(), request.params.id, request.query),
  );

  app.get(
    '/api/v1/me/credits',
    {
      schema: {
        tags: ['Passport'],
        summary: 'Every credit reported for the signed-in physician',
        querystring: personCreditsQuerySchema,
        response: responses({ 200: [personCreditPageSchema, 'A page of your credits'], ...signedIn, ...invalid }),
      },
    },
    async (request) => reports.ownCredits(request.requireContext(), request.query),
  );

  app.get(
    '/api/v1/me/claimable-reports',
    {
      schema: {
        tags: ['Passport'],
        summary: 'Pending reports under the physician’s name and birth date that they may claim',
        response: responses({ 200: [claimableReportsSchema, 'The pending reports you may claim'], ...signedIn }),
      },
    },
    async (request) => reports.claimable(request.requireContext()),
  );

  app.post(
    '/api/v1/me/claimable-reports/:id/claim',
    {
      schema: {
        tags: ['Passport'],
        summary: 'Claim a pending report: it is accepted and its credit appears in the passport',
        params: idParams,
        body: z.object({}).nullish().describe('Nothing to send'),
        response: responses({
          200: [learnerReportSchema, 'The report, claimed: accepted'],
          ...signedIn,
          ...jsonBody,
          404: 'No such report for you to claim',
          409: 'This completion is already in your passport from another report (`already_reported`)',
        }),
      },
    },
    async (request) => reports.claim(request.requireContext(), request.params.id),
  );
};

/** Sends an answer already written out (XML, or JSON stored for an Idempotency-Key) as it is. */
function sendReady(reply: FastifyReply, response: { statusCode: number; contentType: string; body: string; location?: string }) {
  if (response.location) reply.header('location', response.location);
  return reply.code(response.statusCode).type(response.contentType).send(response.body);
}

function bodyKind(request: FastifyRequest): 'json' | 'xml' {
  const type = (request.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
  if (XML_TYPES.includes(type)) return 'xml';
  if (type === 'application/json') return 'json';
  throw new UnsupportedMediaTypeError('Send learner reports as application/json or application/xml.');
}

/** XML when the caller's Accept likes it more than JSON (its q-values weighed), or as much, having sent XML. */
function wantsXml(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  const sentXml = XML_TYPES.includes((request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase());
  if (!accept.trim()) return sentXml;
  const xml = Math.max(...XML_TYPES.map((type) => acceptQuality(accept, type)));
  const json = acceptQuality(accept, 'application/json');
  return xml > json || (xml > 0 && xml === json && sentXml);
}
