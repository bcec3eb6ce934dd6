import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { Hub } from '../hub.ts';
import { systemContext } from '../http/actor.ts';
import { withdrawalPageRows } from '../modules/uploads/upload-worker.ts';
import { claimWithdrawal } from '../modules/uploads/uploads.repository.ts';
import type { UploadView } from '../modules/uploads/uploads.schemas.ts';
import { createUploadsService } from '../modules/uploads/uploads.service.ts';
import type { UploadsService } from '../modules/uploads/uploads.service.ts';
import { runWithdrawal } from '../modules/uploads/use-cases/run-withdrawal.ts';
import { CliError } from './cli-error.ts';
import { progressOutput } from './progress-output.ts';
import { withHub } from './hub-command.ts';
import { count } from '../modules/uploads/upload-lines.ts';
import { outputFormatOf, providerNamed, saveRowsToFix, saveUploadFile, uploadSummary } from './upload-output.ts';

const context = systemContext('command line');
const leaseMs = 60_000;
const uploadId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs a command on one upload, named by its id, through the same service as the API, as the operator. */
function withUpload(id: string, work: (hub: Hub, uploads: UploadsService) => Promise<void>): Promise<void> {
  if (!uploadId.test(id)) throw new CliError(`"${id}" is not an upload id: cmehub upload list and cmehub import print it, and it is in the upload's address.`);
  return withHub((hub) => work(hub, createUploadsService({ db: hub.db, config: hub.config })));
}

/**
 * Carries out a withdrawal here with a progress bar, as the server's worker would; when a server already
 * carries it out, follows it there.
 */
async function followWithdrawal(hub: Hub, uploads: UploadsService, asked: UploadView): Promise<UploadView> {
  const taken = asked.rows.done - asked.rows.duplicates;
  const progress = progressOutput<{ deleted: string; taken: string }>(
    'Withdrawing [{bar}] {deleted} of {taken} reports deleted | {duration_formatted}',
    (_percent, values) => `Withdrawing: ${values.deleted} of ${values.taken} reports deleted`,
  );
  const show = (deleted: number) => progress.update(taken === 0 ? 100 : Math.floor((100 * deleted) / taken), { deleted: count(deleted), taken: count(taken) });
  show(asked.withdrawal?.reports ?? 0);
  try {
    const run = randomUUID();
    const claimed = await claimWithdrawal(hub.db, run, leaseMs, asked.id);
    if (claimed) {
      await runWithdrawal({ db: hub.db, run, leaseMs, pageRows: withdrawalPageRows(hub.database.kind), onPage: show }, claimed);
    } else {
      for (let upload = asked; upload.withdrawal?.status === 'withdrawing'; upload = await uploads.get(context, asked.id)) {
        show(upload.withdrawal.reports);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    progress.stop();
  }
  return uploads.get(context, asked.id);
}

/** One line of `cmehub upload list`: the id first, to copy into the other commands. */
function uploadLine(upload: UploadView): string {
  const status = upload.withdrawal ? (upload.withdrawal.status === 'withdrawn' ? 'withdrawn' : 'being withdrawn') : upload.status;
  return `${upload.id}  ${upload.createdAt.slice(0, 16).replace('T', ' ')}  ${status.padEnd(15)}  ${count(upload.rows.done).padStart(9)} rows  ${upload.fileName ?? '(no name)'}`;
}

/** `cmehub upload list|show|stop|withdraw|receipt|rows-to-fix`: one learner upload, as its page in the web app offers. */
export function registerUploadCommands(program: Command) {
  const upload = program.command('upload').description('List, look at, stop or withdraw learner uploads');
  upload
    .command('list')
    .option('--provider <id>', "only this provider's uploads (7-digit provider ID or organization id)")
    .option('--limit <n>', 'how many, newest first', '20')
    .description('The latest learner uploads: id, when, file, status and row counts')
    .action((options: { provider?: string; limit: string }) =>
      withHub(async (hub) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliError('--limit is a whole number from 1 to 500.');
        const provider = options.provider ? await providerNamed(hub, options.provider) : null;
        const page = await createUploadsService({ db: hub.db, config: hub.config }).list(context, { limit, providerOrgId: provider?.id });
        if (page.items.length === 0) console.log('No upload yet.');
        for (const item of page.items) console.log(uploadLine(item));
      }),
    );
  // Commands that print the upload as an operation leaves it.
  const operations: [name: string, description: string, operate: (uploads: UploadsService, id: string) => Promise<UploadView>][] = [
    ['show', 'Status, row counts and the most common problems of an upload', (uploads, id) => uploads.get(context, id)],
    ['stop', 'Stop an upload that waits or is being taken in; the rows already taken in stay', (uploads, id) => uploads.stop(context, id)],
  ];
  for (const [name, description, operate] of operations) {
    upload
      .command(name)
      .argument('<id>', 'the upload id')
      .description(description)
      .action((id: string) => withUpload(id, async (_hub, uploads) => console.log(uploadSummary(await operate(uploads, id)))));
  }
  upload
    .command('withdraw')
    .argument('<id>', 'the upload id')
    .requiredOption('--reason <text>', 'why: kept with every deleted report')
    .description('Delete every report an upload took in, for a file sent by mistake (reports on file before it stay)')
    .action((id: string, options: { reason: string }) =>
      withUpload(id, async (hub, uploads) => {
        if (options.reason.trim().length < 3) throw new CliError('Say why the upload is withdrawn: --reason "…" (at least 3 characters).');
        const { upload: asked } = await uploads.withdraw(context, id, options.reason.trim());
        const done = asked.withdrawal?.status === 'withdrawing' ? await followWithdrawal(hub, uploads, asked) : asked;
        console.log(uploadSummary(done));
      }),
    );
  upload
    .command('receipt')
    .argument('<id>', 'the upload id')
    .argument('<file>', 'where to write it: .csv or .xlsx')
    .description("Write an upload's receipt, one line per row of its file")
    .action((id: string, file: string) => {
      outputFormatOf(file, 'receipt');
      return withUpload(id, async (hub, uploads) => saveUploadFile(hub, await uploads.get(context, id), file, 'receipt'));
    });
  upload
    .command('rows-to-fix')
    .argument('<id>', 'the upload id')
    .argument('<file>', 'where to write them: .csv or .xlsx')
    .description("Write an upload's rejected rows, to correct and import again (or say why there are none to write)")
    .action((id: string, file: string) => {
      outputFormatOf(file, 'rows to fix');
      return withUpload(id, async (hub, uploads) => saveRowsToFix(hub, await uploads.get(context, id), file));
    });
}
