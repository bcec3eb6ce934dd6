import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import type { CsvError } from 'csv-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecordBatches, isPlainCsvFile } from './csv-records.ts';
import type { CsvDelimiter, CsvRecord } from './csv-records.ts';

/** A small seeded generator, so that a failure can be replayed. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Case = { text: string; delimiter: CsvDelimiter; declared: boolean; maxRecordBytes: number };

/** The text in pieces cut anywhere, even inside a character, as a file is read. */
function piecesOf(text: string, random: () => number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = 1 + Math.floor(random() * 40);
    pieces.push(bytes.subarray(at, at + length));
    at += length;
  }
  return pieces;
}

/** What csv-parse makes of the text with the hub's options and no size limit, with a marker for a record it skips. */
async function csvParseRecords(text: string, { delimiter, declared }: Case): Promise<unknown[]> {
  const parser = parseCsv({ delimiter, relax_column_count: true, relax_quotes: true, skip_records_with_error: true, from_line: declared ? 2 : 1 });
  parser.on('skip', (error: CsvError) => parser.push({ skipped: error.code }));
  const records: unknown[] = [];
  for await (const record of pipeline(Readable.from([text]), parser, () => undefined)) records.push(record);
  return records;
}

const spansLines = (values: string[]) => /[\r\n][^\r\n]/.test(values.join(''));

/**
 * What the splitter gives: csv-parse's records, but for those whose values are longer than the limit
 * together, and one that a quote left open at the end of the text, which are broken.
 */
async function expectedRecords(testCase: Case): Promise<unknown[]> {
  const records = await csvParseRecords(testCase.text, testCase);
  return Promise.all(
    records.map(async (record) => {
      if (Array.isArray(record)) {
        return record.join('').length > testCase.maxRecordBytes ? { broken: 'too_long', spansLines: spansLines(record) } : record;
      }
      expect(record).toEqual({ skipped: 'CSV_QUOTE_NOT_CLOSED' });
      // Its values: those of the text with the quote closed at the end.
      const closed = await csvParseRecords(`${testCase.text}"`, testCase);
      return { broken: 'quote_not_closed', spansLines: spansLines(closed.at(-1) as string[]) };
    }),
  );
}

async function records(testCase: Case, pieces: Buffer[], plain: boolean): Promise<unknown[]> {
  async function* chunks() {
    const decoder = new TextDecoder();
    for (const piece of pieces) yield decoder.decode(piece, { stream: true });
    yield decoder.decode();
  }
  const found: CsvRecord[] = [];
  const options = { delimiter: testCase.delimiter, skipFirstLine: testCase.declared, maxRecordBytes: testCase.maxRecordBytes, plain };
  for await (const batch of csvRecordBatches(chunks(), options)) found.push(...batch);
  return found;
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'cmehub-csv-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('splitting CSV records', () => {
  it('gives what csv-parse gives, a record past the limit broken, whatever the quotes, line ends, separators, lengths and pieces', async () => {
    const random = randomFrom(20261122);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    let plainFiles = 0;
    const brokenKinds = new Set<string>();
    for (let run = 0; run < 800; run++) {
      const delimiter = pick([',', ';', '\t'] as const);
      const lineEnd = pick(['\r\n', '\n', '\r']);
      const quotes = pick([0, 0, 0, 0.02, 0.2]);
      const strayLineEnds = pick([0, 0, 0.05]);
      const alphabet = ['a', 'b', 'é', '日', '😀', ' ', delimiter, pick([',', ';', '\t']), lineEnd, lineEnd];
      const declared = random() < 0.2;
      let text = (random() < 0.1 ? '\uFEFF' : '') + (declared ? `sep=${delimiter}${lineEnd === '\r' ? '\n' : lineEnd}` : '');
      const length = Math.floor(random() * 200);
      for (let index = 0; index < length; index++) {
        const roll = random();
        text += roll < quotes ? '"' : roll < quotes + strayLineEnds ? pick(['\r', '\n']) : pick(alphabet);
      }
      const testCase = { text, delimiter, declared, maxRecordBytes: pick([30, 90, 1000]) };
      const filePath = path.join(directory, `${run}.csv`);
      await writeFile(filePath, text);
      const plain = await isPlainCsvFile(filePath, testCase.maxRecordBytes);
      if (plain) plainFiles += 1;
      // As the reader has it: the byte order mark dropped.
      const pieces = piecesOf(text.replace(/^\uFEFF/, ''), random);
      const expected = await expectedRecords({ ...testCase, text: text.replace(/^\uFEFF/, '') });
      expect(await records(testCase, pieces, plain), JSON.stringify({ ...testCase, plain })).toEqual(expected);
      for (const record of expected as CsvRecord[]) if (!Array.isArray(record)) brokenKinds.add(`${record.broken} ${record.spansLines}`);
    }
    expect(plainFiles).toBeGreaterThan(150);
    expect([...brokenKinds].sort()).toEqual(['quote_not_closed false', 'quote_not_closed true', 'too_long false', 'too_long true']);
  });

  it('splits a file without quotes itself, to the last line', async () => {
    const testCase: Case = { text: 'First,Last\r\nAnn,Lee\r\n\r\nBo,\r\nCy,Dee', delimiter: ',', declared: false, maxRecordBytes: 1000 };
    expect(await records(testCase, piecesOf(testCase.text, randomFrom(1)), true)).toEqual([['First', 'Last'], ['Ann', 'Lee'], [''], ['Bo', ''], ['Cy', 'Dee']]);
  });

  it('splits quote by quote a file with a quote, mixed line ends or a line past the limit', async () => {
    const plain = async (text: string) => {
      const filePath = path.join(directory, 'one.csv');
      await writeFile(filePath, text);
      return isPlainCsvFile(filePath, 20);
    };
    expect(await plain('a,b\r\nc,d\r\n')).toBe(true);
    expect(await plain('a,"b"\r\n')).toBe(false);
    expect(await plain('a,b\r\nc\nd\r\n')).toBe(false);
    expect(await plain('a,b\nc\rd\n')).toBe(false);
    expect(await plain(`a,b\n${'x'.repeat(21)}\n`)).toBe(false);
  });
});
