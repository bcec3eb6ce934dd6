import type { AuthenticatedActor } from '../http/actor.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';

/** The organization a record belongs to; absent for actions on no particular record. */
export type PolicyTarget = { organizationId: string | null } | undefined;

type Rule = (actor: AuthenticatedActor, target: PolicyTarget) => boolean;

const isOperator: Rule = (actor) => actor.role === 'operator';
const inOwnOrganization = (target: PolicyTarget, actor: AuthenticatedActor) =>
  target !== undefined && target.organizationId !== null && target.organizationId === actor.organizationId;
const anyOf =
  (...rules: Rule[]): Rule =>
  (actor, target) =>
    rules.some((rule) => rule(actor, target));
const roleIn =
  (...roles: AuthenticatedActor['role'][]): Rule =>
  (actor) =>
    roles.includes(actor.role);
const roleInOwnOrganization =
  (...roles: AuthenticatedActor['role'][]): Rule =>
  (actor, target) =>
    roles.includes(actor.role) && inOwnOrganization(target, actor);
/** People only, not API keys: managing accounts and keys is a human act (signed in, or the operator at the hub's own command line). */
const person =
  (rule: Rule): Rule =>
  (actor, target) =>
    actor.type !== 'api_key' && rule(actor, target);

/**
 * Who may do what. Anything not listed here is denied. Each area adds its actions in one place,
 * below; a service calls `authorize` before it touches a record.
 */
const rules = {
  'organization.create': isOperator,
  'organization.list': anyOf(isOperator, roleIn('provider_admin', 'provider_staff', 'board_admin', 'board_staff')),
  'organization.read': anyOf(isOperator, (actor, target) => inOwnOrganization(target, actor)),
  'organization.update': isOperator,
  'user.manage': person(anyOf(isOperator, roleInOwnOrganization('provider_admin', 'board_admin'))),
  'apiKey.manage': person(anyOf(isOperator, roleInOwnOrganization('provider_admin', 'board_admin'))),
  'auditLog.read': isOperator,
  'activity.read': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
  'activity.list': anyOf(isOperator, roleIn('provider_admin', 'provider_staff')),
  'activity.write': roleInOwnOrganization('provider_admin', 'provider_staff'),
  'activity.reopen': roleInOwnOrganization('provider_admin', 'provider_staff'),
  'learnerReport.create': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
  'learnerReport.read': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
  'learnerReport.correct': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
  'learnerReport.delete': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
  'learnerReport.purge': isOperator,
  'providerDashboard.read': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
  'licenseeCredits.read': anyOf(isOperator, roleInOwnOrganization('board_admin', 'board_staff')),
  'ownCredits.read': (actor) => actor.role === 'physician' && actor.personId !== null,
  'roster.load': anyOf(isOperator, roleInOwnOrganization('board_admin', 'board_staff')),
  'roster.read': anyOf(isOperator, roleInOwnOrganization('board_admin', 'board_staff')),
  'registry.importNppes': isOperator,
  'learner.validate': roleIn('provider_admin', 'provider_staff'),
  'upload.create': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
  'upload.read': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
  'upload.stop': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
  'upload.withdraw': anyOf(isOperator, roleInOwnOrganization('provider_admin', 'provider_staff')),
} satisfies Record<string, Rule>;

export type Action = keyof typeof rules;

export function can(actor: AuthenticatedActor, action: Action, target?: PolicyTarget): boolean {
  const rule: Rule | undefined = rules[action];
  return rule ? rule(actor, target) : false;
}

/**
 * Throws unless the actor may act. A record of another organization is reported as not found,
 * so that its existence is not revealed.
 */
export function authorize(actor: AuthenticatedActor, action: Action, target?: PolicyTarget, what = 'record'): void {
  if (can(actor, action, target)) return;
  const foreign =
    target !== undefined && actor.role !== 'operator' && target.organizationId !== actor.organizationId;
  if (foreign) throw new NotFoundError(what);
  throw new ForbiddenError();
}
