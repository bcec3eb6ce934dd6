import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { Executor } from '../../../db/database.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { recordAudit, recordAuditMany } from '../../audit-log/audit-log.service.ts';
import { deleteLearnerReports } from '../../reports/use-cases/delete-learner-reports.ts';
import { restoreReportsCorrectedBy } from '../../reports/use-cases/restore-corrected-reports.ts';
import { actorOf, alreadyOnFile } from '../upload-processor.ts';
import * as repository from '../uploads.repository.ts';
import type { UploadRow } from '../uploads.repository.ts';

export type WithdrawalOptions = {
  db: Kysely<DB>;
  /** The worker's run, which holds the withdrawal's lease (`claimWithdrawal`). */
  run: string;
  leaseMs: number;
  /** Reports deleted per transaction. */
  pageRows: number;
  /** Asked between pages; true leaves the rest to the next run. */
  shouldStop?: () => boolean | Promise<boolean>;
  /** Told after each page, with the reports deleted so far. */
  onPage?: (reportsDeleted: number) => void;
};

export type WithdrawalOutcome = 'withdrawn' | 'stopped' | 'lost';

/** Another run took the withdrawal over (this one's lease ran out): its page must not commit. */
class WithdrawalLeaseLostError extends Error {}

/**
 * Leaves on file, as the later upload's, each report that a later upload also sent (its row was receipted as
 * a repeat, "already reported"): withdrawing the first file must not take back a completion the second
 * reported. The ids of the reports kept.
 */
async function handOverToLaterSenders(trx: Executor, context: RequestContext, upload: UploadRow, reportIds: string[]): Promise<Set<string>> {
  const senders = await repository.laterSenders(trx, upload.id, upload.provider_org_id, reportIds);
  await repository.handOverReports(
    trx,
    senders.map((sender) => ({ ...sender, problemsLeft: sender.problems.filter((problem) => problem.code !== alreadyOnFile) })),
  );
  await recordAuditMany(
    trx,
    context,
    senders.map((sender) => ({
      action: 'learner_report.handed_over',
      entityType: 'learner_report',
      entityId: sender.reportId,
      organizationId: upload.provider_org_id,
      details: { fromUpload: upload.id, toUpload: sender.uploadId, row: sender.rowNumber },
    })),
  );
  return new Set(senders.map((sender) => sender.reportId));
}

/**
 * Carries out an upload's withdrawal, leased to `options.run`: deletes the reports the upload took in (not
 * those on file that its repeated rows pointed to, nor those a later upload sent again) as deleting them one by one would, for whoever asked,
 * a page at a time from where the last run stopped, each page in one transaction with its progress.
 */
export async function runWithdrawal(options: WithdrawalOptions, upload: UploadRow): Promise<WithdrawalOutcome> {
  const { db, run } = options;
  const withdrawal = upload.withdrawal;
  if (!withdrawal) throw new Error(`upload ${upload.id} has no withdrawal to run`);
  const context = { actor: actorOf(withdrawal.requestedBy), requestId: `withdrawal:${upload.id}` };
  let reports = withdrawal.reports;
  try {
    for (let afterRow = withdrawal.afterRow; ; ) {
      const page = await repository.reportsTakenIn(db, upload.id, upload.provider_org_id, { afterRow, limit: options.pageRows });
      if (page.length === 0) break;
      const lastRow = page[page.length - 1].row_number;
      reports += await db.transaction().execute(async (trx) => {
        const reportIds = page.map((line) => line.report_id);
        const kept = await handOverToLaterSenders(trx, context, upload, reportIds);
        const { deleted } = await deleteLearnerReports(trx, context, reportIds.filter((id) => !kept.has(id)), withdrawal.reason);
        if (!(await repository.recordWithdrawalPage(trx, upload.id, run, { deleted, kept: kept.size, afterRow: lastRow }, options.leaseMs))) throw new WithdrawalLeaseLostError();
        return deleted;
      });
      afterRow = lastRow;
      options.onPage?.(reports);
      if (await options.shouldStop?.()) {
        await repository.releaseWithdrawals(db, run);
        return 'stopped';
      }
      // On PGlite the deletions run on the thread that answers requests: let them in between pages.
      await nextTurn();
    }
    await db.transaction().execute(async (trx) => {
      // Its corrections went with it: the rejected reports they replaced are to fix again.
      const toFixAgain = await restoreReportsCorrectedBy(trx, context, { id: upload.id, providerOrgId: upload.provider_org_id, fileName: upload.file_name }, withdrawal.reason);
      if (!(await repository.finishWithdrawal(trx, upload.id, run, toFixAgain))) throw new WithdrawalLeaseLostError();
      await recordAudit(trx, context, {
        action: 'upload.withdrawn',
        entityType: 'upload',
        entityId: upload.id,
        organizationId: upload.provider_org_id,
        details: { reportsDeleted: reports, toFixAgain },
      });
    });
    return 'withdrawn';
  } catch (error) {
    if (error instanceof WithdrawalLeaseLostError) return 'lost';
    throw error;
  }
}
