import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import type { Executor } from '../../db/database.ts';

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
   * Set only when no identifier is given: the state-alone rule looks licensees up by birth date and either a
   * last-name key or the exact first name (which finds a transposed last name).
   */
  lastNameKeys: string[] | null;
  firstNameKey: string | null;
  birthMonth: number | null;
  birthDay: number | null;
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

/** The searches as a relation, sent as one array parameter per column. */
function searchesAsRelation(searches: CandidateSearch[]): RawBuilder<unknown> {
  const column = <T>(pick: (search: CandidateSearch) => T) => searches.map(pick);
  return sql`select * from unnest(
      ${column((s) => s.index)}::int[],
      ${column((s) => s.state)}::char(2)[],
      ${column((s) => s.numberKey)}::text[],
      ${column((s) => s.numberDigits)}::text[],
      ${column((s) => s.npi)}::char(10)[],
      ${column((s) => s.boardCode)}::text[],
      ${column((s) => s.boardIdKey)}::text[],
      ${column((s) => (s.lastNameKeys ? s.lastNameKeys.join(' ') : null))}::text[],
      ${column((s) => s.firstNameKey)}::text[],
      ${column((s) => s.birthMonth)}::int[],
      ${column((s) => s.birthDay)}::int[]
    ) as search(idx, state, number_key, number_digits, npi, board_code, board_id_key, last_keys, first_key, birth_month, birth_day)`;
}

/**
 * Everyone the registry holds who could be each identity: holders of its license number (same state by
 * digits, other states by the exact number), of its NPI and of its board ID, and, for identities with the
 * state alone, the state's licensees sharing a last-name key and the birth date. One statement for the batch.
 */
function candidatesQuery(input: RawBuilder<unknown>): RawBuilder<CandidateRow> {
  return sql<CandidateRow>`
    with search as (${input}),
    found as (
      select s.idx, 'state_license' as source, l.person_id, l.license_number, l.status as license_status
        from search s join licenses l on l.jurisdiction = s.state and l.number_digits = s.number_digits
       where s.number_digits is not null
      union all
      select s.idx, 'other_state_license', l.person_id, l.license_number, l.status
        from search s join licenses l on l.number_key = s.number_key and l.jurisdiction <> s.state
       where s.number_key is not null
      union all
      select s.idx, 'npi', p.id, null, null
        from search s join persons p on p.npi = s.npi
       where s.npi is not null
      union all
      select s.idx, 'board_id', c.person_id, null, null
        from search s join certifications c on c.board_code = s.board_code and c.board_id_key = s.board_id_key
       where s.board_id_key is not null
      union all
      select s.idx, 'state_name', namesake.person_id, null, null
        from search s
        cross join lateral (
          select k.person_id
            from unnest(string_to_array(s.last_keys, ' ')) as reported(last_key)
            join person_name_keys k
              on k.last_key = reported.last_key and k.birth_month = s.birth_month and k.birth_day = s.birth_day
          union
          select p.id from persons p
           where p.first_key = s.first_key and p.birth_month = s.birth_month and p.birth_day = s.birth_day
        ) namesake
       where s.last_keys is not null
         and exists (select 1 from licenses l where l.person_id = namesake.person_id and l.jurisdiction = s.state)
    )
    select f.idx as "index", f.source, f.person_id, f.license_number, f.license_status,
           p.first_name, p.middle_name, p.last_name, p.birth_month, p.birth_day,
           (select json_agg(json_build_object('first_name', n.first_name, 'middle_name', n.middle_name, 'last_name', n.last_name))
              from person_names n where n.person_id = p.id) as other_names
      from found f join persons p on p.id = f.person_id`;
}

/**
 * Runs `work` on one session inside a transaction (the caller's, if it holds one) with JIT compilation off:
 * compiling this plan costs seconds, far more than running it.
 */
async function inMatchingSession<T>(executor: Executor, work: (session: Executor) => Promise<T>): Promise<T> {
  const run = async (session: Executor) => {
    await sql`set local jit = off`.execute(session);
    return work(session);
  };
  if (executor.isTransaction) return run(executor);
  return executor.transaction().execute(run);
}

/** Candidates for a small batch, with the identities inline. */
export async function findCandidates(executor: Executor, searches: CandidateSearch[]): Promise<CandidateRow[]> {
  if (searches.length === 0) return [];
  return inMatchingSession(executor, async (session) => {
    const result = await candidatesQuery(searchesAsRelation(searches)).execute(session);
    return result.rows;
  });
}

/**
 * Candidates for a large batch: the identities are staged in a temporary table (with statistics, so the
 * planner joins them as a set) on the executor's own session, since the caller may hold a transaction.
 */
export async function findCandidatesStaged(executor: Executor, searches: CandidateSearch[], chunkSize = 50_000): Promise<CandidateRow[]> {
  const table = sql.id(`match_search_${randomBytes(6).toString('hex')}`);
  return inMatchingSession(executor, async (session) => {
    await sql`create temporary table ${table} (
        idx int primary key, state char(2), number_key text, number_digits text, npi char(10), board_code text,
        board_id_key text, last_keys text, first_key text, birth_month int, birth_day int) on commit drop`.execute(session);
    try {
      for (let start = 0; start < searches.length; start += chunkSize) {
        const chunk = searches.slice(start, start + chunkSize);
        await sql`insert into ${table} ${searchesAsRelation(chunk)}`.execute(session);
      }
      await sql`analyze ${table}`.execute(session);
      const result = await candidatesQuery(sql`select * from ${table}`).execute(session);
      return result.rows;
    } finally {
      await sql`drop table if exists ${table}`.execute(session);
    }
  });
}
