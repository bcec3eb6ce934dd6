import type { Executor } from '../../db/database.ts';

export function listApiKeys(executor: Executor, organizationId: string) {
  return executor
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at', 'expires_at'])
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .execute();
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
