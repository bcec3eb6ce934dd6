import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { pipeline, Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import { AppError } from '../http/errors.ts';
import { notAnXlsxWorkbook } from './file-errors.ts';
import { ByteLimit, FileLimitError, formatBytes } from './limits.ts';
import type { FileLimits, ProgressListener } from './limits.ts';

/**
 * Zip bomb defence for XLSX, run before the workbook reader sees the file. The central directory's
 * sizes are checked first (cheap). The sizes a zip declares can lie, and the streaming reader trusts
 * the compressed data: so before a whole workbook is read, every entry is inflated once with its output
 * counted; and every entry read is held to its declared size.
 */

type ZipEntry = {
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

/** An entry `inspectZip` passed, with where its data starts (after its local header). */
export type InspectedZipEntry = ZipEntry & { dataOffset: number };

export type ZipInspection = {
  /** The entries the central directory lists, in the order of their data in the file. */
  entries: InspectedZipEntry[];
  /**
   * Rows in all worksheets together, counted on the way: the workbook reader may unpack a sheet before
   * it reads a row of it, so progress is told by rows read out of this, not by bytes.
   */
  worksheetRows?: number;
};

const worksheetEntry = /^xl\/worksheets\/sheet\d+\.xml$/;

/** The workbook part holding the text of every text cell, which a reader keeps in memory. */
export const sharedStringsPart = 'xl/sharedStrings.xml';

type ZipLimits = Pick<FileLimits, 'maxDecompressedBytes' | 'maxCompressionRatio' | 'maxSharedStringsBytes'>;

/** Checks the directory, then unpacks every entry once, counting what it gives and the sheets' rows. */
export async function inspectZip(path: string, limits: ZipLimits): Promise<ZipInspection> {
  const entries = await checkZipDirectory(path, limits);
  let inflated = 0;
  let worksheetRows = 0;
  for (const entry of entries) {
    const measured = await measureEntry(path, entry, limits, limits.maxDecompressedBytes - inflated, worksheetEntry.test(entry.name));
    inflated += measured.bytes;
    worksheetRows += measured.rows;
  }
  return { entries, worksheetRows };
}

/**
 * Checks the sizes and ratios the central directory declares, and where each entry's data starts,
 * without unpacking anything. Enough for reading only the first rows: `openZipEntry` holds each
 * entry to its declared size as it is read, so a lie stops the read there.
 */
export async function checkZipDirectory(path: string, limits: ZipLimits): Promise<InspectedZipEntry[]> {
  const file = await open(path, 'r');
  try {
    const entries = await readCentralDirectory(file);
    let declared = 0;
    for (const entry of entries) {
      checkEntry(entry.name, entry.uncompressedSize, entry.compressedSize, limits);
      // Every entry is held to its declared size when read, so the declared size bounds the table.
      if (entry.name === sharedStringsPart && entry.uncompressedSize > limits.maxSharedStringsBytes) {
        throw sharedStringsTooLarge(entry.uncompressedSize, limits.maxSharedStringsBytes);
      }
      declared += entry.uncompressedSize;
      if (declared > limits.maxDecompressedBytes) throw decompressedTooLarge(limits.maxDecompressedBytes);
    }
    const located: InspectedZipEntry[] = [];
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

async function readCentralDirectory(file: FileHandle): Promise<ZipEntry[]> {
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
  if (end < 0) throw notAnXlsxWorkbook('no zip directory found');
  const entryCount = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (entryCount === 0xffff || directorySize === zip64Marker || directoryOffset === zip64Marker) {
    throw decompressedTooLargeForZip64();
  }
  if (directoryOffset + directorySize > size) throw notAnXlsxWorkbook('the zip directory points outside the file');
  const directory = await readAt(file, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let offset = 0;
  for (let i = 0; i < entryCount; i++) {
    if (offset + 46 > directory.length || directory.readUInt32LE(offset) !== centralDirectorySignature) {
      throw notAnXlsxWorkbook('the zip directory is damaged');
    }
    const nameLength = directory.readUInt16LE(offset + 28);
    const extraLength = directory.readUInt16LE(offset + 30);
    const commentLength = directory.readUInt16LE(offset + 32);
    const entry: ZipEntry = {
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

/** Zip64 is only needed past 4 GB, beyond any upload the hub takes. */
function decompressedTooLargeForZip64(): FileLimitError {
  return new FileLimitError('decompressed_bytes', 'The workbook is a zip64 archive, used only for files past 4 GB. Split it into smaller files.');
}

/** Where an entry's data starts, from its local header; refuses a damaged header or a compression the hub does not unpack. */
async function dataOffsetOf(file: FileHandle, entry: ZipEntry): Promise<number> {
  const header = await readAt(file, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== localHeaderSignature) {
    throw notAnXlsxWorkbook('a zip entry is damaged');
  }
  if (entry.method !== 0 && entry.method !== 8) throw notAnXlsxWorkbook(`a zip entry uses compression method ${entry.method}`);
  return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/** Inflates one entry, counting its output; stops as soon as it passes what is allowed. */
async function measureEntry(
  path: string,
  entry: InspectedZipEntry,
  limits: Pick<FileLimits, 'maxDecompressedBytes' | 'maxCompressionRatio'>,
  remaining: number,
  countRows: boolean,
): Promise<{ bytes: number; rows: number }> {
  if (entry.method === 0) {
    if (entry.compressedSize > remaining) throw decompressedTooLarge(limits.maxDecompressedBytes);
    return { bytes: entry.compressedSize, rows: 0 };
  }
  const { dataOffset } = entry;
  const allowed = Math.min(remaining, Math.max(entry.uncompressedSize, 0));
  const ratioAllowed = Math.max(ratioCheckedFromBytes, entry.compressedSize * limits.maxCompressionRatio);
  const source = createReadStream(path, { start: dataOffset, end: dataOffset + Math.max(entry.compressedSize, 1) - 1 });
  const inflate = createInflateRaw({ chunkSize: inflatedChunkBytes });
  let produced = 0;
  let rows = 0;
  // A "<row " cut in two by a chunk boundary is found in the carried-over tail.
  let tail: Buffer = Buffer.alloc(0);
  try {
    source.pipe(inflate);
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      produced += chunk.length;
      if (countRows) {
        const text = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
        for (let at = text.indexOf(rowTag); at !== -1; at = text.indexOf(rowTag, at + rowTag.length)) rows += 1;
        tail = text.subarray(Math.max(0, text.length - rowTag.length + 1));
      }
      if (produced > ratioAllowed) {
        checkEntry(entry.name, produced, entry.compressedSize, limits);
      }
      if (produced > remaining) throw decompressedTooLarge(limits.maxDecompressedBytes);
      if (produced > allowed) throw largerThanDeclared(entry);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw notAnXlsxWorkbook(`the entry "${entry.name}" cannot be unpacked`);
  } finally {
    source.unpipe(inflate);
    source.destroy();
    inflate.destroy();
  }
  return { bytes: produced, rows };
}

function largerThanDeclared(entry: ZipEntry): AppError {
  return notAnXlsxWorkbook(`the entry "${entry.name}" is larger than the zip says`);
}

/** Fails the read of an entry once it unpacks to more than the directory declared. */
function heldToDeclaredSize(entry: ZipEntry): Transform {
  let produced = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      produced += chunk.length;
      callback(produced > entry.uncompressedSize ? largerThanDeclared(entry) : null, chunk);
    },
  });
}

const rowTag = Buffer.from('<row ');
/** Inflated in pieces of this size: zlib's default of 16 KB meant a round trip to its thread for every 16 KB of a sheet of hundreds of megabytes. */
const inflatedChunkBytes = 256 * 1024;

/**
 * The unpacked bytes of one entry of a zip that `inspectZip` passed, read straight from where the entry
 * lies in the file. `onRead` is told how many bytes of the file were read for the entry so far.
 */
export function openZipEntry(path: string, entry: InspectedZipEntry, onRead?: ProgressListener): Readable {
  if (entry.compressedSize === 0) return Readable.from([]);
  const { dataOffset } = entry;
  const stages: (Readable | Transform)[] = [createReadStream(path, { start: dataOffset, end: dataOffset + entry.compressedSize - 1, highWaterMark: 256 * 1024 })];
  if (onRead) stages.push(new ByteLimit(Number.POSITIVE_INFINITY, onRead));
  // zlib streams take the stream options too: a few pieces unpacked ahead while the last one is parsed.
  if (entry.method === 8) {
    stages.push(createInflateRaw({ chunkSize: inflatedChunkBytes, highWaterMark: 4 * inflatedChunkBytes } as ZlibOptions), heldToDeclaredSize(entry));
  }
  if (stages.length === 1) return stages[0];
  // One pipeline: stopping the last stage early releases the file too.
  return pipeline(stages, () => undefined) as unknown as Readable;
}
