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
 * Whether a file is an XLSX workbook: the bytes first (a workbook is a zip, which starts "PK"), then the
 * name and the content type. An old binary Excel file is refused with what to do.
 */
export function isWorkbook({ fileName, contentType, head }: FileHints): boolean {
  if (isCompoundFile(head)) {
    if (isEncryptedWorkbook(fileName, head)) {
      throw new UnsupportedMediaTypeError(
        'This workbook is protected with a password, so the hub cannot read it. Open it in Excel, remove the password ' +
          '(File > Info > Protect Workbook > Encrypt with Password, then clear it), save it and send it again.',
      );
    }
    throw new UnsupportedMediaTypeError('This is an Excel 97-2003 workbook (.xls), which the hub does not read. Save it as .xlsx or as CSV.');
  }
  if (head[0] === 0x50 && head[1] === 0x4b) return true;
  if (fileName && path.extname(fileName).toLowerCase() === '.xlsx') return true;
  return contentType?.split(';')[0].trim().toLowerCase() === XLSX_CONTENT_TYPE;
}

/** An OLE compound file: an Excel 97-2003 workbook, or a workbook of any age encrypted with a password. */
function isCompoundFile(head: Buffer): boolean {
  return head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
}

const encryptedPackageStream = Buffer.from('EncryptedPackage', 'utf16le');

/**
 * Excel saves a workbook with a password as a compound file holding an "EncryptedPackage" stream, under
 * its .xlsx name: a name that says .xlsx, or that stream in the first bytes, tells it from an .xls file.
 */
function isEncryptedWorkbook(fileName: string | null, head: Buffer): boolean {
  const extension = fileName ? path.extname(fileName).toLowerCase() : '';
  return extension === '.xlsx' || extension === '.xlsm' || head.includes(encryptedPackageStream);
}

/** A CSV or XLSX file, for what takes only those two: any text is read as CSV. */
export function detectTabularFormat(hints: FileHints): TabularFormat {
  return isWorkbook(hints) ? 'xlsx' : 'csv';
}
