import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';

export function listApiKeys(executor: Executor, organizationId: string) {
  return executor
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at', 'expires_at'])
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Holds the organization's keys to this transaction, so that two keys of one name asked for at once are not both made. */
export async function lockOrganizationKeys(executor: Executor, organizationId: string): Promise<void> {
  await executor.selectFrom('organizations').select('id').where('id', '=', organizationId).forUpdate().executeTakeFirst();
}

/** The organization's key not revoked that has this name, in any case, if there is one. */
export function findActiveKeyNamed(executor: Executor, organizationId: string, name: string) {
  return executor
    .selectFrom('api_keys')
    .select('prefix')
    .where('organization_id', '=', organizationId)
    .where('revoked_at', 'is', null)
    .where(sql<string>`lower(btrim(name))`, '=', name.trim().toLowerCase())
    .executeTakeFirst();
}

export function insertApiKey(
  executor: Executor,
  key: { organizationId: string; name: string; prefix: string; keyHash: string; createdBy: string | null; expiresAt: Date | null },
) {
  return executor
    .insertInto('api_keys')
    .values({
      organization_id: key.organizationId,
      name: key.name,
      prefix: key.prefix,
      key_hash: key.keyHash,
      created_by: key.createdBy,
      expires_at: key.expiresAt,
    })
    .returning(['id', 'name', 'prefix', 'created_at', 'expires_at'])
    .executeTakeFirstOrThrow();
}

export async function revokeApiKey(executor: Executor, organizationId: string, keyId: string): Promise<boolean> {
  const result = await executor
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', keyId)
    .where('organization_id', '=', organizationId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) return true;
  const existing = await executor
    .selectFrom('api_keys')
    .select('id')
    .where('id', '=', keyId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  return existing !== undefined;
}
