import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { FoundationTables, Role } from '../../db/foundation.tables.ts';
import type { UserView } from './users.schemas.ts';

type UserRow = Selectable<FoundationTables['users']>;

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    organizationId: row.organization_id,
    createdAt: row.created_at.toISOString(),
    lastLoginAt: row.last_login_at ? row.last_login_at.toISOString() : null,
  };
}

export function listUsersOfOrganization(executor: Executor, organizationId: string) {
  return executor
    .selectFrom('users')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('email')
    .execute();
}

export function findUserByEmail(executor: Executor, email: string) {
  return executor.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export function findUserInOrganization(executor: Executor, organizationId: string, userId: string) {
  return executor
    .selectFrom('users')
    .selectAll()
    .where('id', '=', userId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

export function insertUser(
  executor: Executor,
  user: {
    organizationId: string | null;
    personId?: string | null;
    email: string;
    displayName: string;
    role: Role;
    passwordHash: string;
  },
) {
  return executor
    .insertInto('users')
    .values({
      organization_id: user.organizationId,
      person_id: user.personId ?? null,
      email: user.email.toLowerCase(),
      display_name: user.displayName,
      role: user.role,
      password_hash: user.passwordHash,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteUser(executor: Executor, userId: string) {
  await executor.deleteFrom('users').where('id', '=', userId).execute();
}

export async function countUsers(executor: Executor): Promise<number> {
  const row = await executor.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export function findUserById(executor: Executor, userId: string) {
  return executor.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
}

/** Links a physician's account to the registry person with that NPI. */
export async function linkUserToPersonByNpi(executor: Executor, email: string, npi: string) {
  await executor
    .updateTable('users')
    .set((eb) => ({ person_id: eb.selectFrom('persons').select('id').where('npi', '=', npi).limit(1) }))
    .where('email', '=', email.toLowerCase())
    .execute();
}
