import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecordBatches, isPlainCsvFile, quotesRunningOnReadAgain, recordReadLimit } from './csv-records.ts';
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

async function records(testCase: Case, pieces: Buffer[], plain: boolean): Promise<CsvRecord[]> {
  async function* chunks() {
    const decoder = new TextDecoder();
    for (const piece of pieces) yield decoder.decode(piece, { stream: true });
    yield decoder.decode();
  }
  return recordsOf(chunks(), testCase, plain);
}

async function recordsOf(chunks: AsyncIterable<string>, testCase: Omit<Case, 'text'>, plain = false): Promise<CsvRecord[]> {
  const found: CsvRecord[] = [];
  const options = { delimiter: testCase.delimiter, skipFirstLine: testCase.declared, maxRecordBytes: testCase.maxRecordBytes, plain };
  for await (const batch of csvRecordBatches(chunks, options)) found.push(...batch);
  return found;
}

/** The records of the text read in pieces cut anywhere, with a comma between values and no Excel "sep=" line. */
const read = (text: string, maxRecordBytes = 1000) =>
  records({ text, delimiter: ',', declared: false, maxRecordBytes }, piecesOf(text, randomFrom(text.length)), false);

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'cmehub-csv-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('splitting CSV records', () => {
  it('splits a file without quotes as it is read through csv-parse, whatever the line ends, separators, lengths and pieces', async () => {
    const random = randomFrom(20261122);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    let plainFiles = 0;
    for (let run = 0; run < 400; run++) {
      const delimiter = pick([',', ';', '\t'] as const);
      const lineEnd = pick(['\r\n', '\n', '\r']);
      const strayLineEnds = pick([0, 0, 0.05]);
      const alphabet = ['a', 'b', 'é', '日', '😀', ' ', delimiter, pick([',', ';', '\t']), lineEnd, lineEnd];
      const declared = random() < 0.2;
      let text = (random() < 0.1 ? '\uFEFF' : '') + (declared ? `sep=${delimiter}${lineEnd === '\r' ? '\n' : lineEnd}` : '');
      const length = Math.floor(random() * 200);
      for (let index = 0; index < length; index++) text += random() < strayLineEnds ? pick(['\r', '\n']) : pick(alphabet);
      const testCase = { text, delimiter, declared, maxRecordBytes: pick([30, 90, 1000]) };
      const filePath = path.join(directory, `${run}.csv`);
      await writeFile(filePath, text);
      if (!(await isPlainCsvFile(filePath, testCase.maxRecordBytes))) continue;
      plainFiles += 1;
      // As the reader has it: the byte order mark dropped.
      const pieces = piecesOf(text.replace(/^\uFEFF/, ''), random);
      expect(await records(testCase, pieces, true), JSON.stringify(testCase)).toEqual(await records(testCase, pieces, false));
    }
    expect(plainFiles).toBeGreaterThan(150);
  });

  it('reads quoted separators, doubled quotes, line breaks and stray quotes, in pieces cut anywhere', async () => {
    const text = 'sep=;\r\nFirst;Last\r\n"Zoë; Jr";"O""Brien\r\nSmith"\r\nAnn;O"Lee\r\n"Bo" x;"日本"\r\n\r\n"";Dee';
    for (let seed = 1; seed <= 20; seed++) {
      const testCase: Case = { text, delimiter: ';', declared: true, maxRecordBytes: 1000 };
      expect(await records(testCase, piecesOf(text, randomFrom(seed)), false)).toEqual([
        ['First', 'Last'],
        ['Zoë; Jr', 'O"Brien\r\nSmith'],
        ['Ann', 'O"Lee'],
        ['"Bo" x', '日本'],
        [''],
        ['', 'Dee'],
      ]);
    }
  });

  it('ends a row at any kind of line end, when a file mixes them', async () => {
    expect(await read('First,Last\r\nAnn,Lee\nBo,"Dee\r\nJr"\rCy,Ray\n')).toEqual([
      ['First', 'Last'],
      ['Ann', 'Lee'],
      ['Bo', 'Dee\r\nJr'],
      ['Cy', 'Ray'],
    ]);
  });

  it('marks a record whose values are longer than the limit, and reads every record after it', async () => {
    const long = 'y'.repeat(3000);
    // The records after it, in the same piece as it or not (csv-parse skipping such a record lost the rest of its piece).
    const after = Array.from({ length: 30 }, (_, index) => `After,${index}`);
    const text = ['Before,0', `Long,"${long}"`, ...after, `"${long}",Long`, 'Last,1'].join('\r\n');
    for (const pieces of [[Buffer.from(text)], piecesOf(text, randomFrom(7))]) {
      const found = await records({ text, delimiter: ',', declared: false, maxRecordBytes: 1000 }, pieces, false);
      expect(found).toEqual([
        ['Before', '0'],
        { broken: 'too_long' },
        ...after.map((line) => line.split(',')),
        { broken: 'too_long' },
        ['Last', '1'],
      ]);
    }
    // A line end in its values followed by more of them: a quote opened on its first line closed lines later. The
    // first line is the record, its quote a character of its value, and the lines after it are read as records.
    expect(await read(`a,"x\n${long}"\nb,c\n`)).toEqual([{ broken: 'quote_runs_on', values: ['a', '"x'] }, { broken: 'too_long' }, ['b', 'c']]);
    expect(await read(`a,"${long}\r\n"\nb,c\n`)).toEqual([{ broken: 'too_long' }, ['b', 'c']]);
  });

  it('marks a quote still open at the end of the text on its last line', async () => {
    expect(await read('a,b\r\nc,"d')).toEqual([['a', 'b'], { broken: 'quote_not_closed' }]);
    expect(await read('a,b\r\nc,"d\r\n')).toEqual([['a', 'b'], { broken: 'quote_not_closed' }]);
    expect(await read('a,b\nc,"d\n\n')).toEqual([['a', 'b'], { broken: 'quote_not_closed' }]);
  });

  it('reads the lines after a quote that runs on to the end of the text as records, the record with the quote its first line alone', async () => {
    expect(await read('a,b\r\nc,"d\r\ne,f\r\n')).toEqual([['a', 'b'], { broken: 'quote_runs_on', values: ['c', '"d'] }, ['e', 'f']]);
    expect(await read(`a,b\nc,"d\n${'e,f\n'.repeat(5000)}`)).toEqual([['a', 'b'], { broken: 'quote_runs_on', values: ['c', '"d'] }, ...Array(5000).fill(['e', 'f'])]);
    // The values before the quote are read as quoted; those after it are split at the separators, as they were meant.
    expect(await read('"Okafor, Jr.",Ada,"Cy,Dee,4\nx,y\n')).toEqual([{ broken: 'quote_runs_on', values: ['Okafor, Jr.', 'Ada', '"Cy', 'Dee', '4'] }, ['x', 'y']]);
    // Records over several lines before it, other line ends, padding before the quote, a quote closed only past the
    // row limit lines later, and another that runs on to the end.
    const long = 'y'.repeat(1100);
    expect(await read(`a,"multi\r\nline"\rb,c\nd, "runs\r\n${long}"\re,f\ng,"h\r\ni,j`)).toEqual([
      ['a', 'multi\r\nline'],
      ['b', 'c'],
      { broken: 'quote_runs_on', values: ['d', '"runs'] },
      { broken: 'too_long' },
      ['e', 'f'],
      { broken: 'quote_runs_on', values: ['g', '"h'] },
      ['i', 'j'],
    ]);
    // A quote closed lines later, taking in lines that look like rows: half as many separators as the widest record
    // before it has values, and three at least. A note's lines with fewer are the note's.
    expect(await read('a,b,c,d,e,f,g,h\n"x,y\np,q,r,s\nt,u" and more,v\n1,"two, three,\nfour, five",6\n')).toEqual([
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      { broken: 'quote_runs_on', values: ['"x', 'y'] },
      ['p', 'q', 'r', 's'],
      ['t', 'u" and more', 'v'],
      ['1', 'two, three,\nfour, five', '6'],
    ]);
    expect(await read('a,b,c,d,e,f,g,h,i,j\n"x,y\np,q,r,s\nt,u",v\n')).toEqual([['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], ['x,y\np,q,r,s\nt,u', 'v']]);
    // Excel's "sep=" line is passed over once, not again where the text is read again.
    const declared = 'sep=;\r\na;"b\r\nc;d\r\ne;f';
    expect(await records({ text: declared, delimiter: ';', declared: true, maxRecordBytes: 1000 }, piecesOf(declared, randomFrom(3)), false)).toEqual([
      { broken: 'quote_runs_on', values: ['a', '"b'] },
      ['c', 'd'],
      ['e', 'f'],
    ]);
  });

  it('reads the line after a quote that runs on, whatever the records and line ends before it and the pieces the text comes in', async () => {
    const random = randomFrom(20261206);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    for (let run = 0; run < 200; run++) {
      const lineEnd = () => pick(['\r\n', '\n', '\r']);
      const value = () => {
        const text = Array.from({ length: Math.floor(random() * 6) }, () => pick(['a', 'é', '日', ',', ' ', '""', '\r\n', '\n', '\r'])).join('');
        return random() < 0.5 ? `"${text}"` : text.replace(/[",\r\n]/g, '');
      };
      const before = Array.from({ length: Math.floor(random() * 8) }, () => Array.from({ length: 1 + Math.floor(random() * 3) }, value).join(',')).map((line) => line + lineEnd()).join('');
      const after = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, index) => `after${index},${'x'.repeat(Math.floor(random() * 4))}`);
      const text = `${before}runs,"on${lineEnd()}${after.join(lineEnd())}`;
      const expected = [
        ...(parse(before, { relax_quotes: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][]),
        { broken: 'quote_runs_on', values: ['runs', '"on'] },
        ...after.map((line) => line.split(',')),
      ];
      expect(await records({ text, delimiter: ',', declared: false, maxRecordBytes: 1000 }, piecesOf(text, random), false), JSON.stringify(text)).toEqual(expected);
    }
  });

  it('stops at the quote that runs on once too many have', async () => {
    // Quotes each closed a line later, past the row limit.
    const runOn = (index: number) => `r${index},"open\n${'y'.repeat(1100)}"`;
    const text = [...Array.from({ length: quotesRunningOnReadAgain + 1 }, (_, index) => runOn(index)), 'after,1'].join('\n');
    expect(await read(text)).toEqual([
      ...Array.from({ length: quotesRunningOnReadAgain }, (_, index) => [{ broken: 'quote_runs_on', values: [`r${index}`, '"open'] }, { broken: 'too_long' }]).flat(),
      { broken: 'quotes_run_on_too_often' },
    ]);
  });

  it('stops at a record that runs past the read limit on one line, after the records before it, reading no more of the text', async () => {
    const readLimit = recordReadLimit(1000);
    expect(readLimit).toBe(1024 * 1024);
    expect(recordReadLimit(1024 * 1024)).toBe(4 * 1024 * 1024);
    /** Text that never ends after its start, in chunks as the decoder hands them on; counts the chunks taken. */
    const endless = (start: string, line: string) => {
      const taken = { chunks: 0 };
      async function* chunks() {
        for (yield start; ; taken.chunks += 1) yield line.repeat(Math.ceil(65_536 / line.length));
      }
      return { taken, chunks: chunks() };
    };
    const testCase = { delimiter: ',' as const, declared: false, maxRecordBytes: 1000 };
    const oneLine = endless('a,b\nc,', 'x');
    expect(await recordsOf(oneLine.chunks, testCase)).toEqual([['a', 'b'], { broken: 'past_read_limit' }]);
    expect(oneLine.taken.chunks).toBeLessThan(readLimit / 65_536 + 2);
    // A quote running on past the read limit: the lines after it are read, as after one that runs to the end.
    const lines = Math.ceil(readLimit / 4) + 1000;
    const unclosed = await read(`a,b\nc,"d\n${'e,f\n'.repeat(lines)}g,h`);
    expect(unclosed).toEqual([['a', 'b'], { broken: 'quote_runs_on', values: ['c', '"d'] }, ...Array(lines).fill(['e', 'f']), ['g', 'h']]);
    // Short of the read limit, the record is read to its end; its first line is the record, and the lines after it are read.
    expect(await read(`a,"x\n${'y'.repeat(readLimit - 10)}"\nb,c`)).toEqual([{ broken: 'quote_runs_on', values: ['a', '"x'] }, { broken: 'too_long' }, ['b', 'c']]);
  });

  it('splits a file without quotes itself, to the last line', async () => {
    const testCase: Case = { text: 'First,Last\r\nAnn,Lee\r\n\r\nBo,\r\nCy,Dee', delimiter: ',', declared: false, maxRecordBytes: 1000 };
    expect(await records(testCase, piecesOf(testCase.text, randomFrom(1)), true)).toEqual([['First', 'Last'], ['Ann', 'Lee'], [''], ['Bo', ''], ['Cy', 'Dee']]);
  });

  it('reads a quoted value with spaces or tabs between it and its separators as the quoted value, with comma, semicolon or tab', async () => {
    const read = (text: string, delimiter: CsvDelimiter) =>
      records({ text, delimiter, declared: false, maxRecordBytes: 1000 }, piecesOf(text, randomFrom(text.length)), false);
    expect(await read('R-1, "Okafor, Jr.", Ada\r\nR-2,\t"Mary  Ann" ,  Lee \r\nR-3, "say ""hi"", Bo" \t\r\n', ',')).toEqual([
      ['R-1', 'Okafor, Jr.', ' Ada'],
      ['R-2', 'Mary  Ann', '  Lee '],
      ['R-3', 'say "hi", Bo'],
    ]);
    expect(await read('R-1; "Lopez; MD" ; Ana\nR-2 ;"a"  \n', ';')).toEqual([
      ['R-1', 'Lopez; MD', ' Ana'],
      ['R-2 ', 'a'],
    ]);
    // Between tabs, a tab is a separator: only spaces are padding.
    expect(await read('R-1\t "Okafor\tJr" \t Ada\nR-2\t\t"b"\n', '\t')).toEqual([
      ['R-1', 'Okafor\tJr', ' Ada'],
      ['R-2', '', 'b'],
    ]);
    // A quote after other text in a value, or followed by more of it, is part of the value, as before.
    expect(await read('a, b "c", "Bo" x ,"d"  e\n', ',')).toEqual([['a', ' b "c"', '"Bo" x ', '"d"  e']]);
    // A quote opened after padding and never closed is a quote never closed.
    expect(await read('a,b\nc, "d\n', ',')).toEqual([['a', 'b'], { broken: 'quote_not_closed' }]);
  });

  it("reads a file without spaces or tabs beside a value's quotes as csv-parse alone reads it", async () => {
    const random = randomFrom(20261203);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    let compared = 0;
    // Spaces or tabs beside a quote elsewhere: after other text, inside a quoted value, or before more of a value.
    let besideQuotes = 0;
    for (let run = 0; run < 1500; run++) {
      const delimiter = pick([',', ';', '\t'] as const);
      const alphabet = ['a', 'é', '😀', ' ', ' ', '\t', '"', '"', '"', delimiter, delimiter, pick([',', ';']), pick(['\r\n', '\n', '\r'])];
      let text = '';
      const length = Math.floor(random() * 80);
      for (let index = 0; index < length; index++) text += pick(alphabet);
      const separator = delimiter === '\t' ? '\t' : `\\${delimiter}`;
      const padding = delimiter === '\t' ? ' ' : ' \t';
      if (new RegExp(`(^|[${separator}\r\n])[${padding}]+"|"[${padding}]+([${separator}\r\n]|$)`).test(text)) continue;
      let expected: string[][];
      try {
        expected = parse(text, { delimiter, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, relax_quotes: true });
      } catch {
        continue;
      }
      // A value whose lines after its first look like rows is read as rows (below).
      if (expected.some((values) => values.some((value) => value.split(/\r\n|\n|\r/).slice(1).some((line) => line.split(delimiter).length > 3)))) continue;
      compared += 1;
      if (/[ \t]"|"[ \t]/.test(text)) besideQuotes += 1;
      const testCase = { text, delimiter, declared: false, maxRecordBytes: 1000 };
      expect(await records(testCase, piecesOf(text, random), false), JSON.stringify(testCase)).toEqual(expected);
    }
    expect(compared).toBeGreaterThan(300);
    expect(besideQuotes).toBeGreaterThan(150);
  });

  it('reads back values written with spaces and tabs around their quotes, whatever the values, separators, line ends and pieces', async () => {
    const random = randomFrom(31122026);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
    for (let run = 0; run < 300; run++) {
      const delimiter = pick([',', ';', '\t'] as const);
      const lineEnd = pick(['\r\n', '\n', '\r']);
      const padding = delimiter === '\t' ? [' '] : [' ', '\t'];
      const pad = () => Array.from({ length: pick([0, 0, 1, 1, 2, 3]) }, () => pick(padding)).join('');
      const alphabet = ['a', 'é', ' ', '\t', '"', ',', ';', '\n', '\r'];
      const written: string[][] = Array.from({ length: 1 + Math.floor(random() * 5) }, () =>
        Array.from({ length: 1 + Math.floor(random() * 4) }, () => Array.from({ length: Math.floor(random() * 6) }, () => pick(alphabet)).join('')),
      );
      const lines = written.map((values) =>
        values
          .map((value) => {
            // Unquoted, a value must not hold a separator or line break, nor start with a quote once its padding is past.
            const mustQuote = value.includes(delimiter) || /[\r\n]/.test(value) || /^[ \t]*"/.test(value) || (values.length === 1 && value === '');
            return mustQuote || random() < 0.5 ? `${pad()}"${value.replaceAll('"', '""')}"${pad()}` : value;
          })
          .join(delimiter),
      );
      const text = lines.join(lineEnd) + pick(['', lineEnd]);
      const testCase = { text, delimiter, declared: false, maxRecordBytes: 1000 };
      expect(await records(testCase, piecesOf(text, random), false), JSON.stringify(testCase)).toEqual(written);
    }
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
