import type { Command } from 'commander';
import { count } from '../modules/uploads/upload-lines.ts';
import type { UploadView } from '../modules/uploads/uploads.schemas.ts';
import { CliError } from './cli-error.ts';
import { checkHubOptions, connectToHub } from './hub-client.ts';
import type { HubOptions } from './hub-client.ts';
import { withHub } from './hub-command.ts';
import { idArgument } from './id-argument.ts';
import { progressOutput } from './progress-output.ts';
import { checkOutputFile, saveRowsToFix, saveUploadFile, uploadLine, uploadSummary } from './upload-output.ts';
import type { UploadsAccess } from './upload-output.ts';
import { uploadsAtHub } from './uploads-at-hub.ts';
import { uploadsHere } from './uploads-here.ts';

type UploadCommandOptions = Partial<HubOptions>;

/** Runs a command on the uploads on the hub's own database, or, with --hub, at a running hub through its API. */
function withUploads(options: UploadCommandOptions, work: (uploads: UploadsAccess) => Promise<void>): Promise<void> {
  checkHubOptions(options);
  if (options.hub) return work(uploadsAtHub(connectToHub({ ...options, hub: options.hub })));
  return withHub((hub) => work(uploadsHere(hub)));
}

/** Runs a command on one upload, named by its id. */
function withUpload(id: string, options: UploadCommandOptions, work: (uploads: UploadsAccess) => Promise<void>): Promise<void> {
  idArgument(id, 'an upload id', "cmehub upload list and cmehub import print it, and it is in the upload's address");
  return withUploads(options, work);
}

/** Follows a withdrawal asked for to its end, with a progress bar (in a log, a line at each tenth). */
async function followWithdrawal(uploads: UploadsAccess, asked: UploadView): Promise<UploadView> {
  const taken = asked.rows.done - asked.rows.duplicates;
  const progress = progressOutput<{ deleted: string; taken: string }>(
    'Withdrawing [{bar}] {deleted} of {taken} reports deleted | {duration_formatted}',
    (_percent, values) => `Withdrawing: ${values.deleted} of ${values.taken} reports deleted`,
  );
  const show = (deleted: number) => progress.update(taken === 0 ? 100 : Math.floor((100 * deleted) / taken), { deleted: count(deleted), taken: count(taken) });
  show(asked.withdrawal?.reports ?? 0);
  try {
    const done = await uploads.followWithdrawal(asked, show);
    show(done.withdrawal?.reports ?? 0);
    return done;
  } finally {
    progress.stop();
  }
}

/** Where the upload commands work: here, or at a hub through its API. */
function hubOptions(command: Command): Command {
  return command
    .option('--hub <url>', "the hub at this address, through its API with your organization's API key (CMEHUB_API_KEY or --api-key-file), rather than the database here")
    .option('--api-key-file <file>', 'with --hub: a file holding the API key, rather than CMEHUB_API_KEY (never the key itself on the command line)')
    .option('--wait <minutes>', 'with --hub: how long to keep asking a hub that does not answer (restarting, unreachable) before giving up (15 by default)');
}

const uploadHelp = `
Uploads are those of the hub's own database (DATABASE_URL, or the embedded one
in DATA_DIR, which a running hub keeps to itself), as the operator; or, with
--hub https://cme.example.org, those of a running hub through its API, as your
organization's API key sees them (read from CMEHUB_API_KEY or --api-key-file):
your provider's own, or every provider's with an operator's key.

Exit status:
  0  done (rows-to-fix also when there is no row to fix: it says why)
  2  refused: the call must change first (not an upload id, an upload that
     is not there or not the key's to see, one still being taken in or
     already done, a refused API key, a file to write in a folder that is
     not there, a --hub address that answers with a web page)
  1  the database failed, or the hub failed or did not answer for --wait
     minutes`;

/** `cmehub upload list|show|stop|withdraw|receipt|rows-to-fix`: one learner upload, as its page in the web app offers. */
export function registerUploadCommands(program: Command) {
  const upload = program.command('upload').description('List, look at, stop or withdraw learner uploads, here or at a hub (--hub <url>)').addHelpText('after', uploadHelp);
  hubOptions(upload.command('list'))
    .option('--provider <id>', "only this provider's uploads: its 7-digit provider ID or organization id (here, without --hub, also its name; with --hub, an operator's key)")
    .option('--limit <n>', 'how many, newest first', '20')
    .description('The latest learner uploads: id, when, file, status and row counts')
    .addHelpText('after', uploadHelp)
    .action((options: UploadCommandOptions & { provider?: string; limit: string }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new CliError('--limit is a whole number from 1 to 500.');
      return withUploads(options, async (uploads) => {
        const listed = await uploads.list({ limit, provider: options.provider });
        if (listed.length === 0) console.log('No upload yet.');
        for (const item of listed) console.log(uploadLine(item));
      });
    });
  // Commands that print the upload as an operation leaves it.
  const operations: [name: string, description: string, operate: (uploads: UploadsAccess, id: string) => Promise<UploadView>][] = [
    ['show', 'Status, row counts and the most common problems of an upload', (uploads, id) => uploads.get(id)],
    ['stop', 'Stop an upload that waits or is being taken in; the rows already taken in stay', (uploads, id) => uploads.stop(id)],
  ];
  for (const [name, description, operate] of operations) {
    hubOptions(upload.command(name).argument('<id>', 'the upload id'))
      .description(description)
      .addHelpText('after', uploadHelp)
      .action((id: string, options: UploadCommandOptions) => withUpload(id, options, async (uploads) => console.log(uploadSummary(await operate(uploads, id)))));
  }
  hubOptions(upload.command('withdraw').argument('<id>', 'the upload id'))
    .requiredOption('--reason <text>', 'why: kept with every deleted report')
    .description('Delete every report an upload took in, for a file sent by mistake (reports on file before it stay)')
    .addHelpText('after', uploadHelp)
    .action((id: string, options: UploadCommandOptions & { reason: string }) => {
      if (options.reason.trim().length < 3) throw new CliError('Say why the upload is withdrawn: --reason "…" (at least 3 characters).');
      return withUpload(id, options, async (uploads) => {
        const asked = await uploads.withdraw(id, options.reason.trim());
        const done = asked.withdrawal?.status === 'withdrawing' ? await followWithdrawal(uploads, asked) : asked;
        console.log(uploadSummary(done));
      });
    });
  hubOptions(upload.command('receipt').argument('<id>', 'the upload id').argument('<file>', 'where to write it: .csv or .xlsx'))
    .description("Write an upload's receipt, one line per row of its file")
    .addHelpText('after', uploadHelp)
    .action((id: string, file: string, options: UploadCommandOptions) => {
      checkOutputFile(file, 'receipt');
      return withUpload(id, options, async (uploads) => saveUploadFile(uploads, await uploads.get(id), file, 'receipt'));
    });
  hubOptions(upload.command('rows-to-fix').argument('<id>', 'the upload id').argument('<file>', 'where to write them: .csv or .xlsx'))
    .description("Write an upload's rejected rows, to correct and import again (or say why there are none to write)")
    .addHelpText('after', uploadHelp)
    .action((id: string, file: string, options: UploadCommandOptions) => {
      checkOutputFile(file, 'rows to fix');
      return withUpload(id, options, async (uploads) => saveRowsToFix(uploads, await uploads.get(id), file));
    });
}
