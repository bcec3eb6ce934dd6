import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { tableDownload } from '../../files/tabular-writer.ts';
import { fileDownloadSchema } from '../../http/common.schemas.ts';
import { sendDownload } from '../../http/download.ts';
import { invalid, jsonBody, responses, signedIn } from '../../http/responses.ts';
import { fileFormLimits } from '../../http/file-form.ts';
import { answerFromFile, FILE_BODY_TYPES, fileFormReference, receiveFile, tabularFileForm } from '../registry/incoming-file.ts';
import { uploadsDirectory } from '../uploads/upload-storage.ts';
import { validateBodySchema, validateFileQuerySchema, validateResponseSchema } from './learner-validation.schemas.ts';
import { createLearnerValidationService, VALIDATION_FILE_MAX_BYTES } from './learner-validation.service.ts';
import { answerColumns } from './validation-file.ts';

/** The answer file: streamed as it is, never serialized. */
const fileResponse = fileDownloadSchema('The learner file with an answer per row, CSV or XLSX.');

/** How the form is read, for the API reference. */
const formReference = fileFormReference('The learner file', "the check's", validateFileQuerySchema);

export const learnerValidationRoutes: FastifyPluginAsyncZod = async (app) => {
  const validation = createLearnerValidationService({ db: app.hub.db });
  const tags = ['Learner validation'];

  const fileForm = tabularFileForm(
    {
      what: 'learner file',
      takenBy: 'a check of a learner file',
      example: 'learners.csv',
      options: validateFileQuerySchema,
    },
    { directory: uploadsDirectory(app.hub.config.dataDir), maxBytes: VALIDATION_FILE_MAX_BYTES },
  );

  await app.register(multipart, { limits: fileFormLimits(VALIDATION_FILE_MAX_BYTES, validateFileQuerySchema) });
  app.addContentTypeParser(FILE_BODY_TYPES, (_request, payload, done) => done(null, payload));

  app.post(
    '/api/v1/learners/validate',
    {
      schema: {
        tags,
        summary: 'Check learner identities before reporting: matched, ambiguous, not found or invalid, and why',
        description:
          'Up to 1,000 learners per request; the answers come in the same order. An answer never contains registry ' +
          'data the request did not send (no names, no birth dates, no suggestions of another physician).',
        body: validateBodySchema,
        response: responses({ 200: [validateResponseSchema, 'An answer per learner, in the order sent'], ...signedIn, ...jsonBody }),
      },
    },
    async (request) => ({ results: await validation.validate(request.requireContext(), request.body.learners) }),
  );

  app.post(
    '/api/v1/learners/validate/file',
    {
      config: {
        fileBody: {
          contentTypes: [...FILE_BODY_TYPES, 'multipart/form-data'],
          description: 'The learner file (CSV or XLSX) as the request body, or as the file of a multipart form.',
          form: formReference.form,
        },
      },
      schema: {
        tags,
        summary: 'Check a CSV or XLSX file of learners; the answer is the same file with a status and answer per row',
        description: `Send the file as the raw body (text/csv or the XLSX type), or in a multipart form. ${formReference.description}`,
        querystring: validateFileQuerySchema,
        response: responses({
          200: [fileResponse, 'The file sent, with a status and an answer per row'],
          ...signedIn,
          ...invalid,
          413: 'The file is past a limit of the hub: its size, its rows or what it unpacks to',
          415: 'Not a CSV or XLSX file, or sent with a content type the hub does not take here',
          422: 'The file cannot be read as a learner file: columns missing, or its dates written day first unsaid',
        }),
      },
    },
    async (request, reply) => {
      const context = request.requireContext();
      const { file, options } = await receiveFile(request, request.query, fileForm);
      return answerFromFile(reply, file, async () => {
        const { format, rows } = await validation.validateFile(context, file, options.dates);
        const answerFormat = options.format ?? format;
        return sendDownload(reply, tableDownload(answerFormat, 'learner-validation', { name: 'Answers', columns: answerColumns, rows }));
      });
    },
  );
};
