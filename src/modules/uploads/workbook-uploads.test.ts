import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compoundFile, zipFile } from '../../../test/container-files.ts';
import type { Session } from '../../../test/helpers.ts';
import { startUploadScene } from '../../../test/upload-scene.ts';
import type { UploadScene } from '../../../test/upload-scene.ts';
import { addDays, hubToday } from '../activities/dates.ts';
import type { UploadWorker } from './upload-worker.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const header = ['Reference', 'Activity ID', 'Completion date', 'First name', 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'CME credits', 'Consent'];

type Line = { rowNumber: number; reference: string | null; status: string; problems: { code: string; message: string }[] };

describe('uploading workbooks', () => {
  let scene: UploadScene;
  let coordinator: Session;
  let worker: UploadWorker;
  let activityId: string;
  const completed = addDays(hubToday(), -3);

  /** A learner row with these values in place of the usual ones. */
  const row = (reference: string, values: Record<string, ExcelJS.CellValue> = {}): ExcelJS.CellValue[] => {
    const usual: Record<string, ExcelJS.CellValue> = {
      Reference: reference,
      'Activity ID': activityId,
      'Completion date': completed,
      'First name': 'Ann',
      'Last name': 'Berg',
      'Birth month': 1,
      'Birth day': 30,
      'License state': 'CA',
      'License number': 'A20001',
      'CME credits': 1,
      Consent: 'Written',
    };
    return header.map((column) => (column in values ? values[column] : usual[column]));
  };

  async function workbook(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
    const built = new ExcelJS.Workbook();
    build(built);
    return Buffer.from(await built.xlsx.writeBuffer());
  }

  /** A tab for January as usual, and one for February without these columns, with these more (unread by the hub). */
  const monthsApart = (without: readonly string[], more: Record<string, string> = {}) =>
    workbook((built) => {
      const january = built.addWorksheet('January');
      january.addRow(header);
      january.addRow(row('J-1'));
      const kept = (heading: string) => !without.includes(heading);
      const february = built.addWorksheet('February');
      february.addRow([...header.filter(kept), ...Object.keys(more)]);
      february.addRow([...row('F-1', { 'License number': 'A20002' }).filter((_, index) => kept(header[index])), ...Object.values(more)]);
    });

  const send = (body: Buffer, fileName: string, contentType = xlsxType) =>
    coordinator.request({ method: 'POST', url: `/api/v1/uploads?fileName=${encodeURIComponent(fileName)}`, payload: body, headers: { 'content-type': contentType } });

  async function receipt(id: string): Promise<Line[]> {
    await worker.idle();
    const response = await coordinator.get(`/api/v1/uploads/${id}/rows?limit=100`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items;
  }

  beforeAll(async () => {
    scene = await startUploadScene({ title: 'Workbook rounds', providerActivityId: 'WB-1' }, { chunkSize: 4 });
    ({ worker, coordinator, activityId } = scene);
  });

  afterAll(() => scene.close());

  it('takes the visible sheet in, never a hidden one, and gives a formula without a result or an error cell a problem naming its column', async () => {
    const file = await workbook((built) => {
      const old = built.addWorksheet('Old', { state: 'hidden' });
      old.addRow(header);
      old.addRow(row('OLD-1'));
      const current = built.addWorksheet('Current');
      current.addRow(header);
      current.addRow(row('F-1', { 'CME credits': { formula: 'A1' } }));
      current.addRow(row('F-2', { 'Completion date': { error: '#REF!' } }));
      current.addRow(row('F-3', { 'CME credits': { formula: '0.5*2', result: 1 } }));
    });
    const response = await send(file, 'current.xlsx');
    expect(response.statusCode, response.body).toBe(202);
    const lines = await receipt(response.json().id);
    expect(lines.map((line) => line.reference)).toEqual(['F-1', 'F-2', 'F-3']);
    expect(lines[0]).toMatchObject({ status: 'rejected' });
    expect(lines[0].problems).toContainEqual(
      expect.objectContaining({
        code: 'formula_without_result',
        field: 'cmeCredits',
        message: 'AMA PRA Category 1 credits: the cell J2 holds a formula with no saved result. Open the file in Excel and save it, or type the value.',
      }),
    );
    expect(JSON.stringify(lines[0].problems)).not.toContain('[object Object]');
    expect(lines[1]).toMatchObject({ status: 'rejected' });
    expect(lines[1].problems).toContainEqual(expect.objectContaining({ code: 'cell_error', field: 'completionDate', message: expect.stringContaining('shows the error #REF!') }));
    expect(lines[2].problems.map((problem) => problem.code)).not.toContain('credit_amount_invalid');
  });

  it('takes a workbook with macros (.xlsm), as a hospital\'s sign-in form may be, sent with its own type or by its name', async () => {
    const file = await workbook((built) => {
      const sheet = built.addWorksheet('Sign-in');
      sheet.addRow(header);
      sheet.addRow(row('XM-1', { 'License number': 'A20003' }));
    });
    const byType = await send(file, 'sign-in.xlsm', 'application/vnd.ms-excel.sheet.macroEnabled.12');
    expect(byType.statusCode, byType.body).toBe(202);
    expect(byType.json()).toMatchObject({ format: 'xlsx', fileName: 'sign-in.xlsm' });
    expect((await receipt(byType.json().id)).map((line) => line.reference)).toEqual(['XM-1']);

    // Sent again, as a program that knows no better sends it, by its name alone.
    const byName = await send(file, 'sign-in.xlsm', 'application/octet-stream');
    expect(byName.statusCode, byName.body).toBe(200);
    expect(byName.json()).toMatchObject({ id: byType.json().id, alreadyUploaded: true });
  });

  it('takes in the rows under an activity and date merged down the sheet, each with the merged value', async () => {
    const file = await workbook((built) => {
      const sheet = built.addWorksheet('Learners');
      sheet.addRow(header);
      sheet.addRow(row('M-1', { 'First name': 'Mo', 'License number': 'A30001' }));
      sheet.addRow(row('M-2', { 'Activity ID': null, 'Completion date': null, 'First name': 'Ny', 'License number': 'A30002' }));
      sheet.addRow(row('M-3', { 'Activity ID': null, 'Completion date': null, 'First name': 'Ola', 'License number': 'A30003' }));
      sheet.mergeCells('B2:B4');
      sheet.mergeCells('C2:C4');
    });
    const response = await send(file, 'merged.xlsx');
    expect(response.statusCode, response.body).toBe(202);
    // Each learner taken in for the activity and date (none is in the demo registry, so each waits for a match).
    const lines = await receipt(response.json().id);
    expect(lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.code)])).toEqual([
      ['M-1', 'pending', ['license_not_found']],
      ['M-2', 'pending', ['license_not_found']],
      ['M-3', 'pending', ['license_not_found']],
    ]);
  });

  it('reads a row the sheet hides, as it is in the file, and says so on its line and in the summary', async () => {
    const file = await workbook((built) => {
      const sheet = built.addWorksheet('Learners');
      sheet.addRow(header);
      sheet.addRow(row('H-1', { 'First name': 'Pia', 'License number': 'A30011' }));
      sheet.addRow(row('H-2', { 'First name': 'Quinn', 'License number': 'A30012' }));
      sheet.getRow(3).hidden = true;
    });
    const response = await send(file, 'hidden.xlsx');
    expect(response.statusCode, response.body).toBe(202);
    const lines = await receipt(response.json().id);
    expect(lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.code)])).toEqual([
      ['H-1', 'pending', ['license_not_found']],
      ['H-2', 'pending', ['license_not_found', 'hidden_row']],
    ]);
    expect(lines[1].problems[1].message).toBe('Row 3 is hidden in the sheet (by hand, or by a filter) and was read like the others: if it was not meant to be sent, delete its report (Open, then Delete).');
    const upload = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json();
    expect(upload.rowProblems).toContainEqual(expect.objectContaining({ code: 'hidden_row', rows: 1, firstRow: 3 }));
  });

  it('takes in the rows of every sheet, a tab per month, and names each row by its sheet in the receipt, its problems, its rows to fix and its report', async () => {
    const file = await workbook((built) => {
      built.addWorksheet('Instructions').addRow(['One tab per month.']);
      const january = built.addWorksheet('January');
      january.addRow(header);
      january.addRow(row('J-1', { 'First name': 'Jo', 'License number': 'A40001' }));
      january.addRow(row('J-2', { 'First name': 'Kit', 'License number': 'A40002', 'Birth month': 13 }));
      // February has a title above its header, and its columns in another order.
      const february = built.addWorksheet('February');
      february.addRow(['Sign-in sheet, February']);
      february.addRow([...header].reverse());
      february.addRow(row('F-1', { 'First name': 'Jo', 'License number': 'A40001' }).reverse());
      february.addRow(row('F-2', { 'First name': 'Lu', 'License number': 'A40003' }).reverse());
      february.getRow(4).hidden = true;
    });
    const response = await send(file, 'months.xlsx');
    expect(response.statusCode, response.body).toBe(202);
    const id = response.json().id;
    expect(response.json().sheets).toEqual([
      { name: 'January', headerRow: 1 },
      { name: 'February', headerRow: 2 },
    ]);
    const lines = (await receipt(id)) as (Line & { sheet: string | null; duplicate: boolean; reportId: string; problems: { row?: number; sheet?: string }[] })[];
    expect(lines.map((line) => [line.sheet, line.rowNumber, line.reference, line.status, line.duplicate])).toEqual([
      ['January', 2, 'J-1', 'pending', false],
      ['January', 3, 'J-2', 'rejected', false],
      ['February', 3, 'F-1', 'pending', true],
      ['February', 4, 'F-2', 'pending', false],
    ]);
    expect(lines[2].problems[0]).toMatchObject({
      code: 'duplicate_row',
      row: 3,
      sheet: 'February',
      message: 'Same learner and activity as row 2 of sheet "January" of this file: one report, counted once.',
    });
    expect(lines[3].problems).toContainEqual(expect.objectContaining({ code: 'hidden_row', message: expect.stringMatching(/^Row 4 of sheet "February" is hidden in the sheet/) }));
    const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(upload.rowProblems).toContainEqual(expect.objectContaining({ code: 'hidden_row', rows: 1, firstRow: 4, firstRowSheet: 'February' }));

    const receiptFile = (await coordinator.get(`/api/v1/uploads/${id}/receipt?format=csv`)).body.replace(/^\uFEFF/, '').split('\r\n');
    expect(receiptFile[0]).toMatch(/^Sheet,Row,Reference,/);
    expect(receiptFile.slice(1, 5).map((line) => line.split(',').slice(0, 3).join(','))).toEqual(['January,2,J-1', 'January,3,J-2', 'February,3,F-1', 'February,4,F-2']);
    const rowsToFix = (await coordinator.get(`/api/v1/uploads/${id}/rows-to-fix?format=csv`)).body;
    expect(rowsToFix).toContain('"row 3 of sheet ""January"""');

    const report = (await coordinator.get(`/api/v1/learner-reports/${lines[3].reportId}`)).json();
    expect(report.sentIn).toEqual({ uploadId: id, fileName: 'months.xlsx', rowNumber: 4, sheet: 'February', valuesAsSent: null });
  });

  it('says which sheets that look like learners were not read: a hidden one, and one whose header lacks a column or has it mistyped', async () => {
    const file = await workbook((built) => {
      const january = built.addWorksheet('January');
      january.addRow(header);
      january.addRow(row('JAN-1', { 'First name': 'Ivo', 'License number': 'A50001' }));
      const march = built.addWorksheet('March');
      march.addRow(header.filter((heading) => heading !== 'Completion date'));
      march.addRow(row('MAR-1', { 'First name': 'Mia', 'License number': 'A50002' }).filter((_, index) => header[index] !== 'Completion date'));
      // April's heading was mistyped.
      const april = built.addWorksheet('April');
      april.addRow(header.map((heading) => (heading === 'Completion date' ? 'Completion dte' : heading)));
      april.addRow(row('APR-1', { 'First name': 'Ada', 'License number': 'A50004' }));
      const old = built.addWorksheet('Old', { state: 'hidden' });
      old.addRow(header);
      old.addRow(row('OLD-1', { 'First name': 'Oda', 'License number': 'A50003' }));
      // What the template's own sheet of activities holds is no sheet of learners.
      const activities = built.addWorksheet('Your activities');
      activities.addRow(['Hub ID', 'Your ID', 'Title', 'Starts', 'Ends', 'Credits designated']);
      activities.addRow([activityId, 'WB-1', 'Workbook rounds', completed, completed, '1 AMA PRA Category 1 Credit']);
    });
    const response = await send(file, 'some-months.xlsx');
    expect(response.statusCode, response.body).toBe(202);
    const notRead = (response.json().problems as { code: string; message: string }[]).filter((problem) => problem.code === 'sheet_not_read');
    expect(notRead.map((problem) => problem.message)).toEqual([
      'Sheet "March" was not read: its row 1 looks like the header of learner rows, but has no column "Completion date". If its rows are to be reported, add the column (as on sheet "January") and send the file again: the rows taken in now are recognised and not counted twice.',
      'Sheet "April" was not read: its row 1 looks like the header of learner rows, but has no column "Completion date" (is it "Completion dte"?). If its rows are to be reported, correct the heading, or add the column (as on sheet "January"), and send the file again: the rows taken in now are recognised and not counted twice.',
      'The hidden sheet "Old" has rows under the header row, which were not read: a hidden sheet never is. If they are to be reported, unhide the sheet in Excel and send the file again: the rows taken in now are recognised and not counted twice.',
    ]);
    const lines = await receipt(response.json().id);
    expect(lines.map((line) => line.reference)).toEqual(['JAN-1']);
  });

  it('never takes a sheet named as an example as learners, and says so', async () => {
    const withExample = (learners: boolean) =>
      workbook((built) => {
        const example = built.addWorksheet('Example rows');
        example.addRow(header);
        example.addRow(row('EX-1', { 'First name': 'Sample', 'Last name': 'Learner', 'License number': 'A20001' }));
        const sheet = built.addWorksheet('Learners');
        sheet.addRow(header);
        if (learners) sheet.addRow(row('L-1', { 'License number': 'A20002' }));
      });
    const response = await send(await withExample(true), 'with-example.xlsx');
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().problems).toContainEqual(
      expect.objectContaining({
        code: 'sheet_not_read',
        message:
          'Sheet "Example rows" has rows under the header row, which were not read: its name says they are examples. If they are to be reported, give the sheet another name and send the file again: the rows taken in now are recognised and not counted twice.',
      }),
    );
    const lines = await receipt(response.json().id);
    expect(lines.map((line) => line.reference)).toEqual(['L-1']);

    // The template filled in on the example sheet only: nothing is taken in, and the answer says where the rows are.
    const onlyExample = await send(await withExample(false), 'only-example.xlsx');
    expect(onlyExample.statusCode).toBe(422);
    expect(onlyExample.json().detail).toContain('Sheet "Example rows" has rows under the header row, which were not read: its name says they are examples.');
  });

  it('takes in sheets of learners with other columns, each read under its own header', async () => {
    // February's tab was made without the Reference column, and with a column of notes the hub does not read.
    const file = await monthsApart(['Reference'], { Notes: 'came late' });
    const response = await send(file, 'months-apart.xlsx');
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().problems).toContainEqual(
      expect.objectContaining({ code: 'unknown_columns', sheet: 'February', message: 'Sheet "February": These columns are not used and their values are ignored: "Notes".' }),
    );
    const lines = (await receipt(response.json().id)) as (Line & { sheet: string | null })[];
    expect(lines.map((line) => [line.sheet, line.rowNumber, line.reference])).toEqual([
      ['January', 2, 'J-1'],
      ['February', 2, null],
    ]);
    expect(lines[1].problems.map((problem) => problem.message).join(' ')).toContain('A20002');
    // The upload says how February's own headings were read; January's are the upload's `columnsRead`.
    const { sheets } = (await coordinator.get(`/api/v1/uploads/${response.json().id}`)).json() as { sheets: { name: string; columns?: { heading: string; readAs: string | null }[] }[] };
    expect(sheets[0]).toEqual({ name: 'January', headerRow: 1 });
    expect(sheets[1].columns).toContainEqual({ heading: 'Notes', readAs: null });
    expect(sheets[1].columns?.map((column) => column.heading)).not.toContain('Reference');
  });

  it('reads each sheet\'s identifiers under its own header: one without the License state column does not take the license numbers of the next', async () => {
    const file = await workbook((built) => {
      // January's tab identifies its learners by NPI, and has license numbers without their state.
      const january = built.addWorksheet('January');
      january.addRow([...header.filter((heading) => heading !== 'License state'), 'NPI']);
      january.addRow([...row('J-1').filter((_, index) => header[index] !== 'License state'), '']);
      const february = built.addWorksheet('February');
      february.addRow(header);
      february.addRow(row('F-1'));
    });
    const response = await send(file, 'states-apart.xlsx');
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().problems).toContainEqual(expect.objectContaining({ code: 'identifier_column_missing', field: 'state' }));
    const lines = await receipt(response.json().id);
    expect(lines[0].problems.map((problem) => problem.message)).toEqual([
      'License state is not a column of the file: add one, and write in it the two-letter code of the state that issued the license, such as CA',
    ]);
    // February's row has its state and license: it is matched by them (pending: no such licensee in this registry).
    expect(lines[1]).toMatchObject({ reference: 'F-1', status: 'pending' });
  });

  it('refuses, when the workbook is sent, a sheet without the credits column beside one with it, or a sheet that cannot identify its learners', async () => {
    const credits = await send(await monthsApart(['CME credits']), 'credits-apart.xlsx');
    expect(credits.statusCode, credits.body).toBe(422);
    expect(credits.json()).toMatchObject({
      code: 'sheet_columns_differ',
      detail:
        'Sheet "February" has no credits column, while sheet "January" has one: the learners on "February" would each be given all the credits of their activity, and those on "January" the credits of their row. Add the credits column to sheet "February" (as on sheet "January"), or send that sheet in a file of its own.',
    });

    const identity = await send(await monthsApart(['License state', 'License number']), 'licenses-apart.xlsx');
    expect(identity.statusCode, identity.body).toBe(422);
    expect(identity.json()).toMatchObject({ code: 'file_header_invalid', detail: expect.stringContaining('(row 1 of sheet "February")') });
    expect(JSON.stringify(identity.json().problems)).toContain('The file has no columns that identify the learner.');

    const uploads = (await coordinator.get('/api/v1/uploads')).json().items as { fileName: string }[];
    expect(uploads.map((each) => each.fileName)).not.toEqual(expect.arrayContaining(['credits-apart.xlsx']));
    expect(uploads.map((each) => each.fileName)).not.toEqual(expect.arrayContaining(['licenses-apart.xlsx']));
  });

  it('answers a damaged workbook with a 422 saying to save it again in Excel, not a server error', async () => {
    const sheet = `<worksheet><sheetData><row r="1">${header.map((heading, index) => `<c r="${String.fromCharCode(65 + index)}1" t="inlineStr"><is><t>${heading}</t></is></c>`).join('')}</row></sheetData></worksheet>`;
    const damaged = zipFile([{ name: 'xl/worksheets/sheet1.xml', content: sheet, damage: (packed) => Buffer.concat([Buffer.from([0xff]), packed.subarray(1)]) }]);
    const response = await send(damaged, 'damaged.xlsx');
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().detail).toMatch(/^The workbook is damaged.*Open it in Excel and save it again/);
  });

  it('says a workbook cut short is cut short, one with bytes lost on its way damaged, and text named .xlsx text, each with what to send', async () => {
    const whole = await workbook((built) => {
      const sheet = built.addWorksheet('Learners');
      sheet.addRow(header);
      for (let index = 0; index < 50; index += 1) sheet.addRow(row(`CUT-${index}`));
    });
    const cut = await send(whole.subarray(0, Math.floor(whole.length * 0.6)), 'cut-short.xlsx');
    expect(cut.statusCode, cut.body).toBe(422);
    expect(cut.json().detail).toMatch(/^The workbook is cut short: it starts as an XLSX workbook, but its end, where a workbook lists its parts, is missing .* send the whole file\.$/);

    // A piece lost in the middle: the parts are no longer where the workbook's directory says.
    const holed = Buffer.concat([whole.subarray(0, 200), whole.subarray(1200)]);
    const damaged = await send(holed, 'holed.xlsx');
    expect(damaged.statusCode, damaged.body).toBe(422);
    expect(damaged.json().detail).toMatch(/^The workbook is damaged: part of it cannot be read/);

    const notZip = await send(Buffer.from('Reference,Activity ID\nR-1,100000001\n'.repeat(3)), 'renamed.xlsx');
    expect(notZip.statusCode, notZip.body).toBe(422);
    expect(notZip.json().detail).toMatch(/^The file is text, not an XLSX workbook, though its name or type says one\. If it is a CSV file, name it \.csv/);
    const binary = await send(Buffer.from([0x00, 0x01, 0x02, 0xfe, 0x80, 0x81, 0x00, 0x07, 0x08, 0x09]), 'binary.xlsx');
    expect(binary.json().detail).toBe('The file is not a valid XLSX workbook (it is not a zip archive, as every workbook is). Save it from Excel as "Excel Workbook (.xlsx)".');
  });

  it('says what a file sent as a workbook or as CSV is when it is neither', async () => {
    const legacy = await send(compoundFile(['Workbook', '\u0005SummaryInformation']), 'completions.xlsx');
    expect(legacy.statusCode, legacy.body).toBe(415);
    expect(legacy.json().detail).toContain('Excel 97-2003 workbook (.xls)');
    const locked = await send(compoundFile(['\u0006DataSpaces', 'DataSpaceMap', 'DataSpaceInfo', 'EncryptionInfo', 'EncryptedPackage']), 'completions.xlsx');
    expect(locked.statusCode, locked.body).toBe(415);
    expect(locked.json().detail).toContain('protected with a password');

    const archive = await send(zipFile([{ name: 'readme.txt', content: 'hello' }]), 'completions.xlsx');
    expect(archive.statusCode, archive.body).toBe(415);
    expect(archive.json().detail).toContain('ZIP archive, not an Excel workbook');
    const word = await send(zipFile([{ name: '[Content_Types].xml', content: '<Types/>' }, { name: 'word/document.xml', content: '<w:document/>' }]), 'attendance.xlsx');
    expect(word.statusCode, word.body).toBe(415);
    expect(word.json().detail).toMatch(/^This is a Word document \(\.docx\), not a spreadsheet.*Copy its table into the template/);
    const openDocument = await send(zipFile([{ name: 'mimetype', content: 'application/vnd.oasis.opendocument.spreadsheet' }, { name: 'content.xml', content: '<office:document-content/>' }]), 'completions.ods');
    expect(openDocument.statusCode, openDocument.body).toBe(415);
    expect(openDocument.json().detail).toContain('OpenDocument file (LibreOffice or OpenOffice: .ods, .odt), which the hub does not read');
    const numbers = await send(zipFile([{ name: 'Index/Document.iwa', content: 'iwa' }, { name: 'Metadata/Properties.plist', content: 'plist' }]), 'completions.xlsx');
    expect(numbers.statusCode, numbers.body).toBe(415);
    expect(numbers.json().detail).toMatch(/^This is an Apple Numbers file.*File > Export To > Excel/);

    const gzipped = gzipSync(`${header.join(',')}\r\nR-1,${activityId}\r\n`);
    const compressed = await send(gzipped, 'completions.csv.gz', 'text/csv');
    expect(compressed.statusCode, compressed.body).toBe(415);
    expect(compressed.json().detail).toContain('compressed (gzip');
    const pdf = await send(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), 'completions.csv', 'text/csv');
    expect(pdf.statusCode, pdf.body).toBe(415);
    expect(pdf.json().detail).toMatch(/^The file is a PDF document/);
    const sevenZip = await send(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4, 0x8d, 0x9b]), 'completions.7z', 'application/octet-stream');
    expect(sevenZip.statusCode, sevenZip.body).toBe(415);
    expect(sevenZip.json().detail).toContain('compressed (7-Zip, .7z)');
    // The wrong file picked: bytes of no kind the hub knows, under a CSV file's name.
    const binary = Buffer.from(Array.from({ length: 2048 }, (_, index) => (index * 7919) % 251));
    for (const [fileName, contentType] of [['completions.csv', 'text/csv'], ['completions.xml', 'application/xml']]) {
      const noText = await send(binary, fileName, contentType);
      expect(noText.statusCode, noText.body).toBe(415);
      expect(noText.json().detail).toMatch(/^The file is not text, nor a workbook or any other file the hub reads: its first bytes are binary data\. Check that you picked the right file/);
    }
    // A photo of the paper sign-in sheet, and the web page a learning system's "export to Excel" writes.
    const photo = await send(Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 24, 0x45, 0x78, 0x69, 0x66, 0, 0]), 'IMG_2041.JPG', 'application/octet-stream');
    expect(photo.statusCode, photo.body).toBe(415);
    expect(photo.json().detail).toMatch(/^The file is a JPEG photo: a photo or scan of a sign-in sheet holds no rows the hub can read\. Type its learners into the template/);
    const webPage = await send(Buffer.from('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>Reference</td></tr></table></body></html>'), 'Completions_Export.xls', 'application/vnd.ms-excel');
    expect(webPage.statusCode, webPage.body).toBe(415);
    expect(webPage.json().detail).toMatch(/^The file is a web page \(HTML\).*Open it in Excel and save it as an Excel Workbook \(\.xlsx\) or as CSV/);
    // Named as CSV by the sender, it is still compressed.
    const namedCsv = await coordinator.request({ method: 'POST', url: '/api/v1/uploads?format=csv', payload: gzipped, headers: { 'content-type': 'text/csv' } });
    expect(namedCsv.statusCode, namedCsv.body).toBe(415);
    expect(namedCsv.json().detail).toContain('compressed (gzip');
  });

  it('says a workbook sent as CSV or XML is a workbook, naming the file, and reads one named .csv as a workbook when no format is sent', async () => {
    const file = await workbook((built) => {
      const sheet = built.addWorksheet('Learners');
      sheet.addRow(header);
      sheet.addRow(row('FORMAT-1', { 'License number': 'A20901' }));
    });
    const sendAs = (format: string, query = '') =>
      coordinator.request({ method: 'POST', url: `/api/v1/uploads?format=${format}${query}`, payload: file, headers: { 'content-type': format === 'xml' ? 'application/xml' : 'text/csv' } });
    const asCsv = await sendAs('csv');
    expect(asCsv.statusCode, asCsv.body).toBe(422);
    expect(asCsv.json()).toMatchObject({
      code: 'format_not_of_file',
      detail: 'The file is an Excel workbook (XLSX), not a CSV file: send it with format=xlsx (--format xlsx on the command line), or leave the format out and the hub tells it by its content.',
      problems: [{ code: 'format_not_of_file', field: 'format' }],
    });
    // As the Uploads page sends a file named .csv.
    const named = await sendAs('csv', '&fileName=learners.csv');
    expect(named.statusCode, named.body).toBe(422);
    expect(named.json().detail).toMatch(/^learners\.csv is an Excel workbook \(XLSX\), not a CSV file: send it with format=xlsx .* On the Uploads page, which tells a file's format by its name, name it learners\.xlsx\.$/);
    const asXml = await sendAs('xml', '&fileName=learners.xml&consent=written');
    expect(asXml.statusCode, asXml.body).toBe(422);
    expect(asXml.json().detail).toMatch(/^learners\.xml is an Excel workbook \(XLSX\), not an XML document: send it with format=xlsx/);
    // An old Excel file sent as CSV is refused for what it is, as it is without the format.
    const legacy = await coordinator.request({ method: 'POST', url: '/api/v1/uploads?format=csv', payload: compoundFile(['Workbook', '\u0005SummaryInformation']), headers: { 'content-type': 'text/csv' } });
    expect(legacy.statusCode, legacy.body).toBe(415);
    expect(legacy.json().detail).toContain('Excel 97-2003 workbook (.xls)');

    const byContent = await send(file, 'learners.csv', 'text/csv');
    expect(byContent.statusCode, byContent.body).toBe(202);
    expect(byContent.json().format).toBe('xlsx');
    expect((await receipt(byContent.json().id)).map((line) => [line.reference, line.status])).toEqual([['FORMAT-1', 'pending']]);
  });
});
