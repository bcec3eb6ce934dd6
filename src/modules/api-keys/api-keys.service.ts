import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestContext } from '../../http/actor.ts';
import { ConflictError, NotFoundError } from '../../http/errors.ts';
import { authorize } from '../../policy/policy.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import { hashToken, newApiKey } from '../auth/tokens.ts';
import { findOrganization } from '../organizations/organizations.repository.ts';
import * as repository from './api-keys.repository.ts';

export function createApiKeysService({ db }: { db: Kysely<DB> }) {
  async function checkOrganization(context: RequestContext, organizationId: string) {
    const organization = await findOrganization(db, organizationId);
    if (!organization) throw new NotFoundError('organization');
    authorize(context.actor, 'apiKey.manage', { organizationId }, 'organization');
  }

  async function list(context: RequestContext, organizationId: string) {
    await checkOrganization(context, organizationId);
    const rows = await repository.listApiKeys(db, organizationId);
    return {
      items: rows.map((row) => ({
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        createdAt: row.created_at.toISOString(),
        lastUsedAt: row.last_used_at ? row.last_used_at.toISOString() : null,
        revokedAt: row.revoked_at ? row.revoked_at.toISOString() : null,
        expiresAt: row.expires_at ? row.expires_at.toISOString() : null,
      })),
    };
  }

  /**
   * The key itself is returned here only; the hub keeps just its hash. Without `expiresInDays`, it never expires.
   * Its name is not that of another key in use: uploads ("API key walk") and the audit log name a key by its name
   * alone, and two of one name could not be told apart, nor the right one revoked.
   */
  async function create(context: RequestContext, organizationId: string, { name, expiresInDays }: { name: string; expiresInDays?: number | null }) {
    await checkOrganization(context, organizationId);
    const { key, prefix } = newApiKey();
    const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
    return db.transaction().execute(async (trx) => {
      await repository.lockOrganizationKeys(trx, organizationId);
      const namesake = await repository.findActiveKeyNamed(trx, organizationId, name);
      if (namesake) {
        throw new ConflictError(
          'api_key_name_taken',
          `This organization has a key named "${name.trim()}" already (key identifier ${namesake.prefix}): choose another name, or revoke that key first. Uploads and the audit log name a key by its name, so two of one name could not be told apart.`,
        );
      }
      const row = await repository.insertApiKey(trx, {
        organizationId,
        name,
        prefix,
        keyHash: hashToken(key),
        createdBy: context.actor.id,
        expiresAt,
      });
      await recordAudit(trx, context, { action: 'api_key.create', entityType: 'api_key', entityId: row.id, organizationId, details: { expiresAt: expiresAt?.toISOString() ?? null } });
      return { id: row.id, name: row.name, prefix: row.prefix, key, createdAt: row.created_at.toISOString(), expiresAt: row.expires_at?.toISOString() ?? null };
    });
  }

  async function revoke(context: RequestContext, organizationId: string, keyId: string) {
    await checkOrganization(context, organizationId);
    await db.transaction().execute(async (trx) => {
      if (!(await repository.revokeApiKey(trx, organizationId, keyId))) throw new NotFoundError('API key');
      await recordAudit(trx, context, { action: 'api_key.revoke', entityType: 'api_key', entityId: keyId, organizationId });
    });
  }

  return { list, create, revoke };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
