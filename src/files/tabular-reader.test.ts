import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipFile } from '../../test/container-files.ts';
import { AppError } from '../http/errors.ts';
import { FileLimitError } from './limits.ts';
import { quotesRunningOnReadAgain } from './csv-records.ts';
import { sniffDelimiter } from './csv-reading.ts';
import { readTabular } from './tabular-reader.ts';
import type { ColumnSpec, FileSource, ReadTabularOptions, TabularRow } from './tabular-reader.ts';

const columns: ColumnSpec[] = [
  { name: 'firstName', label: 'First Name', required: true },
  { name: 'lastName', label: 'Last Name', synonyms: ['Surname'], required: true },
  { name: 'npi', label: 'NPI', synonyms: ['NPI Number'] },
  { name: 'licenseNumber', label: 'License Number', synonyms: ['License No'] },
  { name: 'completionDate', label: 'Completion Date' },
  { name: 'credits', label: 'Credits' },
];

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'cmehub-tabular-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const filePath = path.join(directory, name);
  await writeFile(filePath, content);
  return filePath;
}

/**
 * SurveyMonkey's export of a CME evaluation: the respondent's own First Name and Last Name (left empty by a web link),
 * the Contact Information question over its fields, then each question over its choices, one column each. The first
 * header row alone is a header (of the empty names); the second names the columns read.
 */
function surveyMonkeyExport(questions: number): string[][] {
  const choices = ['Strongly agree', 'Agree', 'Neutral', 'Disagree', 'Strongly disagree'];
  const asked = Array.from({ length: questions }, (_, index) => `How well did the activity meet objective ${index + 1}: apply the screening intervals of the guideline`);
  return [
    ['Respondent ID', 'Collector ID', 'Start Date', 'End Date', 'IP Address', 'Email Address', 'First Name', 'Last Name', 'Custom Data 1', 'Contact Information', '', '', ...asked.flatMap((question) => [question, '', '', '', ''])],
    ['', '', '', '', '', '', '', '', '', 'First Name', 'Last Name', 'Email Address', ...asked.flatMap(() => choices)],
    ['11405872391', '431234567', '11/20/2026 10:01:02 AM', '11/20/2026 10:04:40 AM', '10.0.0.1', '', '', '', '', 'Tess', 'Contact', 't@example.org', ...asked.flatMap(() => ['', 'Agree', '', '', ''])],
  ];
}

async function readAll(source: FileSource, options: Partial<ReadTabularOptions> = {}) {
  const file = await readTabular(source, { format: 'csv', columns, ...options });
  const rows: TabularRow[] = [];
  for await (const row of file.rows) rows.push(row);
  return { file, rows };
}

describe('reading CSV', () => {
  it('strips a UTF-8 BOM, matches headings leniently and keeps spreadsheet row numbers', async () => {
    const csv = '\uFEFF first name ,SURNAME,NPI Number,License #,Credits\r\nJosé,Núñez,1234567893,A123,1.5\r\n\r\n  Ann  ,Lee,,,2\r\n';
    const { file, rows } = await readAll(await fileWith('bom.csv', csv));
    expect(file.encoding).toBe('utf8');
    expect(file.header.ok).toBe(true);
    expect(file.header.columns.map((column) => column.name)).toEqual(['firstName', 'lastName', 'npi', 'licenseNumber', 'credits']);
    expect(rows.map((row) => row.rowNumber)).toEqual([2, 4]);
    expect(rows[0].record).toMatchObject({ firstName: 'José', lastName: 'Núñez', npi: '1234567893', licenseNumber: 'A123', credits: '1.5' });
    expect(rows[1].record).toMatchObject({ firstName: 'Ann', lastName: 'Lee', npi: '', completionDate: '' });
  });

  it('reads a file Excel saved as Windows-1252 with accented names', async () => {
    const bytes = iconv.encode('First Name;Last Name\r\nRené;Muñoz\r\nFrançois;Peña\r\n', 'windows-1252');
    expect(bytes.includes(0xe9)).toBe(true);
    const { file, rows } = await readAll(await fileWith('cp1252.csv', bytes));
    expect(file.encoding).toBe('windows-1252');
    expect(file.delimiter).toBe(';');
    expect(rows.map((row) => `${row.record.firstName} ${row.record.lastName}`)).toEqual(['René Muñoz', 'François Peña']);
  });

  it('reads UTF-16 text with a BOM, as Excel saves "Unicode text", tab separated', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('First Name\tLast Name\r\nZoë\tÅberg\r\n', 'utf16le')]);
    const { file, rows } = await readAll(Readable.from([bytes]));
    expect(file.encoding).toBe('utf16le');
    expect(file.delimiter).toBe('\t');
    expect(rows[0].record).toMatchObject({ firstName: 'Zoë', lastName: 'Åberg' });
  });

  it('finds semicolons, tabs and vertical bars, and honours an Excel "sep=" line', async () => {
    expect(sniffDelimiter('a;b;c\n1;2;3\n')).toBe(';');
    expect(sniffDelimiter('a\tb\tc\n1\t2,5\t3\n')).toBe('\t');
    expect(sniffDelimiter('"a;x",b,c\n1,2,3\n')).toBe(',');
    // A database's export, by vertical bars; a comma-separated file with a bar in its header is still by commas.
    expect(sniffDelimiter('NPI|First Name|Last Name\n1234567893|Ann|Lee, Jr\n')).toBe('|');
    expect(sniffDelimiter('Name|Alias,First Name,Last Name\nx,Ann,Lee\ny,Bo,Chan\n')).toBe(',');
    const { file, rows } = await readAll(await fileWith('sep.csv', 'sep=|\nFirst Name|Last Name\nAnn|Lee, Jr\n'));
    expect(file.delimiter).toBe('|');
    expect(rows[0]).toMatchObject({ rowNumber: 3, record: { firstName: 'Ann', lastName: 'Lee, Jr' } });
    const declared = await readAll(await fileWith('sep2.csv', 'sep=;\r\nFirst Name;Last Name\r\nAnn;Lee,Jr\r\n'));
    expect(declared.file.delimiter).toBe(';');
    expect(declared.rows[0]).toMatchObject({ rowNumber: 3, record: { firstName: 'Ann', lastName: 'Lee,Jr' } });
  });

  it('finds the separator of the header and rows under a title line that has none, or has commas between tabs', async () => {
    const semicolons = await readAll(await fileWith('titled-semicolons.csv', 'Attendance report\r\nFirst Name;Last Name;Credits\r\nAnn;Lee;1,5\r\nBo;Ek;2\r\n'));
    expect(semicolons.file.delimiter).toBe(';');
    expect(semicolons.rows.map((row) => [row.rowNumber, row.record.firstName, row.record.credits])).toEqual([
      [3, 'Ann', '1,5'],
      [4, 'Bo', '2'],
    ]);
    const tabs = await readAll(await fileWith('titled-tabs.txt', 'Course completions, generated Dec 1, 2026\n\nFirst Name\tLast Name\tCredits\nAnn\tLee, Jr\t1.5\nBo\tEk\t2\n'));
    expect(tabs.file.delimiter).toBe('\t');
    expect(tabs.rows.map((row) => [row.rowNumber, row.record.lastName])).toEqual([
      [4, 'Lee, Jr'],
      [5, 'Ek'],
    ]);
  });

  it('keeps quoted separators, quotes and line breaks inside values', async () => {
    const csv = 'First Name,Last Name,Credits\n"Mary, Jr","O""Brien\nSmith",1\nBob,Ray,2\n';
    const { rows } = await readAll(await fileWith('quoted.csv', csv));
    expect(rows[0].record).toMatchObject({ firstName: 'Mary, Jr', lastName: 'O"Brien\nSmith' });
    expect(rows[1]).toMatchObject({ rowNumber: 3, record: { firstName: 'Bob' } });
  });

  it('reads a quoted value with spaces or tabs before or after its quotes as the value in the quotes, separated by commas, semicolons or tabs', async () => {
    const comma = await readAll(await fileWith('padded-comma.csv', 'First Name, "Last Name", NPI,\tCredits\r\n"Ada", "Okafor, Jr.", 1234567893 ,\t"1.5"\r\n  Mary Ann , "Lee  Smith"  ,,2\r\n'));
    expect(comma.file.delimiter).toBe(',');
    expect(comma.file.header.columns.map((column) => column.heading)).toEqual(['First Name', 'Last Name', 'NPI', 'Credits']);
    expect(comma.rows.map((row) => [row.record, row.problems])).toEqual([
      [{ firstName: 'Ada', lastName: 'Okafor, Jr.', npi: '1234567893', licenseNumber: '', completionDate: '', credits: '1.5' }, []],
      // Spaces inside the quotes stay; those around an unquoted value go, as they always did.
      [{ firstName: 'Mary Ann', lastName: 'Lee  Smith', npi: '', licenseNumber: '', completionDate: '', credits: '2' }, []],
    ]);

    const semicolon = await readAll(await fileWith('padded-semicolon.csv', 'First Name; Last Name; Credits\n "Ana" ; "Lopez; MD";\t"1,5"\n'));
    expect(semicolon.file.delimiter).toBe(';');
    expect(semicolon.rows.map((row) => [row.record.firstName, row.record.lastName, row.record.credits, row.problems])).toEqual([['Ana', 'Lopez; MD', '1,5', []]]);

    // Where a tab separates values, two tabs are an empty value between them, not padding.
    const tab = await readAll(await fileWith('padded-tab.csv', 'First Name\tLast Name\tCredits\n "Bo"\t "Ray, Jr." \t2\nCy\t\t "3"\n'));
    expect(tab.file.delimiter).toBe('\t');
    expect(tab.rows.map((row) => [row.record.firstName, row.record.lastName, row.record.credits, row.problems])).toEqual([
      ['Bo', 'Ray, Jr.', '2', []],
      ['Cy', '', '3', []],
    ]);
  });

  it('reports ragged rows on the row, and reads the rest', async () => {
    const csv = 'First Name,NPI,Last Name\nAnn,1,Lee\nBob,2,Ray,extra\nCy,3\nDan,3,Eck,\nGrand Totals (4 records)\n';
    const { rows } = await readAll(await fileWith('ragged.csv', csv));
    expect(rows.map((row) => [row.rowNumber, row.problems.map((problem) => problem.code)])).toEqual([
      [2, []],
      [3, ['too_many_values']],
      [4, ['too_few_values']],
      [5, []],
      // A line without a separator is no row cut short: a note, or a program's count of its rows.
      [6, ['line_of_text']],
    ]);
    expect(rows[1].problems[0].message).toContain('4 values but the header has 3 columns');
    expect(rows[2].problems[0].message).toContain('2 values but the header has 3 columns: it ends before "Last Name", which must be filled in');
  });

  it('reads the optional columns a short row leaves out at its end as empty', async () => {
    const csv = 'First Name,Last Name,Credits,NPI,Notes\nAnn,Lee,1\nBo,Ray,2,1234567893\nCy,Dee,3,,\n';
    const { rows } = await readAll(await fileWith('short.csv', csv));
    expect(rows.map((row) => [row.rowNumber, row.record.credits, row.record.npi, row.problems])).toEqual([
      [2, '1', '', []],
      [3, '2', '1234567893', []],
      [4, '3', '', []],
    ]);
  });

  it('skips a row with nothing in it but spaces or a zero-width space, as a spreadsheet shows it empty', async () => {
    const csv = 'First Name,Last Name,Credits\nAnn,Lee,1\n , ,  \n,\u200B,\nBo, ,2\n';
    const { rows } = await readAll(await fileWith('spaces.csv', csv));
    expect(rows.map((row) => [row.rowNumber, row.record.firstName])).toEqual([
      [2, 'Ann'],
      [5, 'Bo'],
    ]);
  });

  it('keeps a stray quote as text rather than losing the row', async () => {
    const csv = 'First Name,Last Name\nAnn,O"Lee\n"Bob" x,Ray\nCy,Dee\n';
    const { rows } = await readAll(await fileWith('strayquote.csv', csv));
    expect(rows.map((row) => [row.rowNumber, row.record.firstName, row.record.lastName, row.problems])).toEqual([
      [2, 'Ann', 'O"Lee', []],
      [3, '"Bob" x', 'Ray', []],
      [4, 'Cy', 'Dee', []],
    ]);
  });

  it('rejects the row of a quote that never closes alone, with the values its line holds, and reads each line after it as a row', async () => {
    const csv = `First Name,Last Name\nAnn,Lee\nBo,"Ray\n${'Cy,Dee\n'.repeat(5000)}`;
    for (const maxRecordBytes of [1000, 100_000]) {
      const { rows } = await readAll(await fileWith('unclosed.csv', csv), { limits: { maxRecordBytes } });
      expect(rows).toHaveLength(5002);
      expect(rows.slice(0, 3).map((row) => [row.rowNumber, row.record.firstName, row.record.lastName, row.problems.map((problem) => problem.code)])).toEqual([
        [2, 'Ann', 'Lee', []],
        [3, 'Bo', '"Ray', ['unreadable_row']],
        [4, 'Cy', 'Dee', []],
      ]);
      expect(rows[1].problems[0].message).toBe(
        'A value opens a quote (") that is not closed on this row\'s line, so it would take in the rows after it: only this row was rejected, and the rows after it were read as usual. Take the quote out, or close it where the value ends, or double a quote that is part of the value ("").',
      );
      expect(rows.slice(2).every((row) => row.record.firstName === 'Cy' && row.problems.length === 0)).toBe(true);
      expect(rows.at(-1)?.rowNumber).toBe(5003);
    }
    // On the last line, it takes no row with it.
    const { rows } = await readAll(await fileWith('unclosed-last.csv', 'First Name,Last Name\nAnn,Lee\nBo,"Ray\n'));
    expect(rows.map((row) => [row.rowNumber, row.problems.map((problem) => problem.code)])).toEqual([
      [2, []],
      [3, ['unreadable_row']],
    ]);
    expect(rows[1].problems[0].message).toContain('never closed');
  });

  it('reads every row after a row longer than the limit, quoted or not, and says which row it was', async () => {
    const long = 'y'.repeat(3000);
    const csv = `First Name,Last Name\r\nAnn,Lee\r\nBo,"${long}"\r\n${long},Ray\r\n"Cy","Dee"\r\nDan,Eck`;
    for (const source of [await fileWith('long.csv', csv), Readable.from([Buffer.from(csv)])]) {
      const { rows } = await readAll(source, { limits: { maxRecordBytes: 1000 } });
      expect(rows.map((row) => [row.rowNumber, row.record.firstName, row.problems.map((problem) => problem.code)])).toEqual([
        [2, 'Ann', []],
        [3, '', ['row_too_long']],
        [4, '', ['row_too_long']],
        [5, 'Cy', []],
        [6, 'Dan', []],
      ]);
      expect(rows[1].problems[0].message).toBe('The row is longer than 1,000 characters, the most a row may have; shorten the values that are too long.');
    }
  });

  it('rejects alone the row of a quote closed only lines later, past the row limit, and reads the lines after it as rows', async () => {
    const csv = `First Name,Last Name\nAnn,Lee\nBo,"Ray\n${'Cy,Dee\n'.repeat(300)}Eve,Fox"\nDan,Eck\n`;
    const { rows } = await readAll(await fileWith('long-lines.csv', csv), { limits: { maxRecordBytes: 1000 } });
    expect(rows.map((row) => [row.rowNumber, `${row.record.firstName} ${row.record.lastName}`, row.problems.map((problem) => problem.code)])).toEqual([
      [2, 'Ann Lee', []],
      [3, 'Bo "Ray', ['unreadable_row']],
      ...Array.from({ length: 300 }, (_, index) => [index + 4, 'Cy Dee', []]),
      [304, 'Eve Fox"', []],
      [305, 'Dan Eck', []],
    ]);
  });

  it('reads on past a quote that runs on for more than 1 MB, and stops at a line that long, after the rows before it', async () => {
    const { rows } = await readAll(await fileWith('quote-past-read-limit.csv', `First Name,Last Name\nAnn,Lee\nBo,"Ray\n${'Cy,Dee\n'.repeat(200_000)}Dan,Eck\n`), {
      limits: { maxRecordBytes: 1000, maxRows: 300_000 },
    });
    expect(rows).toHaveLength(200_003);
    expect(rows[1]).toMatchObject({ rowNumber: 3, record: { firstName: 'Bo', lastName: '"Ray' }, problems: [{ code: 'unreadable_row' }] });
    expect(rows.at(-1)).toMatchObject({ rowNumber: 200_004, record: { firstName: 'Dan' }, problems: [] });

    const file = await readTabular(await fileWith('past-read-limit.csv', `First Name,Last Name\nAnn,Lee\nBo,${'y'.repeat(1_100_000)}\nCy,Dee\n`), {
      format: 'csv',
      columns,
      limits: { maxRecordBytes: 1000 },
    });
    const iterator = file.rows[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ rowNumber: 2, record: { firstName: 'Ann' }, problems: [] });
    const stop = iterator.next();
    await expect(stop).rejects.toMatchObject({ status: 422, code: 'file_unreadable' });
    await expect(stop).rejects.toThrow(
      'Row 3 goes on for more than 1 MB without ending, far past the 1,000 characters a row may have. Neither row 3 nor any row after it was taken in. Shorten the values that are too long.',
    );
  });

  it('stops at the quote that runs on once too many have, naming its row', async () => {
    const runsOn = Array.from({ length: quotesRunningOnReadAgain + 1 }, (_, index) => `Bo${index},"Ray\n${'y'.repeat(1100)}"`);
    const reading = readAll(await fileWith('quotes-run-on.csv', ['First Name,Last Name', ...runsOn, 'Cy,Dee'].join('\n')), { limits: { maxRecordBytes: 1000 } });
    await expect(reading).rejects.toMatchObject({ status: 422, code: 'file_unreadable' });
    await expect(reading).rejects.toThrow(
      `Row 202 opens a quote (") that is not closed on its line, as ${quotesRunningOnReadAgain} rows before it did: the file's values hold quotes that are not written as CSV writes them. Neither row 202 nor any row after it was taken in.`,
    );
  });

  it('drops a NUL in a value, and reads each line in its own encoding', async () => {
    const bytes = Buffer.concat([Buffer.from('First Name,Last Name\nAnn,Nu\0ll\nJosé,Núñez\n'), iconv.encode('Zoë,Muñoz\n', 'windows-1252')]);
    for (const source of [await fileWith('nul.csv', bytes), Readable.from([bytes])]) {
      const { rows } = await readAll(source);
      expect(rows.map((row) => `${row.record.firstName} ${row.record.lastName}`)).toEqual(['Ann Null', 'José Núñez', 'Zoë Muñoz']);
    }
  });

  it('reads UTF-16 text without a byte order mark', async () => {
    const { file, rows } = await readAll(Readable.from([iconv.encode('First Name\tLast Name\r\nZoë\tÅberg\r\n', 'utf16le')]));
    expect(file.encoding).toBe('utf16le');
    expect(rows[0].record).toMatchObject({ firstName: 'Zoë', lastName: 'Åberg' });
  });

  it('says that a header row longer than the limit could not be read, rather than that there is none', async () => {
    const headings = ['First Name', 'Last Name', ...Array.from({ length: 200 }, (_, index) => `Question ${index + 1}`)];
    const { file } = await readAll(await fileWith('survey.csv', `${headings.join(',')}\r\nAnn,Lee\r\n`), { limits: { maxRecordBytes: 1000 } });
    expect(file.header.ok).toBe(false);
    expect(file.header.problems[0].message).toContain(
      'No header row was found in the first 25 rows of the file: row 1 could not be read. The row is longer than 1,000 characters, the most a row may have; shorten the values that are too long. A header row that long has thousands of columns: keep those of the template.',
    );
  });

  it('names the first 30 columns it does not use, and counts the others', async () => {
    const headings = ['First Name', 'Last Name', ...Array.from({ length: 300 }, (_, index) => `Question ${index + 1}`)];
    const { file } = await readAll(await fileWith('wide.csv', `${headings.join(',')}\r\nAnn,Lee\r\n`));
    const [note] = file.header.problems.filter((problem) => problem.code === 'unknown_columns');
    expect(note.message).toMatch(/^These columns are not used and their values are ignored: "Question 1", "Question 2", .*"Question 30", and 270 more\.$/);
    expect(file.header.unknown).toHaveLength(300);
  });

  it('names missing required columns and unknown ones once, in the header', async () => {
    const { file, rows } = await readAll(await fileWith('missing.csv', 'First Name,Shoe Size,Favourite Colour\nAnn,9,red\n'));
    expect(file.header.ok).toBe(false);
    expect(file.header.missing).toEqual(['lastName']);
    expect(file.header.unknown).toEqual(['Shoe Size', 'Favourite Colour']);
    expect(file.header.problems.map((problem) => problem.message).join(' ')).toContain('"Last Name"');
    expect(rows).toEqual([]);
  });

  it('finds the header below a title row', async () => {
    const { file, rows } = await readAll(await fileWith('title.csv', 'Completions June 2025,,\n,,\nFirst Name,Last Name,NPI\nAnn,Lee,1\n'));
    expect(file.header).toMatchObject({ ok: true, rowNumber: 3 });
    expect(rows[0]).toMatchObject({ rowNumber: 4, record: { npi: '1' } });
  });

  it('finds the header under a title that reads like a report\'s section, and never in a section of its hosts or panelists', async () => {
    for (const title of ['Course Completion Details', 'CME Credit Summary', 'Attendance Details', '2. Participants']) {
      const { file, rows } = await readAll(await fileWith('titled.csv', `${title},,\nFirst Name,Last Name,NPI\nAnn,Lee,1\n`));
      expect(file.header, title).toMatchObject({ ok: true, rowNumber: 2 });
      expect(rows.map((row) => row.record.firstName), title).toEqual(['Ann']);
    }
    const sections = await readAll(await fileWith('sections.csv', 'Panelist Details,,\nFirst Name,Last Name,NPI\nPam,Panel,9\nAttendee Details,,\nFirst Name,Last Name,NPI\nAnn,Lee,1\n'));
    expect(sections.file.header).toMatchObject({ ok: true, rowNumber: 5 });
    expect(sections.rows.map((row) => row.record.firstName)).toEqual(['Ann']);
  });

  it('reads a header of two rows, each column named by its own heading with its group\'s, where neither row is a header alone', async () => {
    const { file, rows } = await readAll(await fileWith('grouped.csv', 'Name,,License,Completion Date\nFirst,Last,Number,\nAnn,Lee,A1,2026-11-20\n'));
    expect(file.header).toMatchObject({ ok: true, rowNumber: 2 });
    expect(file.header.columns.map((column) => [column.heading, column.name])).toEqual([
      ['First Name', 'firstName'],
      ['Last Name', 'lastName'],
      ['License Number', 'licenseNumber'],
      ['Completion Date', 'completionDate'],
    ]);
    expect(rows.map((row) => [row.rowNumber, row.record])).toEqual([[3, expect.objectContaining({ firstName: 'Ann', lastName: 'Lee', licenseNumber: 'A1', completionDate: '2026-11-20' })]]);
    // A header of one row, and a first row of values with cells left empty, are not taken for one of two rows.
    const sparse = await readAll(await fileWith('sparse.csv', 'First Name,Last Name,NPI,License Number\nAnn,,,\nBo,Ek,2,B2\n'));
    expect(sparse.file.header).toMatchObject({ ok: true, rowNumber: 1 });
    expect(sparse.file.header.problems.map((problem) => problem.code)).not.toContain('header_two_rows');
    expect(sparse.rows.map((row) => row.rowNumber)).toEqual([2, 3]);
  });

  it('reads a header of two rows whose second row comes in the next chunk of the file, as in a wide survey export', async () => {
    // 450 questions of five choices: the first 64 KB read end after the first header row, inside the second.
    const [questions, choices, answers] = surveyMonkeyExport(450).map((cells) => cells.join(','));
    const chunk = 64 * 1024;
    expect(questions.length + 2).toBeLessThan(chunk);
    expect(questions.length + 2 + choices.length + 2).toBeGreaterThan(chunk);
    const { file, rows } = await readAll(await fileWith('survey-monkey.csv', [questions, choices, answers, ''].join('\r\n')));
    expect(file.header).toMatchObject({ ok: true, rowNumber: 2 });
    expect(file.header.problems.map((problem) => problem.code)).toContain('header_two_rows');
    expect(rows.map((row) => [row.rowNumber, row.record.firstName, row.record.lastName])).toEqual([[3, 'Tess', 'Contact']]);
  });

  it('says how far down the header row is looked for, when it is further down', async () => {
    const notes = Array.from({ length: 25 }, (_, index) => `Note ${index + 1},,`);
    const { file } = await readAll(await fileWith('deep.csv', [...notes, 'First Name,Last Name,NPI', 'Ann,Lee,1', ''].join('\n')));
    expect(file.header.ok).toBe(false);
    expect(file.header.problems[0]).toMatchObject({
      code: 'no_header_row',
      message: expect.stringMatching(/^No header row was found in the first 25 rows of the file \(empty rows aside\)\. The header row names the columns, as in the template; a title above it is fine, within those rows\./),
    });
  });

  it('says a file that begins with a row of values was saved without its header row, naming the cell that shows it', async () => {
    const { file } = await readAll(await fileWith('no-header.csv', 'Ann,Lee,1234567893,A-1,2025-06-30,1\nBo,Ek,1234567893,A-2,2025-06-30,1\n'));
    expect(file.header.ok).toBe(false);
    expect(file.header.problems[0]).toMatchObject({
      code: 'no_header_row',
      message: 'The file has no header row: its first row (row 1) holds values, a number in column C, where the template\'s first row names the columns. Add a row above it with the column names, as in the template. It needs at least these columns: "First Name", "Last Name".',
    });
    // Separated by tabs, as SQL Server's bcp writes a table, it is said how to export the file with its header.
    const { file: bcp } = await readAll(await fileWith('table.txt', 'Ann\tLee\t1234567893\tA-1\t2025-06-30\t1\n'));
    expect(bcp.header.problems[0].message).toMatch(/Add a row above it with the column names, as in the template\. If a database tool exported it \(bcp writes no column names\), export it with them instead: sqlcmd with -s and -W/);
    // A first row of words is no sign of values: the file is said only to have no header row.
    const { file: words } = await readAll(await fileWith('words.csv', 'Attendance,June\nAnn,Lee\n'));
    expect(words.header.problems[0].message).toMatch(/^No header row was found in the first 25 rows/);
  });

  it('reads a value without the zero-width characters pasted text may carry, which a spreadsheet does not show', async () => {
    const { rows } = await readAll(await fileWith('pasted.csv', 'First Name,Last Name,NPI\nAnn\u200B,Lee,\uFEFF1234567893\u2060\nZoë\u200D,Ray,\u200B 1234567893\n'));
    expect(rows.map((row) => row.record)).toEqual([
      { firstName: 'Ann', lastName: 'Lee', npi: '1234567893', licenseNumber: '', completionDate: '', credits: '' },
      // A joiner may be part of a name: it stays.
      { firstName: 'Zoë\u200D', lastName: 'Ray', npi: '1234567893', licenseNumber: '', completionDate: '', credits: '' },
    ]);
  });

  it('says a row that repeats the header row does, as where two files were put together', async () => {
    const first = 'First Name,Last Name,NPI\nAnn,Lee,1\n';
    const { rows } = await readAll(await fileWith('together.csv', `\uFEFF${first}\uFEFF${first.replace('NPI', 'npi')}Ann,First Name,2\n`));
    expect(rows.map((row) => [row.rowNumber, row.problems.map((problem) => problem.code)])).toEqual([
      [2, []],
      [3, ['header_repeated']],
      [4, []],
      // A value that is a heading is no header: the other required column holds a name.
      [5, []],
    ]);
    expect(rows[1].problems[0].message).toBe('The row repeats the header row (two files put together, or rows pasted with their header): delete it.');
  });

  it('reads the rows a quote would take into one value as rows, rejecting the row that opened it alone', async () => {
    const csv = ['First Name,Last Name,NPI,License No,Credits', 'Ann,Lee,1,A1,1', '"Jim,Ray,2,A2,1', 'Bo,Ek,3,A3,1', 'Cy,Dee",4,A4,1', 'Di,Fox,5,A5,1', ''].join('\n');
    const { rows } = await readAll(await fileWith('swallowed.csv', csv));
    const read = (found: TabularRow[]) => found.map((row) => [row.rowNumber, row.record.firstName, row.record.lastName, row.problems.map((problem) => problem.code)]);
    expect(read(rows)).toEqual([
      [2, 'Ann', 'Lee', []],
      [3, '"Jim', 'Ray', ['unreadable_row']],
      [4, 'Bo', 'Ek', []],
      // The quote that closed the value is a character of this row's.
      [5, 'Cy', 'Dee"', []],
      [6, 'Di', 'Fox', []],
    ]);
    expect(rows[1].problems[0].message).toContain('A value opens a quote (") that is not closed on this row\'s line, so it would take in the rows after it');
    // So does a quote opened after a space, and one closed by the quote that opens a later value.
    const padded = ['First Name,Last Name,NPI,License No,Credits', 'Ann,Lee,1,A1,1', 'Jim, "Ray,2,A2,1', 'Bo,Ek,3,A3,1', 'Cy,"Dee, Jr.",4,A4,1', 'Di,Fox,5,A5,1', ''].join('\n');
    const { rows: paddedRows } = await readAll(await fileWith('swallowed-padded.csv', padded));
    expect(read(paddedRows)).toEqual([
      [2, 'Ann', 'Lee', []],
      [3, 'Jim', '"Ray', ['unreadable_row']],
      [4, 'Bo', 'Ek', []],
      [5, 'Cy', 'Dee, Jr.', []],
      [6, 'Di', 'Fox', []],
    ]);
    // A value with line breaks of its own is read as it is, a note of several sentences too.
    const notes = ['First Name,Last Name,NPI,License No,Credits', 'Ann,"Lee\nSmith",1,"A1","Two lines, one of them with a comma,\nand another, and more, so"', ''].join('\n');
    const { rows: [noted] } = await readAll(await fileWith('notes.csv', notes));
    expect(noted).toMatchObject({ record: { lastName: 'Lee\nSmith' }, problems: [] });
  });

  it('reads ="00123", which some programs write for Excel to keep the zeros, as Excel shows it', async () => {
    const csv = ['First Name,Last Name,NPI,License No,Credits', 'Ann,Lee,="1234567893","=""00123""",="1"', 'Bo,Ek,=SUM(1),="a"b",=""', ''].join('\n');
    const { rows } = await readAll(await fileWith('formulas.csv', csv));
    expect(rows.map((row) => row.record)).toEqual([
      { firstName: 'Ann', lastName: 'Lee', npi: '1234567893', licenseNumber: '00123', completionDate: '', credits: '1' },
      // Any other formula is read as written; ="" is text, empty.
      { firstName: 'Bo', lastName: 'Ek', npi: '=SUM(1)', licenseNumber: '="a"b"', completionDate: '', credits: '' },
    ]);
  });

  it('says when a file has no header at all', async () => {
    const { file } = await readAll(await fileWith('empty.csv', ''));
    expect(file.header.ok).toBe(false);
    expect(file.header.problems[0].code).toBe('no_header_row');
  });

  it('refuses a file past the byte limit, from disk or from a stream', async () => {
    const csv = `First Name,Last Name\n${'Ann,Lee\n'.repeat(1000)}`;
    await expect(readAll(await fileWith('big.csv', csv), { limits: { maxBytes: 500 } })).rejects.toMatchObject({
      status: 413,
      code: 'file_limit_bytes',
    });
    const streamed = readAll(Readable.from([Buffer.from(csv)]), { limits: { maxBytes: 500 } });
    await expect(streamed).rejects.toBeInstanceOf(FileLimitError);
    await expect(streamed).rejects.toThrow(/larger than the limit of 500 bytes/);
  });

  it('refuses a file with more rows than allowed, saying how many', async () => {
    const csv = `First Name,Last Name\n${'Ann,Lee\n'.repeat(11)}`;
    await expect(readAll(await fileWith('rows.csv', csv), { limits: { maxRows: 10 } })).rejects.toThrow(/more than 10 rows/);
    const { rows } = await readAll(await fileWith('rows-ok.csv', csv), { limits: { maxRows: 11 } });
    expect(rows).toHaveLength(11);
  });
});

describe('reading XLSX', () => {
  async function workbookFile(name: string, build: (workbook: ExcelJS.Workbook) => void): Promise<string> {
    const workbook = new ExcelJS.Workbook();
    build(workbook);
    const filePath = path.join(directory, name);
    await workbook.xlsx.writeFile(filePath);
    return filePath;
  }

  it('says a sheet that begins with a row of values has no header row, naming the sheet and the cell that shows it', async () => {
    const filePath = await workbookFile('no-header.xlsx', (workbook) => {
      workbook.addWorksheet('Instructions').addRow(['Fill in the Learners sheet, one row per completion.']);
      workbook.addWorksheet('June').addRow(['Ann', 'Lee', null, null, new Date(Date.UTC(2025, 5, 30)), 1]);
    });
    const { file } = await readAll(filePath, { format: 'xlsx' });
    expect(file.header.problems[0].message).toMatch(/^Sheet "June" has no header row: its first row \(row 1\) holds values, a date in column E, where/);
  });

  it('reads the first sheet whose header matches, with dates and numbers as text', async () => {
    const filePath = await workbookFile('learners.xlsx', (workbook) => {
      workbook.addWorksheet('Instructions').addRow(['Fill in the Learners sheet, one row per completion.']);
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow(['Completions, June']);
      sheet.addRow(['First Name*', 'LAST NAME', 'NPI Number', 'License No', 'Completion Date', 'Credits', 'Notes']);
      sheet.addRow(['José', 'Núñez', 1234567893, 'A-1', new Date(Date.UTC(2025, 5, 30)), 0.1 + 0.2, 'x']);
      sheet.addRow(['Ann', { richText: [{ text: 'L' }, { text: 'ee' }] }, { formula: '1+1', result: 2 }, null, '2025-07-01', 1.25]);
      sheet.addRow([]);
      sheet.addRow(['Bo', 'Ek', null, null, null, true]);
      // Left with a space in two cells: shown empty, and skipped.
      sheet.addRow([' ', null, null, '  ']);
    });
    const { file, rows } = await readAll(filePath, { format: 'xlsx' });
    expect(file.header).toMatchObject({ ok: true, rowNumber: 2, sheetName: 'Learners', unknown: ['Notes'] });
    expect(rows.map((row) => row.rowNumber)).toEqual([3, 4, 6]);
    expect(rows[0].record).toEqual({
      firstName: 'José',
      lastName: 'Núñez',
      npi: '1234567893',
      licenseNumber: 'A-1',
      completionDate: '2025-06-30',
      credits: '0.30000000000000004',
    });
    expect(rows[1].record).toMatchObject({ lastName: 'Lee', npi: '2', completionDate: '2025-07-01', credits: '1.25' });
    // A TRUE/FALSE cell reads as the yes or no the columns take.
    expect(rows[2].record.credits).toBe('Yes');
  });

  it('reads a header of two rows whose second row comes in the next piece of the sheet, as in a wide survey export', async () => {
    // 450 questions of five choices: the second header row's 2,253 cells run past the sheet's first 64 KB.
    const filePath = await workbookFile('survey-monkey.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Sheet');
      for (const cells of surveyMonkeyExport(450)) sheet.addRow(cells.map((cell) => cell || null));
    });
    const { file, rows } = await readAll(filePath, { format: 'xlsx' });
    expect(file.header).toMatchObject({ ok: true, rowNumber: 2 });
    expect(file.header.problems.map((problem) => problem.code)).toContain('header_two_rows');
    expect(rows.map((row) => [row.rowNumber, row.record.firstName, row.record.lastName])).toEqual([[3, 'Tess', 'Contact']]);
  });

  it('reads a cell without the zero-width characters pasted text may carry', async () => {
    const filePath = await workbookFile('pasted.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow(['First Name', 'Last Name', 'NPI']);
      sheet.addRow(['Ann', 'Lee\u200B', '1234567893\u200B']);
    });
    const { rows } = await readAll(filePath, { format: 'xlsx' });
    expect(rows[0].record).toMatchObject({ lastName: 'Lee', npi: '1234567893' });
  });

  it('says how far down each sheet the header row is looked for, when it is further down', async () => {
    const filePath = await workbookFile('deep.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      for (let note = 1; note <= 25; note++) sheet.addRow([`Note ${note}`]);
      sheet.addRow(['First Name', 'Last Name', 'NPI']);
      sheet.addRow(['Ann', 'Lee', 1]);
    });
    const { file } = await readAll(filePath, { format: 'xlsx' });
    expect(file.header.problems[0]).toMatchObject({
      code: 'no_header_row',
      message: expect.stringMatching(/^No sheet has the header row of the template in its first 25 rows, empty rows aside \(sheets: "Learners"\); a title above it is fine, within those rows\./),
    });
  });

  it('keeps accented text whole where the sheet is unpacked in pieces', async () => {
    // Written without shared strings, the text is inside the sheet's XML, which is read a piece at a
    // time: a character split between two pieces must come out whole.
    const filePath = path.join(directory, 'inline.xlsx');
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: filePath, useSharedStrings: false });
    const sheet = writer.addWorksheet('Learners');
    sheet.addRow(['First Name', 'Last Name']).commit();
    const names = Array.from({ length: 400 }, (_, index) => `${'Zoë Ñúñez-Größe 日本 '.repeat(20)}${index}`);
    for (const name of names) sheet.addRow([name, 'Lee']).commit();
    sheet.commit();
    await writer.commit();
    const { rows } = await readAll(filePath, { format: 'xlsx' });
    expect(rows.map((row) => row.record.firstName)).toEqual(names.map((name) => name.trim()));
  });

  it('reads a workbook sent as a stream', async () => {
    const filePath = await workbookFile('stream.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Data');
      sheet.addRow(['First Name', 'Last Name']);
      sheet.addRow(['Ann', 'Lee']);
    });
    const { createReadStream } = await import('node:fs');
    const { rows } = await readAll(createReadStream(filePath), { format: 'xlsx' });
    expect(rows.map((row) => row.record.lastName)).toEqual(['Lee']);
  });

  it('names the sheets when none has the header row', async () => {
    const filePath = await workbookFile('nomatch.xlsx', (workbook) => {
      workbook.addWorksheet('Notes').addRow(['Hello']);
      workbook.addWorksheet('Data').addRow(['First Name', 'Shoe Size']);
    });
    const { file, rows } = await readAll(filePath, { format: 'xlsx' });
    expect(file.header.ok).toBe(false);
    expect(file.header.missing).toEqual(['lastName']);
    expect(file.header.problems[0].message).toContain('"Notes", "Data"');
    expect(rows).toEqual([]);
  });

  it('refuses a file that is not a workbook', async () => {
    const filePath = await fileWith('fake.xlsx', 'First Name,Last Name\nAnn,Lee\n');
    await expect(readAll(filePath, { format: 'xlsx' })).rejects.toMatchObject({ status: 422, code: 'file_unreadable' });
  });

  // `headerOnly`: the check before an upload is queued, which does not unpack the workbook first.
  it.each([false, true])('refuses a zip bomb before reading it (header only: %s)', async (headerOnly) => {
    // 300 MB of zeros squeezes into about 300 KB: far past the ratio of any real sheet.
    const bomb = zipFile([{ name: 'xl/worksheets/sheet1.xml', content: Buffer.alloc(300 * 1024 * 1024) }]);
    const error = await readAll(await fileWith('bomb.xlsx', bomb), { format: 'xlsx', headerOnly }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FileLimitError);
    expect((error as FileLimitError).limit).toBe('compression_ratio');
    expect((error as FileLimitError).status).toBe(413);
  });

  it.each([false, true])('refuses a zip whose entries unpack to more than they declare (header only: %s)', async (headerOnly) => {
    const rows = Array.from({ length: 20_000 }, (_, index) => `<row r="${index + 2}"><c r="A${index + 2}" t="inlineStr"><is><t>Ann${index}</t></is></c></row>`);
    const sheet = '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>First Name</t></is></c><c r="B1" t="inlineStr"><is><t>Last Name</t></is></c></row>'
      + `${rows.join('')}</sheetData></worksheet>`;
    const lying = zipFile([{ name: 'xl/worksheets/sheet1.xml', content: Buffer.from(sheet), declaredSize: 1000 }]);
    await expect(readAll(await fileWith('lying.xlsx', lying), { format: 'xlsx', headerOnly })).rejects.toMatchObject({
      code: 'file_unreadable',
      message: expect.stringContaining('larger than the zip says'),
    });
  });

  const twoThousandNames = (workbook: ExcelJS.Workbook) => {
    const sheet = workbook.addWorksheet('Data');
    sheet.addRow(['First Name', 'Last Name']);
    for (let i = 0; i < 2000; i++) sheet.addRow([`Ann${i}`, `Lee${i}`]);
  };

  it('refuses a workbook that unpacks past the decompressed limit', async () => {
    const filePath = await workbookFile('limit.xlsx', twoThousandNames);
    await expect(readAll(filePath, { format: 'xlsx', limits: { maxDecompressedBytes: 50_000 } })).rejects.toMatchObject({
      code: 'file_limit_decompressed_bytes',
      message: expect.stringContaining('unpacks to more than 48.8 KB'),
    });
  });

  it("refuses a workbook whose shared text is more than the hub holds while reading, saying what to do", async () => {
    const filePath = await workbookFile('text.xlsx', twoThousandNames);
    await expect(readAll(filePath, { format: 'xlsx', limits: { maxSharedStringsBytes: 20_000 } })).rejects.toMatchObject({
      code: 'file_limit_shared_strings',
      message: expect.stringContaining('more than the 19.5 KB the hub holds while reading a sheet. Split the sheet into smaller files, or save it as CSV.'),
    });
    const { rows } = await readAll(filePath, { format: 'xlsx' });
    expect(rows).toHaveLength(2000);
  });

  it('reads the column in sight of two with one heading, where the sheet hides the other, and says so', async () => {
    const filePath = await workbookFile('hidden-column.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow(['First Name', 'Last Name', 'Completion Date', 'NPI', 'Completion Date']);
      sheet.addRow(['Ann', 'Lee', '2026-11-10', '1234567893', '2026-11-20']);
      // Last month's dates, hidden rather than deleted when the sheet was used again.
      sheet.getColumn(3).hidden = true;
    });
    const { file, rows } = await readAll(filePath, { format: 'xlsx' });
    expect(rows[0].record.completionDate).toBe('2026-11-20');
    expect(file.header.problems.find((problem) => problem.code === 'duplicate_column')?.message).toBe(
      'Column "Completion Date" (column C, hidden) repeats "Completion Date"; the one in sight, column E, is read.',
    );
  });

  it('tells how far it has read a sheet by the rows it has handed on, not by the file read ahead of them', async () => {
    const filePath = await workbookFile('year-end.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow(['First Name', 'Last Name', 'NPI', 'Credits']);
      for (let i = 0; i < 20_000; i++) sheet.addRow([`Learner ${i}`, `Family ${i % 997}`, `${1_000_000_000 + i * 7}`, 1.5]);
    });
    const fileBytes = (await stat(filePath)).size;
    let bytesRead = 0;
    const file = await readTabular(filePath, { format: 'xlsx', columns, onProgress: (bytes) => (bytesRead = bytes) });
    const shareAt = new Map<number, number>();
    let rowsRead = 0;
    for await (const batch of file.batches) {
      rowsRead += batch.length;
      for (const quarter of [5_000, 10_000, 15_000]) if (rowsRead >= quarter && !shareAt.has(quarter)) shareAt.set(quarter, bytesRead / fileBytes);
    }
    expect(rowsRead).toBe(20_000);
    // A quarter of the rows is about a quarter of the file, where the progress said nearly all of it.
    expect(shareAt.get(5_000)).toBeLessThan(0.45);
    expect(shareAt.get(10_000)).toBeLessThan(0.7);
    expect(shareAt.get(15_000)).toBeLessThan(0.95);
    expect(bytesRead / fileBytes).toBeGreaterThan(0.9);
  });

  it('refuses a sheet with more rows than allowed', async () => {
    const filePath = await workbookFile('rows.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Data');
      sheet.addRow(['First Name', 'Last Name']);
      for (let i = 0; i < 30; i++) sheet.addRow([`Ann${i}`, 'Lee']);
    });
    await expect(readAll(filePath, { format: 'xlsx', limits: { maxRows: 20 } })).rejects.toMatchObject({ code: 'file_limit_rows' });
  });

  it('reads every sheet of a workbook whose sheets come before its shared strings, as Excel writes them', async () => {
    const part = (name: string, xml: string) => ({ name, content: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${xml}`) });
    const main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const relation = (id: number, target: string) =>
      `<Relationship Id="rId${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${target.split(/[/.]/)[0]}" Target="${target}"/>`;
    const text = (ref: string, index: number) => `<c r="${ref}" t="s"><v>${index}</v></c>`;
    const workbook = zipFile([
      part('xl/workbook.xml', `<workbook ${main} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Intro" sheetId="1" r:id="rId1"/><sheet name="Learners" sheetId="2" r:id="rId2"/></sheets></workbook>`),
      part('xl/_rels/workbook.xml.rels', `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relation(1, 'worksheets/sheet1.xml')}${relation(2, 'worksheets/sheet2.xml')}${relation(3, 'sharedStrings.xml')}</Relationships>`),
      part('xl/worksheets/sheet1.xml', `<worksheet ${main}><sheetData><row r="1">${text('A1', 4)}</row></sheetData></worksheet>`),
      part('xl/worksheets/sheet2.xml', `<worksheet ${main}><sheetData><row r="1">${text('A1', 0)}${text('B1', 1)}</row><row r="2">${text('A2', 2)}${text('B2', 3)}</row></sheetData></worksheet>`),
      part('xl/sharedStrings.xml', `<sst ${main}><si><t>First Name</t></si><si><t>Last Name</t></si><si><t>Ann</t></si><si><t>Lee</t></si><si><t>Read the other sheet</t></si></sst>`),
    ]);
    const filePath = await fileWith('excel-order.xlsx', workbook);
    for (let time = 0; time < 5; time++) {
      const { file, rows } = await readAll(filePath, { format: 'xlsx' });
      expect(file.header).toMatchObject({ ok: true, sheetName: 'Learners' });
      expect(rows.map((row) => [row.record.firstName, row.record.lastName])).toEqual([['Ann', 'Lee']]);
    }
  });

  it('finds the header when only the first rows are read, even with its text late in the shared strings', async () => {
    const main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const text = (ref: string, index: number) => `<c r="${ref}" t="s"><v>${index}</v></c>`;
    // More shared text before the header's than the first rows are read with.
    const filler = Array.from({ length: 150_000 }, (_, index) => `<si><t>note ${index}</t></si>`).join('');
    const late = 150_000;
    const workbook = zipFile([
      { name: 'xl/worksheets/sheet1.xml', content: Buffer.from(`<worksheet ${main}><sheetData><row r="1">${text('A1', late)}${text('B1', late + 1)}</row><row r="2">${text('A2', late + 2)}${text('B2', late + 3)}</row></sheetData></worksheet>`) },
      { name: 'xl/sharedStrings.xml', content: Buffer.from(`<sst ${main}>${filler}<si><t>First Name</t></si><si><t>Last Name</t></si><si><t>Ann</t></si><si><t>Lee</t></si></sst>`) },
    ]);
    const filePath = await fileWith('late-text.xlsx', workbook);
    for (const headerOnly of [true, false]) {
      const { file, rows } = await readAll(filePath, { format: 'xlsx', headerOnly });
      expect(file.header.ok).toBe(true);
      expect(rows.map((row) => [row.record.firstName, row.record.lastName])).toEqual([['Ann', 'Lee']]);
    }
  });

  it('reports a damaged sheet as a file problem, not as a library error', async () => {
    const sheet = '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>First Name</t></is></c>'
      + '<c r="B1" t="inlineStr"><is><t>Last Name</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c></row><row r="3"></c></row></sheetData></worksheet>';
    const broken = zipFile([{ name: 'xl/worksheets/sheet1.xml', content: Buffer.from(sheet) }]);
    const error = await readAll(await fileWith('broken.xlsx', broken), { format: 'xlsx' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 422, code: 'file_unreadable' });
  });
});
