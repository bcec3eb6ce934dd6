import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { systemContext } from '../http/actor.ts';
import { detectTabularFormat, peekFirstChunk } from '../files/file-format.ts';
import { AppError } from '../http/errors.ts';
import { createRegistryService, LoadInterruptedError, type RegistryService, type RosterLoadView, type StartedRosterLoad } from '../modules/registry/registry.service.ts';
import type { RequestContext } from '../http/actor.ts';
import { CliError, signalExitStatus, withProblems } from './cli-error.ts';
import { dateOrderOption } from './date-order-option.ts';
import { watchInterruptions } from './interruptions.ts';
import { checkInputFile } from './input-file.ts';
import { withHub } from './hub-command.ts';
import { boardOption, organizationNamed } from './organization-option.ts';
import { keptForRejectedRowsWords } from '../modules/registry/full-roster.ts';
import { count } from '../modules/uploads/upload-lines.ts';
import { rowsCounted } from './upload-output.ts';

/** `dates`: the import command's option, shared with learner files (day-first or month-first). */
type ImportOptions = { roster?: boolean; nppes?: boolean; org?: string; full?: boolean; dates?: string };

/** Counts the bytes read from the file, for a progress bar that knows its end before the rows are counted. */
function countingBytes(onBytes: (bytes: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      onBytes(total);
      done(null, chunk);
    },
  });
}

function summary(load: RosterLoadView): string {
  const [licenses, licensee] = load.kind === 'certifications' ? ['certifications', 'diplomate'] : ['licenses', 'licensee'];
  return [
    `Read ${rowsCounted(load.rowsRead)}: ${count(load.created)} created, ${count(load.updated)} updated, ${count(load.unchanged)} unchanged, ${count(load.rejected)} rejected`,
    load.deactivated ? `; ${count(load.deactivated)} ${licenses} absent from the full roster are now inactive` : '',
    load.keptForRejectedRows ? `; ${keptForRejectedRowsWords(load.keptForRejectedRows, load.kind === 'certifications' ? 'certifications' : 'licenses')}` : '',
    load.absentHeld
      ? `; ${count(load.absentHeld)} ${licenses} absent from the full roster were left as they were: more than a tenth of the board's practising ${licenses}, ` +
        `more often an export cut short or filtered than the whole roster. If the file does list every ${licensee}, make them inactive: ` +
        `cmehub roster make-absent-inactive ${load.id} --org ${load.organizationId} (or on the board's Roster page, or with ` +
        `POST /api/v1/boards/${load.organizationId}/roster/loads/${load.id}/absent-inactive)`
      : '',
    '.',
    loadAndNotes(load),
  ].join('');
}

/** The load's ID and its notes about the file, each on a line of its own. */
function loadAndNotes(load: RosterLoadView): string {
  return [`\nLoad ${load.id}`, ...load.notes.map((note) => `\nNote: ${note.message}`)].join('');
}

/** What a failed load kept, its ID and its notes, as it ended (its notes about rows read further down added then). */
async function failedLoadLines(registry: RegistryService, context: RequestContext, started: RosterLoadView): Promise<string> {
  const load = await registry.getLoad(context, started.organizationId as string, started.id);
  const loaded = load.created + load.updated + load.unchanged + load.rejected;
  const kept =
    loaded > 0
      ? `\n${loaded === 1 ? 'The row before it is' : `The ${count(loaded)} rows before it are`} loaded and kept (${count(load.created)} created, ${count(load.updated)} updated, ${count(load.unchanged)} unchanged, ` +
        `${count(load.rejected)} rejected). Once the file is corrected, run the same command again: the rows already loaded come back unchanged.`
      : '';
  return kept + loadAndNotes(load);
}

export function registerImportRosterCommand(program: Command) {
  program
    .command('import')
    .description('Import a file: a board roster (--roster --org <id>) or an NPPES NPI file (--nppes)')
    .argument('<file>', 'a roster or NPI file (CSV or XLSX), or learner completions (CSV, XLSX or MedBiquitous XML)')
    .option('--roster', 'a licensing or certifying board roster, in the roster template layout')
    .option('--nppes', 'an NPI file in the public NPPES dissemination layout (individuals are loaded)')
    .option(boardOption.flags, `the board whose roster this is: ${boardOption.description}`)
    .option('--full', 'the roster lists every licensee: licenses it leaves out become inactive')
    .action((file: string, options: ImportOptions) =>
      withHub(async (hub) => {
        if (Boolean(options.roster) === Boolean(options.nppes)) throw new CliError('Say what the file is: --roster --org <id> (a board roster), --nppes (an NPI file) or --provider <id> (learner completions).');
        if (options.roster && !options.org) throw new CliError("A roster needs the board it belongs to: --org with the board's id, its code (ABIM) or its name.");
        const board = options.roster && options.org ? await organizationNamed(hub, options.org) : null;
        const dateOrder = dateOrderOption(options.dates);
        checkInputFile(file);
        // What the file is, by its first bytes and name, as the hub tells a file sent to it: one it does not read is
        // refused here, and the command ends with the file.
        const { first, stream: bytes } = await peekFirstChunk(fs.createReadStream(file));
        const format = detectTabularFormat({ fileName: file, contentType: null, head: first ?? Buffer.alloc(0) });
        const size = fs.statSync(file).size;
        const bar = new cliProgress.SingleBar(
          { format: 'Importing [{bar}] {percentage}% | {rows} rows | {duration_formatted}', hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        let rows = 0;
        bar.start(size, 0, { rows: count(rows) });
        const source = bytes.pipe(countingBytes((bytes) => bar.update(bytes, { rows: count(rows) })));
        const registry = createRegistryService({ database: hub.database });
        const onProgress = (rowsRead: number) => {
          rows = rowsRead;
        };
        const context = systemContext('cmehub import');
        const fileInfo = { source, format, fileName: path.basename(file), onDisk: file } as const;
        // Interrupted, the load ends at once as failed, with what it loaded kept, rather than left running.
        const interruption = watchInterruptions(() => source.destroy(new LoadInterruptedError()));
        // A roster's load, once started: one that fails still has its notes about the file (columns not read).
        let started: StartedRosterLoad | null = null;
        try {
          if (board) {
            started = await registry.startRosterLoad(context, board, fileInfo, { fullRoster: Boolean(options.full), onProgress, ...(dateOrder ? { dateOrder } : {}) });
          }
          const load = started ? await started.done : await registry.importNppes(context, fileInfo, { onProgress });
          bar.update(size, { rows: count(load.rowsRead) });
          bar.stop();
          console.log(summary(load));
        } catch (error) {
          bar.stop();
          const signal = interruption.signal();
          if (signal) {
            throw new CliError(
              `Interrupted: the load stopped after ${rowsCounted(rows)}, which ${rows === 1 ? 'is' : 'are'} loaded and kept; nothing after ${rows === 1 ? 'it' : 'them'} was. ` +
                'Run the same command again: the rows already loaded come back unchanged.',
              { exitStatus: signalExitStatus(signal) },
            );
          }
          if (error instanceof AppError) {
            throw new CliError(`${withProblems(error.message, error.problems)}${started ? await failedLoadLines(registry, context, started.load) : ''}`);
          }
          throw error;
        } finally {
          interruption.stop();
        }
      }),
    );
}
