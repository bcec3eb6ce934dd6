import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { recordAuditMany } from '../../audit-log/audit-log.service.ts';
import * as repository from '../reports.repository.ts';

/**
 * A withdrawn upload took back the corrections its rows made: the rejected reports they corrected, which no
 * other upload reports, are to fix again (in the rows to fix of the upload that sent them), each with its
 * history and the audit log saying why. Returns how many.
 */
export async function restoreReportsCorrectedBy(
  executor: Executor,
  context: RequestContext,
  upload: { id: string; providerOrgId: string; fileName: string | null },
  withdrawalReason: string,
): Promise<number> {
  const restored = await repository.restoreCorrectedBy(executor, upload.id, upload.providerOrgId);
  const reason = `Its correction, ${upload.fileName ?? 'a file'} (upload ${upload.id}), was withdrawn: ${withdrawalReason}`;
  await repository.insertHistory(
    executor,
    restored.map((report) => ({
      reportId: report.id,
      providerOrgId: upload.providerOrgId,
      action: 'restored' as const,
      actor: context.actor.label,
      reason,
      before: { deletedAt: report.deletedAt.toISOString(), deleteReason: report.deleteReason },
      after: { deletedAt: null },
    })),
  );
  await recordAuditMany(
    executor,
    context,
    restored.map((report) => ({
      action: 'learner_report.restore',
      entityType: 'learner_report',
      entityId: report.id,
      organizationId: upload.providerOrgId,
      details: { correctedBy: upload.id },
    })),
  );
  return restored.length;
}
