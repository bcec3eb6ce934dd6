import type { Executor } from '../../db/database.ts';
import type { AuthenticatedActor } from '../../http/actor.ts';
import { BadRequestError, ForbiddenError } from '../../http/errors.ts';
import { authorize } from '../../policy/policy.ts';
import type { Action } from '../../policy/policy.ts';
import { findProvider } from './reports.dependencies.ts';

/**
 * The provider a request is for, named by `providerOrgId` (its organization id or its 7-digit provider ID, as
 * uploads take it). An operator names it, or gets null (every provider); anyone else acts for their own
 * organization, and naming another provider is a mistake to say rather than pass over. The caller may then
 * `action` for that provider (the policy is asked here).
 */
export async function requestedProvider(executor: Executor, actor: AuthenticatedActor, requested: string | undefined, action: Action): Promise<string | null> {
  if (actor.role !== 'operator') {
    authorize(actor, action, { organizationId: actor.organizationId }, 'provider');
    if (requested && (await findProvider(executor, requested))?.id !== actor.organizationId) {
      throw new ForbiddenError('Learner reports are your own organization\'s: leave providerOrgId out, or give your own provider ID (it is for the hub\'s operators).');
    }
    return actor.organizationId;
  }
  if (!requested) {
    authorize(actor, action, undefined, 'provider');
    return null;
  }
  const provider = await findProvider(executor, requested);
  if (!provider) {
    const message = `No provider has the id ${requested}. Give the provider's 7-digit provider ID or its organization id.`;
    throw new BadRequestError('not_a_provider', message, [{ code: 'not_a_provider', field: 'providerOrgId', message }]);
  }
  authorize(actor, action, { organizationId: provider.id }, 'provider');
  return provider.id;
}
