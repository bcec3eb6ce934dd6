import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateOrderSchema, fileDownloadSchema, strictQuery } from '../../http/common.schemas.ts';
import { sendDownload } from '../../http/download.ts';
import { errorResponses } from '../../http/problem.ts';
import {
  activityDetailSchema,
  activityHistorySchema,
  activityIdParams,
  activityInputSchema,
  activityPageSchema,
  activityPatchSchema,
  activityVocabularySchema,
  activitySchema,
  batchReceiptSchema,
  copyActivityBodySchema,
  listActivitiesQuerySchema,
  reopenActivityBodySchema,
} from './activities.schemas.ts';
import { createActivitiesService } from './activities.service.ts';
import { createActivityBatch, FILE_CONTENT_TYPES, receiptFile } from './activity-batch.ts';
import { templateFile } from './activity-file.ts';
import { activityVocabulary } from './vocabulary-view.ts';

/** A file download: streamed as it is, never serialized. */
const fileResponse = fileDownloadSchema();

export const activitiesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { activities } = app.hub;
  // A file's rows are long work, saved through the database handle that lets other requests in between its chunks.
  const batch = createActivityBatch({ activities: createActivitiesService({ db: app.hub.database.backgroundDb }) });
  const tags = ['Activities'];

  // Batch files arrive as the raw body (CSV or XLSX); the reader streams and limits them itself.
  app.addContentTypeParser(FILE_CONTENT_TYPES, (_request, payload, done) => done(null, payload));

  app.post(
    '/api/v1/activities',
    {
      schema: {
        tags,
        summary: 'Create an activity, or update the one with the same provider activity ID',
        body: activityInputSchema,
        response: { 200: activitySchema, 201: activitySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { activity, created } = await activities.upsert(request.requireContext(), request.body);
      return reply.code(created ? 201 : 200).send(activity);
    },
  );

  app.get(
    '/api/v1/activities',
    {
      schema: {
        tags,
        summary: 'List activities, with filters, text search and sort',
        querystring: listActivitiesQuerySchema,
        response: { 200: activityPageSchema, ...errorResponses },
      },
    },
    async (request) => activities.list(request.requireContext(), request.query),
  );

  app.get(
    '/api/v1/activities/vocabulary',
    {
      schema: {
        tags,
        summary: 'The allowed values of every coded activity field, with their labels',
        response: { 200: activityVocabularySchema, ...errorResponses },
      },
    },
    async (request) => {
      request.requireContext();
      return activityVocabulary();
    },
  );

  app.get(
    '/api/v1/activities/template',
    {
      schema: {
        tags,
        summary: 'Download the batch file template (CSV or XLSX) with every column and its allowed values',
        querystring: z.object({ format: z.enum(['csv', 'xlsx']).default('xlsx') }),
        response: { 200: fileResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      request.requireContext();
      const file = templateFile(request.query.format);
      return sendDownload(reply, file);
    },
  );

  app.post(
    '/api/v1/activities/batch',
    {
      schema: {
        tags,
        summary: 'Upload a CSV or XLSX file of activities: each row creates or updates one activity',
        description:
          'Send the file as the request body (Content-Type text/csv or the XLSX type). Rows are matched on the ' +
          'provider activity ID. Each row is saved on its own or not at all; the receipt says per row what was ' +
          'created, updated, unchanged or rejected and why.',
        consumes: FILE_CONTENT_TYPES,
        body: z.unknown().meta({ description: 'The CSV or XLSX file itself, as the request body.', format: 'binary' }),
        querystring: strictQuery('An activity file takes', {
          fileName: z.string().max(255).optional(),
          format: z.enum(['csv', 'xlsx']).optional().meta({ description: 'The format of the file; by default told from fileName or its first bytes.' }),
          receipt: z.enum(['json', 'csv', 'xlsx']).default('json').meta({ description: 'Answer with the receipt as JSON, or as a CSV or XLSX file.' }),
          dates: dateOrderSchema.optional().meta({
            description:
              'How the file writes dates of numbers: day_first (30/06/2026) or month_first (06/30/2026). Unsaid, they are read month first, and a file ' +
              'whose dates show it written day first (one that can only be read so, none only month first) is refused, 422 date_order_required, naming the row.',
          }),
        }),
        response: { 200: batchReceiptSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const receipt = await batch.importFile(request.requireContext(), request.body as NodeJS.ReadableStream, {
        fileName: request.query.fileName ?? null,
        format: request.query.format,
        contentType: request.headers['content-type'] ?? null,
        ...(request.query.dates ? { dateOrder: request.query.dates } : {}),
      });
      if (request.query.receipt === 'json') return receipt;
      const file = receiptFile(receipt, request.query.receipt);
      return sendDownload(reply, file);
    },
  );

  app.get(
    '/api/v1/activities/:id',
    {
      schema: { tags, summary: 'Get an activity', params: activityIdParams, response: { 200: activityDetailSchema, ...errorResponses } },
    },
    async (request) => activities.get(request.requireContext(), request.params.id),
  );

  app.put(
    '/api/v1/activities/:id',
    {
      schema: {
        tags,
        summary: 'Replace an activity (fields left out are cleared)',
        params: activityIdParams,
        body: activityInputSchema,
        response: { 200: activitySchema, ...errorResponses },
      },
    },
    async (request) => activities.replace(request.requireContext(), request.params.id, request.body),
  );

  app.patch(
    '/api/v1/activities/:id',
    {
      schema: {
        tags,
        summary: 'Change some fields of an activity, or its status (JSON merge patch)',
        params: activityIdParams,
        body: activityPatchSchema,
        response: { 200: activitySchema, ...errorResponses },
      },
    },
    async (request) => activities.patch(request.requireContext(), request.params.id, request.body),
  );

  app.delete(
    '/api/v1/activities/:id',
    {
      schema: {
        tags,
        summary: 'Delete an activity that has no learner reports',
        params: activityIdParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await activities.remove(request.requireContext(), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/activities/:id/copy',
    {
      schema: {
        tags,
        summary: 'Start a new draft activity from this one (a course repeated next year)',
        params: activityIdParams,
        body: copyActivityBodySchema,
        response: { 201: activitySchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await activities.copy(request.requireContext(), request.params.id, request.body)),
  );

  app.post(
    '/api/v1/activities/:id/reopen',
    {
      schema: {
        tags,
        summary: 'Reopen a closed activity for changes and learner reports (audited with the reason)',
        params: activityIdParams,
        body: reopenActivityBodySchema,
        response: { 200: activitySchema, ...errorResponses },
      },
    },
    async (request) => activities.reopen(request.requireContext(), request.params.id, request.body.reason),
  );

  app.get(
    '/api/v1/activities/:id/history',
    {
      schema: {
        tags,
        summary: 'What happened to an activity, newest first',
        params: activityIdParams,
        response: { 200: activityHistorySchema, ...errorResponses },
      },
    },
    async (request) => activities.history(request.requireContext(), request.params.id),
  );
};
