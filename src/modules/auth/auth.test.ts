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

  it('refuses a cookie-authenticated write without the CSRF header, telling a program what to send', async () => {
    const signedIn = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: demoLogins.providerAdmin, password: demoPassword } });
    const cookies = Object.fromEntries(signedIn.cookies.map((cookie) => [cookie.name, cookie.value]));
    const cookie = Object.entries(cookies).map(([name, value]) => `${name}=${value}`).join('; ');
    const organization = (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json().organization.id;
    const createKey = (headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/organizations/${organization}/api-keys`, headers: { cookie, ...headers }, payload: { name: 'LMS' } });
    const whatToSend =
      'The form is out of date (CSRF check failed). Reload the page and try again. ' +
      "A program signed in with the session cookie sends the x-csrf-token header with each write, set to the cmehub_csrf cookie's value, or uses an API key instead";

    const withoutHeader = await createKey({});
    expect(withoutHeader.statusCode).toBe(403);
    expect(withoutHeader.json()).toMatchObject({ code: 'forbidden', detail: `${whatToSend}: this request has no x-csrf-token header.` });
    const forged = await createKey({ 'x-csrf-token': 'forged' });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().detail).toBe(`${whatToSend}: this request's x-csrf-token header is not the cmehub_csrf cookie's value of this sign-in.`);
    const withHeader = await createKey({ 'x-csrf-token': cookies.cmehub_csrf });
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
