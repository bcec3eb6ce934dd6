import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../http/errors.ts';
import { count, rowCounts } from '../modules/uploads/upload-lines.ts';
import type { UploadView } from '../modules/uploads/uploads.schemas.ts';
import { CliError, exitStatus, uploadExitStatus } from './cli-error.ts';
import { connectToHub, followAtHub, leaveProviderOut } from './hub-client.ts';
import type { HubOptions } from './hub-client.ts';
import { checkOutputFile, importProgress, reportImported, rowsIn, timeLeft } from './upload-output.ts';
import type { UploadsAccess } from './upload-output.ts';
import { checkProviderId, uploadsAtHub } from './uploads-at-hub.ts';

// `cmehub import FILE --hub URL`: a learner file sent to a running hub through its API, with an organization's
// API key, from a machine that has no access to the hub's database (a provider's nightly script).

export type RemoteImportOptions = HubOptions & {
  provider?: string;
  consent?: string;
  /** As the API takes it: month_first or day_first. */
  dates?: string;
  activity?: string;
  completionDate?: string;
  format?: string;
  receipt?: string;
  rowsToFix?: string;
};

/**
 * Sends the file (sent again after an outage, the hub knows it by its SHA-256 and answers with the same
 * upload, so nothing is sent twice), follows its upload to its end, and writes what was asked for.
 */
export async function importThroughHub(file: string, options: RemoteImportOptions): Promise<number> {
  const hub = connectToHub(options, 'a file the hub already has is not taken in twice, and its upload is followed where it is.');
  if (options.receipt) checkOutputFile(options.receipt, 'receipt');
  if (options.rowsToFix) checkOutputFile(options.rowsToFix, 'rows to fix');
  if (options.provider) checkProviderId(options.provider);

  const query = new URLSearchParams({ fileName: path.basename(file) });
  if (options.consent) query.set('consent', options.consent);
  if (options.dates) query.set('dates', options.dates);
  if (options.activity) query.set('activity', options.activity);
  if (options.completionDate) query.set('completionDate', options.completionDate);
  if (options.format) query.set('format', options.format);
  if (options.provider) query.set('providerOrgId', options.provider);
  const sent = await hub.request(`api/v1/uploads?${query}`, () => ({
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: Readable.toWeb(fs.createReadStream(file)) as unknown as BodyInit,
    duplex: 'half',
  }));
  if (!sent.ok) throw sendingRefused(await hub.refusal(sent));
  const created = await hub.json<UploadView & { alreadyUploaded: boolean; message: string }>(sent);
  console.log(`Upload ${created.id}: ${created.message}`);

  const uploads = uploadsAtHub(hub);
  const upload = await follow(uploads, created);
  await reportImported(uploads, upload, options);
  return uploadExitStatus(upload);
}

/** The hub's refusal of the file, in the command's words where the API's would not do. */
function sendingRefused(refused: Error): Error {
  if (!(refused instanceof AppError)) return refused;
  // The API names its options; the command's are what to change here.
  if (refused.code === 'provider_required') {
    return new CliError('An operator\'s key sends a file for a provider it names: add --provider <7-digit provider ID>.', { exitStatus: exitStatus.refused });
  }
  if (refused.code === 'not_your_provider') {
    return new CliError(`This API key sends files for its own provider: ${leaveProviderOut}`, { exitStatus: exitStatus.refused });
  }
  // Another upload of the file is being withdrawn or sent at this moment: the same command later goes through.
  if (refused.status === 409) return new CliError(refused.message, { exitStatus: exitStatus.failed });
  return refused;
}

/**
 * The wait before the next look at a running upload: half the time a tenth of its file takes at its pace, so that a
 * log gets a line at each tenth as the import here writes it, from 250 ms to the 2 s followAtHub waits at most;
 * 250 ms until the pace is known. Undefined for an upload not running: followAtHub waits as it would.
 */
function waitForNextTenthMs(upload: UploadView): number | undefined {
  if (upload.status !== 'running') return undefined;
  if (upload.secondsLeft === null) return 250;
  const tenthMs = (1000 * upload.secondsLeft) / (10 * Math.max(0.1, 1 - upload.progress));
  return Math.min(2000, Math.max(250, tenthMs / 2));
}

/** Follows the upload at the hub to its end: a line when it starts, its progress, and one when it is done. */
async function follow(uploads: UploadsAccess, created: UploadView): Promise<UploadView> {
  const progress = importProgress();
  let saidQueued = false;
  try {
    return await followAtHub(created, {
      look: () => uploads.get(created.id),
      show(upload) {
        if (upload.status === 'queued' && !saidQueued && upload.filesAhead) console.log(`Waiting for its turn: ${count(upload.filesAhead)} ${upload.filesAhead === 1 ? 'file goes' : 'files go'} before it.`);
        saidQueued ||= upload.status === 'queued';
        if (upload.status === 'running' || upload.status === 'finished') {
          const left = upload.secondsLeft === null ? '' : ` | about ${timeLeft(upload.secondsLeft)} left`;
          progress.update(Math.floor(100 * upload.progress), { rows: count(upload.rows.done), counts: rowCounts(upload.rows), left });
        }
      },
      done: (upload) => upload.status === 'finished' || upload.status === 'failed',
      interrupted: (upload) =>
        `Interrupted: no longer following upload ${upload.id} (${rowsIn(upload.rows.done)}); the hub goes on taking it in. ` +
        `The same command again follows it; to stop it: cmehub upload stop ${upload.id}${uploads.hubOption}`,
      waitMs: waitForNextTenthMs,
    });
  } finally {
    progress.stop();
  }
}
