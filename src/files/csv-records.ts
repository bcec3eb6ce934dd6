import { open } from 'node:fs/promises';
import { Parser as CsvParser } from 'csv-parse';
import type { CsvError } from 'csv-parse';

export type CsvDelimiter = ',' | ';' | '\t';

export type CsvRecordOptions = {
  delimiter: CsvDelimiter;
  /** The first line is Excel's "sep=" line, not a record. */
  skipFirstLine: boolean;
  maxRecordBytes: number;
  /** The text has no quote and no line longer than maxRecordBytes (`isPlainCsvFile`): it is split here. */
  plain: boolean;
};

/** A record's values, or what made the parser skip a record it could not read. */
export type CsvRecord = string[] | { broken: CsvError | undefined };

/** csv-parse's parser core, which its stream class wraps: bytes in, records out, synchronously. */
type CsvParserCore = {
  parse(bytes: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): CsvError | undefined;
};

type LineEnd = '\r\n' | '\n' | '\r';

/**
 * The records of CSV text as csv-parse reads them with the hub's options: quotes
 * relaxed, any number of values, a record it cannot read skipped in its place. Text with no quote and
 * no line past the size limit (most files) can only be split at separators and line ends, and is split
 * here, in a fraction of csv-parse's time: lines end at the first kind of line end of the text (CR LF,
 * LF or CR), as csv-parse decides it, and a line is its values between separators. Records come in
 * batches, those of each chunk together.
 */
export async function* csvRecordBatches(chunks: AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  yield* options.plain ? plainRecordBatches(chunks, options) : parsedRecordBatches(chunks, options);
}

/** csv-parse takes each chunk of text as its UTF-8 bytes, as its stream would: where chunks end matters to it after a record past the size limit. */
async function* parsedRecordBatches(chunks: AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  let batch: CsvRecord[] = [];
  const parser = (
    new CsvParser({
      delimiter: options.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_records_with_error: true,
      max_record_size: options.maxRecordBytes,
      from_line: options.skipFirstLine ? 2 : 1,
      on_skip: (error: CsvError | undefined) => {
        batch.push({ broken: error });
        return undefined;
      },
    }) as unknown as { api: CsvParserCore }
  ).api;
  const push = (cells: string[]) => batch.push(cells);
  const parse = (bytes: Buffer | undefined, end: boolean) => {
    const error = parser.parse(bytes, end, push, () => undefined);
    if (error) throw error;
  };
  for await (const chunk of chunks) {
    parse(Buffer.from(chunk, 'utf8'), false);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  parse(undefined, true);
  if (batch.length > 0) yield batch;
}

async function* plainRecordBatches(chunks: AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  let lineEnd: LineEnd | null = null;
  let skipLine = options.skipFirstLine;
  /** Text not split yet, from the start of a line. */
  let rest = '';
  let batch: CsvRecord[] = [];
  const take = (line: string) => {
    if (skipLine) skipLine = false;
    else batch.push(line.split(options.delimiter));
  };
  // Small batches: rows handed on soon are garbage soon, and the heap stays small.
  const split = function* (end: boolean): Generator<CsvRecord[]> {
    lineEnd ??= firstLineEnd(rest, end);
    if (lineEnd !== null) {
      let start = 0;
      for (let next = rest.indexOf(lineEnd); next !== -1; next = rest.indexOf(lineEnd, start)) {
        take(rest.slice(start, next));
        start = next + lineEnd.length;
        if (batch.length === plainBatchRows) {
          yield batch;
          batch = [];
        }
      }
      rest = rest.slice(start);
    }
    // csv-parse ends with the last line when it has anything in it.
    if (end && rest !== '') take(rest);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  };
  for await (const chunk of chunks) {
    rest += chunk;
    yield* split(false);
  }
  yield* split(true);
}

const plainBatchRows = 256;

/** The line end csv-parse picks: the first CR LF, LF or CR of the text; null while it cannot tell yet. */
function firstLineEnd(text: string, end: boolean): LineEnd | null {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) return '\n';
    if (code === 13) {
      if (index + 1 < text.length) return text.charCodeAt(index + 1) === 10 ? '\r\n' : '\r';
      return end ? '\r' : null;
    }
  }
  return null;
}

const scanBytes = 1024 * 1024;

/**
 * Whether a UTF-8 CSV file on disk can only be split at separators and line ends: it has no quote, its
 * lines all end the same way (CR LF, LF or CR), and none has more than `maxRecordBytes` bytes. Reads
 * the file once, without keeping it.
 */
export async function isPlainCsvFile(filePath: string, maxRecordBytes: number): Promise<boolean> {
  const file = await open(filePath, 'r');
  try {
    const buffer = Buffer.alloc(scanBytes);
    // 0 until the first line end, then 1 for CR LF, 2 for LF, 3 for CR.
    let kind = 0;
    let afterCarriageReturn = false;
    let lineBytes = 0;
    let position = 0;
    for (let read = await file.read(buffer, 0, scanBytes, 0); read.bytesRead > 0; read = await file.read(buffer, 0, scanBytes, position)) {
      const bytes = buffer.subarray(0, read.bytesRead);
      if (position === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) lineBytes = -3;
      position += read.bytesRead;
      if (bytes.includes(0x22)) return false;
      for (let index = 0; index < bytes.length; index++) {
        const byte = bytes[index];
        if (afterCarriageReturn) {
          afterCarriageReturn = false;
          if (byte === 10) {
            if (kind === 0) kind = 1;
            if (kind !== 1) return false;
            continue;
          }
          if (kind === 0) kind = 3;
          if (kind !== 3) return false;
        }
        if (byte === 13) {
          if (kind === 2) return false;
          afterCarriageReturn = true;
          lineBytes = 0;
        } else if (byte === 10) {
          if (kind === 0) kind = 2;
          if (kind !== 2) return false;
          lineBytes = 0;
        } else if (++lineBytes > maxRecordBytes) {
          return false;
        }
      }
    }
    // A CR at the very end of a CR LF file would be a value's last character.
    return !(afterCarriageReturn && kind === 1);
  } finally {
    await file.close();
  }
}
