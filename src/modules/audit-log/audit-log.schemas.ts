import { z } from 'zod';
import { cursorSchema, limitSchema, pageOf, strictQuery } from '../../http/common.schemas.ts';

export const auditLogQuerySchema = strictQuery('The audit log takes', {
  actorId: z.uuid({ error: 'Actor must be an account or API key id as shown in the log' }).optional(),
  action: z.string().max(100).optional(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().meta({ description: 'From this date or time (inclusive)' }),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().meta({ description: 'Up to this date or time (exclusive)' }),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type AuditLogQuery = z.infer<typeof auditLogQuerySchema>;

export const auditEntrySchema = z
  .object({
    id: z.string(),
    occurredAt: z.string(),
    actorType: z.enum(['user', 'api_key', 'system']),
    actorId: z.string().nullable(),
    actorLabel: z.string(),
    organizationId: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const auditLogPageSchema = pageOf(auditEntrySchema);
