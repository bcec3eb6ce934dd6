import path from 'node:path';
import { isMedbiqDocument, isWorkbook, startsAsWorkbook, startsAsXmlDocument, WORKBOOK_CONTENT_TYPES } from '../../files/file-format.ts';
import { resolveLimits } from '../../files/limits.ts';
import type { FileLimits } from '../../files/limits.ts';
import { refuseUnreadFile } from '../../files/unread-formats.ts';
import { workbookEntries } from '../../files/xlsx-reading.ts';
import { AppError } from '../../http/errors.ts';
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
 * What a file is: the format the sender names wins (`refuseFormatNotOfContent` refuses one its bytes deny); then
 * what its bytes say (a workbook, an XML document), whatever its name; then the file name and the content type
 * (a workbook's among them); then the bytes again (XML starts with "<").
 */
export function detectFormat({ declared, fileName, contentType, head }: FormatHints): UploadFormat {
  // A compressed file, a PDF, a picture, a web page or an Access database is none of them, whatever the sender names.
  refuseUnreadFile(head);
  if (declared) return declared;
  const byContent = formatOfContent(head);
  if (byContent) return byContent;
  if (isWorkbook({ fileName, contentType, head })) return 'xlsx';
  const extension = fileName ? path.extname(fileName).toLowerCase() : '';
  if (extension === '.xml') return 'xml';
  if (extension === '.csv' || extension === '.txt' || extension === '.tsv') return 'csv';
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<') ? 'xml' : 'csv';
}

/** The format a file's first bytes say it is, whatever its name: a workbook, or an XML document; null for text. */
function formatOfContent(head: Buffer): UploadFormat | null {
  if (startsAsWorkbook(head)) return 'xlsx';
  return startsAsXmlDocument(head) ? 'xml' : null;
}

/**
 * Refuses a file sent with a format its bytes say it is not (a workbook or a MedBiquitous document with
 * format=csv, as the Uploads page sends a file named .csv), saying what it is: read as the format named, it would
 * be refused for what that reader makes of it ("binary data", "no header row"), which does not say the mistake. A
 * zip or an old Office file that is no workbook the hub reads (an .xls, a workbook with a password, a Word
 * document) is refused for what it is, as it is when sent without a format.
 */
export async function refuseFormatNotOfContent({ declared, fileName, head }: FormatHints, filePath: string, limits: Partial<FileLimits>): Promise<void> {
  const byContent = formatOfContent(head);
  if (!declared || !byContent || byContent === declared) return;
  if (byContent === 'xlsx') await workbookEntries(filePath, resolveLimits(limits));
  const is = byContent === 'xlsx' ? 'an Excel workbook (XLSX)' : isMedbiqDocument(head) ? 'a MedBiquitous XML document' : 'an XML document';
  const namedOtherwise = fileName !== null && path.extname(fileName).toLowerCase() !== `.${byContent}`;
  const named = namedOtherwise ? ` On the Uploads page, which tells a file's format by its name, name it ${path.parse(fileName).name}.${byContent}.` : '';
  const message =
    `${fileName ?? 'The file'} is ${is}, not ${formatWords[declared]}: send it with format=${byContent} (--format ${byContent} on the command line), ` +
    `or leave the format out and the hub tells it by its content.${named}`;
  throw new AppError(422, 'format_not_of_file', message, { problems: [{ code: 'format_not_of_file', field: 'format', message }] });
}

const formatWords: Record<UploadFormat, string> = { csv: 'a CSV file', xlsx: 'an Excel workbook', xml: 'an XML document' };
