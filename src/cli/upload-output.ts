import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Hub } from '../hub.ts';
import { AppError } from '../http/errors.ts';
import { count, rowCounts, uploadOutcomeLines } from '../modules/uploads/upload-lines.ts';
import type { UploadView } from '../modules/uploads/uploads.schemas.ts';
import { findOrganizationsNamed, findProviderOrganization } from '../modules/organizations/organizations.repository.ts';
import { isStoppedBySender, rowsToFixSaid } from '../modules/uploads/upload-status.ts';
import { CliError, signalExitStatus } from './cli-error.ts';
import { progressOutput } from './progress-output.ts';

// What the learner upload commands share, here and through a hub: the provider named on the command line, an
// upload's summary and its line in a list, its receipt and its rows to fix.

export type SavedFile = 'receipt' | 'rows to fix';

/**
 * The uploads a command works on: on the hub's own database here (`uploads-here.ts`), or at a running hub
 * through its API (`uploads-at-hub.ts`). Either refuses as the API does, with the service's typed errors.
 */
export type UploadsAccess = {
  /** How the commands it names in its messages reach the same uploads: nothing here, ` --hub <address>` at a hub. */
  hubOption: string;
  /** The latest uploads, newest first: of one provider, named by its 7-digit provider ID or organization id. */
  list(query: { limit: number; provider?: string }): Promise<UploadView[]>;
  get(id: string): Promise<UploadView>;
  stop(id: string): Promise<UploadView>;
  /** Asks for the upload to be withdrawn: the upload, whose withdrawal may still be going on. */
  withdraw(id: string, reason: string): Promise<UploadView>;
  /** Follows a withdrawal asked for to its end, with `show` the reports deleted so far. */
  followWithdrawal(asked: UploadView, show: (deleted: number) => void): Promise<UploadView>;
  /** Writes the upload's receipt or rows to fix to `target`, whole or not at all (`writeFileWhole`). */
  writeFile(upload: UploadView, kind: SavedFile, format: 'csv' | 'xlsx', target: string): Promise<void>;
};

/** No provider has this id, said alike here and at a hub. */
export const noSuchProvider = (id: string) => new CliError(`No provider has the id ${id}; give its 7-digit provider ID or its organization id.`);

/**
 * The provider organization named on this machine's command line by its 7-digit provider ID, its organization id
 * or its name as the hub has it, in any case (`--org` reads the same).
 */
export async function providerNamed(hub: Hub, named: string) {
  const trimmed = named.trim();
  const found = (await findOrganizationsNamed(hub.db, trimmed)).filter((organization) => organization.kind === 'provider');
  if (found.length > 1) {
    const listed = found.map((provider) => `  ${provider.provider_id ?? provider.id}  ${provider.name}`).join('\n');
    throw new CliError(`Several providers are named "${trimmed}"; give --provider the provider ID of the one you mean:\n${listed}`);
  }
  const provider = found.length === 1 ? await findProviderOrganization(hub.db, found[0].id) : undefined;
  if (!provider) throw new CliError(`No provider has the id or name "${trimmed}"; give its 7-digit provider ID, its organization id or its name as the hub has it.`);
  return provider;
}

const problemKindsShown = 5;

/** "4 min 05 s", "35 s". */
export function timeLeft(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** An upload its sender stopped ends as one that failed (`failed`, and its error says who stopped it): it is said stopped. */
function statusWord(upload: UploadView): string {
  return isStoppedBySender(upload) ? 'stopped' : upload.status;
}

/** A running upload's status says how far it has gone, and about how long is left once that is known. */
function statusWords(upload: UploadView): string {
  if (upload.status !== 'running') return statusWord(upload);
  const left = upload.secondsLeft === null ? '' : `, about ${timeLeft(upload.secondsLeft)} left`;
  return `running (${Math.round(upload.progress * 100)}%${left})`;
}

export function uploadSummary(upload: UploadView): string {
  const lines = [`Upload ${upload.id}: ${statusWords(upload)}. ${rowsCounted(upload.rows.done)}: ${rowCounts(upload.rows)}.`];
  const forRows = forRowsLine(upload);
  if (forRows) lines.push(forRows);
  if (upload.dates) lines.push(`The file's dates were read ${upload.dates === 'day_first' ? 'day first (DD/MM/YYYY)' : 'month first (MM/DD/YYYY)'}, as the upload said.`);
  if (upload.error) lines.push(upload.error.message);
  for (const problem of upload.error ? [] : upload.problems) lines.push(`Note: ${problem.message}`);
  if (upload.sheets) lines.push(sheetsLine(upload.sheets));
  const columnsRead = upload.columnsRead && columnsReadLine(upload.columnsRead);
  if (columnsRead) lines.push(columnsRead);
  for (const sheet of upload.sheets?.slice(1) ?? []) {
    const ownColumns = sheet.columns && columnsReadLine({ row: sheet.headerRow, sheet: sheet.name, columns: sheet.columns });
    if (ownColumns) lines.push(ownColumns);
  }
  lines.push(...uploadOutcomeLines(upload, { shown: problemKindsShown, indent: '  ' }));
  return lines.join('\n');
}

/**
 * The headings read as a column of another name ("Hours" as AMA PRA Category 1 credits), and where the header
 * was: null when every heading is its column's own. Those not used are a note of their own.
 */
function columnsReadLine({ row, sheet, columns }: NonNullable<UploadView['columnsRead']>): string | null {
  const renamed = columns.filter(({ heading, readAs }) => readAs && heading.toLowerCase() !== readAs.toLowerCase());
  if (renamed.length === 0) return null;
  const read = renamed.map(({ heading, readAs }) => `"${heading}" as ${readAs}`);
  return `Headings read (the header is row ${row}${sheet ? ` of sheet "${sheet}"` : ''}): ${read.join('; ')}.`;
}

/** The sheets a workbook's rows were read from, one after another, each receipt line naming its own. */
function sheetsLine(sheets: NonNullable<UploadView['sheets']>): string {
  return `Rows read from ${sheets.length} sheets, one after another: ${sheets.map((sheet) => `"${sheet.name}"`).join(', ')}; the receipt names each row's sheet.`;
}

/** The activity and completion date the file was sent with, which its rows that gave none took. */
function forRowsLine({ activityForRows: activity, completionDateForRows: date }: UploadView): string | null {
  if (activity && date) return `Rows without an activity took activity ${activity}; rows without a completion date, ${date}.`;
  if (activity) return `Rows without an activity took activity ${activity}.`;
  return date ? `Rows without a completion date took ${date}.` : null;
}

/** The format of a receipt or rows-to-fix file to write, told by its name: .csv or .xlsx, and no other. */
export function outputFormatOf(target: string, kind: SavedFile): 'csv' | 'xlsx' {
  const format = path.extname(target).toLowerCase().slice(1);
  if (format === 'csv' || format === 'xlsx') return format;
  throw new CliError(`The ${kind} file is written as CSV or Excel: give it a name ending in .csv or .xlsx (not ${path.basename(target)}).`);
}

/**
 * A receipt or rows-to-fix file the command is to write, checked before anything is sent or taken in: its name
 * says CSV or Excel, and its folder is there and takes files (a file found missing only once the upload is done
 * would leave the command to fail after the work, and the script to tell that from the upload failing).
 */
export function checkOutputFile(target: string, kind: SavedFile): void {
  outputFormatOf(target, kind);
  const folder = path.dirname(path.resolve(target));
  const cannot = `The ${kind} file cannot be written to ${target}`;
  let stats: fs.Stats;
  try {
    stats = fs.statSync(folder);
  } catch {
    throw new CliError(`${cannot}: there is no folder ${folder}. Create it first, or give a file in a folder that is there.`);
  }
  if (!stats.isDirectory()) throw new CliError(`${cannot}: ${folder} is not a folder.`);
  try {
    fs.accessSync(folder, fs.constants.W_OK | fs.constants.X_OK);
  } catch {
    throw new CliError(`${cannot}: the folder ${folder} does not let this user write in it. Check its permissions, or give a file in another folder.`);
  }
  const existing = fs.statSync(target, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new CliError(`${cannot}: it is a folder. Name a file in it.`);
}

/** "1 row", "2,500 rows". */
export function rowsCounted(rows: number): string {
  return `${count(rows)} ${rows === 1 ? 'row' : 'rows'}`;
}

/** How far an upload that stopped, or that a command stopped following, had got: "1 row is in", "no row is in yet". */
export function rowsIn(rows: number): string {
  return rows === 0 ? 'no row is in yet' : `${rowsCounted(rows)} ${rows === 1 ? 'is' : 'are'} in`;
}

/** The progress of an upload being taken in, as `cmehub import` shows it here or at a hub. */
export function importProgress() {
  return progressOutput<{ rows: string; counts: string; left: string }>(
    'Importing [{bar}] {percentage}% | {rows} rows | {counts} | {duration_formatted}{left}',
    (percent, values) => `Importing: ${percent}% | ${values.rows} rows | ${values.counts}${values.left}`,
  );
}

/** Why an upload that ended has no rows to fix. */
export function noRowsToFixReason(upload: UploadView): string {
  return upload.rows.rejected === 0 ? 'no row was rejected' : 'the rows rejected have nothing to correct (learners who did not consent, or rows that hold no completion)';
}

/**
 * One line of `cmehub upload list`: the id first, to copy into the other commands; last, of an upload taken in, the
 * rows it rejected with something to correct, as the lists of the web app say (`cmehub upload show` says how many
 * are still to fix).
 */
export function uploadLine(upload: UploadView): string {
  const status = upload.withdrawal ? (upload.withdrawal.status === 'withdrawn' ? 'withdrawn' : 'being withdrawn') : statusWord(upload);
  const rows = `${count(upload.rows.done).padStart(9)} ${upload.rows.done === 1 ? 'row ' : 'rows'}`;
  const toFix = rowsToFixSaid(upload);
  const rowsToFix = toFix ? `  (${count(toFix.count)} ${toFix.words})` : '';
  return `${upload.id}  ${upload.createdAt.slice(0, 16).replace('T', ' ')}  ${status.padEnd(15)}  ${rows}  ${upload.fileName ?? '(no name)'}${rowsToFix}`;
}

/**
 * Writes a file whole or not at all: into a file beside it, renamed once complete, so that a script that
 * reads the receipt never reads the part of one that a failure left (nor an earlier receipt half overwritten).
 */
export async function writeFileWhole(source: Readable, target: string): Promise<void> {
  const part = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.part`);
  // Ctrl-C while the file is written leaves nothing behind: not the part of it written so far.
  const removePart = () => fs.rmSync(part, { force: true });
  const interrupted = (signal: NodeJS.Signals) => {
    removePart();
    process.exit(signalExitStatus(signal));
  };
  const endsOnSignal = process.listenerCount('SIGINT') === 0 && process.listenerCount('SIGTERM') === 0;
  process.once('exit', removePart);
  if (endsOnSignal) process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  try {
    await pipeline(source, fs.createWriteStream(part));
    await fs.promises.rename(part, target);
  } catch (error) {
    await fs.promises.rm(part, { force: true });
    throw error;
  } finally {
    process.off('exit', removePart).off('SIGINT', interrupted).off('SIGTERM', interrupted);
  }
}

/** Writes the receipt, or the rows to fix, of an upload to a file; its extension says CSV or XLSX. */
export async function saveUploadFile(uploads: UploadsAccess, upload: UploadView, target: string, kind: SavedFile): Promise<void> {
  const format = outputFormatOf(target, kind);
  if (upload.status === 'queued' || upload.status === 'running') {
    throw new CliError(
      `Upload ${upload.id} is still being taken in: its ${kind} can be written once it is done. Run this again then (cmehub upload show ${upload.id}${uploads.hubOption} says how far it is).`,
    );
  }
  await uploads.writeFile(upload, kind, format, target);
  const toFix = upload.rows.toFix;
  console.log(kind === 'receipt' ? `Receipt written to ${target}` : `${count(toFix)} rejected ${toFix === 1 ? 'row' : 'rows'} to fix written to ${target}`);
}

/**
 * The rows to fix, when the hub has them for this upload; otherwise why not (an XML file; the same file
 * sent long ago, whose rows to fix are gone), and the import still succeeded.
 */
export async function saveRowsToFix(uploads: UploadsAccess, upload: UploadView, target: string): Promise<void> {
  if (upload.rows.toFix === 0) {
    console.log(`No rows to fix written to ${target}: ${noRowsToFixReason(upload)}.`);
    return;
  }
  try {
    await saveUploadFile(uploads, upload, target, 'rows to fix');
  } catch (error) {
    if (!(error instanceof AppError && (error.status === 409 || error.status === 410))) throw error;
    console.log(`No rows to fix written: ${error.code === 'rows_all_corrected' ? allCorrectedWords(uploads, upload) : error.message}`);
  }
}

/** Every rejected row corrected since or deleted, said with what to run here rather than the API's request. */
function allCorrectedWords(uploads: UploadsAccess, upload: UploadView): string {
  return (
    'every rejected row of this upload was corrected since or deleted: none is left to fix. Its page in the web app says which was corrected and which deleted; ' +
    `its receipt still lists them as they were sent: cmehub upload receipt ${upload.id} FILE.xlsx${uploads.hubOption} (or .csv).`
  );
}

/**
 * What an import says once its file is taken in, here or at a hub: the upload's summary, then its receipt and rows to
 * fix written where asked; rows still to fix not asked for are said with the command that writes them (not of an XML
 * file, whose rows are corrected in the learning system that wrote it, nor of an upload withdrawn).
 */
export async function reportImported(uploads: UploadsAccess, upload: UploadView, options: { receipt?: string; rowsToFix?: string }): Promise<void> {
  console.log(uploadSummary(upload));
  if (options.receipt) await saveUploadFile(uploads, upload, options.receipt, 'receipt');
  const stillToFix = upload.rows.stillToFix ?? upload.rows.toFix;
  if (options.rowsToFix) await saveRowsToFix(uploads, upload, options.rowsToFix);
  else if (stillToFix > 0 && upload.format !== 'xml' && !upload.withdrawal) {
    const rows = stillToFix === 1 ? 'The rejected row' : `The ${count(stillToFix)} rejected rows`;
    console.log(`${rows} to fix can be written to a file, to correct and import again: cmehub upload rows-to-fix ${upload.id} FILE.xlsx${uploads.hubOption} (or .csv).`);
  }
}
