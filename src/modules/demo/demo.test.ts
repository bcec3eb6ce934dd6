import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { TestApp } from '../../../test/helpers.ts';

describe('the demo data set', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
  });
  afterAll(() => t.close());

  it('gives every role a login that lands in its organization', async () => {
    const expected = {
      operator: 'operator',
      providerAdmin: 'provider',
      providerStaff: 'provider',
      boardAdmin: 'licensing_board',
      boardStaff: 'licensing_board',
      certifyingBoardAdmin: 'certifying_board',
    } as const;
    for (const [who, kind] of Object.entries(expected)) {
      const me = (await (await login(t.app, demoLogins[who as keyof typeof expected], demoPassword)).get('/api/v1/me')).json();
      expect(me.organization.kind).toBe(kind);
    }
    const physician = (await (await login(t.app, demoLogins.physician, demoPassword)).get('/api/v1/me')).json();
    expect(physician).toMatchObject({ role: 'physician', organization: null });
  });

  it('has the demo physician linked to her registry record, with credits in her passport', async () => {
    const physician = await login(t.app, demoLogins.physician, demoPassword);
    const credits = await physician.get('/api/v1/me/credits');
    expect(credits.statusCode).toBe(200);
    expect(JSON.stringify(credits.json())).toContain('AMA_PRA_CAT1');
  });

  it('shows the provider accepted, pending and rejected reports to work on', async () => {
    const coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const statuses = (await coordinator.get('/api/v1/learner-reports?limit=50')).json().items.map((r: { status: string }) => r.status);
    expect(statuses).toEqual(expect.arrayContaining(['accepted', 'pending', 'rejected']));
  });

  it("lets the California board see its licensee's credits", async () => {
    const board = await login(t.app, demoLogins.boardAdmin, demoPassword);
    const boardId = (await board.get('/api/v1/me')).json().organization.id;
    const credits = await board.get(`/api/v1/boards/${boardId}/credits`);
    expect(credits.statusCode).toBe(200);
    expect(JSON.stringify(credits.json())).toContain('AMA_PRA_CAT1');
  });
});
