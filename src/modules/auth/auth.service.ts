import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { apiKeyRole } from '../../http/actor.ts';
import type { AuthenticatedActor, RequestContext } from '../../http/actor.ts';
import { TooManyRequestsError, UnauthorizedError, ValidationError } from '../../http/errors.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import * as repository from './auth.repository.ts';
import { hashPassword, lockoutSeconds, minimumPasswordLength, verifyPassword } from './passwords.ts';
import { apiKeyPrefix, hashToken, randomToken, sameToken } from './tokens.ts';

const sessionLifetimeMs = 12 * 60 * 60 * 1000;
const apiKeyTouchIntervalMs = 60 * 1000;
// Verifying against a real hash when the email is unknown keeps the response time the same.
const unknownUserHash = hashPassword(randomToken());

export type SessionActor = { actor: AuthenticatedActor; csrfToken: string };

export function createAuthService({ db }: { db: Kysely<DB> }) {
  async function login(input: { email: string; password: string }, requestId: string) {
    const user = await repository.findUserForLogin(db, input.email);
    if (!user) {
      await verifyPassword(await unknownUserHash, input.password);
      throw new UnauthorizedError('invalid_credentials', 'The email or password is not right.');
    }
    if (user.locked_until && user.locked_until > new Date()) {
      const seconds = Math.ceil((user.locked_until.getTime() - Date.now()) / 1000);
      throw new TooManyRequestsError(
        'too_many_attempts',
        `Too many failed attempts. Try again in ${seconds} seconds.`,
        seconds,
      );
    }
    const context: RequestContext = {
      actor: {
        type: 'user',
        id: user.id,
        label: user.email,
        role: user.role,
        organizationId: null,
        organizationKind: null,
        personId: null,
      },
      requestId,
    };
    if (!(await verifyPassword(user.password_hash, input.password))) {
      const wait = lockoutSeconds(user.failed_login_count + 1);
      await db.transaction().execute(async (trx) => {
        await repository.recordFailedLogin(trx, user.id, wait ? new Date(Date.now() + wait * 1000) : null);
        await recordAudit(trx, context, { action: 'auth.login_failed', entityType: 'user', entityId: user.id });
      });
      throw new UnauthorizedError('invalid_credentials', 'The email or password is not right.');
    }
    const token = randomToken();
    const csrfToken = randomToken();
    await db.transaction().execute(async (trx) => {
      await repository.recordSuccessfulLogin(trx, user.id);
      await repository.insertSession(trx, {
        tokenHash: hashToken(token),
        userId: user.id,
        csrfToken,
        expiresAt: new Date(Date.now() + sessionLifetimeMs),
      });
      await recordAudit(trx, context, { action: 'auth.login', entityType: 'user', entityId: user.id });
    });
    return {
      token,
      csrfToken,
      maxAgeSeconds: sessionLifetimeMs / 1000,
      user: { id: user.id, email: user.email, displayName: user.display_name, role: user.role },
    };
  }

  async function logout(token: string, context: RequestContext) {
    await db.transaction().execute(async (trx) => {
      await repository.deleteSession(trx, hashToken(token));
      await recordAudit(trx, context, { action: 'auth.logout', entityType: 'user', entityId: context.actor.id });
    });
  }

  async function changePassword(
    context: RequestContext,
    sessionToken: string | null,
    input: { currentPassword: string; newPassword: string },
  ) {
    const { actor } = context;
    if (actor.type !== 'user') throw new UnauthorizedError('login_required', 'Log in as a person to change a password.');
    if (input.newPassword.length < minimumPasswordLength) {
      throw new ValidationError([
        {
          code: 'password_too_short',
          field: 'newPassword',
          message: `The new password needs at least ${minimumPasswordLength} characters.`,
        },
      ]);
    }
    const { password_hash } = await repository.findPasswordHash(db, actor.id);
    if (!(await verifyPassword(password_hash, input.currentPassword))) {
      throw new ValidationError([
        { code: 'wrong_password', field: 'currentPassword', message: 'The current password is not right.' },
      ]);
    }
    const newHash = await hashPassword(input.newPassword);
    await db.transaction().execute(async (trx) => {
      await repository.updatePasswordHash(trx, actor.id, newHash);
      // Other sessions may belong to whoever knew the old password.
      await repository.deleteOtherSessions(trx, actor.id, sessionToken ? hashToken(sessionToken) : '');
      await recordAudit(trx, context, { action: 'auth.password_changed', entityType: 'user', entityId: actor.id });
    });
  }

  async function actorFromSession(token: string): Promise<SessionActor | null> {
    const row = await repository.findSessionActor(db, hashToken(token));
    if (!row) return null;
    return {
      csrfToken: row.csrf_token,
      actor: {
        type: 'user',
        id: row.user_id,
        label: row.email,
        role: row.role,
        organizationId: row.organization_id,
        organizationKind: row.organization_kind,
        personId: row.person_id,
      },
    };
  }

  /** The caller a key names, and when the key expires (null: when revoked), which every answer to it says. */
  async function actorFromApiKey(key: string): Promise<{ actor: AuthenticatedActor; expiresAt: Date | null } | null> {
    const prefix = apiKeyPrefix(key);
    if (!prefix) return null;
    const row = await repository.findApiKeyActor(db, prefix);
    if (!row || !sameToken(row.key_hash, hashToken(key))) return null;
    // Said as such, so that whoever runs the system holding it knows to ask for a new one rather than check the key.
    if (row.expires_at && row.expires_at.getTime() <= Date.now()) {
      throw new UnauthorizedError(
        'api_key_expired',
        `The API key "${row.name}" expired on ${row.expires_at.toISOString().slice(0, 10)}. An administrator of your organization can create a new one under API keys in the hub.`,
      );
    }
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > apiKeyTouchIntervalMs) {
      await repository.touchApiKey(db, row.id);
    }
    return {
      actor: {
        type: 'api_key',
        id: row.id,
        label: `API key ${row.name}`,
        role: apiKeyRole(row.organization_kind),
        organizationId: row.organization_id,
        organizationKind: row.organization_kind,
        personId: null,
      },
      expiresAt: row.expires_at,
    };
  }

  return { login, logout, changePassword, actorFromSession, actorFromApiKey };
}

export type AuthService = ReturnType<typeof createAuthService>;
