import path from 'node:path';
import { isWorkbook, WORKBOOK_CONTENT_TYPES } from '../../files/file-format.ts';
import { refuseUnreadFile } from '../../files/unread-formats.ts';
import type { UploadFormat } from './uploads.tables.ts';

/** Content types taken as the raw body of an upload; the file is streamed to disk as it comes. */
export const UPLOAD_BODY_TYPES = [
  'text/csv',
  'application/csv',
  'text/plain',
  'text/tab-separated-values',
  'application/vnd.ms-excel',
  ...WORKBOOK_CONTENT_TYPES,
  'application/xml',
  'text/xml',
  'application/octet-stream',
];

export type FormatHints = { declared?: UploadFormat; fileName: string | null; contentType: string | undefined; head: Buffer };

/**
 * What a file is: the format the sender names wins; then whether it is a workbook (its bytes, name or
 * content type); then the file name and the content type; then the bytes again (XML starts with "<").
 */
export function detectFormat({ declared, fileName, contentType, head }: FormatHints): UploadFormat {
  // A compressed file, a PDF, a picture, a web page or an Access database is none of them, whatever the sender names.
  refuseUnreadFile(head);
  if (declared) return declared;
  if (isWorkbook({ fileName, contentType, head })) return 'xlsx';
  const extension = fileName ? path.extname(fileName).toLowerCase() : '';
  if (extension === '.xml') return 'xml';
  if (extension === '.csv' || extension === '.txt' || extension === '.tsv') return 'csv';
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<') ? 'xml' : 'csv';
}
