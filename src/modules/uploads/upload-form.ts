import { Readable } from 'node:stream';
import type { Multipart, MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { sentFileName } from '../../files/file-names.ts';
import { AppError, BadRequestError, UnsupportedMediaTypeError } from '../../http/errors.ts';
import { makeTextStorableIn } from '../../http/request-checks.ts';
import { createUploadQuerySchema } from './uploads.schemas.ts';
import type { CreateUploadQuery } from './uploads.schemas.ts';
import type { IncomingUpload, UploadOptions } from './uploads.service.ts';

// An upload's request: the learner file as the raw body, or as a multipart form's file, with the upload's options
// in the query and, for a form, in its other fields.

/** The form field documented for the file (a file part under another name is taken too). */
export const fileField = 'file';
const optionFields = Object.keys(createUploadQuerySchema.shape);
const optionList = `${optionFields.slice(0, -1).map((name) => `"${name}"`).join(', ')} and "${optionFields.at(-1)}"`;
const fieldMaxBytes = 1024;

/** What the form may hold: one file, and its option fields, with room for a mistake that is then refused by name. */
export function uploadFormLimits(maxUploadBytes: number) {
  // One byte over the limit, so that the service's own byte count sees the excess and refuses the file
  // (the plugin would otherwise cut the file short without failing).
  return { fileSize: maxUploadBytes + 1, files: 1, fields: 2 * optionFields.length, fieldSize: fieldMaxBytes };
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
    const parts = request.parts();
    const fields: Record<string, string> = {};
    const file = await fieldsUpToFile(parts, fields);
    const withFileName = (options: UploadOptions): UploadOptions => ({ ...options, fileName: options.fileName ?? sentFileName(file.filename) });
    return await take({
      // Read through its iterator, which reports an error the part met before it was read: a form cut short in
      // the chunk that opened the file has already failed it, and a stream piped only then would wait forever.
      source: Readable.from(file.file, { objectMode: false }),
      contentType: file.mimetype,
      ...withFileName(optionsOf(query, fields)),
      optionsAfterFile: async () => {
        for await (const part of parts) {
          // The plugin's files limit refuses a second file first, as an error of the parts that follow.
          if (part.type === 'file') throw severalFiles();
          addField(fields, part);
        }
        return withFileName(optionsOf(query, fields));
      },
    });
  } catch (error) {
    throw formError(error);
  }
}

/** Reads the form up to its file, keeping the fields before it. */
async function fieldsUpToFile(parts: AsyncIterableIterator<Multipart>, fields: Record<string, string>): Promise<MultipartFile> {
  for (;;) {
    const next = await parts.next();
    if (next.done) throw new BadRequestError('file_required', `The form has no file: attach the learner file in the "${fileField}" field.`);
    if (next.value.type === 'file') return next.value;
    addField(fields, next.value);
  }
}

function addField(fields: Record<string, string>, part: MultipartValue): void {
  const name = part.fieldname;
  const problem = (code: string, message: string) => new BadRequestError(code, message, [{ code, field: name, message }]);
  if (name === fileField) {
    throw problem('file_required', `The form's "${fileField}" field holds text, not a file: attach the learner file to it (with curl: -F ${fileField}=@completions.csv).`);
  }
  if (!optionFields.includes(name)) {
    throw problem('form_field_unknown', `The form has a field "${name}" that an upload does not take. Its fields are "${fileField}" (the learner file), ${optionList}.`);
  }
  if (Object.hasOwn(fields, name)) throw problem('form_field_repeated', `The form gives "${name}" more than once: give it once.`);
  if (part.valueTruncated) throw problem('form_field_too_long', `The form's "${name}" field is longer than ${fieldMaxBytes.toLocaleString('en-US')} bytes.`);
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

const severalFiles = () => new BadRequestError('form_several_files', `The form has more than one file: send one file per upload, in the "${fileField}" field.`);

const readAgain = 'Let the HTTP client build the form (with curl: -F file=@completions.csv), or send the file itself as the body with its own content type, such as text/csv.';

/** The errors of @fastify/multipart and of busboy underneath it, as what to fix; any other error as it is. */
function formError(error: unknown): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  switch ((error as Error & { code?: string }).code) {
    case 'FST_FILES_LIMIT':
      return severalFiles();
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_PROTO_VIOLATION':
      return new BadRequestError('form_field_unknown', `The form has fields that an upload does not take. Its fields are "${fileField}" (the learner file), ${optionList}.`);
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return new BadRequestError('form_invalid', 'A field of the form is declared as JSON but is not: send the form\'s fields as plain text.');
    case 'FST_MP_PREMATURE_CLOSE':
      return new BadRequestError('form_incomplete', 'The request was closed before its form was complete. Send it again.');
  }
  if (error.message === 'Multipart: Boundary not found') {
    return new BadRequestError(
      'form_boundary_missing',
      `The Content-Type says multipart/form-data but names no boundary (multipart/form-data; boundary=...), so the form cannot be read. ${readAgain}`,
    );
  }
  if (error.message.startsWith('The needle cannot')) {
    return new BadRequestError('form_boundary_invalid', `The form's boundary is too long: a boundary has at most 70 characters. ${readAgain}`);
  }
  if (error.message === 'Unexpected end of multipart data' || error.message.endsWith('terminated early due to unexpected end of multipart data')) {
    return new BadRequestError(
      'form_incomplete',
      `The body is not the complete multipart form its Content-Type announces: its closing boundary is missing (the request was cut short, or the body is not a form with that boundary). ${readAgain}`,
    );
  }
  return error;
}
