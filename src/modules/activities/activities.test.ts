import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login, withApiKey } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';
import { findActivitiesForReporting } from './activities.repository.ts';
import { addDays, hubToday } from './dates.ts';
import { isHubActivityId } from './hub-activity-id.ts';

const today = hubToday();
const nextMonth = addDays(today, 30);
const lastMonth = addDays(today, -30);

function course(providerActivityId: string, overrides: Record<string, unknown> = {}) {
  return {
    providerActivityId,
    title: 'Grand Rounds: Safer Opioid Prescribing',
    type: 'C',
    deliveryMethod: 'in_person',
    startDate: nextMonth,
    endDate: nextMonth,
    location: { city: 'Chicago', state: 'IL', country: 'USA' },
    credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }],
    ...overrides,
  };
}

const yearEnd = {
  commercialSupport: { received: false },
  learners: { physicians: 42, others: 0 },
  outcomes: [{ outcome: 'learner_competence', measurements: ['subjective'] }],
};

type ProblemJson = { code: string; field?: string; message: string };
const problemFields = (body: { problems?: ProblemJson[] }) => (body.problems ?? []).map((problem) => `${problem.field}:${problem.code}`);

describe('activities API', () => {
  let t: TestApp;
  let coordinator: Session;
  let machine: Session;
  let otherProvider: Session;
  let board: Session;
  let providerOrgId: string;

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    providerOrgId = (await coordinator.get('/api/v1/me')).json().organization.id;
    const key = (await coordinator.post(`/api/v1/organizations/${providerOrgId}/api-keys`, { name: 'LMS' })).json();
    machine = withApiKey(t.app, key.key);
    const operator = await login(t.app, demoLogins.operator, demoPassword);
    const northside = (await operator.get('/api/v1/organizations?kind=provider&q=Northside')).json().items[0];
    await operator.post(`/api/v1/organizations/${northside.id}/users`, {
      email: 'coordinator@northside.example.org',
      password: 'a long enough password',
      role: 'provider_admin',
    });
    otherProvider = await login(t.app, 'coordinator@northside.example.org', 'a long enough password');
    board = await login(t.app, demoLogins.boardAdmin, demoPassword);
  });
  afterAll(() => t.close());

  describe('create, update and read', () => {
    it('creates a draft with a 9-digit hub activity ID from the minimal fields', async () => {
      const response = await machine.post('/api/v1/activities', course('API-001'));
      expect(response.statusCode).toBe(201);
      const activity = response.json();
      expect(isHubActivityId(activity.id)).toBe(true);
      expect(activity).toMatchObject({
        providerActivityId: 'API-001',
        status: 'draft',
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }],
        providership: 'direct',
        allowedStatusChanges: ['active'],
      });
    });

    it('updates instead of duplicating when the same provider activity ID is sent again', async () => {
      const first = (await machine.post('/api/v1/activities', course('API-002'))).json();
      const again = await machine.post('/api/v1/activities', course('API-002', { title: 'Grand Rounds (revised)' }));
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id: first.id, title: 'Grand Rounds (revised)' });
      const list = (await machine.get('/api/v1/activities?providerActivityId=API-002')).json();
      expect(list.items).toHaveLength(1);
    });

    it('makes one activity when the same one is sent twice at once', async () => {
      const responses = await Promise.all([
        machine.post('/api/v1/activities', course('API-RACE')),
        machine.post('/api/v1/activities', course('API-RACE', { title: 'Sent twice' })),
      ]);
      expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 201]);
      expect(new Set(responses.map((response) => response.json().id)).size).toBe(1);
      expect((await machine.get('/api/v1/activities?providerActivityId=API-RACE')).json().items).toHaveLength(1);
    });

    it('keeps a title holding half of a character\'s UTF-16 pair, with the replacement character in its place', async () => {
      // What a system that cut a string between the two halves of an emoji sends.
      const response = await machine.post('/api/v1/activities', course('API-HALF', { title: 'Grand Rounds \ud83d', topics: ['implicit_bias'] }));
      expect(response.statusCode, response.body).toBe(201);
      expect((await machine.get(`/api/v1/activities/${response.json().id}`)).json()).toMatchObject({ title: 'Grand Rounds \ufffd', topics: ['implicit_bias'] });
    });

    it('reports every problem at once, per field, in words a coordinator understands', async () => {
      const response = await coordinator.post('/api/v1/activities', {
        providerActivityId: 'BAD-1',
        title: '',
        type: 'WEBINAR',
        startDate: '2026-05-02',
        endDate: '2026-05-01',
        location: { city: 'Lyon', country: 'FR' },
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1.1 }],
      });
      expect(response.statusCode).toBe(422);
      const body = response.json();
      expect(problemFields(body)).toEqual([
        'title:required',
        'type:invalid_code',
        'endDate:end_before_start',
        'location.country:invalid_country',
        'credits.0.amount:not_quarter_step',
      ]);
      const messages = body.problems.map((problem: ProblemJson) => problem.message);
      expect(messages).toContain('End date is before start date.');
      expect(messages).toContain('Country must be a 3-letter code: "FR" is the 2-letter code of France, whose 3-letter code is FRA.');
      expect((await coordinator.get('/api/v1/activities?providerActivityId=BAD-1')).json().items).toEqual([]);
    });

    it('answers a wrongly shaped body with 400 and the field', async () => {
      const response = await coordinator.post('/api/v1/activities', { ...course('SHAPE-1'), credits: 'lots' });
      expect(response.statusCode).toBe(400);
      expect(problemFields(response.json())).toEqual([expect.stringMatching(/^credits:/)]);
    });

    it('gets an activity with its learner report count', async () => {
      const created = (await machine.post('/api/v1/activities', course('API-003', { topics: ['opioid_prescribing'] }))).json();
      const response = await coordinator.get(`/api/v1/activities/${created.id}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: created.id, topics: ['opioid_prescribing'], learnerReportCount: 0 });
    });

    it("hides another provider's activity from other providers and boards (404)", async () => {
      const created = (await machine.post('/api/v1/activities', course('API-004'))).json();
      for (const outsider of [otherProvider, board]) {
        expect((await outsider.get(`/api/v1/activities/${created.id}`)).statusCode).toBe(404);
        expect((await outsider.patch(`/api/v1/activities/${created.id}`, { title: 'Mine now' })).statusCode).toBe(404);
        expect((await outsider.delete(`/api/v1/activities/${created.id}`)).statusCode).toBe(404);
      }
      const theirs = (await otherProvider.get('/api/v1/activities?limit=200')).json().items;
      expect(theirs.map((item: { id: string }) => item.id)).not.toContain(created.id);
      expect((await board.get('/api/v1/activities')).statusCode).toBe(403);
    });

    it('replaces with PUT, clearing what is left out', async () => {
      const created = (
        await machine.post('/api/v1/activities', course('API-005', { description: 'Case-based', specialties: ['Internal Medicine'] }))
      ).json();
      const response = await machine.request({
        method: 'PUT',
        url: `/api/v1/activities/${created.id}`,
        payload: course('API-005', { title: 'Replaced' }),
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ title: 'Replaced', description: null, specialties: [] });
    });

    it('changes only what a partial update names, merging nested fields', async () => {
      const created = (await machine.post('/api/v1/activities', course('API-006', { description: 'Case-based' }))).json();
      const response = await machine.patch(`/api/v1/activities/${created.id}`, {
        title: 'Patched',
        description: null,
        location: { city: 'Evanston' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        title: 'Patched',
        description: null,
        location: { city: 'Evanston', state: 'IL', country: 'USA' },
        credits: [{ type: 'AMA_PRA_CAT1', amount: 1.5 }],
      });
    });

    it('answers a partial update of the wrong shape with 400 and the field', async () => {
      const created = (await machine.post('/api/v1/activities', course('API-010'))).json();
      const response = await machine.patch(`/api/v1/activities/${created.id}`, { credits: 'lots', title: 7 });
      expect(response.statusCode).toBe(400);
      expect(response.json().problems.map((problem: ProblemJson) => problem.field).sort()).toEqual(['credits', 'title']);
    });

    it('refuses to give a provider activity ID that another activity has', async () => {
      const a = (await machine.post('/api/v1/activities', course('API-007'))).json();
      await machine.post('/api/v1/activities', course('API-008'));
      const response = await machine.patch(`/api/v1/activities/${a.id}`, { providerActivityId: 'API-008' });
      expect(response.statusCode).toBe(409);
      expect(problemFields(response.json())).toEqual(['providerActivityId:provider_activity_id_taken']);
    });

    it('keeps MOC registrations and designates their credit types for reporting', async () => {
      const created = (
        await machine.post(
          '/api/v1/activities',
          course('API-009', {
            credits: [
              { type: 'AMA_PRA_CAT1', amount: 2 },
              { type: 'NURSING', amount: 2 },
            ],
            mocRegistrations: [{ board: 'ABIM', points: 2, creditTypes: ['MK', 'PR'], claimDate: addDays(nextMonth, 60) }],
          }),
        )
      ).json();
      expect(created.mocRegistrations).toEqual([
        { board: 'ABIM', points: 2, creditTypes: ['MOC_ABIM_MK', 'MOC_ABIM_PR'], claimDate: addDays(nextMonth, 60) },
      ]);
      expect(created.credits).toEqual([
        { type: 'AMA_PRA_CAT1', amount: 2 },
        { type: 'NURSING', amount: 2 },
      ]);
      const found = await findActivitiesForReporting(t.db, providerOrgId, [created.id, '999999999']);
      expect([...found.keys()]).toEqual([created.id]);
      expect(found.get(created.id)).toMatchObject({
        type: 'C',
        status: 'draft',
        credits: [
          { type: 'AMA_PRA_CAT1', amount: 2 },
          { type: 'MOC_ABIM_MK', amount: 2 },
          { type: 'MOC_ABIM_PR', amount: 2 },
          { type: 'NURSING', amount: 2 },
        ],
      });
      const otherOrgId = (await otherProvider.get('/api/v1/me')).json().organization.id;
      expect((await findActivitiesForReporting(t.db, otherOrgId, [created.id])).size).toBe(0);
    });
  });

  it('tells API clients every allowed value with its label', async () => {
    const vocabulary = (await machine.get('/api/v1/activities/vocabulary')).json();
    expect(vocabulary.types).toContainEqual({ code: 'RSS', label: 'Regularly Scheduled Series' });
    expect(vocabulary.mocBoards.find((board: { code: string }) => board.code === 'ABIM').creditTypes).toContainEqual({
      code: 'MOC_ABIM_MK',
      label: 'Medical knowledge',
    });
    expect(vocabulary.countries).toContainEqual({ code: 'USA', label: 'United States' });
  });

  it('has the demo provider\'s year of activities', async () => {
    const demo = (await coordinator.get('/api/v1/activities?q=DEMO-&limit=50')).json().items;
    expect(demo.map((activity: { status: string }) => activity.status).sort()).toEqual([
      'active', 'active', 'active', 'active', 'active', 'closed', 'draft', 'ready_to_close',
    ]);
  });

  describe('list', () => {
    let ids: Record<string, string>;
    beforeAll(async () => {
      const session = await login(t.app, demoLogins.providerStaff, demoPassword);
      ids = {};
      const rows: [string, Record<string, unknown>][] = [
        ['LIST-A', { title: 'Anatomy review', type: 'EM', deliveryMethod: 'online', location: null, startDate: '2025-01-10', endDate: '2025-12-31' }],
        ['LIST-B', { title: 'Bedside ultrasound', startDate: '2025-03-01', endDate: '2025-03-02' }],
        ['LIST-C', { title: 'Cardiology update', startDate: '2025-06-01', endDate: '2025-06-01', status: 'ready_to_close' }],
      ];
      for (const [id, overrides] of rows) {
        ids[id] = (await session.post('/api/v1/activities', course(id, overrides))).json().id;
      }
    });

    const idsOf = (response: { json(): { items: { id: string }[] } }) => response.json().items.map((item) => item.id);

    it('filters by status, type, dates and text', async () => {
      expect(idsOf(await coordinator.get('/api/v1/activities?status=ready_to_close&q=LIST-'))).toEqual([ids['LIST-C']]);
      expect(idsOf(await coordinator.get('/api/v1/activities?type=EM&q=LIST-'))).toEqual([ids['LIST-A']]);
      expect(idsOf(await coordinator.get('/api/v1/activities?from=2025-02-01&to=2025-04-01&q=LIST-&sort=startDate&order=asc'))).toEqual([
        ids['LIST-A'],
        ids['LIST-B'],
      ]);
      expect(idsOf(await coordinator.get('/api/v1/activities?q=ultrasound'))).toEqual([ids['LIST-B']]);
      expect(idsOf(await coordinator.get(`/api/v1/activities?q=${ids['LIST-C']}`))).toEqual([ids['LIST-C']]);
    });

    it('sorts and pages with a cursor', async () => {
      const first = await coordinator.get('/api/v1/activities?q=LIST-&sort=title&order=asc&limit=2');
      expect(idsOf(first)).toEqual([ids['LIST-A'], ids['LIST-B']]);
      const cursor = first.json().nextCursor;
      expect(cursor).toEqual(expect.any(String));
      const second = await coordinator.get(`/api/v1/activities?q=LIST-&sort=title&order=asc&limit=2&cursor=${cursor}`);
      expect(idsOf(second)).toEqual([ids['LIST-C']]);
      expect(second.json().nextCursor).toBeNull();
      // A page size out of range is told in words, with the most a page lists.
      const tooMany = await coordinator.get('/api/v1/activities?limit=201');
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().problems[0].message).toBe('The limit is a whole number from 1 to 200 (given once)');
    });

    it('refuses a cursor of another order or list, or one changed, saying to start again', async () => {
      const byTitle = (await coordinator.get('/api/v1/activities?q=LIST-&sort=title&order=asc&limit=2')).json().nextCursor as string;
      const cursorOf = (position: unknown) => Buffer.from(JSON.stringify(position)).toString('base64url');
      for (const query of [
        // A title compared with the start dates, or a page of the other direction.
        `sort=startDate&order=asc&cursor=${byTitle}`,
        `sort=title&order=desc&cursor=${byTitle}`,
        `sort=updatedAt&cursor=${cursorOf({ sort: 'updatedAt', order: 'desc', value: 'nope', id: ids['LIST-A'] })}`,
        `sort=startDate&cursor=${cursorOf({ sort: 'startDate', order: 'desc', value: '2026-02-30', id: ids['LIST-A'] })}`,
        // The organizations' cursor, and the uploads'.
        `cursor=${cursorOf({ name: 'Northside', id: '0190b6c2-8a4e-7000-8000-000000000000' })}`,
        `cursor=${cursorOf({ createdAt: '2026-12-05T19:17:31.745Z', id: '0190b6c2-8a4e-7000-8000-000000000000' })}`,
      ]) {
        const refused = await coordinator.get(`/api/v1/activities?q=LIST-&limit=2&${query}`);
        expect(refused.statusCode, `${query}: ${refused.body}`).toBe(400);
        expect(refused.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringContaining('another list') });
      }
    });

    it('refuses a cursor with filters other than those it was made with, saying to start again without it', async () => {
      const first = await coordinator.get('/api/v1/activities?q=LIST-&status=draft,ready_to_close&sort=title&order=asc&limit=1');
      expect(idsOf(first)).toEqual([ids['LIST-A']]);
      const cursor = first.json().nextCursor as string;
      // The same filters, their values in another order, page on.
      expect(idsOf(await coordinator.get(`/api/v1/activities?q=LIST-&status=ready_to_close,draft&sort=title&order=asc&limit=5&cursor=${cursor}`))).toEqual([ids['LIST-B'], ids['LIST-C']]);
      for (const filters of ['q=LIST-', 'q=LIST-&status=draft', 'status=draft,ready_to_close', 'q=LIST-&status=draft,ready_to_close&type=EM', 'q=LIST-&status=draft,ready_to_close&from=2025-05-01']) {
        const refused = await coordinator.get(`/api/v1/activities?${filters}&sort=title&order=asc&limit=5&cursor=${cursor}`);
        expect(refused.statusCode, filters).toBe(400);
        expect(refused.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringMatching(/^The cursor belongs to a listing with other filters.*without cursor/) });
      }
    });

    it('says which filter value is wrong', async () => {
      const response = await coordinator.get('/api/v1/activities?status=open');
      expect(response.statusCode).toBe(400);
      expect(response.json().problems[0].message).toMatch(/Status must be one or more of draft, active/);
    });
  });

  describe('lifecycle', () => {
    it('activates only an activity that has not ended', async () => {
      const running = (await machine.post('/api/v1/activities', course('LIFE-1'))).json();
      expect((await machine.patch(`/api/v1/activities/${running.id}`, { status: 'active' })).json().status).toBe('active');

      const ended = (await machine.post('/api/v1/activities', course('LIFE-2', { startDate: lastMonth, endDate: lastMonth }))).json();
      const refused = await machine.patch(`/api/v1/activities/${ended.id}`, { status: 'active' });
      expect(refused.statusCode).toBe(422);
      expect(problemFields(refused.json())).toEqual(['status:end_date_past']);
    });

    it('is ready to close only after the end date', async () => {
      const running = (await machine.post('/api/v1/activities', course('LIFE-3', { status: 'active' }))).json();
      const early = await machine.patch(`/api/v1/activities/${running.id}`, { status: 'ready_to_close' });
      expect(problemFields(early.json())).toEqual(['status:end_date_not_past']);
    });

    it('closes only with outcomes, commercial support, learner counts, joint providers and MOC details', async () => {
      const ended = (
        await machine.post(
          '/api/v1/activities',
          course('LIFE-4', {
            startDate: lastMonth,
            endDate: lastMonth,
            providership: 'joint',
            mocRegistrations: [{ board: 'ABP', points: 1.5, creditTypes: ['LA'] }],
            status: 'ready_to_close',
          }),
        )
      ).json();
      const refused = await machine.patch(`/api/v1/activities/${ended.id}`, { status: 'closed' });
      expect(refused.statusCode).toBe(422);
      expect(problemFields(refused.json())).toEqual([
        'outcomes:required_to_close',
        'commercialSupport.received:required_to_close',
        'learners.physicians:required_to_close',
        'learners.others:required_to_close',
        'jointProviders:required_to_close',
        'mocRegistrations.0.claimDate:required_to_close',
      ]);
      expect((await machine.get(`/api/v1/activities/${ended.id}`)).json().status).toBe('ready_to_close');

      const closed = await machine.patch(`/api/v1/activities/${ended.id}`, {
        ...yearEnd,
        learners: { physicians: 0, others: 0 },
        jointProviders: ['County Medical Society'],
        mocRegistrations: [{ board: 'ABP', points: 1.5, creditTypes: ['LA'], claimDate: today }],
        status: 'closed',
      });
      expect(closed.statusCode).toBe(200);
      expect(closed.json()).toMatchObject({ status: 'closed', closedAt: expect.any(String), allowedStatusChanges: [] });
    });

    it('takes no changes to a closed activity until it is reopened, and audits the reopening', async () => {
      const closed = (
        await machine.post('/api/v1/activities', course('LIFE-5', { startDate: lastMonth, endDate: lastMonth, ...yearEnd, status: 'closed' }))
      ).json();
      expect(closed.status).toBe('closed');

      const edit = await machine.patch(`/api/v1/activities/${closed.id}`, { title: 'Changed after closing' });
      expect(edit.statusCode).toBe(409);
      expect(edit.json().code).toBe('activity_closed');
      const move = await machine.patch(`/api/v1/activities/${closed.id}`, { status: 'active' });
      expect(problemFields(move.json())).toEqual(['status:reopen_required']);
      expect((await machine.post('/api/v1/activities', course('LIFE-5', { startDate: lastMonth, endDate: lastMonth, ...yearEnd })))
        .statusCode).toBe(409);

      const noReason = await coordinator.post(`/api/v1/activities/${closed.id}/reopen`, { reason: '' });
      expect(noReason.statusCode).toBe(400);
      const reopened = await coordinator.post(`/api/v1/activities/${closed.id}/reopen`, { reason: 'Late learner reports from the LMS' });
      expect(reopened.statusCode).toBe(200);
      expect(reopened.json()).toMatchObject({ status: 'ready_to_close', closedAt: null });
      expect((await coordinator.post(`/api/v1/activities/${closed.id}/reopen`, { reason: 'Again please' })).statusCode).toBe(409);

      const history = (await coordinator.get(`/api/v1/activities/${closed.id}/history`)).json().items;
      expect(history[0]).toMatchObject({
        action: 'activity.reopen',
        actorLabel: expect.any(String),
        details: { statusFrom: 'closed', statusTo: 'ready_to_close', reason: 'Late learner reports from the LMS' },
      });
      expect(history.at(-1).action).toBe('activity.create');
    });

    it('sends the same activity twice without a change or a history entry', async () => {
      const body = course('LIFE-6', { status: 'active' });
      const created = (await machine.post('/api/v1/activities', body)).json();
      const again = await machine.post('/api/v1/activities', body);
      expect(again.statusCode).toBe(200);
      expect(again.json().updatedAt).toBe(created.updatedAt);
      expect((await machine.get(`/api/v1/activities/${created.id}/history`)).json().items).toHaveLength(1);
    });
  });

  describe('delete and copy', () => {
    it('deletes an activity without learner reports and never reuses its ID', async () => {
      const doomed = (await machine.post('/api/v1/activities', course('DEL-1'))).json();
      expect((await machine.delete(`/api/v1/activities/${doomed.id}`)).statusCode).toBe(204);
      expect((await machine.get(`/api/v1/activities/${doomed.id}`)).statusCode).toBe(404);
      const next = (await machine.post('/api/v1/activities', course('DEL-1'))).json();
      expect(next.id).not.toBe(doomed.id);
    });

    it('keeps an activity that has learner reports', async () => {
      const reported = (await machine.post('/api/v1/activities', course('DEL-2', { status: 'active' }))).json();
      await sql`insert into learner_reports (provider_org_id, activity_id, status, reported_by)
        values (${providerOrgId}, ${reported.id}, 'rejected', 'test')`.execute(t.db);
      const response = await machine.delete(`/api/v1/activities/${reported.id}`);
      expect(response.statusCode).toBe(409);
      expect(response.json().code).toBe('activity_has_learner_reports');
      expect((await machine.get(`/api/v1/activities/${reported.id}`)).json().learnerReportCount).toBe(1);
    });

    it("copies last year's course as a new draft with dates moved and year-end data left behind", async () => {
      const original = (
        await machine.post(
          '/api/v1/activities',
          course('COPY-2025', {
            startDate: '2025-03-10',
            endDate: '2025-03-12',
            topics: ['implicit_bias'],
            mocRegistrations: [{ board: 'ABIM', points: 1.5, creditTypes: ['MK'], claimDate: '2025-06-30' }],
            ...yearEnd,
            status: 'closed',
          }),
        )
      ).json();
      const response = await machine.post(`/api/v1/activities/${original.id}/copy`, { providerActivityId: 'COPY-2026', startDate: '2026-03-09' });
      expect(response.statusCode).toBe(201);
      const copy = response.json();
      expect(copy.id).not.toBe(original.id);
      expect(copy).toMatchObject({
        providerActivityId: 'COPY-2026',
        title: original.title,
        status: 'draft',
        startDate: '2026-03-09',
        endDate: '2026-03-11',
        topics: ['implicit_bias'],
        mocRegistrations: [{ board: 'ABIM', points: 1.5, creditTypes: ['MOC_ABIM_MK'], claimDate: '2026-06-29' }],
        commercialSupport: null,
        learners: { physicians: null, others: null },
        outcomes: [],
      });
      const taken = await machine.post(`/api/v1/activities/${original.id}/copy`, { providerActivityId: 'COPY-2026' });
      expect(taken.statusCode).toBe(409);
    });
  });
});
