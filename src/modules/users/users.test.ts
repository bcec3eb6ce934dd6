import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login, withApiKey } from '../../../test/helpers.ts';
import type { Session, TestApp } from '../../../test/helpers.ts';

describe('organization accounts and API keys', () => {
  let t: TestApp;
  let coordinator: Session;
  let staff: Session;
  let providerId: string;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    coordinator = await login(t.app, demoLogins.providerAdmin, demoPassword);
    staff = await login(t.app, demoLogins.providerStaff, demoPassword);
    providerId = (await coordinator.get('/api/v1/me')).json().organization.id;
  });
  afterAll(() => t.close());

  it('lets an admin add a staff member who can then log in, and remove them', async () => {
    const created = await coordinator.post(`/api/v1/organizations/${providerId}/users`, {
      email: 'New.Colleague@Demo-Provider.org',
      password: 'a long enough password',
      role: 'provider_staff',
      displayName: 'New Colleague',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: 'new.colleague@demo-provider.org', role: 'provider_staff' });
    await login(t.app, 'new.colleague@demo-provider.org', 'a long enough password');

    const listed = await coordinator.get(`/api/v1/organizations/${providerId}/users`);
    expect(listed.json().items.map((user: { email: string }) => user.email)).toContain('new.colleague@demo-provider.org');

    const removed = await coordinator.delete(`/api/v1/organizations/${providerId}/users/${created.json().id}`);
    expect(removed.statusCode).toBe(204);
    const loginAgain = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'new.colleague@demo-provider.org', password: 'a long enough password' },
    });
    expect(loginAgain.statusCode).toBe(401);
  });

  it('does not let an admin hand out a role from another kind of organization', async () => {
    const response = await coordinator.post(`/api/v1/organizations/${providerId}/users`, {
      email: 'wannabe@demo-provider.org',
      password: 'a long enough password',
      role: 'operator',
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().problems[0]).toMatchObject({ field: 'role', code: 'role_not_allowed' });
  });

  it('does not let staff manage accounts or keys', async () => {
    expect((await staff.get(`/api/v1/organizations/${providerId}/users`)).statusCode).toBe(403);
    expect((await staff.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'mine' })).statusCode).toBe(403);
  });

  it('refuses a duplicate email', async () => {
    const response = await coordinator.post(`/api/v1/organizations/${providerId}/users`, {
      email: demoLogins.providerStaff,
      password: 'a long enough password',
      role: 'provider_staff',
    });
    expect(response.statusCode).toBe(409);
  });

  it('shows an API key once, stores only its hash, records its use, and stops it when revoked', async () => {
    const created = await coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'LMS export' });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json();
    expect(key).toMatch(/^cmh_/);

    const stored = await t.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(stored.last_used_at).toBeNull();

    const client = withApiKey(t.app, key);
    const me = await client.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ kind: 'api_key', role: 'provider_staff', organization: { id: providerId } });

    const listed = (await coordinator.get(`/api/v1/organizations/${providerId}/api-keys`)).json().items;
    const listedKey = listed.find((item: { id: string }) => item.id === id);
    expect(listedKey.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(key);

    expect((await coordinator.delete(`/api/v1/organizations/${providerId}/api-keys/${id}`)).statusCode).toBe(204);
    const afterRevoke = await client.get('/api/v1/me');
    expect(afterRevoke.statusCode).toBe(401);
    expect(afterRevoke.json().code).toBe('invalid_api_key');
  });

  it('makes a key that expires work until its day, then refuses it saying that it expired and what to do', async () => {
    const created = await coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'Contractor feed', expiresInDays: 90 });
    expect(created.statusCode, created.body).toBe(201);
    const { id, key, expiresAt } = created.json();
    const days = (Date.parse(expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const client = withApiKey(t.app, key);
    const answered = await client.get('/api/v1/me');
    expect(answered.statusCode).toBe(200);
    // Every answer says when the key stops working, for the system sending with it to warn in time.
    expect(answered.headers['cmehub-api-key-expires']).toBe(expiresAt);
    const listed = (await coordinator.get(`/api/v1/organizations/${providerId}/api-keys`)).json().items as { id: string; expiresAt: string | null }[];
    expect(listed.find((item) => item.id === id)?.expiresAt).toBe(expiresAt);

    // Its day has come.
    await t.db.updateTable('api_keys').set({ expires_at: new Date('2026-01-31T12:00:00Z') }).where('id', '=', id).execute();
    const refused = await client.get('/api/v1/me');
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({
      code: 'api_key_expired',
      detail: 'The API key "Contractor feed" expired on 2026-01-31. An administrator of your organization can create a new one under API keys in the hub.',
    });

    // A key made without days works until revoked, which its answers do not announce; days out of bounds are refused, saying which.
    const lasting = (await coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'LMS' })).json();
    expect(lasting.expiresAt).toBeNull();
    expect((await withApiKey(t.app, lasting.key).get('/api/v1/me')).headers).not.toHaveProperty('cmehub-api-key-expires');
    const tooLong = await coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'LMS', expiresInDays: 5000 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('A key expires within 3,650 days');
  });

  it('does not let an API key create accounts or keys', async () => {
    const { key } = (await coordinator.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'robot' })).json();
    const robot = withApiKey(t.app, key);
    const response = await robot.post(`/api/v1/organizations/${providerId}/api-keys`, { name: 'another' });
    expect(response.statusCode).toBe(403);
  });
});
