import path from 'node:path';
import { Readable } from 'node:stream';
import type { TabularFormat } from './tabular-reader.ts';
import { XLSX_CONTENT_TYPE } from './tabular-writer.ts';
import { namespaces } from './medbiq-schema.ts';
import { isCompoundFile, refuseUnreadFile } from './unread-formats.ts';

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

/** Content types of the workbooks the hub reads: Excel's, and a workbook with macros (.xlsm), whose macros are never run. */
export const WORKBOOK_CONTENT_TYPES = [XLSX_CONTENT_TYPE, 'application/vnd.ms-excel.sheet.macroEnabled.12'];
const workbookExtensions = ['.xlsx', '.xlsm'];

/**
 * Whether a file is an XLSX workbook: the bytes first (a workbook is a zip, which starts "PK"), then the
 * name and the content type. An old binary Excel file, or a workbook saved with a password, is taken for a
 * workbook: the workbook reader tells which from the whole file, and refuses it with what to do.
 */
export function isWorkbook({ fileName, contentType, head }: FileHints): boolean {
  if (startsAsWorkbook(head)) return true;
  if (fileName && workbookExtensions.includes(path.extname(fileName).toLowerCase())) return true;
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return WORKBOOK_CONTENT_TYPES.some((workbookType) => workbookType.toLowerCase() === type);
}

/** Bytes that start as a workbook's: a zip ("PK"), or an old Office file (an .xls, or a workbook saved with a password). */
export function startsAsWorkbook(head: Buffer): boolean {
  return isCompoundFile(head) || (head[0] === 0x50 && head[1] === 0x4b);
}

/**
 * Text that starts as an XML document, whatever the file is called: with an XML declaration (`<?xml`), or with an
 * element of the MedBiquitous Activity Report's namespace, as a learning system writes one without a declaration.
 */
export function startsAsXmlDocument(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<?xml') || (text.startsWith('<') && isMedbiqDocument(head));
}

/** An XML document naming the MedBiquitous Activity Report's namespace in its first bytes, as its root element does. */
export function isMedbiqDocument(head: Buffer): boolean {
  return head.toString('utf8').includes(namespaces.activityReport);
}

/**
 * A CSV or XLSX file, for what takes only those two: the format the sender names, else a workbook (`isWorkbook`),
 * else CSV. A file the hub does not read (`refuseUnreadFile`: compressed, a PDF, a picture, a web page, an Access
 * database) is refused first with what to send, whatever it is said to be.
 */
export function detectTabularFormat({ declared, ...hints }: FileHints & { declared?: TabularFormat }): TabularFormat {
  refuseUnreadFile(hints.head);
  if (declared) return declared;
  return isWorkbook(hints) ? 'xlsx' : 'csv';
}
