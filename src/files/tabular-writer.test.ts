import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutralizeCell } from './safe-cell.ts';
import { readTabular } from './tabular-reader.ts';
import { columnLetter, csvStream, writeCsv, writeXlsx, xlsxStream } from './tabular-writer.ts';
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

describe('neutralising cells', () => {
  it('puts an apostrophe before text a spreadsheet would run as a formula', () => {
    expect(['=1+1', '+1', '-1', '@A1', '\tx', '\rx', '\uFF1D1'].map(neutralizeCell)).toEqual([
      "'=1+1",
      "'+1",
      "'-1",
      "'@A1",
      "'\tx",
      "'\rx",
      "'\uFF1D1",
    ]);
    expect(['Ann', '', 'a=b', '1-2'].map(neutralizeCell)).toEqual(['Ann', '', 'a=b', '1-2']);
  });
});

describe('writing CSV', () => {
  it('writes a BOM, a header and neutralised text, and reads back as written', async () => {
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
    expect(names).toEqual(["'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(A1)", "'\tcmd", 'Zoë Åberg']);
  });
});

describe('writing XLSX', () => {
  it('writes rows as values, never formulas, with text neutralised', async () => {
    const filePath = path.join(directory, 'out.xlsx');
    await writeXlsx(createWriteStream(filePath), [{ name: 'Receipt', columns, rows: hostile }]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(filePath);
    const sheet = workbook.getWorksheet('Receipt');
    expect(sheet?.getRow(1).values).toEqual([undefined, 'Row', 'Name', 'Note', 'Credits']);
    expect(sheet?.getCell('B2').value).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(sheet?.getCell('B2').formula).toBeUndefined();
    expect(sheet?.getCell('C2').value).toBe("'+1 555 0100");
    expect(sheet?.getCell('D2').value).toBe(-1);
    expect(sheet?.getCell('B5').value).toBe('Zoë Åberg');
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
    expect(workbook.getWorksheet('Instructions')?.getCell('A2').value).toBe("'=not a formula");
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

  it('names columns as spreadsheets do', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });
});
