import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { executePrepared } from '../../db/prepared-statements.ts';

export type AuditEntryInput = {
  actorType: 'user' | 'api_key' | 'system';
  actorId: string | null;
  actorLabel: string;
  organizationId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  requestId: string | null;
  details: Record<string, unknown> | null;
};

export type AuditSearch = {
  actorId?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
  beforeId?: number;
  limit: number;
};

/** Appends entries in one prepared statement (one array per column, whatever the number of entries). */
export async function insertAuditEntries(executor: Executor, entries: AuditEntryInput[]): Promise<void> {
  if (entries.length === 0) return;
  await executePrepared(
    executor,
    sql`insert into audit_log
          (actor_type, actor_id, actor_label, organization_id, action, entity_type, entity_id, request_id, details)
        select * from unnest(
          ${entries.map((e) => e.actorType)}::text[], ${entries.map((e) => e.actorId)}::uuid[],
          ${entries.map((e) => e.actorLabel)}::text[], ${entries.map((e) => e.organizationId)}::uuid[],
          ${entries.map((e) => e.action)}::text[], ${entries.map((e) => e.entityType)}::text[],
          ${entries.map((e) => e.entityId)}::text[], ${entries.map((e) => e.requestId)}::text[],
          ${entries.map((e) => (e.details ? JSON.stringify(e.details) : null))}::jsonb[])`,
  );
}

export async function searchAuditEntries(executor: Executor, search: AuditSearch) {
  let query = executor.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(search.limit + 1);
  if (search.actorId) query = query.where('actor_id', '=', search.actorId);
  if (search.action) query = query.where('action', '=', search.action);
  if (search.entityType) query = query.where('entity_type', '=', search.entityType);
  if (search.entityId) query = query.where('entity_id', '=', search.entityId);
  if (search.from) query = query.where('occurred_at', '>=', new Date(search.from));
  if (search.to) query = query.where('occurred_at', '<', new Date(search.to));
  if (search.beforeId !== undefined) query = query.where('id', '<', search.beforeId);
  return query.execute();
}
