import { open } from 'node:fs/promises';

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
 * A record that is not handed on: its values are longer than the limit together, or a quote is still open
 * at the end of the text. `spansLines` when its values hold a line end followed by more text: the lines
 * after it in the file may be in it, rather than rows of their own.
 */
export type BrokenRecord = { broken: 'too_long' | 'quote_not_closed'; spansLines: boolean };

/** A record's values, or a record that could not be read, in its place. */
export type CsvRecord = string[] | BrokenRecord;

type LineEnd = '\r\n' | '\n' | '\r';

/**
 * The records of CSV text as csv-parse reads them with the hub's options (quotes relaxed, any number of
 * values), but for a record past the size limit: that one is read to its end without being kept, and
 * handed on as broken, and the records after it are read as usual. Text with no quote and no line past the
 * size limit (most files) can only be split at separators and line ends, and is split faster: lines end at
 * the first kind of line end of the text (CR LF, LF or CR), as csv-parse decides it, and a line is its values
 * between separators. Records come in batches, those of each chunk together.
 */
export async function* csvRecordBatches(chunks: AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  yield* options.plain ? plainRecordBatches(chunks, options) : quotedRecordBatches(chunks, options);
}

async function* quotedRecordBatches(chunks: AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  const splitter = new QuotedRecordSplitter(options);
  for await (const chunk of chunks) {
    const batch = splitter.split(chunk, false);
    if (batch.length > 0) yield batch;
  }
  const last = splitter.split('', true);
  if (last.length > 0) yield last;
}

const quote = 0x22;
const lineFeed = 0x0a;
const carriageReturn = 0x0d;

/**
 * Splits CSV text with quotes into records, a chunk at a time, as csv-parse does with the hub's options. A
 * value opens a quote only at its start; inside quotes a doubled quote is one, and a quote followed by
 * anything but a separator, a line end or the end of the text ends the quotes but is kept, with the opening
 * one, and the value goes on. Lines end with the first CR LF, LF or CR met outside quotes (or right after a
 * closing quote); any other CR or LF is text.
 */
class QuotedRecordSplitter {
  private readonly delimiter: number;
  private readonly maxLength: number;
  private lineEnd: LineEnd | null = null;
  /** False while the first line (Excel's "sep=" line) is skipped. */
  private taking: boolean;
  private quoting = false;
  /** Right after the first quote of a doubled quote, inside quotes. */
  private escaping = false;
  /** The value was quoted: even empty, it makes a record of the end of the text, as in csv-parse. */
  private wasQuoted = false;
  private record: string[] = [];
  private recordLength = 0;
  /** The value's characters, but for those of the text being split since the last one kept. */
  private value = '';
  /** Characters of the value were not kept: its record is too long. */
  private valueDropped = false;
  private tooLong = false;
  private sawLineEnd = false;
  private spansLines = false;
  /** The end of the last chunk, when what it is depends on what follows. */
  private rest = '';

  constructor(options: CsvRecordOptions) {
    this.delimiter = options.delimiter.charCodeAt(0);
    this.maxLength = options.maxRecordBytes;
    this.taking = !options.skipFirstLine;
  }

  split(chunk: string, end: boolean): CsvRecord[] {
    const records: CsvRecord[] = [];
    const text = this.rest + chunk;
    const length = text.length;
    // The value's characters from here on are kept together, when its end or the chunk's is reached.
    let from = 0;
    let at = 0;
    for (; at < length; at++) {
      const code = text.charCodeAt(at);
      if (this.escaping) {
        this.escaping = false;
      } else if (this.quoting) {
        if (code !== quote) {
          const next = text.indexOf('"', at + 1);
          at = (next === -1 ? length : next) - 1;
          continue;
        }
        if (at + 1 >= length && !end) break;
        const next = at + 1 < length ? text.charCodeAt(at + 1) : -1;
        if (next === quote) {
          this.keep(text, from, at);
          from = at + 1;
          this.escaping = true;
          continue;
        }
        let closes = next === -1 || next === this.delimiter;
        if (next === carriageReturn || next === lineFeed) {
          const followed = at + 2 < length ? text.charCodeAt(at + 2) : -1;
          if (next === carriageReturn && this.lineEnd !== '\r' && this.lineEnd !== '\n' && at + 2 >= length && !end) break;
          this.lineEnd ??= next === lineFeed ? '\n' : followed === lineFeed ? '\r\n' : '\r';
          closes = this.lineEnd === '\r\n' ? next === carriageReturn && followed === lineFeed : next === this.lineEnd.charCodeAt(0);
        }
        this.keep(text, from, at);
        this.quoting = false;
        this.wasQuoted = true;
        if (closes) {
          from = at + 1;
        } else {
          // The quote is text, and so is the opening one.
          if (this.tooLong) this.valueDropped = true;
          else this.value = `"${this.value}`;
          from = at;
        }
      } else if (code === quote && from === at && this.value === '' && !this.valueDropped) {
        this.quoting = true;
        from = at + 1;
      } else if (code === carriageReturn || code === lineFeed) {
        if (code === carriageReturn && this.lineEnd !== '\r' && this.lineEnd !== '\n' && at + 1 >= length && !end) break;
        const followed = at + 1 < length ? text.charCodeAt(at + 1) : -1;
        this.lineEnd ??= code === lineFeed ? '\n' : followed === lineFeed ? '\r\n' : '\r';
        const endLength = this.lineEnd === '\r\n' ? (code === carriageReturn && followed === lineFeed ? 2 : 0) : code === this.lineEnd.charCodeAt(0) ? 1 : 0;
        if (endLength > 0) {
          this.endValue(text, from, at);
          this.endRecord(records);
          at += endLength - 1;
          from = at + 1;
        }
      } else if (code === this.delimiter) {
        this.endValue(text, from, at);
        from = at + 1;
      }
    }
    this.keep(text, from, at);
    this.rest = text.slice(at);
    if (end) this.endText(records);
    return records;
  }

  /** Keeps the characters of the value between `from` and `to`; past the limit, drops its record. */
  private keep(text: string, from: number, to: number): void {
    if (from >= to) return;
    const characters = text.slice(from, to);
    if (this.tooLong) {
      this.valueDropped = true;
      this.noteLineEnds(characters);
      return;
    }
    this.value += characters;
    if (this.recordLength + this.value.length > this.maxLength) {
      this.tooLong = true;
      for (const value of this.record) this.noteLineEnds(value);
      this.noteLineEnds(this.value);
      this.record = [];
      this.value = '';
      this.valueDropped = true;
    }
  }

  private noteLineEnds(characters: string): void {
    if (this.spansLines) return;
    this.spansLines = this.sawLineEnd ? /[^\r\n]/.test(characters) : /[\r\n][^\r\n]/.test(characters);
    this.sawLineEnd ||= /[\r\n]/.test(characters);
  }

  private endValue(text: string, from: number, to: number): void {
    this.keep(text, from, to);
    if (this.taking && !this.tooLong) {
      this.record.push(this.value);
      this.recordLength += this.value.length;
    }
    this.value = '';
    this.valueDropped = false;
    this.wasQuoted = false;
  }

  private endRecord(records: CsvRecord[]): void {
    if (!this.taking) this.taking = true;
    else records.push(this.tooLong ? { broken: 'too_long', spansLines: this.spansLines } : this.record);
    this.record = [];
    this.recordLength = 0;
    this.tooLong = false;
    this.sawLineEnd = false;
    this.spansLines = false;
  }

  /** csv-parse ends the text with its last line when it has anything in it; a quote still open breaks it. */
  private endText(records: CsvRecord[]): void {
    if (this.quoting) {
      if (!this.tooLong) for (const value of [...this.record, this.value]) this.noteLineEnds(value);
      if (this.taking) records.push({ broken: 'quote_not_closed', spansLines: this.spansLines });
    } else if (this.wasQuoted || this.record.length > 0 || this.value !== '' || this.tooLong) {
      this.endValue('', 0, 0);
      this.endRecord(records);
    }
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
 * Whether an 8-bit CSV file on disk (UTF-8 or Windows-1252) can only be split at separators and line ends: it
 * has no quote, its lines all end the same way (CR LF, LF or CR), and none has more than `maxRecordBytes`
 * bytes. Reads the file once, without keeping it.
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
