import type { Executor } from '../../db/database.ts';

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

export async function insertAuditEntries(executor: Executor, entries: AuditEntryInput[]): Promise<void> {
  if (entries.length === 0) return;
  await executor
    .insertInto('audit_log')
    .values(
      entries.map((entry) => ({
        actor_type: entry.actorType,
        actor_id: entry.actorId,
        actor_label: entry.actorLabel,
        organization_id: entry.organizationId,
        action: entry.action,
        entity_type: entry.entityType,
        entity_id: entry.entityId,
        request_id: entry.requestId,
        details: entry.details ? JSON.stringify(entry.details) : null,
      })),
    )
    .execute();
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
