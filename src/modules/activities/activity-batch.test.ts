import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { KyselyPlugin } from 'kysely';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';
import { readTabular } from '../../files/tabular-reader.ts';
import { createActivitiesService } from './activities.service.ts';
import { createActivityBatch } from './activity-batch.ts';
import { ACTIVITY_FILE_COLUMNS } from './activity-file.ts';
import { addDays, hubToday } from './dates.ts';

const nextMonth = addDays(hubToday(), 30);
const lastMonth = addDays(hubToday(), -30);

const header = 'Provider activity ID,Title,Activity type,Delivery method,Start date,End date,City,State,Country,AMA PRA Category 1 credits,Topics';

type ReceiptRow = { rowNumber: number; providerActivityId: string | null; outcome: string; activityId: string | null; problems: { field?: string; code: string; message: string }[] };

describe('activity batch files', () => {
  let t: TestApp;
  let coordinator: Session;

  const upload = (body: Buffer | string | Readable, fileName: string, contentType = 'text/csv') =>
    coordinator.request({
      method: 'POST',
      url: `/api/v1/activities/batch?fileName=${encodeURIComponent(fileName)}`,
      payload: typeof body === 'string' ? Buffer.from(body) : body,
      headers: { 'content-type': contentType },
    });

  /** The coordinator, as a service called directly is told who calls. */
  const coordinatorContext = async (requestId: string) => {
    const user = await t.db
      .selectFrom('users')
      .select(['id', 'organization_id'])
      .where('email', '=', demoLogins.providerAdmin)
      .executeTakeFirstOrThrow();
    return {
      actor: {
        type: 'user' as const,
        id: user.id,
        label: demoLogins.providerAdmin,
        role: 'provider_admin' as const,
        organizationId: user.organization_id,
        organizationKind: 'provider' as const,
        personId: null,
      },
      requestId,
    };
  };

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
  });
  afterAll(() => t.close());

  it('creates, rejects and reports every row, and a rejected row changes nothing', async () => {
    const existing = (
      await coordinator.post('/api/v1/activities', {
        providerActivityId: 'FILE-KEEP',
        title: 'Kept as it was',
        type: 'EM',
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }],
      })
    ).json();

    const csv = [
      header,
      `FILE-1,Tumor Board,RSS,in_person,${nextMonth},${nextMonth},Boston,MA,USA,1,opioid_prescribing; implicit bias`,
      `FILE-2,Backwards,C,in_person,2026-05-02,2026-05-01,Lyon,,FR,1.1,`,
      `FILE-1,Same ID again,EM,online,${nextMonth},${nextMonth},,,,1,`,
      `FILE-KEEP,Changed title,XYZ,online,2026-01-01,2026-12-31,,,,2,`,
      // Dates as a spreadsheet writes them.
      `FILE-3,"Cardiology, an update",EM,online,3/15/2026,"Dec 31, 2026",,,,0.5,`,
    ].join('\r\n');
    const response = await upload(csv, 'activities.csv');
    expect(response.statusCode).toBe(200);
    const receipt = response.json();
    expect(receipt.counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 3 });
    const rows: ReceiptRow[] = receipt.rows;
    expect(rows.map((row) => [row.rowNumber, row.outcome])).toEqual([
      [2, 'created'],
      [3, 'rejected'],
      [4, 'rejected'],
      [5, 'rejected'],
      [6, 'created'],
    ]);
    expect(rows[1].problems.map((problem) => `${problem.field}:${problem.code}`)).toEqual([
      'end_date:end_before_start',
      'country:invalid_country',
      'ama_pra_cat1_credits:not_quarter_step',
    ]);
    expect(rows[1].problems[0]).toMatchObject({ message: 'End date is before start date.', row: 3 });
    expect(rows[2].problems[0].message).toBe('Provider activity ID "FILE-1" is also on row 2; give each activity one row.');
    expect(rows[3].problems.map((problem) => problem.field)).toEqual(['type']);

    const kept = (await coordinator.get(`/api/v1/activities/${existing.id}`)).json();
    expect(kept).toMatchObject({ title: 'Kept as it was', type: 'EM', updatedAt: existing.updatedAt });
    const created = (await coordinator.get(`/api/v1/activities/${rows[0].activityId}`)).json();
    expect(created).toMatchObject({ title: 'Tumor Board', type: 'RSS', topics: ['implicit_bias', 'opioid_prescribing'], status: 'draft' });
    const dated = (await coordinator.get(`/api/v1/activities/${rows[4].activityId}`)).json();
    expect(dated).toMatchObject({ title: 'Cardiology, an update', startDate: '2026-03-15', endDate: '2026-12-31' });
  });

  it('saves a file mixing new, changed, unchanged, closed and rejected rows as it saves each of its rows sent alone', async () => {
    const mixedHeader = 'Provider activity ID,Title,Activity type,Start date,End date,AMA PRA Category 1 credits,Topics,ABIM MOC points,ABIM MOC credit types,Status';
    // Out of the order of their IDs, so that each outcome must be told back to its own row.
    const rowsOf = (prefix: string) => [
      `${prefix}-NEW2,Journal club,JN,${nextMonth},${addDays(nextMonth, 60)},2,implicit_bias; pain_management,,,active`,
      `${prefix}-CHANGE,Tumor board (weekly),EM,${nextMonth},${addDays(nextMonth, 90)},0.5,opioid_prescribing,,,draft`,
      `${prefix}-BAD,Backwards,EM,2026-05-02,2026-05-01,1,,,,draft`,
      `${prefix}-SAME,Stays as it is,EM,${nextMonth},${nextMonth},1,,,,draft`,
      `${prefix}-CLOSE,Last year's course,EM,${lastMonth},${lastMonth},3,,,,closed`,
      `${prefix}-NEW1,Board review,IEM,${nextMonth},${addDays(nextMonth, 30)},10,,10,MK; PS,draft`,
    ];
    const onFileBefore = async (prefix: string) => {
      await coordinator.post('/api/v1/activities', { providerActivityId: `${prefix}-CHANGE`, title: 'Tumor board', type: 'EM', startDate: nextMonth, endDate: nextMonth, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], topics: ['implicit_bias'] });
      await coordinator.post('/api/v1/activities', { providerActivityId: `${prefix}-SAME`, title: 'Stays as it is', type: 'EM', startDate: nextMonth, endDate: nextMonth, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] });
      await coordinator.post('/api/v1/activities', {
        providerActivityId: `${prefix}-CLOSE`, title: "Last year's course", type: 'EM', startDate: lastMonth, endDate: lastMonth, credits: [{ type: 'AMA_PRA_CAT1', amount: 3 }],
        status: 'ready_to_close', commercialSupport: { received: false }, learners: { physicians: 12, others: 3 }, outcomes: [{ outcome: 'learner_competence', measurements: ['subjective'] }],
      });
    };
    await onFileBefore('MIXA');
    await onFileBefore('MIXB');
    const sameBefore = (await coordinator.get('/api/v1/activities?providerActivityId=MIXA-SAME')).json().items[0];

    const whole = (await upload([mixedHeader, ...rowsOf('MIXA')].join('\r\n'), 'mixed.csv')).json();
    const alone: ReceiptRow[] = [];
    for (const row of rowsOf('MIXB')) alone.push((await upload([mixedHeader, row].join('\r\n'), 'one-row.csv')).json().rows[0]);

    const rows: ReceiptRow[] = whole.rows;
    expect(rows.map((row) => [row.providerActivityId, row.outcome])).toEqual([
      ['MIXA-NEW2', 'created'],
      ['MIXA-CHANGE', 'updated'],
      ['MIXA-BAD', 'rejected'],
      ['MIXA-SAME', 'unchanged'],
      ['MIXA-CLOSE', 'updated'],
      ['MIXA-NEW1', 'created'],
    ]);
    expect(alone.map((row) => [row.outcome, row.problems])).toEqual(rows.map((row) => [row.outcome, row.problems.map((problem) => ({ ...problem, row: 2 }))]));

    // Each row's activity is the one its receipt names, with what its row says, as the row sent alone saves it.
    const kept = ({ id, providerActivityId, createdAt, updatedAt, closedAt, ...fields }: Record<string, unknown>) => ({ ...fields, closed: closedAt !== null });
    const historyOf = async (id: string) =>
      (await coordinator.get(`/api/v1/activities/${id}/history`)).json().items.map((entry: { action: string; details: unknown }) => [entry.action, entry.details]);
    for (const [index, row] of rows.entries()) {
      if (row.outcome === 'rejected') {
        expect(row.activityId).toBeNull();
        expect((await coordinator.get(`/api/v1/activities?providerActivityId=${row.providerActivityId}`)).json().items).toEqual([]);
        continue;
      }
      const activity = (await coordinator.get(`/api/v1/activities/${row.activityId}`)).json();
      const twin = (await coordinator.get(`/api/v1/activities/${alone[index].activityId}`)).json();
      expect(activity.providerActivityId).toBe(row.providerActivityId);
      expect(kept(activity)).toEqual(kept(twin));
      // One audit entry for each activity the file wrote, none for the one it left as it was.
      expect(await historyOf(row.activityId!)).toEqual(await historyOf(alone[index].activityId!));
    }
    const byId = async (providerActivityId: string) => (await coordinator.get(`/api/v1/activities/${rows.find((row) => row.providerActivityId === providerActivityId)!.activityId}`)).json();
    expect(await byId('MIXA-NEW1')).toMatchObject({ title: 'Board review', type: 'IEM', credits: [{ type: 'AMA_PRA_CAT1', amount: 10 }], mocRegistrations: [{ board: 'ABIM', points: 10, creditTypes: ['MOC_ABIM_MK', 'MOC_ABIM_PS'] }] });
    expect(await byId('MIXA-NEW2')).toMatchObject({ title: 'Journal club', status: 'active', topics: ['implicit_bias', 'pain_management'] });
    expect(await byId('MIXA-CHANGE')).toMatchObject({ title: 'Tumor board (weekly)', credits: [{ type: 'AMA_PRA_CAT1', amount: 0.5 }], topics: ['opioid_prescribing'] });
    const closed = await byId('MIXA-CLOSE');
    expect(closed).toMatchObject({ status: 'closed', learners: { physicians: 12, others: 3 } });
    expect(closed.closedAt).not.toBeNull();
    expect(await byId('MIXA-SAME')).toEqual({ ...sameBefore, learnerReportCount: 0 });
    expect((await historyOf(closed.id)).map(([action]: [string]) => action)).toEqual(['activity.close', 'activity.create']);
    expect((await historyOf(rows[1].activityId!))[0]).toEqual(['activity.update', { changed: ['title', 'endDate', 'credits', 'topics'] }]);
  });

  // On PostgreSQL only: on the embedded database, with its one session, no other request can come between.
  it.runIf(Boolean(process.env.TEST_DATABASE_URL))('saves the rest of a chunk when another request creates one of its new activities meanwhile, and that row onto the activity it created', async () => {
    let createdMeanwhile: { id: string; title: string } | undefined;
    // Once the chunk has locked and read its activities on file (none), another request creates RACE-2 and commits.
    const meanwhile: KyselyPlugin = {
      transformQuery: ({ node }) => node,
      transformResult: async ({ result }) => {
        createdMeanwhile ??= (await coordinator.post('/api/v1/activities', { providerActivityId: 'RACE-2', title: 'Created meanwhile', type: 'EM', startDate: nextMonth, endDate: nextMonth, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] })).json();
        return result;
      },
    };
    const activities = createActivitiesService({ db: t.db.withPlugin(meanwhile) });
    const results = await activities.upsertEachBuilt(
      await coordinatorContext('race-test'),
      ['RACE-1', 'RACE-2', 'RACE-3'].map((providerActivityId) => ({
        providerActivityId,
        build: () => ({ providerActivityId, title: `Sent in a file: ${providerActivityId}`, type: 'EM', startDate: nextMonth, endDate: nextMonth, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
      })),
    );
    expect(createdMeanwhile?.title).toBe('Created meanwhile');
    expect(results.map((result) => ('outcome' in result ? [result.outcome, result.activity.title] : result.code))).toEqual([
      ['created', 'Sent in a file: RACE-1'],
      ['updated', 'Sent in a file: RACE-2'],
      ['created', 'Sent in a file: RACE-3'],
    ]);
    const saved = (await coordinator.get('/api/v1/activities?q=RACE-&limit=10')).json().items;
    expect(saved.map((item: { providerActivityId: string; title: string }) => [item.providerActivityId, item.title]).toSorted()).toEqual([
      ['RACE-1', 'Sent in a file: RACE-1'],
      ['RACE-2', 'Sent in a file: RACE-2'],
      ['RACE-3', 'Sent in a file: RACE-3'],
    ]);
    expect((results[1] as { activity: { id: string } }).activity.id).toBe(createdMeanwhile!.id);
  });

  it('asks how a file writes its dates when they show it day first, before saving any row, and reads them so once told', async () => {
    const csv = [
      header,
      'DMY-1,Grand rounds (November),RSS,in_person,05/11/2026,05/11/2026,Leeds,,GBR,1,',
      'DMY-2,Grand rounds (December),RSS,in_person,03/12/2026,17/12/2026,Leeds,,GBR,1,',
    ].join('\r\n');
    const refused = await upload(csv, 'day-first.csv');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      code: 'date_order_required',
      detail: expect.stringMatching(/^Row 3 has "17\/12\/2026" as its End date, which can only be read day first \(DD\/MM\/YYYY\), and none of the file's 2 rows has a date that can only be read month first\. .* dates=day_first/),
      problems: [{ code: 'date_only_day_first', row: 3 }],
    });
    const saved = async () => (await coordinator.get('/api/v1/activities?q=Grand%20rounds&limit=50')).json().items.filter((item: { providerActivityId: string }) => item.providerActivityId.startsWith('DMY-'));
    expect(await saved()).toEqual([]);

    const dayFirst = await coordinator.request({ method: 'POST', url: '/api/v1/activities/batch?fileName=day-first.csv&dates=day_first', payload: Buffer.from(csv), headers: { 'content-type': 'text/csv' } });
    expect(dayFirst.json().counts).toMatchObject({ created: 2, rejected: 0 });
    const byId = Object.fromEntries((await saved()).map((item: { providerActivityId: string; startDate: string; endDate: string }) => [item.providerActivityId, [item.startDate, item.endDate]]));
    expect(byId).toEqual({ 'DMY-1': ['2026-11-05', '2026-11-05'], 'DMY-2': ['2026-12-03', '2026-12-17'] });

    // Said month first, the date that cannot be read so is that row's problem; the others are read month first.
    const monthFirst = await coordinator.request({ method: 'POST', url: '/api/v1/activities/batch?fileName=day-first.csv&dates=month_first', payload: Buffer.from(csv.replaceAll('DMY-', 'MDY-')), headers: { 'content-type': 'text/csv' } });
    const rows = monthFirst.json().rows as ReceiptRow[];
    expect(rows.map((row) => row.outcome)).toEqual(['created', 'rejected']);
    expect(rows[1].problems).toEqual([
      expect.objectContaining({
        field: 'end_date',
        message: 'End date: "17/12/2026" looks like day/month/year, but this upload\'s dates are read month first (MM/DD/YYYY), as it was sent; write 2026-12-17 (YYYY-MM-DD).',
      }),
    ]);

    // An option misspelt is refused by name, not dropped: the file would be read month first.
    const misspelt = await coordinator.request({ method: 'POST', url: '/api/v1/activities/batch?fileName=day-first.csv&date=day_first', payload: Buffer.from(csv), headers: { 'content-type': 'text/csv' } });
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().problems).toContainEqual(expect.objectContaining({ message: 'An activity file takes no option "date": its options are fileName, format, receipt and dates.' }));

    // One slip among dates written YYYY-MM-DD is its row's own, the file taken.
    const slip = [header, `ISO-1,Journal club,RSS,online,${nextMonth},${nextMonth},,,,1,`, 'ISO-2,Journal club 2,RSS,online,2026-12-01,31/12/2026,,,,1,'].join('\r\n');
    const taken = await upload(slip, 'iso.csv');
    expect(taken.statusCode).toBe(200);
    expect((taken.json().rows as ReceiptRow[]).map((row) => row.outcome)).toEqual(['created', 'rejected']);
  });

  it('says a re-sent file changed nothing', async () => {
    const csv = [header, `FILE-R,Repeat,EM,online,${nextMonth},${nextMonth},,,,1,`].join('\n');
    expect((await upload(csv, 'first.csv')).json().counts.created).toBe(1);
    const again = (await upload(csv, 'again.csv')).json();
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 1, rejected: 0 });
  });

  it('takes two files sharing new activities sent at once, in opposite orders, creating each activity once', async () => {
    const lines = Array.from({ length: 250 }, (_, index) => `CONC-${String(index).padStart(3, '0')},Session ${index},EM,online,${nextMonth},${nextMonth},,,,1,`);
    const [forwards, backwards] = await Promise.all([
      upload([header, ...lines].join('\r\n'), 'forwards.csv'),
      upload([header, ...lines.toReversed()].join('\r\n'), 'backwards.csv'),
    ]);
    const refused = [forwards, backwards].filter((response) => response.statusCode !== 200).map((response) => response.body);
    expect([forwards.statusCode, backwards.statusCode], refused.join(' ')).toEqual([200, 200]);
    const counts = [forwards.json().counts, backwards.json().counts];
    for (const count of counts) expect(count.created + count.unchanged).toBe(250);
    expect(counts[0].created + counts[1].created).toBe(250);
    const stored = await t.db.selectFrom('activities').select(({ fn }) => fn.countAll<number>().as('count')).where('provider_activity_id', 'like', 'CONC-%').executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBe(250);
  });

  it('answers other requests while a large file is saved, not once its last row is', async () => {
    const lines = Array.from({ length: 3000 }, (_, index) => `BUSY-${index},Session ${index},EM,online,${nextMonth},${nextMonth},,,,1,`);
    let fileSaved = false;
    const sent = upload([header, ...lines].join('\r\n'), 'busy.csv').then((response) => {
      fileSaved = true;
      return response;
    });
    // A moment into the file's rows (3,000 take more than half a second to save), someone opens the list of activities.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const list = await coordinator.get('/api/v1/activities?limit=1');
    expect(list.statusCode).toBe(200);
    expect(fileSaved).toBe(false);
    expect((await sent).json().counts).toMatchObject({ created: 3000, rejected: 0 });
  });

  it('updates only the columns a file has, and closes an activity with its year-end data', async () => {
    const activity = (
      await coordinator.post('/api/v1/activities', {
        providerActivityId: 'FILE-YE',
        title: 'Year-end',
        description: 'Stays',
        type: 'EM',
        startDate: lastMonth,
        endDate: lastMonth,
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
        status: 'ready_to_close',
      })
    ).json();
    const csv = [
      'Provider activity ID,Physician learners,Other learners,Commercial support,Commercial supporters,Outcome measured: learner competence,Status',
      'FILE-YE,120,8,yes,Acme Pharma=5000; Beta Devices=in-kind,both,closed',
    ].join('\n');
    const receipt = (await upload(csv, 'year-end.csv')).json();
    expect(receipt.rows[0]).toMatchObject({ outcome: 'updated', activityId: activity.id, problems: [] });
    const closed = (await coordinator.get(`/api/v1/activities/${activity.id}`)).json();
    expect(closed).toMatchObject({
      status: 'closed',
      title: 'Year-end',
      description: 'Stays',
      learners: { physicians: 120, others: 8 },
      commercialSupport: {
        received: true,
        sources: [
          { name: 'Acme Pharma', amount: 5000, inKind: false },
          { name: 'Beta Devices', amount: null, inKind: true },
        ],
      },
      outcomes: [{ outcome: 'learner_competence', measurements: ['objective', 'subjective'] }],
    });
  });

  it('names the column when a cell is not a number, or a value needed to close is missing', async () => {
    const csv = [
      'Provider activity ID,Title,Activity type,Start date,End date,AMA PRA Category 1 credits,Physician learners,Status',
      `FILE-N,Numbers,EM,${lastMonth},${lastMonth},one and a half,many,closed`,
    ].join('\n');
    const row: ReceiptRow = (await upload(csv, 'numbers.csv')).json().rows[0];
    expect(row.outcome).toBe('rejected');
    expect(row.problems.map((problem) => `${problem.field}:${problem.code}`)).toEqual([
      'ama_pra_cat1_credits:invalid_number',
      'physician_learners:invalid_count',
    ]);
  });

  it('says a value a new activity needs is in no column of the file, naming the heading that nearly names it', async () => {
    const csv = [
      'Provider activity ID,Titel,Start date,End date,AMA PRA Category 1 credits',
      `FILE-T,Misspelt heading,${nextMonth},${nextMonth},1`,
    ].join('\n');
    const receipt = (await upload(csv, 'titel.csv')).json();
    expect(receipt.rows[0].outcome).toBe('rejected');
    expect(receipt.rows[0].problems.map((problem: ReceiptRow['problems'][number]) => problem.message)).toEqual([
      'Title is required. The file has no "Title" column: is it "Titel"? Write its heading "Title".',
      expect.stringMatching(/^Activity type is required; use one of C, RSS, .*\. The file has no "Activity type" column: add it \(the template shows every column\)\.$/),
    ]);
    // The receipt to keep names the columns as the file heads them, not as the API does.
    const asFile = await coordinator.request({ method: 'POST', url: '/api/v1/activities/batch?fileName=titel.csv&receipt=csv', payload: Buffer.from(csv), headers: { 'content-type': 'text/csv' } });
    expect(asFile.body).toContain('\r\n2,FILE-T,rejected,,Title,"Title is required.');
    expect(asFile.body).toContain('\r\n2,FILE-T,rejected,,Activity type,');
    // A cell left empty, under a column the file has, is the row's own slip.
    const emptyCell = [
      'Provider activity ID,Title,Activity type,Start date,End date,AMA PRA Category 1 credits',
      `FILE-T,,EM,${nextMonth},${nextMonth},1`,
    ].join('\n');
    expect((await upload(emptyCell, 'empty-title.csv')).json().rows[0].problems).toEqual([expect.objectContaining({ field: 'title', message: 'Title is required.' })]);
  });

  it('names the headings whose values it did not read, as they nearly name a column the file lacks, and none of a file read whole', async () => {
    const created = (await upload([header, `LERN-1,Learners counted,EM,online,${nextMonth},${nextMonth},,,,1,`].join('\n'), 'learners.csv')).json();
    expect(created).toMatchObject({ counts: { created: 1 }, columnsNotRead: [] });
    const updates = ['Provider activity ID,Physician lerners,Other learners', 'LERN-1,40,3'].join('\n');
    const receipt = (await upload(updates, 'year-end.csv')).json();
    expect(receipt.counts).toEqual({ created: 0, updated: 1, unchanged: 0, rejected: 0 });
    expect(receipt.columnsNotRead).toEqual([{ heading: 'Physician lerners', column: 'Physician learners' }]);
    const activity = (await coordinator.get(`/api/v1/activities/${receipt.rows[0].activityId}`)).json();
    expect(activity.learners).toEqual({ physicians: null, others: 3 });
    const corrected = (await upload(updates.replace('lerners', 'learners'), 'year-end.csv')).json();
    expect(corrected).toMatchObject({ counts: { updated: 1 }, columnsNotRead: [] });
  });

  it('reads an XLSX file', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Activities');
    sheet.addRow(['Provider activity ID', 'Title', 'Activity type', 'Start date', 'End date', 'AMA PRA Category 1 credits', 'ABIM MOC points', 'ABIM MOC credit types']);
    sheet.addRow(['XLSX-1', 'Board review', 'IEM', new Date(`${nextMonth}T00:00:00Z`), new Date(`${addDays(nextMonth, 90)}T00:00:00Z`), 10, 10, 'MK; PS']);
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    const receipt = (await upload(body, 'activities.xlsx', 'application/octet-stream')).json();
    expect(receipt).toMatchObject({ format: 'xlsx', counts: { created: 1 } });
    // The same workbook saved with macros (.xlsm), sent with its own content type.
    const withMacros = await upload(body, 'activities.xlsm', 'application/vnd.ms-excel.sheet.macroEnabled.12');
    expect(withMacros.statusCode, withMacros.body).toBe(200);
    expect(withMacros.json()).toMatchObject({ format: 'xlsx', counts: { unchanged: 1 } });
    const activity = (await coordinator.get(`/api/v1/activities/${receipt.rows[0].activityId}`)).json();
    expect(activity).toMatchObject({
      type: 'IEM',
      startDate: nextMonth,
      mocRegistrations: [{ board: 'ABIM', points: 10, creditTypes: ['MOC_ABIM_MK', 'MOC_ABIM_PS'], claimDate: null }],
    });
  });

  it('says a hidden sheet of activities was not read, and what to do should they be meant', async () => {
    const workbook = new ExcelJS.Workbook();
    const header = ['Provider activity ID', 'Title', 'Activity type', 'Start date', 'End date', 'AMA PRA Category 1 credits'];
    const shown = workbook.addWorksheet('Activities');
    shown.addRow(header);
    shown.addRow(['SHOWN-1', 'Shown', 'IEM', nextMonth, addDays(nextMonth, 1), 2]);
    const old = workbook.addWorksheet('Old', { state: 'hidden' });
    old.addRow(header);
    old.addRow(['HIDDEN-1', 'Hidden', 'IEM', nextMonth, addDays(nextMonth, 1), 2]);
    const receipt = (await upload(Buffer.from(await workbook.xlsx.writeBuffer()), 'with-hidden.xlsx', 'application/octet-stream')).json();
    expect(receipt).toMatchObject({ counts: { created: 1 } });
    expect(receipt.fileProblems).toEqual([
      {
        code: 'sheet_not_read',
        message: 'The hidden sheet "Old" has rows under the header row, which were not read: a hidden sheet never is. If they are activities to save, unhide the sheet in Excel and send the file again: the activities saved now come back unchanged.',
      },
    ]);
  });

  it('reads a file saved in Windows-1252 or UTF-16 without mangling accents, and says which encoding an 8-bit file was read in', async () => {
    const text = [header, `ENC-1,Séminaire de cardiologie – Montréal,EM,online,${nextMonth},${nextMonth},,,,1,`].join('\r\n');
    const windows = (await upload(iconv.encode(text, 'windows-1252'), 'excel.csv')).json();
    const utf16 = (await upload(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text.replace('ENC-1', 'ENC-2'), 'utf16le')]), 'utf16.csv')).json();
    for (const receipt of [windows, utf16]) {
      const activity = (await coordinator.get(`/api/v1/activities/${receipt.rows[0].activityId}`)).json();
      expect(activity.title).toBe('Séminaire de cardiologie – Montréal');
    }
    expect(windows.fileProblems).toEqual([
      {
        code: 'not_utf8',
        message: 'The file was not saved as CSV UTF-8: its text was read as Windows-1252, as Excel on Windows saves "CSV (Comma delimited)". Should an accented title read wrong, save the file as "CSV UTF-8 (Comma delimited)" instead.',
      },
    ]);
    expect(utf16.fileProblems).toEqual([]);

    // Accented titles only past the first 64 KB, saved by Excel for Mac: read so, and told once the rows are read.
    const plain = Array.from({ length: 900 }, (_, index) => `ENC-P${index},Grand rounds number ${index} of the year,EM,online,${nextMonth},${nextMonth},,,,1,`);
    const macFile = iconv.encode([header, ...plain, `ENC-3,Séminaire de cardiologie – Montréal,EM,online,${nextMonth},${nextMonth},,,,1,`].join('\r\n'), 'macintosh');
    // Received as a request's body arrives, a piece at a time.
    const pieces = Array.from({ length: Math.ceil(macFile.length / 16_384) }, (_, index) => macFile.subarray(index * 16_384, (index + 1) * 16_384));
    const mac = (await upload(Readable.from(pieces), 'mac.csv')).json();
    expect(mac.counts).toMatchObject({ created: 901, rejected: 0 });
    expect(mac.fileProblems.map((problem: { message: string }) => problem.message)).toEqual([
      'Rows further down the file were not saved as CSV UTF-8, as its first rows were: their text was read as Mac Roman, as Excel for Mac saves "CSV (Macintosh)". Should an accented title read wrong, save the file as "CSV UTF-8 (Comma delimited)" instead.',
    ]);
    const montreal = (await coordinator.get(`/api/v1/activities/${mac.rows.at(-1).activityId}`)).json();
    expect(montreal.title).toBe('Séminaire de cardiologie – Montréal');
  });

  it('refuses a file without the provider activity ID column, and an empty file', async () => {
    const missing = await upload('Title,Start date\nSomething,2026-01-01\n', 'no-id.csv');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'missing_column', field: 'provider_activity_id' })]),
    );
    expect((await upload('', 'empty.csv')).statusCode).toBe(400);
    // A printout sent as CSV, said so in the address too, is refused for what it is rather than read as text.
    const printout = await coordinator.request({ method: 'POST', url: '/api/v1/activities/batch?fileName=activities.csv&format=csv', payload: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), headers: { 'content-type': 'text/csv' } });
    expect(printout.statusCode, printout.body).toBe(415);
    expect(printout.json().detail).toMatch(/^The file is a PDF document/);
  });

  it('rejects only the row holding a value the database refuses, saying why, and saves the rows beside it', async () => {
    // A real refusal of the database (a data exception) of a title no check stops, as for a value no one foresaw.
    await sql`create function refuse_title_test() returns trigger language plpgsql as $$
      begin raise exception 'the value is out of range' using errcode = '22003'; end $$`.execute(t.db);
    await sql`create trigger refuse_title_test before insert or update on activities for each row when (new.title = 'Refused by the database') execute function refuse_title_test()`.execute(t.db);
    try {
      const csv = [header, ...['Kept before', 'Refused by the database', 'Kept after'].map((title, n) => `REFUSED-${n},${title},EM,online,${nextMonth},${nextMonth},,,,1,`)].join('\n');
      const response = await upload(csv, 'refused.csv');
      expect(response.statusCode, response.body).toBe(200);
      const receipt = response.json();
      expect(receipt.counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 1 });
      expect((receipt.rows as ReceiptRow[]).map((row) => [row.providerActivityId, row.outcome])).toEqual([
        ['REFUSED-0', 'created'],
        ['REFUSED-1', 'rejected'],
        ['REFUSED-2', 'created'],
      ]);
      expect(receipt.rows[1].problems).toMatchObject([
        {
          code: 'value_not_stored',
          row: 3,
          message: 'A value in this row could not be stored (the value is out of range): look in the row for a cell holding what its column does not take, such as a note or a whole row pasted into it, and send the row again corrected.',
        },
      ]);
      expect((await coordinator.get('/api/v1/activities?q=REFUSED-1')).json().items).toEqual([]);
      // The same value sent alone through the API is refused as the sender's to correct, not as the hub's failure.
      const alone = await coordinator.post('/api/v1/activities', {
        providerActivityId: 'REFUSED-ALONE',
        title: 'Refused by the database',
        type: 'EM',
        startDate: nextMonth,
        endDate: nextMonth,
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
      });
      expect(alone.statusCode, alone.body).toBe(422);
      expect(alone.json()).toMatchObject({ code: 'value_not_stored', detail: expect.stringMatching(/^A value of the request could not be stored \(the value is out of range\): look for a field/) });
    } finally {
      await sql`drop trigger if exists refuse_title_test on activities`.execute(t.db);
      await sql`drop function if exists refuse_title_test()`.execute(t.db);
    }
  });

  it('says in the receipt which rows were saved when a file goes past the row limit', async () => {
    const context = await coordinatorContext('limit-test');
    const batch = createActivityBatch({ activities: createActivitiesService({ db: t.db }), limits: { maxBytes: 1_000_000, maxRows: 2 } });
    const csv = [header, ...[1, 2, 3].map((n) => `LIMIT-${n},Limited ${n},EM,online,${nextMonth},${nextMonth},,,,1,`)].join('\n');
    const receipt = await batch.importFile(context, Readable.from([Buffer.from(csv)]), { fileName: 'big.csv', contentType: 'text/csv' });
    expect(receipt.rows.map((row) => row.providerActivityId)).toEqual(['LIMIT-1', 'LIMIT-2']);
    expect(receipt.fileProblems.at(-1)?.message).toMatch(/more than 2 rows.*The first 2 rows were read/);
    expect((await coordinator.get('/api/v1/activities?q=LIMIT-3')).json().items).toEqual([]);
  });

  it('hands out templates whose columns the hub reads back', async () => {
    const csv = await coordinator.get('/api/v1/activities/template?format=csv');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toContain('Provider activity ID,Title,Description,Activity type');

    const xlsx = await coordinator.request({ method: 'GET', url: '/api/v1/activities/template?format=xlsx' });
    expect(xlsx.headers['content-disposition']).toContain('activities-template.xlsx');
    const table = await readTabular(Readable.from([xlsx.rawPayload]), { format: 'xlsx', columns: ACTIVITY_FILE_COLUMNS });
    expect(table.header.ok).toBe(true);
    expect(table.header.columns.map((column) => column.name)).toEqual(ACTIVITY_FILE_COLUMNS.map((column) => column.name));
    await table.close();

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const typeCell = workbook.getWorksheet('Activities')!.getCell('D2');
    expect(typeCell.dataValidation).toMatchObject({ type: 'list', formulae: ['"C,RSS,IL,EM,IEM,JN,MR,TIW,CML,PI,ISL,LFT,OTHER"'] });
  });

  it('refuses a misspelt option or format of the template, naming what it takes', async () => {
    const misspelt = await coordinator.get('/api/v1/activities/template?fromat=csv');
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json().problems).toContainEqual(expect.objectContaining({ message: 'The activities template takes no option "fromat": its only option is format.' }));
    const format = await coordinator.get('/api/v1/activities/template?format=ods');
    expect(format.json().problems).toEqual([expect.objectContaining({ field: 'format', message: 'The format is csv or xlsx' })]);
  });

  it('neutralises formulas in the receipt it writes back', async () => {
    const csv = [header, `=HYPERLINK("http://evil.example"),x,EM,online,${nextMonth},${nextMonth},,,,1,`].join('\n');
    const receipt = await coordinator.request({
      method: 'POST',
      url: '/api/v1/activities/batch?fileName=evil.csv&receipt=csv',
      payload: Buffer.from(csv),
      headers: { 'content-type': 'text/csv' },
    });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toMatch(/text\/csv/);
    expect(receipt.body).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  });
});
