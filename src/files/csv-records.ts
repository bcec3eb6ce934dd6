import { open } from 'node:fs/promises';
import { CsvError, Parser as CsvParser } from 'csv-parse';
import { parse } from 'csv-parse/sync';

/** A comma, a semicolon (Excel where the comma is the decimal mark), a tab, or a vertical bar (what databases and registration systems often export). */
export type CsvDelimiter = ',' | ';' | '\t' | '|';

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
 * still open at the end of the text on its last line (`quote_not_closed`), or it runs on past `recordReadLimit`
 * without a line end (`past_read_limit`), and is the last record read. `quote_runs_on`: a value opens a quote
 * that takes the record over several lines, past the limit, to the end of the text, or over lines that look
 * like rows (`holdsRows`): the record is its
 * first line alone (`values`, the quote that runs on read as a character of its value), and the lines after it
 * are read as records of their own. Past `quotesRunningOnReadAgain` of them, the next is the last record read
 * (`quotes_run_on_too_often`).
 */
export type BrokenRecord = { broken: 'too_long' | 'quote_not_closed' | 'past_read_limit' | 'quotes_run_on_too_often' } | { broken: 'quote_runs_on'; values: string[] };

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
 * The most records whose quote runs on that are read again from their next line: each may read up to
 * `recordReadLimit` of the text again. Past them, the reading stops at the next one, as at a line past the limit.
 */
export const quotesRunningOnReadAgain = 100;

/**
 * The records of CSV text as csv-parse reads them with the hub's options (quotes relaxed, any number of
 * values), once the spaces and tabs around quoted values are taken out (`QuotePadding`). A record whose
 * values are longer than the limit together is handed on broken, and the records after it are read as
 * usual; so is a record that a quote left open on the last line of the text. A record a quote runs on
 * over several lines, to the end of the text, past the limit or over lines that look like rows, is most often a
 * quote typed by mistake:
 * it is handed on as its first line alone, and the text is read again from the line after it. One that runs
 * past `recordReadLimit` on one line is handed on broken after the records before it, and is the last. Text with
 * no quote and no line past the size limit (most files) can only be split at separators and line ends, and is
 * split here, faster: its lines all end the same way (CR LF, LF or CR), and a line is its values between
 * separators. Records come in batches, those of each chunk together.
 */
export async function* csvRecordBatches(chunks: AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  yield* options.plain ? plainRecordBatches(chunks, options) : parsedRecordBatches(chunks, options);
}

async function* parsedRecordBatches(chunks: AsyncIterable<string>, options: CsvRecordOptions): AsyncGenerator<CsvRecord[]> {
  const text = chunks[Symbol.asyncIterator]();
  const kept = new LinesKept();
  const seen: RecordsSeen = { widest: 0 };
  let readAgain = { fromLine: 1, text: '' };
  for (let runningOn = 0; ; runningOn++) {
    const next = yield* recordsFromLine(text, readAgain, kept, seen, {
      ...options,
      skipFirstLine: options.skipFirstLine && readAgain.fromLine === 1,
      mayReadAgain: runningOn < quotesRunningOnReadAgain,
    });
    if (next === null) return;
    readAgain = next;
  }
}

type ReadAgain = { fromLine: number; text: string };

/** The most values a record on one line had: a row's width, to tell lines that look like rows. */
type RecordsSeen = { widest: number };

const readAgainPiece = 64 * 1024;

/**
 * The records of the text from a line on (`start.text`, the text read already from that line; then the rest),
 * by one parser: to the end of the text, or to a record a quote runs on. Gives where to read again from after
 * that record, or null.
 */
async function* recordsFromLine(
  text: AsyncIterator<string>,
  start: ReadAgain,
  kept: LinesKept,
  seen: RecordsSeen,
  options: CsvRecordOptions & { mayReadAgain: boolean },
): AsyncGenerator<CsvRecord[], ReadAgain | null> {
  const readLimit = recordReadLimit(options.maxRecordBytes);
  const padding = new QuotePadding(options.delimiter, readLimit);
  /** The line the record being read starts on, counted from the start of the text. */
  let recordLine = start.fromLine;
  let parserLines = 0;
  let skipRecord = options.skipFirstLine;
  let batch: CsvRecord[] = [];
  /** A record ended the reading by this parser: where to read again from, or null where the reading stops. */
  let ended = null as { readAgain: ReadAgain | null } | null;
  /**
   * Whether the record starting on this line, one the parser could not read or one too long, goes on past the
   * line: then it is handed on as its first line alone, and this parser's reading ends.
   */
  const ranOn = (line: number): boolean => {
    const after = kept.textAfterLine(line);
    // A first line the parser stopped in, past the read limit, is that long itself.
    if (after === null || after.line.length >= readLimit) return false;
    if (options.mayReadAgain) {
      // A first line past the row limit is not split: its values would be too long to keep.
      const values = after.line.length > options.maxRecordBytes ? [] : firstLineValues(after.line, options.delimiter);
      batch.push({ broken: 'quote_runs_on', values });
      ended = { readAgain: { fromLine: line + 1, text: after.rest } };
    } else {
      batch.push({ broken: 'quotes_run_on_too_often' });
      ended = { readAgain: null };
    }
    return true;
  };
  const parser = new CsvParser({
    delimiter: options.delimiter,
    // Every kind of line end, wherever it is: a file pasted together from two programs may start with CR LF
    // and go on with LF, which csv-parse would otherwise read as one long row after its first line.
    record_delimiter: csvLineEnds,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: readLimit,
    // Records are taken as they are read rather than from the stream, which drops those it holds when it
    // fails: the records before one past the read limit are handed on too.
    on_record: (values: string[], { lines }) => {
      if (ended) return null;
      const line = recordLine;
      // `lines`: the line the record ends on, a CR LF inside a quoted value counted as two line ends.
      const lineEnds = lines - parserLines;
      parserLines = lines;
      recordLine += lineEnds > 1 ? lineEnds - carriageReturnLineFeeds(values) : lineEnds;
      if (skipRecord) {
        skipRecord = false;
        return null;
      }
      const overLines = lineEnds > 1;
      const tooLong = valuesLength(values) > options.maxRecordBytes;
      // A quote opened on the record's first line and closed only lines later: over lines that look like rows, or past the row limit.
      if (overLines && (holdsRows(values, options.delimiter, seen.widest) || (tooLong && spansLines(values))) && ranOn(line)) return null;
      if (tooLong) {
        batch.push({ broken: 'too_long' });
      } else {
        batch.push(values);
        if (!overLines && values.length > seen.widest) seen.widest = values.length;
      }
      return null;
    },
  });
  // Each write is told of its error.
  parser.on('error', () => undefined);
  const read = (padded: string) => parsed(parser, Buffer.from(padded, 'utf8'));
  try {
    let error: Error | undefined;
    for await (const piece of piecesFrom(start.text, text, kept)) {
      error = await read(padding.take(piece));
      if (error || ended) break;
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      kept.dropBefore(recordLine);
    }
    if (!error && !ended) {
      const rest = padding.end();
      if (rest !== '') error = await read(rest);
      error ??= await parsed(parser, null);
    }
    if (error && !ended && !ranOn(recordLine)) batch.push({ broken: brokenRecord(error) });
    if (batch.length > 0) yield batch;
    return ended?.readAgain ?? null;
  } finally {
    parser.destroy();
  }
}

/** The text read again, in pieces the size of a chunk so that its records come in batches as usual; then the rest of the text, kept as it is read. */
async function* piecesFrom(readAgain: string, text: AsyncIterator<string>, kept: LinesKept): AsyncGenerator<string> {
  for (let at = 0; at < readAgain.length; at += readAgainPiece) yield readAgain.slice(at, at + readAgainPiece);
  for (let chunk = await text.next(); !chunk.done; chunk = await text.next()) {
    kept.add(chunk.value);
    yield chunk.value;
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

/**
 * The text for csv-parse without the spaces and tabs some programs, and people typing a file, put around a quoted
 * value: in `R-1, "Okafor, Jr.", Ada` the second value is `Okafor, Jr.`, as a spreadsheet program reads it, where
 * csv-parse would take the space for the start of an unquoted value and the quote for part of it, and split the
 * value at its comma. What goes is the spaces and tabs (spaces alone, where a tab separates values) between the
 * start of a value and its opening quote, and between its closing quote and the separator or line end after it.
 * Every other character reaches csv-parse as it was: a file without such padding is read exactly as csv-parse reads
 * it, and a value without quotes keeps its spaces. Quotes are followed as csv-parse follows them with quotes
 * relaxed: a quote opens a value only at its start; in a quoted value, two quotes are one, and a quote followed by
 * anything but a separator or line end (past padding) is part of the value, which goes on unquoted. Padding longer
 * than `maxPadding` stays, so that what is held from one chunk to the next stays small. (csv-parse's `ltrim` and
 * `rtrim` trim unquoted values too, which the splitter of plain files does not; and with `rtrim`, `"Bo" x` stops the
 * reading instead of being read as it is.)
 */
class QuotePadding {
  private readonly delimiter: number;
  /** A tab where tabs are padding, else a space again: a character is padding when it is a space or this. */
  private readonly tabOrSpace: number;
  private readonly maxPadding: number;
  /** Inside a quoted value, past its opening quote. */
  private quoted = false;
  /** Outside quotes: whether a value starts where the held text starts. */
  private atValueStart = true;
  /** The end of the last chunk, which the next one tells what to do with: padding, or a quote ending a quoted value. */
  private held = '';

  constructor(delimiter: CsvDelimiter, maxPadding: number) {
    this.delimiter = delimiter.charCodeAt(0);
    this.tabOrSpace = delimiter === '\t' ? 32 : 9;
    this.maxPadding = maxPadding;
  }

  /** What can be handed on of the text read so far, with this chunk. */
  take(chunk: string): string {
    return this.scan(this.held === '' ? chunk : this.held + chunk, false);
  }

  /** The rest, once the text has ended. */
  end(): string {
    return this.held === '' ? '' : this.scan(this.held, true);
  }

  /** One pass from quote to quote: what of the text can be handed on, without its padding; the rest is held. */
  private scan(text: string, end: boolean): string {
    const { delimiter, tabOrSpace, maxPadding } = this;
    const isPadding = (code: number) => code === 32 || code === tabOrSpace;
    const endsValue = (code: number) => code === delimiter || code === 10 || code === 13;
    const length = text.length;
    const pieces: string[] = [];
    let quoted = this.quoted;
    /** Where the text not yet in `pieces` starts: the padding before it is taken out. */
    let from = 0;
    /** Outside quotes: where the text since the last quote (or the start) begins, and whether a value starts there. */
    let floor = 0;
    let floorStartsValue = this.atValueStart;
    /** Where the text held for the next chunk starts. */
    let stop = length;
    for (let at = 0; ; ) {
      const quote = text.indexOf('"', at);
      if (quoted) {
        if (quote === -1) break;
        const next = quote + 1;
        if (next < length && text.charCodeAt(next) === quoteCode) {
          at = next + 1;
          continue;
        }
        let after = next;
        while (after < length && after - next <= maxPadding && isPadding(text.charCodeAt(after))) after += 1;
        if (after === length && after - next <= maxPadding) {
          // The text ends in this quote and any padding after it: it closes the value, or waits for what follows.
          if (!end) stop = quote;
          else if (after > next) {
            pieces.push(text.slice(from, next));
            from = length;
          }
          break;
        }
        quoted = false;
        floorStartsValue = false;
        if (after - next <= maxPadding && endsValue(text.charCodeAt(after))) {
          if (after > next) {
            pieces.push(text.slice(from, next));
            from = after;
          }
          floor = at = after;
        } else {
          floor = at = next;
        }
        continue;
      }
      // Outside quotes, from the quote (or the end of the text) back over padding to what comes before it.
      const to = quote === -1 ? length : quote;
      let start = to;
      while (start > floor && to - start <= maxPadding && isPadding(text.charCodeAt(start - 1))) start -= 1;
      const startsValue = to - start <= maxPadding && (start > floor ? endsValue(text.charCodeAt(start - 1)) : floorStartsValue);
      if (quote === -1) {
        // Padding at the end may come before an opening quote in the next chunk.
        if (!end) {
          this.atValueStart = startsValue;
          if (to - start <= maxPadding) stop = start;
        }
        break;
      }
      if (startsValue) {
        if (start < quote) {
          pieces.push(text.slice(from, start));
          from = quote;
        }
        quoted = true;
      }
      at = quote + 1;
    }
    this.quoted = quoted;
    this.held = text.slice(stop);
    if (pieces.length === 0) return stop === length ? text : text.slice(0, stop);
    pieces.push(text.slice(from, stop));
    return pieces.join('');
  }
}

const quoteCode = 34;

/** The line ends csv-parse ends a record at: every kind, wherever it is. */
const csvLineEnds = ['\r\n', '\n', '\r'];

/** What stopped the parser at the record it was reading: a quote left open at the end, or a record past the read limit; any other error is not one of the text. */
function brokenRecord(error: Error): 'quote_not_closed' | 'past_read_limit' {
  if (!(error instanceof CsvError)) throw error;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'quote_not_closed';
  if (error.code === 'CSV_MAX_RECORD_SIZE') return 'past_read_limit';
  throw error;
}

function valuesLength(values: string[]): number {
  let length = 0;
  for (const value of values) length += value.length;
  return length;
}

/** The CR LFs in a record's values, which csv-parse counts as two line ends each. */
function carriageReturnLineFeeds(values: string[]): number {
  let count = 0;
  for (const value of values) for (let at = value.indexOf('\r\n'); at !== -1; at = value.indexOf('\r\n', at + 2)) count += 1;
  return count;
}

/**
 * Whether a value's lines after its first look like rows, taken in by a quote opened before them and closed only
 * after (a value begun `"Jim`, its closing quote forgotten): one has as many separators as half a row has, and three
 * at least. A note of several sentences keeps its lines.
 */
function holdsRows(values: string[], delimiter: CsvDelimiter, widest: number): boolean {
  const separatorsOfARow = Math.max(3, Math.floor((widest - 1) / 2));
  for (const value of values) {
    const lines = value.split(lineBreak);
    for (let index = 1; index < lines.length; index++) if (lines[index].split(delimiter).length - 1 >= separatorsOfARow) return true;
  }
  return false;
}

/** A line end: CR LF, LF or CR. */
const lineBreak = /\r\n|\n|\r/;

/** Values that go on past a line end. */
const spansLines = (values: string[]) => values.some((value) => /[\r\n][^\r\n]/.test(value));

/**
 * The values of a record's first line, read alone: the quote that takes the record on past it is a character of
 * its value, and the line is split at the separators after it, as the person who typed it most likely meant.
 */
function firstLineValues(line: string, delimiter: CsvDelimiter): string[] {
  const padding = new QuotePadding(delimiter, line.length);
  // Closed at the line's end, the quote that ran on takes the last value: the values before it are read as they were.
  const text = padding.take(`${line}"`) + padding.end();
  const values = parse(text, { delimiter, relax_quotes: true, relax_column_count: true, record_delimiter: csvLineEnds }) as string[][];
  const [record = ['']] = values;
  const last = record.pop() ?? '';
  return [...record, ...`"${last}`.split(delimiter)];
}

/**
 * The text as it was given, from the start of the line the record being read starts on: what is read again
 * when a quote runs on. No more than the read limit and a chunk, as the parser stops there.
 */
class LinesKept {
  private text = '';
  /** The line the text starts, counted from 1 at the start of the whole text. */
  private firstLine = 1;

  add(chunk: string): void {
    this.text += chunk;
  }

  /** Keeps the text from the start of this line on, or from the start of a line before it. */
  dropBefore(line: number): void {
    const { text } = this;
    let start = 0;
    let current = this.firstLine;
    while (current < line) {
      const next = lineEndAfter(text, start);
      // A CR at the very end may be the first half of a CR LF.
      if (!next || next.end === text.length) break;
      start = next.end;
      current += 1;
    }
    if (start > 0) {
      this.text = text.slice(start);
      this.firstLine = current;
    }
  }

  /**
   * The given line, and the text after it, when that holds more than line ends: a record starting on the line
   * runs on past it. Null when it does not.
   */
  textAfterLine(line: number): { line: string; rest: string } | null {
    const { text } = this;
    let start = 0;
    for (let current = this.firstLine; current < line; current++) {
      const next = lineEndAfter(text, start);
      if (!next) return null;
      start = next.end;
    }
    const lineEnd = lineEndAfter(text, start);
    if (!lineEnd) return null;
    const rest = text.slice(lineEnd.end);
    return /[^\r\n]/.test(rest) ? { line: text.slice(start, lineEnd.start), rest } : null;
  }
}

const lineBreakFrom = new RegExp(lineBreak.source, 'g');

/** The first line end at or after `from`: where it starts, and where the next line starts; null when there is none. */
function lineEndAfter(text: string, from: number): { start: number; end: number } | null {
  lineBreakFrom.lastIndex = from;
  const found = lineBreakFrom.exec(text);
  return found ? { start: found.index, end: found.index + found[0].length } : null;
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
