import type { Executor } from '../../db/database.ts';
import { executePrepared } from '../../db/prepared-statements.ts';

export function findUserForLogin(executor: Executor, email: string) {
  return executor
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'role', 'password_hash', 'failed_login_count', 'locked_until'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function recordFailedLogin(executor: Executor, userId: string, lockedUntil: Date | null) {
  await executor
    .updateTable('users')
    .set((eb) => ({ failed_login_count: eb('failed_login_count', '+', 1), locked_until: lockedUntil }))
    .where('id', '=', userId)
    .execute();
}

export async function recordSuccessfulLogin(executor: Executor, userId: string) {
  await executor
    .updateTable('users')
    .set({ failed_login_count: 0, locked_until: null, last_login_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export async function insertSession(
  executor: Executor,
  session: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date },
) {
  await executor
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function deleteSession(executor: Executor, tokenHash: string) {
  await executor.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteOtherSessions(executor: Executor, userId: string, keepTokenHash: string) {
  await executor
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('token_hash', '<>', keepTokenHash)
    .execute();
}

export function findSessionActor(executor: Executor, tokenHash: string) {
  return executor
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('organizations', 'organizations.id', 'users.organization_id')
    .select([
      'sessions.csrf_token',
      'sessions.expires_at',
      'users.id as user_id',
      'users.email',
      'users.role',
      'users.person_id',
      'users.organization_id',
      'organizations.kind as organization_kind',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Prepared: every API request asks it. */
export async function findApiKeyActor(executor: Executor, prefix: string) {
  const query = executor
    .selectFrom('api_keys')
    .innerJoin('organizations', 'organizations.id', 'api_keys.organization_id')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.key_hash',
      'api_keys.last_used_at',
      'api_keys.expires_at',
      'api_keys.organization_id',
      'organizations.kind as organization_kind',
    ])
    .where('api_keys.prefix', '=', prefix)
    .where('api_keys.revoked_at', 'is', null);
  return (await executePrepared(executor, query)).rows[0];
}

export async function touchApiKey(executor: Executor, id: string) {
  await executor.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

export function findPasswordHash(executor: Executor, userId: string) {
  return executor.selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow();
}

export async function updatePasswordHash(executor: Executor, userId: string, passwordHash: string) {
  await executor.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}
