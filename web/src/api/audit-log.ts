import { api } from './client.ts';
import type { AuditEntry, AuditLogFilter, Page } from './types.ts';

export const auditLogApi = {
  list: (filter: AuditLogFilter & { limit?: number; cursor?: string }, signal?: AbortSignal) =>
    api.get<Page<AuditEntry>>('/api/v1/audit-log', filter, signal),
};
