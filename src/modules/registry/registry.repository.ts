import { sql } from 'kysely';
import type { SelectQueryBuilder } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { rowsByPages } from '../../db/row-pages.ts';
import type { DB } from '../../db/schema.ts';
import { timeOrderedId } from '../../db/time-ordered-id.ts';
import type { SheetRead } from '../../files/row-place.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { Problem } from '../../http/errors.ts';
import { anagramKey } from '../matching/names.ts';
import type { LicenseeSearch } from './licensee-search.ts';
import type { NppesRecord } from './nppes-rows.ts';
import type { RosterRecord } from './roster-rows.ts';
import type { RosterLoadKind, RosterRowOutcome, StoredProblem } from './registry.tables.ts';

// ---------------------------------------------------------------------------------------------------------
// Board scope: "a board sees only people it licenses"

/** What a board organization covers: a licensing board its jurisdiction and license types, a certifying board its code. */
export type BoardScope =
  | { kind: 'licensing_board'; jurisdiction: string; boardType: 'MD' | 'DO' | 'combined' }
  | { kind: 'certifying_board'; boardCode: string };

/** The license types a licensing board issues. */
export function licenseTypesOf(boardType: 'MD' | 'DO' | 'combined'): Array<'MD' | 'DO'> {
  return boardType === 'combined' ? ['MD', 'DO'] : [boardType];
}

/** The board scope of an organization, or null when it is not a board. */
export async function findBoardScope(executor: Executor, organizationId: string): Promise<BoardScope | null> {
  const org = await executor
    .selectFrom('organizations')
    .select(['kind', 'jurisdiction', 'board_type', 'board_code'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (org?.kind === 'licensing_board' && org.jurisdiction && org.board_type) {
    return { kind: 'licensing_board', jurisdiction: org.jurisdiction.trim(), boardType: org.board_type };
  }
  if (org?.kind === 'certifying_board' && org.board_code) return { kind: 'certifying_board', boardCode: org.board_code };
  return null;
}

/**
 * The ids of the persons a board covers, as a subquery to filter by (`where person_id in (...)`): holders of a
 * license of the board's jurisdiction and types on its roster, or diplomates of the certifying board.
 */
export function personsCoveredBy(executor: Executor, scope: BoardScope) {
  if (scope.kind === 'licensing_board') {
    return executor
      .selectFrom('licenses')
      .select('licenses.person_id')
      .where('licenses.jurisdiction', '=', scope.jurisdiction)
      .where('licenses.license_type', 'in', licenseTypesOf(scope.boardType));
  }
  return executor.selectFrom('certifications').select('certifications.person_id').where('certifications.board_code', '=', scope.boardCode);
}

/** A person a board covers, as its staff pick one out: never a birth year, which the registry does not hold. */
export type CoveredPerson = {
  personId: string;
  name: string;
  birthMonth: number | null;
  birthDay: number | null;
  /** The person's license numbers with the licensing board, or their IDs with the certifying board. */
  numbers: string[];
};

/** Persons a query picks out, as the registry's queries of persons take them. */
type PersonIds = SelectQueryBuilder<DB, any, { person_id: string }>;

/**
 * The persons the board covers whom `search` finds (by NPI, by the board's license number or board ID, or by
 * name, each through its index; or the one person of an id), ordered by name, at most `limit`. Another board's
 * people are never found. `alsoCovered`: persons the board sees though its roster does not list them (those a
 * certifying board was reported MOC credit for).
 */
export async function findCoveredPersons(
  executor: Executor,
  scope: BoardScope,
  search: LicenseeSearch | { personId: string },
  limit: number,
  alsoCovered?: PersonIds,
): Promise<CoveredPerson[]> {
  if ('personId' in search) return coveredPersons(executor, scope, executor.selectFrom('persons').select('persons.id as person_id').where('persons.id', '=', search.personId), limit, alsoCovered);
  const found: PersonIds[] = [];
  if (search.npi) found.push(executor.selectFrom('persons').select('persons.id as person_id').where('persons.npi', '=', search.npi));
  if (search.number && scope.kind === 'licensing_board') {
    const { key, digits, hasLetters } = search.number;
    found.push(
      executor
        .selectFrom('licenses')
        .select('licenses.person_id')
        .where('licenses.jurisdiction', '=', scope.jurisdiction)
        // A number typed without the board's prefix letters ("12345") finds the license A12345, as matching does.
        .where(hasLetters ? 'licenses.number_key' : 'licenses.number_digits', '=', hasLetters ? key : digits),
    );
  }
  if (search.number && scope.kind === 'certifying_board') {
    found.push(
      executor
        .selectFrom('certifications')
        .select('certifications.person_id')
        .where('certifications.board_code', '=', scope.boardCode)
        .where('certifications.board_id_key', '=', search.number.key),
    );
  }
  if (search.lastName) {
    found.push(executor.selectFrom('person_name_keys').select('person_name_keys.person_id').where('person_name_keys.last_key', '=', search.lastName));
  }
  if (search.nameParts.length > 0) {
    found.push(
      executor
        .selectFrom('person_name_keys as k')
        .innerJoin('persons as named', 'named.id', 'k.person_id')
        .select('k.person_id')
        .where('k.last_key', 'in', search.nameParts)
        .where('named.first_key', 'in', search.nameParts),
    );
  }
  if (found.length === 0) return [];
  const [first, ...others] = found;
  return coveredPersons(executor, scope, others.reduce((union, query) => union.union(query), first), limit, alsoCovered);
}

async function coveredPersons(executor: Executor, scope: BoardScope, candidates: PersonIds, limit: number, alsoCovered?: PersonIds): Promise<CoveredPerson[]> {
  const covered = personsCoveredBy(executor, scope);
  const persons = await executor
    .selectFrom('persons as p')
    .select(['p.id', 'p.first_name', 'p.last_name', 'p.birth_month', 'p.birth_day'])
    .where('p.id', 'in', candidates)
    .where((eb) => (alsoCovered ? eb.or([eb('p.id', 'in', covered), eb('p.id', 'in', alsoCovered)]) : eb('p.id', 'in', covered)))
    .orderBy('p.last_key')
    .orderBy('p.first_key')
    .orderBy('p.id')
    .limit(limit)
    .execute();
  if (persons.length === 0) return [];
  const ids = persons.map((person) => person.id);
  const numbers = scope.kind === 'licensing_board'
    ? await executor
      .selectFrom('licenses')
      .select(['person_id', 'license_number as number'])
      .where('person_id', 'in', ids)
      .where('jurisdiction', '=', scope.jurisdiction)
      .where('license_type', 'in', licenseTypesOf(scope.boardType))
      .orderBy('license_number')
      .execute()
    : await executor
      .selectFrom('certifications')
      .select(['person_id', 'board_id as number'])
      .where('person_id', 'in', ids)
      .where('board_code', '=', scope.boardCode)
      .orderBy('board_id')
      .execute();
  return persons.map((person) => ({
    personId: person.id,
    name: `${person.first_name} ${person.last_name}`,
    birthMonth: person.birth_month,
    birthDay: person.birth_day,
    numbers: numbers.filter((row) => row.person_id === person.id).map((row) => row.number),
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Loads

export async function insertLoad(
  executor: Executor,
  load: {
    organizationId: string | null; kind: RosterLoadKind; fullRoster: boolean; fileName: string | null; startedBy: string;
    /** The file kept on the server's disk while the load runs, and its format. */
    kept?: { path: string; format: 'csv' | 'xlsx' };
    /** A workbook's rows on several sheets: those sheets, in the order their rows come. */
    sheets?: SheetRead[] | null;
    /** How the roster said it writes its dates of numbers. */
    dateOrder?: DateOrder | null;
    /** What the file says before its rows are read (`files/file-notices.ts`). */
    notes?: StoredProblem[];
  },
) {
  return executor
    .insertInto('roster_loads')
    .values({
      organization_id: load.organizationId, kind: load.kind, full_roster: load.fullRoster, file_name: load.fileName,
      status: 'running', started_by: load.startedBy, kept_file: load.kept?.path ?? null, kept_file_format: load.kept?.format ?? null,
      sheets: load.sheets ? JSON.stringify(load.sheets) : null, date_order: load.dateOrder ?? null,
      notes: JSON.stringify(load.notes ?? []),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function recordProgress(executor: Executor, loadId: string, rowsRead: number): Promise<void> {
  await executor.updateTable('roster_loads').set({ rows_read: rowsRead, server_seen_at: sql`now()` }).where('id', '=', loadId).execute();
}

/** The server running a load is still running it, whether or not a chunk was applied since it last said so. */
export async function markServerSeen(executor: Executor, loadId: string): Promise<void> {
  await executor.updateTable('roster_loads').set({ server_seen_at: sql`now()` }).where('id', '=', loadId).where('status', '=', 'running').execute();
}

/** Whose server has not been heard from for `idleSeconds`, or stopped it as it shut down. */
const cutOffFor = (idleSeconds: number) =>
  sql<boolean>`(server_seen_at <= now() - make_interval(secs => ${idleSeconds}) or server_stopped_at is not null)`;

/** Loads still said to be running whose server has not been heard from for `idleSeconds`, or that their server stopped as it shut down. */
export async function findCutOffLoads(executor: Executor, idleSeconds: number) {
  return executor
    .selectFrom('roster_loads')
    .select(['id', 'organization_id', 'kind', 'full_roster', 'rows_read', 'file_name', 'kept_file', 'kept_file_format', 'date_order'])
    .where('status', '=', 'running')
    .where(cutOffFor(idleSeconds))
    .orderBy('started_at')
    .execute();
}

/**
 * Takes a load cut off by its server to resume it (several servers may look at once: one takes it): returns how many
 * rows its chunks applied, to go on after them, or null if another server took it or ended it first.
 */
export async function claimCutOffLoad(executor: Executor, loadId: string, idleSeconds: number): Promise<number | null> {
  const claimed = await executor
    .updateTable('roster_loads')
    .set({ server_stopped_at: null, server_seen_at: sql`now()`, resumed_at: sql`now()`, resumed_after_rows: sql`rows_read` })
    .where('id', '=', loadId)
    .where('status', '=', 'running')
    .where(cutOffFor(idleSeconds))
    .returning('rows_read')
    .executeTakeFirst();
  return claimed ? claimed.rows_read : null;
}

/** The server running a load stopped it between two chunks, shutting down: the next server to look resumes it. */
export async function markServerStopped(executor: Executor, loadId: string): Promise<void> {
  await executor.updateTable('roster_loads').set({ server_stopped_at: new Date() }).where('id', '=', loadId).where('status', '=', 'running').execute();
}

/** Ends a running load with its counts; false when it had ended already (another server ended it as cut off). */
/** `rowsRead`: null keeps those its chunks recorded (a load that failed part way). */
export async function finishLoad(
  executor: Executor, loadId: string,
  result: {
    rowsRead: number | null; deactivated: number; absentHeld?: number | null; keptForRejectedRows?: number; failure: string | null; notesOfRowsRead?: StoredProblem[];
  },
): Promise<boolean> {
  const counts = await countOutcomes(executor, loadId);
  const ended = await executor
    .updateTable('roster_loads')
    .set({
      status: result.failure ? 'failed' : 'completed',
      failure: result.failure,
      ...(result.rowsRead === null ? {} : { rows_read: result.rowsRead }),
      created_count: counts.created,
      updated_count: counts.updated,
      unchanged_count: counts.unchanged,
      rejected_count: counts.rejected,
      deactivated_count: result.deactivated,
      absent_held: result.absentHeld ?? null,
      kept_for_rejected_rows: result.keptForRejectedRows ?? 0,
      ...(result.notesOfRowsRead?.length ? { notes: sql`notes || ${JSON.stringify(result.notesOfRowsRead)}::jsonb` } : {}),
      finished_at: new Date(),
    })
    .where('id', '=', loadId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return ended.numUpdatedRows > 0n;
}

async function countOutcomes(executor: Executor, loadId: string): Promise<Record<RosterRowOutcome, number>> {
  const rows = await executor
    .selectFrom('roster_load_rows')
    .select(['outcome', (eb) => eb.fn.countAll<number>().as('count')])
    .where('load_id', '=', loadId)
    .groupBy('outcome')
    .execute();
  const counts: Record<RosterRowOutcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const row of rows) counts[row.outcome] = Number(row.count);
  return counts;
}

export async function findLoad(executor: Executor, loadId: string, organizationId: string | null) {
  let query = executor.selectFrom('roster_loads').selectAll().where('id', '=', loadId);
  if (organizationId !== null) query = query.where('organization_id', '=', organizationId);
  return query.executeTakeFirst();
}

export async function listLoads(executor: Executor, organizationId: string, limit: number) {
  return executor
    .selectFrom('roster_loads')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
}

/** The receipt rows of a load in file order, read in pages so that a million-row receipt streams. */
export function receiptRows(executor: Executor, loadId: string) {
  return rowsByPages((after, limit) =>
    executor
      .selectFrom('roster_load_rows')
      .select(['row_number', 'identifier', 'outcome', 'problems'])
      .where('load_id', '=', loadId)
      .where('row_number', '>', after)
      .orderBy('row_number')
      .limit(limit)
      .execute(),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Staging: each load copies its rows into tables of its own, applies them with a few set-based statements
// per chunk, and empties them (truncate leaves no dead rows behind) before the next chunk.

/** The staging tables of one load, shaped like `roster_staging` and `nppes_license_staging`. */
export type StagingTables = { rows: string; nppesLicenses: string };

/** The staging tables of a load, named by it: a load cut off leaves them, to drop when it is ended. */
export function stagingTablesOf(loadId: string): StagingTables {
  const suffix = loadId.replaceAll('-', '');
  return { rows: `roster_staging_${suffix}`, nppesLicenses: `nppes_license_staging_${suffix}` };
}

export async function createStaging(executor: Executor, loadId: string): Promise<StagingTables> {
  const staging = stagingTablesOf(loadId);
  await sql`create unlogged table ${sql.table(staging.rows)} (like roster_staging including all)`.execute(executor);
  await sql`create unlogged table ${sql.table(staging.nppesLicenses)} (like nppes_license_staging including all)`.execute(executor);
  return staging;
}

/** Empties the staging tables (of the rows a chunk the database refused left there). */
export async function emptyStaging(executor: Executor, staging: StagingTables): Promise<void> {
  await sql`truncate ${sql.table(staging.rows)}, ${sql.table(staging.nppesLicenses)}`.execute(executor);
}

export async function dropStaging(executor: Executor, staging: StagingTables): Promise<void> {
  await sql`drop table if exists ${sql.table(staging.rows)}`.execute(executor);
  await sql`drop table if exists ${sql.table(staging.nppesLicenses)}`.execute(executor);
}

const stagingColumns = [
  'load_id', 'row_number', 'jurisdiction', 'license_type', 'board_code', 'identifier', 'identifier_key',
  'identifier_digits', 'status', 'issued_on', 'expires_on', 'first_name', 'middle_name', 'last_name', 'first_key',
  'last_key', 'last_keys', 'last_anagrams', 'previous_last_name', 'previous_first_name', 'birth_month', 'birth_day', 'npi', 'rejection',
  'person_id', 'person_is_new', 'new_record_id',
];

function textArray(keys: string[]): string {
  // Keys are lower-case letters and digits only, so they need no quoting inside the array literal.
  return `{${keys.join(',')}}`;
}

/**
 * A row not loaded. `identifierKey`: the license number or board ID it still names, when readable; a full roster does
 * not make that license inactive, as the file lists it.
 */
export type RejectedRow = { rowNumber: number; identifier: string; identifierKey?: string | null; problems: Problem[] };

/**
 * Copies a chunk of roster rows (and the rows already rejected) into the staging table, outside any
 * transaction. Each row comes with the ids its person and its license get if they turn out to be new.
 */
export async function stageRosterRows(database: Database, staging: StagingTables, loadId: string, records: RosterRecord[], rejected: RejectedRow[]): Promise<void> {
  await database.copyRows(staging.rows, stagingColumns, [
    ...records.map((r) => [
      loadId, r.rowNumber, r.jurisdiction, r.licenseType, r.boardCode, r.identifier, r.identifierKey, r.identifierDigits,
      r.status, r.issuedOn, r.expiresOn, r.firstName, r.middleName, r.lastName, r.firstKey, r.lastKey, textArray(r.lastKeys),
      textArray(r.lastKeys.map(anagramKey)), r.previousLastName, null, r.birthMonth, r.birthDay, r.npi, null,
      timeOrderedId(), 'true', timeOrderedId(),
    ]),
    ...rejected.map(rejectedStagingRow(loadId)),
  ]);
}

function rejectedStagingRow(loadId: string) {
  return (r: RejectedRow) => [
    loadId, r.rowNumber, null, null, null, r.identifier, r.identifierKey ?? '', null, '', null, null, '', null, '', '', '', '{}', '{}', null, null,
    null, null, null, JSON.stringify(r.problems), null, 'false', null,
  ];
}

/** Copies a chunk of NPPES providers and their licenses into staging, outside any transaction. */
export async function stageNppesRows(database: Database, staging: StagingTables, loadId: string, records: NppesRecord[], rejected: RejectedRow[]): Promise<void> {
  await database.copyRows(staging.rows, stagingColumns, [
    ...records.map((r) => [
      loadId, r.rowNumber, null, null, null, r.npi, r.npi, r.npi, 'unknown', null, null, r.firstName, r.middleName,
      r.lastName, r.firstKey, r.lastKey, textArray(r.lastKeys), textArray(r.lastKeys.map(anagramKey)), r.otherLastName, r.otherFirstName, null, null, r.npi, null,
      timeOrderedId(), 'true', null,
    ]),
    ...rejected.map(rejectedStagingRow(loadId)),
  ]);
  await database.copyRows(
    staging.nppesLicenses,
    ['load_id', 'row_number', 'jurisdiction', 'license_number', 'number_key', 'number_digits'],
    records.flatMap((r) => r.licenses.map((l) => [loadId, r.rowNumber, l.jurisdiction, l.licenseNumber, l.numberKey, l.numberDigits])),
  );
}

/** Messages of the findings the set-based steps make; kept here so the statements can write them. */
export const stagingFindings = {
  duplicateRow: (noun: string): Problem => ({
    code: 'duplicate_row', field: 'identifier', message: `This ${noun} is on an earlier row of the file too; only the first row was loaded.`,
  }),
  npiOtherPerson: {
    code: 'npi_other_person', field: 'npi',
    message: 'This NPI belongs to another physician in the registry, so it was not recorded for this one. Check the NPI.',
  },
  holderDiffers: (noun: 'license' | 'board ID'): Problem => ({
    code: 'holder_differs', field: 'identifier',
    message: `This ${noun} is on file for another physician: another birthday, and no name in common with this row's. A ${noun} stays with one physician, so the row was not loaded: check the ${noun === 'license' ? 'license number' : noun}, the name and the birth month and day.`,
  }),
  npiDiffers: {
    code: 'npi_differs', field: 'npi',
    message: 'The registry already holds another NPI for this physician; the NPI on this row was not recorded.',
  },
} as const;

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

/**
 * Rejects the rows whose license or certification on file is held by someone else: another birthday (both known)
 * and no name in common. Loaded, the row would rename that physician and move their birthday, as a number mistyped
 * as another's would; a change of name alone, or of birthday alone, goes in.
 */
async function rejectOtherHolders(trx: Executor, staging: StagingTables, loadId: string, noun: 'license' | 'board ID'): Promise<void> {
  const rs = sql.table(staging.rows);
  await sql`update ${rs} s set rejection = ${json([stagingFindings.holderDiffers(noun)])} from persons p
             where s.load_id = ${loadId} and s.rejection is null and s.record_id is not null and p.id = s.person_id
               and s.birth_month is not null and p.birth_month is not null and (s.birth_month, s.birth_day) <> (p.birth_month, p.birth_day)
               and not ${nameInCommon('s')}`.execute(trx);
}

const column = (alias: string, name: string) => sql.ref(`${alias}.${name}`);

/** A staged row (`s`) has the birthday of `other` (a person on file, or a row before it), where both are known. */
const birthdayFits = (other: 'p' | 'f') =>
  sql`(s.birth_month is null or ${column(other, 'birth_month')} is null or (s.birth_month, s.birth_day) = (${column(other, 'birth_month')}, ${column(other, 'birth_day')}))`;

/**
 * A staged row (`row`) and the person `p` on file have a name in common: the first or the last (the other changed,
 * by marriage or as written), or one the registry keeps for them.
 */
const nameInCommon = (row: 's' | 'r') => {
  const [first, last] = [column(row, 'first_key'), column(row, 'last_key')];
  return sql`(${first} = p.first_key or ${last} = p.last_key
              or exists (select 1 from person_names n where n.person_id = p.id and n.name_key = ${last} || '|' || ${first}))`;
};

/** Links rows to existing persons by NPI, creates the persons not found, records former names and name keys. */
async function applyPersons(trx: Executor, staging: StagingTables, loadId: string, source: 'roster' | 'nppes' | 'certification'): Promise<void> {
  const rs = sql.table(staging.rows);
  const live = sql`s.load_id = ${loadId} and s.rejection is null`;
  // A row is the NPI's holder only when it is that physician (or another name the registry keeps for them). Otherwise
  // the NPI is said to be another physician's, and the row is a person of its own: linked, its name and birthday
  // would overwrite theirs.
  await sql`update ${rs} s set person_id = p.id, person_is_new = false from persons p
             where ${live} and s.person_is_new and s.npi is not null and p.npi = s.npi and ${birthdayFits('p')} and ${nameInCommon('s')}`.execute(trx);
  await sql`update ${rs} s set npi = null, notice = ${json([stagingFindings.npiOtherPerson])} from persons p
             where ${live} and s.npi is not null and p.npi = s.npi and p.id <> s.person_id`.execute(trx);
  await sql`update ${rs} s set npi = null, notice = ${json([stagingFindings.npiDiffers])} from persons p
             where ${live} and s.npi is not null and p.id = s.person_id and p.npi is not null and p.npi <> s.npi`.execute(trx);
  // One NPI on rows of two different existing persons: it is recorded for neither.
  await sql`update ${rs} s set npi = null, notice = ${json([stagingFindings.npiOtherPerson])}
              from (select row_number from (
                      select row_number, min(person_id::text) over (partition by npi) as first_person,
                             max(person_id::text) over (partition by npi) as last_person
                        from ${rs} where load_id = ${loadId} and rejection is null and npi is not null
                         and not person_is_new) spread
                     where first_person <> last_person) shared
             where s.load_id = ${loadId} and s.row_number = shared.row_number`.execute(trx);

  // Rows of one new NPI are one new person, when they are one physician with its first row; a row that is not is a
  // person of its own, the NPI said to be another physician's, as beside a holder on file.
  const firstOfNpi = sql`(select distinct on (npi) npi, person_id, first_key, last_key, birth_month, birth_day from ${rs}
                           where load_id = ${loadId} and rejection is null and person_is_new and npi is not null order by npi, row_number) f`;
  await sql`update ${rs} s set person_id = f.person_id from ${firstOfNpi}
             where ${live} and s.person_is_new and s.npi = f.npi and s.person_id <> f.person_id and ${birthdayFits('f')}
               and (s.first_key = f.first_key or s.last_key = f.last_key)`.execute(trx);
  await sql`update ${rs} s set npi = null, notice = ${json([stagingFindings.npiOtherPerson])} from ${firstOfNpi}
             where ${live} and s.person_is_new and s.npi = f.npi and s.person_id <> f.person_id`.execute(trx);
  await sql`insert into persons (id, first_name, middle_name, last_name, first_key, last_key, birth_month, birth_day, npi)
            select distinct on (person_id) person_id, first_name, middle_name, last_name, first_key, last_key,
                   birth_month, birth_day, npi
              from ${rs} s where ${live} and s.person_is_new order by person_id, row_number`.execute(trx);

  if (source === 'nppes') {
    // NPI data does not overrule a board's spelling of the name: it adds its own as another name.
    await sql`insert into person_names (person_id, name_key, first_name, middle_name, last_name, source)
              select distinct s.person_id, s.last_key || '|' || s.first_key, s.first_name, s.middle_name, s.last_name, 'nppes'
                from ${rs} s join persons p on p.id = s.person_id
               where ${live} and not s.person_is_new and (p.last_key <> s.last_key or p.first_key <> s.first_key)
              on conflict do nothing`.execute(trx);
    await sql`with named as (
                update persons p set npi = s.npi, updated_at = now()
                  from (select distinct on (person_id) person_id, npi from ${rs} s
                         where ${live} and not s.person_is_new and s.npi is not null order by person_id, row_number) s
                 where p.id = s.person_id and p.npi is null
                returning p.id)
              update ${rs} s set changed = true from named where s.load_id = ${loadId} and s.person_id = named.id`.execute(trx);
  } else {
    await sql`insert into person_names (person_id, name_key, first_name, middle_name, last_name, source)
              select distinct on (p.id) p.id, p.last_key || '|' || p.first_key, p.first_name, p.middle_name, p.last_name, ${source}
                from persons p join ${rs} s on s.person_id = p.id
               where ${live} and not s.person_is_new and (p.last_key <> s.last_key or p.first_key <> s.first_key)
              on conflict do nothing`.execute(trx);
    await sql`with renamed as (
                update persons p set first_name = s.first_name, middle_name = s.middle_name, last_name = s.last_name,
                       first_key = s.first_key, last_key = s.last_key,
                       birth_month = coalesce(s.birth_month, p.birth_month), birth_day = coalesce(s.birth_day, p.birth_day),
                       npi = coalesce(p.npi, s.npi), updated_at = now()
                  from (select distinct on (person_id) * from ${rs} s
                         where ${live} and not s.person_is_new order by person_id, row_number desc) s
                 where p.id = s.person_id
                   and (p.first_name, p.middle_name, p.last_name, p.birth_month, p.birth_day, p.npi)
                       is distinct from (s.first_name, s.middle_name, s.last_name, coalesce(s.birth_month, p.birth_month),
                                         coalesce(s.birth_day, p.birth_day), coalesce(p.npi, s.npi))
                returning p.id)
              update ${rs} s set changed = true from renamed where s.load_id = ${loadId} and s.person_id = renamed.id`.execute(trx);
  }
  await sql`insert into person_names (person_id, name_key, first_name, last_name, source)
            select distinct on (s.person_id, lower(s.previous_last_name)) s.person_id, 'former|' || lower(s.previous_last_name),
                   s.previous_first_name, s.previous_last_name, ${source}
              from ${rs} s where ${live} and s.previous_last_name is not null
            on conflict do nothing`.execute(trx);
  await sql`insert into person_name_keys (last_key, anagram_key, person_id, birth_month, birth_day)
            select distinct keys.last_key, keys.anagram_key, s.person_id, p.birth_month, p.birth_day
              from ${rs} s join persons p on p.id = s.person_id
             cross join lateral unnest(s.last_keys, s.last_anagrams) as keys(last_key, anagram_key)
             where ${live}
            on conflict do nothing`.execute(trx);
  await sql`update person_name_keys k set birth_month = p.birth_month, birth_day = p.birth_day
              from persons p
             where k.person_id = p.id and (k.birth_month, k.birth_day) is distinct from (p.birth_month, p.birth_day)
               and p.id in (select person_id from ${rs} s where ${live} and s.changed)`.execute(trx);
}

/**
 * Writes the receipt rows of the staged chunk and empties the staging tables. A row created its record when
 * it found none to update (`record_id` is still null), or created its person.
 */
async function writeReceipt(trx: Executor, staging: StagingTables, loadId: string, createsRecords: boolean): Promise<void> {
  const rs = sql.table(staging.rows);
  await sql`insert into roster_load_rows (load_id, row_number, identifier, identifier_key, outcome, problems, person_id)
            select load_id, row_number, identifier, case when rejection is not null and identifier_key <> '' then identifier_key end,
                   case when rejection is not null then 'rejected'
                        when (${createsRecords} and record_id is null) or person_is_new then 'created'
                        when changed then 'updated' else 'unchanged' end,
                   coalesce(rejection, notice),
                   case when rejection is null then person_id end
              from ${rs} where load_id = ${loadId}`.execute(trx);
  await emptyStaging(trx, staging);
}

/**
 * The registry's tables a roster or NPPES load grows, row by row, whose planner statistics it keeps fresh: without
 * them, the look-ups of a chunk's licenses and persons on file read far more than they find (the second half of
 * California's 156,236 licensees took 49.6 s on a new PGlite hub, 23.9 s with them).
 */
export const tablesRegistryLoadsGrow = ['persons', 'person_names', 'person_name_keys', 'licenses', 'certifications', 'roster_load_rows'];

/** Staging swings from empty to a full chunk: fresh statistics keep the planner on hash joins. */
async function analyzeStaging(trx: Executor, staging: StagingTables): Promise<void> {
  // A small sample is enough to tell the planner the chunk's size and spread.
  await sql`set local default_statistics_target = 10`.execute(trx);
  await sql`analyze ${sql.table(staging.rows)}`.execute(trx);
  await sql`analyze ${sql.table(staging.nppesLicenses)}`.execute(trx);
}

/** Upserts the staged licenses of one chunk: existing licenses are updated, new ones (and their persons) created. */
export async function applyLicenseChunk(trx: Executor, staging: StagingTables, loadId: string): Promise<void> {
  const rs = sql.table(staging.rows);
  const live = sql`s.load_id = ${loadId} and s.rejection is null`;
  // Finding the license also tells whether this load wrote it already (a repeated row) and whether it changes.
  const found = sql`record_id = l.id, person_id = l.person_id, person_is_new = false,
        rejection = case when l.last_load_id = ${loadId} then ${json([stagingFindings.duplicateRow('license')])} end,
        changed = (l.license_type, l.license_number, l.status, l.issued_on, l.expires_on, l.source)
                  is distinct from (s.license_type, s.identifier, s.status, s.issued_on, s.expires_on, 'roster')`;
  await analyzeStaging(trx, staging);
  await sql`update ${rs} s set ${found} from licenses l
             where ${live} and l.number_key = s.identifier_key and l.jurisdiction = s.jurisdiction
               and l.license_type = s.license_type`.execute(trx);
  // A license known only from NPI data (type unknown) becomes the board's license: with its holder there when a name
  // of theirs is the row's, else passed to the row's own physician (the NPI data's number was someone else's).
  const knownOnlyFromNpiData = sql`${live} and s.record_id is null and l.number_key = s.identifier_key
               and l.jurisdiction = s.jurisdiction and l.license_type is null`;
  await sql`update ${rs} s set ${found} from licenses l join persons p on p.id = l.person_id
             where ${knownOnlyFromNpiData} and ${nameInCommon('s')}`.execute(trx);
  await sql`update ${rs} s set record_id = l.id, changed = true from licenses l where ${knownOnlyFromNpiData}`.execute(trx);
  await rejectOtherHolders(trx, staging, loadId, 'license');
  await applyPersons(trx, staging, loadId, 'roster');

  await sql`update licenses l set person_id = s.person_id, license_type = s.license_type, license_number = s.identifier, status = s.status,
                   issued_on = s.issued_on, expires_on = s.expires_on, source = 'roster', last_load_id = ${loadId},
                   updated_at = case when s.changed then now() else l.updated_at end
              from ${rs} s where ${live} and s.record_id is not null and l.id = s.record_id`.execute(trx);
  await sql`insert into licenses (id, person_id, jurisdiction, license_type, license_number, number_key, number_digits,
                                  status, issued_on, expires_on, source, last_load_id)
            select new_record_id, person_id, jurisdiction, license_type, identifier, identifier_key, identifier_digits,
                   status, issued_on, expires_on, 'roster', ${loadId}
              from ${rs} s where ${live} and s.record_id is null`.execute(trx);
  await writeReceipt(trx, staging, loadId, true);
}

/** Upserts the staged diplomates of one chunk. */
export async function applyCertificationChunk(trx: Executor, staging: StagingTables, loadId: string): Promise<void> {
  const rs = sql.table(staging.rows);
  const live = sql`s.load_id = ${loadId} and s.rejection is null`;
  await analyzeStaging(trx, staging);
  await sql`update ${rs} s set record_id = c.id, person_id = c.person_id, person_is_new = false,
                   rejection = case when c.last_load_id = ${loadId} then ${json([stagingFindings.duplicateRow('board ID')])} end,
                   changed = (c.board_id, c.status, c.issued_on, c.expires_on) is distinct from (s.identifier, s.status, s.issued_on, s.expires_on)
              from certifications c
             where ${live} and c.board_code = s.board_code and c.board_id_key = s.identifier_key`.execute(trx);
  await rejectOtherHolders(trx, staging, loadId, 'board ID');
  await applyPersons(trx, staging, loadId, 'certification');

  await sql`update certifications c set board_id = s.identifier, status = s.status, issued_on = s.issued_on,
                   expires_on = s.expires_on, last_load_id = ${loadId},
                   updated_at = case when s.changed then now() else c.updated_at end
              from ${rs} s where ${live} and s.record_id is not null and c.id = s.record_id`.execute(trx);
  await sql`insert into certifications (id, person_id, board_code, board_id, board_id_key, status, issued_on, expires_on, last_load_id)
            select new_record_id, person_id, board_code, identifier, identifier_key, status, issued_on, expires_on, ${loadId}
              from ${rs} s where ${live} and s.record_id is null`.execute(trx);
  await writeReceipt(trx, staging, loadId, true);
}

/**
 * Applies a chunk of NPI data: a provider is the person holding its NPI, else the one person holding one of
 * its licenses whose name it shares in part (never by a name alone), else a new person. Its licenses are added where
 * the registry has none.
 */
export async function applyNppesChunk(trx: Executor, staging: StagingTables, loadId: string): Promise<void> {
  const rs = sql.table(staging.rows);
  const ns = sql.table(staging.nppesLicenses);
  const live = sql`s.load_id = ${loadId} and s.rejection is null`;
  await analyzeStaging(trx, staging);
  await sql`update ${rs} s set person_id = p.id, person_is_new = false from persons p where ${live} and p.npi = s.npi`.execute(trx);
  // By a license it lists, when its holder is that provider by name too (a name in common, or one the registry keeps):
  // a license number mistyped in NPI data would give another physician this NPI.
  await sql`update ${rs} s set person_id = linked.person_id, person_is_new = false
              from (select n.row_number, (array_agg(distinct l.person_id))[1] as person_id
                      from ${ns} n
                      join ${rs} r on r.load_id = n.load_id and r.row_number = n.row_number
                      join licenses l on l.jurisdiction = n.jurisdiction and l.number_key = n.number_key
                      join persons p on p.id = l.person_id and p.npi is null
                     where n.load_id = ${loadId} and ${nameInCommon('r')}
                     group by n.row_number having count(distinct l.person_id) = 1) linked
             where ${live} and s.person_is_new and s.row_number = linked.row_number`.execute(trx);
  await applyPersons(trx, staging, loadId, 'nppes');

  const unknownLicenses = sql`from ${ns} n join ${rs} s on s.load_id = n.load_id and s.row_number = n.row_number
            where n.load_id = ${loadId} and s.rejection is null
              and not exists (select 1 from licenses l where l.jurisdiction = n.jurisdiction and l.number_key = n.number_key)`;
  await sql`update ${rs} s set changed = true
             where ${live} and s.row_number in (select n.row_number ${unknownLicenses})`.execute(trx);
  await sql`insert into licenses (person_id, jurisdiction, license_type, license_number, number_key, number_digits, status, source)
            select distinct on (n.jurisdiction, n.number_key) s.person_id, n.jurisdiction, null, n.license_number,
                   n.number_key, n.number_digits, 'unknown', 'nppes'
            ${unknownLicenses}
            order by n.jurisdiction, n.number_key, n.row_number
            on conflict do nothing`.execute(trx);
  await writeReceipt(trx, staging, loadId, false);
}

/** The board's practising licenses on its roster (or its diplomates' certifications): a table and which of its rows. */
function practisingOnRoster(scope: BoardScope) {
  if (scope.kind === 'licensing_board') {
    const types = licenseTypesOf(scope.boardType);
    return {
      table: sql.table('licenses'),
      where: sql`jurisdiction = ${scope.jurisdiction} and license_type in (${sql.join(types)}) and source = 'roster' and status in ('active', 'probation')`,
      key: sql.ref('number_key'),
    };
  }
  return { table: sql.table('certifications'), where: sql`board_code = ${scope.boardCode} and status in ('active', 'probation')`, key: sql.ref('board_id_key') };
}

/** Of the board's practising licenses (or certifications), whether a load named one by a row of it that was rejected. */
function namedByRejectedRow(loadId: string, key: ReturnType<typeof practisingOnRoster>['key']) {
  return sql`${key} in (select identifier_key from roster_load_rows where load_id = ${loadId} and identifier_key is not null)`;
}

/**
 * Of the board's practising licenses (or certifications), those a load did not list: neither loaded by it nor named
 * by a row of it that was rejected (a status misspelt, a date of birth mistyped), which the board is to correct,
 * not to find its licensee inactive for.
 */
function absentFrom(loadId: string, key: ReturnType<typeof practisingOnRoster>['key']) {
  return sql`last_load_id is distinct from ${loadId} and not ${namedByRejectedRow(loadId, key)}`;
}

/**
 * How many of the board's practising licenses (or certifications) a load did not list, of how many in all, and how
 * many it did not load but names by a rejected row.
 */
export async function countAbsentFromLoad(
  executor: Executor, loadId: string, scope: BoardScope,
): Promise<{ absent: number; practising: number; keptForRejectedRows: number }> {
  const { table, where, key } = practisingOnRoster(scope);
  const { rows } = await sql<{ absent: string; practising: string; kept: string }>`
    select count(*) filter (where ${absentFrom(loadId, key)}) as absent, count(*) as practising,
           count(*) filter (where last_load_id is distinct from ${loadId} and ${namedByRejectedRow(loadId, key)}) as kept
    from ${table} where ${where}`.execute(executor);
  return { absent: Number(rows[0].absent), practising: Number(rows[0].practising), keptForRejectedRows: Number(rows[0].kept) };
}

/**
 * A full roster lists every licensee: the board's practising licenses (or certifications) this load did not list
 * become inactive (never deleted). Returns how many.
 */
export async function deactivateAbsent(executor: Executor, loadId: string, scope: BoardScope): Promise<number> {
  const { table, where, key } = practisingOnRoster(scope);
  const result = await sql`update ${table} set status = 'inactive', updated_at = now() where ${where} and ${absentFrom(loadId, key)}`.execute(executor);
  return Number(result.numAffectedRows ?? 0n);
}

/** Records that the licenses a full roster left out, held, are made inactive now; returns the load so recorded. */
export async function recordAbsentMadeInactive(executor: Executor, loadId: string, deactivated: number) {
  return executor.updateTable('roster_loads').set({ deactivated_count: deactivated, absent_held: null }).where('id', '=', loadId).returningAll().executeTakeFirstOrThrow();
}

/** The board's latest load of its roster (running or ended). */
export async function latestLoadOf(executor: Executor, organizationId: string) {
  return executor.selectFrom('roster_loads').selectAll().where('organization_id', '=', organizationId).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Locks a load's row, so that what a full roster held is made inactive once. */
export async function lockLoad(executor: Executor, loadId: string) {
  return executor.selectFrom('roster_loads').selectAll().where('id', '=', loadId).forUpdate().executeTakeFirst();
}

/** Persons a load created or changed, for listeners that re-match pending reports; null when there are too many. */
export async function changedPersons(executor: Executor, loadId: string, cap: number): Promise<string[] | null> {
  const rows = await executor
    .selectFrom('roster_load_rows')
    .select('person_id')
    .distinct()
    .where('load_id', '=', loadId)
    .where('outcome', 'in', ['created', 'updated'])
    .where('person_id', 'is not', null)
    .limit(cap + 1)
    .execute();
  return rows.length > cap ? null : rows.map((row) => row.person_id as string);
}
