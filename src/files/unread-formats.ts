import { UnsupportedMediaTypeError } from '../http/errors.ts';
import { numbersMessage, openDocumentMessage, wordDocumentMessage, zipArchiveMessage } from './file-errors.ts';

/** Files the hub does not read, told by their bytes, each refused with what to send instead. */

/** The kind of compressed file or archive a file is, told by its first bytes; null for any other (a zip is a workbook's own container). */
export function compressedKindOf(head: Buffer): string | null {
  const starts = (...bytes: number[]) => head.length >= bytes.length && bytes.every((byte, index) => head[index] === byte);
  if (starts(0x1f, 0x8b)) return 'gzip, .gz';
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return '7-Zip, .7z';
  if (starts(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07)) return 'RAR, .rar';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'xz, .xz';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'Zstandard, .zst';
  if (starts(0x42, 0x5a, 0x68) && head[3] >= 0x31 && head[3] <= 0x39 && head.subarray(4, 10).toString('latin1') === '1AY&SY') return 'bzip2, .bz2';
  return null;
}

export function compressedFileError(kind: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    `The file is compressed (${kind}), and the hub reads files only uncompressed. Extract it with your archive program and send the file inside.`,
  );
}

/** A PDF document: a printout of a list, not the list. */
function isPdf(head: Buffer): boolean {
  return head.subarray(0, 5).toString('latin1') === '%PDF-';
}

function pdfFileError(): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    'The file is a PDF document, which holds a printout rather than rows the hub can read. Send the list itself: a CSV file or an Excel workbook (.xlsx) laid out as the template, or a MedBiquitous XML file from your learning system.',
  );
}

/** The kind of picture a file is (a photo or scan of a sign-in sheet), told by its first bytes; null for any other file. */
function pictureKindOf(head: Buffer): string | null {
  const ascii = (from: number, to: number) => head.subarray(from, to).toString('latin1');
  if (head.length >= 8 && head.readUInt32BE(0) === 0x89504e47 && head.readUInt32BE(4) === 0x0d0a1a0a) return 'a PNG picture';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'a JPEG photo';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'a GIF picture';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'a TIFF picture, as scanners write';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'a WebP picture';
  // HEIC is what iPhones take photos in: an ISO media file whose brand names it.
  if (ascii(4, 8) === 'ftyp' && ['heic', 'heix', 'heif', 'mif1', 'msf1', 'hevc'].includes(ascii(8, 12))) return 'a HEIC photo, as iPhones take';
  return null;
}

function pictureFileError(kind: string): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    `The file is ${kind}: a photo or scan of a sign-in sheet holds no rows the hub can read. Type its learners into the template (Excel or CSV), one row per learner, and send that.`,
  );
}

/**
 * A web page (HTML): what many systems write when they "export to Excel", under an .xls name, and what a
 * browser saves of a page showing a list.
 */
function isWebPage(head: Buffer): boolean {
  const start = head.subarray(0, 1024).toString('latin1').replace(/^(\xef\xbb\xbf|\s)+/, '').toLowerCase();
  return /^<(!doctype html|html[\s>]|table[\s>]|head[\s>]|body[\s>]|meta[\s>])/.test(start);
}

function webPageFileError(): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    'The file is a web page (HTML), as some systems write when they "export to Excel", not a workbook or a CSV file. Open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV, then send that.',
  );
}

/**
 * An "XML Spreadsheet 2003" (SpreadsheetML): what older systems write when they export to Excel, under an .xls or
 * .xml name; never a MedBiquitous document.
 */
function isXmlSpreadsheet2003(head: Buffer): boolean {
  const start = head.subarray(0, 2048).toString('latin1');
  return /^(\xef\xbb\xbf|\s)*<\?xml/.test(start) && /progid\s*=\s*["']Excel\.Sheet["']|urn:schemas-microsoft-com:office:spreadsheet/.test(start);
}

function xmlSpreadsheet2003Error(): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    'The file is an Excel "XML Spreadsheet 2003", as older systems write when they export to Excel, which the hub does not read. Open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV, then send that.',
  );
}

/** A Microsoft Access database (.mdb, .accdb), where some offices keep their attendance. */
function isAccessDatabase(head: Buffer): boolean {
  const kind = head.subarray(4, 19).toString('latin1');
  return kind === 'Standard Jet DB' || kind === 'Standard ACE DB';
}

function accessDatabaseError(): UnsupportedMediaTypeError {
  return new UnsupportedMediaTypeError(
    'The file is a Microsoft Access database, not a list of rows. In Access, export the table or query of completions to Excel (External Data > Export > Excel) and send that workbook.',
  );
}

/**
 * Refuses, with what to send instead, a file whose first bytes say it is none of the files the hub reads, whatever
 * its name: a compressed file, a PDF, a picture, a web page, an XML Spreadsheet 2003, an Access database.
 */
export function refuseUnreadFile(head: Buffer): void {
  const compressed = compressedKindOf(head);
  if (compressed) throw compressedFileError(compressed);
  if (isPdf(head)) throw pdfFileError();
  const picture = pictureKindOf(head);
  if (picture) throw pictureFileError(picture);
  if (isWebPage(head)) throw webPageFileError();
  if (isXmlSpreadsheet2003(head)) throw xmlSpreadsheet2003Error();
  if (isAccessDatabase(head)) throw accessDatabaseError();
}

/**
 * What a file sent as the raw body under its own content type is, when that type is one of the files the hub does
 * not read (a script sending an .ods as application/vnd.oasis.opendocument.spreadsheet), with what to send instead,
 * as its bytes would be refused; null for any other type.
 */
export function unreadContentTypeMessage(contentType: string): string | null {
  const type = contentType.toLowerCase();
  if (type.startsWith('application/vnd.oasis.opendocument.')) return openDocumentMessage;
  if (type === 'application/vnd.apple.numbers') return numbersMessage;
  if (type === 'application/msword' || type === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') return wordDocumentMessage;
  if (type === 'application/zip' || type === 'application/x-zip-compressed') return zipArchiveMessage;
  if (type === 'application/pdf') return pdfFileError().message;
  if (type.startsWith('image/')) return pictureFileError('a picture').message;
  if (type === 'text/html') return webPageFileError().message;
  if (type === 'application/gzip' || type === 'application/x-gzip') return compressedFileError('gzip, .gz').message;
  return null;
}

/**
 * Refuses bytes of 8-bit text (or what claims to be) that are no text at all: control codes that no program writes
 * into text (all but tab, line feed, vertical tab, form feed, carriage return and DOS's end-of-file mark) are more
 * than one byte in a hundred. NULs are not counted: a stray one is dropped from text. The wrong file picked, most
 * likely.
 */
export function refuseBinaryData(head: Buffer): void {
  let controls = 0;
  for (const byte of head) {
    if (byte > 0 && byte < 0x20 && (byte < 0x09 || byte > 0x0d) && byte !== 0x1a) controls += 1;
  }
  if (controls > Math.max(8, head.length / 100)) {
    throw new UnsupportedMediaTypeError(
      'The file is not text, nor a workbook or any other file the hub reads: its first bytes are binary data. Check that you picked the right file, then send a CSV file or an Excel workbook (.xlsx) laid out as the template.',
    );
  }
}

/** An OLE compound file: an Excel 97-2003 workbook, or a workbook of any age saved with a password. */
export function isCompoundFile(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
}

/**
 * Why a compound file is refused. Excel saves a workbook with a password as a compound file holding
 * "EncryptionInfo" and "EncryptedPackage" streams, under its .xlsx name; without them it is an old .xls
 * (or another old Office file), whatever it is called.
 */
export async function compoundFileError(readAt: ReadAt): Promise<UnsupportedMediaTypeError> {
  const names = await directoryNames(readAt);
  if (names.includes('EncryptedPackage') || names.includes('EncryptionInfo')) {
    return new UnsupportedMediaTypeError(
      'This workbook is protected with a password, so the hub cannot read it. Open it in Excel, remove the password ' +
        '(File > Info > Protect Workbook > Encrypt with Password, then clear it), save it and send it again.',
    );
  }
  return new UnsupportedMediaTypeError(
    'This is an Excel 97-2003 workbook (.xls), which the hub does not read. Open it in Excel and save it as "Excel Workbook (.xlsx)" or as CSV.',
  );
}

/** Bytes of the file from a position; fewer at its end. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

/** Sector numbers from this one up mark the end of a chain, a free sector or a FAT sector: never data (MS-CFB). */
const firstSpecialSector = 0xfffffffa;
const directoryEntryBytes = 128;
/** A workbook's directory is a few dozen entries; a chain longer than this is damaged, or made to loop. */
const maxDirectorySectors = 64;
const maxDifatSectors = 4096;

/**
 * The names of the streams and storages in a compound file's directory, following the directory's chain of
 * sectors through the file allocation table (MS-CFB): the directory may lie anywhere in the file. A damaged
 * file gives the names read before the damage.
 */
async function directoryNames(readAt: ReadAt): Promise<string[]> {
  const header = await readAt(0, 512);
  if (header.length < 512) return [];
  const shift = header.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return [];
  const sectorSize = 1 << shift;
  const numbersPerSector = sectorSize / 4;
  const readSector = async (sector: number): Promise<Buffer | null> => {
    const bytes = await readAt((sector + 1) * sectorSize, sectorSize);
    return bytes.length === sectorSize ? bytes : null;
  };

  // Where the allocation table's sectors are: the first 109 in the header, the rest in a chain of DIFAT sectors.
  const fatSectors: number[] = [];
  for (let index = 0; index < 109; index++) fatSectors.push(header.readUInt32LE(0x4c + index * 4));
  let difatSector = header.readUInt32LE(0x44);
  let difatRead = 0;
  const fatSector = async (index: number): Promise<number | null> => {
    while (index >= fatSectors.length && difatSector < firstSpecialSector && difatRead < maxDifatSectors) {
      const difat = await readSector(difatSector);
      if (!difat) return null;
      difatRead += 1;
      for (let at = 0; at < sectorSize - 4; at += 4) fatSectors.push(difat.readUInt32LE(at));
      difatSector = difat.readUInt32LE(sectorSize - 4);
    }
    return index < fatSectors.length ? fatSectors[index] : null;
  };
  const nextSector = async (sector: number): Promise<number> => {
    const table = await fatSector(Math.floor(sector / numbersPerSector));
    if (table === null || table >= firstSpecialSector) return firstSpecialSector;
    const entry = await readAt((table + 1) * sectorSize + (sector % numbersPerSector) * 4, 4);
    return entry.length === 4 ? entry.readUInt32LE(0) : firstSpecialSector;
  };

  const names: string[] = [];
  let sector = header.readUInt32LE(0x30);
  for (let read = 0; read < maxDirectorySectors && sector < firstSpecialSector; read++) {
    const entries = await readSector(sector);
    if (!entries) break;
    for (let at = 0; at < sectorSize; at += directoryEntryBytes) {
      // The name's length in bytes, with its terminating NUL.
      const length = entries.readUInt16LE(at + 0x40);
      if (length >= 4 && length <= 64) names.push(entries.toString('utf16le', at, at + length - 2));
    }
    sector = await nextSector(sector);
  }
  return names;
}
