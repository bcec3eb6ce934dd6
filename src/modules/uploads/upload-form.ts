import { Readable } from 'node:stream';
import type { MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { sentFileName } from '../../files/file-names.ts';
import { BadRequestError, UnsupportedMediaTypeError } from '../../http/errors.ts';
import { fileField, fileFormLimits, formError, formFieldMaxBytes, formFieldProblem, readFileForm, unknownFormField } from '../../http/file-form.ts';
import type { FileFormWords } from '../../http/file-form.ts';
import { makeTextStorableIn } from '../../http/request-checks.ts';
import { inWords } from '../../words.ts';
import { createUploadQuerySchema } from './uploads.schemas.ts';
import type { CreateUploadQuery } from './uploads.schemas.ts';
import type { IncomingUpload, UploadOptions } from './uploads.service.ts';

// An upload's request: the learner file as the raw body, or as a multipart form's file, with the upload's options
// in the query and, for a form, in its other fields.

const optionFields = Object.keys(createUploadQuerySchema.shape);
const optionList = inWords(optionFields.map((name) => `"${name}"`));

const words: FileFormWords = {
  file: 'the learner file',
  example: 'completions.csv',
  oneFile: 'send one file per upload',
  takenBy: 'an upload',
  fieldsTaken: `Its fields are "${fileField}" (the learner file), ${optionList}.`,
};

/** What the form may hold: one file, and its option fields, with room for a mistake that is then refused by name. */
export function uploadFormLimits(maxUploadBytes: number) {
  return fileFormLimits(maxUploadBytes, 2 * optionFields.length);
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
    return take({ source: request.body, contentType: request.headers['content-type'], ...optionsOf(query, {}) });
  }
  try {
    const fields: Record<string, string> = {};
    const form = readFileForm(request, words, (part) => addField(fields, part));
    const file = await form.file();
    const withFileName = (options: UploadOptions): UploadOptions => ({ ...options, fileName: options.fileName ?? sentFileName(file.filename) });
    return await take({
      // Read through its iterator, which reports an error the part met before it was read: a form cut short in
      // the chunk that opened the file has already failed it, and a stream piped only then would wait forever.
      source: Readable.from(file.file, { objectMode: false }),
      contentType: file.mimetype,
      ...withFileName(optionsOf(query, fields)),
      optionsAfterFile: async () => {
        await form.rest();
        return withFileName(optionsOf(query, fields));
      },
    });
  } catch (error) {
    throw formError(error, words);
  }
}

function addField(fields: Record<string, string>, part: MultipartValue): void {
  const name = part.fieldname;
  if (!optionFields.includes(name)) throw unknownFormField(words, name);
  if (Object.hasOwn(fields, name)) throw formFieldProblem(name, 'form_field_repeated', `The form gives "${name}" more than once: give it once.`);
  if (part.valueTruncated) throw formFieldProblem(name, 'form_field_too_long', `The form's "${name}" field is longer than ${formFieldMaxBytes.toLocaleString('en-US')} bytes.`);
  fields[name] = String(part.value);
}

/** The upload's options from the query and the form's fields; an option given in both must say the same in both. */
function optionsOf(query: CreateUploadQuery, fields: Record<string, string>): UploadOptions {
  makeTextStorableIn(fields);
  const parsed = createUploadQuerySchema.safeParse(fields);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ code: issue.code, field: issue.path.join('.'), message: issue.message }));
    throw new BadRequestError('invalid_request', `The form has fields to fix: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}.`, problems);
  }
  const form = parsed.data;
  for (const name of Object.keys(form) as (keyof CreateUploadQuery)[]) {
    if (query[name] !== undefined && query[name] !== form[name]) {
      const message = `"${name}" is given twice, as "${query[name]}" in the address and "${form[name]}" in the form: give it once.`;
      throw new BadRequestError('form_field_conflict', message, [{ code: 'form_field_conflict', field: name, message }]);
    }
  }
  const options = { ...query, ...form };
  const { fileName, ...sent } = options;
  return { ...sent, fileName: fileName ?? null };
}
