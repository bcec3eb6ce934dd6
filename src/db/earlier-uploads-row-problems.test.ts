import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/helpers.ts';
import { addRowProblems } from '../modules/uploads/row-problem-counts.ts';
import type { Problem } from '../http/errors.ts';
import { countEarlierUploadsRowProblems } from './migrations/0900_upload_row_problem_counts.ts';

const late = (row: number): Problem => ({ code: 'completion_date_in_future', field: 'completionDate', row, message: `Row ${row}: the completion date is in the future.` });
const unknown = (row: number): Problem => ({ code: 'license_not_found', row, message: `No license on record for row ${row}.` });
const month: Problem = { code: 'out_of_range', field: 'birthMonth', message: 'Birth month is 1 to 12' };

describe('counting the row problems of uploads taken in before the counts were kept', () => {
  const database = useTestDatabase();
  const providerOrgId = randomUUID();

  async function uploadWith(lines: { rowNumber: number; problems: Problem[] }[], counts = '[]') {
    const id = randomUUID();
    await database().db
      .insertInto('uploads')
      .values({ id, provider_org_id: providerOrgId, format: 'csv', file_sha256: id, file_bytes: 1, storage_path: id, created_by: '{}', row_problem_counts: counts })
      .execute();
    if (lines.length > 0) {
      await database().db
        .insertInto('upload_rows')
        .values(lines.map((line) => ({
          upload_id: id,
          row_number: line.rowNumber,
          provider_org_id: providerOrgId,
          status: line.problems.length > 0 ? ('rejected' as const) : ('accepted' as const),
          duplicate: false,
          late: false,
          problems: line.problems.length > 0 ? JSON.stringify(line.problems) : null,
        })))
        .execute();
    }
    return id;
  }

  const countsOf = async (id: string) =>
    (await database().db.selectFrom('uploads').select('row_problem_counts').where('id', '=', id).executeTakeFirstOrThrow()).row_problem_counts;

  it('counts them from the receipt lines as the job counts them', async () => {
    const lines = [
      { rowNumber: 2, problems: [unknown(2)] },
      { rowNumber: 3, problems: [] },
      { rowNumber: 4, problems: [late(4), { ...late(4), message: 'And another date.' }, month] },
      { rowNumber: 5, problems: [unknown(5), late(5)] },
      { rowNumber: 6, problems: [month] },
      { rowNumber: 7, problems: [late(7)] },
    ];
    const earlier = await uploadWith(lines);
    const withoutProblems = await uploadWith([{ rowNumber: 2, problems: [] }]);
    const counted = [{ code: 'license_not_found', rows: 9, firstRow: 2, message: 'kept as it was' }];
    const alreadyCounted = await uploadWith(lines, JSON.stringify(counted));

    await countEarlierUploadsRowProblems(database().db);

    // Rows' outcomes were not counted then: the counts of earlier uploads have no rejectedRows.
    expect(await countsOf(earlier)).toEqual(addRowProblems([], lines.map((line) => ({ ...line, status: 'pending' }))).map(({ rejectedRows, ...kind }) => kind));
    expect((await countsOf(earlier)).map((kind) => [kind.code, kind.rows, kind.firstRow])).toEqual([
      ['completion_date_in_future', 3, 4],
      ['license_not_found', 2, 2],
      ['out_of_range', 2, 4],
    ]);
    expect(await countsOf(withoutProblems)).toEqual([]);
    expect(await countsOf(alreadyCounted)).toEqual(counted);
  });
});
