// The shapes of the hub's public HTTP API as the web app uses them.

export const ROLES = [
  'operator',
  'provider_admin',
  'provider_staff',
  'board_admin',
  'board_staff',
  'physician',
] as const;
export type Role = (typeof ROLES)[number];

export const ORGANIZATION_KINDS = ['operator', 'provider', 'licensing_board', 'certifying_board'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const BOARD_TYPES = ['MD', 'DO', 'combined'] as const;
export type BoardType = (typeof BOARD_TYPES)[number];

export const ACCREDITATION_STATUSES = [
  'accredited',
  'accredited_with_commendation',
  'provisional',
  'probation',
  'nonaccredited',
] as const;
export type AccreditationStatus = (typeof ACCREDITATION_STATUSES)[number];

export type Page<T> = { items: T[]; nextCursor: string | null };
export type List<T> = { items: T[] };

export type SessionUser = {
  id: string;
  email: string;
  displayName: string;
  role: Role;
};

export type Me = {
  kind: 'user' | 'api_key';
  role: Role;
  user?: SessionUser;
  apiKey?: { id: string; name: string };
  organization: Organization | null;
};

export type Organization = {
  id: string;
  kind: OrganizationKind;
  name: string;
  providerId: string | null;
  jurisdiction: string | null;
  boardType: BoardType | null;
  boardCode: string | null;
  accreditationStatus: string | null;
  createdAt: string;
};

export type NewOrganization = {
  kind: OrganizationKind;
  name: string;
  providerId?: string;
  jurisdiction?: string;
  boardType?: BoardType;
  boardCode?: string;
  accreditationStatus?: AccreditationStatus;
};

export type OrganizationChanges = { name?: string; accreditationStatus?: AccreditationStatus };

export type OrganizationUser = {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  createdAt: string;
  lastLoginAt: string | null;
};

export type NewOrganizationUser = { email: string; password: string; role: Role; displayName?: string };

export type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** When the key stops working; null: it works until revoked. */
  expiresAt: string | null;
};

export type CreatedApiKey = { id: string; name: string; prefix: string; key: string; createdAt: string; expiresAt: string | null };

export type AuditEntry = {
  id: string;
  occurredAt: string;
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  actorLabel: string | null;
  organizationId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
};

export type AuditLogFilter = {
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
};

export type ReferenceItem = { code: string; name: string };
