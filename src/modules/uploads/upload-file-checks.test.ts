import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openActivity } from '../../../test/helpers.ts';
import type { Session } from '../../../test/helpers.ts';
import { datesBothWays, dayFirst, monthFirst } from '../../../test/dates-both-ways.ts';
import { startUploadScene } from '../../../test/upload-scene.ts';
import type { UploadScene } from '../../../test/upload-scene.ts';
import { addDays, hubToday, MONTH_NAMES } from '../activities/dates.ts';
import type { UploadWorker } from './upload-worker.ts';

// What a coordinator is told about a learner file: refused when sent if none of its rows could be taken,
// and otherwise one clear problem per mistake in the receipt.

const today = hubToday();
const completed = addDays(today, -3);
const [year, month, day] = completed.split('-');

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type RowProblem = { code: string; field?: string; rows: number; firstRow: number; message: string };
type Line = { rowNumber: number; reference: string | null; status: string; reportId: string | null; completionDate: string | null; problems: { code: string; message: string }[] };

describe('checks of a learner file a coordinator sees', () => {
  let scene: UploadScene;
  let coordinator: Session;
  let worker: UploadWorker;
  let activityId: string;

  async function upload(body: string | Buffer, query = '', contentType = 'text/csv') {
    return coordinator.request({ method: 'POST', url: `/api/v1/uploads${query}`, payload: body, headers: { 'content-type': contentType } });
  }

  async function uploadCount(): Promise<number> {
    return (await coordinator.get('/api/v1/uploads?limit=100')).json().items.length;
  }

  /** Sends a file that is taken, waits for its job, and gives its problem counts and receipt lines. */
  /** Each line's row, outcome and problem codes, as a coordinator reads the receipt. */
  const outcomesOf = (lines: Line[]) => lines.map((line) => [line.rowNumber, line.status, line.problems.map((problem) => problem.code)]);

  async function takenIn(body: string | Buffer, query = '', contentType = 'text/csv'): Promise<{ id: string; rowProblems: RowProblem[]; lines: Line[] }> {
    const sent = await upload(body, query, contentType);
    expect(sent.statusCode, sent.body).toBe(202);
    await worker.idle();
    const done = (await coordinator.get(`/api/v1/uploads/${sent.json().id}`)).json();
    expect(done.status).toBe('finished');
    const lines = (await coordinator.get(`/api/v1/uploads/${sent.json().id}/rows?limit=100`)).json().items;
    return { id: sent.json().id, rowProblems: done.rowProblems, lines };
  }

  beforeAll(async () => {
    scene = await startUploadScene({ title: 'File checks', providerActivityId: 'CHECKS-1' });
    ({ worker, coordinator, activityId } = scene);
  });

  afterAll(() => scene.close());

  describe('a file none of whose rows could be taken is refused when sent', () => {
    it('names a missing required column once, without also saying there is no header row', async () => {
      const response = await upload(
        `Reference,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent\nM1,${completed},Maria,Lopez,3,14,CA,A12345,1,Written\n`,
      );
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        code: 'file_header_invalid',
        detail: "The file's header row (row 1) lacks columns every learner row needs. Add them, or start from the template.",
        problems: [{ code: 'missing_column', field: 'activityId', message: 'The file has no "Activity ID" column. Add it to the header row (the template shows every column), or a column "Activity title" in its place, or give with the file the activity of every row that names none (the "Activity of every row" choice on the Uploads page, activity= through the API, --activity on the command line).' }],
      });
      expect(response.json().problems).toHaveLength(1);
    });

    it('refuses a file whose completion dates have no year its activity can tell, as Excel saves its default date format into CSV, saying how to keep the year', async () => {
      // Available since the start of last year: today's day and month is a day it takes in both years.
      const lastYear = Number(today.slice(0, 4)) - 1;
      const material = await coordinator.post(
        '/api/v1/activities',
        openActivity({ title: 'Two years of a material', providerActivityId: 'CHECKS-EM', type: 'EM', deliveryMethod: 'online', location: null, startDate: `${lastYear}-01-01` }),
      );
      expect(material.statusCode, material.body).toBe(201);
      const [, todayMonth, todayDay] = today.split('-');
      const written = `${Number(todayDay)}-${MONTH_NAMES[Number(todayMonth) - 1].slice(0, 3)}`;
      const header = 'Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
      const row = (activity: string, date: string, license: string) => `${activity},${date},Maria,Lopez,3,14,CA,${license},1,Written`;
      const before = await uploadCount();
      const response = await upload([header, row('CHECKS-EM', written, 'A12345'), row('CHECKS-EM', written, 'A12346')].join('\n'));
      expect(response.statusCode, response.body).toBe(422);
      const period = `available ${lastYear}-01-01 to ${addDays(today, 10)}`;
      expect(response.json()).toMatchObject({
        code: 'completion_date_year_missing',
        detail:
          `Row 2 gives its completion date without a year ("${written}"), and its activity takes it in both ${lastYear} and ${lastYear + 1} (${period}), as does 1 more of the file's first 2 rows. Every row would be rejected for it. ` +
          'A spreadsheet saves a date into a CSV file as its cell shows it: send the workbook itself (.xlsx), which keeps the whole date, or format the column to show the year (such as 11/13/2026) and save the CSV file again.',
        problems: [{ code: 'completion_date_year_missing', field: 'completionDate' }],
      });
      expect(await uploadCount()).toBe(before);
      // A row the reader could not split (a value too many) says nothing of the file's dates, whole as its date may be.
      const unsplit = await upload([header, row('CHECKS-EM', written, 'A12345'), `${row('CHECKS-EM', completed, 'A12347')},stray`, row('CHECKS-EM', written, 'A12346')].join('\n'));
      expect(unsplit.statusCode, unsplit.body).toBe(422);
      expect(unsplit.json().detail).toContain(`(${period}), as does 1 more of the file's first 3 rows.`);
      expect(await uploadCount()).toBe(before);
      // One such date among dates with their years is that row's slip: the file is taken, the row rejected for it.
      const { lines } = await takenIn([header, row('CHECKS-EM', completed, 'QYR1'), row('CHECKS-EM', written, 'QYR2')].join('\n'));
      expect(lines[1]).toMatchObject({ status: 'rejected', completionDate: written });
      expect(lines[1].problems).toEqual([
        expect.objectContaining({
          code: 'completion_date_year_missing',
          message: `Completion date: "${written}" has no year, and its activity takes it in both ${lastYear} and ${lastYear + 1} (${period}): write the date with its year, as ${Number(todayMonth)}/${Number(todayDay)}/YYYY or YYYY-${todayMonth}-${todayDay}`,
        }),
      ]);
    });

    it('reads a date without its year as the one day its activity takes, and says so in the receipt', async () => {
      // A sign-in sheet typed by hand: "13-Nov", "11/13". The activity ran from 60 days ago to 10 days ahead: a year
      // earlier it had not begun, so the day is this one.
      const [header, row] = ['Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent', `${activityId},DATE,Maria,Lopez,3,14,CA,LICENSE,1,Written`];
      const writtenWays = [`${Number(day)}-${MONTH_NAMES[Number(month) - 1].slice(0, 3)}`, `${Number(month)}/${Number(day)}`];
      const { lines, rowProblems } = await takenIn([header, ...writtenWays.map((written, index) => row.replace('DATE', written).replace('LICENSE', `QYT${index}`))].join('\n'));
      expect(lines.map((line) => [line.status === 'rejected' ? 'rejected' : 'taken in', line.completionDate])).toEqual([
        ['taken in', completed],
        ['taken in', completed],
      ]);
      const period = `its dates are ${addDays(today, -60)} to ${addDays(today, 10)}`;
      expect(lines[0].problems).toContainEqual(
        expect.objectContaining({
          code: 'completion_year_from_activity',
          message: `Completion date: "${writtenWays[0]}" has no year, and was read as ${completed}, the one such day its activity takes (${period}). If the learner completed it on another day, correct the report.`,
        }),
      );
      // Pending, the row says first what to do about its learner: the date read is only to check.
      expect(lines[0]).toMatchObject({ status: 'pending' });
      expect(lines[0].problems.map((problem) => problem.code)).toEqual(['license_not_found', 'completion_year_from_activity']);
      expect(rowProblems).toContainEqual(expect.objectContaining({ code: 'completion_year_from_activity', rows: 2, firstRow: 2 }));
      const report = (await coordinator.get(`/api/v1/learner-reports/${lines[1].reportId}`)).json();
      expect(report.completionDate).toBe(completed);
      // Sessions registered under one title, each an activity of its own: the title and the day without its year name one.
      const sessions = [completed, addDays(today, -10)];
      const ids: string[] = [];
      for (const [index, held] of sessions.entries()) {
        const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Weekly Case Conference', providerActivityId: `WCC-${index}`, startDate: held, endDate: held, status: 'ready_to_close' }));
        expect(created.statusCode, created.body).toBe(201);
        ids.push(created.json().id);
      }
      const monthDayOf = (iso: string) => `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}`;
      const { lines: ofSessions } = await takenIn(
        [header, ...sessions.map((held, index) => row.replace(activityId, 'Weekly Case Conference').replace('DATE', monthDayOf(held)).replace('LICENSE', `QYS${index}`))].join('\n'),
      );
      const reportsOf = await Promise.all(ofSessions.map(async (line) => (await coordinator.get(`/api/v1/learner-reports/${line.reportId}`)).json()));
      expect(reportsOf.map((report) => [report.activityId, report.completionDate])).toEqual([
        [ids[0], sessions[0]],
        [ids[1], sessions[1]],
      ]);
      // A row rejected for another value is dated all the same: its report, to correct, has the day, and only that value is to fix.
      const { lines: otherwise } = await takenIn([header, row.replace('DATE', writtenWays[1]).replace('LICENSE', 'QYT7').replace(',3,14,', ',13,14,')].join('\n'));
      expect(otherwise[0]).toMatchObject({ status: 'rejected' });
      expect(otherwise[0].problems.map((problem) => problem.code)).toEqual(['out_of_range']);
      expect((await coordinator.get(`/api/v1/learner-reports/${otherwise[0].reportId}`)).json().completionDate).toBe(completed);
      // A row naming no activity of the provider's is told both: the year its activity cannot tell, and the activity.
      const unknownActivityRow = row.replace(activityId, 'NO-SUCH-ACTIVITY').replace('DATE', writtenWays[1]).replace('LICENSE', 'QYT9');
      const { lines: unknown } = await takenIn([header, row.replace('DATE', completed).replace('LICENSE', 'QYT8'), unknownActivityRow].join('\n'));
      expect(unknown[1].problems.map((problem) => problem.code).sort()).toEqual(['activity_not_found', 'completion_date_year_missing']);
    });

    it('lists every problem of a refused header as of its row, the columns to add before the columns not used', async () => {
      const response = await upload(`Notes,Name,License,Birth\nSeen,Maria Lopez,A12345,03/14\n`, '?consent=written');
      expect(response.statusCode).toBe(422);
      const problems: { code: string; row?: number }[] = response.json().problems;
      expect(problems.map((problem) => problem.code)).toEqual(['missing_column', 'missing_column', 'missing_column', 'missing_column', 'unknown_columns']);
      expect(problems.map((problem) => problem.row)).toEqual([1, 1, 1, 1, 1]);
    });

    it('reads a header written over two rows, group headings above the columns\' own, as one header', async () => {
      // "Name" above "First" and "Last", "License" above "State" and "Number": the upper row alone would read one name.
      const { id, lines } = await takenIn(
        [
          'Reference,Activity ID,Completion date,Name,,Date of birth,License,,CME credits,Consent',
          ',,,First,Last,,State,Number,,',
          `TWO-1,${activityId},${completed},Maria,Lopez,3/14,CA,A12345,1,Written`,
        ].join('\n'),
      );
      expect(lines.map((line) => [line.rowNumber, line.problems.map((problem) => problem.code)])).toEqual([[3, expect.not.arrayContaining(['invalid', 'required'])]]);
      const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
      expect(upload.problems).toContainEqual(expect.objectContaining({ code: 'header_two_rows', message: expect.stringMatching(/^The header is rows 1 and 2 together: each column is named by its heading in row 2 with the group heading above it \("First Name"\)\.$/) }));
      const report = (await coordinator.get(`/api/v1/learner-reports/${lines[0].reportId}`)).json();
      expect(report.learner).toMatchObject({ firstName: 'Maria', lastName: 'Lopez', state: 'CA', licenseNumber: 'A12345' });
    });

    it('reads the headers of survey exports: SurveyMonkey\'s questions over their answers\' labels, Qualtrics\' question IDs over the questions and the ImportId row under them', async () => {
      const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Survey exports', providerActivityId: 'CHECKS-SURVEY' }));
      expect(created.statusCode, created.body).toBe(201);
      const forRows = `?consent=written&activity=CHECKS-SURVEY&completionDate=${completed}`;
      // SurveyMonkey's "All responses" CSV: each question above its answers' labels ("Response", a contact form's
      // fields), the respondent's own First Name and Last Name left empty by a web link.
      const surveyMonkey = [
        'Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,Please enter your contact information,,,What is your medical license number?,What is your license state?,What is your date of birth (MM/DD)?',
        ',,,,,,,,,Name,Company,Email Address,Open-Ended Response,Response,Open-Ended Response',
        `11405872391,431234567,${Number(month)}/${Number(day)}/${year} 10:01:02 AM,${Number(month)}/${Number(day)}/${year} 10:04:40 AM,10.0.0.1,,,,,Sam Survey,St. Mary,s@example.org,QSV1,CA,03/03`,
      ].join('\r\n');
      const fromSurveyMonkey = await takenIn(surveyMonkey, forRows);
      expect(outcomesOf(fromSurveyMonkey.lines)).toEqual([[3, 'pending', ['license_not_found']]]);
      const report = (await coordinator.get(`/api/v1/learner-reports/${fromSurveyMonkey.lines[0].reportId}`)).json();
      expect(report.learner).toMatchObject({ firstName: 'Sam', lastName: 'Survey', birthMonth: 3, birthDay: 3, state: 'CA', licenseNumber: 'QSV1' });

      // Qualtrics' CSV: the question IDs, the questions, then each column's ImportId.
      const qualtrics = [
        'StartDate,EndDate,Status,ResponseId,Q1,Q2,Q3,Q4,Q5',
        'Start Date,End Date,Response Type,Response ID,First name,Last name,Date of birth (MM/DD),License state,License number',
        '"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}","{""ImportId"":""endDate"",""timeZone"":""America/Denver""}","{""ImportId"":""status""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1_TEXT""}","{""ImportId"":""QID2_TEXT""}","{""ImportId"":""QID3_TEXT""}","{""ImportId"":""QID4""}","{""ImportId"":""QID5_TEXT""}"',
        `${completed} 10:01:02,${completed} 10:04:40,IP Address,R_1abcDEF,Quinn,Qualtrics,04/04,CA,QQT1`,
      ].join('\r\n');
      const fromQualtrics = await takenIn(qualtrics, forRows);
      expect(outcomesOf(fromQualtrics.lines)).toEqual([[4, 'pending', ['license_not_found']]]);
    });

    it('reads the names SurveyMonkey\'s Contact Information question gathers, not the respondent\'s own empty First Name and Last Name beside them', async () => {
      const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Survey contact', providerActivityId: 'CHECKS-CONTACT' }));
      expect(created.statusCode, created.body).toBe(201);
      // A web link's responses: the respondent's First Name and Last Name are filled in by an email invitation only.
      const surveyMonkey = [
        'Respondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,Last Name,Custom Data 1,Contact Information,,,What is your medical license number?,What is your license state?,What is your date of birth (MM/DD)?',
        ',,,,,,,,,First Name,Last Name,Email Address,Open-Ended Response,Response,Open-Ended Response',
        `11405872391,431234567,${Number(month)}/${Number(day)}/${year} 10:01:02 AM,${Number(month)}/${Number(day)}/${year} 10:04:40 AM,10.0.0.1,,,,,Tess,Contact,t@example.org,QSC1,CA,05/05`,
      ].join('\r\n');
      const { id, lines } = await takenIn(surveyMonkey, `?consent=written&activity=CHECKS-CONTACT&completionDate=${completed}`);
      expect(outcomesOf(lines)).toEqual([[3, 'pending', ['license_not_found']]]);
      const report = (await coordinator.get(`/api/v1/learner-reports/${lines[0].reportId}`)).json();
      expect(report.learner).toMatchObject({ firstName: 'Tess', lastName: 'Contact', birthMonth: 5, birthDay: 5, state: 'CA', licenseNumber: 'QSC1' });
      const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
      expect(upload.problems).toContainEqual(expect.objectContaining({ code: 'duplicate_column', message: 'Column "First Name" (column G) repeats "First name"; column J, under a question\'s heading in the row above, is read.' }));
    });

    it("says a receipt sent back is the hub's receipt, and where the rows to fix are, in either format", async () => {
      const { id } = await takenIn(
        `Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent\nR1,${activityId},${completed},Maria,Lopez,13,14,CA,A12345,1,Written\n`,
      );
      for (const format of ['csv', 'xlsx'] as const) {
        const receipt = await coordinator.request({ method: 'GET', url: `/api/v1/uploads/${id}/receipt?format=${format}` });
        expect(receipt.statusCode).toBe(200);
        const contentType = format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
        const sentBack = await upload(receipt.rawPayload, '?consent=written', contentType);
        expect(sentBack.statusCode, format).toBe(422);
        expect(sentBack.json(), format).toMatchObject({
          code: 'file_is_a_receipt',
          detail: expect.stringMatching(/^This is the hub's receipt of an upload \(row 1( of sheet "Receipt")? has its columns Report ID and Problem codes\), not a file of learners: .* download the rows to fix from that upload's page/),
        });
      }
    });

    it('asks whether a misspelt heading is the column it resembles, rather than only saying that column is missing', async () => {
      const misspelt = await upload(
        `Activity ID,Completion date,Frist name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent\n${activityId},${completed},Maria,Lopez,3,14,CA,A12345,1,Written\n`,
      );
      expect(misspelt.statusCode).toBe(422);
      expect(misspelt.json().problems).toEqual([
        expect.objectContaining({ code: 'missing_column', field: 'firstName', message: 'The file has no "First name" column: is it "Frist name"? Write its heading "First name" (the template shows every column), or a column "Name" in its place.' }),
        expect.objectContaining({ code: 'unknown_columns', message: 'These columns are not used and their values are ignored: "Frist name" (is it "First name"?).' }),
      ]);

      // An optional column misspelt is read as no column: the note on the upload names the one it resembles.
      const { id } = await takenIn(
        `Activity ID,Completion date,First name,Last name,Birth month,Birth day,NPI,Licence numbr,Notes,CME credits,Consent\n${activityId},${completed},Maria,Lopez,3,14,1234567893,A12345,,1,Written\n`,
      );
      const note = (await coordinator.get(`/api/v1/uploads/${id}`)).json().problems;
      expect(note).toEqual([
        expect.objectContaining({ code: 'unknown_columns', message: 'These columns are not used and their values are ignored: "Licence numbr" (is it "License number"?), "Notes".' }),
      ]);
    });

    it('reads the headings Salesforce gives fields of a related record (Contact: Full Name, Contact__r.FirstName) and custom fields (License_Number__c) as the columns they name', async () => {
      // Its own activity: the learners are those other tests report on too.
      const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Salesforce headings', providerActivityId: 'CHECKS-SF' }));
      expect(created.statusCode, created.body).toBe(201);
      const activityId = created.json().id;
      // A report exported as CSV: a field of the record the report is about is headed by that record's name.
      const report = [
        '"Contact: Full Name","Contact: Birthdate","License State","License Number","Course Completion: Course Code","Course Completion: Completion Date","Credits Earned","Consent"',
        `"Priya Natarajan","6/30/1981","CA","A34567","${activityId}","${Number(month)}/${Number(day)}/${year}","1.00","Written"`,
      ].join('\n');
      const fromReport = await takenIn(`${report}\n`);
      expect(fromReport.lines.map((line) => [line.status, line.problems])).toEqual([['accepted', []]]);

      // Data Loader: API names, a related record's field by its relationship, a custom field ending in __c.
      const dataLoader = [
        '"ID","CONTACT__R.FIRSTNAME","CONTACT__R.LASTNAME","CONTACT__R.BIRTHDATE","LICENSE_STATE__C","LICENSE_NUMBER__C","COURSE_CODE__C","COMPLETION_DATE__C","CREDITS__C","CONSENT__C"',
        `"a015g00000XyZ12AAB","Hannah","Berg","1979-08-21","WA","MD60023456","${activityId}","${completed}","1.0","Written"`,
      ].join('\n');
      const fromDataLoader = await takenIn(`${dataLoader}\n`);
      expect(fromDataLoader.lines.map((line) => [line.status, line.problems])).toEqual([['accepted', []]]);
    });

    it('names a form\'s Timestamp as perhaps the completion date, never reading it as one, and takes its date once renamed', async () => {
      const form = (dateHeading: string) =>
        `"${dateHeading}","First Name","Last Name","Date of Birth","State","License number","AMA PRA Category 1 Credits","Consent"\n"${completed.replaceAll('-', '/')} 9:14:05 AM PST","Priya","Natarajan","06/30","CA","A34567","1","Written"\n`;
      const stamped = await upload(form('Timestamp'), `?activity=${activityId}`);
      expect(stamped.statusCode).toBe(422);
      expect(stamped.json().problems).toEqual([
        expect.objectContaining({ code: 'missing_column', field: 'completionDate', message: expect.stringMatching(/^The file has no "Completion date" column: is it "Timestamp"\? Write its heading "Completion date" \(the template shows every column\), or give with the file the date of every row that gives none/) }),
        expect.objectContaining({ code: 'unknown_columns', message: 'These columns are not used and their values are ignored: "Timestamp" (is it "Completion date"?).' }),
      ]);
      const { lines } = await takenIn(form('Completion date'), `?activity=${activityId}`);
      expect(lines.map((line) => [line.status, line.problems])).toEqual([['accepted', []]]);
    });

    it('names Microsoft Forms\' Completion time, when the form was sent, as perhaps the completion date, not its Start time', async () => {
      const built = new ExcelJS.Workbook();
      const sheet = built.addWorksheet('Sheet1');
      sheet.addRow(['ID', 'Start time', 'Completion time', 'Email', 'Name', 'Last modified time', 'First name', 'Last name', 'Date of birth', 'License state', 'License number']);
      const sent = new Date(`${completed}T12:03:40Z`);
      sheet.addRow([1, new Date(`${completed}T12:01:02Z`), sent, 'anonymous', 'Anonymous', null, 'Rae', 'Forms', '07/08', 'CA', 'QMF1']);
      const response = await upload(Buffer.from(await built.xlsx.writeBuffer()), `?consent=written&activity=${activityId}`, xlsxType);
      expect(response.statusCode).toBe(422);
      expect(response.json().problems).toContainEqual(
        expect.objectContaining({ code: 'missing_column', field: 'completionDate', message: expect.stringMatching(/^The file has no "Completion date" column: is it "Completion time"\?/) }),
      );
    });

    it('refuses a file without birth month and day, or without any column identifying the learner', async () => {
      const before = await uploadCount();
      const noBirth = await upload(`Activity ID,Completion date,First name,Last name,License state,License number,CME credits,Consent\n${activityId},${completed},No,Birth,CA,QNB1,1,Written\n`);
      expect(noBirth.statusCode).toBe(422);
      expect(noBirth.json().problems).toEqual([
        expect.objectContaining({ code: 'missing_column', field: 'birthMonth', message: expect.stringMatching(/^The file has no "Birth month" and "Birth day" columns\./) }),
      ]);

      const noIdentifier = await upload(`Activity ID,Completion date,First name,Last name,Birth month,Birth day,CME credits,Consent\n${activityId},${completed},No,Ident,3,3,1,Written\n`);
      expect(noIdentifier.statusCode).toBe(422);
      expect(noIdentifier.json().problems).toEqual([
        expect.objectContaining({ code: 'missing_column', field: 'learner', message: expect.stringMatching(/^The file has no columns that identify the learner\. Add "License state" and "License number", or "NPI"/) }),
      ]);
      expect(await uploadCount()).toBe(before);
    });

    it('refuses a file without consent anywhere, and takes it with the consent given for the upload', async () => {
      const file = `Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits\n${activityId},${completed},No,Consent,3,3,CA,QNC1,1\n`;
      const refused = await upload(file);
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ code: 'consent_required', detail: expect.stringContaining('Add a "Consent" column saying Written or Implied for each learner, or send consent=written or consent=implied with the file') });
      const { lines } = await takenIn(file, '?consent=written');
      expect(lines.map((line) => line.problems.map((problem) => problem.code))).toEqual([['license_not_found']]);
    });

    it('refuses a file whose Consent column says only Yes or nothing, asking once how its learners consented, and takes it when told', async () => {
      const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
      const file = [
        header,
        `yes-1,${activityId},${completed},Yes,One,3,3,CA,QKY1,1,Yes`,
        `declined,${activityId},${completed},Said,No,3,3,CA,QKN1,1,No`,
        `yes-2,${activityId},${completed},Yes,Two,3,3,CA,QKY2,1,y`,
        `blank,${activityId},${completed},Left,Blank,3,3,CA,QKB1,1,`,
      ].join('\n');
      const before = await uploadCount();
      const refused = await upload(file);
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({
        code: 'consent_kind_required',
        detail: expect.stringMatching(
          /^Row 2 says only "Yes" under Consent, as do 2 more of the file's first 4 rows, and none says how its learner consented to be reported \(Written or Implied\), so such rows would be refused\. If the learners of this file consented, say how for the whole upload: send consent=written or consent=implied with the file/,
        ),
        problems: [
          {
            code: 'consent_kind_unstated',
            field: 'consent',
            message: 'Row 2 says only "Yes" under Consent, as do 2 more of the file\'s first 4 rows, and none says how its learner consented to be reported (Written or Implied).',
          },
        ],
      });
      expect(await uploadCount()).toBe(before);

      const { lines } = await takenIn(file, '?consent=implied');
      expect(lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.code)])).toEqual([
        ['yes-1', 'pending', ['license_not_found']],
        ['declined', 'rejected', ['consent_declined']],
        ['yes-2', 'pending', ['license_not_found']],
        ['blank', 'pending', ['license_not_found']],
      ]);
      const taken = (lines as (Line & { reportId: string | null })[]).filter((line) => line.status === 'pending');
      const consents = await Promise.all(taken.map(async (line) => (await coordinator.get(`/api/v1/learner-reports/${line.reportId}`)).json().consent));
      expect(consents).toEqual(['implied', 'implied', 'implied']);
    });

    it("refuses a file none of whose first rows names one of the provider's activities, naming what they wrote, and takes one where some do", async () => {
      const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
      const unknown = [
        `course-code-1,CARD-2026,${completed},Una,Known,3,3,CA,QUK1,1,Written`,
        `course-code-2,CARD-2026,${completed},Una,Seen,3,3,CA,QUK2,1,Written`,
        `mistyped,999999999,${completed},Una,Typed,3,3,CA,QUK3,1,Written`,
      ];
      const before = await uploadCount();
      const refused = await upload([header, ...unknown].join('\n'));
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({
        code: 'activities_not_found',
        detail:
          'The file\'s first 3 rows name the activities "CARD-2026" and "999999999", and your organization has no activity by any of those names, so every row ' +
          "would be rejected. Write each row's activity as its 9-digit hub activity ID, your own ID for it as registered with the hub, or its title (your " +
          'activities are listed under Activities), or register the activity first, then send the file again.',
      });
      expect(await uploadCount()).toBe(before);

      const { lines } = await takenIn([header, ...unknown, `known,CHECKS-1,${completed},Una,Right,3,3,CA,QUK4,1,Written`].join('\n'));
      expect(lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.code)])).toEqual([
        ['course-code-1', 'rejected', ['activity_not_found']],
        ['course-code-2', 'rejected', ['activity_not_found']],
        ['mistyped', 'rejected', ['activity_not_found']],
        ['known', 'pending', ['license_not_found']],
      ]);
    });

    it('asks of an activity title typed with a slip whether it is the activity whose title it nearly is, in the refusal and in the receipt', async () => {
      const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Medicine Grand Rounds: Sepsis Update', providerActivityId: 'MGR-SEPSIS' }));
      expect(created.statusCode, created.body).toBe(201);
      const header = 'Reference,Activity title,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
      const row = (reference: string, title: string) => `${reference},${title},${completed},Una,Typed,3,3,CA,${reference.toUpperCase()},1,Written`;
      const slipped = 'Medicine Grand Rounds - Sepsis Updte';
      const meant = 'Is it "Medicine Grand Rounds: Sepsis Update" (your ID MGR-SEPSIS)?';
      const refused = await upload([header, row('qmt1', slipped), row('qmt2', slipped)].join('\n'));
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ code: 'activities_not_found' });
      expect(refused.json().detail).toContain(`rows name activity "${slipped}", and your organization has no activity by that name, so every row would be rejected. ${meant} Write`);
      // A title far from any of the provider's asks nothing.
      const far = await upload([header, row('qmt3', 'Cardiology Journal Club')].join('\n'));
      expect(far.json().detail).not.toContain('Is it');

      const { lines } = await takenIn([header, row('qmt4', 'Medicine Grand Rounds: Sepsis Update'), row('qmt5', slipped)].join('\n'));
      expect(lines[1]).toMatchObject({ status: 'rejected' });
      expect(lines[1].problems).toEqual([expect.objectContaining({ code: 'activity_not_found', message: expect.stringContaining(meant) })]);
    });

    it('refuses a file whose first rows are all dated where their activity refuses them, as a year typed wrong down the column; a few such rows are each told in the receipt', async () => {
      const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
      const lastYear = addDays(completed, -365);
      const rows = (count: number) => Array.from({ length: count }, (_, i) => `year-${i},CHECKS-1,${lastYear},Yan,Year${i},3,3,CA,QYR${100 + i},1,Written`);
      const before = await uploadCount();
      const refused = await upload([header, ...rows(12)].join('\n'));
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({
        code: 'completion_dates_refused',
        detail: expect.stringMatching(
          new RegExp(
            `^Row 2 would be rejected for its completion date: The completion date ${lastYear} is outside the activity’s dates \\(\\d{4}-\\d\\d-\\d\\d to \\d{4}-\\d\\d-\\d\\d\\)\\. ` +
              "So would the other 11 of the file's first rows that give a date and name one of your activities\\. Check the completion dates \\(a year typed wrong down the column, or the wrong activity\\), then send the file again\\.$",
          ),
        ),
      });
      expect(await uploadCount()).toBe(before);

      const { lines } = await takenIn([header, ...rows(3)].join('\n'));
      expect(lines.map((line) => [line.status, line.problems.map((problem) => problem.code)])).toEqual(Array.from({ length: 3 }, () => ['rejected', ['completion_date_outside_activity']]));
    });

    it('refuses a MedBiquitous XML file sent without consent, which it has no place for', async () => {
      const refused = await upload(activityReport(learnerReport()), '', 'application/xml');
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({ code: 'consent_required', detail: expect.stringMatching(/^A MedBiquitous XML file has no place for consent, and no consent was given for the upload/) });
    });
  });

  it('takes a completion stamped in UTC (2026-12-01T03:30:00.000Z, as Data Loader and learning systems export one) on its day in the hub\'s time zone, and a date written as midnight UTC on that date', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'UTC stamps', providerActivityId: 'CHECKS-UTC' }));
    expect(created.statusCode, created.body).toBe(201);
    const activityId = created.json().id;
    // 03:30 UTC is the evening before in New York: the learner completed the activity that day.
    const evening = `${addDays(today, -2)}T03:30:00.000Z`;
    const midnight = `${addDays(today, -5)}T00:00:00.000Z`;
    const { lines } = await takenIn(
      [
        'Reference,Activity ID,Completion_Date__c,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent',
        `UTC-1,${activityId},${evening},Uma,Stamp,3,3,CA,QUTC1,1,Written`,
        `UTC-2,${activityId},${midnight},Ugo,Stamp,3,3,CA,QUTC2,1,Written`,
      ].join('\n'),
    );
    const dates = await Promise.all(lines.map(async (line) => (await coordinator.get(`/api/v1/learner-reports/${line.reportId}`)).json().completionDate));
    expect(dates).toEqual([addDays(today, -3), addDays(today, -5)]);

    // An application's own table, exported: its completed_at column, a time as Ruby writes one in UTC.
    const fromTable = await takenIn(
      [
        'id,activity_id,completed_at,first_name,last_name,birth_month,birth_day,license_state,license_number,credits,consent',
        `7,${activityId},${addDays(today, -2)} 03:30:00 UTC,Una,Table,3,3,CA,QUTC3,1,Written`,
      ].join('\n'),
    );
    expect((await coordinator.get(`/api/v1/learner-reports/${fromTable.lines[0].reportId}`)).json().completionDate).toBe(addDays(today, -3));

    // A MedBiquitous document's CompletedDateTime too.
    const xml = await takenIn(
      activityReport(learnerReport({ completedDateTime: evening })),
      '?consent=written',
      'application/xml',
    );
    expect((await coordinator.get(`/api/v1/learner-reports/${xml.lines[0].reportId}`)).json().completionDate).toBe(addDays(today, -3));
  });

  describe('a file that writes its dates day first', () => {
    const { bothWays, onlyDayFirst } = datesBothWays(today);
    const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
    /** The file refused before anything is taken in, asking how its dates are written, for what it found. */
    const askedDateOrder = (found: Record<string, unknown>) => ({ code: 'date_order_required', problems: [found] });
    const completionDates = (lines: Line[]) => Promise.all(lines.map(async (line) => (await coordinator.get(`/api/v1/learner-reports/${line.reportId}`)).json().completionDate));

    it('refuses it when its first rows have dates that can only be day first, asking how its dates are written, and reads them all day first when told', async () => {
      const file = [
        header,
        `both-ways,${activityId},${dayFirst(bothWays)},Dee,First,3,3,CA,QDF1,1,Written`,
        `day-first,${activityId},${dayFirst(onlyDayFirst)},Dee,Second,3,3,CA,QDF2,1,Written`,
        `iso,${activityId},${onlyDayFirst},Dee,Third,3,3,CA,QDF3,1,Written`,
      ].join('\n');
      const before = await uploadCount();
      const refused = await upload(file);
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({
        code: 'date_order_required',
        detail:
          `Row 3 has the date "${dayFirst(onlyDayFirst)}", which can only be read day first (DD/MM/YYYY), and none of the file's first 3 rows has a date that can only be read month first. ` +
          "Dates with slashes or dashes are read month first (MM/DD/YYYY) unless the upload says otherwise, so the file's dates that read both ways (05/06/2026) would be taken in on the wrong day. " +
          'Say how the file writes its dates: send the file again with dates=day_first (Dates in the file: Day first on the Uploads page, --dates day-first on the command line); or with dates=month_first if those dates are mistakes, whose rows are then rejected.',
        problems: [{ code: 'date_only_day_first', field: 'completionDate', message: expect.stringMatching(/^Row 3 has the date .* can only be read month first\.$/) }],
      });
      expect(await uploadCount()).toBe(before);

      const { id, lines } = await takenIn(file, '?dates=day_first');
      expect(lines.map((line) => [line.reference, line.status])).toEqual([['both-ways', 'pending'], ['day-first', 'pending'], ['iso', 'pending']]);
      expect(await completionDates(lines)).toEqual([bothWays, onlyDayFirst, onlyDayFirst]);
      expect((await coordinator.get(`/api/v1/uploads/${id}`)).json().dates).toBe('day_first');

      // Sent again to be read the other way, the file is the same upload: its reports would clash with those on file.
      const again = await upload(file, '?dates=month_first');
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id, alreadyUploaded: true });
      expect(again.json().message).toMatch(/with its dates read day first \(DD\/MM\/YYYY\)\. That upload and its dates stand: nothing was added, and dates=month_first sent now was not applied\. To take the file in with its dates read month first/);
    });

    describe('whose first rows have only dates that read both ways', () => {
      // Sorted by date, a file written day first has no day past the 12th for its first rows: they cannot tell.
      const rows = (from: number, count: number, date: (index: number) => string) =>
        Array.from({ length: count }, (_, index) => `late-${from + index},${activityId},${date(from + index)},Lee,Late${from + index},3,3,CA,QLT${from + index},1,Written`);

      it('reads on until a date that reads one way only, and refuses the file when it is day first, naming that row', async () => {
        const file = [header, ...rows(1, 250, () => dayFirst(bothWays)), ...rows(251, 1, () => dayFirst(onlyDayFirst)), ...rows(252, 20, () => dayFirst(bothWays))].join('\n');
        const before = await uploadCount();
        const refused = await upload(file);
        expect(refused.statusCode).toBe(422);
        expect(refused.json()).toMatchObject(
          askedDateOrder({
            code: 'date_only_day_first',
            field: 'completionDate',
            message: `Row 252 has the date "${dayFirst(onlyDayFirst)}", which can only be read day first (DD/MM/YYYY), and none of the file's first 251 rows has a date that can only be read month first.`,
          }),
        );
        expect(await uploadCount()).toBe(before);
      });

      it('reads the sheets of a workbook in order, naming the row by its sheet', async () => {
        const built = new ExcelJS.Workbook();
        const october = built.addWorksheet('October');
        october.addRow(header.split(','));
        for (const line of rows(1, 150, () => dayFirst(bothWays))) october.addRow(line.split(','));
        const november = built.addWorksheet('November');
        november.addRow(header.split(','));
        for (const line of [...rows(151, 4, () => dayFirst(bothWays)), ...rows(155, 1, () => dayFirst(onlyDayFirst))]) november.addRow(line.split(','));
        const refused = await upload(Buffer.from(await built.xlsx.writeBuffer()), '?fileName=late.xlsx', xlsxType);
        expect(refused.statusCode).toBe(422);
        expect(refused.json().problems).toEqual([
          expect.objectContaining({
            code: 'date_only_day_first',
            message: `Row 6 of sheet "November" has the date "${dayFirst(onlyDayFirst)}", which can only be read day first (DD/MM/YYYY), and none of the file's first 155 rows has a date that can only be read month first.`,
          }),
        ]);
      });

      it('takes the file as sent, month first, when the first date that reads one way only is month first', async () => {
        // A file written in the US, sorted by date: its first days are 1 to 12 of their month.
        const { lines } = await takenIn([header, ...rows(1, 150, () => monthFirst(bothWays)), ...rows(151, 1, () => monthFirst(onlyDayFirst))].join('\n'));
        expect(lines.map((line) => line.status)).toEqual(Array.from({ length: 100 }, () => 'pending'));
        expect(await completionDates(lines.slice(0, 1))).toEqual([bothWays]);
      });
    });

    it('asks how the dates are written when every one of the first rows would be refused read month first, and taken read day first', async () => {
      // A sign-in sheet written day first: one day, on the 12th or before, read month first months away.
      const file = [header, ...Array.from({ length: 12 }, (_, i) => `sheet-${i},${activityId},${dayFirst(bothWays)},Sid,Sheet${i},3,3,CA,QSS${100 + i},1,Written`)].join('\n');
      const refused = await upload(file);
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject(
        askedDateOrder({
          code: 'dates_taken_day_first',
          field: 'completionDate',
          message: expect.stringMatching(
            new RegExp(
              `^Row 2 has the date "${dayFirst(bothWays)}", which read month first \\(MM/DD/YYYY\\) would be rejected: The completion date ${bothWays.slice(0, 4)}-${bothWays.slice(8)}-${bothWays.slice(5, 7)} .*` +
                `Read day first \\(DD/MM/YYYY\\), it is ${bothWays}, a date its activity takes, as are the dates of the other 11 of the file's first rows that give a date and name one of your activities\\.$`,
            ),
          ),
        }),
      );

      const { lines } = await takenIn(file, '?dates=day_first');
      expect(lines.map((line) => line.status)).toEqual(Array.from({ length: 12 }, () => 'pending'));
      // Said month first, the dates are read so, and the file refused for them as any file whose dates its activity refuses.
      expect((await upload(file.replaceAll('sheet-', 'again-'), '?dates=month_first')).json().code).toBe('completion_dates_refused');
    });

    it('asks at once how its learners consented and how its dates are written, when the file says neither', async () => {
      const file = [header, `both-1,${activityId},${dayFirst(onlyDayFirst)},Bo,Both,3,3,CA,QBB1,1,Yes`, `both-2,${activityId},${dayFirst(bothWays)},Bo,Twice,3,3,CA,QBB2,1,Yes`].join('\n');
      const refused = await upload(file);
      expect(refused.statusCode).toBe(422);
      const { code, detail, problems } = refused.json();
      expect(code).toBe('consent_kind_required');
      expect(detail).toMatch(/^Row 2 says only "Yes" under Consent, .* Also: Row 2 has the date ".*", which can only be read day first .* Say how the file writes its dates: send the file again with dates=day_first/);
      expect(problems.map((problem: { code: string; field: string }) => [problem.code, problem.field])).toEqual([
        ['consent_kind_unstated', 'consent'],
        ['date_only_day_first', 'completionDate'],
      ]);

      const { lines } = await takenIn(file, '?consent=written&dates=day_first');
      expect(await completionDates(lines)).toEqual([onlyDayFirst, bothWays]);
    });

    it('takes a file of dates written YYYY-MM-DD with one written day first as sent, that row rejected with what to write', async () => {
      const file = [
        header,
        ...Array.from({ length: 5 }, (_, i) => `iso-${i},${activityId},${bothWays},Ida,Iso${i},3,3,CA,QIS${100 + i},1,Written`),
        `slip,${activityId},${dayFirst(onlyDayFirst)},Ida,Slip,3,3,CA,QIS200,1,Written`,
      ].join('\n');
      const { lines } = await takenIn(file);
      expect(lines.map((line) => [line.reference, line.status])).toEqual([...Array.from({ length: 5 }, (_, i) => [`iso-${i}`, 'pending']), ['slip', 'rejected']]);
      expect(lines[5].problems[0].message).toMatch(/looks like day\/month\/year, but dates written this way are read month first/);
    });

    it('takes a file whose dates are written both ways as sent, each date that can only be day first rejected with what to write', async () => {
      const { lines } = await takenIn(
        [
          header,
          `day-first,${activityId},${dayFirst(onlyDayFirst)},Mixed,One,3,3,CA,QMX1,1,Written`,
          `month-first,${activityId},${monthFirst(onlyDayFirst)},Mixed,Two,3,3,CA,QMX2,1,Written`,
        ].join('\n'),
      );
      expect(lines.map((line) => [line.reference, line.status])).toEqual([['day-first', 'rejected'], ['month-first', 'pending']]);
      expect(lines[0].problems.map((problem) => problem.message)).toEqual([
        expect.stringMatching(new RegExp(`^Completion date: "${dayFirst(onlyDayFirst)}" looks like day/month/year, but dates written this way are read month first \\(MM/DD/YYYY\\); write ${onlyDayFirst} \\(YYYY-MM-DD\\).* If the whole file writes its dates day first, withdraw this upload and send the file again with dates=day_first`)),
      ]);
    });

    it('gives its rows to fix their dates as read, so that the corrected rows sent back need no order said', async () => {
      const { id, lines } = await takenIn(
        [header, `to-fix,${activityId},${dayFirst(bothWays)},Fix,Me,3,3,CA,QFX1,lots,Written`, `fine,${activityId},${dayFirst(onlyDayFirst)},Fine,Row,3,3,CA,QFX2,1,Written`].join('\n'),
        '?dates=day_first',
      );
      expect(lines.map((line) => line.status)).toEqual(['rejected', 'pending']);
      const download = await coordinator.get(`/api/v1/uploads/${id}/rows-to-fix?format=csv`);
      expect(download.statusCode).toBe(200);
      expect(download.body).toContain(`,${bothWays},`);
      expect(download.body).not.toContain(dayFirst(bothWays));
      const corrected = download.body.replace(',lots,', ',1,');
      const { lines: correctedLines } = await takenIn(corrected);
      expect(correctedLines.map((line) => [line.reference, line.status])).toEqual([['to-fix', 'pending']]);
      expect(await completionDates(correctedLines)).toEqual([bothWays]);
    });
  });

  it('says of a row marked "No" that the learner did not consent; of a row it could not split, only that', async () => {
    const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
    const { id, rowProblems, lines } = await takenIn(
      [
        header,
        `declined,${activityId},${completed},Con,No,3,3,CA,QNO1,1,No`,
        // An unquoted comma in the date splits the row into one value too many.
        `split,${activityId},Nov 19, 2026,Pat,Split,3,3,CA,QSP1,1,Written`,
        `excel,${activityId},${Number(month)}/${Number(day)}/${year} 10:30,Ex,Cel,3,3,CA,QEX1,1,Written`,
        // A total under the learners, and the header again where two exports were put together.
        'Total,,,,,,,,,4,',
        header,
      ].join('\n'),
    );
    expect(lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.message)])).toEqual([
      [
        'declined',
        'rejected',
        ['Consent: the learner did not consent to be reported ("No"), so nothing of this row is kept. If they did consent, write Written or Implied and send the row again'],
      ],
      ['split', 'rejected', ['The row has 12 values but the header has 11 columns; check for a separator inside a value that should be in quotes.']],
      // A date and time as Excel writes it into a CSV file is read as the date.
      ['excel', 'pending', [expect.stringContaining('no license number QEX1')]],
      ['Total', 'rejected', [expect.stringContaining('so it is not a completion (a total or a note?): delete it from the file')]],
      ['Reference', 'rejected', [expect.stringContaining('The row repeats the header row')]],
    ]);
    expect(rowProblems.map((kind) => kind.code)).toEqual(['consent_declined', 'too_many_values', 'license_not_found', 'not_a_completion', 'header_repeated']);
    // Of the learner who declined, the total and the header nothing is kept: no report, and nothing in the rows to fix,
    // which has the one rejected row with something to correct.
    expect(lines.filter((line) => line.status === 'rejected').map((line) => line.reportId === null)).toEqual([true, false, true, true]);
    const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(upload.rows).toMatchObject({ rejected: 4, toFix: 1 });
    expect(await scene.t.db.selectFrom('learner_reports').select('id').where('license_number', '=', 'QNO1').execute()).toEqual([]);
    const rowsToFix = await coordinator.get(`/api/v1/uploads/${id}/rows-to-fix?format=csv`);
    expect(rowsToFix.statusCode, rowsToFix.body).toBe(200);
    expect(rowsToFix.body).not.toContain('QNO1');
    expect(rowsToFix.body).toContain('Split');
  });

  it('credits no registrant an event export does not show to have attended, counting them apart: Zoom\'s Attended, Eventbrite\'s Attendee Status, Cvent\'s Registration Status, a form\'s attestation', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Attendance exports', providerActivityId: 'CHECKS-ATTEND' }));
    expect(created.statusCode, created.body).toBe(201);
    const forRows = `?consent=written&activity=CHECKS-ATTEND&completionDate=${completed}`;
    const sessionDay = `${Number(month)}/${Number(day)}/${year}`;
    const outcomes = async (file: string) => {
      const { id, rowProblems, lines } = await takenIn(file, forRows);
      const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
      return { upload, rowProblems, lines: lines.map((line) => [line.rowNumber, line.status, line.reportId !== null, line.problems.map((problem) => problem.code)]), messages: lines.flatMap((line) => line.problems.map((problem) => problem.message)) };
    };

    // Zoom's webinar attendee report: every registrant, "Attended" Yes or No, with their time in session.
    const zoom = await outcomes(
      [
        'Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,License Number,License State,Date of Birth',
        `Yes,Ann Zoom,Ann,Zoom,ann@example.org,${sessionDay} 9:02,approved,${sessionDay} 12:00,${sessionDay} 13:00,60,No,QAT1,CA,03/14`,
        `No,Bo Zoom,Bo,Zoom,bo@example.org,${sessionDay} 9:05,approved,--,--,--,No,QAT2,CA,04/15`,
      ].join('\r\n'),
    );
    expect(zoom.lines).toEqual([
      [2, 'pending', true, ['license_not_found']],
      [3, 'rejected', false, ['not_attended']],
    ]);
    expect(zoom.messages[1]).toBe('Attended: "No" says the registrant did not attend, so nothing of this row is kept and no credit is given. If the learner did attend, mark them so (Yes, Attended, Checked In) and send the row again');
    expect(zoom.rowProblems).toContainEqual(expect.objectContaining({ code: 'not_attended', field: 'attended', rows: 1, firstRow: 3, noCompletion: true }));
    // A registrant who did not attend is no completion; a learner not yet matched is a report on file to check.
    expect(zoom.rowProblems).toContainEqual(expect.objectContaining({ code: 'license_not_found', noCompletion: false }));
    expect(zoom.upload.rows).toMatchObject({ done: 2, rejected: 1, toFix: 0 });

    // Eventbrite's attendee summary: "Checked In" came; "Attending" holds a ticket never checked in; "Not Attending" cancelled.
    const eventbrite = await outcomes(
      [
        'Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee #,Attendee Status,License Number,License State,Date of Birth',
        `1101,${sessionDay},Cy,Brite,cy@example.org,1,General Admission,1,Checked In,QAT3,CA,05/16`,
        `1102,${sessionDay},Di,Brite,di@example.org,1,General Admission,2,Attending,QAT4,CA,06/17`,
        `1103,${sessionDay},Ed,Brite,ed@example.org,1,General Admission,3,Not Attending,QAT5,CA,07/18`,
      ].join('\r\n'),
    );
    expect(eventbrite.lines).toEqual([
      [2, 'pending', true, ['license_not_found']],
      [3, 'rejected', false, ['not_attended']],
      [4, 'rejected', false, ['not_attended']],
    ]);
    expect(eventbrite.messages[1]).toBe('Attended: "Attending" says the learner registered, not that they attended (a registration system marks those who came Checked In), so nothing of this row is kept and no credit is given. If the learner did attend, mark them so (Yes, Attended, Checked In) and send the row again');
    expect(eventbrite.rowProblems).toContainEqual(expect.objectContaining({ code: 'not_attended', rows: 2, firstRow: 3 }));

    // Cvent's registration report: a cancelled registration is no completion, whatever else the row says.
    const cvent = await outcomes(
      [
        'Registration Status,First Name,Last Name,Email Address,License Number,License State,Date of Birth',
        'Accepted,Fe,Cvent,fe@example.org,QAT6,CA,08/19',
        'Cancelled,Gus,Cvent,gus@example.org,QAT7,CA,09/20',
      ].join('\r\n'),
    );
    expect(cvent.lines).toEqual([
      [2, 'pending', true, ['license_not_found']],
      [3, 'rejected', false, ['not_attended']],
    ]);
    expect(cvent.messages[1]).toMatch(/^Registration status: "Cancelled" says the registrant did not attend, so nothing of this row is kept/);
    // A registration's status says who registered: the upload says the other rows were taken as attended.
    expect(cvent.upload.problems).toContainEqual(expect.objectContaining({ code: 'attendance_not_said', message: expect.stringMatching(/^The column "Registration Status" says who registered, not who attended: .* add an "Attended" column/) }));
    expect(zoom.upload.problems).not.toContainEqual(expect.objectContaining({ code: 'attendance_not_said' }));

    // A Google Form's attestation, a checkbox left empty by one respondent.
    const form = await outcomes(
      [
        'Timestamp,First name,What is your last name?,Medical license number,License state,Date of birth (month and day only),I attest that I attended this activity',
        `${sessionDay} 15:45:12,Hal,Form,QAT8,CA,10/21,I attest that I attended this activity`,
        `${sessionDay} 15:46:02,Ida,Form,QAT9,CA,11/22,`,
      ].join('\r\n'),
    );
    expect(form.lines).toEqual([
      [2, 'pending', true, ['license_not_found']],
      [3, 'rejected', false, ['not_attended']],
    ]);
    expect(form.messages[1]).toMatch(/^Attended: the attendance column is empty on this row: the file does not say the learner attended, so nothing/);
    const credited = await scene.t.db.selectFrom('learner_reports').select('license_number').where('license_number', 'like', 'QAT%').orderBy('license_number').execute();
    expect(credited.map((report) => report.license_number)).toEqual(['QAT1', 'QAT3', 'QAT6', 'QAT8']);

    // An event that checked no one in: every ticket "Attending". Refused when sent, rather than taken in to keep nothing.
    const before = await uploadCount();
    const noCheckIn = await upload(
      [
        'Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee #,Attendee Status,License Number,License State,Date of Birth',
        `1201,${sessionDay},Jo,Brite,jo@example.org,1,General Admission,1,Attending,QAU1,CA,05/16`,
        `1202,${sessionDay},Ky,Brite,ky@example.org,1,General Admission,2,Attending,QAU2,CA,06/17`,
        'Total,,,,,2,,,,,,',
      ].join('\r\n'),
      forRows,
    );
    expect(noCheckIn.statusCode, noCheckIn.body).toBe(422);
    expect(noCheckIn.json()).toMatchObject({
      code: 'none_attended',
      detail: expect.stringMatching(/^None of the file's first 2 rows shows that its learner attended \(Row 2: Attended: "Attending" says the learner registered, .*\) Taken in, the file would credit no one\. If everyone it lists attended, mark them so \(Yes, Attended or Checked In\), or delete the attendance column/),
    });
    expect(await uploadCount()).toBe(before);
  });

  it('reads the attendees of a report of sections, under their own section\'s header, and none of its host\'s or panelists\' rows', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Webinar of sections', providerActivityId: 'CHECKS-ZOOM' }));
    expect(created.statusCode, created.body).toBe(201);
    const sessionDay = `${Number(month)}/${Number(day)}/${year}`;
    const people = 'Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name';
    // Zoom's webinar attendee report: the webinar, its host and panelists, then the attendees with the registration's questions.
    const report = [
      'Attendee Report,',
      `Report Generated:,"${sessionDay} 14:05"`,
      'Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,Total Users,Max Concurrent Views',
      `Grand Rounds,123 4567 8901,"${sessionDay} 12:00",61,4,0,3,3,3`,
      'Host Details,',
      people,
      `Yes,Dr Host,host@example.org,${sessionDay} 11:50,${sessionDay} 13:01,71,No,United States`,
      'Panelist Details,',
      people,
      ...[1, 2, 3].map((panelist) => `Yes,Panelist ${panelist},panelist${panelist}@example.org,${sessionDay} 11:55,${sessionDay} 13:00,65,No,United States`),
      'Attendee Details,',
      'Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,License Number,License State,Date of Birth',
      `Yes,Ann Zoom,Ann,Zoom,ann@example.org,${sessionDay} 9:02,approved,${sessionDay} 12:00,${sessionDay} 13:00,60,No,United States,QZS1,CA,03/14`,
      `No,Bo Zoom,Bo,Zoom,bo@example.org,${sessionDay} 9:05,approved,--,--,--,No,United States,QZS2,CA,04/15`,
    ].join('\r\n');
    // Sent without the activity and date of its rows, its day is offered from the webinar's row above (not the day the
    // report was generated); its topic is no activity of the provider's, so none is offered.
    const unsaid = await upload(report, '?consent=written');
    expect(unsaid.statusCode, unsaid.body).toBe(422);
    expect(unsaid.json().problems).toEqual([
      expect.not.objectContaining({ field: 'activityId', suggestion: expect.anything() }),
      expect.objectContaining({ field: 'completionDate', suggestion: { value: completed, said: `${sessionDay} 12:00`, row: 4 } }),
      expect.objectContaining({ code: 'unknown_columns' }),
    ]);
    const { id, lines } = await takenIn(report, `?consent=written&activity=CHECKS-ZOOM&completionDate=${completed}`);
    expect(outcomesOf(lines)).toEqual([
      [15, 'pending', ['license_not_found']],
      [16, 'rejected', ['not_attended']],
    ]);
    const taken = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(taken.columnsRead.row).toBe(14);
  });

  it('reads the participants of a report whose sections follow one another, and none of the rows of a section of others under them', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Meeting of sections', providerActivityId: 'CHECKS-TEAMS' }));
    expect(created.statusCode, created.body).toBe(201);
    const when = `${Number(month)}/${Number(day)}/${year.slice(2)}`;
    // Teams' attendance report, as it downloads (UTF-16, tabs), the coordinator's columns added to its participants.
    const report = [
      '1. Summary',
      'Meeting title\tGrand Rounds',
      'Attended participants\t2',
      `Start time\t${when}, 12:00:05 PM`,
      `End time\t${when}, 1:02:11 PM`,
      '',
      '2. Participants',
      'Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\tLicense Number\tLicense State\tDate of Birth',
      `Ann Teams\t${when}, 12:00:10 PM\t${when}, 1:01:00 PM\t1h 0m 50s\tann@example.org\tann@example.org\tAttendee\tQTM1\tCA\t03/14`,
      `Bo Teams\t${when}, 12:03:00 PM\t${when}, 1:02:00 PM\t59m 0s\tbo@example.org\tbo@example.org\tAttendee\tQTM2\tCA\t04/15`,
      '',
      '3. In-Meeting Activities',
      'Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole',
      `Ann Teams\t${when}, 12:00:10 PM\t${when}, 1:01:00 PM\t1h 0m 50s\tann@example.org\tAttendee`,
      `Bo Teams\t${when}, 12:03:00 PM\t${when}, 1:02:00 PM\t59m 0s\tbo@example.org\tAttendee`,
    ].join('\r\n');
    const file = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(report, 'utf16le')]);
    // Sent without the activity and date of its rows: the meeting's title, when it is the activity's, and its day are offered.
    const unsaid = await upload(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(report.replace('Grand Rounds', 'Meeting of sections'), 'utf16le')]), '?consent=written');
    expect(unsaid.statusCode, unsaid.body).toBe(422);
    expect(unsaid.json().problems).toEqual([
      expect.objectContaining({ field: 'activityId', suggestion: { value: created.json().id, said: 'Meeting title Meeting of sections', row: 2 } }),
      expect.objectContaining({ field: 'completionDate', suggestion: { value: completed, said: `${when}, 12:00:05 PM`, row: 4 } }),
      expect.objectContaining({ code: 'unknown_columns' }),
    ]);
    const { id, lines } = await takenIn(file, `?consent=written&activity=CHECKS-TEAMS&completionDate=${completed}`);
    expect(outcomesOf(lines)).toEqual([
      [9, 'pending', ['license_not_found']],
      [10, 'pending', ['license_not_found']],
    ]);
    const taken = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(taken.problems).toContainEqual({
      code: 'section_not_read',
      message:
        'The rows from "3. In-Meeting Activities" (row 12) on were not read: that section of the report lists its hosts, panelists, summary or activities, not rows to take in. If rows under it are to be sent, put them above it, under the header.',
    });
  });

  it('reads a form\'s questions as their columns: the state that issued the license, and the credits claimed, which the learner gets rather than all the activity\'s', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Form questions', providerActivityId: 'CHECKS-FORM' }));
    expect(created.statusCode, created.body).toBe(201);
    // A Google Form's responses, downloaded as CSV: each heading is the question as typed.
    const form = [
      'Timestamp,First name,What is your last name?,Medical license number,Which state issued your license?,Date of birth (month and day only),NPI (optional),How many credits are you claiming?,I attest that I attended this activity',
      `${Number(month)}/${Number(day)}/${year} 15:45:12,Jo,Former,QFQ1,California,03/14,,1,I attest that I attended this activity`,
      `${Number(month)}/${Number(day)}/${year} 15:47:40,Kit,Former,QFQ2,CA,04/15,,0.5,I attest that I attended this activity`,
    ].join('\r\n');
    const { id, lines } = await takenIn(form, `?consent=written&activity=CHECKS-FORM&completionDate=${completed}`);
    expect(outcomesOf(lines)).toEqual([
      [2, 'pending', ['license_not_found']],
      [3, 'pending', ['license_not_found']],
    ]);
    const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(upload.problems).not.toContainEqual(expect.objectContaining({ code: 'credits_from_activity' }));
    expect(upload.columnsRead.columns).toEqual(expect.arrayContaining([
      { heading: 'Which state issued your license?', readAs: 'License state' },
      { heading: 'How many credits are you claiming?', readAs: 'AMA PRA Category 1 credits' },
    ]));
    const credits = await Promise.all(lines.map(async (line) => (await coordinator.get(`/api/v1/learner-reports/${line.reportId}`)).json().credits));
    expect(credits).toEqual([[expect.objectContaining({ amount: 1 })], [expect.objectContaining({ amount: 0.5 })]]);
    const reports = await Promise.all(lines.map(async (line) => (await coordinator.get(`/api/v1/learner-reports/${line.reportId}`)).json().learner));
    expect(reports.map((learner) => [learner.state, learner.licenseNumber])).toEqual([['CA', 'QFQ1'], ['CA', 'QFQ2']]);
  });

  it('reads a form\'s "Birthday" as the learner\'s birth month and day where no column gives the month, and as the day beside one', async () => {
    const forRows = `?consent=written&activity=${activityId}&completionDate=${completed}`;
    const { id, lines } = await takenIn(
      ['First name,Last name,Birthday (MM/DD),License state,License number', 'Lu,Birthday,3/14,CA,QBD1', 'Mo,Birthday,December 2,CA,QBD2'].join('\r\n'),
      forRows,
    );
    expect(outcomesOf(lines)).toEqual([
      [2, 'pending', ['license_not_found']],
      [3, 'pending', ['license_not_found']],
    ]);
    const learners = await Promise.all(lines.map(async (line) => (await coordinator.get(`/api/v1/learner-reports/${line.reportId}`)).json().learner));
    expect(learners.map((learner) => [learner.birthMonth, learner.birthDay])).toEqual([[3, 14], [12, 2]]);
    const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(upload.columnsRead.columns).toContainEqual({ heading: 'Birthday (MM/DD)', readAs: 'Birth month and day (a year is dropped)' });
    // Beside a Birth month column, a "Birthday" column is the day of the month.
    const beside = await takenIn(['First name,Last name,Birth month,Birthday,License state,License number', 'Ned,Birthday,5,17,CA,QBD3'].join('\r\n'), forRows);
    const learner = (await coordinator.get(`/api/v1/learner-reports/${beside.lines[0].reportId}`)).json().learner;
    expect([learner.birthMonth, learner.birthDay]).toEqual([5, 17]);
  });

  it('reads a form field exported in parts, "Name (First)" and "Name (Last)", or "Name_First" and "Name_Last", as the first and last name', async () => {
    // A form builder's export (Gravity Forms): a field of several inputs is a column per input, its part in brackets.
    const { lines } = await takenIn(
      [
        'Name (Prefix),Name (First),Name (Last),Email,Date of Birth,License (State),License Number,Entry Id,Date Created',
        `Dr.,Pia,Parts,pia@example.org,05/06,CA,QNP1,41,${completed} 18:02:11`,
      ].join('\r\n'),
      `?consent=written&activity=${activityId}&completionDate=${completed}`,
    );
    expect(outcomesOf(lines)).toEqual([[2, 'pending', ['license_not_found']]]);
    const learner = (await coordinator.get(`/api/v1/learner-reports/${lines[0].reportId}`)).json().learner;
    expect(learner).toMatchObject({ firstName: 'Pia', lastName: 'Parts', state: 'CA', licenseNumber: 'QNP1' });
    // Cognito Forms writes the part after the field and an underscore.
    const cognito = await takenIn(
      ['Name_First,Name_Middle,Name_Last,Email,Date of Birth,License State,License Number,Entry_Number', `Cora,J,Cognito,cora@example.org,07/08,CA,QNP2,7`].join('\r\n'),
      `?consent=written&activity=${activityId}&completionDate=${completed}`,
    );
    expect(outcomesOf(cognito.lines)).toEqual([[2, 'pending', ['license_not_found']]]);
    const cora = (await coordinator.get(`/api/v1/learner-reports/${cognito.lines[0].reportId}`)).json().learner;
    expect(cora).toMatchObject({ firstName: 'Cora', lastName: 'Cognito', state: 'CA', licenseNumber: 'QNP2' });
  });

  it('says of a meeting report\'s time in session, in a file without a credits column, that it is not read as credits, each learner given all the activity\'s', async () => {
    const sessionDay = `${Number(month)}/${Number(day)}/${year}`;
    // Teams' attendance report, its participants with the columns the coordinator added for the hub.
    const { id, lines } = await takenIn(
      [
        'Name,First Join,Last Leave,In-Meeting Duration,Email,Participant ID (UPN),Role,License State,License Number,Date of Birth',
        `Quin Teams,"${sessionDay}, 12:00:05 PM","${sessionDay}, 12:10:35 PM",10m 30s,quin@example.org,quin@example.org,Attendee,CA,QTM1,06/07`,
      ].join('\r\n'),
      `?consent=written&activity=${activityId}&completionDate=${completed}`,
    );
    expect(lines.map((line) => line.status)).toEqual(['pending']);
    const upload = (await coordinator.get(`/api/v1/uploads/${id}`)).json();
    expect(upload.problems).toContainEqual({
      code: 'credits_from_activity',
      message: 'The file has no credits column: each learner is given the AMA PRA Category 1 credits their activity designates, all of them, however long they stayed: its "In-Meeting Duration" is not read as credits. To report fewer for learners who joined late or left early, add a column "AMA PRA Category 1 credits" with each learner\'s credits (in hours, in steps of 0.25).',
    });
  });

  it('takes none of the notices a report writes under its rows in a workbook as a row to fix, where they sit in the name column', async () => {
    const created = await coordinator.post('/api/v1/activities', openActivity({ title: 'Formatted report', providerActivityId: 'CHECKS-FORMATTED' }));
    expect(created.statusCode, created.body).toBe(201);
    // A Salesforce report exported formatted: its title and filters above the header, a total and the notices under the rows.
    const built = new ExcelJS.Workbook();
    const sheet = built.addWorksheet('Completions Last Month');
    sheet.addRow(['Completions Last Month']);
    sheet.addRow(['Filtered By:']);
    sheet.addRow(['    Completion Date equals LAST MONTH']);
    sheet.addRow([]);
    sheet.addRow(['First Name', 'Last Name', 'Birthdate', 'License State', 'License Number', 'Course Code', 'Completion Date', 'Credits Earned', 'Consent']);
    sheet.addRow(['Fay', 'Formatted', new Date(Date.UTC(1980, 2, 3)), 'CA', 'QFR1', 'CHECKS-FORMATTED', new Date(`${completed}T00:00:00Z`), 1.5, 'Written']);
    sheet.addRow(['Total', '', '', '', '', '', '', 1.5]);
    sheet.addRow([]);
    sheet.addRow(['Confidential Information - Do Not Distribute']);
    sheet.addRow(['Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.']);
    // A learner's name alone is a row to fix all the same: a sheet filled in by hand may have no more of someone.
    sheet.addRow(['Gus', 'Alone']);
    const { id, lines } = await takenIn(Buffer.from(await built.xlsx.writeBuffer()), '', xlsxType);
    expect(outcomesOf(lines)).toEqual([
      [6, 'pending', ['license_not_found']],
      [7, 'rejected', ['not_a_completion']],
      [9, 'rejected', ['not_a_completion']],
      [10, 'rejected', ['not_a_completion']],
      [11, 'rejected', expect.arrayContaining(['required'])],
    ]);
    expect((await coordinator.get(`/api/v1/uploads/${id}`)).json().rows).toMatchObject({ toFix: 1 });
  });

  it('says once why a birth month or day could not be read, not also that it is missing', async () => {
    const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
    const { lines } = await takenIn(
      [
        header,
        // A TRUE typed into the month's cell of a workbook reads as Yes.
        `month,${activityId},${completed},Mo,Nth,Yes,3,CA,QBM1,1,Written`,
        `day,${activityId},${completed},Da,Y,3,third,CA,QBD1,1,Written`,
      ].join('\n'),
    );
    expect(lines.map((line) => [line.reference, line.status, line.problems.map((problem) => problem.message)])).toEqual([
      ['month', 'rejected', ['Birth month: "Yes" is not a month (1 to 12)']],
      ['day', 'rejected', ['Birth day: "third" is not a day (1 to 31)']],
    ]);
  });

  it('says all of a row\'s problems at once: a consent it cannot read, and the activity\'s rules too', async () => {
    const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
    // The file's other rows say how their learners consented: a "Yes" is the row's own slip.
    const { lines } = await takenIn(
      [header, `written,${activityId},${completed},Wri,Tten,3,3,CA,QWR1,1,Written`, `yes,${activityId},${completed},Ye,Sayer,3,3,CA,QYS1,99,Yes`, `no-activity,,${completed},No,Act,3,3,CA,QNA1,1,`].join('\n'),
    );
    expect(lines.map((line) => [line.status, line.problems.map((problem) => problem.code)])).toEqual([
      ['pending', ['license_not_found']],
      ['rejected', ['invalid', 'credits_exceed_designated']],
      // Without its activity, what needs none is still said: the consent left empty.
      ['rejected', ['required', 'consent_missing']],
    ]);
    expect(lines[2].problems[0].message).toBe(
      "Activity ID is empty: write the activity's 9-digit hub activity ID, or your own ID for it (or, for a sheet of one session, give the activity with the upload)",
    );
  });

  it('says of a row repeating a report on file with another date that the report stands, and what differs', async () => {
    const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
    const first = await takenIn([header, `first,CHECKS-1,${completed},Ria,Again,3,3,CA,QRA1,1,Written`].join('\n'), '?fileName=first.csv');
    const otherDay = addDays(completed, -1);
    const { lines } = await takenIn([header, `again,CHECKS-1,${otherDay},Ria,Again,3,3,CA,QRA1,1,Written`].join('\n'), '?fileName=again.csv');
    expect(lines.map((line) => [line.status, line.problems.map((problem) => problem.code)])).toEqual([['pending', ['already_on_file', 'license_not_found', 'already_reported']]]);
    const messages = lines[0].problems.map((problem) => problem.message);
    expect(messages[0]).toMatch(new RegExp(`^This learner's completion of the activity was already reported, by row 2 of first\\.csv \\(upload ${first.id}, .* UTC\\): this row is not counted again, and does not change that report\\.$`));
    expect(messages[2]).toMatch(new RegExp(`^This learner is already reported for activity CHECKS-1 \\(hub ID \\d{9}\\), completed ${completed}, not ${otherDay}\\. To change that report, correct it instead of sending it again\\.$`));
  });

  it('keeps with a rejected row what could be read of it, so that its report shows it and can be corrected from there', async () => {
    const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
    // The activity is named by the provider's own ID: the rejected report names it by the hub's. Sent saying its
    // dates are month first, the date that can only be day first rejects the row.
    const { lines } = await takenIn([header, `day-first,checks-1,30/11/2026,Dana,Firstday,4,3,CA,QDF1,1.5,Written`].join('\n'), '?dates=month_first');
    const [line] = lines as (Line & { reportId: string })[];
    expect(line).toMatchObject({ reference: 'day-first', status: 'rejected' });
    const report = (await coordinator.get(`/api/v1/learner-reports/${line.reportId}`)).json();
    // The date could not be read; the rest of the row is there.
    expect(report).toMatchObject({
      activityId,
      completionDate: null,
      consent: 'written',
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }],
      learner: expect.objectContaining({ firstName: 'Dana', lastName: 'Firstday', birthMonth: 4, birthDay: 3, state: 'CA', licenseNumber: 'QDF1' }),
    });
  });

  it('names the element a MedBiquitous report lacks once, and no follow-on problem', async () => {
    const { lines, rowProblems } = await takenIn(
      activityReport(
        [
          learnerReport({ birthDate: false }),
          learnerReport({ name: false }),
          learnerReport({ module: false }),
          learnerReport({ status: 'Incomplete' }),
          learnerReport({ givenName: 'P'.repeat(101) }),
          learnerReport({ credits: '0.3' }),
        ].join('\n'),
      ),
      '?consent=written',
      'application/xml',
    );
    expect(lines.map((line) => line.problems.map((problem) => `${problem.code}: ${problem.message.replace(/^Line \d+: /, '')}`))).toEqual([
      [
        'no_birth_date: the Member has no BirthDate; add <PersonalInfo><BirthDate accuracy="DayMonth">1900-MM-DD</BirthDate></PersonalInfo> with the learner\'s birth month and day (any year: only the month and day are kept).',
      ],
      ["no_name: the Member has no Name; add <Name> with the learner's GivenName and FamilyName, as on the license."],
      ['xml_schema: Activity is missing Module.'],
      ['xml_schema: Status must be one of "Registered", "Completed", "Expired", not "Incomplete".'],
      ['too_big: GivenName: First name is at most 100 characters'],
      // Said once by the reader, not again by the activity's rules.
      ['invalid_credit_amount: numberOfCredits 0.3 is not a multiple of 0.25.'],
    ]);
    // Counted by the element they are about: two problems of the schema are two kinds.
    expect(rowProblems.map((kind) => [kind.code, kind.field, kind.rows])).toEqual(
      expect.arrayContaining([
        ['xml_schema', 'Activity', 1],
        ['xml_schema', 'Status', 1],
      ]),
    );
  });

  it('keeps with a rejected MedBiquitous report what could be read of it', async () => {
    const { lines } = await takenIn(activityReport(learnerReport({ birthDate: false })), '?consent=written', 'application/xml');
    const report = (await coordinator.get(`/api/v1/learner-reports/${lines[0].reportId}`)).json();
    expect(report).toMatchObject({ status: 'rejected', activityId, completionDate: completed, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] });
    // Without a birth date the learner is not whole, so the API gives none; what was read is kept for the correction.
    const stored = await scene.t.db.selectFrom('learner_reports').select(['first_name', 'last_name', 'birth_month', 'state', 'license_number']).where('id', '=', lines[0].reportId!).executeTakeFirstOrThrow();
    expect(stored).toEqual({ first_name: 'Pat', last_name: 'Xml', birth_month: null, state: 'CA', license_number: `QX${reportsWritten}` });
  });

  it('points a rejected row sent again, in the same file or a later one, to its rejected report rather than adding one', async () => {
    const header = 'Reference,Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent';
    const bad = `again,${activityId},soon,Re,Peat,5,6,CA,QRP1,1,Written`;
    const first = await takenIn([header, bad, bad].join('\n'));
    expect(first.lines.map((line) => [line.status, line.problems[0].message])).toEqual([
      ['rejected', expect.stringContaining('"soon"')],
      ['rejected', 'The same row as row 2 of this file, rejected too; counted once.'],
    ]);
    const [reportId] = first.lines.map((line) => line.reportId);
    expect(first.lines[1].reportId).toBe(reportId);
    // The same rows again, with one more row and the columns in another order, as a re-export writes them.
    const reordered = 'Activity ID,Reference,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits,Consent,Notes';
    const moved = `${activityId},again,soon,Re,Peat,5,6,CA,QRP1,1,Written,`;
    const later = await takenIn([reordered, moved, `${activityId},new,${completed},Ne,W,5,6,CA,QRP2,1,Written,`].join('\n'));
    expect(later.lines[0]).toMatchObject({ status: 'rejected', reportId });
    // It says where it was sent: the row, the file and when.
    expect(later.lines[0].problems.map((problem) => problem.message)).toContainEqual(
      expect.stringMatching(new RegExp(`^This row was sent before, by row 2 of a file \\(upload ${first.id}, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\), and rejected: its rejected report is still to fix, and is not counted again\\.$`)),
    );
    const rejected = await scene.t.db.selectFrom('learner_reports').select('id').where('license_number', '=', 'QRP1').execute();
    expect(rejected).toEqual([{ id: reportId }]);
    // It is fixed through the rows to fix of the first file, and only there: the later file has none.
    expect((await coordinator.get(`/api/v1/uploads/${first.id}`)).json().rows).toMatchObject({ toFix: 1, stillToFix: 1 });
    expect((await coordinator.get(`/api/v1/uploads/${later.id}`)).json().rows).toMatchObject({ toFix: 0 });
    expect((await coordinator.get(`/api/v1/uploads/${later.id}/rows-to-fix`)).json()).toMatchObject({ code: 'no_rows_to_fix' });
    // A MedBiquitous document exported again (another time of creation) adds no rejected report either.
    const document = learnerReport({ birthDate: false });
    const xml = await takenIn(activityReport(document), '?consent=written', 'application/xml');
    const again = await takenIn(activityReport(document).replace('T09:00:00', 'T17:30:00'), '?consent=written', 'application/xml');
    expect(again.lines[0]).toMatchObject({ status: 'rejected', reportId: xml.lines[0].reportId });
  });

  let reportsWritten = 0;
  function learnerReport(options: { birthDate?: boolean; name?: boolean; givenName?: string; module?: boolean; status?: string; credits?: string; completedDateTime?: string } = {}): string {
    const { birthDate = true, name = true, givenName = 'Pat', module = true, status = 'Completed', credits = '1', completedDateTime = `${completed}T00:00:00` } = options;
    return `<ActivityReport><ReportingOrganization>Demo</ReportingOrganization>
<Member><m:UniqueID domain="idd:accme.org:CA">QX${++reportsWritten}</m:UniqueID>${name ? `<m:Name><n:GivenName>${givenName}</n:GivenName><n:FamilyName>Xml</n:FamilyName></m:Name>` : ''}${
      birthDate ? '<m:PersonalInfo><m:BirthDate accuracy="DayMonth">1900-11-02</m:BirthDate></m:PersonalInfo>' : ''
    }</Member>
<Activity><ProviderOrganization>1234567</ProviderOrganization><ActivityName>A</ActivityName>${
      module
        ? `<Module><ModuleName moduleID="${activityId}">M</ModuleName><Status>${status}</Status><CompletedDateTime>${completedDateTime}</CompletedDateTime><CreditCertificate><CreditReceived><hx:activityCertification>AMA PRA Category 1 Credit</hx:activityCertification><hx:creditUnit>Point</hx:creditUnit><hx:numberOfCredits>${credits}</hx:numberOfCredits></CreditReceived><CreditID>ccid:1234567:x1</CreditID></CreditCertificate></Module>`
        : ''
    }</Activity></ActivityReport>`;
  }
});

function activityReport(reports: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/">
<DateTimeCreated>${hubToday()}T09:00:00</DateTimeCreated><ReportingStartDate>${hubToday()}</ReportingStartDate><ReportingEndDate>${hubToday()}</ReportingEndDate>
${reports}
</ActivityReports>`;
}
