import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { detectTabularFormat, peekFirstChunk, WORKBOOK_CONTENT_TYPES } from '../../files/file-format.ts';
import { sentFileName } from '../../files/file-names.ts';
import type { FileSource } from '../../files/sources.ts';
import type { TabularFormat } from '../../files/tabular-reader.ts';
import { BadRequestError, UnsupportedMediaTypeError } from '../../http/errors.ts';
import { fieldsTakenWords, fileField, fileFormDescription, formError, formOptionFields, readFileForm } from '../../http/file-form.ts';
import type { FileFormWords, FileOptionsSchema } from '../../http/file-form.ts';
import { discardFile, receiveToDisk } from '../uploads/upload-storage.ts';
import type { ReceivedFile } from '../uploads/upload-storage.ts';

/** Content types taken as a raw file body; the tabular reader streams and limits them itself. */
export const FILE_BODY_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', ...WORKBOOK_CONTENT_TYPES, 'application/octet-stream'];

/**
 * A file sent: the raw body as it arrives, or the path of a form's file, received whole to disk (`receiveFile`), which
 * its reader deletes once done with it.
 */
export type IncomingFile = { source: FileSource; format: TabularFormat; fileName: string | null };

/** The options of a route that takes a CSV or XLSX file: its query schema, with the file's name among them. */
type TabularFileOptions = FileOptionsSchema & z.ZodType<{ fileName?: string }>;

/** A route's form of one CSV or XLSX file and its options, which the address gives too. */
export type FileForm<Schema extends TabularFileOptions> = {
  words: FileFormWords;
  options: Schema;
  /** Where a form's file is received to, and the most it may hold. */
  directory: string;
  maxBytes: number;
};

/**
 * The form of a route that takes a CSV or XLSX file: `what` names its file ("roster file"), `takenBy` the route ("a
 * roster upload"), `options` its query schema, whose options the form's fields give too.
 */
export function tabularFileForm<Schema extends TabularFileOptions>(
  { what, takenBy, example, options }: { what: string; takenBy: string; example: string; options: Schema },
  receiving: Omit<FileForm<Schema>, 'words' | 'options'>,
): FileForm<Schema> {
  const words = {
    file: 'the CSV or XLSX file',
    example,
    oneFile: `send each ${what} in a request of its own`,
    takenBy,
    fieldsTaken: fieldsTakenWords(`the ${what}`, options),
  };
  return { words, options, ...receiving };
}

/**
 * The API reference's words for a form of one file and the route's options (`what`: "The roster file"; `whose`: "the
 * roster upload's"), and the form as the reference shows it.
 */
export function fileFormReference(what: string, whose: string, options: FileOptionsSchema) {
  const description = fileFormDescription(what, whose, options);
  return { description, form: { fileField, fields: options, description } };
}

/** A file received, and the options it was sent with. */
export type ReceivedWithOptions<Schema extends TabularFileOptions> = { file: IncomingFile; options: z.output<Schema> };

/**
 * The uploaded file of a request and its options: the raw body (CSV or XLSX) as it arrives, with the address's
 * options (`query`); or a multipart form's first file part, under any field name, received whole to `form.directory`,
 * with the address's options and the form's fields, so that the rest of the form is read before anything of the file
 * is: a second file, or a field that is no option, is refused (the file then deleted) rather than left unread. The
 * path of a form's file is the caller's to delete once read (`answerFromFile`, or the roster load that keeps it). The
 * file's name is the `fileName` option, else the name of a form's file.
 */
export async function receiveFile<Schema extends TabularFileOptions>(
  request: FastifyRequest,
  query: z.output<Schema>,
  form: FileForm<Schema>,
): Promise<ReceivedWithOptions<Schema>> {
  if (request.isMultipart()) return receiveFormFile(request, query, form);
  if (!(request.body instanceof Readable)) {
    throw new UnsupportedMediaTypeError('Send the file as text/csv, as XLSX, or as a multipart form with a "file" field.');
  }
  const fileName = query.fileName ?? null;
  const { first, stream } = await peekFirstChunk(cutOffSaid(request.body));
  if (!first) throw emptyFile();
  const format = detectTabularFormat({ fileName, contentType: request.headers['content-type'], head: first });
  return { file: { source: stream, format, fileName }, options: query };
}

/**
 * The file of a request received whole to disk before anything of it is read, with its options: for a reader that goes
 * on once the answer is sent (a roster's load). A form's file already is.
 */
export async function receiveWholeFile<Schema extends TabularFileOptions>(
  request: FastifyRequest,
  query: z.output<Schema>,
  form: FileForm<Schema>,
): Promise<{ file: IncomingFile & { source: string }; options: z.output<Schema> }> {
  const { file, options } = await receiveFile(request, query, form);
  const onDisk = typeof file.source === 'string' ? file.source : (await receiveToDisk(file.source, form.directory, form.maxBytes)).tempPath;
  return { file: { ...file, source: onDisk }, options };
}

/** The form's file, on disk, once the form is read to its end and holds nothing else, and its options. */
async function receiveFormFile<Schema extends TabularFileOptions>(
  request: FastifyRequest,
  query: z.output<Schema>,
  { words, options, directory, maxBytes }: FileForm<Schema>,
): Promise<ReceivedWithOptions<Schema>> {
  let received: ReceivedFile | null = null;
  try {
    const fields = formOptionFields(options, words);
    const form = readFileForm(request, words, (part) => fields.add(part));
    const part = await form.file();
    // Read through its iterator, which reports an error the part met before it was read: a form cut short in the
    // chunk that opened the file has already failed it, and a stream piped only then would wait forever.
    received = await receiveToDisk(cutOffSaid(part.file), directory, maxBytes);
    await form.rest();
    if (received.bytes === 0) throw emptyFile();
    const sent = fields.over(request, query);
    const fileName = sent.fileName ?? sentFileName(part.filename) ?? null;
    const format = detectTabularFormat({ fileName, contentType: part.mimetype, head: received.head });
    return { file: { source: received.tempPath, format, fileName }, options: sent };
  } catch (error) {
    if (received) await discardFile(received.tempPath);
    throw formError(error, words);
  }
}

/**
 * Answers from a form's file, received to disk, which is deleted once the answer is sent or the connection lost. Not
 * sooner: the reader opens it as it answers (a workbook's parts one at a time), so a sender gone before the reader has
 * opened it must not take it from under the reader.
 */
export async function answerFromFile<T>(reply: FastifyReply, file: IncomingFile, answer: () => Promise<T>): Promise<T> {
  try {
    return await answer();
  } finally {
    const { source } = file;
    if (typeof source === 'string') {
      const discard = () => void discardFile(source).catch(() => undefined);
      // A reply counts as answered once it is being sent, so the answer may still be read from the file then.
      if (reply.raw.closed || reply.raw.destroyed) discard();
      else reply.raw.once('close', discard);
    }
  }
}

const emptyFile = () => new BadRequestError('empty_file', 'The file is empty. Send a CSV or XLSX file with a header row and one row per person.');

/**
 * The file as it arrives: a connection closed before the file's end (the page closed, the network lost) is said
 * so, rather than called an unexpected error. Nothing of such a file is loaded. Read only as it is read: an error
 * before then waits for its reader.
 */
function cutOffSaid(body: AsyncIterable<Buffer>): Readable {
  async function* arriving(): AsyncGenerator<Buffer> {
    try {
      yield* body;
    } catch {
      throw new BadRequestError(
        'file_cut_off',
        'The file stopped arriving before its end: the connection was closed (the page closed, or the network lost) while it was sent. Nothing of it was loaded: upload the file again.',
      );
    }
  }
  return Readable.from(arriving(), { objectMode: false });
}
