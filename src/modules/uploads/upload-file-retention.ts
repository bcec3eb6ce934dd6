import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { DB } from '../../db/schema.ts';
import { systemContext } from '../../http/actor.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import { discardFile, partFilesNotWrittenSince, storedFilePath, uploadsDirectory } from './upload-storage.ts';
import { periodicWorker } from '../../background-work.ts';
import * as repository from './uploads.repository.ts';

const dayMs = 24 * 60 * 60 * 1000;
const sweepEveryMs = 60 * 60 * 1000;

/** Until when the file of an upload done at `finishedAt` is kept. */
export function fileKeptUntil(finishedAt: Date, days: number): Date {
  return new Date(finishedAt.getTime() + days * dayMs);
}

/**
 * Deletes the stored files of uploads done more than `uploadFileDays` ago, and with them the values the
 * receipt kept of their rejected rows for the rows to fix. A file may hold what the hub never keeps (a
 * birth year in a "Date of birth" column). The receipt's lines stay. Several servers may sweep at once:
 * each deletion is recorded once. Returns how many files were due.
 */
export async function removeExpiredUploadFiles(db: Kysely<DB>, config: Pick<Config, 'dataDir' | 'uploadFileDays'>, now = new Date()): Promise<number> {
  const directory = uploadsDirectory(config.dataDir);
  const due = await repository.uploadsWithFilesDoneBefore(db, new Date(now.getTime() - config.uploadFileDays * dayMs));
  for (const upload of due) {
    await discardFile(storedFilePath(directory, upload.storage_path));
    await db.transaction().execute(async (trx) => {
      if (!(await repository.markFileRemoved(trx, upload.id))) return;
      await repository.clearSentValues(trx, upload.id);
      await recordAudit(trx, systemContext('upload file retention'), {
        action: 'upload.file.remove',
        entityType: 'upload',
        entityId: upload.id,
        organizationId: upload.provider_org_id,
        details: { keptDays: config.uploadFileDays },
      });
    });
  }
  return due.length;
}

/**
 * Deletes what is left of files whose sending never ended: a server stopped while receiving one (killed, or
 * its machine restarted) leaves its partial copy, which holds learners' data and belongs to no upload. One
 * still being received is written to all the time; a day unwritten is well past any request's end.
 */
export async function removeAbandonedPartFiles(config: Pick<Config, 'dataDir'>, now = new Date()): Promise<number> {
  const abandoned = await partFilesNotWrittenSince(uploadsDirectory(config.dataDir), new Date(now.getTime() - dayMs));
  for (const file of abandoned) await discardFile(file);
  return abandoned.length;
}

/** Looks for files past their time when the server starts, then every hour. */
export const uploadFileRetention = periodicWorker({
  name: 'upload file retention',
  log: 'uploads',
  everyMs: sweepEveryMs,
  failed: 'old upload files could not be removed; trying again in an hour',
  start: (hub) => async () => {
    await removeExpiredUploadFiles(hub.database.backgroundDb, hub.config);
    await removeAbandonedPartFiles(hub.config);
  },
});
