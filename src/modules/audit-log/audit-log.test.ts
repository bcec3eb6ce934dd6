import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';

describe('audit log', () => {
  let t: TestApp;
  let operator: Session;
  let coordinator: Session;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    operator = await login(t.app, demoLogins.operator, demoPassword);
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
  });
  afterAll(() => t.close());

  it('records who did what to which record, with the request id', async () => {
    const providerId = (await coordinator.get('/api/v1/me')).json().organization.id;
    const created = await coordinator.request({
      method: 'POST',
      url: `/api/v1/organizations/${providerId}/api-keys`,
      payload: { name: 'audited key' },
      headers: { 'x-request-id': 'req-audit-test-1' },
    });
    const keyId = created.json().id;
    const search = await operator.get(`/api/v1/audit-log?entityType=api_key&entityId=${keyId}`);
    expect(search.statusCode).toBe(200);
    expect(search.json().items).toEqual([
      expect.objectContaining({
        action: 'api_key.create',
        actorType: 'user',
        actorLabel: demoLogins.providerAdmin,
        organizationId: providerId,
        requestId: 'req-audit-test-1',
      }),
    ]);
  });

  it('is for the operator only', async () => {
    expect((await coordinator.get('/api/v1/audit-log')).statusCode).toBe(403);
  });

  it('cannot be edited or erased', async () => {
    await expect(sql`update audit_log set action = 'nothing happened'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('filters by action and pages back in time', async () => {
    const first = (await operator.get('/api/v1/audit-log?action=auth.login&limit=1')).json();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (await operator.get(`/api/v1/audit-log?action=auth.login&limit=1&cursor=${first.nextCursor}`)).json();
    expect(Number(second.items[0].id)).toBeLessThan(Number(first.items[0].id));
  });

  it('refuses a cursor with filters other than those it was made with, saying to start again without it', async () => {
    await login(t.app, demoLogins.operator, demoPassword);
    await login(t.app, demoLogins.operator, demoPassword);
    const { nextCursor } = (await operator.get('/api/v1/audit-log?action=auth.login&limit=1')).json();
    expect((await operator.get(`/api/v1/audit-log?action=auth.login&limit=1&cursor=${nextCursor}`)).json().items).toEqual([expect.objectContaining({ action: 'auth.login' })]);
    // Every entry, or another action's, would have gone on from where the logins stopped.
    for (const filters of ['', 'action=api_key.create', 'action=auth.login&from=2020-01-01']) {
      const refused = await operator.get(`/api/v1/audit-log?${filters}&limit=1&cursor=${nextCursor}`);
      expect(refused.statusCode, filters).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'invalid_cursor', detail: expect.stringMatching(/^The cursor belongs to a listing with other filters.*without cursor/) });
    }
  });
});
