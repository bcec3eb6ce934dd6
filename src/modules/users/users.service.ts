import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { OrganizationKind, Role } from '../../db/foundation.tables.ts';
import type { RequestContext } from '../../http/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../http/errors.ts';
import { authorize } from '../../policy/policy.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import { hashPassword } from '../auth/passwords.ts';
import { findOrganization } from '../organizations/organizations.repository.ts';
import * as repository from './users.repository.ts';
import type { CreateUserInput } from './users.schemas.ts';

const rolesByKind: Record<OrganizationKind, Role[]> = {
  operator: ['operator'],
  provider: ['provider_admin', 'provider_staff'],
  licensing_board: ['board_admin', 'board_staff'],
  certifying_board: ['board_admin', 'board_staff'],
};

export function createUsersService({ db }: { db: Kysely<DB> }) {
  async function organizationFor(context: RequestContext, organizationId: string) {
    const organization = await findOrganization(db, organizationId);
    if (!organization) throw new NotFoundError('organization');
    authorize(context.actor, 'user.manage', { organizationId }, 'organization');
    return organization;
  }

  async function list(context: RequestContext, organizationId: string) {
    await organizationFor(context, organizationId);
    const rows = await repository.listUsersOfOrganization(db, organizationId);
    return { items: rows.map(repository.toUserView) };
  }

  async function create(context: RequestContext, organizationId: string, input: CreateUserInput) {
    const organization = await organizationFor(context, organizationId);
    const allowed = rolesByKind[organization.kind];
    if (!allowed.includes(input.role)) {
      throw new ValidationError([
        { code: 'role_not_allowed', field: 'role', message: `In this organization the role must be one of: ${allowed.join(', ')}.` },
      ]);
    }
    const passwordHash = await hashPassword(input.password);
    return db.transaction().execute(async (trx) => {
      if (await repository.findUserByEmail(trx, input.email)) {
        throw new ConflictError('email_taken', 'An account with this email already exists.', [
          { code: 'email_taken', field: 'email', message: 'An account with this email already exists.' },
        ]);
      }
      const row = await repository.insertUser(trx, {
        organizationId,
        email: input.email,
        displayName: input.displayName ?? input.email,
        role: input.role,
        passwordHash,
      });
      await recordAudit(trx, context, {
        action: 'user.create',
        entityType: 'user',
        entityId: row.id,
        organizationId,
        details: { role: row.role },
      });
      return repository.toUserView(row);
    });
  }

  async function remove(context: RequestContext, organizationId: string, userId: string) {
    await organizationFor(context, organizationId);
    if (context.actor.id === userId) {
      throw new ConflictError('cannot_remove_self', 'You cannot remove your own account; ask another admin.');
    }
    await db.transaction().execute(async (trx) => {
      const user = await repository.findUserInOrganization(trx, organizationId, userId);
      if (!user) throw new NotFoundError('user');
      await repository.deleteUser(trx, userId);
      await recordAudit(trx, context, { action: 'user.remove', entityType: 'user', entityId: userId, organizationId });
    });
  }

  /** A physician's own account: not in any organization, linked to a registry person when known. */
  async function createPhysician(
    context: RequestContext,
    input: { email: string; password: string; displayName: string; personId?: string | null },
  ) {
    const passwordHash = await hashPassword(input.password);
    return db.transaction().execute(async (trx) => {
      if (await repository.findUserByEmail(trx, input.email)) {
        throw new ConflictError('email_taken', 'An account with this email already exists.');
      }
      const row = await repository.insertUser(trx, {
        organizationId: null,
        personId: input.personId ?? null,
        email: input.email,
        displayName: input.displayName,
        role: 'physician',
        passwordHash,
      });
      await recordAudit(trx, context, { action: 'user.create', entityType: 'user', entityId: row.id, details: { role: 'physician' } });
      return repository.toUserView(row);
    });
  }

  return { list, create, remove, createPhysician };
}

export type UsersService = ReturnType<typeof createUsersService>;
