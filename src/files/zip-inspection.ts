import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { pipeline, Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import { AppError } from '../http/errors.ts';
import { cutShortWorkbook, damagedWorkbook, notAnXlsxWorkbook, UnreadableFileError } from './file-errors.ts';
import { ByteLimit, FileLimitError, formatBytes } from './limits.ts';
import type { FileLimits, ProgressListener } from './limits.ts';
import { compoundFileError, compressedFileError, compressedKindOf, isCompoundFile } from './unread-formats.ts';

/**
 * Zip bomb defence for XLSX, run before the workbook reader sees the file. The central directory's
 * declared sizes and ratios are held to the limits, without unpacking anything. The sizes a zip declares
 * can lie, so every entry read is held to its declared size: a lie stops the read there.
 */

type DirectoryEntry = {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
};

const endOfCentralDirectorySignature = 0x06054b50;
const centralDirectorySignature = 0x02014b50;
const localHeaderSignature = 0x04034b50;
const zip64Marker = 0xffffffff;
/** Small entries (styles, relationships) can have any ratio; a bomb needs size to do harm. */
const ratioCheckedFromBytes = 1024 * 1024;

/** An entry `checkZipDirectory` passed, with where its data starts (after its local header). */
export type ZipEntry = DirectoryEntry & { dataOffset: number };

/** The workbook part holding the text of every text cell, which a reader keeps in memory (xl/sharedStrings.xml from Excel; others name it in other cases). */
const sharedStringsPart = /(?:^|\/)sharedStrings\.xml$/i;

type ZipLimits = Pick<FileLimits, 'maxDecompressedBytes' | 'maxCompressionRatio' | 'maxSharedStringsBytes'>;

/**
 * Checks the sizes and ratios the central directory declares, and where each entry's data starts,
 * without unpacking anything; the entries come in the order of their data in the file.
 */
export async function checkZipDirectory(path: string, limits: ZipLimits): Promise<ZipEntry[]> {
  const file = await open(path, 'r');
  try {
    const entries = await readCentralDirectory(file);
    let declared = 0;
    for (const entry of entries) {
      checkEntry(entry.name, entry.uncompressedSize, entry.compressedSize, limits);
      // Every entry is held to its declared size when read, so the declared size bounds the table.
      if (sharedStringsPart.test(entry.name) && entry.uncompressedSize > limits.maxSharedStringsBytes) {
        throw sharedStringsTooLarge(entry.uncompressedSize, limits.maxSharedStringsBytes);
      }
      declared += entry.uncompressedSize;
      if (declared > limits.maxDecompressedBytes) throw decompressedTooLarge(limits.maxDecompressedBytes);
    }
    const located: ZipEntry[] = [];
    for (const entry of entries) located.push({ ...entry, dataOffset: await dataOffsetOf(file, entry) });
    return located.sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  } finally {
    await file.close();
  }
}

function checkEntry(name: string, uncompressed: number, compressed: number, limits: Pick<FileLimits, 'maxCompressionRatio'>): void {
  if (uncompressed > ratioCheckedFromBytes && uncompressed > compressed * limits.maxCompressionRatio) {
    throw new FileLimitError(
      'compression_ratio',
      `The workbook part "${name}" expands more than ${limits.maxCompressionRatio} times when unpacked, which real spreadsheets do not do. The file is refused.`,
    );
  }
}

function sharedStringsTooLarge(size: number, max: number): FileLimitError {
  return new FileLimitError(
    'shared_strings',
    `The text in this workbook takes ${formatBytes(size)} once unpacked, more than the ${formatBytes(max)} the hub holds while reading a sheet. Split the sheet into smaller files, or save it as CSV.`,
  );
}

function decompressedTooLarge(max: number): FileLimitError {
  return new FileLimitError(
    'decompressed_bytes',
    `The workbook unpacks to more than ${formatBytes(max)}. Split it into smaller files.`,
  );
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

async function readCentralDirectory(file: FileHandle): Promise<DirectoryEntry[]> {
  const { size } = await file.stat();
  // The end record is 22 bytes plus a comment of at most 65535 bytes.
  const tailLength = Math.min(size, 22 + 65535);
  const tail = await readAt(file, size - tailLength, tailLength);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === endOfCentralDirectorySignature) {
      end = i;
      break;
    }
  }
  if (end < 0) throw await notAZipError(file);
  const entryCount = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (entryCount === 0xffff || directorySize === zip64Marker || directoryOffset === zip64Marker) {
    throw decompressedTooLargeForZip64();
  }
  // Bytes lost or added on the file's way: its parts are not where its directory says.
  if (directoryOffset + directorySize > size) throw damagedWorkbook();
  const directory = await readAt(file, directoryOffset, directorySize);
  const entries: DirectoryEntry[] = [];
  let offset = 0;
  for (let i = 0; i < entryCount; i++) {
    if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== centralDirectorySignature) {
      throw damagedWorkbook();
    }
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    const entry: DirectoryEntry = {
      method: directory.readUInt16LE(offset + 10),
      compressedSize: directory.readUInt32LE(offset + 20),
      uncompressedSize: directory.readUInt32LE(offset + 24),
      localHeaderOffset: directory.readUInt32LE(offset + 42),
      name: directory.toString('utf8', offset + 46, offset + 46 + nameLength),
    };
    if (entry.compressedSize === zip64Marker || entry.uncompressedSize === zip64Marker || entry.localHeaderOffset === zip64Marker) {
      throw decompressedTooLargeForZip64();
    }
    entries.push(entry);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** A file without a zip directory: what its first bytes say it is, for what to send instead. */
async function notAZipError(file: FileHandle): Promise<AppError> {
  const head = await readAt(file, 0, 512);
  const compressed = compressedKindOf(head);
  if (compressed) return compressedFileError(compressed);
  if (isCompoundFile(head)) return compoundFileError((position, length) => readAt(file, position, length));
  if (head.length >= 4 && head.readUInt32LE(0) === localHeaderSignature) return cutShortWorkbook();
  // A CSV file renamed .xlsx, or a table a website saved under Excel's name: text, which a workbook never is.
  if (/^(?:\uFEFF)?[\t\r\n\x20-\x7e\u00a0-\ufffc]*$/.test(head.toString('utf8').replace(/\uFFFD$/, ''))) {
    return new UnreadableFileError(
      'The file is text, not an XLSX workbook, though its name or type says one. If it is a CSV file, name it .csv (or send it as text/csv) and send it again; otherwise open it in Excel and save it as "Excel Workbook (.xlsx)".',
    );
  }
  return notAnXlsxWorkbook('it is not a zip archive, as every workbook is');
}

/** Zip64 is only needed past 4 GB, beyond any upload the hub takes. */
function decompressedTooLargeForZip64(): FileLimitError {
  return new FileLimitError('decompressed_bytes', 'The workbook is a zip64 archive, used only for files past 4 GB. Split it into smaller files.');
}

/** Where an entry's data starts, from its local header; refuses a damaged header or a compression the hub does not unpack. */
async function dataOffsetOf(file: FileHandle, entry: DirectoryEntry): Promise<number> {
  const header = await readAt(file, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== localHeaderSignature) {
    throw damagedWorkbook();
  }
  if (entry.method !== 0 && entry.method !== 8) throw notAnXlsxWorkbook(`a zip entry uses compression method ${entry.method}`);
  return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

function largerThanDeclared(entry: DirectoryEntry): AppError {
  return notAnXlsxWorkbook(`the entry "${entry.name}" is larger than the zip says`);
}

/** Fails the read of an entry once it unpacks to more than the directory declared. */
function heldToDeclaredSize(entry: DirectoryEntry): Transform {
  let produced = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      produced += chunk.length;
      callback(produced > entry.uncompressedSize ? largerThanDeclared(entry) : null, chunk);
    },
  });
}

/** Inflated in pieces of this size: zlib's default of 16 KB meant a round trip to its thread for every 16 KB of a sheet of hundreds of megabytes. */
const inflatedChunkBytes = 256 * 1024;

/**
 * The unpacked bytes of one entry of a zip that `checkZipDirectory` passed, read straight from where the entry
 * lies in the file. `onRead` is told how many bytes of the file were read for the entry so far.
 */
export function openZipEntry(path: string, entry: ZipEntry, onRead?: ProgressListener): Readable {
  if (entry.compressedSize === 0) return Readable.from([]);
  const { dataOffset } = entry;
  const stages: (Readable | Transform)[] = [createReadStream(path, { start: dataOffset, end: dataOffset + entry.compressedSize - 1, highWaterMark: 256 * 1024 })];
  // zlib streams take the stream options too: a few pieces unpacked ahead while the last one is parsed.
  if (entry.method === 8) {
    stages.push(createInflateRaw({ chunkSize: inflatedChunkBytes, highWaterMark: 4 * inflatedChunkBytes } as ZlibOptions), heldToDeclaredSize(entry));
  }
  // How far the reader has got, told in the file's bytes from what has been unpacked and handed on: the file is
  // read a megabyte or more ahead of the unpacking, which for a sheet of 20,000 rows is most of it.
  if (onRead) {
    const fileBytesPerByte = entry.uncompressedSize > 0 ? entry.compressedSize / entry.uncompressedSize : 1;
    stages.push(new ByteLimit(Number.POSITIVE_INFINITY, (bytes) => onRead(Math.round(bytes * fileBytesPerByte))));
  }
  if (stages.length === 1) return stages[0];
  // One pipeline: stopping the last stage early releases the file too.
  return pipeline(stages, () => undefined) as unknown as Readable;
}
