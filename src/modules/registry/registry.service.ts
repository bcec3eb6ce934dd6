import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Database, Executor } from '../../db/database.ts';
import { isRefusedValue, refusedAtRowMessage, refusedRowMessage, refusedRowsBeforeStop, valueNotStored } from '../../db/database-errors.ts';
import { statisticsOfGrowingTables } from '../../db/planner-statistics.ts';
import { headerRowProblems } from '../../files/columns.ts';
import { fileNotices, noticesOfRowsRead } from '../../files/file-notices.ts';
import { rowPlace, rowWords } from '../../files/row-place.ts';
import type { SheetRead } from '../../files/row-place.ts';
import { readTabular } from '../../files/tabular-reader.ts';
import type { FileDownload } from '../../files/tabular-writer.ts';
import type { FileSource, SheetNotRead, TabularFormat, TabularHeader, TabularRow } from '../../files/tabular-reader.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import { systemContext } from '../../http/actor.ts';
import type { RequestContext } from '../../http/actor.ts';
import { AppError, NotFoundError, ValidationError } from '../../http/errors.ts';
import type { Problem } from '../../http/errors.ts';
import { authorize } from '../../policy/policy.ts';
import { recordAudit } from '../audit-log/audit-log.service.ts';
import { leftOutOfFullRoster, noneAbsent } from './full-roster.ts';
import type { AbsentFromLoad } from './full-roster.ts';
import { readNppesRow, nppesColumns, type NppesRecord } from './nppes-rows.ts';
import { emitRegistryChange } from './registry.events.ts';
import type { RegistryChange } from './registry.events.ts';
import * as repository from './registry.repository.ts';
import type { BoardScope, RejectedRow } from './registry.repository.ts';
import type { RosterLoadKind } from './registry.tables.ts';
import { readRosterRow, rosterColumnsOf, type RosterKind, type RosterRecord } from './roster-rows.ts';
import { rosterDateOrderRefusal } from './roster-date-order.ts';
import { rosterReceipt } from './roster-receipt.ts';
import { trackRunningLoad } from './running-loads.ts';
import { makeHeldAbsentInactive } from './use-cases/make-held-absent-inactive.ts';

/**
 * `kept`: where the server keeps the file on its disk while its load runs (the file `source` reads), deleted when
 * the load ends; a load cut off by its server stopping is resumed from it.
 */
/**
 * `onDisk`: the file's path, when `source` is a stream of a file on disk (the command line's, counting its bytes
 * as they go), for it to be read first for how it writes its dates.
 */
export type RosterFile = { source: FileSource; format: TabularFormat; fileName: string | null; kept?: string; onDisk?: string };

export type LoadOptions = {
  /** A full roster lists every licensee: licenses it leaves out become inactive. */
  fullRoster: boolean;
  /**
   * How the roster writes its dates of numbers (30/06/2026 day first). Unsaid, month first; a roster on disk whose
   * dates show it written day first is then refused before its load begins (`roster-date-order.ts`).
   */
  dateOrder?: DateOrder;
  /** Called after each chunk with the number of data rows read so far. */
  onProgress?: (rowsRead: number) => void;
};

/** A roster load as it begins (`load`, running), and its end (`done`): the load with its counts, or the error it stopped on. */
export type StartedRosterLoad = { load: RosterLoadView; done: Promise<RosterLoadView> };

/** A change to the registry sends at most this many person ids to listeners; more means "the whole board". */
const CHANGED_PERSONS_CAP = 10_000;

export function toLoadView(row: NonNullable<Awaited<ReturnType<typeof repository.findLoad>>>) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    kind: row.kind,
    fullRoster: row.full_roster,
    fileName: row.file_name,
    status: row.status,
    rowsRead: row.rows_read,
    created: row.created_count,
    updated: row.updated_count,
    unchanged: row.unchanged_count,
    rejected: row.rejected_count,
    deactivated: row.deactivated_count,
    absentHeld: row.absent_held,
    keptForRejectedRows: row.kept_for_rejected_rows,
    sheets: row.sheets?.map((sheet) => sheet.name) ?? null,
    failure: row.failure,
    dates: row.date_order,
    notes: row.notes.map(({ code, message }) => ({ code, message })),
    resumed: row.resumed_at ? { at: new Date(row.resumed_at).toISOString(), afterRows: row.resumed_after_rows ?? 0 } : null,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}

export type RosterLoadView = ReturnType<typeof toLoadView>;

type RegistryChangeOfLoad = Omit<RegistryChange, 'personIds' | 'loadId'>;

/** What a load of `kind` into a board's part of the registry (none for NPI data) changed, for those who listen. */
function changeOf(scope: BoardScope | null, kind: RosterLoadKind): RegistryChangeOfLoad {
  return {
    kind,
    jurisdiction: scope?.kind === 'licensing_board' ? scope.jurisdiction : null,
    boardCode: scope?.kind === 'certifying_board' ? scope.boardCode : null,
  };
}

/** What a load cut off by its server stopping, with no file to resume it from, says: how far it got, and to send the file again. */
function cutOffMessage(load: { kind: RosterLoadKind; full_roster: boolean; rows_read: number }): string {
  const left = load.full_roster ? ` The ${load.kind} the file leaves out were not made inactive: that is done once the whole file is loaded.` : '';
  const someLoaded = load.rows_read > 0;
  const stopped = someLoaded ? `after ${load.rows_read.toLocaleString('en-US')} rows, which are loaded and kept; nothing after them was` : 'before any row was loaded';
  return `The load was cut off: the server stopped ${stopped}.${left} Upload the file again${someLoaded ? ': the rows already loaded come back unchanged' : ''}.`;
}

/** The rows of a board's roster: licenses for a licensing board, certifications for a certifying one. */
const rosterKindOf = (scope: BoardScope): RosterKind => (scope.kind === 'licensing_board' ? 'licenses' : 'certifications');

/** A header without the columns every row needs: the file is refused, naming the header's row and sheet. */
function headerRefusal(header: TabularHeader): ValidationError | null {
  if (header.ok) return null;
  if (header.rowNumber === 0) return new ValidationError(header.problems, 'The file does not have the columns of a roster. Start from the template, or rename the columns.');
  const where = `row ${header.rowNumber}${header.sheetName ? ` of sheet "${header.sheetName}"` : ''}`;
  return new ValidationError(headerRowProblems(header), `The file's header row (${where}) lacks columns every row needs. Add them, or start from the template.`);
}

/** Headings that make a sheet without the header row look like a sheet of the roster, with two more the hub knows. */
const rosterSheetColumns = new Set(['licenseNumber', 'boardId', 'firstName', 'lastName', 'fullName']);

/**
 * A sheet of a roster's workbook not read though it looks like the roster's (hidden with the header row, or with
 * three headings the hub knows, one naming the licensee or the license): its rows would silently not be loaded, and
 * a full roster would make their licenses inactive. A sheet of instructions, lists or totals is not one.
 */
function sheetNotReadRefusal(sheets: readonly SheetNotRead[], licenses: 'licenses' | 'certifications', fullRoster: boolean): AppError | null {
  const sheet = sheets.find(({ why, header }) => {
    const known = header.columns.flatMap((column) => (column.name ? [column.name] : []));
    return why === 'hidden' || (why === 'header_incomplete' && known.length >= 3 && known.some((name) => rosterSheetColumns.has(name)));
  });
  if (!sheet) return null;
  const madeInactive = (which: string) => (fullRoster ? `, and this full roster would make ${which} inactive` : '');
  const message = sheet.why === 'hidden'
    ? `Sheet "${sheet.name}" is hidden and has rows under a header row: a hidden sheet is never read, so its rows would not be loaded${madeInactive(`the ${licenses} on it`)}. Unhide the sheet in Excel (its rows are then loaded too), or delete it, then send the file again.`
    : `Sheet "${sheet.name}" looks like rows of the roster, but its header row (row ${sheet.header.rowNumber}) lacks columns every row needs: its rows would not be loaded${madeInactive(`their ${licenses}`)}. ${headerRowProblems(sheet.header).map((problem) => problem.message).join(' ')} Add them, or delete the sheet, then send the file again.`;
  return new AppError(422, 'sheet_not_read', message);
}

/** A workbook's sheets whose rows are read one after another, for the receipt to name each row by its sheet; null for one sheet. */
function sheetsRead(sheets: readonly TabularHeader[] | undefined): SheetRead[] | null {
  return sheets && sheets.length > 1 ? sheets.map((sheet, index) => ({ name: sheet.sheetName ?? `Sheet ${index + 1}`, headerRow: sheet.rowNumber })) : null;
}

/** A load stopped between two chunks by its server shutting down. */
class LoadStoppedByServer extends Error {}

/** A row of the file as a load took it, a record to apply or a row rejected, with how many rows were read up to it. */
type TakenRow<T> = { rowsRead: number } & ({ record: T } | { rejected: RejectedRow });

/**
 * How a load stages its chunks: copies rows into its staging tables, applies them, and empties the tables of rows a
 * transaction the database refused left there; `sheets`, the sheets the file's rows were read from.
 */
type StagingSteps<T> = {
  stage: (records: T[], rejected: RejectedRow[]) => Promise<void>;
  apply: (trx: Executor) => Promise<void>;
  empty: () => Promise<void>;
  sheets: readonly SheetRead[] | null;
};

/**
 * How a load tells its records apart: `key`, of a row repeating an earlier one in its chunk; `identifier`, the license
 * number, board ID or NPI as the file gave it, which a rejected row's receipt line repeats.
 */
type RecordNames<T> = { key: (record: T) => string; identifier: (record: T) => string };

/**
 * A row holding a value the database refused, loaded as rejected with the database's reason; the license it names
 * (`identifierKey`) is still listed by the file. Its identifier passed the row's checks, so it can be stored.
 */
function refusedRosterRow(record: { rowNumber: number; identifierKey?: string }, identifier: string, error: unknown): RejectedRow {
  const { rowNumber } = record;
  return { rowNumber, identifier, identifierKey: record.identifierKey ?? null, problems: [{ code: valueNotStored, field: 'row', row: rowNumber, message: refusedRowMessage(error) }] };
}

/**
 * A load stops at a row whose value the database refuses even as a rejected row, or after `refusedBefore` rows were
 * refused and rejected one by one.
 */
function refusedRowError(rowNumber: number, error: unknown, sheets: readonly SheetRead[] | null, refusedBefore = 0): AppError {
  const found = refusedAtRowMessage(error, rowWords(rowNumber, sheets), refusedBefore);
  return new AppError(422, valueNotStored, `${found} The rows before it are loaded; correct it and upload the file again: the rows already loaded come back unchanged.`);
}

/**
 * A load its runner stopped on purpose (Ctrl-C on the command line), given to its file as the reason it ends: the
 * load stops at once, after the chunk being applied, without loading the rows read since.
 */
export class LoadInterruptedError extends AppError {
  constructor() {
    super(
      409,
      'load_interrupted',
      'The load was interrupted on the command line: the rows loaded before are kept; nothing after them was. Load the file again: the rows already loaded come back unchanged.',
    );
  }
}

/** How often the server running a load says it still is (`server_seen_at`); a load not heard from for several of these was cut off. */
export const serverSeenEveryMs = 15_000;

/**
 * Board rosters and NPI data into the registry. A file is read as a stream and applied in chunks: each chunk
 * is copied into staging and upserted with a few set-based statements in its own transaction, so memory stays
 * bounded and other requests get the database between chunks.
 */
export function createRegistryService({ database, chunkSize, seenEveryMs = serverSeenEveryMs }: { database: Database; chunkSize?: number; seenEveryMs?: number }) {
  const { db } = database;
  // On the embedded database a chunk's statements run on the server's thread, holding every request until they end:
  // 500 rows keep that within about 0.15 s (1,000 held requests up to 0.26 s, 5,000 0.7 s, for loads a quarter faster).
  const rowsPerChunk = chunkSize ?? (database.kind === 'postgres' ? 50_000 : 500);

  /**
   * Says every few seconds that this server is still running the load, until it ends: a chunk can take long (a large
   * board's, a busy database), and a load not heard from is ended as cut off by another server.
   */
  function keepSayingRunning(loadId: string, ended: Promise<unknown>): void {
    const saying = setInterval(() => {
      void repository.markServerSeen(db, loadId).catch(() => undefined);
    }, seenEveryMs);
    saying.unref();
    void ended.finally(() => clearInterval(saying)).catch(() => undefined);
  }

  async function boardScope(context: RequestContext, organizationId: string, action: 'roster.load' | 'roster.read') {
    authorize(context.actor, action, { organizationId }, 'board');
    const scope = await repository.findBoardScope(db, organizationId);
    if (!scope) throw new NotFoundError('board');
    return scope;
  }

  /**
   * Reads the header first, so a file without the required columns is refused before anything is written. A
   * workbook's rows may be on several sheets (a tab per license type), each under its header; a roster is refused
   * when a sheet that looks like one of its sheets is not read, and, asked to `checkDates` (a new load of a file on
   * disk not saying how it writes its dates; a resumed load's file passed already), when they show it written day first.
   */
  async function openFile(
    file: RosterFile, columns: Parameters<typeof readTabular>[1]['columns'], roster?: { kind: RosterKind; fullRoster: boolean; checkDates: boolean },
  ) {
    const table = await readTabular(file.source, { format: file.format, columns, everySheet: true });
    const headers = table.sheets ?? [table.header];
    const onDisk = typeof file.source === 'string' ? file.source : file.onDisk;
    const refusal =
      headers.map(headerRefusal).find((found) => found !== null) ??
      (roster ? sheetNotReadRefusal(table.sheetsNotRead ?? [], roster.kind, roster.fullRoster) : null) ??
      (roster?.checkDates && onDisk ? await rosterDateOrderRefusal({ path: onDisk, format: file.format }, columns) : null);
    if (refusal) {
      await table.close();
      throw refusal;
    }
    return table;
  }

  async function runLoad<T extends { rowNumber: number; identifierKey?: string }>(
    loadId: string,
    rows: AsyncIterable<TabularRow>,
    read: (rowNumber: number, record: Record<string, string>) => { record: T } | { rejected: RejectedRow } | null,
    names: RecordNames<T>,
    staging: StagingSteps<T>,
    onProgress: ((rowsRead: number) => void) | undefined,
    stopping: () => boolean = () => false,
    rowsDone = 0,
  ): Promise<number> {
    let taken: TakenRow<T>[] = [];
    let keysInChunk = new Set<string>();
    let rowsRead = 0;
    // The next chunk is read while the database applies the previous one; at most two chunks are in memory.
    let applying: Promise<void> | null = null;
    let applyFailure: unknown = null;
    const awaitApplying = async () => {
      if (applying) await applying;
      applying = null;
      if (applyFailure) throw applyFailure;
    };
    let refusedRows = 0;
    const statistics = statisticsOfGrowingTables(database.backgroundDb, repository.tablesRegistryLoadsGrow);
    await statistics.refresh();
    const stage = (rowsTaken: TakenRow<T>[]) =>
      staging.stage(
        rowsTaken.flatMap((row) => ('record' in row ? [row.record] : [])),
        rowsTaken.flatMap((row) => ('rejected' in row ? [row.rejected] : [])),
      );
    /**
     * Applies the staged rows as one transaction, which records how far the load got (`readUpTo` rows read): a load
     * resumed goes on after exactly the rows applied. When the database refuses a value in them (one no check
     * foresaw), they are staged and applied again by halves, down to the row holding it, which is loaded as rejected
     * with the database's reason: the rows beside it load as any others.
     */
    const applyStaged = async (rowsTaken: TakenRow<T>[], readUpTo: number): Promise<void> => {
      try {
        await database.backgroundDb.transaction().execute(async (trx) => {
          await staging.apply(trx);
          await repository.recordProgress(trx, loadId, readUpTo);
        });
      } catch (error) {
        if (!isRefusedValue(error)) throw error;
        await staging.empty();
        const [only] = rowsTaken;
        if (rowsTaken.length === 1) {
          if (!('record' in only)) throw refusedRowError(only.rejected.rowNumber, error, staging.sheets);
          if (refusedRows >= refusedRowsBeforeStop) throw refusedRowError(only.record.rowNumber, error, staging.sheets, refusedRows);
          refusedRows += 1;
          return stageAndApply([{ rowsRead: only.rowsRead, rejected: refusedRosterRow(only.record, names.identifier(only.record), error) }], readUpTo);
        }
        const half = Math.ceil(rowsTaken.length / 2);
        await stageAndApply(rowsTaken.slice(0, half), rowsTaken[half - 1].rowsRead);
        await stageAndApply(rowsTaken.slice(half), readUpTo);
      }
    };
    const stageAndApply = async (rowsTaken: TakenRow<T>[], readUpTo: number) => {
      await stage(rowsTaken);
      await applyStaged(rowsTaken, readUpTo);
    };
    const flush = async () => {
      if (taken.length === 0) return;
      const chunk = { taken, rowsRead };
      taken = [];
      keysInChunk = new Set();
      await awaitApplying();
      await statistics.rowsAdded(chunk.rowsRead - rowsDone);
      await stage(chunk.taken);
      applying = applyStaged(chunk.taken, chunk.rowsRead)
        .then(() => onProgress?.(chunk.rowsRead))
        .catch((error: unknown) => {
          applyFailure = error;
        });
    };
    const take = (row: TabularRow) => {
      // A row of a later sheet is numbered past the sheets before it (`files/row-place.ts`): each row keeps one place in the receipt.
      const rowNumber = row.sheet === undefined ? row.rowNumber : rowPlace(row.sheet, row.rowNumber);
      if (row.problems.length > 0) {
        taken.push({ rowsRead, rejected: { rowNumber, identifier: '', problems: row.problems.map((p) => ({ ...p, row: rowNumber })) } });
        return;
      }
      const result = read(rowNumber, row.record);
      if (!result) return;
      if ('rejected' in result) {
        taken.push({ rowsRead, rejected: result.rejected });
        return;
      }
      const key = names.key(result.record);
      if (keysInChunk.has(key)) {
        taken.push({
          rowsRead,
          rejected: { rowNumber, identifier: names.identifier(result.record), problems: [{ ...repository.stagingFindings.duplicateRow('record'), row: rowNumber }] },
        });
        return;
      }
      keysInChunk.add(key);
      taken.push({ rowsRead, record: result.record });
    };

    // A file that cannot be read past a row (a CSV line past 1 MB, a limit) stops the load there, the rows before it loaded;
    // one interrupted stops at once.
    let unreadable: unknown = null;
    try {
      const iterator = rows[Symbol.asyncIterator]();
      for (;;) {
        if (stopping()) {
          await iterator.return?.();
          break;
        }
        const next = await iterator.next().catch((error: unknown) => {
          unreadable = error;
          return { done: true as const, value: undefined };
        });
        if (next.done) break;
        rowsRead += 1;
        if (rowsRead <= rowsDone) continue;
        take(next.value);
        if (taken.length >= rowsPerChunk) await flush();
      }
      // Its server stopping, the load stops here, with the chunk being applied committed: the rest is never loaded as if it were the end.
      if (stopping()) throw new LoadStoppedByServer();
    } finally {
      // A failed chunk must not leave the one before it being applied behind the caller's back.
      if (applying) await applying;
    }
    if (unreadable instanceof LoadInterruptedError) throw unreadable;
    await flush();
    await awaitApplying();
    await statistics.refresh();
    if (unreadable) throw unreadable;
    return rowsRead;
  }

  /**
   * Ends a running load. `rowsRead`: null for one that failed part way, whose chunks recorded how far they got.
   * The rows a load applied are in the registry even if it failed after them: pending reports are matched again.
   */
  async function finish(
    context: RequestContext, loadId: string, rowsRead: number | null, absent: AbsentFromLoad, failure: string | null,
    change: RegistryChangeOfLoad, organizationId: string | null, notesOfRowsRead: Problem[] = [],
  ): Promise<{ load: RosterLoadView; ended: boolean }> {
    const { ended, load } = await db.transaction().execute(async (trx) => {
      const ended = await repository.finishLoad(trx, loadId, { rowsRead, ...absent, failure, notesOfRowsRead });
      const load = (await repository.findLoad(trx, loadId, null))!;
      if (ended) {
        await recordAudit(trx, context, {
          action: `registry.${change.kind}.load`, entityType: 'roster_load', entityId: loadId, organizationId,
          details: { rowsRead: load.rows_read, ...absent, failed: failure !== null },
        });
      }
      return { ended, load };
    });
    const view = toLoadView(load);
    if (ended && view.rowsRead > 0) {
      await emitRegistryChange({ ...change, loadId, personIds: await repository.changedPersons(db, loadId, CHANGED_PERSONS_CAP) });
    }
    return { load: view, ended };
  }

  /**
   * Takes up the loads whose server stopped in the middle (a restart, a crash): still said to be running, their server
   * has not been heard from for `idleSeconds`, or stopped them as it shut down. A board's load whose file this server
   * kept is resumed from it, as the same load, after the rows its chunks applied; another is ended, what its chunks
   * applied kept, its staging tables dropped. Several servers may look at once: each load is taken up once. Returns
   * how many were found.
   */
  async function takeUpCutOffLoads(idleSeconds: number): Promise<number> {
    const cutOff = await repository.findCutOffLoads(db, idleSeconds);
    const context = systemContext('roster loads');
    for (const load of cutOff) {
      const scope = load.organization_id ? await repository.findBoardScope(db, load.organization_id) : null;
      const kept = load.kept_file && load.kept_file_format && existsSync(load.kept_file) ? { path: load.kept_file, format: load.kept_file_format } : null;
      if (scope && kept && load.organization_id) {
        const rowsDone = await repository.claimCutOffLoad(db, load.id, idleSeconds);
        if (rowsDone !== null) void resumeRosterLoad(context, { ...load, organization_id: load.organization_id }, scope, kept, rowsDone).catch(() => undefined);
        continue;
      }
      await finish(context, load.id, null, noneAbsent, cutOffMessage(load), changeOf(scope, load.kind), load.organization_id);
      await repository.dropStaging(db, repository.stagingTablesOf(load.id));
    }
    return cutOff.length;
  }

  /** Resumes a board's load cut off by its server from the file the server kept, after the `rowsDone` rows its chunks applied. */
  async function resumeRosterLoad(
    context: RequestContext, load: { id: string; organization_id: string; full_roster: boolean; file_name: string | null; date_order: DateOrder | null },
    scope: BoardScope, kept: { path: string; format: TabularFormat }, rowsDone: number,
  ): Promise<RosterLoadView> {
    const kind = rosterKindOf(scope);
    const file: RosterFile = { source: kept.path, format: kept.format, fileName: load.file_name, kept: kept.path };
    await repository.dropStaging(db, repository.stagingTablesOf(load.id));
    await recordAudit(db, context, {
      action: `registry.${kind}.load_resumed`, entityType: 'roster_load', entityId: load.id, organizationId: load.organization_id, details: { afterRows: rowsDone },
    });
    let table: Awaited<ReturnType<typeof openFile>>;
    try {
      table = await openFile(file, rosterColumnsOf(scope), { kind, fullRoster: load.full_roster, checkDates: false });
    } catch (error) {
      const failure = `The load was cut off by its server stopping after ${rowsDone.toLocaleString('en-US')} rows, which are loaded and kept, and the file its server kept could not be read again. Upload the file again: the rows already loaded come back unchanged.`;
      await finish(context, load.id, null, noneAbsent, failure, changeOf(scope, kind), load.organization_id);
      await rm(kept.path, { force: true });
      throw error;
    }
    return runRosterLoad(context, scope, table, file, {
      id: load.id, organizationId: load.organization_id, fullRoster: load.full_roster, dateOrder: load.date_order, rowsDone,
    });
  }

  /**
   * Starts loading a board's roster (licensees, or a certifying board's diplomates): a file whose header lacks
   * what every row needs is refused before any load begins. Returns the load as it begins, and its end: the load
   * with its counts, or the error it stopped on (the load then recorded as failed, with what it applied kept).
   */
  async function startRosterLoad(context: RequestContext, organizationId: string, file: RosterFile, options: LoadOptions): Promise<StartedRosterLoad> {
    const scope = await boardScope(context, organizationId, 'roster.load');
    const kind = rosterKindOf(scope);
    const dateOrder = options.dateOrder ?? null;
    const table = await openFile(file, rosterColumnsOf(scope), { kind, fullRoster: options.fullRoster, checkDates: !dateOrder });
    const inserted = await repository
      .insertLoad(db, {
        organizationId, kind, fullRoster: options.fullRoster, fileName: file.fileName, startedBy: context.actor.label,
        ...(file.kept ? { kept: { path: file.kept, format: file.format } } : {}),
        sheets: sheetsRead(table.sheets), dateOrder, notes: fileNotices(table),
      })
      .catch(async (error: unknown) => {
        await table.close();
        throw error;
      });
    const done = runRosterLoad(context, scope, table, file, {
      id: inserted.id, organizationId, fullRoster: options.fullRoster, dateOrder, rowsDone: 0, onProgress: options.onProgress,
    });
    return { load: toLoadView(inserted), done };
  }

  /**
   * Loads a board's roster from its opened file into the load `load.id`, after the `rowsDone` rows its chunks applied
   * already (a load resumed), to its end: the load with its counts, or the error it stopped on (the load then
   * recorded as failed, with what it applied kept).
   */
  function runRosterLoad(
    context: RequestContext, scope: BoardScope, table: Awaited<ReturnType<typeof openFile>>, file: RosterFile,
    load: { id: string; organizationId: string; fullRoster: boolean; dateOrder: DateOrder | null; rowsDone: number; onProgress?: (rowsRead: number) => void },
  ): Promise<RosterLoadView> {
    const kind = rosterKindOf(scope);
    const loadId = load.id;
    // The kept file goes once the load's end is recorded: a load whose server stopped before then is resumed from it.
    const discardKept = async () => {
      if (file.kept) await rm(file.kept, { force: true });
    };

    let stopRequested = false;
    async function run(): Promise<RosterLoadView> {
      let rowsRead = 0;
      let absent = noneAbsent;
      const staging = await repository.createStaging(db, loadId);
      try {
        rowsRead = await runLoad<RosterRecord>(
          loadId,
          table.rows,
          (rowNumber, values) => {
            const result = readRosterRow(rowNumber, values, scope, load.dateOrder);
            return result.ok ? { record: result.record } : { rejected: { rowNumber, identifier: result.identifier, identifierKey: result.identifierKey, problems: result.problems } };
          },
          { key: (record) => `${record.licenseType ?? ''}:${record.identifierKey}`, identifier: (record) => record.identifier },
          {
            stage: (records, rejected) => repository.stageRosterRows(database, staging, loadId, records, rejected),
            apply: (trx) => (kind === 'licenses' ? repository.applyLicenseChunk(trx, staging, loadId) : repository.applyCertificationChunk(trx, staging, loadId)),
            empty: () => repository.emptyStaging(db, staging),
            sheets: sheetsRead(table.sheets),
          },
          load.onProgress,
          () => stopRequested,
          load.rowsDone,
        );
        if (load.fullRoster) absent = await leftOutOfFullRoster(db, loadId, scope);
      } catch (error) {
        if (error instanceof LoadStoppedByServer) {
          // Left running, its file kept: the next server to look resumes it.
          await repository.markServerStopped(db, loadId);
          throw new AppError(503, 'server_stopped', 'The server stopped while the roster was loaded: the load is resumed from its file.');
        }
        const failure = error instanceof AppError ? error.message : 'The load stopped on an unexpected error; rows already loaded are kept. Upload the file again.';
        await finish(context, loadId, null, absent, failure, changeOf(scope, kind), load.organizationId, noticesOfRowsRead(table));
        await discardKept();
        throw error;
      } finally {
        await table.close();
        await repository.dropStaging(db, staging);
      }
      const { load: ended } = await finish(context, loadId, rowsRead, absent, null, changeOf(scope, kind), load.organizationId, noticesOfRowsRead(table));
      await discardKept();
      return ended;
    }

    const done = run();
    keepSayingRunning(loadId, done);
    // The file is on disk (or the command line's own): its next row comes at once, and the load stops there.
    trackRunningLoad({
      stop: () => {
        stopRequested = true;
      },
      ended: done,
    });
    return done;
  }

  /** Loads a board's roster to its end; returns the load with its counts. */
  async function loadRoster(context: RequestContext, organizationId: string, file: RosterFile, options: LoadOptions): Promise<RosterLoadView> {
    return (await startRosterLoad(context, organizationId, file, options)).done;
  }

  /** Loads a file in the public NPPES layout (operator). Individuals only; linked by NPI or license, never by name. */
  async function importNppes(context: RequestContext, file: RosterFile, options: Pick<LoadOptions, 'onProgress'> = {}): Promise<RosterLoadView> {
    authorize(context.actor, 'registry.importNppes');
    const table = await openFile(file, nppesColumns);
    const { id: loadId } = await repository.insertLoad(db, {
      organizationId: null, kind: 'nppes', fullRoster: false, fileName: file.fileName, startedBy: context.actor.label,
    });
    const change = changeOf(null, 'nppes');
    const done = (async () => {
      let rowsRead = 0;
      const staging = await repository.createStaging(db, loadId);
      try {
        rowsRead = await runLoad<NppesRecord>(
          loadId,
          table.rows,
          (rowNumber, values) => {
            const result = readNppesRow(rowNumber, values);
            if (result.kind === 'individual') return { record: result.record };
            if (result.kind === 'rejected') return { rejected: { rowNumber, identifier: result.identifier, problems: result.problems } };
            return null;
          },
          { key: (record) => record.npi, identifier: (record) => record.npi },
          {
            stage: (records, rejected) => repository.stageNppesRows(database, staging, loadId, records, rejected),
            apply: (trx) => repository.applyNppesChunk(trx, staging, loadId),
            empty: () => repository.emptyStaging(db, staging),
            sheets: null,
          },
          options.onProgress,
        );
      } catch (error) {
        const failure = error instanceof AppError ? error.message : 'The import stopped on an unexpected error; rows already loaded are kept.';
        await finish(context, loadId, null, noneAbsent, failure, change, null);
        throw error;
      } finally {
        await repository.dropStaging(db, staging);
      }
      return (await finish(context, loadId, rowsRead, noneAbsent, null, change, null)).load;
    })();
    keepSayingRunning(loadId, done);
    return done;
  }

  /** Refuses a caller who may not load this board's roster, before any of the file is read. */
  async function checkRosterAccess(context: RequestContext, organizationId: string): Promise<void> {
    await boardScope(context, organizationId, 'roster.load');
  }

  async function getLoad(context: RequestContext, organizationId: string, loadId: string): Promise<RosterLoadView> {
    await boardScope(context, organizationId, 'roster.read');
    const row = await repository.findLoad(db, loadId, organizationId);
    if (!row) throw new NotFoundError('roster load');
    return toLoadView(row);
  }

  async function makeAbsentInactive(context: RequestContext, organizationId: string, loadId: string): Promise<RosterLoadView> {
    return toLoadView(await makeHeldAbsentInactive(db, context, organizationId, loadId));
  }

  async function listLoads(context: RequestContext, organizationId: string): Promise<RosterLoadView[]> {
    await boardScope(context, organizationId, 'roster.read');
    return (await repository.listLoads(db, organizationId, 50)).map(toLoadView);
  }

  /** The per-row receipt of a load, in file order. */
  async function receipt(context: RequestContext, organizationId: string, loadId: string, format: 'csv' | 'xlsx'): Promise<FileDownload> {
    const load = await getLoad(context, organizationId, loadId);
    await recordAudit(db, context, { action: 'roster.receipt.read', entityType: 'roster_load', entityId: loadId, organizationId });
    return rosterReceipt(format, load, repository.receiptRows(db, loadId));
  }

  return { checkRosterAccess, startRosterLoad, loadRoster, importNppes, getLoad, listLoads, makeAbsentInactive, receipt, takeUpCutOffLoads };
}

export type RegistryService = ReturnType<typeof createRegistryService>;
