import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { NotFoundError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { sentInUpload } from '../reports.dependencies.ts';
import * as repository from '../reports.repository.ts';

/** One report with its full history: who reported it, and every change since. */
export async function getLearnerReport(executor: Executor, context: RequestContext, id: string) {
  const row = await repository.findReport(executor, id);
  if (!row) throw new NotFoundError('learner report');
  authorize(context.actor, 'learnerReport.read', { organizationId: row.provider_org_id }, 'learner report');
  const history = await repository.listHistory(executor, id);
  await recordAudit(executor, context, {
    action: 'learner_report.read',
    entityType: 'learner_report',
    entityId: id,
    organizationId: row.provider_org_id,
  });
  const view = repository.toLearnerReportView(row);
  return {
    ...view,
    sentIn: row.upload_id ? await sentInUpload(executor, row.upload_id, row.row_number, { rejected: row.status === 'rejected' }) : null,
    history: [
      { action: 'reported' as const, actor: row.reported_by, occurredAt: view.reportedAt, reason: null, before: null, after: null },
      ...history.map((entry) => ({
        action: entry.action,
        actor: entry.actor,
        occurredAt: new Date(entry.occurred_at).toISOString(),
        reason: entry.reason,
        before: entry.before,
        after: entry.after,
      })),
    ],
  };
}
