import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closingFields, createTestApp, demoLogins, demoPassword, login, withApiKey } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';
import { readActivityReports } from '../../files/medbiq-activity-report.ts';
import { systemContext } from '../../http/actor.ts';
import { addDays, hubToday } from '../activities/dates.ts';
import { npiCheckDigit } from '../matching/npi.ts';
import { createRegistryService } from '../registry/registry.service.ts';

const today = hubToday();
const thisYear = Number(today.slice(0, 4));

const withCheckDigit = (nine: string) => `${nine}${npiCheckDigit(nine)}`;
const mariaNpi = withCheckDigit('123456789');
const johnNpi = withCheckDigit('987654321');

const maria = { firstName: 'Maria', lastName: 'Lopez', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 'A12345' };
const john = { firstName: 'John', lastName: 'Smith', birthMonth: 7, birthDay: 2, state: 'CA', licenseNumber: 'G54321' };

type Receipt = { id: string | null; status: string; duplicate: boolean; late: boolean; problems: { code: string; field?: string; message: string; row?: number }[] };
type CreditPage = { items: { reportId: string; personName: string | null; creditType: string; amount: number; activityId: string; completionDate: string }[]; nextCursor: string | null };

const codes = (receipt: Receipt) => receipt.problems.map((problem) => problem.code);

describe('learner reports', () => {
  let t: TestApp;
  let coordinator: Session;
  let machine: Session;
  let otherProvider: Session;
  let operator: Session;
  let providerOrgId: string;
  let boards: Record<string, string>;
  const activity: Record<string, string> = {};
  let rosterDir: string;

  function report(overrides: Record<string, unknown> = {}) {
    return {
      activityId: activity.course,
      completionDate: addDays(today, -3),
      learner: maria,
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1.75 }],
      consent: 'written',
      creditId: 'ccid:demo:1',
      ...overrides,
    };
  }

  async function post(session: Session, body: unknown, headers: Record<string, string> = {}) {
    return session.request({ method: 'POST', url: '/api/v1/learner-reports', payload: body as object, headers });
  }

  async function loadRoster(boardOrgId: string, rows: string[][]) {
    const header = ['License number', 'License type', 'Status', 'First name', 'Last name', 'Birth month', 'Birth day', 'NPI'];
    const file = path.join(rosterDir, `roster-${Math.random().toString(36).slice(2)}.csv`);
    fs.writeFileSync(file, [header, ...rows].map((row) => row.join(',')).join('\n'));
    const registry = createRegistryService({ database: t.database });
    return registry.loadRoster(systemContext('test roster'), boardOrgId, { source: file, format: 'csv', fileName: 'roster.csv' }, { fullRoster: false });
  }

  async function createActivity(session: Session, body: Record<string, unknown>) {
    const response = await session.post('/api/v1/activities', {
      title: 'Grand Rounds',
      deliveryMethod: 'in_person',
      location: { city: 'Chicago', state: 'IL', country: 'USA' },
      credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }],
      ...body,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  }

  async function boardSession(jurisdiction: string) {
    const email = `admin@${jurisdiction.toLowerCase()}-board.example.org`;
    await operator.post(`/api/v1/organizations/${boards[jurisdiction]}/users`, { email, password: 'a long enough password', role: 'board_admin' });
    return login(t.app, email, 'a long enough password');
  }

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    rosterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-reports-'));
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    providerOrgId = (await coordinator.get('/api/v1/me')).json().organization.id;
    const key = (await coordinator.post(`/api/v1/organizations/${providerOrgId}/api-keys`, { name: 'LMS' })).json();
    machine = withApiKey(t.app, key.key);
    operator = await login(t.app, demoLogins.operator, demoPassword);
    const northside = (await operator.get('/api/v1/organizations?kind=provider&q=Northside')).json().items[0];
    await operator.post(`/api/v1/organizations/${northside.id}/users`, {
      email: 'coordinator@northside.example.org',
      password: 'a long enough password',
      role: 'provider_admin',
    });
    otherProvider = await login(t.app, 'coordinator@northside.example.org', 'a long enough password');
    const licensingBoards = (await operator.get('/api/v1/organizations?kind=licensing_board&limit=100')).json().items as {
      id: string;
      jurisdiction: string;
      boardType: string;
    }[];
    boards = Object.fromEntries(
      licensingBoards.filter((board) => board.boardType !== 'DO').map((board) => [board.jurisdiction, board.id]),
    );

    activity.course = await createActivity(coordinator, {
      providerActivityId: 'GR-1',
      type: 'C',
      startDate: addDays(today, -60),
      endDate: addDays(today, 10),
      status: 'active',
      mocRegistrations: [{ board: 'ABIM', points: 2, creditTypes: ['MK'], claimDate: addDays(today, 60) }],
    });
    activity.series = await createActivity(coordinator, {
      providerActivityId: 'RSS-1',
      type: 'RSS',
      startDate: addDays(today, -60),
      endDate: addDays(today, 60),
      status: 'active',
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
    });
    activity.enduring = await createActivity(coordinator, {
      providerActivityId: 'EM-1',
      type: 'EM',
      deliveryMethod: null,
      location: null,
      startDate: addDays(today, -300),
      endDate: addDays(today, -100),
      status: 'ready_to_close',
    });
    activity.draft = await createActivity(coordinator, {
      providerActivityId: 'DRAFT-1',
      type: 'C',
      startDate: addDays(today, -20),
      endDate: addDays(today, 10),
    });
    activity.closed = await createActivity(coordinator, {
      providerActivityId: 'CLOSED-1',
      type: 'C',
      startDate: addDays(today, -50),
      endDate: addDays(today, -40),
      status: 'closed',
      ...closingFields,
    });
    activity.old = await createActivity(coordinator, {
      providerActivityId: 'OLD-1',
      type: 'C',
      startDate: `${thisYear - 2}-03-01`,
      endDate: `${thisYear - 2}-03-02`,
      status: 'ready_to_close',
    });
    activity.northside = await createActivity(otherProvider, {
      providerActivityId: 'NS-1',
      type: 'C',
      startDate: addDays(today, -20),
      endDate: addDays(today, 10),
      status: 'active',
    });

    // Maria holds licenses in California and Washington; John only in California, not on the roster yet.
    await loadRoster(boards.CA, [['A12345', 'MD', 'Active', 'Maria', 'Lopez', '3', '14', mariaNpi]]);
    await loadRoster(boards.WA, [['MD60012345', 'MD', 'Active', 'Maria', 'Lopez', '3', '14', mariaNpi]]);
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(rosterDir, { recursive: true, force: true });
  });

  describe('taking reports in', () => {
    it('accepts a report whose learner matches one physician, and returns its receipt', async () => {
      const response = await post(machine, report());
      expect(response.statusCode, response.body).toBe(201);
      const receipt: Receipt = response.json();
      expect(receipt).toMatchObject({ status: 'accepted', duplicate: false, late: false });
      const stored = (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json();
      expect(stored).toMatchObject({
        activityId: activity.course,
        status: 'accepted',
        consent: 'written',
        creditId: 'ccid:demo:1',
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1.75 }],
        learner: { firstName: 'Maria', lastName: 'Lopez', birthMonth: 3, birthDay: 14, state: 'CA' },
      });
      expect(stored.personId).toBeTruthy();
      expect(stored.history[0]).toMatchObject({ action: 'reported', actor: 'API key LMS' });
    });

    it('rejects only the report holding a value the database refuses, and takes in those sent with it', async () => {
      // A real refusal of the database (a data exception), as for a value no check foresaw.
      await sql`create function refuse_report_test() returns trigger language plpgsql as $$
        begin raise exception 'the value is out of range' using errcode = '22003'; end $$`.execute(t.db);
      await sql`create trigger refuse_report_test before insert on learner_reports for each row when (new.first_name = 'Refused') execute function refuse_report_test()`.execute(t.db);
      try {
        const learner = (firstName: string) => ({ firstName, lastName: 'Refusal', birthMonth: 5, birthDay: 6, state: 'CA', licenseNumber: `R${firstName.length}` });
        const response = await post(machine, ['Before', 'Refused', 'After'].map((firstName) => report({ learner: learner(firstName), creditId: null })));
        expect(response.statusCode, response.body).toBe(200);
        const receipts = response.json() as Receipt[];
        expect(receipts.map((receipt) => receipt.status)).toEqual(['pending', 'rejected', 'pending']);
        expect(receipts[1]).toEqual({
          id: expect.any(String),
          status: 'rejected',
          duplicate: false,
          late: false,
          problems: [{ code: 'value_not_stored', field: 'report', row: 2, message: 'A value of this report could not be stored (the value is out of range): look for a field holding what it does not take, such as a note pasted into it.' }],
        });
        // Kept rejected, with none of the values the database refused, to be corrected as any rejected report.
        expect((await coordinator.get(`/api/v1/learner-reports/${receipts[1].id}`)).json()).toMatchObject({ status: 'rejected', learner: null, problems: [{ code: 'value_not_stored' }] });
        for (const receipt of [receipts[0], receipts[2]]) expect((await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).statusCode).toBe(200);

        // Corrected on its own: what it has none of is asked for by name, the activity among them, by either of its IDs.
        const kept = `/api/v1/learner-reports/${receipts[1].id}`;
        const partly = await coordinator.patch(kept, { credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] });
        expect(partly.statusCode).toBe(409);
        expect(partly.json()).toMatchObject({ code: 'report_unreadable', detail: 'This report could not be read when it was sent: give its activityId, learner and completionDate in the correction, as it holds none of them.' });
        const whole = { completionDate: addDays(today, -3), learner: learner('Corrected'), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], consent: 'written' };
        const unknown = await coordinator.patch(kept, { ...whole, activityId: 'NO-SUCH-1' });
        expect(unknown.statusCode).toBe(422);
        expect(unknown.json().problems).toEqual([expect.objectContaining({ code: 'activity_not_found', field: 'activityId' })]);
        const northside = await coordinator.patch(kept, { ...whole, activityId: 'NS-1' });
        expect(northside.json().problems).toEqual([expect.objectContaining({ code: 'activity_not_found' })]);
        const corrected = await coordinator.patch(kept, { ...whole, activityId: 'gr-1', reason: 'typed again from the file' });
        expect(corrected.statusCode, corrected.body).toBe(200);
        expect(corrected.json()).toMatchObject({ activityId: activity.course, status: 'pending', learner: { firstName: 'Corrected' }, completionDate: addDays(today, -3) });
        const history = (await coordinator.get(kept)).json().history;
        expect(history.at(-1)).toMatchObject({ action: 'corrected', reason: 'typed again from the file', before: { activityId: null }, after: { activityId: activity.course } });
        // Its activity read, it is not changed by a correction: that is another report.
        const moved = await coordinator.patch(kept, { activityId: 'RSS-1' });
        expect(moved.statusCode).toBe(409);
        expect(moved.json()).toMatchObject({ code: 'activity_not_corrected', detail: `This report is for activity ${activity.course}, which a correction does not change: delete the report and report the learner for the other activity.` });
        expect((await coordinator.patch(kept, { activityId: 'GR-1', consent: 'implied' })).json()).toMatchObject({ activityId: activity.course, consent: 'implied' });

        // Sent alone, the report is refused with its request, as the sender's to correct.
        const alone = await post(machine, report({ learner: learner('Refused'), creditId: null }));
        expect(alone.statusCode, alone.body).toBe(422);
        expect(alone.json()).toMatchObject({ code: 'value_not_stored', detail: expect.stringMatching(/^A value of the request could not be stored \(the value is out of range\)/) });
      } finally {
        await sql`drop trigger if exists refuse_report_test on learner_reports`.execute(t.db);
        await sql`drop function if exists refuse_report_test()`.execute(t.db);
      }
    });

    it('corrects the activity of a report whose activity ID named none of the provider\'s, and only of such a report', async () => {
      const learner = { firstName: 'Typo', lastName: 'Activity', birthMonth: 2, birthDay: 9, state: 'CA', licenseNumber: 'T-ACT-1' };
      const mistyped = (await post(machine, report({ activityId: 'GR-11', learner, creditId: null }))).json() as Receipt;
      expect(mistyped).toMatchObject({ status: 'rejected', problems: [expect.objectContaining({ code: 'activity_not_found' })] });
      // Another of the provider's activities than the one named is checked as any: here, not one the provider has.
      expect((await coordinator.patch(`/api/v1/learner-reports/${mistyped.id}`, { activityId: 'NS-1' })).json()).toMatchObject({ code: 'validation_failed', problems: [{ code: 'activity_not_found' }] });
      // An ID mistyped again is asked about as in a report sent with it.
      const title = (await coordinator.get(`/api/v1/activities/${activity.course}`)).json().title;
      const misspelt = await coordinator.patch(`/api/v1/learner-reports/${mistyped.id}`, { activityId: 'GR-l' });
      expect(misspelt.statusCode).toBe(422);
      expect(misspelt.json()).toMatchObject({
        code: 'validation_failed',
        problems: [{ code: 'activity_not_found', message: `Your organization has no activity with the ID "GR-l". Is it "GR-1" (${title})? Write its 9-digit hub activity ID, or your own ID for it as registered with the hub.` }],
      });
      const corrected = await coordinator.patch(`/api/v1/learner-reports/${mistyped.id}`, { activityId: 'GR-1', reason: 'the activity ID had a 1 too many' });
      expect(corrected.statusCode, corrected.body).toBe(200);
      expect(corrected.json()).toMatchObject({ activityId: activity.course, status: 'pending', problems: [expect.objectContaining({ code: 'license_not_found' })] });
      expect((await coordinator.get(`/api/v1/learner-reports/${mistyped.id}`)).json().history.at(-1)).toMatchObject({ before: { activityId: 'GR-11' }, after: { activityId: activity.course } });
      // Now naming one of the provider's activities, it keeps it.
      const moved = await coordinator.patch(`/api/v1/learner-reports/${mistyped.id}`, { activityId: 'EM-1' });
      expect(moved.statusCode).toBe(409);
      expect(moved.json()).toMatchObject({ code: 'activity_not_corrected' });
    });

    it('refuses a field it does not know, naming the fields it takes, rather than dropping it with the identifier it held', async () => {
      const { npi: _, licenseNumber: __, state: ___, ...unidentified } = { ...maria, firstName: 'Fieldname', npi: null };
      const misnamed = (await post(machine, report({ learner: { ...unidentified, NPI: '1234567893' }, creditID: 'ccid:demo:9', creditId: undefined }))).json() as Receipt;
      expect(misnamed.status).toBe('rejected');
      expect(misnamed.problems.map(({ field, message }) => [field, message])).toEqual(
        expect.arrayContaining([
          ['learner', 'A learner takes no field "NPI": its fields are firstName, lastName, birthMonth, birthDay, state, licenseNumber, npi, board and boardId.'],
          ['report', 'A learner report takes no field "creditID": its fields are activityId, completionDate, learner, credits, consent and creditId.'],
        ]),
      );
      const credit = (await post(machine, report({ learner: { ...maria, firstName: 'Fieldname' }, credits: [{ type: 'AMA_PRA_CAT1', amount: 1, credits: 2 }] }))).json() as Receipt;
      expect(credit.problems.map(({ message }) => message)).toContain('A credit line takes no field "credits": its fields are type and amount.');
    });

    it('refuses what is no report at all, an empty object or a number in an array, keeping nothing of the request', async () => {
      const before = (await coordinator.get('/api/v1/learner-reports?status=rejected&limit=200')).json().items.length;
      const empty = await post(machine, {});
      expect(empty.statusCode).toBe(400);
      expect(empty.json()).toMatchObject({ code: 'not_a_report', detail: expect.stringMatching(/^The body holds none of a learner report's fields: a learner report is an object with activityId, /) });
      const mixed = await post(machine, [report({ learner: { ...maria, firstName: 'Mixed' } }), 5, { foo: 1 }]);
      expect(mixed.statusCode).toBe(400);
      expect(mixed.json().detail).toMatch(/^Items 2 and 3 of the array are no learner report: .* Nothing was taken in: send the array again without them\.$/);
      // Each item is named by its place in the array, as the fields of a report's problems are.
      expect((mixed.json().problems as { field: string; message: string }[]).map(({ field, message }) => [field, message.split(':')[0]])).toEqual([
        ['1', 'Item 2 is no learner report'],
        ['2', 'Item 3 is no learner report'],
      ]);
      expect((await coordinator.get('/api/v1/learner-reports?status=rejected&limit=200')).json().items.length).toBe(before);
      expect((await coordinator.get('/api/v1/learner-reports?limit=200')).json().items.map((item: { learner: { firstName: string } }) => item.learner.firstName)).not.toContain('Mixed');
    });

    it('answers a report taken in with 201 and its address in Location', async () => {
      const response = await post(machine, report({ activityId: activity.series, completionDate: addDays(today, -37), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }));
      expect(response.statusCode).toBe(201);
      expect(response.headers.location).toBe(`/api/v1/learner-reports/${response.json().id}`);
      const atLocation = await machine.get(response.headers.location as string);
      expect(atLocation.statusCode).toBe(200);
      expect(atLocation.json().id).toBe(response.json().id);
    });

    it('recognises a report sent again instead of doubling it, across requests and within one', async () => {
      const first = (await post(machine, report({ learner: { ...maria, firstName: 'MARIA' } }))).json();
      expect(first).toMatchObject({ status: 'accepted', duplicate: true });

      const batch = (await post(machine, [report({ activityId: activity.enduring, completionDate: addDays(today, -150) }), report({ activityId: activity.enduring, completionDate: addDays(today, -150) })])).json() as Receipt[];
      expect(batch.map((receipt) => [receipt.status, receipt.duplicate])).toEqual([
        ['accepted', false],
        ['accepted', true],
      ]);
      expect(batch[1].id).toBe(batch[0].id);

      const list = (await coordinator.get(`/api/v1/learner-reports?activityId=${activity.enduring}`)).json();
      expect(list.items).toHaveLength(1);
      // The list names each report's activity as the provider knows it.
      expect(list.items[0].activity).toEqual({ title: expect.any(String), providerActivityId: 'EM-1' });
      expect(list.items[0].activity.title).toBe((await coordinator.get(`/api/v1/activities/${activity.enduring}`)).json().title);
    });

    it('takes an own activity ID of digits without the leading zeros Excel drops, when only one activity has those digits', async () => {
      const open = { type: 'C', startDate: addDays(today, -20), endDate: addDays(today, 10), status: 'active' };
      const padded = await createActivity(coordinator, { ...open, providerActivityId: '000417' });
      const learner = (n: number) => ({ ...maria, firstName: `Zeros${n}` });
      // A file opened and saved in Excel gives 417; a hand-typed 0417 names it too.
      for (const [index, typed] of ['417', '0417'].entries()) {
        const receipt = (await post(machine, report({ activityId: typed, learner: learner(index), creditId: null }))).json() as Receipt;
        expect(receipt.problems.map((problem) => problem.code), typed).not.toContain('activity_not_found');
        expect((await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json().activityId, typed).toBe(padded);
      }
      // Digits that two activities share, leading zeros aside, name neither; another provider's activity is never named.
      await createActivity(coordinator, { ...open, providerActivityId: '0088' });
      await createActivity(coordinator, { ...open, providerActivityId: '00088' });
      await createActivity(otherProvider, { ...open, providerActivityId: '0099' });
      for (const typed of ['88', '99', '4170']) {
        expect(codes((await post(machine, report({ activityId: typed, learner: learner(9), creditId: null }))).json() as Receipt), typed).toContain('activity_not_found');
      }
    });

    it('asks whether an own activity ID a letter away is the one meant, of the provider’s own activities only, and only when one is closest', async () => {
      const messageOf = async (activityId: string) =>
        ((await post(machine, report({ activityId, learner: { ...maria, firstName: 'Typo' } }))).json() as Receipt).problems.find((problem) => problem.code === 'activity_not_found')?.message;
      const title = (await coordinator.get(`/api/v1/activities/${activity.series}`)).json().title;
      expect(await messageOf('RSS-l')).toBe(`Your organization has no activity with the ID "RSS-l". Is it "RSS-1" (${title})? Write its 9-digit hub activity ID, or your own ID for it as registered with the hub.`);
      // NS-1 is another provider's: never offered.
      expect(await messageOf('NS-l')).toBe('Your organization has no activity with the ID "NS-l". Write its 9-digit hub activity ID, or your own ID for it as registered with the hub.');
      // Two IDs as close are a guess between them; two letters off a short ID, another ID.
      const open = { type: 'C', startDate: addDays(today, -20), endDate: addDays(today, 10), status: 'active' };
      await createActivity(coordinator, { ...open, providerActivityId: 'TWIN-A1' });
      await createActivity(coordinator, { ...open, providerActivityId: 'TWIN-A2' });
      expect(await messageOf('TWIN-A3')).not.toContain('Is it');
      expect(await messageOf('RSS-99')).not.toContain('Is it');
    });

    it('takes the provider’s own activity ID in place of the hub’s, for its own activities only', async () => {
      // The report of the first test again, naming the activity by the provider's ID: the same report,
      // also when typed in another case, as long as no other activity has that ID in some case.
      for (const typed of [' GR-1 ', 'gr-1']) {
        expect((await post(machine, report({ activityId: typed }))).json()).toMatchObject({ status: 'accepted', duplicate: true });
      }

      const session = (await post(machine, report({ activityId: 'RSS-1', completionDate: addDays(today, -35), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }))).json() as Receipt;
      expect(session).toMatchObject({ status: 'accepted', duplicate: false });
      expect((await coordinator.get(`/api/v1/learner-reports/${session.id}`)).json().activityId).toBe(activity.series);
      // The list of reports takes either ID too.
      const listed = async (activityId: string) => ((await coordinator.get(`/api/v1/learner-reports?activityId=${activityId}&limit=200`)).json().items as { id: string }[]).map((item) => item.id);
      expect(await listed('RSS-1')).toContain(session.id);
      expect(await listed('RSS-1')).toEqual(await listed(activity.series));

      // Another provider's ID for one of its activities means nothing here, and the same the other way.
      const foreign = (await post(otherProvider, report({ activityId: 'GR-1' }))).json() as Receipt;
      expect(foreign.status).toBe('rejected');
      expect(foreign.problems).toContainEqual(expect.objectContaining({ code: 'activity_not_found', field: 'activityId', message: expect.stringContaining('"GR-1"') }));
      expect(codes((await post(machine, report({ activityId: 'NS-1' }))).json() as Receipt)).toContain('activity_not_found');
      // A title names an activity in a file filled in by hand only: the API takes IDs.
      await createActivity(coordinator, { title: 'Titled once', providerActivityId: 'TITLED-1', type: 'C', startDate: addDays(today, -20), endDate: addDays(today, 10), status: 'active' });
      expect(codes((await post(machine, report({ activityId: 'Titled once' }))).json() as Receipt)).toContain('activity_not_found');

      // An own ID that is another activity's hub ID names that activity, as the hub ID does.
      const lookalike = await createActivity(coordinator, {
        providerActivityId: activity.enduring,
        type: 'C',
        startDate: addDays(today, -20),
        endDate: addDays(today, 10),
        status: 'active',
      });
      const byHubId = (await post(machine, report({ activityId: activity.enduring, completionDate: addDays(today, -150) }))).json() as Receipt;
      expect(byHubId).toMatchObject({ status: 'accepted', duplicate: true });
      expect((await coordinator.get(`/api/v1/learner-reports?activityId=${lookalike}`)).json().items).toHaveLength(0);

      // Two activities whose IDs differ only in case: either exact ID names its own, another case neither.
      const upper = await createActivity(coordinator, { providerActivityId: 'CASE-A', type: 'C', startDate: addDays(today, -20), endDate: addDays(today, 10), status: 'active' });
      await createActivity(coordinator, { providerActivityId: 'case-a', type: 'C', startDate: addDays(today, -20), endDate: addDays(today, 10), status: 'active' });
      const exact = (await post(machine, report({ activityId: 'CASE-A', completionDate: addDays(today, -2) }))).json() as Receipt;
      expect((await coordinator.get(`/api/v1/learner-reports/${exact.id}`)).json().activityId).toBe(upper);
      expect(codes((await post(machine, report({ activityId: 'Case-A', completionDate: addDays(today, -2) }))).json() as Receipt)).toContain('activity_not_found');
    });

    it('keeps one report per physician for an activity, but one per session for a regular series', async () => {
      const otherDate = (await post(machine, report({ completionDate: addDays(today, -4) }))).json() as Receipt;
      expect(otherDate.duplicate).toBe(true);
      expect(codes(otherDate)).toContain('already_reported');
      // What differs from the report on file is said, and the activity named as its provider knows it.
      expect(otherDate.problems.find((problem) => problem.code === 'already_reported')?.message).toMatch(
        new RegExp(`^This learner is already reported for activity GR-1 \\(hub ID ${activity.course}\\), completed \\d{4}-\\d{2}-\\d{2}, not ${addDays(today, -4)}\\. To change that report, correct it`),
      );

      // A copy without the learner's consent, alone or before a copy with it in one batch, says so.
      const { consent: _, ...withoutConsent } = report();
      const unconsented = (await post(machine, withoutConsent)).json() as Receipt;
      expect(unconsented.duplicate).toBe(true);
      expect(unconsented.problems.map((problem) => problem.message)).toContainEqual(expect.stringMatching(/with written consent, not no consent given\. To change that report/));
      const inOneBatch = (await post(machine, [report({ consent: undefined, learner: { ...maria, firstName: 'Mia' } }), report({ learner: { ...maria, firstName: 'Mia' } })])).json() as Receipt[];
      expect(inOneBatch[0].problems.map((problem) => problem.message)).toContainEqual(
        'This learner appears for this activity later in the same batch (row 2), with another consent (written consent there, no consent given here); only that row is kept.',
      );

      const sessions = (await post(machine, [
        report({ activityId: activity.series, completionDate: addDays(today, -14), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
        report({ activityId: activity.series, completionDate: addDays(today, -7), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
      ])).json() as Receipt[];
      expect(sessions.map((receipt) => [receipt.status, receipt.duplicate])).toEqual([
        ['accepted', false],
        ['accepted', false],
      ]);
    });

    it('flags a report sent more than 30 days after completion as late, and still accepts it', async () => {
      const receipt = (await post(machine, report({ activityId: activity.series, completionDate: addDays(today, -45), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }))).json();
      expect(receipt).toMatchObject({ status: 'accepted', late: true });
      const late = (await coordinator.get('/api/v1/learner-reports?late=true')).json();
      expect(late.items.map((item: { id: string }) => item.id)).toContain(receipt.id);
    });

    it('refuses, with a code per problem, reports that break the rules', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ activityId: '999999999' }, 'activity_not_found'],
        [{ activityId: activity.northside }, 'activity_not_found'],
        [{ activityId: activity.closed, completionDate: addDays(today, -45) }, 'activity_closed'],
        [{ activityId: activity.draft }, 'activity_not_active'],
        [{ completionDate: addDays(today, 2) }, 'completion_date_in_future'],
        [{ completionDate: addDays(today, -61) }, 'completion_date_outside_activity'],
        [{ activityId: activity.enduring, completionDate: addDays(today, -50) }, 'completion_date_outside_activity'],
        [{ activityId: activity.old, completionDate: `${thisYear - 2}-03-01` }, 'completion_date_outside_reporting_window'],
        [{ credits: [{ type: 'AMA_PRA_CAT1', amount: 2.5 }] }, 'credits_exceed_designated'],
        [{ credits: [{ type: 'AMA_PRA_CAT1', amount: 1.3 }] }, 'credit_amount_invalid'],
        [{ credits: [{ type: 'AMA_PRA_CAT1', amount: 0 }] }, 'credit_amount_invalid'],
        [{ credits: [{ type: 'NURSING', amount: 1 }] }, 'credit_type_not_designated'],
        [{ credits: [{ type: 'BOGUS', amount: 1 }] }, 'credit_type_unknown'],
        [{ consent: undefined }, 'consent_missing'],
      ];
      const receipts = (await post(machine, cases.map(([overrides]) => report({ learner: john, ...overrides })))).json() as Receipt[];
      receipts.forEach((receipt, index) => {
        expect(receipt.status, JSON.stringify(cases[index][0])).toBe('rejected');
        expect(codes(receipt), JSON.stringify(cases[index][0])).toContain(cases[index][1]);
        expect(receipt.problems.every((problem) => problem.row === index + 1 && problem.message.length > 10)).toBe(true);
      });
      // Rejected reports are kept, for the provider to fix.
      const rejected = (await coordinator.get('/api/v1/learner-reports?status=rejected&limit=100')).json();
      expect(rejected.items.length).toBeGreaterThanOrEqual(cases.length);
      // Sent again as they were, they are those reports, not more to fix.
      const again = (await post(machine, cases.map(([overrides]) => report({ learner: john, ...overrides })))).json() as (Receipt & { id: string; duplicate: boolean })[];
      expect(again.map((receipt) => [receipt.id, receipt.duplicate, receipt.status])).toEqual(receipts.map((receipt) => [(receipt as Receipt & { id: string }).id, true, 'rejected']));
      expect((await coordinator.get('/api/v1/learner-reports?status=rejected&limit=100')).json().items.length).toBe(rejected.items.length);
    });

    it('answers a report it cannot read with a receipt that says which field to fix', async () => {
      const response = await post(machine, [{ activityId: ' ', learner: { firstName: 'A' } }]);
      expect(response.statusCode).toBe(200);
      const [receipt] = response.json() as Receipt[];
      expect(receipt.status).toBe('rejected');
      expect(receipt.problems.map((problem) => problem.field)).toEqual(
        expect.arrayContaining(['activityId', 'completionDate', 'learner.lastName', 'credits']),
      );
    });

    it('keeps what could be read of a report refused as a whole, and says its other problems at once', async () => {
      const learner = { ...john, firstName: 'Rune', licenseNumber: 'Z88802' };
      const completionDate = addDays(today, 5);
      const [receipt] = (await post(machine, [report({ learner, completionDate, creditId: 'not a credit id' })])).json() as (Receipt & { id: string })[];
      expect(receipt.status).toBe('rejected');
      expect(receipt.problems.map((problem) => [problem.code, problem.field])).toEqual(
        expect.arrayContaining([
          ['invalid_format', 'creditId'],
          ['completion_date_in_future', 'completionDate'],
        ]),
      );
      const stored = (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json();
      expect(stored).toMatchObject({ activityId: activity.course, completionDate, learner: { firstName: 'Rune', lastName: john.lastName }, credits: [{ type: 'AMA_PRA_CAT1', amount: 1.75 }] });
    });

    it('names the provider by its 7-digit provider ID or its organization id, as uploads do', async () => {
      const byProviderId = report({ activityId: activity.series, completionDate: addDays(today, -36), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] });
      const created = await operator.request({ method: 'POST', url: '/api/v1/learner-reports?providerOrgId=1234567', payload: byProviderId });
      expect(created.statusCode, created.body).toBe(201);
      expect((await coordinator.get(`/api/v1/learner-reports/${created.json().id}`)).json().providerOrgId).toBe(providerOrgId);

      const listed = async (session: Session, provider: string) => {
        const response = await session.get(`/api/v1/learner-reports?providerOrgId=${provider}&limit=500`);
        expect(response.statusCode, response.body).toBe(200);
        return response.json().items.map((item: { id: string }) => item.id);
      };
      const ids = await listed(operator, providerOrgId);
      expect(ids).toContain(created.json().id);
      expect(await listed(operator, '1234567')).toEqual(ids);
      expect(await listed(machine, '1234567')).toEqual(ids);

      const unknown = await operator.get('/api/v1/learner-reports?providerOrgId=9999999');
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({ code: 'not_a_provider', problems: [{ field: 'providerOrgId' }] });
      expect((await operator.get('/api/v1/learner-reports?providerOrgId=12345')).statusCode).toBe(400);
      // A provider naming another provider is told so, rather than shown its own reports as if they were the other's.
      const other = await machine.get('/api/v1/learner-reports?providerOrgId=2345678');
      expect(other.statusCode).toBe(403);
      expect(other.json().detail).toContain('your own');
    });

    it('refuses a request of more than 1,000 reports as a whole', async () => {
      const response = await post(machine, Array.from({ length: 1001 }, () => report()));
      expect(response.statusCode).toBe(413);
      expect(response.json().code).toBe('too_many_reports');
    });

    it('keeps an unmatched learner pending, says what to fix, and matches it once the roster arrives', async () => {
      const receipt = (await post(coordinator, report({ learner: { ...john, npi: johnNpi }, creditId: 'ccid:demo:john' }))).json() as Receipt;
      expect(receipt.status).toBe('pending');
      expect(receipt.problems.length).toBeGreaterThan(0);
      const again = (await post(coordinator, report({ learner: { ...john, npi: johnNpi, lastName: 'smith' } }))).json() as Receipt;
      expect(again).toMatchObject({ id: receipt.id, status: 'pending', duplicate: true });

      await loadRoster(boards.CA, [['G54321', 'MD', 'Active', 'John', 'Smith', '7', '2', johnNpi]]);

      const matched = (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json();
      expect(matched.status).toBe('accepted');
      expect(matched.problems).toEqual([]);
      expect(matched.history.map((entry: { action: string }) => entry.action)).toEqual(['reported', 'matched']);
      const caBoard = await login(t.app, demoLogins.boardAdmin, demoPassword);
      const credits = (await caBoard.get(`/api/v1/boards/${boards.CA}/credits?personId=${matched.personId}`)).json() as CreditPage;
      expect(credits.items.map((item) => item.reportId)).toContain(receipt.id);
    });
  });

  describe('where an accepted credit goes', () => {
    it('reaches the physician’s passport and every board that licenses them, not the others', async () => {
      const receipt = (await post(machine, report({ activityId: activity.course, learner: maria }))).json() as Receipt;
      const personId = (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json().personId as string;

      await t.db.updateTable('users').set({ person_id: personId }).where('email', '=', demoLogins.physician).execute();
      const physician = await login(t.app, demoLogins.physician, demoPassword);
      const passport = (await physician.get('/api/v1/me/credits')).json() as CreditPage;
      expect(passport.items).toContainEqual(expect.objectContaining({ reportId: receipt.id, creditType: 'AMA_PRA_CAT1', amount: 1.75 }));

      // The provider named California; Washington licenses her too and sees the credit.
      const washington = await boardSession('WA');
      const waCredits = (await washington.get(`/api/v1/boards/${boards.WA}/credits`)).json() as CreditPage;
      expect(waCredits.items).toContainEqual(expect.objectContaining({ reportId: receipt.id, personName: 'Maria Lopez', providerName: 'Demo Academy of Medicine' }));

      const northCarolina = await boardSession('NC');
      const ncCredits = (await northCarolina.get(`/api/v1/boards/${boards.NC}/credits`)).json() as CreditPage;
      expect(ncCredits.items).toEqual([]);
      expect((await northCarolina.get(`/api/v1/boards/${boards.NC}/credits?personId=${personId}`)).statusCode).toBe(404);
      expect((await northCarolina.get(`/api/v1/boards/${boards.WA}/credits`)).statusCode).toBe(404);

      const audit = await t.db.selectFrom('audit_log').select('action').where('action', 'in', ['person_credits.read', 'licensee_credits.read']).execute();
      expect(audit.length).toBeGreaterThanOrEqual(3);
    });

    it('shows a certifying board the MOC lines reported for it', async () => {
      const receipt = (await post(machine, report({
        activityId: activity.course,
        learner: { ...maria, firstName: 'Mary-Ann', lastName: 'Other', npi: null, state: 'CA', licenseNumber: 'A12345' },
        credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }, { type: 'MOC_ABIM_MK', amount: 2 }],
      }))).json() as Receipt;
      expect(receipt.status).not.toBe('accepted');

      const moc = (await post(otherProvider, {
        activityId: activity.northside,
        completionDate: addDays(today, -2),
        learner: maria,
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
        consent: 'implied',
      })).json() as Receipt;
      expect(moc.status).toBe('accepted');

      const corrected = await coordinator.patch(`/api/v1/learner-reports/${(await post(machine, report())).json().id}`, {
        credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }, { type: 'MOC_ABIM_MK', amount: 2 }],
        reason: 'MOC points were left out',
      });
      expect(corrected.statusCode, corrected.body).toBe(200);
      const abim = await login(t.app, demoLogins.certifyingBoardAdmin, demoPassword);
      const abimOrgId = (await abim.get('/api/v1/me')).json().organization.id;
      const lines = (await abim.get(`/api/v1/boards/${abimOrgId}/credits`)).json() as CreditPage;
      expect(lines.items.map((item) => item.creditType)).toEqual(['MOC_ABIM_MK']);
    });
  });

  describe('matching later', () => {
    it('refuses, once matched, a pending report that repeats another report of the same physician', async () => {
      const ruth = { firstName: 'Ruth', lastName: 'Kim', birthMonth: 5, birthDay: 9, state: 'CA', licenseNumber: 'K777' };
      const ruthNpi = withCheckDigit('555444333');
      const [first, second] = (await post(machine, [report({ learner: ruth }), report({ learner: { ...ruth, npi: ruthNpi } })])).json() as Receipt[];
      expect([first.status, second.status, second.duplicate]).toEqual(['pending', 'pending', false]);

      await loadRoster(boards.CA, [['K777', 'MD', 'Active', 'Ruth', 'Kim', '5', '9', ruthNpi]]);

      const [a, b] = await Promise.all([first, second].map(async (receipt) => (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json()));
      expect(a.status).toBe('accepted');
      expect(b.status).toBe('rejected');
      expect(b.problems.map((problem: { code: string }) => problem.code)).toEqual(['duplicate_report']);
      expect(b.history.at(-1).action).toBe('rejected_as_duplicate');
    });

    it('lets the physician claim a pending report made under their name and birth date', async () => {
      const mistyped = { ...maria, licenseNumber: 'A99999' };
      const receipt = (await post(machine, report({ activityId: activity.series, learner: mistyped, completionDate: addDays(today, -23), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }))).json() as Receipt;
      expect(receipt.status).toBe('pending');

      const personId = (await t.db.selectFrom('persons').select('id').where('last_key', '=', 'lopez').executeTakeFirstOrThrow()).id;
      await t.db.updateTable('users').set({ person_id: personId }).where('email', '=', demoLogins.physician).execute();
      const physician = await login(t.app, demoLogins.physician, demoPassword);
      const claimable = (await physician.get('/api/v1/me/claimable-reports')).json();
      const item = claimable.items.find((candidate: { id: string }) => candidate.id === receipt.id);
      // What the provider named the learner by, for her to tell it is hers: never a birth date, and a number by its
      // last characters only, as another physician of her name and birthday sees the list too.
      expect(item.reportedAs).toEqual({ firstName: 'Maria', lastName: 'Lopez', state: 'CA', licenseNumber: '•••999', npi: null, board: null, boardId: null });
      expect(JSON.stringify(claimable)).not.toContain('A99999');
      expect(Object.keys(item)).not.toContain('birthMonth');
      expect(JSON.stringify(item.reportedAs)).not.toMatch(/birth/i);

      const claimed = await physician.post(`/api/v1/me/claimable-reports/${receipt.id}/claim`);
      expect(claimed.statusCode, claimed.body).toBe(200);
      expect(claimed.json()).toMatchObject({ status: 'accepted', personId, matchRule: 'claimed' });
      const passport = (await physician.get('/api/v1/me/credits?limit=1000')).json() as CreditPage;
      expect(passport.items.map((item) => item.reportId)).toContain(receipt.id);
      expect((await physician.post(`/api/v1/me/claimable-reports/${receipt.id}/claim`)).statusCode).toBe(404);
    });

    it('does not offer the physician a report whose completion is already in their passport from another report', async () => {
      const personId = (await t.db.selectFrom('persons').select('id').where('last_key', '=', 'lopez').executeTakeFirstOrThrow()).id;
      await t.db.updateTable('users').set({ person_id: personId }).where('email', '=', demoLogins.physician).execute();
      const physician = await login(t.app, demoLogins.physician, demoPassword);
      const claimableIds = async () => ((await physician.get('/api/v1/me/claimable-reports')).json().items as { id: string }[]).map((item) => item.id);
      const before = (await claimableIds()).length;

      const course = await createActivity(coordinator, { providerActivityId: 'GR-HELD', type: 'C', startDate: addDays(today, -40), endDate: addDays(today, 10), status: 'active' });
      const series = await createActivity(coordinator, {
        providerActivityId: 'RSS-HELD', type: 'RSS', startDate: addDays(today, -60), endDate: addDays(today, 60), status: 'active',
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
      });
      const another = { ...maria, licenseNumber: 'B77777' };
      const sent = async (activityId: string, learner: object, completionDate: string) =>
        (await post(machine, report({ activityId, learner, completionDate, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], creditId: undefined }))).json() as Receipt;
      // Accepted: her course, and one session of the series.
      expect((await sent(course, maria, addDays(today, -5))).status).toBe('accepted');
      expect((await sent(series, maria, addDays(today, -30))).status).toBe('accepted');
      // Reported again under another license: the same course, the same session; and another session.
      const sameCourse = await sent(course, another, addDays(today, -4));
      const sameSession = await sent(series, another, addDays(today, -30));
      const otherSession = await sent(series, another, addDays(today, -31));
      expect([sameCourse.status, sameSession.status, otherSession.status]).toEqual(['pending', 'pending', 'pending']);

      const ids = await claimableIds();
      expect(ids).toContain(otherSession.id);
      expect(ids).not.toContain(sameCourse.id);
      expect(ids).not.toContain(sameSession.id);
      // What the passport counts as hers to claim is the list: only the report she can claim was added.
      expect(ids.length).toBe(before + 1);
      // Asked anyway (a page left open), the claim is refused and nothing is added to her passport.
      const refused = await physician.post(`/api/v1/me/claimable-reports/${sameCourse.id}/claim`);
      expect(refused.statusCode).toBe(404);
      expect((await coordinator.get(`/api/v1/learner-reports/${sameCourse.id}`)).json().status).toBe('pending');

      const claimed = await physician.post(`/api/v1/me/claimable-reports/${otherSession.id}/claim`);
      expect(claimed.statusCode, claimed.body).toBe(200);
      expect(await claimableIds()).not.toContain(otherSession.id);
    });
  });

  describe('corrections and deletions', () => {
    it('corrects a report in place and keeps who changed what, when and why', async () => {
      const receipt = (await post(machine, report({ activityId: activity.series, completionDate: addDays(today, -21), credits: [{ type: 'AMA_PRA_CAT1', amount: 0.5 }] }))).json() as Receipt;
      const response = await coordinator.patch(`/api/v1/learner-reports/${receipt.id}`, {
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
        completionDate: addDays(today, -20),
        reason: 'Attended the whole session',
      });
      expect(response.statusCode, response.body).toBe(200);
      const sentAgain = await coordinator.patch(`/api/v1/learner-reports/${receipt.id}`, {
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
        completionDate: addDays(today, -20),
        reason: 'Attended the whole session',
      });
      expect(sentAgain.statusCode).toBe(200);
      const stored = (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json();
      expect(stored.credits).toEqual([{ type: 'AMA_PRA_CAT1', amount: 1 }]);
      expect(stored.history.map((entry: { action: string }) => entry.action)).toEqual(['reported', 'corrected']);
      const correction = stored.history.at(-1);
      expect(correction).toMatchObject({
        action: 'corrected',
        actor: demoLogins.providerAdmin,
        reason: 'Attended the whole session',
        before: { credits: [{ type: 'AMA_PRA_CAT1', amount: 0.5 }], completionDate: addDays(today, -21) },
        after: { credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], completionDate: addDays(today, -20) },
      });
    });

    it('leaves an accepted report as it was when its correction breaks a rule, so that a typo takes no credit away', async () => {
      const receipt = (await post(machine, report({ activityId: activity.series, completionDate: addDays(today, -22), credits: [{ type: 'AMA_PRA_CAT1', amount: 0.5 }] }))).json() as Receipt;
      expect(receipt.status).toBe('accepted');
      const typo = await coordinator.patch(`/api/v1/learner-reports/${receipt.id}`, { credits: [{ type: 'AMA_PRA_CAT1', amount: 0.3 }], reason: 'adjust credits' });
      expect(typo.statusCode).toBe(422);
      expect(typo.json()).toMatchObject({
        code: 'validation_failed',
        detail: expect.stringMatching(/^The correction was not made: the report would be rejected, and is left as it was, accepted\. .* to take the credit away, delete the report\.$/),
        problems: [expect.objectContaining({ field: 'credits.0.amount', message: expect.stringContaining('steps of 0.25') })],
      });
      const stored = (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json();
      expect(stored).toMatchObject({ status: 'accepted', credits: [{ type: 'AMA_PRA_CAT1', amount: 0.5 }] });
      expect(stored.history.map((entry: { action: string }) => entry.action)).toEqual(['reported']);
    });

    it('asks why an accepted report is corrected, its credit being on the physician\'s record, and leaves it as it was until told', async () => {
      const receipt = (await post(machine, report({ activityId: activity.series, completionDate: addDays(today, -24), credits: [{ type: 'AMA_PRA_CAT1', amount: 0.5 }] }))).json() as Receipt;
      expect(receipt.status).toBe('accepted');
      const unsaid = await coordinator.patch(`/api/v1/learner-reports/${receipt.id}`, { credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] });
      expect(unsaid.statusCode).toBe(422);
      expect(unsaid.json()).toMatchObject({
        code: 'validation_failed',
        problems: [{ code: 'reason_required', field: 'reason', message: expect.stringMatching(/^Give a reason for the correction \(reason\): the report is accepted/) }],
      });
      expect((await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json()).toMatchObject({ credits: [{ type: 'AMA_PRA_CAT1', amount: 0.5 }] });
      const said = await coordinator.patch(`/api/v1/learner-reports/${receipt.id}`, { credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], reason: 'Stayed for the second hour' });
      expect(said.json()).toMatchObject({ status: 'accepted', credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] });
    });

    it('turns a rejected report into an accepted one when it is corrected', async () => {
      const [receipt] = (await post(machine, [report({ activityId: activity.series, completionDate: addDays(today, -30), credits: [{ type: 'AMA_PRA_CAT1', amount: 3 }] })])).json() as Receipt[];
      expect(receipt.status).toBe('rejected');
      const fixed = (await coordinator.patch(`/api/v1/learner-reports/${receipt.id}`, { credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] })).json();
      expect(fixed).toMatchObject({ status: 'accepted', problems: [] });
    });

    it('takes a rejected report off the reports to fix when the same completion is sent again and taken in, and no other learner\'s', async () => {
      const completed = addDays(today, -33);
      const tooMany = [{ type: 'AMA_PRA_CAT1', amount: 3 }];
      const other = { ...john, firstName: 'Johanna' };
      const rejected = (await post(machine, [
        report({ activityId: activity.series, completionDate: completed, credits: tooMany }),
        report({ activityId: activity.series, completionDate: completed, credits: tooMany, learner: other }),
      ])).json() as Receipt[];
      expect(rejected.map((receipt) => receipt.status)).toEqual(['rejected', 'rejected']);
      const [corrected] = (await post(machine, [report({ activityId: activity.series, completionDate: completed, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] })])).json() as (Receipt & { id: string })[];
      expect(corrected.status).toBe('accepted');
      const [first, second] = await Promise.all(rejected.map(async (receipt) => (await coordinator.get(`/api/v1/learner-reports/${(receipt as Receipt & { id: string }).id}`)).json()));
      expect(first).toMatchObject({ deleteReason: `Corrected by a later report of the same completion (report ${corrected.id})`, deletedBy: expect.any(String), correctedByUploadId: null });
      expect(first.deletedAt).not.toBeNull();
      expect(second).toMatchObject({ status: 'rejected', deletedAt: null });
      const toFix = (await coordinator.get('/api/v1/learner-reports?status=rejected&limit=100')).json().items.map((item: { id: string }) => item.id);
      expect(toFix).not.toContain(first.id);
      expect(toFix).toContain(second.id);
    });

    it('says what a second copy of a report in one request sent otherwise, the first being the one kept', async () => {
      const learner = { firstName: 'Tove', lastName: 'Lind', birthMonth: 2, birthDay: 3, state: 'CA', licenseNumber: 'Z88801' };
      const [first, second] = (await post(machine, [
        report({ learner, completionDate: addDays(today, -8) }),
        report({ learner, completionDate: addDays(today, -7), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
      ])).json() as (Receipt & { id: string; duplicate: boolean })[];
      expect(second).toMatchObject({ id: first.id, duplicate: true });
      expect(second.problems.map((problem) => problem.message)).toContain(
        `This learner appears for this activity earlier in the same batch (row 1), with another completion date (${addDays(today, -8)} there, ${addDays(today, -7)} here) and other credits; only that row is kept.`,
      );
    });

    it('says of a second copy in one request, when the first is a report on file already, that neither is kept', async () => {
      const learner = { firstName: 'Ulla', lastName: 'Moe', birthMonth: 2, birthDay: 4, state: 'CA', licenseNumber: 'Z88809' };
      await post(machine, [report({ learner, completionDate: addDays(today, -8) })]);
      const [, second] = (await post(machine, [
        report({ learner, completionDate: addDays(today, -8) }),
        report({ learner, completionDate: addDays(today, -7), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
      ])).json() as (Receipt & { id: string; duplicate: boolean })[];
      expect(second.problems.map((problem) => problem.message)).toContain(
        `This learner appears for this activity earlier in the same batch (row 1), with another completion date (${addDays(today, -8)} there, ${addDays(today, -7)} here) and other credits; that row is read in place of this one, and its report is on file already.`,
      );
    });

    it('takes a completion on file sent again with a mistake as a repeat of that report, not one more to fix', async () => {
      const learner = { firstName: 'Ines', lastName: 'Berg', birthMonth: 4, birthDay: 9, state: 'CA', licenseNumber: 'Z88803' };
      const [onFile] = (await post(machine, [report({ learner })])).json() as (Receipt & { id: string })[];
      expect(onFile.status).toBe('pending');
      const rejectedBefore = (await coordinator.get('/api/v1/learner-reports?status=rejected&limit=100')).json().items.length;
      const [again] = (await post(machine, [report({ learner, consent: undefined })])).json() as (Receipt & { id: string; duplicate: boolean })[];
      expect(again).toMatchObject({ id: onFile.id, status: 'pending', duplicate: true });
      // In one request, whichever comes first: the mistaken copy is a repeat of the report taken in.
      const other = { ...learner, firstName: 'Ola', licenseNumber: 'Z88804' };
      const [mistaken, good] = (await post(machine, [report({ learner: other, credits: [{ type: 'AMA_PRA_CAT1', amount: 1.1 }] }), report({ learner: other })])).json() as (Receipt & { id: string; duplicate: boolean })[];
      expect(good).toMatchObject({ status: 'pending', duplicate: false });
      expect(mistaken).toMatchObject({ id: good.id, duplicate: true });
      expect((await coordinator.get('/api/v1/learner-reports?status=rejected&limit=100')).json().items.length).toBe(rejectedBefore);
    });

    it('refuses a correction that would make the report repeat another one', async () => {
      const [a, b] = (await post(machine, [
        report({ activityId: activity.series, completionDate: addDays(today, -10), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
        report({ activityId: activity.series, completionDate: addDays(today, -11), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
      ])).json() as Receipt[];
      const response = await coordinator.patch(`/api/v1/learner-reports/${b.id}`, { completionDate: addDays(today, -10), reason: 'The date was a day off' });
      expect(response.statusCode).toBe(409);
      expect(response.json().detail).toContain(a.id);
    });

    it('deletes a report with a reason, takes its credit back, and lets the learner be reported again', async () => {
      const body = report({ activityId: activity.series, completionDate: addDays(today, -2), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] });
      const receipt = (await post(machine, body)).json() as Receipt;
      expect((await coordinator.delete(`/api/v1/learner-reports/${receipt.id}`)).statusCode).toBe(400);
      const deleted = await coordinator.delete(`/api/v1/learner-reports/${receipt.id}`, { reason: 'Reported for the wrong learner' });
      expect(deleted.statusCode, deleted.body).toBe(200);
      expect(deleted.json()).toMatchObject({ deleteReason: 'Reported for the wrong learner', deletedBy: demoLogins.providerAdmin, alreadyDeleted: false });
      // Deleting it again (a retry) changes nothing, and answers with the deletion on file.
      const deletedAgain = await machine.delete(`/api/v1/learner-reports/${receipt.id}?reason=Sent%20twice`);
      expect(deletedAgain.statusCode, deletedAgain.body).toBe(200);
      expect(deletedAgain.json()).toMatchObject({
        alreadyDeleted: true,
        deletedAt: deleted.json().deletedAt,
        deletedBy: demoLogins.providerAdmin,
        deleteReason: 'Reported for the wrong learner',
      });

      const physician = await login(t.app, demoLogins.physician, demoPassword);
      const passport = (await physician.get('/api/v1/me/credits?limit=1000')).json() as CreditPage;
      expect(passport.items.map((item) => item.reportId)).not.toContain(receipt.id);

      const again = (await post(machine, body)).json() as Receipt;
      expect(again).toMatchObject({ status: 'accepted', duplicate: false });
      expect(again.id).not.toBe(receipt.id);
      const history = (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json().history;
      expect(history.map((entry: { action: string }) => entry.action)).toEqual(['reported', 'deleted']);
    });

    it('takes the reason for a deletion from ?reason= or a JSON body, and refuses two different reasons', async () => {
      const receipts = (await post(machine, [-31, -32, -34].map((days) =>
        report({ activityId: activity.series, completionDate: addDays(today, days), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
      ))).json() as (Receipt & { id: string })[];
      const [byQuery, byQueryWithJsonType, byBoth] = receipts.map((receipt) => `/api/v1/learner-reports/${receipt.id}`);

      const noBody = await machine.request({ method: 'DELETE', url: `${byQuery}?reason=Reported%20for%20the%20wrong%20learner` });
      expect(noBody.statusCode, noBody.body).toBe(200);
      expect(noBody.json()).toMatchObject({ deleteReason: 'Reported for the wrong learner' });
      // A client that sets a JSON content type on every request, with no body.
      const emptyJson = await machine.request({ method: 'DELETE', url: `${byQueryWithJsonType}?reason=Wrong%20session`, headers: { 'content-type': 'application/json' } });
      expect(emptyJson.statusCode, emptyJson.body).toBe(200);
      expect(emptyJson.json()).toMatchObject({ deleteReason: 'Wrong session' });

      const twice = await machine.delete(`${byBoth}?reason=Wrong%20session`, { reason: 'Wrong learner' });
      expect(twice.statusCode).toBe(400);
      expect(twice.json()).toMatchObject({ code: 'reason_given_twice', problems: [{ field: 'reason' }] });
      expect((await machine.get(byBoth)).json().deletedAt).toBeNull();
      const sameTwice = await machine.delete(`${byBoth}?reason=Wrong%20session`, { reason: 'Wrong session' });
      expect(sameTwice.statusCode, sameTwice.body).toBe(200);
      expect(sameTwice.json()).toMatchObject({ deleteReason: 'Wrong session' });
    });

    it('deletes several reports at once and lists those deleted before and those that are not the caller’s', async () => {
      const receipts = (await post(machine, [
        report({ activityId: activity.series, completionDate: addDays(today, -15), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
        report({ activityId: activity.series, completionDate: addDays(today, -16), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }),
      ])).json() as Receipt[];
      const foreign = (await post(otherProvider, { ...report({ activityId: activity.northside, completionDate: addDays(today, -5) }) })).json() as Receipt;
      const response = await coordinator.post('/api/v1/learner-reports/bulk-delete', {
        ids: [...receipts.map((receipt) => receipt.id), foreign.id],
        reason: 'Test session',
      });
      expect(response.json()).toEqual({ deleted: 2, alreadyDeleted: [], notFound: [foreign.id] });

      const again = await coordinator.post('/api/v1/learner-reports/bulk-delete', {
        ids: [receipts[1].id, receipts[0].id, receipts[1].id],
        reason: 'Sent twice',
      });
      expect(again.json()).toEqual({ deleted: 0, alreadyDeleted: [receipts[1].id, receipts[0].id], notFound: [] });
      expect((await coordinator.get(`/api/v1/learner-reports/${receipts[0].id}`)).json()).toMatchObject({ deleteReason: 'Test session' });
    });

    it('hides another provider’s reports: not found, whatever the method', async () => {
      const foreign = (await post(otherProvider, report({ activityId: activity.northside, completionDate: addDays(today, -6) }))).json() as Receipt;
      expect((await coordinator.get(`/api/v1/learner-reports/${foreign.id}`)).statusCode).toBe(404);
      expect((await coordinator.patch(`/api/v1/learner-reports/${foreign.id}`, { consent: 'implied' })).statusCode).toBe(404);
      expect((await coordinator.delete(`/api/v1/learner-reports/${foreign.id}`, { reason: 'not mine' })).statusCode).toBe(404);
      const board = await login(t.app, demoLogins.boardAdmin, demoPassword);
      expect((await board.get(`/api/v1/learner-reports/${foreign.id}`)).statusCode).toBe(404);
      const list = (await coordinator.get('/api/v1/learner-reports?limit=500')).json();
      expect(list.items.map((item: { id: string }) => item.id)).not.toContain(foreign.id);
    });
  });

  describe('the list of reports', () => {
    it('pages on with the filters its cursor was made with, and refuses it with others, saying to start again without it', async () => {
      // Learners no roster has: each report stays pending.
      for (const [lastName, licenseNumber] of [['Ambry', 'Q00001'], ['Berro', 'Q00002'], ['Corte', 'Q00003']]) {
        const learner = { ...maria, firstName: 'Quillon', lastName, licenseNumber };
        const receipt = (await post(coordinator, report({ activityId: activity.series, learner, credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], creditId: `ccid:list:${lastName}` }))).json() as Receipt;
        expect(receipt.status).toBe('pending');
      }
      const page = async (session: Session, query: string) => {
        const response = await session.get(`/api/v1/learner-reports?${query}`);
        return { status: response.statusCode, body: response.json() };
      };
      const lastNames = (body: { items: { learner: { lastName: string } }[] }) => body.items.map((item) => item.learner.lastName);
      const first = await page(coordinator, 'search=Quillon&limit=1');
      expect(lastNames(first.body)).toEqual(['Corte']);
      const cursor = first.body.nextCursor as string;
      expect(cursor).toEqual(expect.any(String));

      // The same filters page on, with a page size of their own if need be.
      expect(lastNames((await page(coordinator, `search=Quillon&limit=1&cursor=${cursor}`)).body)).toEqual(['Berro']);
      expect(lastNames((await page(coordinator, `search=Quillon&limit=5&cursor=${cursor}`)).body)).toEqual(['Berro', 'Ambry']);
      // Other filters, or none, would have listed their own reports from the position of another list.
      for (const query of ['status=rejected', 'search=Quillon&status=pending', 'search=Ambry', '', `search=Quillon&activityId=${activity.course}`, 'search=Quillon&includeDeleted=true']) {
        const refused = await page(coordinator, `${query}&limit=1&cursor=${cursor}`);
        expect(refused.status, query).toBe(400);
        expect(refused.body).toMatchObject({
          code: 'invalid_cursor',
          detail: expect.stringMatching(/^The cursor belongs to a listing with other filters.*Start again from the first page, without cursor/),
        });
      }

      // An operator's provider is the same whether named by its 7-digit provider ID or its organization id; leaving it out lists every provider's.
      const byProviderId = await page(operator, 'providerOrgId=1234567&search=Quillon&limit=1');
      const operatorCursor = byProviderId.body.nextCursor as string;
      expect(lastNames((await page(operator, `providerOrgId=${providerOrgId}&search=Quillon&limit=1&cursor=${operatorCursor}`)).body)).toEqual(['Berro']);
      expect((await page(operator, `search=Quillon&limit=1&cursor=${operatorCursor}`)).status).toBe(400);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retry with the same key with the first answer, and refuses the key for another body', async () => {
      const body = report({ activityId: activity.series, completionDate: addDays(today, -25), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] });
      const first = await post(machine, body, { 'idempotency-key': 'retry-1' });
      const second = await post(machine, body, { 'idempotency-key': 'retry-1' });
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      expect(second.json()).toEqual(first.json());
      expect(second.headers.location).toBe(`/api/v1/learner-reports/${first.json().id}`);
      const other = await post(machine, { ...body, completionDate: addDays(today, -26) }, { 'idempotency-key': 'retry-1' });
      expect(other.statusCode).toBe(409);
      expect(other.json().code).toBe('idempotency_key_reused');
    });
  });

  describe('MedBiquitous XML', () => {
    const xmlReport = (uniqueIds: string, completed: string, amount = '1.00') => `
  <ActivityReport>
    <ReportingOrganization>Demo Academy of Medicine</ReportingOrganization>
    <Member>
      ${uniqueIds}
      <m:Name><n:GivenName>Maria</n:GivenName><n:FamilyName>Lopez</n:FamilyName></m:Name>
      <m:PersonalInfo><m:BirthDate accuracy="DayMonth">1900-03-14</m:BirthDate></m:PersonalInfo>
    </Member>
    <Activity>
      <ProviderOrganization>1234567</ProviderOrganization>
      <ActivityName>Weekly tumor board</ActivityName>
      <Module>
        <ModuleName moduleID="${activity.series}">Weekly tumor board</ModuleName>
        <Status>Completed</Status>
        <CompletedDateTime>${completed}T10:00:00</CompletedDateTime>
        <CreditCertificate>
          <CreditReceived><hx:activityCertification>AMA PRA Category 1 Credit</hx:activityCertification><hx:creditUnit>Point</hx:creditUnit><hx:numberOfCredits>${amount}</hx:numberOfCredits></CreditReceived>
          <CreditID>ccid:demo:xml-${completed}</CreditID>
        </CreditCertificate>
      </Module>
    </Activity>
  </ActivityReport>`;
    const xmlDocument = (reports: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/" xmlns:m="http://ns.medbiq.org/member/v2/" xmlns:n="http://ns.medbiq.org/name/v2/" xmlns:hx="http://ns.medbiq.org/lom/extend/v1/">
  <DateTimeCreated>${today}T09:00:00</DateTimeCreated>
  <ReportingStartDate>${thisYear}-01-01</ReportingStartDate>
  <ReportingEndDate>${today}</ReportingEndDate>${reports}
</ActivityReports>`;

    const postXml = (body: string, accept = 'application/xml', query = '?consent=written') =>
      machine.request({
        method: 'POST',
        url: `/api/v1/learner-reports${query}`,
        payload: body,
        headers: { 'content-type': 'application/xml', accept },
      });

    it('takes ActivityReports in and answers with XML receipts', async () => {
      const body = xmlDocument(
        xmlReport(`<m:UniqueID domain="idd:accme.org:NPI">${mariaNpi}</m:UniqueID>`, addDays(today, -12)) +
          xmlReport(`<m:UniqueID domain="idd:accme.org:NPI">${mariaNpi}</m:UniqueID>`, addDays(today, -13), '0.30'),
      );
      const response = await postXml(body);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['content-type']).toContain('application/xml');
      expect(response.body).toMatch(/<Receipt position="1" id="[0-9a-f-]{36}" status="accepted" duplicate="false" late="false"\/>/);
      expect(response.body).toMatch(/<Receipt position="2" id="[0-9a-f-]{36}" status="rejected"/);

      const json = await postXml(body, 'application/json');
      const receipts = json.json() as Receipt[];
      expect(receipts[0]).toMatchObject({ status: 'accepted', duplicate: true });
    });

    it('reads identifier domains that name a state or a board, from any authority', async () => {
      const body = xmlDocument(
        xmlReport(`<m:UniqueID domain="idd:accme.org:CA">A12345</m:UniqueID>`, addDays(today, -19)) +
          xmlReport(`<m:UniqueID domain="idd:example.edu:WA">MD60012345</m:UniqueID>`, addDays(today, -20)),
      );
      const receipts = (await postXml(body, 'application/json')).json() as Receipt[];
      expect(receipts.map((receipt) => receipt.status)).toEqual(['accepted', 'accepted']);
      const stored = (await coordinator.get(`/api/v1/learner-reports/${receipts[0].id}`)).json();
      expect(stored.learner).toMatchObject({ state: 'CA', licenseNumber: 'A12345', board: null });
    });

    it('takes back a report it wrote out as XML, recognising it as already on file', async () => {
      const receipt = (await post(machine, report({ activityId: activity.series, completionDate: addDays(today, -22), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }))).json() as Receipt;
      const written = await coordinator.request({ method: 'GET', url: `/api/v1/learner-reports/${receipt.id}`, headers: { accept: 'application/xml' } });
      const [again] = (await postXml(written.body, 'application/json')).json() as Receipt[];
      expect(again).toMatchObject({ id: receipt.id, status: 'accepted', duplicate: true, problems: [] });
    });

    it('deletes the report an ActivityReport names with LearnerRecordAction delete', async () => {
      const added = xmlReport(`<m:UniqueID domain="idd:accme.org:CA">A12345</m:UniqueID>`, addDays(today, -29));
      const [receipt] = (await postXml(xmlDocument(added), 'application/json')).json() as Receipt[];
      expect(receipt.status).toBe('accepted');

      const deletion = added.replace(
        '</Activity>',
        '</Activity>\n    <XtensibleInfo><LearnerRecordAction xmlns="urn:accme:pars">delete</LearnerRecordAction></XtensibleInfo>',
      );
      const response = await postXml(xmlDocument(deletion), 'application/xml', '');
      expect(response.body).toMatch(new RegExp(`<Receipt position="1" id="${receipt.id}" status="deleted" duplicate="false" late="false" deleted="true"/>`));
      const stored = (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json();
      expect(stored.deletedAt).not.toBeNull();
      expect(stored.history.at(-1)).toMatchObject({ action: 'deleted', reason: 'Deleted by the provider (LearnerRecordAction delete)' });

      const other = xmlReport(`<m:UniqueID domain="idd:accme.org:CA">A12345</m:UniqueID>`, addDays(today, -28));
      const [kept] = (await postXml(xmlDocument(other), 'application/json')).json() as Receipt[];
      const [deletedAsJson] = (await postXml(xmlDocument(other.replace('</Activity>', '</Activity><XtensibleInfo><LearnerRecordAction xmlns="urn:accme:pars">delete</LearnerRecordAction></XtensibleInfo>')), 'application/json', '')).json() as Receipt[];
      expect(deletedAsJson).toMatchObject({ id: kept.id, status: 'deleted', deleted: true, problems: [] });

      const [again] = (await postXml(xmlDocument(deletion), 'application/json', '')).json() as Receipt[];
      expect(again).toMatchObject({ id: null, status: 'rejected' });
      expect(codes(again)).toEqual(['report_not_found']);
    });

    it('refuses XML reports without a stated consent', async () => {
      const body = xmlDocument(xmlReport(`<m:UniqueID domain="idd:accme.org:NPI">${mariaNpi}</m:UniqueID>`, addDays(today, -17)));
      const [receipt] = (await postXml(body, 'application/json', '')).json() as Receipt[];
      expect(receipt.status).toBe('rejected');
      expect(codes(receipt)).toContain('consent_missing');
    });

    it('gives the schema’s reason and line for a report the schema rejects', async () => {
      const broken = xmlReport(`<m:UniqueID domain="idd:accme.org:NPI">${mariaNpi}</m:UniqueID>`, addDays(today, -18)).replace(
        '<Status>Completed</Status>',
        '<Status>Done</Status>',
      );
      const [receipt] = (await postXml(xmlDocument(broken), 'application/json')).json() as Receipt[];
      expect(receipt.status).toBe('rejected');
      const schemaProblem = receipt.problems.find((problem) => problem.code === 'xml_schema');
      expect(schemaProblem?.message).toMatch(/^Line \d+: .*Status/);

      const notXml = await postXml('<ActivityReports xmlns="http://ns.medbiq.org/activityreport/v2/"><DateTimeCreated>', 'application/json');
      expect(notXml.statusCode).toBeGreaterThanOrEqual(400);
      expect(notXml.statusCode).toBeLessThan(500);
      expect(notXml.json().detail).toMatch(/line \d+/i);
    });

    it('answers a report in the MedBiquitous layout when asked for XML, readable by the same reader', async () => {
      const byNpi = { firstName: 'Maria', lastName: 'Lopez', birthMonth: 3, birthDay: 14, npi: mariaNpi };
      const receipt = (await post(machine, report({ activityId: activity.series, learner: byNpi, completionDate: addDays(today, -27), credits: [{ type: 'AMA_PRA_CAT1', amount: 0.75 }] }))).json() as Receipt;
      expect(receipt.status).toBe('accepted');
      const response = await coordinator.request({ method: 'GET', url: `/api/v1/learner-reports/${receipt.id}`, headers: { accept: 'application/xml' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('application/xml');
      // The Accept header's weights are heeded: XML refused, or liked less than JSON, gets JSON.
      for (const [accept, type] of [
        ['application/xml;q=0', 'application/json'],
        ['application/xml;q=0.5, application/json', 'application/json'],
        ['application/json;q=0.4, text/xml', 'application/xml'],
        ['*/*', 'application/json'],
      ]) {
        const answered = await coordinator.request({ method: 'GET', url: `/api/v1/learner-reports/${receipt.id}`, headers: { accept } });
        expect(answered.headers['content-type'], accept).toContain(type);
      }
      const items = [];
      for await (const item of readActivityReports(fs.createReadStream(writeTemp(response.body)))) items.push(item);
      expect(items).toHaveLength(1);
      expect(items[0].problems).toEqual([]);
      expect(items[0].report).toMatchObject({
        activityId: activity.series,
        completionDate: addDays(today, -27),
        learner: { firstName: 'Maria', lastName: 'Lopez', birthMonth: '3', birthDay: '14', npi: mariaNpi },
        credits: [expect.objectContaining({ certification: 'AMA_PRA_CAT1', amount: '0.75', creditId: 'ccid:demo:1' })],
      });
    });

    function writeTemp(text: string): string {
      const file = path.join(rosterDir, `out-${Math.random().toString(36).slice(2)}.xml`);
      fs.writeFileSync(file, text);
      return file;
    }
  });

  describe('provider dashboard', () => {
    it('counts this month’s reports per activity, what is left to fix and how timely reporting is', async () => {
      const unknown = await post(coordinator, report({ activityId: 'NOT-OURS-7', completionDate: today }));
      expect(unknown.json()).toMatchObject({ status: 'rejected' });
      const dashboard = (await coordinator.get(`/api/v1/providers/${providerOrgId}/dashboard`)).json();
      // A report naming no activity of the provider is told apart from the activities, and listed after them.
      const rows = dashboard.activities as { activityId: string; title: string | null }[];
      const notOurs = rows.findIndex((row) => row.activityId === 'NOT-OURS-7');
      expect(rows[notOurs]).toMatchObject({ title: 'Not an activity of yours: "NOT-OURS-7"', rejected: 1 });
      expect(rows.slice(notOurs).every((row) => row.title?.startsWith('Not an activity of yours') || row.title === 'Rows with no activity ID')).toBe(true);
      expect(dashboard.month).toBe(today.slice(0, 7));
      expect(dashboard.thisMonth.total).toBeGreaterThan(0);
      expect(dashboard.toFix.rejected).toBeGreaterThan(0);
      expect(dashboard.timeliness.late).toBeGreaterThan(0);
      expect(dashboard.timeliness.onTimeShare).toBeGreaterThan(0);
      const series = dashboard.activities.find((row: { activityId: string }) => row.activityId === activity.series);
      expect(series).toMatchObject({ title: 'Grand Rounds' });
      expect(series.late).toBeGreaterThan(0);
      expect((await otherProvider.get(`/api/v1/providers/${providerOrgId}/dashboard`)).statusCode).toBe(404);
      // Named by its 7-digit provider ID, as uploads and reports name it: the same dashboard, and another's still not found.
      const providerId = (await coordinator.get('/api/v1/me')).json().organization.providerId as string;
      expect(providerId).toMatch(/^\d{7}$/);
      const byProviderId = await coordinator.get(`/api/v1/providers/${providerId}/dashboard`);
      expect(byProviderId.statusCode, byProviderId.body).toBe(200);
      expect(byProviderId.json().thisMonth).toEqual(dashboard.thisMonth);
      expect((await otherProvider.get(`/api/v1/providers/${providerId}/dashboard`)).statusCode).toBe(404);
      expect((await coordinator.get('/api/v1/providers/0000001/dashboard')).statusCode).toBe(404);
    });
  });

  describe('a board finding its own physicians', () => {
    type Licensee = { personId: string; name: string; birthMonth: number | null; birthDay: number | null; numbers: string[] };
    type FoundPage = { items: Array<CreditPage['items'][number] & { personId: string }>; nextCursor: string | null; licensees?: Licensee[]; moreLicensees?: boolean };
    let california: Session;
    let mariaId: string;
    let searchedReport: string;

    const search = async (session: Session, boardOrgId: string, q: string, more = '') => {
      const response = await session.get(`/api/v1/boards/${boardOrgId}/credits?q=${encodeURIComponent(q)}${more}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as FoundPage;
    };

    beforeAll(async () => {
      california = await login(t.app, demoLogins.boardStaff, demoPassword);
      expect((await california.get('/api/v1/me')).json().organization.id).toBe(boards.CA);
      const receipt = (await post(machine, report({
        activityId: activity.series, completionDate: addDays(today, -13), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], creditId: 'ccid:demo:search',
      }))).json() as Receipt;
      expect(receipt.status).toBe('accepted');
      searchedReport = receipt.id!;
      mariaId = (await coordinator.get(`/api/v1/learner-reports/${receipt.id}`)).json().personId;
      await loadRoster(boards.CA, [['Q1001', 'MD', 'Active', 'Avery', 'Quill', '2', '5', ''], ['Q1002', 'MD', 'Active', 'Blake', 'Quill', '9', '30', '']]);
    });

    it('finds a licensee by last name, however it is written, and lists only their credits', async () => {
      for (const written of ['Lopez', 'LÓPEZ', '  lopez ', 'Lopez, Maria', 'Maria Lopez', 'maria  LOPEZ']) {
        const found = await search(california, boards.CA, written);
        expect(found.licensees, written).toEqual([{ personId: mariaId, name: 'Maria Lopez', birthMonth: 3, birthDay: 14, numbers: ['A12345'] }]);
        expect(found.moreLicensees).toBe(false);
        expect(found.items.map((item) => item.reportId), written).toContain(searchedReport);
        expect(new Set(found.items.map((item) => item.personId)), written).toEqual(new Set([mariaId]));
      }
      // The first name with another's last name is no one.
      expect((await search(california, boards.CA, 'Maria Okafor')).licensees).toEqual([]);
    });

    it('finds a licensee by the board’s license number as the registry reads numbers, or by NPI', async () => {
      for (const written of ['A12345', 'a-012345', 'CA A12345', '12345', mariaNpi, `${mariaNpi.slice(0, 3)}-${mariaNpi.slice(3, 6)} ${mariaNpi.slice(6)}`]) {
        const found = await search(california, boards.CA, written);
        expect(found.licensees?.map((licensee) => licensee.name), written).toEqual(['Maria Lopez']);
        expect(found.items.map((item) => item.reportId), written).toContain(searchedReport);
      }
      expect((await search(california, boards.CA, 'A12346')).licensees).toEqual([]);
    });

    it('lists every licensee a search finds, by name, with their credits together', async () => {
      const found = await search(california, boards.CA, 'quill');
      expect(found.licensees?.map(({ name, numbers, birthMonth, birthDay }) => ({ name, numbers, birthMonth, birthDay }))).toEqual([
        { name: 'Avery Quill', numbers: ['Q1001'], birthMonth: 2, birthDay: 5 },
        { name: 'Blake Quill', numbers: ['Q1002'], birthMonth: 9, birthDay: 30 },
      ]);
      // What tells them apart, and never a year of birth.
      for (const licensee of found.licensees ?? []) expect(Object.keys(licensee).sort()).toEqual(['birthDay', 'birthMonth', 'name', 'numbers', 'personId']);
      expect(found.items).toEqual([]);
    });

    it('answers a search that finds no one with no one, never a refusal', async () => {
      const found = await search(california, boards.CA, 'Nobody');
      expect(found).toMatchObject({ items: [], nextCursor: null, licensees: [], moreLicensees: false });
      // Nothing that is no name, number or NPI finds everyone.
      expect(await search(california, boards.CA, '--')).toMatchObject({ items: [], licensees: [] });
    });

    it('never finds another board’s people, by name, license number or NPI', async () => {
      const washington = await boardSession('WA');
      // Washington licenses Maria too: it finds her with its own license, never California's number.
      expect((await search(washington, boards.WA, 'Lopez')).licensees).toEqual([
        { personId: mariaId, name: 'Maria Lopez', birthMonth: 3, birthDay: 14, numbers: ['MD60012345'] },
      ]);
      for (const written of ['Okafor', 'James Okafor', 'A23456', '1987654328', 'Quill', 'Q1001', 'A12345']) {
        const found = await search(washington, boards.WA, written);
        expect(found.licensees, written).toEqual([]);
        expect(found.items, written).toEqual([]);
      }
      const northCarolina = await boardSession('NC');
      for (const written of ['Lopez', 'Maria Lopez', 'A12345', 'MD60012345', mariaNpi]) {
        expect(await search(northCarolina, boards.NC, written), written).toMatchObject({ items: [], licensees: [] });
      }
      // Nor may it search in another board's list.
      expect((await northCarolina.get(`/api/v1/boards/${boards.CA}/credits?q=Lopez`)).statusCode).toBe(404);
    });

    it('finds a certifying board’s diplomates, and physicians reported MOC credit of its own, by name or board ID, with the board’s MOC lines', async () => {
      const abim = await login(t.app, demoLogins.certifyingBoardAdmin, demoPassword);
      const abimOrgId = (await abim.get('/api/v1/me')).json().organization.id as string;
      await post(machine, report({
        activityId: activity.course, completionDate: addDays(today, -14), creditId: 'ccid:demo:moc-search',
        credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }, { type: 'MOC_ABIM_MK', amount: 2 }],
      }));
      // Reported ABIM MOC credit, she is in ABIM's list of credits, and its search finds her, before its roster lists her.
      const reported = await search(abim, abimOrgId, 'lopez');
      expect(reported.licensees).toEqual([{ personId: mariaId, name: 'Maria Lopez', birthMonth: 3, birthDay: 14, numbers: [] }]);
      expect((await abim.get(`/api/v1/boards/${abimOrgId}/credits?personId=${mariaId}`)).json().licensees).toEqual(reported.licensees);
      const file = path.join(rosterDir, 'abim-diplomates.csv');
      fs.writeFileSync(file, ['Board ID,Certification status,First name,Last name,Birth month,Birth day,NPI', `300123,Certified,Maria,Lopez,3,14,${mariaNpi}`].join('\n'));
      await createRegistryService({ database: t.database }).loadRoster(systemContext('test roster'), abimOrgId, { source: file, format: 'csv', fileName: 'abim.csv' }, { fullRoster: false });
      for (const written of ['lopez', '300123']) {
        const found = await search(abim, abimOrgId, written);
        expect(found.licensees, written).toEqual([{ personId: mariaId, name: 'Maria Lopez', birthMonth: 3, birthDay: 14, numbers: ['300123'] }]);
        expect(found.items.length, written).toBeGreaterThan(0);
        expect(new Set(found.items.map((item) => item.creditType))).toEqual(new Set(['MOC_ABIM_MK']));
      }
      // A California license number is not the certifying board's to search by; Okafor is no diplomate.
      expect((await search(abim, abimOrgId, 'A12345')).licensees).toEqual([]);
      expect((await search(abim, abimOrgId, 'Okafor')).licensees).toEqual([]);
      // Nor is he found by id, as a licensing board does not find a physician it does not license.
      const okafor = await t.db.selectFrom('persons').select('id').where('last_name', '=', 'Okafor').executeTakeFirstOrThrow();
      expect((await abim.get(`/api/v1/boards/${abimOrgId}/credits?personId=${okafor.id}`)).statusCode).toBe(404);
    });

    it('names the physician of a list narrowed by personId, as a link gives it', async () => {
      const page = (await california.get(`/api/v1/boards/${boards.CA}/credits?personId=${mariaId}`)).json() as FoundPage;
      expect(page.licensees).toEqual([{ personId: mariaId, name: 'Maria Lopez', birthMonth: 3, birthDay: 14, numbers: ['A12345'] }]);
      expect(page.items.map((item) => item.reportId)).toContain(searchedReport);
      // The whole list names no one.
      expect((await california.get(`/api/v1/boards/${boards.CA}/credits`)).json()).not.toHaveProperty('licensees');
    });

    it('refuses a physician named by ID and searched for at once', async () => {
      const response = await california.get(`/api/v1/boards/${boards.CA}/credits?personId=${mariaId}&q=Lopez`);
      expect(response.statusCode).toBe(400);
      expect(response.json().problems).toEqual([expect.objectContaining({ code: 'physician_named_twice', field: 'q' })]);
    });

    it('refuses a date range whose start is after its end, saying so on the field', async () => {
      const response = await california.get(`/api/v1/boards/${boards.CA}/credits?since=2026-11-30&until=2026-11-01`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'dates_reversed',
        detail: 'The start date 2026-11-30 (since) is after the end date 2026-11-01 (until).',
        problems: [{ code: 'dates_reversed', field: 'since', message: 'The start date 2026-11-30 (since) is after the end date 2026-11-01 (until).' }],
      });
      // One day is a range.
      expect((await california.get(`/api/v1/boards/${boards.CA}/credits?since=2026-11-01&until=2026-11-01`)).statusCode).toBe(200);
    });

    it('pages a board’s credits on with the physician and dates its cursor was made with, and refuses it with others', async () => {
      const receipt = (await post(machine, report({
        activityId: activity.series, completionDate: addDays(today, -44), credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], creditId: 'ccid:demo:pages',
      }))).json() as Receipt;
      expect(receipt.status).toBe('accepted');
      const credits = (query: string) => california.get(`/api/v1/boards/${boards.CA}/credits?limit=1&${query}`);
      const first = await credits(`personId=${mariaId}`);
      const cursor = first.json().nextCursor as string;
      expect(cursor).toEqual(expect.any(String));
      const next = await credits(`personId=${mariaId}&cursor=${cursor}`);
      expect(next.statusCode, next.body).toBe(200);
      expect((next.json() as FoundPage).items.map((item) => item.personId)).toEqual([mariaId]);
      // Every licensee's credits, a search, or a range of dates would have gone on from Maria's place in her own list.
      for (const query of ['', 'q=Quill', `personId=${mariaId}&since=${addDays(today, -30)}`, `personId=${mariaId}&until=${today}`]) {
        const refused = await credits(`${query}&cursor=${cursor}`);
        expect(refused.statusCode, query).toBe(400);
        expect(refused.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringMatching(/^The cursor belongs to a listing with other filters.*without cursor/) });
      }
      // Another board's list, asked with the same filters, is a list of its own: a place in California's means nothing there.
      const everyLicensee = (await credits('')).json().nextCursor as string;
      const elsewhere = await (await boardSession('WA')).get(`/api/v1/boards/${boards.WA}/credits?limit=1&cursor=${everyLicensee}`);
      expect(elsewhere.statusCode, elsewhere.body).toBe(400);
      expect(elsewhere.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringMatching(/^The cursor belongs to another list/) });
    });

    it('writes each record a search read to the audit log, without what was searched for', async () => {
      const before = await t.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
      await search(california, boards.CA, 'Quill');
      await search(california, boards.CA, 'Nobody');
      const entries = await t.db.selectFrom('audit_log').select(['entity_type', 'entity_id', 'details'])
        .where('action', '=', 'licensee_credits.read').where('id', '>', Number(before.id)).execute();
      const quills = await t.db.selectFrom('persons').select('id').where('last_key', '=', 'quill').execute();
      expect(entries.filter((entry) => entry.entity_type === 'person').map((entry) => entry.entity_id).sort()).toEqual(quills.map((quill) => quill.id).sort());
      expect(entries.filter((entry) => entry.entity_type === 'board')).toHaveLength(1);
      expect(JSON.stringify(entries)).not.toMatch(/Quill|Nobody/i);
    });
  });

  describe('retention', () => {
    it('purges reports six years after the activity and leaves an aggregate trace', async () => {
      const before = await t.db.selectFrom('learner_reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const nothing = await t.hub.reports.purge(systemContext('retention job'));
      expect(nothing.purged).toBe(0);
      const result = await t.hub.reports.purge(systemContext('retention job'), { today: `${thisYear + 8}-01-01` });
      expect(result.purged).toBe(Number(before.n));
      const traces = await t.db.selectFrom('report_purge_traces').selectAll().execute();
      const course = traces.find((trace) => trace.activity_id === activity.course);
      expect(course?.report_count).toBeGreaterThan(0);
      expect(course?.credit_totals).toHaveProperty('AMA_PRA_CAT1');
      expect(JSON.stringify(traces)).not.toContain('Lopez');
      const physician = await login(t.app, demoLogins.physician, demoPassword);
      expect(((await physician.get('/api/v1/me/credits')).json() as CreditPage).items).toEqual([]);
    });
  });
});
