import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoLogins, demoPassword, login } from '../../../test/helpers.ts';
import type { TestApp } from '../../../test/helpers.ts';

describe('logging in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true, config: { loginRateLimitPerMinute: 1000 } });
  });
  afterAll(() => t.close());

  it('sets an HttpOnly, SameSite=Lax session cookie and a readable CSRF cookie', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: demoLogins.providerAdmin, password: demoPassword },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({ email: demoLogins.providerAdmin, role: 'provider_admin' });
    const session = response.cookies.find((cookie) => cookie.name === 'cmehub_session');
    const csrf = response.cookies.find((cookie) => cookie.name === 'cmehub_csrf');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(csrf?.httpOnly).toBeFalsy();
  });

  it('tells who is logged in, with role and organization', async () => {
    const session = await login(t.app, demoLogins.boardAdmin, demoPassword);
    const me = await session.get('/api/v1/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      kind: 'user',
      role: 'board_admin',
      organization: { kind: 'licensing_board', jurisdiction: 'CA', boardType: 'MD' },
    });
  });

  it('refuses a wrong password with the same answer as an unknown email', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: demoLogins.providerStaff, password: 'not the password' },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.org', password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toContain('application/problem+json');
    expect(wrong.json().code).toBe('invalid_credentials');
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    const attempt = (password: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: demoLogins.physician, password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password!')).statusCode).toBe(401);
    const locked = await attempt(demoPassword);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'too_many_attempts' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const session = await login(t.app, demoLogins.providerAdmin, demoPassword);
    const me = (await session.get('/api/v1/me')).json();
    const withoutHeader = await session.request({
      method: 'POST',
      url: `/api/v1/organizations/${me.organization.id}/api-keys`,
      payload: { name: 'LMS' },
      headers: { 'x-csrf-token': 'forged' },
    });
    expect(withoutHeader.statusCode).toBe(403);
    const withHeader = await session.post(`/api/v1/organizations/${me.organization.id}/api-keys`, { name: 'LMS' });
    expect(withHeader.statusCode).toBe(201);
  });

  it('ends the session on logout', async () => {
    const session = await login(t.app, demoLogins.providerStaff, demoPassword);
    expect((await session.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await session.get('/api/v1/me')).statusCode).toBe(401);
  });

  it('changes a password, which then works and ends other sessions', async () => {
    const first = await login(t.app, demoLogins.boardStaff, demoPassword);
    const second = await login(t.app, demoLogins.boardStaff, demoPassword);
    const tooShort = await first.post('/api/v1/auth/password', { currentPassword: demoPassword, newPassword: 'short' });
    expect(tooShort.statusCode).toBe(422);
    expect(tooShort.json().problems[0]).toMatchObject({ field: 'newPassword' });
    const changed = await first.post('/api/v1/auth/password', {
      currentPassword: demoPassword,
      newPassword: 'a much longer new password',
    });
    expect(changed.statusCode).toBe(204);
    expect((await second.get('/api/v1/me')).statusCode).toBe(401);
    expect((await first.get('/api/v1/me')).statusCode).toBe(200);
    await login(t.app, demoLogins.boardStaff, 'a much longer new password');
  });

  it('stores passwords as argon2id hashes', async () => {
    const row = await t.db.selectFrom('users').select('password_hash').where('email', '=', demoLogins.operator).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });
});
