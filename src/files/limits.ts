import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { PayloadTooLargeError } from '../http/errors.ts';

/** How much of a file the hub will read. Every reader enforces the limits that apply to its format. */
export type FileLimits = {
  /** Bytes of the file as sent. */
  maxBytes: number;
  /** Data rows (or reports, in XML), header not counted. */
  maxRows: number;
  /** XLSX: total bytes of the zip entries once inflated. */
  maxDecompressedBytes: number;
  /** XLSX: how many times larger than its compressed form one entry may be; zip bombs go far past this. */
  maxCompressionRatio: number;
  /** XLSX: unpacked bytes of the shared strings (xl/sharedStrings.xml), which are held in memory while the sheet is read. */
  maxSharedStringsBytes: number;
  /** One CSV record or one XML text value; stops an unclosed quote from swallowing the file. */
  maxRecordBytes: number;
};

export const defaultFileLimits: FileLimits = {
  maxBytes: 1024 * 1024 * 1024,
  maxRows: 2_000_000,
  maxDecompressedBytes: 4 * 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  // A million rows written by Excel carry about 50 MB of shared strings.
  maxSharedStringsBytes: 200 * 1024 * 1024,
  maxRecordBytes: 256 * 1024,
};

export function resolveLimits(limits: Partial<FileLimits> | undefined): FileLimits {
  return { ...defaultFileLimits, ...limits };
}

export type LimitKind = 'bytes' | 'rows' | 'decompressed_bytes' | 'compression_ratio' | 'shared_strings' | 'record_bytes';

/** A file went past one of its limits; the message says which and by how much. */
export class FileLimitError extends PayloadTooLargeError {
  readonly limit: LimitKind;

  constructor(limit: LimitKind, message: string) {
    super(message, `file_limit_${limit}`);
    this.limit = limit;
  }
}

export function tooManyBytes(maxBytes: number): FileLimitError {
  return new FileLimitError('bytes', `The file is larger than the limit of ${formatBytes(maxBytes)}. Split it into smaller files.`);
}

export function tooManyRows(maxRows: number): FileLimitError {
  return new FileLimitError(
    'rows',
    `The file has more than ${maxRows.toLocaleString('en-US')} rows, the most one upload may carry. Split it into smaller files.`,
  );
}

/** Called with the number of bytes of the file read so far, to show progress. */
export type ProgressListener = (bytesRead: number) => void;

/** Passes bytes through, telling `onProgress` how far it got, and fails the stream once more than `maxBytes` went by. */
export class ByteLimit extends Transform {
  readonly maxBytes: number;
  private readonly onProgress: ProgressListener | undefined;
  bytesSeen = 0;

  constructor(maxBytes: number, onProgress?: ProgressListener) {
    super();
    this.maxBytes = maxBytes;
    this.onProgress = onProgress;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytesSeen += chunk.length;
    if (this.bytesSeen > this.maxBytes) {
      callback(tooManyBytes(this.maxBytes));
      return;
    }
    this.onProgress?.(this.bytesSeen);
    callback(null, chunk);
  }
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
