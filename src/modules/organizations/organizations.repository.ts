import type { Selectable } from 'kysely';
import { validate as isId } from 'uuid';
import type { Executor } from '../../db/database.ts';
import type { FoundationTables } from '../../db/foundation.tables.ts';
import type { CreateOrganizationInput, OrganizationView } from './organizations.schemas.ts';

type OrganizationRow = Selectable<FoundationTables['organizations']>;

export function toOrganizationView(row: OrganizationRow): OrganizationView {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    providerId: row.provider_id,
    jurisdiction: row.jurisdiction,
    boardType: row.board_type,
    boardCode: row.board_code,
    accreditationStatus: row.accreditation_status,
    createdAt: row.created_at.toISOString(),
  };
}

export function findOrganization(executor: Executor, id: string) {
  return executor.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findConflictingOrganization(executor: Executor, input: CreateOrganizationInput) {
  return executor
    .selectFrom('organizations')
    .select(['id', 'kind', 'provider_id', 'board_code', 'jurisdiction', 'board_type'])
    .where((eb) =>
      eb.or([
        eb('provider_id', '=', input.providerId ?? null),
        eb('board_code', '=', input.boardCode ?? null),
        eb.and([
          eb('kind', '=', 'licensing_board'),
          eb('jurisdiction', '=', input.jurisdiction ?? null),
          eb('board_type', '=', input.boardType ?? null),
        ]),
      ]),
    )
    .executeTakeFirst();
}

export function insertOrganization(executor: Executor, input: CreateOrganizationInput | { kind: 'operator'; name: string }) {
  const fields = input as Partial<CreateOrganizationInput>;
  return executor
    .insertInto('organizations')
    .values({
      kind: input.kind,
      name: input.name,
      provider_id: fields.providerId ?? null,
      jurisdiction: fields.jurisdiction ?? null,
      board_type: fields.boardType ?? null,
      board_code: fields.boardCode ?? null,
      accreditation_status: fields.accreditationStatus ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateOrganization(
  executor: Executor,
  id: string,
  changes: { name?: string; accreditationStatus?: string | null },
) {
  return executor
    .updateTable('organizations')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.accreditationStatus !== undefined ? { accreditation_status: changes.accreditationStatus } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listOrganizations(
  executor: Executor,
  filter: { kind?: string; q?: string; onlyId?: string | null; after?: { name: string; id: string }; limit: number },
) {
  let query = executor
    .selectFrom('organizations')
    .selectAll()
    .orderBy('name')
    .orderBy('id')
    .limit(filter.limit + 1);
  if (filter.onlyId !== undefined) query = query.where('id', '=', filter.onlyId);
  if (filter.kind) query = query.where('kind', '=', filter.kind as OrganizationRow['kind']);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or([eb('name', 'ilike', pattern), eb('provider_id', '=', filter.q!), eb('board_code', '=', filter.q!.toUpperCase())]),
    );
  }
  if (filter.after) {
    const { name, id } = filter.after;
    query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  return query.execute();
}

export function findOperatorOrganization(executor: Executor) {
  return executor.selectFrom('organizations').selectAll().where('kind', '=', 'operator').executeTakeFirst();
}

/** A provider by its organization id or its 7-digit provider ID; absent when no provider has it. */
export function findProviderOrganization(executor: Executor, idOrProviderId: string) {
  return executor
    .selectFrom('organizations')
    .select(['id', 'name', 'provider_id'])
    .where('kind', '=', 'provider')
    .where(isId(idOrProviderId) ? 'id' : 'provider_id', '=', idOrProviderId)
    .executeTakeFirst();
}

/**
 * The organizations a person at the command line may mean: by their id, a provider's 7-digit provider ID, a
 * certifying board's code (ABIM), or their name, in any case.
 */
export function findOrganizationsNamed(executor: Executor, named: string) {
  const query = executor.selectFrom('organizations').select(['id', 'name', 'kind', 'provider_id']).orderBy('name');
  if (isId(named)) return query.where('id', '=', named).execute();
  if (/^\d{7}$/.test(named)) return query.where('provider_id', '=', named).execute();
  return query
    .where((eb) => eb.or([eb(eb.fn('lower', ['name']), '=', named.toLowerCase()), eb(eb.fn('upper', ['board_code']), '=', named.toUpperCase())]))
    .execute();
}
