import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from './helpers.ts';
import type { Session, TestApp } from './helpers.ts';

/**
 * Every route that takes an id, called by a member of another organization, must answer 404, as if
 * the record did not exist. The walk covers every such route in the OpenAPI document; a new route
 * with an id fails this test until it has an entry here saying how to find a record that is not the
 * caller's.
 */
type Fixture = {
  /** The path with its ids filled in with a record of the demo provider (Demo Academy of Medicine). */
  path(context: FixtureContext): Promise<string> | string;
  /** A request body that would be valid for the record's owner, for write methods. */
  body?: unknown;
};
type FixtureContext = { t: TestApp; owner: Session; ownerOrganizationId: string };

/** A fresh activity of the demo provider, at `/api/v1/activities/<id><rest>`. */
function ownerActivityPath(rest: string) {
  return async ({ owner }: FixtureContext) => {
    const activity = await owner.post('/api/v1/activities', {
      providerActivityId: `OWNED-${Math.random().toString(36).slice(2)}`,
      title: 'Owned activity',
      type: 'EM',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
    });
    return `/api/v1/activities/${activity.json().id}${rest}`;
  };
}

const fixtures: Record<string, Fixture> = {
  '/api/v1/activities/{id}': { path: ownerActivityPath(''), body: { title: 'Taken over' } },
  '/api/v1/activities/{id}/copy': { path: ownerActivityPath('/copy'), body: { providerActivityId: 'TAKEN-OVER' } },
  '/api/v1/activities/{id}/reopen': { path: ownerActivityPath('/reopen'), body: { reason: 'Taking it over' } },
  '/api/v1/activities/{id}/history': { path: ownerActivityPath('/history') },
  '/api/v1/organizations/{id}': { path: ({ ownerOrganizationId }) => `/api/v1/organizations/${ownerOrganizationId}`, body: { name: 'Renamed' } },
  '/api/v1/organizations/{id}/users': {
    path: ({ ownerOrganizationId }) => `/api/v1/organizations/${ownerOrganizationId}/users`,
    body: { email: 'intruder@example.org', password: 'a long enough password', role: 'provider_staff' },
  },
  '/api/v1/organizations/{id}/users/{userId}': {
    async path({ t, ownerOrganizationId }) {
      const staff = await t.db.selectFrom('users').select('id').where('email', '=', demoLogins.providerStaff).executeTakeFirstOrThrow();
      return `/api/v1/organizations/${ownerOrganizationId}/users/${staff.id}`;
    },
  },
  '/api/v1/organizations/{id}/api-keys': {
    path: ({ ownerOrganizationId }) => `/api/v1/organizations/${ownerOrganizationId}/api-keys`,
    body: { name: 'intruder key' },
  },
  '/api/v1/organizations/{id}/api-keys/{keyId}': {
    async path({ owner, ownerOrganizationId }) {
      // A key for each outsider: an organization's keys in use each have a name of their own.
      const key = (await owner.post(`/api/v1/organizations/${ownerOrganizationId}/api-keys`, { name: `victim ${crypto.randomUUID()}` })).json();
      return `/api/v1/organizations/${ownerOrganizationId}/api-keys/${key.id}`;
    },
  },
  // Board roster routes under the demo provider's id: whoever is not of that organization is told "no such board".
  '/api/v1/boards/{orgId}/roster': { path: ({ ownerOrganizationId }) => `/api/v1/boards/${ownerOrganizationId}/roster` },
  '/api/v1/boards/{orgId}/roster/loads': { path: ({ ownerOrganizationId }) => `/api/v1/boards/${ownerOrganizationId}/roster/loads` },
  '/api/v1/boards/{orgId}/roster/loads/{loadId}': {
    path: ({ ownerOrganizationId }) => `/api/v1/boards/${ownerOrganizationId}/roster/loads/${crypto.randomUUID()}`,
  },
  '/api/v1/boards/{orgId}/roster/loads/{loadId}/receipt': {
    path: ({ ownerOrganizationId }) => `/api/v1/boards/${ownerOrganizationId}/roster/loads/${crypto.randomUUID()}/receipt`,
  },
  '/api/v1/boards/{orgId}/roster/loads/{loadId}/absent-inactive': {
    path: ({ ownerOrganizationId }) => `/api/v1/boards/${ownerOrganizationId}/roster/loads/${crypto.randomUUID()}/absent-inactive`,
  },
  '/api/v1/learner-reports/{id}': {
    path: async (context) => `/api/v1/learner-reports/${await pendingReportOf(context)}`,
    body: { credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }], reason: 'Typo in the credits' },
  },
  '/api/v1/providers/{id}/dashboard': { path: ({ ownerOrganizationId }) => `/api/v1/providers/${ownerOrganizationId}/dashboard` },
  '/api/v1/boards/{id}/credits': {
    async path({ t }) {
      // A board none of the outsiders belongs to.
      const washington = await t.db
        .selectFrom('organizations')
        .select('id')
        .where('kind', '=', 'licensing_board')
        .where('jurisdiction', '=', 'WA')
        .executeTakeFirstOrThrow();
      return `/api/v1/boards/${washington.id}/credits`;
    },
  },
  '/api/v1/uploads/{id}': { path: async (context) => `/api/v1/uploads/${await uploadOf(context)}` },
  '/api/v1/uploads/{id}/rows': { path: async (context) => `/api/v1/uploads/${await uploadOf(context)}/rows` },
  '/api/v1/uploads/{id}/receipt': { path: async (context) => `/api/v1/uploads/${await uploadOf(context)}/receipt` },
  '/api/v1/uploads/{id}/rows-to-fix': { path: async (context) => `/api/v1/uploads/${await uploadOf(context)}/rows-to-fix` },
  '/api/v1/uploads/{id}/stop': { path: async (context) => `/api/v1/uploads/${await uploadOf(context)}/stop` },
  '/api/v1/uploads/{id}/withdraw': { path: async (context) => `/api/v1/uploads/${await uploadOf(context)}/withdraw`, body: { reason: 'an outsider tries' } },
  '/api/v1/uploads/{id}/withdrawal-preview': { path: async (context) => `/api/v1/uploads/${await uploadOf(context)}/withdrawal-preview` },
};

/** An upload of the owner's: the learner file template with one row, for one of its activities. */
async function uploadOf({ owner }: FixtureContext): Promise<string> {
  const template = (await owner.get('/api/v1/uploads/template.csv')).body.split(/\r?\n/)[0];
  const activity = (await owner.get('/api/v1/activities?limit=1')).json().items[0];
  const row = template.split(',').map((heading) => (heading.replace(/^\uFEFF/, '') === 'Activity ID' ? activity.id : 'x')).join(',');
  const response = await owner.request({
    method: 'POST',
    url: `/api/v1/uploads?fileName=walk-${Math.random()}.csv&consent=written`,
    payload: `${template}\n${row}\n`,
    headers: { 'content-type': 'text/csv' },
  });
  const id = response.json().id;
  if (!id) throw new Error(`no upload was created: ${response.body}`);
  return id;
}

/** A pending learner report of the owner's: a learner the registry does not know, on a demo activity. */
async function pendingReportOf({ owner }: FixtureContext): Promise<string> {
  const activity = (await owner.get('/api/v1/activities?status=ready_to_close&limit=1')).json().items[0];
  const receipt = (
    await owner.post('/api/v1/learner-reports', {
      activityId: activity.id,
      completionDate: activity.startDate,
      learner: { firstName: 'Unknown', lastName: 'Learner', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 'A000001' },
      credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
      consent: 'written',
    })
  ).json();
  const id = (Array.isArray(receipt) ? receipt[0] : (receipt.results?.[0] ?? receipt)).id;
  if (!id) throw new Error(`no pending report was created: ${JSON.stringify(receipt)}`);
  return id;
}

/**
 * Routes with an id that are public or not tied to one organization's records. A physician claims a
 * pending report by its id only when it was made under their own name and birth date, whoever
 * reported it; the reports tests cover that a report that is not theirs answers 404.
 */
const notOrganizationScoped = new Set<string>(['/api/v1/me/claimable-reports/{id}/claim']);

describe('records of another organization', () => {
  let t: TestApp;
  let owner: Session;
  let outsiders: { name: string; session: Session }[];
  let ownerOrganizationId: string;
  let routes: { method: string; path: string }[];

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    owner = await login(t.app, demoLogins.providerAdmin, demoPassword);
    ownerOrganizationId = (await owner.get('/api/v1/me')).json().organization.id;
    outsiders = [
      { name: 'licensing board admin', session: await login(t.app, demoLogins.boardAdmin, demoPassword) },
      { name: 'certifying board admin', session: await login(t.app, demoLogins.certifyingBoardAdmin, demoPassword) },
      { name: 'physician', session: await login(t.app, demoLogins.physician, demoPassword) },
    ];
    // An admin of another provider: the closest kind of outsider.
    const operator = await login(t.app, demoLogins.operator, demoPassword);
    const otherProvider = (await operator.get('/api/v1/organizations?kind=provider&q=Northside')).json().items[0];
    await operator.post(`/api/v1/organizations/${otherProvider.id}/users`, {
      email: 'admin@northside.example.org',
      password: 'a long enough password',
      role: 'provider_admin',
    });
    outsiders.unshift({ name: 'other provider admin', session: await login(t.app, 'admin@northside.example.org', 'a long enough password') });

    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    routes = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.includes('{') && !notOrganizationScoped.has(path))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })));
  });
  afterAll(() => t.close());

  it('has a way to reach a foreign record for every route that takes an id', () => {
    const missing = [...new Set(routes.map((route) => route.path))].filter((path) => !fixtures[path]);
    expect(missing).toEqual([]);
  });

  it('answers 404 to every outsider on every such route', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const fixture = fixtures[route.path];
      if (!fixture) continue;
      for (const outsider of outsiders) {
        const url = await fixture.path({ t, owner, ownerOrganizationId });
        const response = await outsider.session.request({
          method: route.method as 'GET',
          url,
          payload: route.method === 'GET' ? undefined : (fixture.body as object | undefined),
        });
        if (response.statusCode !== 404) failures.push(`${outsider.name}: ${route.method} ${url} -> ${response.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
