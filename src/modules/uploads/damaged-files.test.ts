import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenWords, damageBytes, damagedCsv, damagedWorkbook, damageText, seeded, wrongAnswers } from '../../../test/damaged-files.ts';
import { startUploadScene } from '../../../test/upload-scene.ts';
import type { UploadScene } from '../../../test/upload-scene.ts';
import { addDays, hubToday } from '../activities/dates.ts';

// Whatever damaged learner file arrives, the sender is answered with what to fix (a 4xx) or the file is taken in, and
// an upload taken in ends, finished or failed with its reason, with its receipt to download: never a 500.

describe('damaged learner files', () => {
  let scene: UploadScene;
  const header = ['Reference', 'Activity ID', 'Completion date', 'First name', 'Last name', 'Birth month', 'Birth day', 'License state', 'License number', 'CME credits', 'Consent'];
  const rows = (count: number) =>
    Array.from({ length: count }, (_, index) => [`D-${index}`, scene.activityId, addDays(hubToday(), -3), 'Zoë', 'Brontë', '1', '30', 'CA', `A2000${index % 8}`, '1.5', 'written']);

  beforeAll(async () => {
    scene = await startUploadScene({ title: 'Damaged files', providerActivityId: 'DMG-1' }, { chunkSize: 7 });
  });
  afterAll(() => scene.close());

  let address = 0;
  /** Sends the file from an address of its own (the rate limit counts by address), follows the upload to its end, and says what went wrong, if anything. */
  async function answersOf(file: Buffer, contentType: string, query: string): Promise<string[]> {
    address += 1;
    const from = { remoteAddress: `10.9.${address >> 8}.${address & 255}` };
    const sent = await scene.coordinator.request({ method: 'POST', url: `/api/v1/uploads${query}`, payload: file, headers: { 'content-type': contentType }, ...from });
    if (sent.statusCode >= 500) return [`sending: ${sent.statusCode} ${sent.body}`];
    if (sent.statusCode >= 400) {
      const { detail, problems = [] } = sent.json() as { detail?: string; problems?: { message: string }[] };
      if (!detail) return [`sending: ${sent.statusCode} without a message`];
      return brokenWords([detail, ...problems.map((problem) => problem.message)]).map((message) => `sending: ${message}`);
    }
    await scene.worker.idle();
    const id = sent.json().id;
    const wrong: string[] = [];
    const upload = (await scene.coordinator.request({ method: 'GET', url: `/api/v1/uploads/${id}`, ...from })).json();
    if (upload.status !== 'finished' && upload.status !== 'failed') wrong.push(`upload ${upload.status}`);
    if (upload.status === 'failed' && !(upload.error?.message?.length > 0)) wrong.push('failed without saying why');
    if (upload.status === 'failed' && upload.error?.code === 'internal_error') wrong.push(`failed on an unexpected error: ${upload.error.message}`);
    for (const url of [`/api/v1/uploads/${id}/receipt?format=csv`, `/api/v1/uploads/${id}/receipt?format=xlsx`]) {
      const response = await scene.coordinator.request({ method: 'GET', url, ...from });
      if (response.statusCode !== 200) wrong.push(`${url}: ${response.statusCode}`);
    }
    const rows = await scene.coordinator.request({ method: 'GET', url: `/api/v1/uploads/${id}/rows?limit=100`, ...from });
    if (rows.statusCode !== 200) return [...wrong, `its rows: ${rows.statusCode}`];
    const lines: { problems: { message: string }[] }[] = rows.json().items;
    // What the sender reads of the upload, each message put together from what the file held.
    const said = [upload.error?.message, ...[...upload.problems, ...upload.rowProblems, ...lines.flatMap((line) => line.problems)].map((problem: { message: string }) => problem.message)];
    wrong.push(...brokenWords(said).map((message) => `said: ${message}`));
    return wrong;
  }

  const variants = 40;

  it('answers every damaged CSV file with what to fix, or takes it in to the end', async () => {
    const random = seeded(6);
    const text = [header, ...rows(30)].map((cells) => cells.join(',')).join('\r\n');
    expect(await wrongAnswers(variants, () => damagedCsv(random, text), (file) => answersOf(file, 'text/csv', '?fileName=damaged.csv&dates=month_first&consent=written'))).toEqual([]);
  });

  it('answers every damaged workbook with what to fix, or takes it in to the end', async () => {
    const random = seeded(7);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Learners');
    sheet.addRow(header);
    for (const cells of rows(30)) sheet.addRow(cells);
    workbook.addWorksheet('Notes').addRow(['Sent by hand', 'é']);
    const whole = Buffer.from(await workbook.xlsx.writeBuffer());
    const workbookType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    expect(await wrongAnswers(variants, () => damagedWorkbook(random, whole), (file) => answersOf(file, workbookType, '?fileName=damaged.xlsx&dates=month_first&consent=written'))).toEqual([]);
  });

  it('answers every damaged MedBiquitous document with what to fix, or takes it in to the end', async () => {
    const random = seeded(8);
    const today = hubToday();
    const reports = rows(30).map(
      ([reference, activityId, completed, first, last, month, day, , license]) =>
        `<ActivityReport><ReportingOrganization>Demo</ReportingOrganization><Member><m:UniqueID domain="idd:ca.gov:license">${license}</m:UniqueID><m:Name><n:GivenName>${first}</n:GivenName><n:FamilyName>${last}</n:FamilyName></m:Name><m:PersonalInfo><m:BirthDate accuracy="DayMonth">1900-0${month}-${day}</m:BirthDate></m:PersonalInfo></Member><Activity><ProviderOrganization>1234567</ProviderOrganization><ActivityName>Rounds</ActivityName><Module><ModuleName moduleID="${activityId}">Rounds</ModuleName><Status>Completed</Status><CompletedDateTime>${completed}T00:00:00</CompletedDateTime><CreditCertificate><CreditReceived><hx:activityCertification>AMA PRA Category 1 Credit</hx:activityCertification><hx:creditUnit>Point</hx:creditUnit><hx:numberOfCredits>1</hx:numberOfCredits></CreditReceived><CreditID>ccid:1234567:${reference}</CreditID></CreditCertificate></Module></Activity></ActivityReport>`,
    );
    const document = `<?xml version="1.0" encoding="UTF-8"?>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/">
<DateTimeCreated>${today}T09:00:00</DateTimeCreated><ReportingStartDate>${today}</ReportingStartDate><ReportingEndDate>${today}</ReportingEndDate>
${reports.join('\n')}
</ActivityReports>`;
    // One change at a time: XML is refused for the first thing out of place, so more would only hide the others.
    const damage = () => {
      const damaged = Buffer.from(damageText(random, document, 1));
      return random.next() < 0.2 ? damageBytes(random, damaged) : damaged;
    };
    expect(await wrongAnswers(variants, damage, (file) => answersOf(file, 'application/xml', '?fileName=damaged.xml&consent=written'))).toEqual([]);
  });
});
