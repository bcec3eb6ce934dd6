import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { ConflictError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { countCorrectedByUploadAlone } from '../../reports/reports.repository.ts';
import * as repository from '../uploads.repository.ts';
import type { UploadRow } from '../uploads.repository.ts';
import type { WithdrawalPreview } from '../uploads.schemas.ts';
import { stillBeingTakenIn } from './withdraw-upload.ts';

/**
 * What withdrawing the upload would do now, for the coordinator to read before confirming it: the reports it
 * took in that are still on file and would be deleted, those a later upload also sent, which would stay, and the
 * rejected reports its rows corrected, which would be to fix again.
 */
export async function withdrawalPreview(db: Kysely<DB>, context: RequestContext, upload: UploadRow): Promise<WithdrawalPreview> {
  authorize(context.actor, 'upload.withdraw', { organizationId: upload.provider_org_id }, 'upload');
  if (upload.status === 'queued' || upload.status === 'running') throw stillBeingTakenIn();
  if (upload.withdrawal) throw new ConflictError('upload_withdrawn', 'The withdrawal of this upload was already asked for: its page says how far it has gone.');
  const { reports, kept } = await repository.withdrawalReach(db, upload.id, upload.provider_org_id);
  const rejectedToFixAgain = await countCorrectedByUploadAlone(db, upload.id, upload.provider_org_id);
  return { reportsToDelete: reports - kept, reportsKept: kept, rejectedToFixAgain };
}
