import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compoundFile, zipFile } from '../../test/container-files.ts';
import { readTabular } from './tabular-reader.ts';
import type { ColumnSpec, ReadTabularOptions, TabularRow } from './tabular-reader.ts';

const columns: ColumnSpec[] = [
  { name: 'firstName', label: 'First name', required: true },
  { name: 'lastName', label: 'Last name', required: true },
  { name: 'completionDate', label: 'Completion date' },
  { name: 'credits', label: 'Credits' },
  { name: 'consent', label: 'Consent' },
];
const headings = ['First name', 'Last name', 'Completion date', 'Credits', 'Consent'];

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'cmehub-workbooks-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function saved(name: string, content: Buffer | ((workbook: ExcelJS.Workbook) => void)): Promise<string> {
  const filePath = path.join(directory, name);
  if (Buffer.isBuffer(content)) {
    await writeFile(filePath, content);
  } else {
    const workbook = new ExcelJS.Workbook();
    content(workbook);
    await workbook.xlsx.writeFile(filePath);
  }
  return filePath;
}

async function readAll(filePath: string, options: Partial<ReadTabularOptions> = {}) {
  const file = await readTabular(filePath, { format: 'xlsx', columns, ...options });
  const rows: TabularRow[] = [];
  for await (const row of file.rows) rows.push(row);
  return { file, rows };
}

async function refusal(filePath: string, options: Partial<ReadTabularOptions> = {}): Promise<{ status: number; code: string; message: string }> {
  const error = await readAll(filePath, options).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, 'the file is refused').toBeInstanceOf(Error);
  return error as { status: number; code: string; message: string };
}

/** Workbook parts written by hand, for what exceljs would not write: the namespace, and cells without a reference when `ref` is null. */
const main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const inlineCell = (ref: string | null, value: string) => `<c${ref ? ` r="${ref}"` : ''} t="inlineStr"><is><t>${value}</t></is></c>`;
const sharedCell = (ref: string | null, index: number) => `<c${ref ? ` r="${ref}"` : ''} t="s"><v>${index}</v></c>`;

/** The two ways a workbook is read: its first rows when it is sent, all of it by the job. */
const readings = [{ headerOnly: true }, { headerOnly: false }];

describe('which sheet of a workbook is read', () => {
  it.each(readings)('reads the visible sheet, never a hidden or very hidden one before it (%o)', async (options) => {
    const filePath = await saved('hidden.xlsx', (workbook) => {
      const old = workbook.addWorksheet('Old', { state: 'hidden' });
      old.addRow(headings);
      old.addRow(['Hidden', 'Old']);
      const older = workbook.addWorksheet('Older', { state: 'veryHidden' });
      older.addRow(headings);
      older.addRow(['Very', 'Hidden']);
      const current = workbook.addWorksheet('Current');
      current.addRow(headings);
      current.addRow(['Ann', 'Current']);
    });
    const { file, rows } = await readAll(filePath, options);
    expect(file.header).toMatchObject({ ok: true, sheetName: 'Current' });
    expect(rows.map((row) => row.record.lastName)).toEqual(['Current']);
  });

  it('says that hidden sheets are not read when only a hidden sheet has the header row', async () => {
    const filePath = await saved('only-hidden.xlsx', (workbook) => {
      workbook.addWorksheet('Notes').addRow(['Read me']);
      const learners = workbook.addWorksheet('Learners', { state: 'hidden' });
      learners.addRow(headings);
      learners.addRow(['Ann', 'Lee']);
    });
    const { file, rows } = await readAll(filePath);
    expect(file.header.ok).toBe(false);
    expect(file.header.problems[0].message).toContain('(sheets: "Notes"; hidden sheets, which are not read: "Learners")');
    expect(rows).toEqual([]);
  });

  it('passes over a sheet named as an example, and says so when it is the only one with the header row', async () => {
    const filePath = await saved('example-only.xlsx', (workbook) => {
      const example = workbook.addWorksheet('Example');
      example.addRow(headings);
      example.addRow(['Sample', 'Learner']);
    });
    const { file, rows } = await readAll(filePath);
    expect(file.header.ok).toBe(false);
    expect(file.header.problems[0].message).toBe(
      'The header row and rows under it are only on sheet "Example", whose name says they are examples: they were not read. Put the rows to send on a sheet of their own, or, if these rows are to be sent, give the sheet another name.',
    );
    expect(rows).toEqual([]);

    const besideRows = await saved('example-beside.xlsx', (workbook) => {
      const example = workbook.addWorksheet('Sample rows');
      example.addRow(headings);
      example.addRow(['Sample', 'Learner']);
      const current = workbook.addWorksheet('Learners');
      current.addRow(headings);
      current.addRow(['Ann', 'Current']);
    });
    const read = await readAll(besideRows);
    expect(read.file.sheetsNotRead).toEqual([expect.objectContaining({ name: 'Sample rows', why: 'example' })]);
    expect(read.rows.map((row) => row.record.lastName)).toEqual(['Current']);
  });

  it.each(readings)('refuses rows on two sheets, naming them, whichever way the workbook is read (%o)', async (options) => {
    const filePath = await saved('two-quarters.xlsx', (workbook) => {
      workbook.addWorksheet('Instructions').addRow(['One row per completion.']);
      for (const quarter of ['Q3', 'Q4']) {
        const sheet = workbook.addWorksheet(quarter);
        sheet.addRow(headings);
        sheet.addRow(['Ann', quarter]);
      }
      workbook.addWorksheet('Your activities').addRow(['Activity ID', 'Your activity ID', 'Title']);
    });
    expect(await refusal(filePath, options)).toMatchObject({
      status: 422,
      code: 'rows_on_several_sheets',
      message:
        'Rows are on 2 sheets of this workbook, "Q3" and "Q4", each under the header row; the hub reads one sheet per file. Send one sheet per file, or move the rows onto one sheet.',
    });
  });

  it.each(readings)('reads the rows of every sheet, one sheet after another, when asked to (%o)', async (options) => {
    const filePath = await saved('months.xlsx', (workbook) => {
      workbook.addWorksheet('Instructions').addRow(['One tab per month.']);
      const january = workbook.addWorksheet('January');
      january.addRow(headings);
      january.addRow(['Ann', 'Lee']);
      january.addRow(['Bo', 'Chan']);
      const february = workbook.addWorksheet('February');
      february.addRow(['Sign-in sheet, February']);
      // The same columns in another order, headings written otherwise.
      february.addRow(['LAST NAME', 'First Name', 'Credits', 'Completion date', 'consent']);
      february.addRow(['Diaz', 'Cy']);
    });
    const { file, rows } = await readAll(filePath, { ...options, everySheet: true });
    expect(file.sheets?.map((header) => [header.sheetName, header.rowNumber])).toEqual([
      ['January', 1],
      ['February', 2],
    ]);
    expect(file.header.sheetName).toBe('January');
    const read = rows.map((row) => [row.sheet, row.rowNumber, row.record.firstName, row.record.lastName]);
    expect(read).toEqual([
      [0, 2, 'Ann', 'Lee'],
      [0, 3, 'Bo', 'Chan'],
      [1, 3, 'Cy', 'Diaz'],
    ]);
  });

  it.each(readings)("reads the sheets in the order of the workbook's tabs, a tab moved before the others first (%o)", async (options) => {
    const relations = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const sheet = (learner: [string, string]) =>
      `<worksheet ${main}><sheetData><row r="1">${inlineCell('A1', 'First name')}${inlineCell('B1', 'Last name')}</row><row r="2">${inlineCell('A2', learner[0])}${inlineCell('B2', learner[1])}</row></sheetData></worksheet>`;
    const relation = (id: number, target: string) =>
      `<Relationship Id="rId${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="${target}"/>`;
    // "January" was added second (its part is sheet2.xml), then its tab dragged before "February".
    const workbook = zipFile([
      { name: 'xl/workbook.xml', content: `<workbook ${main} ${relations}><sheets><sheet name="January" sheetId="2" r:id="rId2"/><sheet name="February" sheetId="1" r:id="rId1"/></sheets></workbook>` },
      { name: 'xl/_rels/workbook.xml.rels', content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relation(1, 'worksheets/sheet1.xml')}${relation(2, 'worksheets/sheet2.xml')}</Relationships>` },
      { name: 'xl/worksheets/sheet1.xml', content: sheet(['Cy', 'Diaz']) },
      { name: 'xl/worksheets/sheet2.xml', content: sheet(['Ann', 'Lee']) },
    ]);
    const { file, rows } = await readAll(await saved('moved-tab.xlsx', workbook), { ...options, everySheet: true });
    expect(file.sheets?.map((header) => header.sheetName)).toEqual(['January', 'February']);
    expect(rows.map((row) => [row.sheet, row.rowNumber, row.record.firstName])).toEqual([
      [0, 2, 'Ann'],
      [1, 2, 'Cy'],
    ]);
  });

  it('holds the rows of every sheet together to the row limit', async () => {
    const filePath = await saved('months-over-limit.xlsx', (workbook) => {
      for (const month of ['January', 'February']) {
        const sheet = workbook.addWorksheet(month);
        sheet.addRow(headings);
        sheet.addRow(['Ann', month]);
        sheet.addRow(['Bo', month]);
      }
    });
    const file = await readTabular(filePath, { format: 'xlsx', columns, everySheet: true, limits: { maxRows: 3 } });
    const read: string[] = [];
    const error = await (async () => {
      for await (const row of file.rows) read.push(`${row.record.firstName} ${row.record.lastName}`);
    })().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(read).toEqual(['Ann January', 'Bo January', 'Ann February']);
    expect(error).toMatchObject({ code: 'file_limit_rows' });
  });

  it('holds to the row limit the rows with a value, not the rows formatted down to the end of the sheet', async () => {
    const formattedRows = Array.from({ length: 50 }, (_, index) => `<row r="${index + 4}" s="1" customFormat="1"><c r="A${index + 4}" s="1"/><c r="C${index + 4}" s="1"/></row>`);
    const sheet = `<worksheet ${main}><sheetData><row r="1">${inlineCell('A1', 'First name')}${inlineCell('B1', 'Last name')}</row>${[2, 3].map((row) => `<row r="${row}">${inlineCell(`A${row}`, `Ann ${row}`)}${inlineCell(`B${row}`, 'Lee')}</row>`).join('')}${formattedRows.join('')}</sheetData></worksheet>`;
    const filePath = await saved('formatted-down.xlsx', zipFile([{ name: 'xl/worksheets/sheet1.xml', content: sheet }]));
    const { rows } = await readAll(filePath, { limits: { maxRows: 2 } });
    expect(rows.map((row) => row.record.firstName)).toEqual(['Ann 2', 'Ann 3']);
  });

  it.each(readings)('reads each sheet under its own header, whatever columns the other sheets have (%o)', async (options) => {
    const filePath = await saved('months-other-columns.xlsx', (workbook) => {
      const january = workbook.addWorksheet('January');
      january.addRow(headings);
      january.addRow(['Ann', 'Lee', '2026-01-05', '2']);
      const february = workbook.addWorksheet('February');
      february.addRow(['Consent', 'Last name', 'First name', 'Completion date']);
      february.addRow(['Yes', 'Chan', 'Bo', '2026-02-05']);
    });
    const { file, rows } = await readAll(filePath, { ...options, everySheet: true });
    expect(file.sheets?.map((header) => header.columns.flatMap((column) => (column.name ? [column.name] : [])))).toEqual([
      ['firstName', 'lastName', 'completionDate', 'credits', 'consent'],
      ['consent', 'lastName', 'firstName', 'completionDate'],
    ]);
    expect(rows.map((row) => row.record)).toEqual([
      { firstName: 'Ann', lastName: 'Lee', completionDate: '2026-01-05', credits: '2', consent: '' },
      { firstName: 'Bo', lastName: 'Chan', completionDate: '2026-02-05', credits: '', consent: 'Yes' },
    ]);
  });

  it('reads the sheet with rows when another sheet has only the header row', async () => {
    const filePath = await saved('blank-copy.xlsx', (workbook) => {
      workbook.addWorksheet('Learners').addRow(headings);
      const filled = workbook.addWorksheet('Learners (2)');
      filled.addRow(headings);
      filled.addRow(['Ann', 'Lee']);
    });
    const { file, rows } = await readAll(filePath);
    expect(file.header.sheetName).toBe('Learners (2)');
    expect(rows.map((row) => row.record.lastName)).toEqual(['Lee']);
  });
});

describe('the cells of a workbook', () => {
  it.each(readings)('reads a formula as the result Excel saved, and TRUE and FALSE as Yes and No (%o)', async (options) => {
    const filePath = await saved('formulas.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow(headings);
      sheet.addRow([
        { formula: 'UPPER("ann")', result: 'ANN' },
        'Lee',
        { formula: 'DATE(2025,6,30)', result: new Date(Date.UTC(2025, 5, 30)) },
        { formula: 'A1*0', result: 0 },
        { formula: 'TRUE()', result: true },
      ]);
      sheet.addRow(['Bo', 'Ek', null, 1.5, false]);
      sheet.getCell('C2').numFmt = 'yyyy-mm-dd';
    });
    const { rows } = await readAll(filePath, options);
    expect(rows.map((row) => row.record)).toEqual([
      { firstName: 'ANN', lastName: 'Lee', completionDate: '2025-06-30', credits: '0', consent: 'Yes' },
      { firstName: 'Bo', lastName: 'Ek', completionDate: '', credits: '1.5', consent: 'No' },
    ]);
    expect(rows.flatMap((row) => row.problems)).toEqual([]);
  });

  it.each(readings)('reads rows and cells written without their references, each following the one before, as the Open XML SDK writes them (%o)', async (options) => {
    const sheet = `<worksheet ${main}><sheetData>
      <row>${inlineCell(null, 'First name')}${inlineCell(null, 'Last name')}${inlineCell(null, 'Completion date')}</row>
      <row>${inlineCell(null, 'Ann')}${inlineCell(null, 'Lee')}${inlineCell(null, '2025-06-30')}</row>
      <row r="5"><c r="B5" t="inlineStr"><is><t>Chan</t></is></c>${inlineCell(null, '2025-07-01')}</row>
      <row>${inlineCell(null, 'Bo')}${inlineCell(null, 'Diaz')}<c t="e"><v>#REF!</v></c></row>
    </sheetData></worksheet>`;
    const { rows } = await readAll(await saved('no-references.xlsx', zipFile([{ name: 'xl/worksheets/sheet1.xml', content: sheet }])), options);
    expect(rows.map((row) => [row.rowNumber, row.record.firstName, row.record.lastName, row.record.completionDate])).toEqual([
      [2, 'Ann', 'Lee', '2025-06-30'],
      [5, '', 'Chan', '2025-07-01'],
      [6, 'Bo', 'Diaz', ''],
    ]);
    expect(rows[2].problems).toEqual([expect.objectContaining({ code: 'cell_error', message: expect.stringContaining('the cell C6 shows the error #REF!') })]);
  });

  it.each(readings)('finds the parts of a workbook where its relationships say, however its writer named them, as the Open XML SDK writes them (%o)', async (options) => {
    const relationships = (...relations: [string, string, string][]) =>
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relations
        .map(([id, type, target]) => `<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}" Id="${id}"/>`)
        .join('')}</Relationships>`;
    const sheet = (...rows: number[][]) => `<worksheet ${main}><sheetData>${rows.map((row) => `<row>${row.map((index) => sharedCell(null, index)).join('')}</row>`).join('')}</sheetData></worksheet>`;
    const workbook = zipFile([
      { name: '_rels/.rels', content: relationships(['R1', 'officeDocument', '/xl/workbook.xml']) },
      {
        name: 'xl/workbook.xml',
        content: `<workbook ${main} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Instructions" sheetId="1" r:id="Ra7"/><sheet name="Old" sheetId="3" state="hidden" r:id="Rc2"/><sheet name="Learners" sheetId="2" r:id="Rb1"/></sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        content: relationships(['Ra7', 'worksheet', '/xl/worksheets/sheet.xml'], ['Rb1', 'worksheet', '/xl/worksheets/sheet2.xml'], ['Rc2', 'worksheet', '/xl/worksheets/sheet3.xml'], ['Rd9', 'sharedStrings', '/xl/SharedStrings.xml']),
      },
      { name: 'xl/worksheets/sheet.xml', content: sheet([4]) },
      { name: 'xl/worksheets/sheet2.xml', content: sheet([0, 1], [2, 3]) },
      { name: 'xl/worksheets/sheet3.xml', content: sheet([0, 1], [5, 5]) },
      { name: 'xl/sharedstrings.xml', content: `<sst ${main}><si><t>First name</t></si><si><t>Last name</t></si><si><t>Ann</t></si><si><t>Lee</t></si><si><t>Fill in the Learners sheet</t></si><si><t>Old</t></si></sst>` },
    ]);
    const { file, rows } = await readAll(await saved('open-xml-sdk.xlsx', workbook), options);
    expect(file.header).toMatchObject({ ok: true, sheetName: 'Learners', rowNumber: 1 });
    expect(rows.map((row) => [row.rowNumber, row.record.firstName, row.record.lastName])).toEqual([[2, 'Ann', 'Lee']]);
  });

  it.each(readings)('reads a workbook whose parts write their elements with a prefix, as the Open XML SDK writer does (%o)', async (options) => {
    const prefixed = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const relations = 'xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const cell = (ref: string, index: number) => `<x:c r="${ref}" t="s"><x:v>${index}</x:v></x:c>`;
    const sheet = (first: number) =>
      `<x:worksheet ${prefixed}><x:sheetData><x:row r="1">${cell('A1', 0)}${cell('B1', 1)}${cell('C1', 2)}</x:row>` +
      `<x:row r="2">${cell('A2', first)}${cell('B2', 5)}<x:c r="C2" s="1"><x:v>46346</x:v></x:c></x:row></x:sheetData></x:worksheet>`;
    const texts = ['First name', 'Last name', 'Completion date', 'Hidden', 'Ann', 'Lee'];
    const workbook = zipFile([
      {
        name: 'xl/workbook.xml',
        content: `<x:workbook ${prefixed} ${relations}><x:sheets><x:sheet name="Old" sheetId="1" state="hidden" rel:id="rId1"/><x:sheet name="Learners" sheetId="2" rel:id="rId2"/></x:sheets></x:workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        // Its relationships prefixed too.
        content: `<pr:Relationships xmlns:pr="http://schemas.openxmlformats.org/package/2006/relationships">${[1, 2].map((number) => `<pr:Relationship Id="rId${number}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${number}.xml"/>`).join('')}</pr:Relationships>`,
      },
      { name: 'xl/sharedStrings.xml', content: `<x:sst ${prefixed}>${texts.map((text) => `<x:si><x:t>${text}</x:t></x:si>`).join('')}</x:sst>` },
      { name: 'xl/styles.xml', content: `<x:styleSheet ${prefixed}><x:cellXfs count="2"><x:xf numFmtId="0"/><x:xf numFmtId="14" applyNumberFormat="1"/></x:cellXfs></x:styleSheet>` },
      { name: 'xl/worksheets/sheet1.xml', content: sheet(3) },
      { name: 'xl/worksheets/sheet2.xml', content: sheet(4) },
    ]);
    const { file, rows } = await readAll(await saved('prefixed.xlsx', workbook), options);
    expect(file.header).toMatchObject({ ok: true, sheetName: 'Learners' });
    expect(rows.map((row) => row.record)).toEqual([{ firstName: 'Ann', lastName: 'Lee', completionDate: '2026-11-20', credits: '', consent: '' }]);
  });

  it.each(readings)('finds a sheet whose part is named with a space or an accent, which its relationship escapes (%o)', async (options) => {
    const workbook = zipFile([
      {
        name: 'xl/workbook.xml',
        content: `<workbook ${main} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Learners" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      },
      {
        name: 'xl/_rels/workbook.xml.rels',
        content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/Learner%20list%C3%A9.xml"/></Relationships>`,
      },
      { name: 'xl/worksheets/Learner listé.xml', content: `<worksheet ${main}><sheetData><row>${inlineCell(null, 'First name')}${inlineCell(null, 'Last name')}</row><row>${inlineCell(null, 'Ann')}${inlineCell(null, 'Lee')}</row></sheetData></worksheet>` },
    ]);
    const { file, rows } = await readAll(await saved('escaped-target.xlsx', workbook), options);
    expect(file.header).toMatchObject({ ok: true, sheetName: 'Learners' });
    expect(rows.map((row) => [row.record.firstName, row.record.lastName])).toEqual([['Ann', 'Lee']]);
  });

  it('refuses as damaged a workbook whose relationships run to tens of thousands, rather than hold them all', async () => {
    const many = Array.from({ length: 20_000 }, (_, index) => `<Relationship Id="r${index}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${index}.xml"/>`);
    const workbook = zipFile([
      { name: 'xl/workbook.xml', content: `<workbook ${main}><sheets/></workbook>` },
      { name: 'xl/_rels/workbook.xml.rels', content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${many.join('')}</Relationships>` },
      { name: 'xl/worksheets/sheet1.xml', content: `<worksheet ${main}><sheetData/></worksheet>` },
    ]);
    expect(await refusal(await saved('many-relationships.xlsx', workbook))).toMatchObject({ status: 422, code: 'file_unreadable', message: expect.stringContaining('The workbook is damaged') });
  });

  /** The first and last names read from a sheet of these rows under a header row of the two, beside this shared text. */
  async function namesRead(fileName: string, sharedText: string, rows: string[]): Promise<string[][]> {
    const sheet = `<worksheet ${main}><sheetData><row r="1">${inlineCell('A1', 'First name')}${inlineCell('B1', 'Last name')}</row>${rows.join('')}</sheetData></worksheet>`;
    const workbook = zipFile([
      { name: 'xl/sharedStrings.xml', content: `<sst ${main}>${sharedText}</sst>` },
      { name: 'xl/worksheets/sheet1.xml', content: sheet },
    ]);
    const { rows: read } = await readAll(await saved(fileName, workbook));
    return read.map((row) => [row.record.firstName, row.record.lastName]);
  }

  it('reads first rows whose shared text is far down the table, not where Excel would have written it', async () => {
    // The first rows are looked at with the first entries of the table only, then with more, then with all of it.
    for (const entries of [30_000, 200_000]) {
      const sharedText = Array.from({ length: entries }, (_, index) => `<si><t>Text ${index}</t></si>`).join('');
      const rows = [`<row r="2">${sharedCell('A2', entries - 1)}${sharedCell('B2', 7)}</row>`, `<row r="3">${inlineCell('A3', 'Bo')}${sharedCell('B3', entries - 2)}</row>`];
      expect(await namesRead(`far-down-${entries}.xlsx`, sharedText, rows), String(entries)).toEqual([
        [`Text ${entries - 1}`, 'Text 7'],
        ['Bo', `Text ${entries - 2}`],
      ]);
    }
  });

  it('reads the characters Excel writes as _xHHHH_ (a carriage return, a tab) as themselves, inline or shared', async () => {
    // Text pasted from Windows keeps its carriage return; "_x005F_" is the "_" of a text that reads "_x0041_" itself.
    const sharedText = '<si><t>Ann_x000D_\nMarie</t></si><si><r><t>Chan</t></r><r><t>_x005F_x0041_</t></r></si>';
    const rows = [`<row r="2">${sharedCell('A2', 0)}${inlineCell('B2', 'Lee_x0009_Wong')}</row>`, `<row r="3">${inlineCell('A3', 'Bo')}${sharedCell('B3', 1)}</row>`];
    expect(await namesRead('escapes.xlsx', sharedText, rows)).toEqual([
      ['Ann\r\nMarie', 'Lee\tWong'],
      ['Bo', 'Chan_x0041_'],
    ]);
  });

  it('drops a NUL written as _x0000_, and reads half of a character written in two (_xD83D_) as the replacement character', async () => {
    const sharedText = '<si><t>Ann_x0000_</t></si><si><t>Lee_xD83D__xDE00_</t></si>';
    const rows = [`<row r="2">${sharedCell('A2', 0)}${inlineCell('B2', 'Wong_xD83D_')}</row>`, `<row r="3">${inlineCell('A3', 'Bo')}${sharedCell('B3', 1)}</row>`];
    expect(await namesRead('halves.xlsx', sharedText, rows)).toEqual([
      ['Ann', 'Wong\uFFFD'],
      ['Bo', 'Lee😀'],
    ]);
  });

  it('reads a text written in runs as the text shown, without its phonetic reading, inline or shared', async () => {
    const runs = '<r><rPr><b/></rPr><t>Ma</t></r><r><t xml:space="preserve">ría </t></r><r><t>José</t></r>';
    const phonetic = '<t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><phoneticPr fontId="1"/>';
    const rows = [`<row r="2"><c r="A2" t="inlineStr"><is>${runs}</is></c><c r="B2" t="inlineStr"><is>${phonetic}</is></c></row>`, `<row r="3">${sharedCell('A3', 0)}${sharedCell('B3', 1)}</row>`];
    expect(await namesRead('runs.xlsx', `<si>${runs}</si><si>${phonetic}</si>`, rows)).toEqual([
      ['María José', '山田'],
      ['María José', '山田'],
    ]);
  });

  it('gives a row a problem naming the column for a formula without a saved result, or an error shown instead of a value', async () => {
    const filePath = await saved('cells.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow([...headings, 'Notes']);
      sheet.addRow(['Ann', 'Lee', '2025-06-30', { formula: 'B7*2' }]);
      sheet.addRow(['Bo', 'Ek', { error: '#REF!' }, 1]);
      sheet.addRow(['Cy', 'Dunn', { formula: 'VLOOKUP(A4,X:Y,2)', result: { error: '#N/A' } }, 1]);
      // An error in a column the hub does not read is no problem; a row with nothing else in it is blank.
      sheet.addRow(['Di', 'Fox', '2025-06-30', 1, null, { error: '#DIV/0!' }]);
      sheet.addRow([null, null, null, null, null, { formula: 'A1' }]);
    });
    const { rows } = await readAll(filePath);
    expect(rows.map((row) => [row.rowNumber, row.problems])).toEqual([
      [
        2,
        [
          {
            code: 'formula_without_result',
            field: 'credits',
            row: 2,
            message: 'Credits: the cell D2 holds a formula with no saved result. Open the file in Excel and save it, or type the value.',
          },
        ],
      ],
      [
        3,
        [{ code: 'cell_error', field: 'completionDate', row: 3, message: 'Completion date: the cell C3 shows the error #REF! instead of a value. Correct it in Excel, or type the value.' }],
      ],
      [4, [expect.objectContaining({ code: 'cell_error', field: 'completionDate', message: expect.stringContaining('the error #N/A') })]],
      [5, []],
    ]);
    expect(rows[0].record.credits).toBe('');
  });

  it('reads a value merged down a column into every row the merge covers, and nothing into rows left blank', async () => {
    const filePath = await saved('merged.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow(['Learners of the June course']);
      sheet.addRow(['']);
      sheet.addRow(headings);
      sheet.addRow(['Ann', 'Lee', '2025-06-30', 1.5, 'Yes']);
      sheet.addRow(['Bo', 'Ek', null, null, 'Yes']);
      sheet.addRow(['Cy', 'Dunn', null, null, 'No']);
      sheet.addRow(['Di', 'Fox', '2025-07-01', null, 'Yes']);
      sheet.addRow([]);
      sheet.addRow(['A note about the course that spans the row']);
      // The title over the first two rows, the date and credits down the first three learners and past the last.
      sheet.mergeCells('A1:E2');
      sheet.mergeCells('C4:C6');
      sheet.mergeCells('D4:D8');
      sheet.mergeCells('A9:E9');
    });
    const { file, rows } = await readAll(filePath);
    expect(file.header.rowNumber).toBe(3);
    expect(rows.map((row) => [row.rowNumber, row.record])).toEqual([
      [4, { firstName: 'Ann', lastName: 'Lee', completionDate: '2025-06-30', credits: '1.5', consent: 'Yes' }],
      [5, { firstName: 'Bo', lastName: 'Ek', completionDate: '2025-06-30', credits: '1.5', consent: 'Yes' }],
      [6, { firstName: 'Cy', lastName: 'Dunn', completionDate: '2025-06-30', credits: '1.5', consent: 'No' }],
      [7, { firstName: 'Di', lastName: 'Fox', completionDate: '2025-07-01', credits: '1.5', consent: 'Yes' }],
      [9, { firstName: 'A note about the course that spans the row', lastName: '', completionDate: '', credits: '', consent: '' }],
    ]);
  });

  it.each(readings)('reads the dates of a workbook that counts them from 1904, written "1" by Excel or "true" by LibreOffice (%o)', async (options) => {
    const relations = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    // 44857 days after 1904-01-01 is 2026-10-24; after 1899-12-30 it would be 2022-10-23. Style 1 shows it as a date.
    const sheet = `<worksheet ${main}><sheetData><row r="1">${inlineCell('A1', 'First name')}${inlineCell('B1', 'Last name')}${inlineCell('C1', 'Completion date')}</row><row r="2">${inlineCell('A2', 'Ann')}${inlineCell('B2', 'Lee')}<c r="C2" s="1"><v>44857</v></c></row></sheetData></worksheet>`;
    const styles = `<styleSheet ${main}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`;
    for (const date1904 of ['true', '1']) {
      const workbook = zipFile([
        { name: 'xl/workbook.xml', content: `<workbook ${main} ${relations}><workbookPr date1904="${date1904}"/><sheets><sheet name="Learners" sheetId="1" r:id="rId1"/></sheets></workbook>` },
        {
          name: 'xl/_rels/workbook.xml.rels',
          content: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
        },
        { name: 'xl/styles.xml', content: styles },
        { name: 'xl/worksheets/sheet1.xml', content: sheet },
      ]);
      const { rows } = await readAll(await saved(`dates-1904-${date1904}.xlsx`, workbook), options);
      expect(rows.map((row) => row.record.completionDate), `date1904="${date1904}"`).toEqual(['2026-10-24']);
    }
  });

  it('reads a number whose format shows letters in quotes or after a backslash as a number, and one formatted as a date or time as a date', async () => {
    const withLicense: ColumnSpec[] = [...columns, { name: 'licenseNumber', label: 'License number' }];
    const filePath = await saved('letters-in-formats.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow([...headings, 'License number']);
      const formatted = (name: string, credits: [number, string], license: [number, string]) => {
        const row = sheet.addRow([name, 'Lee', '', credits[0], 'Yes', license[0]]);
        row.getCell(4).numFmt = credits[1];
        row.getCell(6).numFmt = license[1];
      };
      // As Excel keeps "1.5 h" and "MD60023456" typed into a format of its own: the letters escaped, or in quotes.
      formatted('Ann', [1.5, '0.0\\ \\h'], [60023456, '\\M\\D00000000']);
      formatted('Bo', [1.5, '0.0" hrs"'], [60023456, '[Blue]"MD"00000000;[Red]-0']);
      formatted('Cy', [1.5, '#,##0.00_);[Red](#,##0.00)'], [60023456, '0.00E+00']);
      // The date letters outside quotes, an elapsed time, a date in a locale's brackets: dates and times.
      formatted('Di', [0.0625, '[h]:mm'], [46346, '[$-409]mmmm d, yyyy;@']);
    });
    const { rows } = await readAll(filePath, { columns: withLicense });
    expect(rows.map((row) => [row.record.firstName, row.record.credits, row.record.licenseNumber])).toEqual([
      ['Ann', '1.5', 'MD60023456'],
      ['Bo', '1.5', 'MD60023456'],
      ['Cy', '1.5', '60023456'],
      ['Di', '1899-12-30T01:30:00', '2026-11-20'],
    ]);
  });

  it('reads a whole number whose format pads it with zeros or writes letters beside it as the sheet shows it, as an identifier is written', async () => {
    const withLicense: ColumnSpec[] = [...columns, { name: 'licenseNumber', label: 'License number' }];
    const filePath = await saved('identifier-formats.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow([...headings, 'License number']);
      const formatted = (name: string, license: number, format: string, credits: [number, string] = [2, 'General']) => {
        const row = sheet.addRow([name, 'Lee', '', credits[0], 'Yes', license]);
        row.getCell(6).numFmt = format;
        row.getCell(4).numFmt = credits[1];
      };
      formatted('Ann', 12345, '0000000');
      formatted('Bo', 60012345, '"MD"00000000');
      formatted('Cy', 2045, '[Blue]\\A\\-00000;[Red]-0', [2, '0"h"']);
      // A unit after a space is the column's to read; a number with decimals, or below zero, is the number.
      formatted('Di', 12345.5, '0000000', [2, '0" h"']);
      formatted('Ed', -12345, '0000000', [2, '#,##0']);
    });
    const { rows } = await readAll(filePath, { columns: withLicense });
    expect(rows.map((row) => [row.record.firstName, row.record.licenseNumber, row.record.credits])).toEqual([
      ['Ann', '0012345', '2'],
      ['Bo', 'MD60012345', '2'],
      ['Cy', 'A-02045', '2h'],
      ['Di', '12345.5', '2'],
      ['Ed', '-12345', '2'],
    ]);
  });

  it('reads the first days Excel counts, up to its February 29, 1900, as the days it shows', async () => {
    const filePath = await saved('first-days.xlsx', (workbook) => {
      const sheet = workbook.addWorksheet('Learners');
      sheet.addRow(headings);
      // Excel shows 1 as 1/1/1900, 59 as 2/28/1900 and 61 as 3/1/1900: it counts a February 29 (60) that 1900 had not.
      for (const days of [1, 14, 59, 61, 46346]) sheet.addRow([`Ann ${days}`, 'Lee', days]).getCell(3).numFmt = 'm/d/yyyy';
    });
    const { rows } = await readAll(filePath);
    expect(rows.map((row) => [row.record.firstName, row.record.completionDate])).toEqual([
      ['Ann 1', '1900-01-01'],
      ['Ann 14', '1900-01-14'],
      ['Ann 59', '1900-02-28'],
      ['Ann 61', '1900-03-01'],
      ['Ann 46346', '2026-11-20'],
    ]);
  });

  it.each(readings)('reads as dates the cells of a date format Excel has built in for East Asian locales, whose code the workbook leaves out (%o)', async (options) => {
    // 46346 is 2026-11-20, which formats 27, 31, 57 and 58 show as 2026年11月20日 or its like in Chinese, Japanese and Korean Excel.
    const formats = [27, 31, 57, 58, 3];
    const styles = `<styleSheet ${main}><cellXfs count="${formats.length + 1}"><xf numFmtId="0"/>${formats.map((id) => `<xf numFmtId="${id}" applyNumberFormat="1"/>`).join('')}</cellXfs></styleSheet>`;
    const learner = (place: number) =>
      `<row r="${place + 2}">${inlineCell(`A${place + 2}`, `Ann ${formats[place]}`)}${inlineCell(`B${place + 2}`, 'Lee')}<c r="C${place + 2}" s="${place + 1}"><v>46346</v></c></row>`;
    const sheet = `<worksheet ${main}><sheetData><row r="1">${inlineCell('A1', 'First name')}${inlineCell('B1', 'Last name')}${inlineCell('C1', 'Completion date')}</row>${formats.map((_, place) => learner(place)).join('')}</sheetData></worksheet>`;
    const workbook = zipFile([
      { name: 'xl/styles.xml', content: styles },
      { name: 'xl/worksheets/sheet1.xml', content: sheet },
    ]);
    const { rows } = await readAll(await saved('east-asian-dates.xlsx', workbook), options);
    expect(rows.map((row) => [row.record.firstName, row.record.completionDate])).toEqual([
      ['Ann 27', '2026-11-20'],
      ['Ann 31', '2026-11-20'],
      ['Ann 57', '2026-11-20'],
      ['Ann 58', '2026-11-20'],
      // #,##0, a number format.
      ['Ann 3', '46346'],
    ]);
  });

  it.each(readings)('reads a date cell written as ISO 8601 text, as a workbook saved as Strict Open XML holds them (%o)', async (options) => {
    const strict = 'xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"';
    const date = (ref: string, value: string, style = '') => `<c r="${ref}"${style} t="d"><v>${value}</v></c>`;
    const learner = (row: number, name: string, written: string, style = '') =>
      `<row r="${row}">${inlineCell(`A${row}`, name)}${inlineCell(`B${row}`, 'Lee')}${date(`C${row}`, written, style)}</row>`;
    const sheet = `<worksheet ${strict}><sheetData><row r="1">${inlineCell('A1', 'First name')}${inlineCell('B1', 'Last name')}${inlineCell('C1', 'Completion date')}</row>${[
      learner(2, 'Ann', '2026-11-20T00:00:00Z', ' s="1"'),
      learner(3, 'Bo', '2026-11-21'),
      learner(4, 'Cy', '2026-11-22T14:30:00'),
      learner(5, 'Di', '2026-02-30'),
      learner(6, 'Ed', '2026-13-05'),
    ].join('')}</sheetData></worksheet>`;
    const styles = `<styleSheet ${strict}><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>`;
    const workbook = zipFile([
      { name: 'xl/styles.xml', content: styles },
      { name: 'xl/worksheets/sheet1.xml', content: sheet },
    ]);
    const { rows } = await readAll(await saved('iso-dates.xlsx', workbook), options);
    // A date shown with a date format was read as the number 2026, a day of 1905; one without, as the text "2026".
    expect(rows.map((row) => [row.record.firstName, row.record.completionDate])).toEqual([
      ['Ann', '2026-11-20'],
      ['Bo', '2026-11-21'],
      ['Cy', '2026-11-22T14:30:00'],
      ['Di', '2026-02-30'],
      ['Ed', '2026-13-05'],
    ]);
  });

  it.each(readings)('refuses a workbook whose cell points past its shared text, as damaged (%o)', async (options) => {
    const workbook = zipFile([
      { name: 'xl/sharedStrings.xml', content: `<sst ${main}><si><t>First name</t></si><si><t>Last name</t></si><si><t>Lee</t></si></sst>` },
      { name: 'xl/worksheets/sheet1.xml', content: `<worksheet ${main}><sheetData><row r="1">${sharedCell('A1', 0)}${sharedCell('B1', 1)}</row><row r="2">${sharedCell('A2', 7)}${sharedCell('B2', 2)}</row></sheetData></worksheet>` },
    ]);
    expect(await refusal(await saved('text-out-of-range.xlsx', workbook), options)).toMatchObject({
      status: 422,
      code: 'file_unreadable',
      message: expect.stringContaining('The workbook is damaged'),
    });
  });

  const longSheet = () => {
    const rows = Array.from({ length: 4000 }, (_, index) => `<row r="${index + 2}"><c r="A${index + 2}" t="inlineStr"><is><t>Ann ${index}</t></is></c></row>`);
    return `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>First name</t></is></c><c r="B1" t="inlineStr"><is><t>Last name</t></is></c></row>${rows.join('')}</sheetData></worksheet>`;
  };

  it.each(readings)('refuses a workbook whose packed data is damaged, saying to save it again in Excel (%o)', async (options) => {
    // A deflate block of the reserved type: nothing of the sheet unpacks.
    const damaged = zipFile([{ name: 'xl/worksheets/sheet1.xml', content: longSheet(), damage: (packed) => Buffer.concat([Buffer.from([0xff]), packed.subarray(1)]) }]);
    const error = await refusal(await saved('damaged.xlsx', damaged), options);
    expect(error).toMatchObject({ status: 422, code: 'file_unreadable' });
    expect(error.message).toContain('The workbook is damaged');
    expect(error.message).toContain('Open it in Excel and save it again');
  });

  it('takes the first rows of a sheet damaged further on, then stops at the damage, saying so', async () => {
    const damaged = zipFile([{ name: 'xl/worksheets/sheet1.xml', content: longSheet(), damage: (packed) => packed.subarray(0, Math.floor(packed.length / 2)) }]);
    const filePath = await saved('damaged-late.xlsx', damaged);
    expect((await readAll(filePath, { headerOnly: true })).file.header.ok).toBe(true);
    const file = await readTabular(filePath, { format: 'xlsx', columns });
    let rowsRead = 0;
    const error = await (async () => {
      for await (const batch of file.batches) rowsRead += batch.length;
    })().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(rowsRead).toBeGreaterThan(0);
    expect(error).toMatchObject({ status: 422, code: 'file_unreadable', message: expect.stringContaining('The workbook is damaged') });
  });
});

describe('files sent as a workbook that are not one', () => {
  it('says a ZIP archive is not an Excel workbook, and to send the spreadsheet inside', async () => {
    const archive = zipFile([{ name: 'completions.csv', content: 'First name,Last name\r\nAnn,Lee\r\n' }]);
    expect(await refusal(await saved('archive.xlsx', archive))).toMatchObject({
      status: 415,
      message: 'The file is a ZIP archive, not an Excel workbook. Unzip it and send the spreadsheet inside.',
    });
  });

  it('tells an Excel 97-2003 workbook from one protected with a password, from the whole file', async () => {
    const legacy = compoundFile(['Workbook', '\u0005SummaryInformation', '\u0005DocumentSummaryInformation']);
    // The encryption streams are listed in a directory sector past the first 4 KB of the file.
    const encrypted = compoundFile(['\u0006DataSpaces', 'DataSpaceMap', 'DataSpaceInfo', 'EncryptionInfo', 'EncryptedPackage']);
    expect(encrypted.indexOf(Buffer.from('EncryptedPackage', 'utf16le'))).toBeGreaterThan(4096);
    // The first bytes of an .xls and nothing after them that says more.
    const signatureOnly = Buffer.concat([compoundFile([]).subarray(0, 8), Buffer.alloc(4000, 0x9c)]);

    for (const [name, file] of [['roster.xlsx', legacy], ['roster.xls.xlsx', signatureOnly]] as const) {
      expect(await refusal(await saved(name, file))).toMatchObject({
        status: 415,
        message: 'This is an Excel 97-2003 workbook (.xls), which the hub does not read. Open it in Excel and save it as "Excel Workbook (.xlsx)" or as CSV.',
      });
    }
    expect(await refusal(await saved('protected.xlsx', encrypted))).toMatchObject({
      status: 415,
      message: expect.stringMatching(/^This workbook is protected with a password.*remove the password/),
    });
  });

  it('says a compressed file is compressed, and to send it uncompressed', async () => {
    expect(await refusal(await saved('completions.xlsx.gz', gzipSync('not a workbook')))).toMatchObject({
      status: 415,
      message: expect.stringContaining('The file is compressed (gzip, .gz)'),
    });
  });
});
