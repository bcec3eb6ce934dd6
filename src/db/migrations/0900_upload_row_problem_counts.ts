import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// How many rows of an upload have each kind of problem (`uploads/row-problem-counts.ts`), kept with the
// upload's other counts and brought up to date in the same transaction as each chunk.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table uploads add column row_problem_counts jsonb not null default '[]'::jsonb`.execute(db);
  await countEarlierUploadsRowProblems(db);
}

/**
 * The counts of uploads taken in before they were kept, from their receipt lines, as the job counts them:
 * a row once per kind (code and column), the first row's message as the example, most common first.
 */
export async function countEarlierUploadsRowProblems(db: Kysely<any>): Promise<void> {
  await sql`
    update uploads set row_problem_counts = counted.kinds
    from (
      select upload_id,
        jsonb_agg(jsonb_strip_nulls(jsonb_build_object('code', code, 'field', field, 'rows', rows, 'firstRow', first_row, 'message', message))
          order by rows desc, first_row) as kinds
      from (
        select upload_id, code, field, count(*)::int as rows, min(row_number) as first_row,
          (array_agg(message order by row_number))[1] as message
        from (
          select distinct on (line.upload_id, line.row_number, problem.value->>'code', problem.value->>'field')
            line.upload_id, line.row_number, problem.value->>'code' as code, problem.value->>'field' as field,
            problem.value->>'message' as message
          from upload_rows line
            cross join lateral jsonb_array_elements(line.problems) with ordinality as problem(value, position)
          where line.problems is not null
          order by line.upload_id, line.row_number, problem.value->>'code', problem.value->>'field', problem.position
        ) kind_of_row
        group by upload_id, code, field
      ) kind
      group by upload_id
    ) counted
    where uploads.id = counted.upload_id and uploads.row_problem_counts = '[]'::jsonb`.execute(db);
}
