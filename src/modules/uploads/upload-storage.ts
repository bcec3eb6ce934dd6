import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import type { Readable, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteLimit } from '../../files/limits.ts';
import type { UploadFormat } from './uploads.tables.ts';

/**
 * Uploaded files are kept under the data directory while their job runs, so that a job interrupted by a
 * restart reads the same bytes again, and then some days as the sender's original, deleted with what the
 * receipt keeps of the rejected rows (upload-file-retention.ts).
 * Files are named by upload id, never by the name the sender gave.
 */
export function uploadsDirectory(dataDir: string): string {
  return path.join(dataDir, 'uploads');
}

export type ReceivedFile = {
  /** Where the bytes are while the upload is being recorded. */
  tempPath: string;
  sha256: string;
  bytes: number;
  /** The first bytes, to tell the format. */
  head: Buffer;
  /** Line breaks counted on the way: an upper bound on the rows of a CSV file. */
  lineBreaks: number;
};

const headBytes = 4096;

/** Hashes, counts and keeps the start of the bytes that pass through. */
class Fingerprint extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  lineBreaks = 0;
  private headParts: Buffer[] = [];
  private headLength = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) this.lineBreaks += 1;
    if (this.headLength < headBytes) {
      this.headParts.push(chunk.subarray(0, headBytes - this.headLength));
      this.headLength += Math.min(chunk.length, headBytes - this.headLength);
    }
    callback(null, chunk);
  }

  get head(): Buffer {
    return Buffer.concat(this.headParts);
  }
}

const incomingDirectory = (directory: string) => path.join(directory, 'incoming');
const partSuffix = '.part';

/** Streams a sent file to disk, never holding it in memory; fails past `maxBytes`. */
export async function receiveToDisk(source: Readable, directory: string, maxBytes: number): Promise<ReceivedFile> {
  const incoming = incomingDirectory(directory);
  await mkdir(incoming, { recursive: true });
  const tempPath = path.join(incoming, `${randomUUID()}${partSuffix}`);
  const fingerprint = new Fingerprint();
  const limit = new ByteLimit(maxBytes);
  // The sender's stream is piped, not put in the pipeline: a file past the limit must not destroy the
  // request, or the sender would get a broken connection instead of the answer saying why.
  source.on('error', (error) => limit.destroy(error));
  source.pipe(limit);
  try {
    await pipeline(limit, fingerprint, createWriteStream(tempPath));
  } catch (error) {
    source.unpipe(limit);
    source.resume();
    await rm(tempPath, { force: true });
    throw error;
  }
  return {
    tempPath,
    sha256: fingerprint.hash.digest('hex'),
    bytes: fingerprint.bytes,
    head: fingerprint.head,
    lineBreaks: fingerprint.lineBreaks,
  };
}

/** Moves a received file to its place for the upload; returns its path relative to the uploads directory. */
export async function keepFile(directory: string, tempPath: string, providerOrgId: string, uploadId: string, format: UploadFormat): Promise<string> {
  const relative = path.join(providerOrgId, `${uploadId}.${format}`);
  await mkdir(path.join(directory, providerOrgId), { recursive: true });
  await rename(tempPath, path.join(directory, relative));
  return relative;
}

export function storedFilePath(directory: string, relative: string): string {
  return path.join(directory, relative);
}

export async function discardFile(filePath: string): Promise<void> {
  await rm(filePath, { force: true });
}

/** The partial copies of files being received that were last written before `since`. */
export async function partFilesNotWrittenSince(directory: string, since: Date): Promise<string[]> {
  const incoming = incomingDirectory(directory);
  const names = await readdir(incoming).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const stale: string[] = [];
  for (const name of names.filter((each) => each.endsWith(partSuffix))) {
    const file = path.join(incoming, name);
    const written = await stat(file).catch(() => null);
    if (written && written.mtime < since) stale.push(file);
  }
  return stale;
}
