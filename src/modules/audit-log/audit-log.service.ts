import type { Executor } from '../../db/database.ts';
import type { RequestContext } from '../../http/actor.ts';
import { authorize } from '../../policy/policy.ts';
import { cursorField, decodeCursor, encodeCursor, filtersOf } from '../../http/cursor.ts';
import { insertAuditEntries, searchAuditEntries } from './audit-log.repository.ts';
import type { AuditLogQuery } from './audit-log.schemas.ts';

/** What happened to which record. `details` must never hold personal data. */
export type AuditEvent = {
  action: string;
  entityType: string;
  entityId: string | null;
  organizationId?: string | null;
  details?: Record<string, unknown>;
};

function toEntry(context: RequestContext, event: AuditEvent) {
  const { actor } = context;
  return {
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    organizationId: event.organizationId !== undefined ? event.organizationId : actor.organizationId,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    requestId: context.requestId,
    details: event.details ?? null,
  };
}

/** Records an event in the caller's transaction, so the entry exists exactly when the change does. */
export function recordAudit(executor: Executor, context: RequestContext, event: AuditEvent): Promise<void> {
  return insertAuditEntries(executor, [toEntry(context, event)]);
}

export function recordAuditMany(executor: Executor, context: RequestContext, events: AuditEvent[]): Promise<void> {
  return insertAuditEntries(
    executor,
    events.map((event) => toEntry(context, event)),
  );
}

export async function searchAuditLog(executor: Executor, context: RequestContext, query: AuditLogQuery) {
  authorize(context.actor, 'auditLog.read');
  // A cursor goes on the entries it came from: with other filters, its place would page a list it does not belong to.
  const listedWith = filtersOf(query);
  const cursor = query.cursor ? decodeCursor(query.cursor, { id: cursorField.integer }, listedWith) : undefined;
  const rows = await searchAuditEntries(executor, { ...query, beforeId: cursor?.id, limit: query.limit });
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: String(row.id),
      occurredAt: row.occurred_at.toISOString(),
      actorType: row.actor_type,
      actorId: row.actor_id,
      actorLabel: row.actor_label,
      organizationId: row.organization_id,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      requestId: row.request_id,
      details: (row.details as Record<string, unknown> | null) ?? null,
    })),
    nextCursor: rows.length > query.limit ? encodeCursor({ id: Number(page[page.length - 1].id) }, listedWith) : null,
  };
}
