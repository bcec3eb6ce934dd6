import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export type OrganizationKind = 'operator' | 'provider' | 'licensing_board' | 'certifying_board';
export type Role = 'operator' | 'provider_admin' | 'provider_staff' | 'board_admin' | 'board_staff' | 'physician';
export type BoardType = 'MD' | 'DO' | 'combined';

export type FoundationTables = {
  hub_secrets: { name: string; value: string; created_at: CreatedAt };
  organizations: {
    id: Generated<string>;
    kind: OrganizationKind;
    name: string;
    provider_id: string | null;
    jurisdiction: string | null;
    board_type: BoardType | null;
    board_code: string | null;
    accreditation_status: string | null;
    created_at: CreatedAt;
    updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  };
  users: {
    id: Generated<string>;
    organization_id: string | null;
    person_id: string | null;
    email: string;
    display_name: string;
    role: Role;
    password_hash: string;
    failed_login_count: Generated<number>;
    locked_until: Timestamp | null;
    created_at: CreatedAt;
    last_login_at: Timestamp | null;
  };
  sessions: {
    token_hash: string;
    user_id: string;
    csrf_token: string;
    created_at: CreatedAt;
    expires_at: Timestamp;
  };
  api_keys: {
    id: Generated<string>;
    organization_id: string;
    name: string;
    prefix: string;
    key_hash: string;
    created_by: string | null;
    created_at: CreatedAt;
    last_used_at: Timestamp | null;
    revoked_at: Timestamp | null;
    expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
  audit_log: {
    id: Generated<number>;
    occurred_at: CreatedAt;
    actor_type: 'user' | 'api_key' | 'system';
    actor_id: string | null;
    actor_label: string;
    organization_id: string | null;
    action: string;
    entity_type: string;
    entity_id: string | null;
    request_id: string | null;
    details: unknown;
  };
  idempotency_keys: {
    organization_id: string;
    key: string;
    request_hash: string;
    status_code: number;
    response_body: string;
    content_type: string;
    created_at: CreatedAt;
  };
};
