import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { executePrepared } from '../../db/prepared-statements.ts';

/** One identity as the candidate search needs it; null where the identity has no such identifier. */
export interface CandidateSearch {
  index: number;
  state: string | null;
  numberKey: string | null;
  numberDigits: string | null;
  npi: string | null;
  boardCode: string | null;
  boardIdKey: string | null;
  /**
   * Set only when no identifier is given: the state-alone rule looks licensees up by birth date and the sorted
   * letters of each last-name key (which finds the name, its parts and its transpositions).
   */
  lastNameAnagrams: string[] | null;
  birthMonth: number | null;
  birthDay: number | null;
  /** The other reading of a day and month valid both ways, for finding licensees who might be the learner. */
  swappedBirthMonth: number | null;
  swappedBirthDay: number | null;
}

export type CandidateSource = 'state_license' | 'other_state_license' | 'npi' | 'board_id' | 'state_name';

export interface CandidateRow {
  index: number;
  source: CandidateSource;
  person_id: string;
  license_number: string | null;
  license_status: string | null;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  birth_month: number | null;
  birth_day: number | null;
  other_names: Array<{ first_name: string | null; middle_name: string | null; last_name: string }> | null;
}

/**
 * The searches as a relation, sent as one JSON document. Unlike array parameters, whose length the planner
 * reads, a document is estimated the same whatever it holds, so the prepared statement settles on one
 * generic plan instead of planning every call (which costs more than running it). The range on `idx`,
 * always true, brings that estimate down to a row or two: the plan probes the registry's indexes per
 * identity, which stays right for the largest inline batch, instead of scanning the registry.
 */
function searchesAsRelation(searches: CandidateSearch[]): RawBuilder<unknown> {
  const rows = searches.map((s) => ({
    idx: s.index,
    state: s.state,
    number_key: s.numberKey,
    number_digits: s.numberDigits,
    npi: s.npi,
    board_code: s.boardCode,
    board_id_key: s.boardIdKey,
    last_anagrams: s.lastNameAnagrams ? s.lastNameAnagrams.join(' ') : null,
    birth_month: s.birthMonth,
    birth_day: s.birthDay,
    swapped_birth_month: s.swappedBirthMonth,
    swapped_birth_day: s.swappedBirthDay,
  }));
  return sql`select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as search(
      idx int, state char(2), number_key text, number_digits text, npi char(10), board_code text, board_id_key text,
      last_anagrams text, birth_month int, birth_day int, swapped_birth_month int, swapped_birth_day int)
    where idx between 0 and 2147483647`;
}

/** The holders of each identity's license number in its own state, found by the digits of the number. */
function stateLicenseHolders(search: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`select s.idx, 'state_license' as source, l.person_id, l.license_number, l.status as license_status
          from ${search} s join licenses l on l.jurisdiction = s.state and l.number_digits = s.number_digits
         where s.number_digits is not null`;
}

/**
 * Everyone else the registry holds who could be each identity of `search` (a relation), beside the holders of
 * its license in its own state (`stateHolders`, a relation of those already found): holders of its exact license
 * number in other states, of its NPI and of its board ID, and, for identities with the state alone, the state's
 * licensees sharing a birth date reading and the sorted letters of a last-name key. One select per source.
 */
function otherCandidateSources(search: RawBuilder<unknown>, stateHolders: RawBuilder<unknown>): RawBuilder<unknown>[] {
  return [
    // Other states matter only for a number the reported state does not have: the identities without a holder
    // found in their own state, told by one hash of those found (`not in`, where `not exists` may compare every
    // pair), before any join (`offset 0` keeps the planner from joining before it filters).
    sql`select s.idx, 'other_state_license', l.person_id, l.license_number, l.status
          from (select * from ${search} s
                 where s.number_key is not null
                   and s.idx not in (select held.idx from ${stateHolders} held)
                offset 0) s
          join licenses l on l.number_key = s.number_key and l.jurisdiction <> s.state`,
    sql`select s.idx, 'npi', p.id, null, null
          from ${search} s join persons p on p.npi = s.npi
         where s.npi is not null`,
    sql`select s.idx, 'board_id', c.person_id, null, null
          from ${search} s join certifications c on c.board_code = s.board_code and c.board_id_key = s.board_id_key
         where s.board_id_key is not null`,
    sql`select distinct s.idx, 'state_name', k.person_id, null, null
          from ${search} s
          cross join lateral unnest(string_to_array(s.last_anagrams, ' ')) as reported(anagram_key)
          cross join lateral (values (s.birth_month, s.birth_day), (s.swapped_birth_month, s.swapped_birth_day)) as birth(month, day)
          join person_name_keys k
            on k.anagram_key = reported.anagram_key and k.birth_month = birth.month and k.birth_day = birth.day
         where s.last_anagrams is not null
           and exists (select 1 from licenses l where l.person_id = k.person_id and l.jurisdiction = s.state)`,
  ];
}

/** The found candidates (a relation of idx, source, person_id, license) with the persons' names and birth dates. */
function withPersons(found: RawBuilder<unknown>): RawBuilder<CandidateRow> {
  return sql<CandidateRow>`
    select f.idx as "index", f.source, f.person_id, f.license_number, f.license_status,
           p.first_name, p.middle_name, p.last_name, p.birth_month, p.birth_day,
           (select json_agg(json_build_object('first_name', n.first_name, 'middle_name', n.middle_name, 'last_name', n.last_name))
              from person_names n where n.person_id = p.id) as other_names
      from ${found} f join persons p on p.id = f.person_id`;
}

/** Runs `work` on one session inside a transaction: the caller's, if it holds one. */
async function inTransaction<T>(executor: Executor, work: (session: Executor) => Promise<T>): Promise<T> {
  if (executor.isTransaction) return work(executor);
  return executor.transaction().execute(work);
}

/**
 * Candidates for a small batch, with the identities inline: one statement, prepared, as planning it
 * costs more than running it.
 */
export async function findCandidates(executor: Executor, searches: CandidateSearch[]): Promise<CandidateRow[]> {
  if (searches.length === 0) return [];
  // The state's holders are found once, and read again by the search in other states.
  const query = sql<CandidateRow>`
    with search as (${searchesAsRelation(searches)}),
    state_holders as materialized (${stateLicenseHolders(sql`search`)}),
    found as (select * from state_holders union all ${sql.join(otherCandidateSources(sql`search`, sql`state_holders`), sql` union all `)})
    ${withPersons(sql`found`)}`;
  return (await executePrepared(executor, query)).rows;
}

/**
 * Candidates for a large batch: the identities are staged in a temporary table, and each source's candidates
 * in another, both analyzed, so that every statement is planned on true sizes. The tables live on the
 * executor's own session, since the caller may hold a transaction.
 */
export async function findCandidatesStaged(executor: Executor, searches: CandidateSearch[], chunkSize = 50_000): Promise<CandidateRow[]> {
  const suffix = randomBytes(6).toString('hex');
  const search = sql.table(`match_search_${suffix}`);
  const found = sql.table(`match_found_${suffix}`);
  return inTransaction(executor, async (session) => {
    await sql`create temporary table ${search} (
        idx int primary key, state char(2), number_key text, number_digits text, npi char(10), board_code text,
        board_id_key text, last_anagrams text, birth_month int, birth_day int, swapped_birth_month int,
        swapped_birth_day int) on commit drop`.execute(session);
    await sql`create temporary table ${found} (
        idx int not null, source text not null, person_id uuid not null, license_number text, license_status text)
        on commit drop`.execute(session);
    try {
      for (let start = 0; start < searches.length; start += chunkSize) {
        await sql`insert into ${search} ${searchesAsRelation(searches.slice(start, start + chunkSize))}`.execute(session);
      }
      await sql`analyze ${search}`.execute(session);
      await sql`insert into ${found} ${stateLicenseHolders(search)}`.execute(session);
      await sql`analyze ${found}`.execute(session);
      for (const source of otherCandidateSources(search, found)) await sql`insert into ${found} ${source}`.execute(session);
      await sql`analyze ${found}`.execute(session);
      return (await withPersons(found).execute(session)).rows;
    } finally {
      await sql`drop table if exists ${search}, ${found}`.execute(session);
    }
  });
}
