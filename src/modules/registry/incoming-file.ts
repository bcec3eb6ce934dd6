import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { TabularFormat } from '../../files/tabular-reader.ts';
import { XLSX_CONTENT_TYPE } from '../../files/tabular-writer.ts';
import { BadRequestError, UnsupportedMediaTypeError } from '../../http/errors.ts';

/** Content types taken as a raw file body; the tabular reader streams and limits them itself. */
export const FILE_BODY_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', XLSX_CONTENT_TYPE, 'application/octet-stream'];

export type IncomingFile = { source: Readable; format: TabularFormat; fileName: string | null };

/** Yields the first chunk, to see what the file is, then the whole stream unchanged. */
async function peek(source: Readable): Promise<{ first: Buffer | null; stream: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head = await iterator.next();
  async function* everything(): AsyncGenerator<Buffer> {
    try {
      if (!head.done) yield head.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return { first: head.done || head.value.length === 0 ? null : head.value, stream: Readable.from(everything()) };
}

function formatOf(fileName: string | null, contentType: string | undefined, first: Buffer): TabularFormat {
  const extension = fileName ? path.extname(fileName).toLowerCase() : '';
  if (extension === '.xlsx') return 'xlsx';
  if (extension === '.csv' || extension === '.txt') return 'csv';
  if (contentType?.startsWith(XLSX_CONTENT_TYPE)) return 'xlsx';
  // An XLSX file is a zip archive, which starts with "PK".
  return first[0] === 0x50 && first[1] === 0x4b ? 'xlsx' : 'csv';
}

/** The uploaded file of a request: a multipart form's `file` field, or the raw body (CSV or XLSX). */
export async function receiveFile(request: FastifyRequest, fileNameFromQuery: string | undefined): Promise<IncomingFile> {
  const contentType = request.headers['content-type'];
  let body: Readable;
  let fileName = fileNameFromQuery ?? null;
  if (request.isMultipart()) {
    const part = await request.file();
    if (!part) throw new BadRequestError('file_required', 'The form has no file: attach the CSV or XLSX file in the "file" field.');
    body = part.file;
    fileName = part.filename || fileName;
  } else if (request.body instanceof Readable) {
    body = request.body;
  } else {
    throw new UnsupportedMediaTypeError('Send the file as text/csv, as XLSX, or as a multipart form with a "file" field.');
  }
  const { first, stream } = await peek(body);
  if (!first) throw new BadRequestError('empty_file', 'The file is empty. Send a CSV or XLSX file with a header row and one row per person.');
  return { source: stream, format: formatOf(fileName, contentType, first), fileName };
}
