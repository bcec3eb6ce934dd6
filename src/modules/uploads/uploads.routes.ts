import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { fileDownloadSchema, idParams } from '../../http/common.schemas.ts';
import { sendDownload, tableFormatAsked } from '../../http/download.ts';
import { invalid, jsonBody, locationOf, openToAll, responses, retryAfter, signedIn, tableNotAcceptable } from '../../http/responses.ts';
import { fileField, fileFormDescription } from '../../http/file-form.ts';
import { takeUploadedFile, uploadFormLimits } from './upload-form.ts';
import { UPLOAD_BODY_TYPES } from './upload-format.ts';
import {
  createUploadQuerySchema,
  learnerTemplateQuerySchema,
  listUploadsQuerySchema,
  receiptFileQuerySchema,
  receiptLinePageSchema,
  receiptLinesQuerySchema,
  rowsToFixQuerySchema,
  stopUploadQuerySchema,
  uploadCreatedSchema,
  uploadPageSchema,
  uploadQuerySchema,
  uploadSchema,
  withdrawUploadBodySchema,
  withdrawUploadQuerySchema,
  withdrawalPreviewQuerySchema,
  withdrawalPreviewSchema,
} from './uploads.schemas.ts';
import { createUploadsService } from './uploads.service.ts';

/** How the upload's form is read: its file part under whatever name it has, its other fields the upload's options only. */
const formWords = fileFormDescription('The learner file', "the upload's", createUploadQuerySchema);

export const uploadsRoutes: FastifyPluginAsyncZod = async (app) => {
  const uploads = createUploadsService({ db: app.hub.db, config: app.hub.config });
  const tags = ['Uploads'];

  // The upload route reads only a form or a file: no other body (JSON among them) is parsed for it, so that one
  // is refused with the content types it takes.
  await app.register(async (plugin) => {
    const fileRoute = plugin.withTypeProvider<ZodTypeProvider>();
    fileRoute.removeAllContentTypeParsers();
    await fileRoute.register(multipart, { limits: uploadFormLimits(app.hub.config.maxUploadBytes) });
    // Raw bodies are streamed to disk by the service; nothing is buffered here.
    fileRoute.addContentTypeParser(UPLOAD_BODY_TYPES, (_request, payload, done) => done(null, payload));

    fileRoute.post(
      '/api/v1/uploads',
      {
        config: {
          fileBody: {
            contentTypes: ['multipart/form-data', ...UPLOAD_BODY_TYPES],
            description: 'The learner file: CSV, XLSX or MedBiquitous Activity Report v2 XML.',
            form: { fileField, fields: createUploadQuerySchema, description: formWords },
          },
        },
        schema: {
          tags,
          summary: 'Upload a learner file (CSV, XLSX or MedBiquitous XML); it is taken in as a job',
          description:
            'Send the file in a multipart form, or as the raw body (text/csv, the XLSX type or application/xml). ' +
            `${formWords} ` +
            'The options go in the query, or as fields of the form; one file per upload. `activity` and `completionDate` are those of the rows that give none (a sign-in sheet for one session); the same file ' +
            'sent for another activity or date is another upload. ' +
            'The answer is 202 with the queued upload (its address in the Location header); follow it with GET /api/v1/uploads/{id} and fetch the receipt when ' +
            'it is finished. The same file sent again (for the same activity and date) answers 200 with the earlier upload and adds nothing, whatever consent or dates it is sent with (unless that ' +
            'upload was stopped, or withdrawn; 409 `upload_being_withdrawn` while the withdrawal of an upload taken in whole runs). A file that ' +
            'cannot be read (no header, wrong format, past a limit) is refused at once with what to fix.',
          querystring: createUploadQuerySchema,
          response: responses({
            200: [uploadCreatedSchema, 'The same file was sent before (for the same activity and date): the earlier upload; nothing is added', locationOf('the earlier upload')],
            202: [uploadCreatedSchema, 'The upload, queued: follow it at the Location header\'s address', locationOf('the upload')],
            ...signedIn,
            400: 'An option or a field of the form is not as expected, the form has no file or more than one, or the file is empty',
            409: 'The same file is being taken in by another request, or its earlier upload is being withdrawn (`upload_being_withdrawn`)',
            413: 'The file is past a limit of the hub: its size, its rows or what it unpacks to',
            415: 'Not a file the hub reads (a PDF, an old .xls, a compressed file…), or sent with a content type it does not take',
            422: 'The file cannot be taken in as it is (no header, columns missing, no rows), or is not of the format sent with it (`format_not_of_file`), or its first rows ask something of the whole file (consent, the order of its dates, activities not found), or the activity given for its rows is not found or takes no reports (a draft, closed)',
          }),
        },
      },
      async (request, reply) => {
        const created = await takeUploadedFile(request, request.query, (incoming) => uploads.create(request.requireContext(), incoming));
        return reply
          .code(created.alreadyUploaded ? 200 : 202)
          .header('location', `/api/v1/uploads/${created.upload.id}`)
          .send({ ...created.upload, alreadyUploaded: created.alreadyUploaded, message: created.message });
      },
    );
  });

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/api/v1/uploads/template.${format}`,
      {
        schema: {
          tags,
          summary: `Download the learner file template (${format.toUpperCase()})`,
          description: format === 'xlsx' ? 'Signed in as a provider, the workbook also lists your activities that take learner reports, with both their IDs.' : undefined,
          querystring: learnerTemplateQuerySchema,
          response: responses({ 200: [fileDownloadSchema(), `The learner file template, ${format.toUpperCase()}`], ...openToAll, ...invalid }),
        },
      },
      async (request, reply) => {
        const file = await uploads.template(request.actor, format);
        return sendDownload(reply, file);
      },
    );
  }

  app.get(
    '/api/v1/uploads',
    { schema: { tags, summary: 'Your organization\'s uploads, newest first', querystring: listUploadsQuerySchema, response: responses({
          200: [uploadPageSchema, 'A page of uploads, newest first'],
          ...signedIn,
          ...invalid,
        }) } },
    async (request) => uploads.list(request.requireContext(), request.query),
  );

  app.get(
    '/api/v1/uploads/:id',
    { schema: { tags, summary: 'One upload: status, progress and counts', params: idParams, querystring: uploadQuerySchema, response: responses({ 200: [uploadSchema, 'The upload: its status, progress and counts'], ...signedIn, ...invalid, 404: 'No such upload of yours' }) } },
    async (request) => uploads.get(request.requireContext(), request.params.id),
  );

  app.post(
    '/api/v1/uploads/:id/stop',
    {
      schema: {
        tags,
        summary: 'Stop an upload that is queued or being taken in',
        description:
          'For a file sent by mistake. The rows already taken in stay, and are in the receipt; the upload ends as ' +
          '`failed` with the code `stopped` and a message that says up to which row the file was taken in. Sending the ' +
          'file again takes in the rest and recognises the rows already taken in. 409 (`upload_done`) once the upload is done.',
        params: idParams,
        querystring: stopUploadQuerySchema,
        response: responses({
          200: [uploadSchema, 'The upload, stopped: what it took in stays'],
          ...signedIn,
          ...invalid,
          404: 'No such upload of yours',
          409: 'The upload is already done, stopped or failed: nothing to stop (`upload_done`)',
        }),
      },
    },
    async (request) => uploads.stop(request.requireContext(), request.params.id),
  );

  app.get(
    '/api/v1/uploads/:id/withdrawal-preview',
    {
      schema: {
        tags,
        summary: 'What withdrawing the upload would do now',
        description:
          'Before asking for a withdrawal: how many reports the upload took in are still on file and would be deleted ' +
          '(not those deleted one by one since, nor rejected ones a corrected row replaced), and how many a later upload ' +
          'also sent, which stay on file as that upload\'s. 409 (`upload_not_done`) while the upload is queued or running; ' +
          '409 (`upload_withdrawn`) once its withdrawal was asked for.',
        params: idParams,
        querystring: withdrawalPreviewQuerySchema,
        response: responses({
          200: [withdrawalPreviewSchema, 'What a withdrawal would delete now, and what would stay'],
          ...signedIn,
          ...invalid,
          404: 'No such upload of yours',
          409: 'The upload is still queued or running (`upload_not_done`), or its withdrawal was already asked for (`upload_withdrawn`)',
        }),
      },
    },
    async (request) => uploads.previewWithdrawal(request.requireContext(), request.params.id),
  );

  app.post(
    '/api/v1/uploads/:id/withdraw',
    {
      schema: {
        tags,
        summary: 'Withdraw a file sent by mistake: delete the reports the upload took in',
        description:
          'Deletes, with the reason, every report the upload took in, as deleting them one by one would: their credit ' +
          'leaves the passports and the boards, and each keeps its history. Reports already on file that the upload\'s ' +
          'repeated rows pointed to are not touched. The receipt stays. The answer is 202 with the upload, whose ' +
          '`withdrawal` says `withdrawing`; the hub deletes the reports in the background (a million take a few minutes) ' +
          'and `withdrawal.reports` counts them as it goes, out of `withdrawal.reportsToDelete`, until `withdrawal.status` is `withdrawn`. Asked again, the ' +
          'withdrawal already asked for stands, with its reason: the answer is then 200 with the upload as it is (`withdrawal.by` and `withdrawal.reason` ' +
          'say who asked first, and why). 409 (`upload_not_done`) while the upload is queued or running: stop it first.',
        params: idParams,
        querystring: withdrawUploadQuerySchema,
        body: withdrawUploadBodySchema,
        response: responses({
          200: [uploadSchema, 'The withdrawal was already asked for: the upload as it is, the first reason standing'],
          202: [uploadSchema, 'The withdrawal, begun: the upload, whose `withdrawal` counts the reports deleted as it goes'],
          ...signedIn,
          ...jsonBody,
          404: 'No such upload of yours',
          409: 'The upload is still queued or running: stop it first (`upload_not_done`)',
        }),
      },
    },
    async (request, reply) => {
      const { upload, alreadyAsked } = await uploads.withdraw(request.requireContext(), request.params.id, request.body.reason);
      return reply.code(alreadyAsked ? 200 : 202).send(upload);
    },
  );

  app.get(
    '/api/v1/uploads/:id/rows',
    {
      schema: {
        tags,
        summary: 'The receipt lines of an upload, page by page',
        params: idParams,
        querystring: receiptLinesQuerySchema,
        response: responses({
          200: [receiptLinePageSchema, 'A page of the receipt\'s lines'],
          ...signedIn,
          400: 'An option is not as expected (`problems` names each): a problem code the hub never gives a row (`problem_code_unknown`), problemField without problem, or a cursor of another list, or of this one asked with other filters (`invalid_cursor`)',
          404: 'No such upload of yours',
        }),
      },
    },
    async (request) => uploads.receiptPage(request.requireContext(), request.params.id, request.query),
  );

  app.get(
    '/api/v1/uploads/:id/receipt',
    {
      schema: {
        tags,
        summary: 'The receipt as CSV or XLSX: one line per input row',
        description: 'Row number, your reference, accepted / pending / rejected, duplicate, late, the report id and the problems.',
        params: idParams,
        querystring: receiptFileQuerySchema,
        response: responses({
          200: [fileDownloadSchema(), 'The receipt, CSV or XLSX'],
          ...signedIn,
          ...invalid,
          404: 'No such upload of yours',
          ...tableNotAcceptable,
          409: ['The file is still being taken in (`upload_not_done`): ask again once it is done', retryAfter('(while the file is taken in)')],
        }),
      },
    },
    async (request, reply) => {
      const format = tableFormatAsked(request.query.format, request.headers.accept) ?? 'csv';
      const file = await uploads.receiptFile(request.requireContext(), request.params.id, format);
      return sendDownload(reply, file);
    },
  );

  app.get(
    '/api/v1/uploads/:id/rows-to-fix',
    {
      schema: {
        tags,
        summary: 'The rejected rows of a CSV or XLSX upload, as a file to correct and send again',
        description:
          'The template\'s columns filled with the rejected rows as they were sent, each with what to fix and its row in the ' +
          'file sent, and the last column the rejected report it was kept as, which the corrected row replaces. Rows ' +
          'corrected since, rows of learners who did not consent and rows that hold no completion (a total) are left out. 409 while the upload runs, for an XML ' +
          'upload, when no row is to fix (`no_rows_to_fix`) or every one was corrected since (`rows_all_corrected`); 410 ' +
          '(`rows_to_fix_gone`) once the rejected rows are no longer kept: they go with the file, ' +
          '`CMEHUB_UPLOAD_FILE_DAYS` after the upload is done.',
        params: idParams,
        querystring: rowsToFixQuerySchema,
        response: responses({
          200: [fileDownloadSchema(), 'The rows to fix, CSV or XLSX (the upload\'s own format unless asked)'],
          ...signedIn,
          ...invalid,
          404: 'No such upload of yours',
          ...tableNotAcceptable,
          409: [
            'No rows to fix now: the file is still being taken in (`upload_not_done`, with Retry-After), the upload is XML or withdrawn, no row was rejected, or every one was corrected since',
            retryAfter('(while the file is taken in)'),
          ],
          410: 'The rejected rows are no longer kept: they went with the file (`rows_to_fix_gone`); the receipt still lists them',
        }),
      },
    },
    async (request, reply) => {
      const format = tableFormatAsked(request.query.format, request.headers.accept);
      const file = await uploads.rowsToFix(request.requireContext(), request.params.id, format);
      return sendDownload(reply, file);
    },
  );
};
