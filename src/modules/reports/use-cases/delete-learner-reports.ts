import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { NotFoundError } from '../../../http/errors.ts';
import { authorize, can } from '../../../policy/policy.ts';
import { recordAuditMany } from '../../audit-log/audit-log.service.ts';
import { snapshotOf } from '../report-snapshot.ts';
import * as repository from '../reports.repository.ts';

/**
 * Deletes rejected reports that a report sent later corrected, saying by what (`by`: a file, or a report), so that
 * their receipt lines tell them from reports deleted by hand (`repository.correctedByLaterReportLike`, and
 * `corrected_by_upload_id`).
 */
export function deleteCorrectedReports(executor: Executor, context: RequestContext, ids: string[], by: string, correctedByUploadId: string | null) {
  return deleteLearnerReports(executor, context, ids, repository.correctedReason(by), { onlyStatus: 'rejected', correctedByUploadId });
}

/**
 * Deletes reports with a reason, as PARS does: the credit leaves the passport and the boards, the
 * report and its history stay, and the learner can be reported again. Reports that are missing or
 * belong to another organization are listed as not found; already deleted ones are left as they are
 * (with their first reason) and listed as such, and those in another status than `onlyStatus`, when
 * given, are left as they are.
 */
export async function deleteLearnerReports(
  executor: Executor,
  context: RequestContext,
  ids: string[],
  reason: string,
  { onlyStatus, correctedByUploadId }: { onlyStatus?: 'rejected'; correctedByUploadId?: string | null } = {},
) {
  const { actor } = context;
  const scope = actor.role === 'operator' ? null : actor.organizationId;
  const rows = await repository.findReportsForUpdate(executor, scope, [...new Set(ids)]);
  const allowed = rows.filter((row) => can(actor, 'learnerReport.delete', { organizationId: row.provider_org_id }));
  const live = allowed.filter((row) => row.deleted_at === null && (!onlyStatus || row.status === onlyStatus));
  const liveById = new Map(live.map((row) => [row.id, row]));
  const deleted = await repository.markDeleted(
    executor,
    live.map((row) => row.id),
    actor.label,
    reason,
    correctedByUploadId,
  );
  await repository.deleteCreditLines(
    executor,
    deleted.map((row) => row.id),
  );
  await repository.insertHistory(
    executor,
    deleted.map((row) => ({
      reportId: row.id,
      providerOrgId: row.provider_org_id,
      action: 'deleted' as const,
      actor: actor.label,
      reason,
      before: snapshotOf(liveById.get(row.id) ?? row),
      after: { deletedAt: row.deleted_at ? new Date(row.deleted_at).toISOString() : null },
    })),
  );
  await recordAuditMany(
    executor,
    context,
    deleted.map((row) => ({
      action: 'learner_report.delete',
      entityType: 'learner_report',
      entityId: row.id,
      organizationId: row.provider_org_id,
    })),
  );
  const found = new Set(allowed.map((row) => row.id));
  const deletedBefore = new Set(allowed.filter((row) => row.deleted_at !== null).map((row) => row.id));
  return {
    deleted: deleted.length,
    alreadyDeleted: [...new Set(ids)].filter((id) => deletedBefore.has(id)),
    notFound: ids.filter((id) => !found.has(id)),
  };
}

/**
 * Deletes one report; a report that is not the caller's to delete is not found. Deleting it again (a retry)
 * changes nothing and answers with the deletion on file, saying it was already deleted.
 */
export async function deleteLearnerReport(executor: Executor, context: RequestContext, id: string, reason: string) {
  const existing = await repository.findReport(executor, id);
  if (!existing) throw new NotFoundError('learner report');
  authorize(context.actor, 'learnerReport.delete', { organizationId: existing.provider_org_id }, 'learner report');
  const { alreadyDeleted } = await deleteLearnerReports(executor, context, [id], reason);
  const row = await repository.findReport(executor, id);
  return { ...repository.toLearnerReportView(row ?? existing), alreadyDeleted: alreadyDeleted.length > 0 };
}
