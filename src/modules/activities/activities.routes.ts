import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateOrderSchema, fileDownloadSchema, fileNameOptionSchema, strictQuery, tableFormatSchema } from '../../http/common.schemas.ts';
import { sendDownload } from '../../http/download.ts';
import { invalid, jsonBody, responses, signedIn, signedInOnly } from '../../http/responses.ts';
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
        response: responses({
          200: [activitySchema, 'The activity with the same provider activity ID, updated'],
          201: [activitySchema, 'The activity, created'],
          ...signedIn,
          ...jsonBody,
          409: 'That activity is closed: reopen it first (`activity_closed`), or its provider activity ID was just taken',
          422: 'The activity has problems to fix: `problems` lists each field',
        }),
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
        response: responses({ 200: [activityPageSchema, 'A page of activities'], ...signedIn, ...invalid }),
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
        response: responses({ 200: [activityVocabularySchema, 'Each coded field\'s values and labels'], ...signedInOnly }),
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
        querystring: strictQuery('The activities template takes', { format: tableFormatSchema.default('xlsx') }),
        response: responses({ 200: [fileResponse, 'The batch file template, CSV or XLSX'], ...signedInOnly, ...invalid }),
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
          fileName: fileNameOptionSchema,
          format: z.enum(['csv', 'xlsx']).optional().meta({ description: 'The format of the file; by default told from fileName or its first bytes.' }),
          receipt: z.enum(['json', 'csv', 'xlsx']).default('json').meta({ description: 'Answer with the receipt as JSON, or as a CSV or XLSX file.' }),
          dates: dateOrderSchema.optional().meta({
            description:
              'How the file writes dates of numbers: day_first (30/06/2026) or month_first (06/30/2026). Unsaid, they are read month first, and a file ' +
              'whose dates show it written day first (one that can only be read so, none only month first) is refused, 422 date_order_required, naming the row.',
          }),
        }),
        response: responses({
          200: [batchReceiptSchema, 'The receipt: per row, created, updated, unchanged or rejected and why (a CSV or XLSX file with ?receipt=csv or xlsx)'],
          ...signedIn,
          ...invalid,
          413: 'The file is past a limit of the hub: its size, its rows or what it unpacks to',
          415: 'Not a CSV or XLSX file, or sent with a content type the hub does not take here',
          422: 'The file cannot be read as an activity file: columns missing, or its dates written day first unsaid (`date_order_required`)',
        }),
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
      schema: { tags, summary: 'Get an activity', params: activityIdParams, response: responses({ 200: [activityDetailSchema, 'The activity'], ...signedIn, ...invalid, 404: 'No such activity of yours' }),
      },
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
        response: responses({
          200: [activitySchema, 'The activity, replaced'],
          ...signedIn,
          ...jsonBody,
          404: 'No such activity of yours',
          409: 'The activity is closed: reopen it first (`activity_closed`), or the provider activity ID is another activity\'s',
          422: 'The activity has problems to fix: `problems` lists each field',
        }),
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
        response: responses({
          200: [activitySchema, 'The activity, changed'],
          ...signedIn,
          ...jsonBody,
          404: 'No such activity of yours',
          409: 'The activity is closed: reopen it first (`activity_closed`), or the provider activity ID is another activity\'s',
          422: 'The activity, changed so, has problems to fix: `problems` lists each field',
        }),
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
        response: responses({
          204: [z.null(), 'The activity is deleted'],
          ...signedIn,
          ...invalid,
          404: 'No such activity of yours',
          409: 'The activity has learner reports: delete them first, or keep it (`activity_has_learner_reports`)',
        }),
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
        response: responses({
          201: [activitySchema, 'The new draft activity'],
          ...signedIn,
          ...jsonBody,
          404: 'No such activity of yours',
          409: 'The provider activity ID is another activity\'s (`provider_activity_id_taken`)',
          422: 'The copy has problems to fix: `problems` lists each field',
        }),
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
        response: responses({
          200: [activitySchema, 'The activity, open again'],
          ...signedIn,
          ...jsonBody,
          404: 'No such activity of yours',
          409: 'The activity is not closed (`activity_not_closed`)',
        }),
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
        response: responses({ 200: [activityHistorySchema, 'What happened to the activity, newest first'], ...signedIn, ...invalid, 404: 'No such activity of yours' }),
      },
    },
    async (request) => activities.history(request.requireContext(), request.params.id),
  );
};
