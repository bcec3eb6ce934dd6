import { PassThrough, Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { detectTabularFormat, peekFirstChunk, WORKBOOK_CONTENT_TYPES } from '../../files/file-format.ts';
import { sentFileName } from '../../files/file-names.ts';
import type { TabularFormat } from '../../files/tabular-reader.ts';
import { BadRequestError, UnsupportedMediaTypeError } from '../../http/errors.ts';

/** Content types taken as a raw file body; the tabular reader streams and limits them itself. */
export const FILE_BODY_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', ...WORKBOOK_CONTENT_TYPES, 'application/octet-stream'];

export type IncomingFile = { source: Readable; format: TabularFormat; fileName: string | null };

/** The uploaded file of a request: a multipart form's `file` field, or the raw body (CSV or XLSX). */
export async function receiveFile(request: FastifyRequest, fileNameFromQuery: string | undefined): Promise<IncomingFile> {
  const contentType = request.headers['content-type'];
  let body: Readable;
  let fileName = fileNameFromQuery ?? null;
  if (request.isMultipart()) {
    const part = await request.file();
    if (!part) throw new BadRequestError('file_required', 'The form has no file: attach the CSV or XLSX file in the "file" field.');
    body = part.file;
    fileName = sentFileName(part.filename) ?? fileName;
  } else if (request.body instanceof Readable) {
    body = request.body;
  } else {
    throw new UnsupportedMediaTypeError('Send the file as text/csv, as XLSX, or as a multipart form with a "file" field.');
  }
  const { first, stream } = await peekFirstChunk(cutOffSaid(body));
  if (!first) throw new BadRequestError('empty_file', 'The file is empty. Send a CSV or XLSX file with a header row and one row per person.');
  return { source: stream, format: detectTabularFormat({ fileName, contentType, head: first }), fileName };
}

/**
 * The file as it arrives: a connection closed before the file's end (the page closed, the network lost) is said
 * so, rather than called an unexpected error. Nothing of such a file is loaded.
 */
function cutOffSaid(body: Readable): Readable {
  const arriving = new PassThrough();
  body.once('error', () => {
    arriving.destroy(
      new BadRequestError(
        'file_cut_off',
        'The file stopped arriving before its end: the connection was closed (the page closed, or the network lost) while it was sent. Nothing of it was loaded: upload the file again.',
      ),
    );
  });
  return body.pipe(arriving);
}
