import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Hub } from '../hub.ts';
import { systemContext } from '../http/actor.ts';
import type { DateOrder } from '../files/written-dates.ts';
import { processUpload } from '../modules/uploads/upload-processor.ts';
import type { UploadProgress } from '../modules/uploads/upload-processor.ts';
import { defaultChunking, uploadLimits } from '../modules/uploads/upload-worker.ts';
import { uploadsDirectory } from '../modules/uploads/upload-storage.ts';
import * as uploadsRepository from '../modules/uploads/uploads.repository.ts';
import type { UploadView } from '../modules/uploads/uploads.schemas.ts';
import { advancePace, secondsLeftAt } from '../modules/uploads/run-pace.ts';
import type { RunPace } from '../modules/uploads/run-pace.ts';
import { createUploadsService, toUploadView } from '../modules/uploads/uploads.service.ts';
import { CliError, errorKind, exitStatus, signalExitStatus, uploadExitStatus } from './cli-error.ts';
import { dateOption, dateOrderOption } from './date-order-option.ts';
import { checkInputFile } from './input-file.ts';
import { watchInterruptions } from './interruptions.ts';
import type { Interruptions } from './interruptions.ts';
import { count, rowCounts } from '../modules/uploads/upload-lines.ts';
import { checkOutputFile, importProgress, providerNamed, reportImported, rowsCounted, rowsIn, timeLeft } from './upload-output.ts';
import { checkHubOptions } from './hub-client.ts';
import { withHub } from './hub-command.ts';
import { importThroughHub } from './remote-import.ts';
import type { RemoteImportOptions } from './remote-import.ts';
import { uploadsHere } from './uploads-here.ts';

/** The options of `cmehub import FILE` for a learner file: those sent to a hub, which it may be sent to (`--hub`) or not. */
type LearnerImportOptions = Omit<RemoteImportOptions, 'hub'> & { hub?: string };

const leaseMs = 60_000;

/**
 * What is wrong with how the command was called, said before anything is opened or taken in; else the options as the
 * API takes them, a completion date written as on a sheet (6/14/2026, 14/06/2026 with --dates day-first) as YYYY-MM-DD.
 */
function checkedOptions(file: string, options: LearnerImportOptions & { dates?: DateOrder }): LearnerImportOptions {
  if (!options.provider && !options.hub) throw new CliError('Say which provider the learner file is for: --provider <id>.');
  checkHubOptions(options);
  checkInputFile(file);
  if (options.consent && !['written', 'implied'].includes(options.consent)) throw new CliError('--consent is written or implied.');
  if (options.format && !['csv', 'xlsx', 'xml'].includes(options.format)) throw new CliError('--format is csv, xlsx or xml.');
  if (options.activity === '') throw new CliError('--activity is the activity\'s 9-digit hub activity ID, your own ID for it, or its title.');
  const completionDate = options.completionDate === undefined ? undefined : dateOption('--completion-date', options.completionDate, options.dates);
  if (options.receipt) checkOutputFile(options.receipt, 'receipt');
  if (options.rowsToFix) checkOutputFile(options.rowsToFix, 'rows to fix');
  return { ...options, completionDate };
}

/**
 * Takes a learner file in for a provider, through the same service as the API: stored, checked and
 * queued, then run here with a progress bar. A file sent before is recognised and adds nothing; if its
 * upload was not taken in to its end (a command that stopped), it goes on from where it stopped.
 */
export async function importLearnerFile(hub: Hub, file: string, options: LearnerImportOptions): Promise<UploadView> {
  const provider = await providerNamed(hub, options.provider ?? '');

  const context = systemContext('command line import');
  const uploads = createUploadsService({ db: hub.db, config: hub.config });
  const source = fs.createReadStream(file);
  // Interrupted while the file is stored, its copy is removed: a part of it would stay in the uploads folder, unseen.
  const interruption = watchInterruptions((signal) =>
    source.destroy(new CliError('Interrupted while the file was being stored: nothing of it was kept, and no row was taken in.', { exitStatus: signalExitStatus(signal) })),
  );
  try {
    return await takeFileIn(hub, file, options, { provider, context, uploads, source, interruption });
  } finally {
    interruption.stop();
  }
}

type ImportParts = {
  provider: Awaited<ReturnType<typeof providerNamed>>;
  context: ReturnType<typeof systemContext>;
  uploads: ReturnType<typeof createUploadsService>;
  source: fs.ReadStream;
  interruption: Interruptions;
};

async function takeFileIn(hub: Hub, file: string, options: LearnerImportOptions, { provider, context, uploads, source, interruption }: ImportParts): Promise<UploadView> {
  const created = await uploads.create(context, {
    source,
    fileName: path.basename(file),
    contentType: undefined,
    format: options.format as 'csv' | 'xlsx' | 'xml' | undefined,
    consent: options.consent as 'written' | 'implied' | undefined,
    dates: options.dates as DateOrder | undefined,
    activity: options.activity,
    completionDate: options.completionDate,
    providerOrgId: provider.id,
  });
  const sent = created.upload;
  const unfinished = created.alreadyUploaded && (sent.status === 'queued' || sent.status === 'running');
  // A new file is taken in right here, not queued for a server as the API's message says.
  const said = unfinished ? goingOnMessage(sent) : created.alreadyUploaded ? created.message : 'Taking the file in.';
  console.log(`${provider.name} (${provider.provider_id ?? provider.id}): ${said}`);
  if (created.alreadyUploaded && !unfinished) return sent;
  // The embedded database is this process's alone: an upload it finds running was left by a command that stopped.
  if (hub.database.kind === 'pglite') await uploadsRepository.requeueUpload(hub.db, sent.id);

  const progress = importProgress();
  let rowsDone = sent.rows.done;
  progress.update(Math.floor(100 * sent.progress), { rows: count(rowsDone), counts: rowCounts(sent.rows), left: '' });
  const show = (done: UploadProgress, secondsLeft: number | null) => {
    rowsDone = done.rowsDone;
    const end = done.bytesDone >= done.fileBytes;
    progress.update(Math.floor((100 * done.bytesDone) / Math.max(1, done.fileBytes)), {
      rows: count(done.rowsDone),
      counts: rowCounts(done),
      left: secondsLeft === null || end ? '' : ` | about ${timeLeft(secondsLeft)} left`,
    });
  };
  // The pace of the run here, measured as the server measures it.
  let pace: RunPace | null = null;
  const showChunk = (done: UploadProgress) => {
    const last = { at: Date.now(), bytes: done.bytesDone };
    pace = advancePace(pace, last);
    show(done, secondsLeftAt(pace.from, last, done.fileBytes, last.at));
  };
  try {
    // Interrupted once the file was stored, before this command took any row in: the upload waits (on PostgreSQL,
    // one a server is taking in goes on there).
    const early = interruption.signal();
    if (early) throw new CliError(interruptedMessage(sent.id, rowsDone, sent.status !== 'running' || hub.database.kind === 'pglite'), { exitStatus: signalExitStatus(early) });
    for (;;) {
      const claimed = await uploadsRepository.claimUpload(hub.db, sent.id, leaseMs);
      const outcome = claimed
        ? await processUpload(
            {
              db: hub.db,
              uploadsDir: uploadsDirectory(hub.config.dataDir),
              limits: uploadLimits(hub.config),
              ...defaultChunking(hub.database.kind),
              leaseMs,
              onChunk: showChunk,
              shouldStop: () => interruption.signal() !== null,
            },
            claimed,
          )
        : null;
      if (outcome === 'finished' || outcome === 'failed') break;
      const signal = interruption.signal();
      if (signal) throw new CliError(interruptedMessage(sent.id, rowsDone, outcome === 'stopped'), { exitStatus: signalExitStatus(signal) });
      // A server (on PostgreSQL) has the job, or took it over: follow it there, and take it back should it stop.
      const upload = await uploadsRepository.findUpload(hub.db, sent.id, provider.id);
      if (!upload || upload.status === 'finished' || upload.status === 'failed') break;
      const view = toUploadView(upload, hub.config.uploadFileDays);
      show({ ...view.rows, rowsDone: view.rows.done, bytesDone: Number(upload.bytes_done), fileBytes: view.fileBytes }, view.secondsLeft);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    // Left running, the upload would wait for its lease to run out, and the same command again would only say
    // the file was sent: it waits instead, to be taken in again from its last chunk.
    await uploadsRepository.requeueUpload(hub.db, sent.id).catch(() => undefined);
    throw new CliError(stoppedMessage(file, options, rowsDone, error), { cause: error, exitStatus: exitStatus.failed });
  } finally {
    progress.stop();
  }
  return uploads.get(context, sent.id);
}

/** An upload of this file that was not taken in to its end goes on, here or where it is being taken in. */
function goingOnMessage(upload: UploadView): string {
  const when = upload.createdAt.slice(0, 16).replace('T', ' ');
  const sofar = rowsIn(upload.rows.done);
  if (upload.status === 'running') {
    return `This file was sent before (${when} UTC, upload ${upload.id}) and is being taken in (${sofar}): following it here.`;
  }
  return `This file was sent before (${when} UTC, upload ${upload.id}) and its import stopped (${sofar}): it goes on from there.`;
}

/**
 * Interrupted, the command stopped taking the file in after the chunk being stored, and put the upload back in
 * the queue (requeued); or it was following a server's worker, which goes on.
 */
function interruptedMessage(id: string, rowsDone: number, requeued: boolean): string {
  const sofar = rowsIn(rowsDone);
  if (!requeued) return `Interrupted: no longer following upload ${id} (${sofar}); the hub goes on taking it in. To see how far it is: cmehub upload show ${id}`;
  return (
    `Interrupted: upload ${id} waits to be taken in again (${sofar}, and stay). Run the same command again to go on from there ` +
    `(a hub on this database takes it in too, once it runs), or stop it: cmehub upload stop ${id}`
  );
}

function stoppedMessage(file: string, options: LearnerImportOptions, rowsDone: number, error: unknown): string {
  const kept = rowsDone > 0 ? `; the ${rowsCounted(rowsDone)} taken in before it ${rowsDone === 1 ? 'is' : 'are'} kept` : '';
  const again = `cmehub import ${JSON.stringify(file)} --provider ${options.provider}`;
  return `The import stopped on an unexpected error (${errorKind(error)})${kept}. To take in the rest, run the same command again: ${again}`;
}

async function run(file: string, given: LearnerImportOptions): Promise<void> {
  // The order of dates is sent as the API takes it.
  const options = checkedOptions(file, { ...given, dates: dateOrderOption(given.dates), activity: given.activity?.trim() });
  if (options.hub) {
    process.exitCode = await importThroughHub(file, { ...options, hub: options.hub });
    return;
  }
  await withHub(async (hub) => {
    const upload = await importLearnerFile(hub, file, options);
    await reportImported(uploadsHere(hub), upload, options);
    process.exitCode = uploadExitStatus(upload);
  });
}

const learnerImportHelp = `
Learner files are taken in on the hub's own database (DATABASE_URL, or the
embedded one in DATA_DIR, which a running hub keeps to itself), or, with
--hub https://cme.example.org, sent to a running hub through its API with
your organization's API key, read from CMEHUB_API_KEY or --api-key-file; the
provider is then the key's own (--provider only for an operator's key). The
same file again adds nothing: it says how its upload ended, or goes on where
it stopped (with --hub, follows the same upload).

Exit status of a learner file:
  0    taken in, no row to correct
  3    taken in, with rejected rows to correct (--rows-to-fix, or
       cmehub upload rows-to-fix ID FILE)
  2    refused: the command or the file must change (nothing was taken in)
  1    the upload failed or was stopped, or the database failed, or the hub
       did not answer for --wait minutes: the message says what to do
  130  interrupted (Ctrl-C; 143 for SIGTERM) after the rows being stored:
       those taken in stay, and the same command again goes on

Written to a log rather than a terminal, progress is a line at each tenth.`;

/**
 * `cmehub import FILE --provider <id>`: learner completions (CSV, XLSX or MedBiquitous XML). The
 * `import` command also takes board rosters and NPI files; when it is already defined, learner files
 * join it as the `--provider` form.
 */
export function registerImportLearnersCommand(program: Command) {
  const existing = program.commands.find((command) => command.name() === 'import');
  const command = existing ?? program.command('import').argument('<file>', 'the file to import').description('Import a learner file for a provider');
  command
    .option('--provider <id>', 'learner completions for this provider: its 7-digit provider ID or organization id (here, without --hub, also its name)')
    .option('--consent <written|implied>', 'learner files: the learners\' consent, for rows that do not state it')
    .option('--dates <order>', 'learner files (CSV or XLSX) and rosters: the order the file writes dates in, day-first (30/06/2026) or month-first (06/30/2026, as read when not said)')
    .option('--activity <id>', 'learner files (CSV or XLSX): the activity of every row that names none, as a sign-in sheet for one session (its 9-digit hub activity ID, your own ID for it, or its title)')
    .option('--completion-date <date>', 'learner files (CSV or XLSX): the completion date of every row that gives none (YYYY-MM-DD or MM/DD/YYYY; DD/MM/YYYY with --dates day-first)')
    .option('--format <csv|xlsx|xml>', 'learner files: the format, when the file name does not tell')
    .option('--receipt <file>', 'learner files: write the receipt there (.csv or .xlsx)')
    .option('--rows-to-fix <file>', 'learner files (CSV or XLSX): write the rejected rows there, to correct and import again (.csv or .xlsx)')
    .option('--hub <url>', "learner files: send the file to the hub at this address through its API, with your organization's API key (CMEHUB_API_KEY or --api-key-file), instead of taking it in on the database here")
    .option('--api-key-file <file>', 'with --hub: a file holding the API key, rather than CMEHUB_API_KEY (never the key itself on the command line)')
    .option('--wait <minutes>', 'with --hub: how long to keep asking a hub that does not answer (restarting, unreachable) before giving up (15 by default)')
    .addHelpText('after', learnerImportHelp);
  if (!existing) {
    command.action((file: string, options: LearnerImportOptions) => run(file, options));
    return;
  }
  command.description(`${existing.description()}; or learner completions (--provider <id>, or --hub <url> from another machine)`);
  command.hook('preAction', async (thisCommand) => {
    const options = thisCommand.opts<LearnerImportOptions>();
    if (!options.provider && !options.hub) return;
    await run(thisCommand.args[0], options);
    // The learner file is done: the command's other forms must not run.
    process.exit(process.exitCode ?? 0);
  });
}
