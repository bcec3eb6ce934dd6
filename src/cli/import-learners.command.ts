import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Hub } from '../hub.ts';
import { systemContext } from '../http/actor.ts';
import { processUpload } from '../modules/uploads/upload-processor.ts';
import type { UploadProgress } from '../modules/uploads/upload-processor.ts';
import { defaultChunking, uploadLimits } from '../modules/uploads/upload-worker.ts';
import { uploadsDirectory } from '../modules/uploads/upload-storage.ts';
import * as uploadsRepository from '../modules/uploads/uploads.repository.ts';
import type { UploadView } from '../modules/uploads/uploads.schemas.ts';
import { advancePace, secondsLeftAt } from '../modules/uploads/run-pace.ts';
import type { RunPace } from '../modules/uploads/run-pace.ts';
import { createUploadsService, toUploadView } from '../modules/uploads/uploads.service.ts';
import { CliError, cliErrorOf } from './cli-error.ts';
import { providerNamed, rowCounts, saveRowsToFix, saveUploadFile, timeLeft, uploadSummary } from './upload-output.ts';
import { withHub } from './hub-command.ts';

type LearnerImportOptions = { provider?: string; consent?: string; format?: string; receipt?: string; rowsToFix?: string };

const leaseMs = 60_000;

/**
 * Takes a learner file in for a provider, through the same service as the API: stored, checked and
 * queued, then run here with a progress bar. A file sent before is recognised and adds nothing.
 */
export async function importLearnerFile(hub: Hub, file: string, options: LearnerImportOptions): Promise<UploadView> {
  if (!fs.existsSync(file)) throw new CliError(`There is no file ${file}.`);
  if (options.consent && !['written', 'implied'].includes(options.consent)) throw new CliError('--consent is written or implied.');
  if (options.format && !['csv', 'xlsx', 'xml'].includes(options.format)) throw new CliError('--format is csv, xlsx or xml.');
  const provider = await providerNamed(hub, options.provider ?? '');

  const context = systemContext('command line import');
  const uploads = createUploadsService({ db: hub.db, config: hub.config });
  const created = await uploads.create(context, {
    source: fs.createReadStream(file),
    fileName: path.basename(file),
    contentType: undefined,
    format: options.format as 'csv' | 'xlsx' | 'xml' | undefined,
    consent: options.consent as 'written' | 'implied' | undefined,
    providerOrgId: provider.id,
  });
  console.log(`${provider.name} (${provider.provider_id ?? provider.id}): ${created.message}`);
  if (created.alreadyUploaded) return created.upload;

  const bar = new cliProgress.SingleBar(
    { format: 'Importing [{bar}] {percentage}% | {rows} rows | {counts} | {duration_formatted}{left}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { rows: 0, counts: rowCounts({ accepted: 0, pending: 0, rejected: 0, duplicates: 0 }), left: '' });
  const show = (progress: UploadProgress, secondsLeft: number | null) =>
    bar.update(Math.floor((100 * progress.bytesDone) / Math.max(1, progress.fileBytes)), {
      rows: progress.rowsDone,
      counts: rowCounts(progress),
      left: secondsLeft === null ? '' : ` | about ${timeLeft(secondsLeft)} left`,
    });
  // The pace of the run here, measured as the server measures it.
  let pace: RunPace | null = null;
  const showChunk = (progress: UploadProgress) => {
    const last = { at: Date.now(), bytes: progress.bytesDone };
    pace = advancePace(pace, last);
    show(progress, secondsLeftAt(pace.from, last, progress.fileBytes, last.at));
  };
  try {
    const claimed = await uploadsRepository.claimUpload(hub.db, created.upload.id, leaseMs);
    if (claimed) {
      await processUpload(
        {
          db: hub.db,
          uploadsDir: uploadsDirectory(hub.config.dataDir),
          limits: uploadLimits(hub.config),
          ...defaultChunking(hub.database.kind),
          leaseMs,
          onChunk: showChunk,
        },
        claimed,
      );
    } else {
      // A running server took the job first: follow it there.
      for (;;) {
        const upload = await uploadsRepository.findUpload(hub.db, created.upload.id, provider.id);
        if (!upload || upload.status === 'finished' || upload.status === 'failed') break;
        const view = toUploadView(upload, hub.config.uploadFileDays);
        show({ ...view.rows, rowsDone: view.rows.done, bytesDone: Number(upload.bytes_done), fileBytes: view.fileBytes }, view.secondsLeft);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    bar.stop();
  }
  return uploads.get(context, created.upload.id);
}

async function run(file: string, options: LearnerImportOptions): Promise<void> {
  await withHub(async (hub) => {
    try {
      const upload = await importLearnerFile(hub, file, options);
      console.log(uploadSummary(upload));
      if (options.receipt) await saveUploadFile(hub, upload, options.receipt, 'receipt');
      if (options.rowsToFix && upload.rows.rejected > 0) await saveRowsToFix(hub, upload, options.rowsToFix);
      if (upload.status === 'failed') process.exitCode = 1;
    } catch (error) {
      throw cliErrorOf(error);
    }
  });
}

/**
 * `cmehub import FILE --provider <id>`: learner completions (CSV, XLSX or MedBiquitous XML). The
 * `import` command also takes board rosters and NPI files; when it is already defined, learner files
 * join it as the `--provider` form.
 */
export function registerImportLearnersCommand(program: Command) {
  const existing = program.commands.find((command) => command.name() === 'import');
  const command = existing ?? program.command('import').argument('<file>', 'the file to import').description('Import a learner file for a provider');
  command
    .option('--provider <id>', 'learner completions for this provider (7-digit provider ID or organization id)')
    .option('--consent <written|implied>', 'learner files: the learners\' consent, for rows that do not state it')
    .option('--format <csv|xlsx|xml>', 'learner files: the format, when the file name does not tell')
    .option('--receipt <file>', 'learner files: write the receipt there (.csv or .xlsx)')
    .option('--rows-to-fix <file>', 'learner files (CSV or XLSX): write the rejected rows there, to correct and import again (.csv or .xlsx)');
  if (!existing) {
    command.action((file: string, options: LearnerImportOptions) => {
      if (!options.provider) throw new CliError('Say which provider the learner file is for: --provider <id>.');
      return run(file, options);
    });
    return;
  }
  command.description(`${existing.description()}; or learner completions (--provider <id>)`);
  command.hook('preAction', async (thisCommand) => {
    const options = thisCommand.opts<LearnerImportOptions>();
    if (!options.provider) return;
    await run(thisCommand.args[0], options);
    // The learner file is done: the command's other forms must not run.
    process.exit(process.exitCode ?? 0);
  });
}
