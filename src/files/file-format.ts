import path from 'node:path';
import { Readable } from 'node:stream';
import { UnsupportedMediaTypeError } from '../http/errors.ts';
import type { TabularFormat } from './tabular-reader.ts';
import { XLSX_CONTENT_TYPE } from './tabular-writer.ts';

/** Reads the first chunk of a stream, to see what the file is, and gives back a stream of every byte. */
export async function peekFirstChunk(source: Readable): Promise<{ first: Buffer | null; stream: Readable }> {
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

export type FileHints = { fileName: string | null; contentType: string | null | undefined; head: Buffer };

/**
 * Whether a spreadsheet file is a workbook or text, the bytes first (an XLSX workbook is a zip, which
 * starts "PK"), then the name and the content type; an old binary Excel file is refused with what to do.
 * Text is CSV unless the caller knows other text formats (`null`: no sign of a workbook).
 */
export function workbookOrText({ fileName, contentType, head }: FileHints): 'xlsx' | null {
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new UnsupportedMediaTypeError('This is an Excel 97-2003 workbook (.xls), which the hub does not read. Save it as .xlsx or as CSV.');
  }
  if (head[0] === 0x50 && head[1] === 0x4b) return 'xlsx';
  if (fileName && path.extname(fileName).toLowerCase() === '.xlsx') return 'xlsx';
  if (contentType?.split(';')[0].trim().toLowerCase() === XLSX_CONTENT_TYPE) return 'xlsx';
  return null;
}

/** A CSV or XLSX file, for what takes only those two. */
export function detectTabularFormat(hints: FileHints): TabularFormat {
  return workbookOrText(hints) ?? 'csv';
}
