import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { sentFileName } from '../../files/file-names.ts';
import { UnsupportedMediaTypeError } from '../../http/errors.ts';
import { fieldsTakenWords, fileField, fileFormLimits, formError, formOptionFields, readFileForm } from '../../http/file-form.ts';
import type { FileFormWords } from '../../http/file-form.ts';
import { createUploadQuerySchema } from './uploads.schemas.ts';
import type { CreateUploadQuery } from './uploads.schemas.ts';
import type { IncomingUpload, UploadOptions } from './uploads.service.ts';

// An upload's request: the learner file as the raw body, or as a multipart form's file, with the upload's options
// in the query and, for a form, in its other fields.

const words: FileFormWords = {
  file: 'the learner file',
  example: 'completions.csv',
  oneFile: 'send one file per upload',
  takenBy: 'an upload',
  fieldsTaken: fieldsTakenWords('the learner file', createUploadQuerySchema),
};

/** What the form may hold: one file, and its option fields, with room for a mistake that is then refused by name. */
export function uploadFormLimits(maxUploadBytes: number) {
  return fileFormLimits(maxUploadBytes, createUploadQuerySchema);
}

/**
 * Hands the file of an upload request to `take`, with the options sent with it: the raw body with the query's
 * options; or a multipart form's file with the query's options and the form's other fields, before the file or
 * after it. What is wrong with the form is a 400 that says what.
 */
export async function takeUploadedFile<T>(request: FastifyRequest, query: CreateUploadQuery, take: (incoming: IncomingUpload) => Promise<T>): Promise<T> {
  if (!request.isMultipart()) {
    if (!(request.body instanceof Readable)) {
      throw new UnsupportedMediaTypeError(`Send the learner file as the request body, with its content type (text/csv, the XLSX type or application/xml), or in a multipart form's "${fileField}" field.`);
    }
    return take({ source: request.body, contentType: request.headers['content-type'], ...uploadOptions(query) });
  }
  try {
    const fields = formOptionFields(createUploadQuerySchema, words);
    const form = readFileForm(request, words, (part) => fields.add(part));
    const file = await form.file();
    const withFileName = (options: UploadOptions): UploadOptions => ({ ...options, fileName: options.fileName ?? sentFileName(file.filename) });
    return await take({
      // Read through its iterator, which reports an error the part met before it was read: a form cut short in
      // the chunk that opened the file has already failed it, and a stream piped only then would wait forever.
      source: Readable.from(file.file, { objectMode: false }),
      contentType: file.mimetype,
      ...withFileName(uploadOptions(fields.over(request, query))),
      optionsAfterFile: async () => {
        await form.rest();
        return withFileName(uploadOptions(fields.over(request, query)));
      },
    });
  } catch (error) {
    throw formError(error, words);
  }
}

/** The upload's options, the file name among them, from the query's (and the form's). */
function uploadOptions({ fileName, ...sent }: CreateUploadQuery): UploadOptions {
  return { ...sent, fileName: fileName ?? null };
}
