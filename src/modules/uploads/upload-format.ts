import path from 'node:path';
import { XLSX_CONTENT_TYPE } from '../../files/tabular-writer.ts';
import { UnsupportedMediaTypeError } from '../../http/errors.ts';
import type { UploadFormat } from './uploads.tables.ts';

/** Content types taken as the raw body of an upload; the file is streamed to disk as it comes. */
export const UPLOAD_BODY_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/vnd.ms-excel',
  XLSX_CONTENT_TYPE,
  'application/xml',
  'text/xml',
  'application/octet-stream',
];

export type FormatHints = { declared?: UploadFormat; fileName: string | null; contentType: string | undefined; head: Buffer };

/**
 * What a file is: the format the sender names wins; then the bytes (an XLSX workbook is a zip, which
 * starts "PK"); then the file name and the content type; then the bytes again (XML starts with "<").
 */
export function detectFormat({ declared, fileName, contentType, head }: FormatHints): UploadFormat {
  if (declared) return declared;
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new UnsupportedMediaTypeError('This is an Excel 97-2003 workbook (.xls), which the hub does not read. Save it as .xlsx or as CSV.');
  }
  if (head[0] === 0x50 && head[1] === 0x4b) return 'xlsx';
  const extension = fileName ? path.extname(fileName).toLowerCase() : '';
  if (extension === '.xlsx') return 'xlsx';
  if (extension === '.xml') return 'xml';
  if (extension === '.csv' || extension === '.txt' || extension === '.tsv') return 'csv';
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  if (type === XLSX_CONTENT_TYPE) return 'xlsx';
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<') ? 'xml' : 'csv';
}
