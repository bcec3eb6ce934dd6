import { AppError, UnsupportedMediaTypeError } from '../http/errors.ts';
import type { Problem } from '../http/errors.ts';
import { inWords } from '../words.ts';

/** The file cannot be read as what it claims to be; the message says what to do about it. */
export class UnreadableFileError extends AppError {
  constructor(message: string, problems?: Problem[]) {
    super(422, 'file_unreadable', message, { problems });
  }
}

export function notAnXlsxWorkbook(detail: string): UnreadableFileError {
  return new UnreadableFileError(
    `The file is not a valid XLSX workbook (${detail}). Save it from Excel as "Excel Workbook (.xlsx)".`,
  );
}

/**
 * A workbook that starts as one and lacks its end, where a zip lists its parts: a download, a copy or a save that
 * did not finish, or an attachment cut at a mail system's limit.
 */
export function cutShortWorkbook(): UnreadableFileError {
  return new UnreadableFileError(
    'The workbook is cut short: it starts as an XLSX workbook, but its end, where a workbook lists its parts, is missing (a download, copy or save that did not finish, or an attachment cut off). Save it again from Excel, or download it again, and send the whole file.',
  );
}

/** Part of the workbook cannot be unpacked or read: the file was damaged on its way, or written wrong. */
export function damagedWorkbook(): UnreadableFileError {
  return new UnreadableFileError(
    'The workbook is damaged: part of it cannot be read. Open it in Excel and save it again (Excel repairs what it can), or export it again from the program it came from, and send the saved file.',
  );
}

/**
 * A zip that holds no worksheet: an archive sent as it is, or a file of another program. Each is a format the
 * hub does not read (415, as an .xls or a PDF), said with how to get a file it does.
 */
export function notAWorkbookArchive(partNames: readonly string[]): UnsupportedMediaTypeError {
  if (partNames.includes('mimetype') && partNames.includes('content.xml')) return new UnsupportedMediaTypeError(openDocumentMessage);
  if (partNames.some((name) => name.startsWith('Index/') && name.endsWith('.iwa'))) return new UnsupportedMediaTypeError(numbersMessage);
  // An attendance list kept as a table in Word, say.
  if (partNames.includes('word/document.xml')) return new UnsupportedMediaTypeError(wordDocumentMessage);
  return new UnsupportedMediaTypeError(zipArchiveMessage);
}

export const openDocumentMessage =
  'This is an OpenDocument file (LibreOffice or OpenOffice: .ods, .odt), which the hub does not read. Save a spreadsheet as "Excel 2007-365 (.xlsx)" or as CSV; copy the table of a text document into the template.';
export const numbersMessage = 'This is an Apple Numbers file, which the hub does not read. In Numbers, choose File > Export To > Excel (or CSV), and send the exported file.';
export const wordDocumentMessage =
  'This is a Word document (.docx), not a spreadsheet, so the hub cannot read rows from it. Copy its table into the template, or into an Excel sheet laid out as the template, and send that as .xlsx or CSV.';
export const zipArchiveMessage = 'The file is a ZIP archive, not an Excel workbook. Unzip it and send the spreadsheet inside.';

/** Rows under the header on more than one sheet: reading one sheet would leave the others' rows out. */
export function rowsOnSeveralSheets(sheetNames: readonly string[]): AppError {
  const quoted = sheetNames.map((name) => `"${name}"`);
  return new AppError(
    422,
    'rows_on_several_sheets',
    `Rows are on ${sheetNames.length} sheets of this workbook, ${inWords(quoted)}, each under the header row; the hub reads one sheet per file. Send one sheet per file, or move the rows onto one sheet.`,
  );
}
