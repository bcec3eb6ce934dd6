import path from 'node:path';
import type { Config } from './config.ts';
import { openDatabase } from './db/database.ts';
import type { Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createHub } from './hub.ts';
import type { Hub } from './hub.ts';
import { systemContext } from './http/actor.ts';
import { recordAudit } from './modules/audit-log/audit-log.service.ts';
import { hashPassword } from './modules/auth/passwords.ts';
import { findOperatorOrganization, insertOrganization } from './modules/organizations/organizations.repository.ts';
import { countUsers, insertUser } from './modules/users/users.repository.ts';

export function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : openDatabase({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
}

/** Opens the database, applies migrations and builds the hub: what every command needs first. */
export async function openHub(config: Config): Promise<Hub> {
  const database = await openConfiguredDatabase(config);
  await migrateToLatest(database.db);
  return createHub(config, database);
}

/**
 * On an empty database with CMEHUB_ADMIN_EMAIL/PASSWORD set, creates the operator account.
 * Returns whether the database had no accounts at all before.
 */
export async function prepareFirstRun(hub: Hub): Promise<{ wasEmpty: boolean; createdOperator: boolean }> {
  const wasEmpty = (await countUsers(hub.db)) === 0;
  const operator = hub.config.initialOperator;
  if (!wasEmpty || !operator) return { wasEmpty, createdOperator: false };
  const passwordHash = await hashPassword(operator.password);
  await hub.db.transaction().execute(async (trx) => {
    const organization =
      (await findOperatorOrganization(trx)) ?? (await insertOrganization(trx, { kind: 'operator', name: 'CME Hub operations' }));
    const user = await insertUser(trx, {
      organizationId: organization.id,
      email: operator.email,
      displayName: 'Hub operator',
      role: 'operator',
      passwordHash,
    });
    await recordAudit(trx, systemContext('first start'), { action: 'user.create', entityType: 'user', entityId: user.id });
  });
  return { wasEmpty, createdOperator: true };
}
