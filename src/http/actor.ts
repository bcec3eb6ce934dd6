import type { OrganizationKind, Role } from '../db/foundation.tables.ts';

/** Who is calling: a logged-in person, an organization's API key, the hub itself, or nobody. */
export type Actor =
  | {
      type: 'user';
      id: string;
      label: string;
      role: Role;
      organizationId: string | null;
      organizationKind: OrganizationKind | null;
      personId: string | null;
    }
  | {
      type: 'api_key';
      id: string;
      label: string;
      role: Role;
      organizationId: string;
      organizationKind: OrganizationKind;
      personId: null;
    }
  | {
      type: 'system';
      id: null;
      label: string;
      role: 'operator';
      organizationId: null;
      organizationKind: null;
      personId: null;
    }
  | { type: 'anonymous'; id: null; label: 'anonymous'; role: null; organizationId: null; organizationKind: null; personId: null };

export type AuthenticatedActor = Exclude<Actor, { type: 'anonymous' }>;

/** What every use case receives about the call it serves. */
export type RequestContext = { actor: AuthenticatedActor; requestId: string };

export const anonymousActor: Actor = {
  type: 'anonymous',
  id: null,
  label: 'anonymous',
  role: null,
  organizationId: null,
  organizationKind: null,
  personId: null,
};

export function systemContext(label = 'system', requestId = 'system'): RequestContext {
  return {
    actor: { type: 'system', id: null, label, role: 'operator', organizationId: null, organizationKind: null, personId: null },
    requestId,
  };
}

/** The role an API key acts with: the staff role of its organization's kind. */
export function apiKeyRole(kind: OrganizationKind): Role {
  switch (kind) {
    case 'operator':
      return 'operator';
    case 'provider':
      return 'provider_staff';
    case 'licensing_board':
    case 'certifying_board':
      return 'board_staff';
  }
}
