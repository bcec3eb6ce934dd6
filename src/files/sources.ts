import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ByteLimit, tooManyBytes } from './limits.ts';
import type { ProgressListener } from './limits.ts';

/** A readable stream of a file's bytes, or the path of a file on disk. */
export type FileSource = Readable | string;

/** The bytes of a source, failing with a limit error once past `maxBytes`. */
export async function openBytes(source: FileSource, maxBytes: number, onProgress?: ProgressListener): Promise<Readable> {
  if (typeof source === 'string') {
    const { size } = await stat(source);
    if (size > maxBytes) throw tooManyBytes(maxBytes);
    // Each chunk is parsed in one go, on PGlite on the thread that answers requests: 64 KB (about 900 CSV rows
    // or 75 MedBiquitous completions) keeps that to a few milliseconds.
    const file = createReadStream(source, { highWaterMark: 64 * 1024 });
    if (!onProgress) return file;
    const counted = new ByteLimit(Number.POSITIVE_INFINITY, onProgress);
    file.on('error', (error) => counted.destroy(error));
    return file.pipe(counted);
  }
  const counted = new ByteLimit(maxBytes, onProgress);
  source.on('error', (error) => counted.destroy(error));
  return source.pipe(counted);
}
