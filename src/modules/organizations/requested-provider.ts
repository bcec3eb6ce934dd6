import type { Executor } from '../../db/database.ts';
import type { AuthenticatedActor } from '../../http/actor.ts';
import { AppError, BadRequestError, ForbiddenError } from '../../http/errors.ts';
import { authorize } from '../../policy/policy.ts';
import type { Action } from '../../policy/policy.ts';
import { findProviderOrganization } from './organizations.repository.ts';

/**
 * What a request asks for a provider: `providerOrgId` as sent (its organization id or its 7-digit provider ID),
 * the `action` the caller then takes for that provider, and `what` it is about, in the plural, for the messages
 * ("uploads", "learner reports").
 */
export type ProviderRequest = { requested: string | undefined; action: Action; what: string };

/**
 * The provider a request is for. An operator names it, or gets null (every provider); anyone else acts for their
 * own organization, and naming another provider is a mistake to say rather than pass over. The policy is asked
 * here for `action`.
 */
export async function requestedProvider(executor: Executor, actor: AuthenticatedActor, { requested, action, what }: ProviderRequest): Promise<string | null> {
  if (actor.role !== 'operator') {
    // A board's key used by mistake (a script set up with the wrong one) would otherwise hear "no such provider".
    if (actor.organizationKind !== 'provider') {
      throw new ForbiddenError(
        `${what[0].toUpperCase()}${what.slice(1)} are a provider's, and this API key or login is not a provider's: use a key of the provider they are for (its admin creates one on the organization's page, under API keys).`,
      );
    }
    const own = actor.organizationId;
    authorize(actor, action, { organizationId: own }, 'provider');
    if (requested && (await findProviderOrganization(executor, requested))?.id !== own) {
      // A code of its own, so that a client can say which of its options to leave out.
      throw new AppError(403, 'not_your_provider', `Your ${what} are for your own organization: leave providerOrgId out, or give your own provider ID (it is for the hub's operators).`);
    }
    return own;
  }
  if (!requested) {
    authorize(actor, action, undefined, 'provider');
    return null;
  }
  const provider = await findProviderOrganization(executor, requested);
  if (!provider) {
    const message = `No provider has the id ${requested}: ${what} are for providers. Give the provider's 7-digit provider ID or its organization id.`;
    throw new BadRequestError('not_a_provider', message, [{ code: 'not_a_provider', field: 'providerOrgId', message }]);
  }
  authorize(actor, action, { organizationId: provider.id }, 'provider');
  return provider.id;
}

/** The provider a request is for, which an operator must name (a file or a report is one provider's). */
export async function requiredProvider(executor: Executor, actor: AuthenticatedActor, request: ProviderRequest): Promise<string> {
  const providerOrgId = await requestedProvider(executor, actor, request);
  if (providerOrgId) return providerOrgId;
  throw new BadRequestError('provider_required', `Say which provider the ${request.what} are for: providerOrgId=<7-digit provider ID or organization id>.`, [
    { code: 'required', field: 'providerOrgId', message: 'Give the provider\'s 7-digit provider ID or its organization id' },
  ]);
}
