import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema.ts';
import { rowWords } from '../../../files/row-place.ts';
import type { RequestContext } from '../../../http/actor.ts';
import { ConflictError } from '../../../http/errors.ts';
import { authorize } from '../../../policy/policy.ts';
import { recordAudit } from '../../audit-log/audit-log.service.ts';
import { rowsTakenInNotCountedTwice } from '../upload-processor.ts';
import { stoppedBySender } from '../upload-status.ts';
import * as repository from '../uploads.repository.ts';
import type { UploadRow } from '../uploads.repository.ts';

/**
 * Stops an upload that is queued or being taken in, for a file sent by mistake. What was taken in stays,
 * as after any stop: the chunk being stored when this is asked commits first (the upload is locked
 * meanwhile), and the job's next chunk finds the upload stopped and is not stored.
 */
export async function stopUpload(db: Kysely<DB>, context: RequestContext, upload: UploadRow): Promise<UploadRow> {
  authorize(context.actor, 'upload.stop', { organizationId: upload.provider_org_id }, 'upload');
  return db.transaction().execute(async (trx) => {
    const locked = await repository.lockUpload(trx, upload.id);
    if (!locked || (locked.status !== 'queued' && locked.status !== 'running')) throw alreadyEnded(locked ?? upload);
    const stopped = await repository.failUpload(trx, upload.id, { code: stoppedBySender, message: stoppedMessage(context.actor.label, locked), problems: [] });
    await recordAudit(trx, context, {
      action: 'upload.stop',
      entityType: 'upload',
      entityId: upload.id,
      organizationId: upload.provider_org_id,
      details: { rowsDone: locked.rows_done, lastRowNumber: locked.last_row_number },
    });
    return stopped;
  });
}

/** Asked to stop an upload that has ended: how it ended (stopped by someone, perhaps a moment ago in another tab). */
function alreadyEnded(upload: UploadRow): ConflictError {
  if (upload.error_code === stoppedBySender) return new ConflictError('upload_done', `This upload is already stopped: ${upload.error_message}`);
  if (upload.status === 'failed') return new ConflictError('upload_done', 'This upload has already ended, on an error (its page says which): there is nothing to stop.');
  return new ConflictError('upload_done', 'This upload is already done: there is nothing to stop. Its receipt lists every row it took in.');
}

/**
 * Who stopped the upload, what was taken in before, and how to send the rest without sending a row twice;
 * or, when the whole file was already taken in, how to take it back.
 */
function stoppedMessage(stoppedBy: string, upload: UploadRow): string {
  if (upload.rows_done === 0) return `Stopped by ${stoppedBy} before any row was taken in.`;
  if (Number(upload.bytes_done) >= Number(upload.file_bytes)) {
    const all = upload.rows_done === 1 ? 'its one row was' : `all ${upload.rows_done.toLocaleString('en-US')} rows were`;
    return `Stopped by ${stoppedBy} after the whole file was taken in: ${all} taken in and are in the receipt, and nothing is left to send. To take the file back, withdraw the upload.`;
  }
  const rows = upload.rows_done === 1 ? 'The first row was' : `The first ${upload.rows_done.toLocaleString('en-US')} rows, up to ${rowWords(upload.last_row_number, upload.sheets)}, were`;
  return `Stopped by ${stoppedBy}. ${rows} taken in and are in the receipt; to take in the rest, send the file again: ${rowsTakenInNotCountedTwice}`;
}
