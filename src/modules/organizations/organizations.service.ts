import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestContext } from '../../http/actor.ts';
import { cursorField, decodeCursor, encodeCursor, filtersOf } from '../../http/cursor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors.ts';
import type { Problem } from '../../http/errors.ts';
import { authorize } from '../../policy/policy.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import { statesWithSeparateDoBoards } from '../reference/jurisdictions.ts';
import * as repository from './organizations.repository.ts';
import type { CreateOrganizationInput, ListOrganizationsQuery } from './organizations.schemas.ts';

/** Fields each kind needs and must not have, so a provider never carries a jurisdiction by mistake. */
export function organizationProblems(input: CreateOrganizationInput): Problem[] {
  const problems: Problem[] = [];
  const require = (field: keyof CreateOrganizationInput, message: string) => {
    if (input[field] === undefined) problems.push({ code: 'required', field, message });
  };
  const forbid = (field: keyof CreateOrganizationInput) => {
    if (input[field] !== undefined) {
      problems.push({ code: 'not_allowed', field, message: `A ${input.kind.replace('_', ' ')} has no ${field}.` });
    }
  };
  if (input.kind === 'provider') {
    require('providerId', 'A provider needs its 7-digit provider ID.');
    forbid('jurisdiction');
    forbid('boardType');
    forbid('boardCode');
  } else if (input.kind === 'licensing_board') {
    require('jurisdiction', 'A licensing board needs its jurisdiction, such as CA.');
    require('boardType', 'Say whether the board licenses MDs, DOs or both (combined).');
    forbid('providerId');
    forbid('boardCode');
    if (input.jurisdiction && input.boardType && input.boardType !== 'combined' && !statesWithSeparateDoBoards.has(input.jurisdiction)) {
      problems.push({
        code: 'combined_board_state',
        field: 'boardType',
        message: `${input.jurisdiction} has one board for MDs and DOs: use combined.`,
      });
    }
    if (input.jurisdiction && input.boardType === 'combined' && statesWithSeparateDoBoards.has(input.jurisdiction)) {
      problems.push({
        code: 'separate_board_state',
        field: 'boardType',
        message: `${input.jurisdiction} has separate MD and DO boards: choose MD or DO.`,
      });
    }
  } else {
    require('boardCode', 'A certifying board needs its board code, such as ABIM.');
    forbid('providerId');
    forbid('jurisdiction');
    forbid('boardType');
  }
  return problems;
}

export function createOrganizationsService({ db }: { db: Kysely<DB> }) {
  async function create(context: RequestContext, input: CreateOrganizationInput) {
    authorize(context.actor, 'organization.create');
    const problems = organizationProblems(input);
    if (problems.length) throw new ValidationError(problems);
    return db.transaction().execute(async (trx) => {
      const conflict = await repository.findConflictingOrganization(trx, input);
      if (conflict) {
        throw new ConflictError(
          'organization_exists',
          'An organization with this provider ID, board code or jurisdiction and board type already exists.',
        );
      }
      const row = await repository.insertOrganization(trx, input);
      await recordAudit(trx, context, {
        action: 'organization.create',
        entityType: 'organization',
        entityId: row.id,
        organizationId: row.id,
      });
      return repository.toOrganizationView(row);
    });
  }

  async function get(context: RequestContext, id: string) {
    const row = await repository.findOrganization(db, id);
    if (!row) throw new NotFoundError('organization');
    authorize(context.actor, 'organization.read', { organizationId: row.id }, 'organization');
    return repository.toOrganizationView(row);
  }

  async function update(context: RequestContext, id: string, changes: { name?: string; accreditationStatus?: string | null }) {
    return db.transaction().execute(async (trx) => {
      const existing = await repository.findOrganization(trx, id);
      if (!existing) throw new NotFoundError('organization');
      authorize(context.actor, 'organization.update', { organizationId: existing.id }, 'organization');
      const row = await repository.updateOrganization(trx, id, changes);
      await recordAudit(trx, context, {
        action: 'organization.update',
        entityType: 'organization',
        entityId: id,
        organizationId: id,
        details: { fields: Object.keys(changes) },
      });
      return repository.toOrganizationView(row);
    });
  }

  async function list(context: RequestContext, query: ListOrganizationsQuery) {
    authorize(context.actor, 'organization.list');
    // A cursor goes on the list it came from: of another kind or search, its place would page a list it does not belong to.
    const listedWith = filtersOf(query);
    const after = query.cursor ? decodeCursor(query.cursor, { name: cursorField.text, id: cursorField.id }, listedWith) : undefined;
    const rows = await repository.listOrganizations(db, {
      kind: query.kind,
      q: query.q,
      onlyId: context.actor.role === 'operator' ? undefined : context.actor.organizationId,
      after,
      limit: query.limit,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(repository.toOrganizationView),
      nextCursor: rows.length > query.limit && last ? encodeCursor({ name: last.name, id: last.id }, listedWith) : null,
    };
  }

  return { create, get, update, list };
}

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;
