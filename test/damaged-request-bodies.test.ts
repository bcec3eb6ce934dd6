import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, hubToday } from '../src/modules/activities/dates.ts';
import { brokenWords, seeded } from './damaged-files.ts';
import type { Random } from './damaged-files.ts';
import { createTestApp, demoLogins, demoPassword, login, openActivity } from './helpers.ts';
import type { Session, TestApp } from './helpers.ts';

// A request body a program puts together wrongly, in ways no one test foresees: a field of another type, left out,
// or added; a list for a choice, an object for a number. Each must be answered with what to fix (a 4xx whose words
// never read "undefined", "NaN" or "[object …]") or done: never a 500.

/** Values of every JSON type, and edges of each. */
const oddValues: unknown[] = [null, true, false, 0, -1, 1e308, 0.1, 2 ** 53 + 1, '', ' ', 'x'.repeat(10_000), '\u0000', '2026-02-30', '0000-01-01', '__proto__', { a: 1 }, [], [1, 2], [{}], '<b>', '\ud800'];

/** The body with some of its values, at any depth, replaced by an odd one, left out, or joined by a field of its own. */
function damageValue(random: Random, value: unknown): unknown {
  if (random.next() < 0.15) return random.pick(oddValues);
  if (Array.isArray(value)) return value.map((item) => damageValue(random, item));
  if (value === null || typeof value !== 'object') return value;
  const damaged: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (random.next() < 0.1) continue;
    damaged[key] = random.next() < 0.5 ? damageValue(random, item) : item;
  }
  if (random.next() < 0.05) damaged[random.pick(['extra', 'constructor', 'id'])] = random.pick(oddValues);
  return damaged;
}

type Target = { session: () => Session; method: 'POST' | 'PATCH'; url: () => string; body: () => unknown };

describe('damaged request bodies', () => {
  let t: TestApp;
  let coordinator: Session;
  let operator: Session;
  let activityId: string;
  let reportId: string;
  let organizationId: string;
  const today = hubToday();
  const report = () => ({
    activityId,
    completionDate: addDays(today, -2),
    learner: { firstName: 'Maria', lastName: 'Lopez', birthMonth: 3, birthDay: 14, state: 'CA', licenseNumber: 'A12345' },
    credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }],
    consent: 'written',
  });

  beforeAll(async () => {
    // Many requests a minute from one address, as no program sends them.
    t = await createTestApp({ demo: true, config: { addressRateLimitPerMinute: 100_000 } });
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    operator = await login(t.app, demoLogins.operator, demoPassword);
    activityId = (await coordinator.post('/api/v1/activities', openActivity({ title: 'Damaged bodies', providerActivityId: 'BODY-1' }))).json().id;
    reportId = (await coordinator.post('/api/v1/learner-reports', report())).json().id;
    organizationId = (await coordinator.get('/api/v1/me')).json().organization.id;
  });
  afterAll(() => t.close());

  it('answers every damaged body with what to fix, or does what it asks', async () => {
    const targets: Target[] = [
      { session: () => coordinator, method: 'POST', url: () => '/api/v1/learner-reports', body: report },
      { session: () => coordinator, method: 'PATCH', url: () => `/api/v1/learner-reports/${reportId}`, body: () => ({ credits: [{ type: 'AMA_PRA_CAT1', amount: 0.5 }], reason: 'Typed 1 for 0.5' }) },
      { session: () => coordinator, method: 'POST', url: () => '/api/v1/activities', body: () => openActivity({ title: 'New', providerActivityId: 'BODY-2' }) },
      { session: () => coordinator, method: 'PATCH', url: () => `/api/v1/activities/${activityId}`, body: () => ({ title: 'Renamed', credits: [{ type: 'AMA_PRA_CAT1', amount: 1 }] }) },
      { session: () => coordinator, method: 'POST', url: () => '/api/v1/learners/validate', body: () => report().learner },
      { session: () => coordinator, method: 'POST', url: () => `/api/v1/organizations/${organizationId}/api-keys`, body: () => ({ name: 'Learning system', expiresInDays: 30 }) },
      { session: () => coordinator, method: 'POST', url: () => `/api/v1/organizations/${organizationId}/users`, body: () => ({ email: 'new@demo-provider.org', name: 'New', role: 'provider_staff', password: 'a long enough password 1' }) },
      { session: () => operator, method: 'POST', url: () => '/api/v1/organizations', body: () => ({ kind: 'provider', name: 'Lakeside', providerId: '7654321' }) },
    ];
    const random = seeded(21);
    const wrong: string[] = [];
    for (let variant = 0; variant < 400; variant += 1) {
      const target = random.pick(targets);
      const body = damageValue(random, target.body());
      const response = await target.session().request({ method: target.method, url: target.url(), payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      const said = `variant ${variant}: ${target.method} ${target.url()} ${JSON.stringify(body).slice(0, 200)}`;
      if (response.statusCode >= 500) wrong.push(`${said}: ${response.statusCode} ${response.body}`);
      else if (response.statusCode >= 400) {
        const { detail, problems = [] } = response.json() as { detail?: string; problems?: { message: string }[] };
        wrong.push(...brokenWords([detail, ...problems.map((problem) => problem.message)]).map((message) => `${said}: ${message}`));
      }
    }
    expect(wrong).toEqual([]);
  });
});
