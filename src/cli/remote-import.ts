import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiKeyFromEnvironment } from '../config.ts';
import { count, rowCounts } from '../modules/uploads/upload-lines.ts';
import type { UploadView } from '../modules/uploads/uploads.schemas.ts';
import { CliError, exitStatus, signalExitStatus, uploadExitStatus } from './cli-error.ts';
import { importProgress, noRowsToFixReason, outputFormatOf, timeLeft, uploadSummary } from './upload-output.ts';

// `cmehub import FILE --hub URL`: a learner file sent to a running hub through its API, with an organization's
// API key, from a machine that has no access to the hub's database (a provider's nightly script).

export type RemoteImportOptions = {
  hub: string;
  apiKeyFile?: string;
  provider?: string;
  consent?: string;
  format?: string;
  receipt?: string;
  rowsToFix?: string;
  wait?: string;
};

/** A problem+json answer of the hub. */
type Problem = { code?: string; detail?: string; problems?: { message: string }[] };

const pollMs = 2000;
const lookTimeoutMs = 60_000;

/**
 * The API key: from a file (--api-key-file) or the CMEHUB_API_KEY environment variable, never from the
 * command line, where the process list and the shell's history would show it.
 */
function apiKey(options: RemoteImportOptions): string {
  if (options.apiKeyFile) {
    let key: string;
    try {
      key = fs.readFileSync(options.apiKeyFile, 'utf8').trim();
    } catch {
      throw new CliError(`The API key file ${options.apiKeyFile} cannot be read: check that it is there and its permissions.`);
    }
    if (!key) throw new CliError(`The API key file ${options.apiKeyFile} is empty: write the key your organization's admin created in it.`);
    return key;
  }
  const key = apiKeyFromEnvironment();
  if (!key) {
    throw new CliError(
      "--hub needs an API key of your organization: set CMEHUB_API_KEY, or name a file holding it with --api-key-file. An admin creates one on the organization's page, under API keys.",
    );
  }
  return key;
}

/** The hub's address, checked before anything is sent. */
function hubAddress(hub: string): URL {
  let url: URL;
  try {
    url = new URL(hub);
  } catch {
    throw new CliError(`--hub is the hub's address, such as https://cme.example.org (not ${hub}).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError(`--hub is an http or https address, such as https://cme.example.org (not ${hub}).`);
  return url;
}

/** Why the hub could not be reached, in a few words: "ECONNREFUSED", "ENOTFOUND", "a timeout". */
function unreachableReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error && error.name === 'TimeoutError' ? 'no answer within a minute' : 'no answer';
}

/** Answers that say the hub is restarting or overloaded: asked again later, they may succeed. */
const answersToRetry = new Set([429, 502, 503, 504]);

/**
 * Sends requests to the hub, asking again while it does not answer (restarting, unreachable) for up to
 * `waitMs` since it last answered; each outage is said in one line, and its end in another.
 */
function hubClient(base: URL, key: string, waitMs: number) {
  let outageSince: number | null = null;
  async function request(route: string, init: () => RequestInit = () => ({})): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      try {
        const sent = init();
        const headers = { ...(sent.headers as Record<string, string> | undefined), authorization: `Bearer ${key}` };
        const answer = await fetch(new URL(route, base), { ...sent, headers });
        if (!answersToRetry.has(answer.status)) {
          if (outageSince !== null) console.log('The hub answers again.');
          outageSince = null;
          return answer;
        }
        await answer.body?.cancel();
        reason = `it answered ${answer.status}`;
      } catch (error) {
        reason = unreachableReason(error);
      }
      if (outageSince === null) {
        outageSince = Date.now();
        console.log(`The hub at ${base.origin} does not answer (${reason}): asking again for up to ${timeLeft(Math.round(waitMs / 1000))}.`);
      }
      if (Date.now() - outageSince >= waitMs) {
        throw new CliError(
          `The hub at ${base.origin} has not answered for ${timeLeft(Math.round(waitMs / 1000))} (${reason}). Run the same command again once it answers ` +
            '(or give --wait more minutes): a file the hub already has is not taken in twice, and its upload is followed where it is.',
          { exitStatus: exitStatus.failed },
        );
      }
      await sleep(Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
    }
  }
  return { request };
}

/** The hub's refusal as a message: its detail, each problem it lists, and what to do about a refused key. */
async function refusal(answer: Response): Promise<CliError> {
  const problem = (await answer.json().catch(() => ({}))) as Problem;
  const details = (problem.problems ?? []).map((item) => `\n  ${item.message}`).join('');
  const said = `${problem.detail ?? `The hub answered ${answer.status}.`}${details}`;
  if (answer.status === 401) {
    return new CliError(`The hub refused the API key: ${said} Check the key in CMEHUB_API_KEY or --api-key-file; an admin of your organization creates a new one on its page, under API keys.`);
  }
  // The API names its options; the command's are what to change here.
  if (problem.code === 'provider_required') {
    return new CliError('An operator\'s key sends a file for a provider it names: add --provider <7-digit provider ID>.', { exitStatus: exitStatus.refused });
  }
  // Another upload of the file is being withdrawn or sent at this moment: the same command later goes through.
  return new CliError(said, { exitStatus: answer.status === 409 ? exitStatus.failed : exitStatus.refused });
}

/** Writes a file the hub hands out (a receipt, rows to fix) to `target`. */
async function download(answer: Response, target: string): Promise<void> {
  await pipeline(Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream), fs.createWriteStream(target));
}

/**
 * Sends the file (sent again after an outage, the hub knows it by its SHA-256 and answers with the same
 * upload, so nothing is sent twice), follows its upload to its end, and writes what was asked for.
 */
export async function importThroughHub(file: string, options: RemoteImportOptions): Promise<number> {
  const base = hubAddress(options.hub);
  const key = apiKey(options);
  const waitMinutes = Number(options.wait ?? '15');
  if (!Number.isFinite(waitMinutes) || waitMinutes < 0) throw new CliError('--wait is a number of minutes (0 or more).');
  if (options.receipt) outputFormatOf(options.receipt, 'receipt');
  if (options.rowsToFix) outputFormatOf(options.rowsToFix, 'rows to fix');
  const hub = hubClient(base, key, waitMinutes * 60_000);

  const query = new URLSearchParams({ fileName: path.basename(file) });
  if (options.consent) query.set('consent', options.consent);
  if (options.format) query.set('format', options.format);
  if (options.provider) query.set('providerOrgId', options.provider);
  const sent = await hub.request(`api/v1/uploads?${query}`, () => ({
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: Readable.toWeb(fs.createReadStream(file)) as unknown as BodyInit,
    duplex: 'half',
  }));
  if (!sent.ok) throw await refusal(sent);
  const created = (await sent.json()) as UploadView & { alreadyUploaded: boolean; message: string };
  console.log(`Upload ${created.id}: ${created.message}`);

  const upload = await follow(hub, created);
  console.log(uploadSummary(upload));
  if (options.receipt) {
    const receipt = await hub.request(`api/v1/uploads/${upload.id}/receipt?format=${outputFormatOf(options.receipt, 'receipt')}`);
    if (!receipt.ok) throw await refusal(receipt);
    await download(receipt, options.receipt);
    console.log(`Receipt written to ${options.receipt}`);
  }
  if (options.rowsToFix) await saveRowsToFix(hub, upload, options.rowsToFix);
  return uploadExitStatus(upload);
}

/** Follows the upload at the hub to its end: a line when it starts, its progress, and one when it is done. */
async function follow(hub: ReturnType<typeof hubClient>, created: UploadView): Promise<UploadView> {
  const progress = importProgress();
  // Ctrl-C, or a script's timeout, stops following: the upload goes on at the hub.
  let interruptedBy: NodeJS.Signals | null = null;
  const interrupt = (signal: NodeJS.Signals) => {
    interruptedBy = signal;
  };
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);
  let upload = created;
  let saidQueued = false;
  try {
    for (;;) {
      if (upload.status === 'queued' && !saidQueued && upload.filesAhead) console.log(`Waiting for its turn: ${count(upload.filesAhead)} ${upload.filesAhead === 1 ? 'file goes' : 'files go'} before it.`);
      saidQueued ||= upload.status === 'queued';
      if (upload.status === 'running' || upload.status === 'finished') {
        const left = upload.secondsLeft === null ? '' : ` | about ${timeLeft(upload.secondsLeft)} left`;
        progress.update(Math.floor(100 * upload.progress), { rows: count(upload.rows.done), counts: rowCounts(upload.rows), left });
      }
      if (upload.status === 'finished' || upload.status === 'failed') return upload;
      await sleep(pollMs);
      if (interruptedBy) {
        throw new CliError(
          `Interrupted: no longer following upload ${upload.id} (${count(upload.rows.done)} rows are in); the hub goes on taking it in. The same command again follows it; to stop it, Stop this upload on its page, or POST /api/v1/uploads/${upload.id}/stop.`,
          { exitStatus: signalExitStatus(interruptedBy) },
        );
      }
      // A look that hangs (a connection the network dropped unseen) is given up and asked again; sending the file
      // and downloading a receipt may take longer than any such limit.
      const answer = await hub.request(`api/v1/uploads/${upload.id}`, () => ({ signal: AbortSignal.timeout(lookTimeoutMs) }));
      if (!answer.ok) throw await refusal(answer);
      upload = (await answer.json()) as UploadView;
    }
  } finally {
    progress.stop();
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
  }
}

/** The rows to fix, or why there are none: the import itself still succeeded. */
async function saveRowsToFix(hub: ReturnType<typeof hubClient>, upload: UploadView, target: string): Promise<void> {
  const toFix = upload.rows.toFix;
  if (toFix === 0) {
    console.log(`No rows to fix written to ${target}: ${noRowsToFixReason(upload)}.`);
    return;
  }
  const answer = await hub.request(`api/v1/uploads/${upload.id}/rows-to-fix?format=${outputFormatOf(target, 'rows to fix')}`);
  if (answer.status === 409 || answer.status === 410) {
    console.log(`No rows to fix written: ${((await answer.json().catch(() => ({}))) as Problem).detail ?? `the hub answered ${answer.status}`}`);
    return;
  }
  if (!answer.ok) throw await refusal(answer);
  await download(answer, target);
  console.log(`${count(toFix)} rejected ${toFix === 1 ? 'row' : 'rows'} to fix written to ${target}`);
}
