import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { looksLikeFormula } from './safe-cell.ts';
import { readTabular } from './tabular-reader.ts';
import { checkZipDirectory, openZipEntry } from './zip-inspection.ts';
import { columnLetter, csvStream, EXCEL_CELL_CHARACTERS, writeCsv, writeXlsx, xlsxStream } from './tabular-writer.ts';
import type { OutputColumn } from './tabular-writer.ts';

type Line = { row: number; name: string; note: string; credits: number };

const columns: OutputColumn<Line>[] = [
  { header: 'Row', value: (line) => line.row },
  { header: 'Name', value: (line) => line.name, text: true },
  { header: 'Note', value: (line) => line.note },
  { header: 'Credits', value: (line) => line.credits },
];

const hostile: Line[] = [
  { row: 2, name: '=HYPERLINK("http://evil.example","click")', note: '+1 555 0100', credits: -1 },
  { row: 3, name: '@SUM(A1)', note: '-2+3', credits: 1.25 },
  { row: 4, name: '\tcmd', note: 'plain, with "quotes"', credits: 0 },
  { row: 5, name: 'Zoë Åberg', note: '', credits: 2 },
];

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'cmehub-writer-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function text(stream: Readable): Promise<string> {
  return (await collect(stream)).toString('utf8');
}

/** The XML of one part of a workbook the hub wrote. */
async function workbookPart(filePath: string, name: string): Promise<string> {
  const entries = await checkZipDirectory(filePath, { maxDecompressedBytes: 1e9, maxCompressionRatio: 1e6, maxSharedStringsBytes: 1e9 });
  const entry = entries.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`The workbook has no ${name}`);
  return (await collect(openZipEntry(filePath, entry))).toString('utf8');
}

/** How a cell of the first sheet is written: its type, and its cell format (`<xf>`) as in the styles part. */
async function writtenCell(filePath: string, address: string): Promise<{ type: string | undefined; format: string }> {
  const sheet = await workbookPart(filePath, 'xl/worksheets/sheet1.xml');
  const cell = new RegExp(`<c r="${address}"([^>]*)>`).exec(sheet)?.[1] ?? '';
  const styles = await workbookPart(filePath, 'xl/styles.xml');
  const formats = /<cellXfs[^>]*>(.*?)<\/cellXfs>/s.exec(styles)?.[1].match(/<xf [^>]*>/g) ?? [];
  return { type: / t="(\w+)"/.exec(cell)?.[1], format: formats[Number(/ s="(\d+)"/.exec(cell)?.[1] ?? 0)] };
}

describe('text a spreadsheet would run as a formula', () => {
  it('is told by its first character', () => {
    expect(['=1+1', '+1', '-1', '@A1', '\tx', '\rx', '\uFF1D1'].every(looksLikeFormula)).toBe(true);
    expect(['Ann', '', 'a=b', '1-2'].some(looksLikeFormula)).toBe(false);
  });
});

describe('writing CSV', () => {
  it('writes a BOM, a header and neutralised text, and reads back the values it was given', async () => {
    const csv = await text(csvStream(columns, hostile));
    expect(csv.startsWith('\uFEFFRow,Name,Note,Credits\r\n')).toBe(true);
    expect(csv).toContain(`'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).toContain("'@SUM(A1)");
    expect(csv).toContain("'+1 555 0100");
    expect(csv).toContain(',-1\r\n');
    const filePath = path.join(directory, 'out.csv');
    await writeCsv(createWriteStream(filePath), columns, Readable.from(hostile));
    const file = await readTabular(filePath, {
      format: 'csv',
      columns: columns.map((column) => ({ name: column.header, label: column.header })),
    });
    const names: string[] = [];
    for await (const row of file.rows) names.push(row.record.Name);
    // The apostrophe that guards them is the hub's own: a file of rows to fix sent back gives the values sent.
    expect(names).toEqual(hostile.map((line) => line.name));
  });

  it('quotes a value holding a line feed or a carriage return, so that its line stays whole', async () => {
    const broken: Line[] = [
      { row: 2, name: 'Ref\nTwo', note: 'first\rsecond', credits: 1 },
      { row: 3, name: 'Ref3', note: 'What to fix:\r\nboth', credits: 2 },
    ];
    const csv = await text(csvStream(columns, broken));
    expect(csv).toContain('\r\n2,"Ref\nTwo","first\rsecond",1\r\n3,Ref3,"What to fix:\r\nboth",2\r\n');
    const filePath = path.join(directory, 'line-breaks.csv');
    await writeFile(filePath, csv);
    const file = await readTabular(filePath, { format: 'csv', columns: columns.map((column) => ({ name: column.header, label: column.header })) });
    const read: string[][] = [];
    for await (const row of file.rows) read.push([row.record.Row, row.record.Name, row.record.Note]);
    expect(read).toEqual([
      ['2', 'Ref\nTwo', 'first\rsecond'],
      ['3', 'Ref3', 'What to fix:\r\nboth'],
    ]);
  });
});

describe('writing XLSX', () => {
  it('cuts a text longer than an Excel cell holds to fit, so that Excel opens the workbook without repairing it', async () => {
    const filePath = path.join(directory, 'long.xlsx');
    const long = `=${'x'.repeat(40_000)}`;
    await writeXlsx(createWriteStream(filePath), [{ name: 'Receipt', columns, rows: [{ row: 2, name: long, note: 'short', credits: 1 }] }]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(filePath);
    const name = String(workbook.getWorksheet('Receipt')?.getCell('B2').value);
    expect(name).toHaveLength(EXCEL_CELL_CHARACTERS);
    expect(name.startsWith('=xxx')).toBe(true);
    expect(name.endsWith('x…')).toBe(true);
    expect(workbook.getWorksheet('Receipt')?.getCell('C2').value).toBe('short');
    // Still text, never a formula.
    expect((await writtenCell(filePath, 'B2')).format).toContain('quotePrefix="1"');
  });

  it('writes rows as values, never formulas: such text as it is, in a cell Excel keeps as text', async () => {
    const filePath = path.join(directory, 'out.xlsx');
    await writeXlsx(createWriteStream(filePath), [{ name: 'Receipt', columns, rows: hostile }]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(filePath);
    const sheet = workbook.getWorksheet('Receipt');
    expect(sheet?.getRow(1).values).toEqual([undefined, 'Row', 'Name', 'Note', 'Credits']);
    expect(sheet?.getCell('B2').formula).toBeUndefined();
    expect(sheet?.getCell('D2').value).toBe(-1);

    // Read back by the hub, the values are those written: a corrected file sent again keeps its references.
    const file = await readTabular(filePath, { format: 'xlsx', columns: columns.map((column) => ({ name: column.header, label: column.header })) });
    const read: string[][] = [];
    for await (const row of file.rows) read.push([row.record.Name, row.record.Note]);
    expect(read.slice(0, 2)).toEqual([
      ['=HYPERLINK("http://evil.example","click")', '+1 555 0100'],
      ['@SUM(A1)', '-2+3'],
    ]);
    expect(read[3]).toEqual(['Zoë Åberg', '']);

    // Each is a text cell with the quotePrefix style (Excel's own for text typed after an apostrophe), which keeps
    // the column's text format; other text is not.
    const hyperlink = await writtenCell(filePath, 'B2');
    expect(hyperlink.type).toBe('str');
    expect(hyperlink.format).toContain('quotePrefix="1"');
    expect(hyperlink.format).toContain('numFmtId="49"');
    expect((await writtenCell(filePath, 'C3')).format).toContain('quotePrefix="1"');
    expect((await writtenCell(filePath, 'B5')).format).not.toContain('quotePrefix');
    expect((await writtenCell(filePath, 'D2')).format ?? '').not.toContain('quotePrefix');
  });

  it('writes a template: instructions sheet, drop-downs and text columns', async () => {
    type Empty = never;
    const templateColumns: OutputColumn<Empty>[] = [
      { header: 'License Number', value: () => '', text: true },
      { header: 'Credit Type', value: () => '', choices: ['CME', 'MOC'], prompt: 'CME or MOC' },
    ];
    const bytes = await collect(
      xlsxStream([
        { name: 'Instructions', lines: ['How to fill in this file', '=not a formula'] },
        { name: 'Learners', columns: templateColumns, rows: [], templateRows: 100 },
      ]),
    );
    const filePath = path.join(directory, 'template.xlsx');
    await writeFile(filePath, bytes);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Instructions', 'Learners']);
    expect(workbook.getWorksheet('Instructions')?.getCell('A2').value).toBe('=not a formula');
    expect((await writtenCell(filePath, 'A2')).format).toContain('quotePrefix="1"');
    const learners = workbook.getWorksheet('Learners');
    expect(learners?.getCell('B50').dataValidation).toMatchObject({ type: 'list', formulae: ['"CME,MOC"'] });
    expect(learners?.getCell('A2').numFmt).toBe('@');
    // The template reads back through the hub's own reader.
    const file = await readTabular(filePath, {
      format: 'xlsx',
      columns: [
        { name: 'licenseNumber', label: 'License Number', required: true },
        { name: 'creditType', label: 'Credit Type', required: true },
      ],
    });
    expect(file.header).toMatchObject({ ok: true, sheetName: 'Learners' });
  });

  it('cuts a hint longer than Excel shows after its last whole word, and a long list of choices in its error message', async () => {
    const hint = `Write the kind of activity: ${'word '.repeat(80)}and the end`;
    const choices = Array.from({ length: 60 }, (_, index) => `C${index}`);
    const bytes = await collect(xlsxStream([{ name: 'Sheet', columns: [{ header: 'A rather long heading for a column', value: () => '', choices, prompt: hint }], rows: [], templateRows: 2 }]));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const validation = workbook.getWorksheet('Sheet')!.getCell('A2').dataValidation;
    expect(validation.prompt!.length).toBeLessThanOrEqual(255);
    expect(validation.prompt).toMatch(/^Write the kind of activity: (word )+word…$/);
    expect(validation.error!.length).toBeLessThanOrEqual(255);
    expect(validation.errorTitle!.length).toBeLessThanOrEqual(32);
  });

  it('streams a large sheet without holding it in memory', async () => {
    const filePath = path.join(directory, 'large.xlsx');
    function* many(): Generator<Line> {
      for (let row = 2; row < 100_002; row++) yield { row, name: `Learner ${row}`, note: 'accepted', credits: 1 };
    }
    const before = process.memoryUsage().rss;
    await writeXlsx(createWriteStream(filePath), [{ name: 'Receipt', columns, rows: many() }]);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    expect((await readFile(filePath)).length).toBeGreaterThan(100_000);
  });

  it('goes on in a sheet of the same name and its number, under the header again, when a table is longer than a sheet holds', async () => {
    const filePath = path.join(directory, 'long.xlsx');
    const lines: Line[] = Array.from({ length: 8 }, (_, index) => ({ row: index + 2, name: `Learner ${index + 2}`, note: 'accepted', credits: 1 }));
    // Four rows to a sheet here (a header and three lines), as Excel holds 1,048,576.
    await writeXlsx(createWriteStream(filePath), [{ name: 'Receipt', columns, rows: lines }, { name: 'About', lines: ['About this receipt'] }], { rowsPerSheet: 4 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(filePath);
    const sheets = workbook.worksheets.map((sheet) => ({
      name: sheet.name,
      rows: sheet.getSheetValues().flatMap((values) => (Array.isArray(values) ? [values.slice(1, 3)] : [])),
    }));
    expect(sheets).toEqual([
      { name: 'Receipt', rows: [['Row', 'Name'], [2, 'Learner 2'], [3, 'Learner 3'], [4, 'Learner 4']] },
      { name: 'Receipt (2)', rows: [['Row', 'Name'], [5, 'Learner 5'], [6, 'Learner 6'], [7, 'Learner 7']] },
      { name: 'Receipt (3)', rows: [['Row', 'Name'], [8, 'Learner 8'], [9, 'Learner 9']] },
      { name: 'About', rows: [['About this receipt']] },
    ]);
  });

  it("gives a template's drop-downs to the rows of each of its sheets, within the sheet", async () => {
    const filePath = path.join(directory, 'long-template.xlsx');
    const states: OutputColumn<string>[] = [{ header: 'License state', value: (state) => state, choices: ['CA', 'NY'] }];
    await writeXlsx(createWriteStream(filePath), [{ name: 'Rows to fix', columns: states, rows: ['CA', 'NY', 'CA', 'NY', 'CA'], templateRows: 5 }], { rowsPerSheet: 4 });
    const ranges = async (part: string) => [...(await workbookPart(filePath, part)).matchAll(/<dataValidation [^>]*sqref="([^"]+)"/g)].map((match) => match[1]);
    expect(await ranges('xl/worksheets/sheet1.xml')).toEqual(['A2:A4']);
    expect(await ranges('xl/worksheets/sheet2.xml')).toEqual(['A2:A3']);
  });

  it('names columns as spreadsheets do', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });
});
