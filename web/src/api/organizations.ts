import { api } from './client.ts';
import type {
  ApiKey,
  CreatedApiKey,
  List,
  NewOrganization,
  NewOrganizationUser,
  Organization,
  OrganizationChanges,
  OrganizationKind,
  OrganizationUser,
  Page,
} from './types.ts';

export type OrganizationQuery = { kind?: OrganizationKind | ''; q?: string; limit?: number; cursor?: string };

const base = '/api/v1/organizations';
const one = (organizationId: string) => `${base}/${encodeURIComponent(organizationId)}`;

export const organizationsApi = {
  list: (query: OrganizationQuery, signal?: AbortSignal) => api.get<Page<Organization>>(base, query, signal),
  get: (organizationId: string, signal?: AbortSignal) =>
    api.get<Organization>(one(organizationId), undefined, signal),
  create: (organization: NewOrganization) => api.post<Organization>(base, organization),
  update: (organizationId: string, changes: OrganizationChanges) =>
    api.patch<Organization>(one(organizationId), changes),

  listUsers: (organizationId: string, signal?: AbortSignal) =>
    api.get<List<OrganizationUser>>(`${one(organizationId)}/users`, undefined, signal),
  addUser: (organizationId: string, user: NewOrganizationUser) =>
    api.post<OrganizationUser>(`${one(organizationId)}/users`, user),
  removeUser: (organizationId: string, userId: string) =>
    api.delete(`${one(organizationId)}/users/${encodeURIComponent(userId)}`),

  listApiKeys: (organizationId: string, signal?: AbortSignal) =>
    api.get<List<ApiKey>>(`${one(organizationId)}/api-keys`, undefined, signal),
  createApiKey: (organizationId: string, name: string) =>
    api.post<CreatedApiKey>(`${one(organizationId)}/api-keys`, { name }),
  revokeApiKey: (organizationId: string, keyId: string) =>
    api.delete(`${one(organizationId)}/api-keys/${encodeURIComponent(keyId)}`),
};
