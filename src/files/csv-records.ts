import { open } from 'node:fs/promises';
import { CsvError, Parser as CsvParser } from 'csv-parse';

export type CsvDelimiter = ',' | ';' | '\t';

export type CsvRecordOptions = {
  delimiter: CsvDelimiter;
  /** The first line is Excel's "sep=" line, not a record. */
  skipFirstLine: boolean;
  /** The most characters the values of one record may have together. */
  maxRecordBytes: number;
  /** The text has no quote and no line longer than maxRecordBytes (`isPlainCsvFile`): only its line ends and separators split it. */
  plain: boolean;
};

/**
 * A record that is not handed on: its values are longer than the limit together (`too_long`), a quote is
 * still open at the end of the text (`quote_not_closed`), or it runs on past `recordReadLimit` without
 * ending (`past_read_limit`), and is the last record read. `spansLines` when a line end in it is followed
 * by more of it: the lines after it in the file may be in it, rather than rows of their own.
 */
export type BrokenRecord = { broken: 'too_long' | 'quote_not_closed' | 'past_read_limit'; spansLines: boolean };

/** A record's values, or a record that could not be read, in its place. */
export type CsvRecord = string[] | BrokenRecord;

type LineEnd = '\r\n' | '\n' | '\r';

/**
 * The most bytes of one record that are read before the reading stops: several times the row limit, so that
 * a row somewhat past it is read to its end and rejected alone, while a quote never closed cannot make the
 * reader hold the rest of the file.
 */
export function recordReadLimit(maxRecordBytes: number): number {
  return Math.max(4 * maxRecordBytes, 1024 * 1024);
}

/**
 * The records of CSV text as csv-parse reads them with the hub's options (quotes relaxed, any number of
 * values). A record whose values are longer than the limit together is handed on broken, and the records
 * after it are read as usual; so is a record that a quote left open at the end of the text. One that runs
 * past `recordReadLimit` is handed on broken after the records before it, and is the last. Text with no
 * quote and no line past the size limit (most files) can only be split at separators and line ends, and is
 * split here, faster: its lines all end the same way (CR LF, LF or CR), and a line is its values between
 * separators. Records come in batches, those of each chunk together.
 */
export async function* csvRecordBatches(chunks: AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  yield* options.plain ? plainRecordBatches(chunks, options) : parsedRecordBatches(chunks, options);
}

async function* parsedRecordBatches(chunks: AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  const readLimit = recordReadLimit(options.maxRecordBytes);
  const reading = new RecordBeingRead();
  let skipRecord = options.skipFirstLine;
  let batch: CsvRecord[] = [];
  const parser = new CsvParser({
    delimiter: options.delimiter,
    // Every kind of line end, wherever it is: a file pasted together from two programs may start with CR LF
    // and go on with LF, which csv-parse would otherwise read as one long row after its first line.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: readLimit,
    // Records are taken as they are read rather than from the stream, which drops those it holds when it
    // fails: the records before one past the read limit are handed on too.
    on_record: (values: string[], { bytes }) => {
      reading.startsAt(bytes);
      if (skipRecord) skipRecord = false;
      else batch.push(valuesLength(values) > options.maxRecordBytes ? { broken: 'too_long', spansLines: spansLines(values.join('')) } : values);
      return null;
    },
  });
  // Each write is told of its error.
  parser.on('error', () => undefined);
  let error: Error | undefined;
  try {
    for await (const chunk of chunks) {
      const bytes = Buffer.from(chunk, 'utf8');
      reading.add(bytes);
      error = await parsed(parser, bytes);
      if (error) break;
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      reading.dropRecordsRead();
    }
    error ??= await parsed(parser, null);
    if (error) batch.push(brokenRecord(error, reading, readLimit));
    if (batch.length > 0) yield batch;
  } finally {
    parser.destroy();
  }
}

/** Hands the bytes to the parser (null: the text ends) and waits until it has read them; gives what stopped it. */
function parsed(parser: CsvParser, bytes: Buffer | null): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const done = (error?: Error | null) => resolve(error ?? undefined);
    if (bytes) parser.write(bytes, done);
    else parser.end(done);
  });
}

/** The record the parser stopped at; any other error is not one of the text. */
function brokenRecord(error: Error, reading: RecordBeingRead, readLimit: number): BrokenRecord {
  if (!(error instanceof CsvError)) throw error;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return { broken: 'quote_not_closed', spansLines: reading.spansLines(readLimit) };
  if (error.code === 'CSV_MAX_RECORD_SIZE') return { broken: 'past_read_limit', spansLines: reading.spansLines(readLimit) };
  throw error;
}

function valuesLength(values: string[]): number {
  let length = 0;
  for (const value of values) length += value.length;
  return length;
}

const spansLines = (text: string) => /[\r\n][^\r\n]/.test(text);

/**
 * The bytes from where the last record read ended, to tell whether a record the parser stopped at runs over
 * several lines. What is kept is the chunk being read and, while a record is being read, the chunks since its
 * start: no more than the read limit and a chunk, as the parser stops there.
 */
class RecordBeingRead {
  private pieces: Buffer[] = [];
  /** Where the first piece starts, in bytes from the start of the text. */
  private piecesStart = 0;
  private start = 0;

  add(bytes: Buffer): void {
    this.pieces.push(bytes);
  }

  startsAt(offset: number): void {
    this.start = offset;
  }

  dropRecordsRead(): void {
    while (this.pieces.length > 0 && this.piecesStart + this.pieces[0].length <= this.start) {
      this.piecesStart += this.pieces[0].length;
      this.pieces.shift();
    }
  }

  spansLines(readLimit: number): boolean {
    const from = this.start - this.piecesStart;
    // A CR or LF byte is never part of another character in UTF-8, so the bytes can be looked at as Latin-1.
    return spansLines(Buffer.concat(this.pieces).toString('latin1', from, from + readLimit));
  }
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

/** The line end of a text whose lines all end the same way: its first CR LF, LF or CR; null while it cannot tell yet. */
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
 * Whether an 8-bit CSV file on disk (UTF-8, Windows-1252, Mac Roman or a DOS code page) can only be split at
 * separators and line ends: it has no quote, its lines all end the same way (CR LF, LF or CR), and none has
 * more than `maxRecordBytes` bytes. Reads the file once, without keeping it.
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
