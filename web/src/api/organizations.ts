import { api } from './client.ts';
import { readAllPages } from './pages.ts';
import {
  ORGANIZATION_KINDS,
  type ApiKey,
  type CreatedApiKey,
  type List,
  type NewOrganization,
  type NewOrganizationUser,
  type Organization,
  type OrganizationChanges,
  type OrganizationKind,
  type OrganizationUser,
  type Page,
} from './types.ts';

export type OrganizationQuery = { kind?: OrganizationKind | ''; q?: string; limit?: number; cursor?: string };

const base = '/api/v1/organizations';
/** The hub's most per page. */
const MAX_PAGE = 500;
const one = (organizationId: string) => `${base}/${encodeURIComponent(organizationId)}`;

export const organizationsApi = {
  list: (query: OrganizationQuery, signal?: AbortSignal) => api.get<Page<Organization>>(base, query, signal),
  get: (organizationId: string, signal?: AbortSignal) =>
    api.get<Organization>(one(organizationId), undefined, signal),
  create: (organization: NewOrganization) => api.post<Organization>(base, organization),
  update: (organizationId: string, changes: OrganizationChanges) =>
    api.patch<Organization>(one(organizationId), changes),

  /** How many organizations of each kind the hub has (a few thousand at most, so read whole). */
  async countByKind(signal?: AbortSignal): Promise<Record<OrganizationKind, number>> {
    const organizations = await readAllPages((cursor) => organizationsApi.list({ limit: MAX_PAGE, cursor }, signal));
    const counts = Object.fromEntries(ORGANIZATION_KINDS.map((kind) => [kind, 0])) as Record<OrganizationKind, number>;
    for (const organization of organizations) counts[organization.kind] += 1;
    return counts;
  },

  listUsers: (organizationId: string, signal?: AbortSignal) =>
    api.get<List<OrganizationUser>>(`${one(organizationId)}/users`, undefined, signal),
  addUser: (organizationId: string, user: NewOrganizationUser) =>
    api.post<OrganizationUser>(`${one(organizationId)}/users`, user),
  removeUser: (organizationId: string, userId: string) =>
    api.delete(`${one(organizationId)}/users/${encodeURIComponent(userId)}`),

  listApiKeys: (organizationId: string, signal?: AbortSignal) =>
    api.get<List<ApiKey>>(`${one(organizationId)}/api-keys`, undefined, signal),
  createApiKey: (organizationId: string, key: { name: string; expiresInDays: number | null }) =>
    api.post<CreatedApiKey>(`${one(organizationId)}/api-keys`, key),
  revokeApiKey: (organizationId: string, keyId: string) =>
    api.delete(`${one(organizationId)}/api-keys/${encodeURIComponent(keyId)}`),
};
