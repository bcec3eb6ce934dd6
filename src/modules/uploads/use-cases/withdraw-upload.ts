import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { ConflictError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { deleteLearnerReports } from '../../reports/use-cases/delete-learner-reports.ts';
import * as repository from '../uploads.repository.ts';
import type { UploadRow } from '../uploads.repository.ts';

/** Reports deleted per transaction: on PGlite each page holds the thread that answers requests. */
const pageRows = 250;

/**
 * Withdraws a file sent by mistake: deletes, with the reason, every report the upload took in (not the
 * reports on file that its repeated rows pointed to), as deleting them one by one would, a page at a
 * time, each page in a transaction of its own. Asked again after a failure, it goes on where it stopped.
 */
export async function withdrawUpload(db: Kysely<DB>, context: RequestContext, upload: UploadRow, reason: string): Promise<UploadRow> {
  authorize(context.actor, 'upload.withdraw', { organizationId: upload.provider_org_id }, 'upload');
  if (upload.status === 'queued' || upload.status === 'running') {
    throw new ConflictError('upload_not_done', 'The file is still being taken in: stop the upload first, then withdraw what it took in.');
  }
  let withdrawn = 0;
  for (let afterRow = 0; ; ) {
    const page = await repository.reportsTakenIn(db, upload.id, upload.provider_org_id, { afterRow, limit: pageRows });
    if (page.length === 0) break;
    const ids = page.map((line) => line.report_id);
    const { deleted } = await db.transaction().execute((trx) => deleteLearnerReports(trx, context, ids, reason));
    withdrawn += deleted;
    afterRow = page[page.length - 1].row_number;
    // On PGlite the deletions run on the thread that answers requests: let them in between pages.
    await nextTurn();
  }
  return db.transaction().execute(async (trx) => {
    const reports = (upload.withdrawal?.reports ?? 0) + withdrawn;
    const withdrawnUpload = await repository.recordWithdrawal(trx, upload.id, { at: new Date().toISOString(), by: context.actor.label, reason, reports });
    await recordAudit(trx, context, {
      action: 'upload.withdraw',
      entityType: 'upload',
      entityId: upload.id,
      organizationId: upload.provider_org_id,
      details: { reportsDeleted: withdrawn },
    });
    return withdrawnUpload;
  });
}
