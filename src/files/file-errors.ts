import { AppError } from '../http/errors.ts';
import type { Problem } from '../http/errors.ts';

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
