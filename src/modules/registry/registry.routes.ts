import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fileDownloadSchema } from '../../http/common.schemas.ts';
import { sendDownload, tableFormatAsked } from '../../http/download.ts';
import { invalid, locationOf, openToAll, responses, signedIn, tableNotAcceptable } from '../../http/responses.ts';
import { AppError } from '../../http/errors.ts';
import { discardFile, uploadsDirectory } from '../uploads/upload-storage.ts';
import { fileFormLimits } from '../../http/file-form.ts';
import { FILE_BODY_TYPES, fileFormReference, receiveWholeFile, tabularFileForm } from './incoming-file.ts';
import {
  boardParams, loadParams, rosterLoadListSchema, rosterReceiptQuerySchema, rosterLoadSchema, rosterUploadQuerySchema,
  templateQuerySchema,
} from './registry.schemas.ts';
import { createRegistryService } from './registry.service.ts';
import { rosterTemplate } from './roster-template.ts';

/** A file download: streamed as it is, never serialized. */
const fileResponse = fileDownloadSchema();

/** How the form is read, for the API reference. */
const formReference = fileFormReference('The roster file', "the roster upload's", rosterUploadQuerySchema);

/** How a roster arrives, for the API reference. */
export const rosterFileBody = {
  contentTypes: [...FILE_BODY_TYPES, 'multipart/form-data'],
  description: 'The roster file (CSV or XLSX) as the request body, or as the file of a multipart form.',
  form: formReference.form,
};

export const registryRoutes: FastifyPluginAsyncZod = async (app) => {
  const registry = createRegistryService({ database: app.hub.database });
  const tags = ['Board rosters'];

  const rosterForm = tabularFileForm(
    { what: 'roster file', takenBy: 'a roster upload', example: 'roster.csv', options: rosterUploadQuerySchema },
    { directory: uploadsDirectory(app.hub.config.dataDir), maxBytes: app.hub.config.maxUploadBytes },
  );

  await app.register(multipart, { limits: fileFormLimits(app.hub.config.maxUploadBytes, rosterUploadQuerySchema) });
  app.addContentTypeParser(FILE_BODY_TYPES, (_request, payload, done) => done(null, payload));

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/v1/boards/roster-template.${format}`,
      {
        schema: {
          tags,
          summary: `Download the roster template (${format.toUpperCase()})`,
          querystring: templateQuerySchema,
          response: responses({ 200: [fileResponse, `The roster template, ${format.toUpperCase()}`], ...openToAll, ...invalid }),
        },
      },
      async (request, reply) => {
        const file = rosterTemplate(request.query.kind, format);
        return sendDownload(reply, file);
      },
    );
  }

  app.post(
    '/api/v1/boards/:orgId/roster',
    {
      config: { fileBody: rosterFileBody },
      schema: {
        tags,
        summary: 'Upload a licensee (or diplomate) roster as CSV or XLSX; it is loaded once the file has arrived',
        description:
          `Send the file as the raw body (text/csv or the XLSX type), or in a multipart form. ${formReference.description} Each row ` +
          'creates or updates one license; with `full=true` the board\'s licenses absent from the file become inactive, unless they are more ' +
          'than a tenth of its practising licenses (and more than 25): then they are left as they were until the board confirms (`absentHeld`, ' +
          'POST .../roster/loads/{loadId}/absent-inactive). A workbook\'s rows may be on several sheets, each under its header. Dates written day ' +
          'first need `dates=day_first`: a file whose dates show it written so is refused otherwise (422 date_order_required). ' +
          'The file is received whole, its header checked (a file without the columns every row needs is refused, 422), and the answer is ' +
          '202 with the load, `running`, its address in the Location header; the load goes on whatever becomes of the connection. Follow it with ' +
          'GET /api/v1/boards/{orgId}/roster/loads/{loadId} (`rowsRead` as it goes) until it is `completed` or `failed`: it then counts the rows by ' +
          'outcome; the receipt lists each row.',
        params: boardParams,
        querystring: rosterUploadQuerySchema,
        response: responses({
          202: [rosterLoadSchema, 'The load, begun: follow it at the Location header\'s address', locationOf('the load')],
          ...signedIn,
          ...invalid,
          404: 'No such board of yours',
          413: 'The file is past a limit of the hub: its size, its rows or what it unpacks to',
          415: 'Not a CSV or XLSX file, or sent with a content type the hub does not take here',
          422: 'The file cannot be loaded: columns every row needs missing, a sheet not read, or its dates written day first unsaid (`date_order_required`)',
        }),
      },
    },
    async (request, reply) => {
      const context = request.requireContext();
      const { orgId } = request.params;
      await registry.checkRosterAccess(context, orgId);
      // The whole file is kept before its load starts, so that the load goes on once the answer is sent.
      const { file, options: sent } = await receiveWholeFile(request, request.query, rosterForm);
      const options = { fullRoster: sent.full, ...(sent.dates ? { dateOrder: sent.dates } : {}) };
      const started = await registry.startRosterLoad(context, orgId, { ...file, kept: file.source }, options).catch(async (error: unknown) => {
        await discardFile(file.source);
        throw error;
      });
      // The load records how it ended and deletes the file; the log says only that it failed, never a row of the file.
      void started.done.catch((error: unknown) => {
        const code = error instanceof AppError ? error.code : 'unexpected';
        if (code === 'server_stopped') request.log.info({ loadId: started.load.id }, 'roster load stopped with the server, to be resumed');
        else request.log.warn({ loadId: started.load.id, code }, 'roster load failed');
      });
      return reply.code(202).header('location', `/api/v1/boards/${orgId}/roster/loads/${started.load.id}`).send(started.load);
    },
  );

  app.get(
    '/api/v1/boards/:orgId/roster/loads',
    { schema: { tags, summary: 'The board\'s latest roster loads', params: boardParams, response: responses({ 200: [rosterLoadListSchema, 'The board\'s latest roster loads, newest first'], ...signedIn, ...invalid, 404: 'No such board of yours' }) } },
    async (request) => ({ items: await registry.listLoads(request.requireContext(), request.params.orgId) }),
  );

  app.get(
    '/api/v1/boards/:orgId/roster/loads/:loadId',
    { schema: { tags, summary: 'One roster load and its counts', params: loadParams, response: responses({ 200: [rosterLoadSchema, 'The load: how far it has gone, and its counts'], ...signedIn, ...invalid, 404: 'No such board or roster load of yours' }) } },
    async (request) => registry.getLoad(request.requireContext(), request.params.orgId, request.params.loadId),
  );

  app.post(
    '/api/v1/boards/:orgId/roster/loads/:loadId/absent-inactive',
    {
      schema: {
        tags,
        summary: 'Make inactive the licenses a full roster left out, which were too many to without your word',
        description:
          'A full roster that leaves out more than a tenth of the board\'s practising licenses (and more than 25) leaves them as they were, ' +
          'saying how many (`absentHeld`): more often an export cut short or filtered than the whole roster. When the file does list every ' +
          'licensee, this makes them inactive; only while the load is the board\'s latest (409 `later_load` otherwise: load the full roster again).',
        params: loadParams,
        response: responses({
          200: [rosterLoadSchema, 'The load, its held licenses made inactive'],
          ...signedIn,
          ...invalid,
          404: 'No such board or roster load of yours',
          409: 'The load holds no licenses for your word (`nothing_held`), or a later load has changed the registry since (`later_load`)',
        }),
      },
    },
    async (request) => registry.makeAbsentInactive(request.requireContext(), request.params.orgId, request.params.loadId),
  );

  app.get(
    '/api/v1/boards/:orgId/roster/loads/:loadId/receipt',
    {
      schema: {
        tags,
        summary: 'The receipt of a roster load: one line per row of the file, with its outcome and problems',
        description:
          'CSV or XLSX (`format`). The workbook also has a Summary sheet: the file, how the load ended, its counts, when it ran, and its notes ' +
          '(columns not used, the encoding its text was read in).',
        params: loadParams,
        querystring: rosterReceiptQuerySchema,
        response: responses({
          200: [fileResponse, 'The receipt, CSV or XLSX'],
          ...signedIn,
          ...invalid,
          404: 'No such board or roster load of yours',
          ...tableNotAcceptable,
        }),
      },
    },
    async (request, reply) => {
      const format = tableFormatAsked(request.query.format, request.headers.accept) ?? 'csv';
      return sendDownload(reply, await registry.receipt(request.requireContext(), request.params.orgId, request.params.loadId, format));
    },
  );
};
