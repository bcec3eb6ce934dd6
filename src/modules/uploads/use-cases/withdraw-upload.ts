import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { ConflictError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { snapshotOf } from '../upload-processor.ts';
import { notifyUploadQueued } from '../upload-worker.ts';
import * as repository from '../uploads.repository.ts';
import type { UploadRow } from '../uploads.repository.ts';

export const stillBeingTakenIn = () =>
  new ConflictError('upload_not_done', 'The file is still being taken in: stop the upload first, then withdraw what it took in.');

/**
 * Asks for a file sent by mistake to be withdrawn: the upload worker then deletes, with the reason, every
 * report the upload took in (`run-withdrawal.ts`). Recorded at once, so that the page says so from now on;
 * asked again (from another tab, say), the withdrawal already asked for stands, with its reason: `alreadyAsked`.
 */
export async function withdrawUpload(db: Kysely<DB>, context: RequestContext, upload: UploadRow, reason: string): Promise<{ upload: UploadRow; alreadyAsked: boolean }> {
  authorize(context.actor, 'upload.withdraw', { organizationId: upload.provider_org_id }, 'upload');
  const withdrawing = await db.transaction().execute(async (trx) => {
    const locked = await repository.lockUpload(trx, upload.id);
    if (!locked || locked.status === 'queued' || locked.status === 'running') {
      throw stillBeingTakenIn();
    }
    if (locked.withdrawal) return { upload: locked, alreadyAsked: true };
    const reach = await repository.withdrawalReach(trx, upload.id, upload.provider_org_id);
    const requested = await repository.requestWithdrawal(trx, upload.id, {
      requestedAt: new Date().toISOString(),
      requestedBy: snapshotOf(context.actor),
      by: context.actor.label,
      reason,
      reports: 0,
      toDelete: reach.reports - reach.kept,
      afterRow: 0,
      at: null,
    });
    await recordAudit(trx, context, {
      action: 'upload.withdraw',
      entityType: 'upload',
      entityId: upload.id,
      organizationId: upload.provider_org_id,
      details: { reportsToDelete: reach.reports - reach.kept, reportsSentAgainLater: reach.kept },
    });
    return { upload: requested, alreadyAsked: false };
  });
  if (!withdrawing.alreadyAsked) notifyUploadQueued();
  return withdrawing;
}
