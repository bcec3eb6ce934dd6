import { describe, expect, it } from 'vitest';
import type { TabularRow } from '../../files/tabular-reader.ts';
import { pairRejectedRows } from './rows-to-fix.ts';
import type { RejectedLine, RowToFix } from './rows-to-fix.ts';

/** Rows 2 to `last` of a file, read in pieces of `batchSize` rows as the readers hand them over. */
async function* fileRows(last: number, batchSize: number): AsyncGenerator<TabularRow[]> {
  for (let first = 2; first <= last; first += batchSize) {
    const batch: TabularRow[] = [];
    for (let rowNumber = first; rowNumber < first + batchSize && rowNumber <= last; rowNumber++) {
      batch.push({ rowNumber, record: { reference: `R-${rowNumber}`, dateOfBirth: '', birthMonth: '', birthDay: '' }, problems: [] });
    }
    yield batch;
  }
}

async function* linesOf(lines: RejectedLine[]): AsyncGenerator<RejectedLine> {
  yield* lines;
}

async function collect(rows: AsyncIterable<RowToFix>): Promise<RowToFix[]> {
  const all: RowToFix[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

describe('rows to fix', () => {
  it('pairs every rejected line with its row, across the pieces the file is read in', async () => {
    const rejected = Array.from({ length: 700 }, (_, index) => ({ rowNumber: 2 + index * 7, problems: [{ code: 'invalid', message: `row ${2 + index * 7}` }] }));
    const rows = await collect(pairRejectedRows(fileRows(5001, 300), linesOf(rejected)));
    expect(rows.map((row) => row.rowNumber)).toEqual(rejected.map((line) => line.rowNumber));
    expect(rows.every((row) => row.record.reference === `R-${row.rowNumber}` && row.problems[0].message === `row ${row.rowNumber}`)).toBe(true);
  });

  it('stops reading the file after the last rejected row', async () => {
    let batchesRead = 0;
    async function* counted(): AsyncGenerator<TabularRow[]> {
      for await (const batch of fileRows(100_000, 100)) {
        batchesRead += 1;
        yield batch;
      }
    }
    const rows = await collect(pairRejectedRows(counted(), linesOf([{ rowNumber: 150, problems: [] }])));
    expect(rows.map((row) => row.rowNumber)).toEqual([150]);
    expect(batchesRead).toBe(2);
  });

  it('gives birth month and day for a date of birth, never its year', async () => {
    async function* oneRow(dateOfBirth: string): AsyncGenerator<TabularRow[]> {
      yield [{ rowNumber: 2, record: { dateOfBirth, birthMonth: '', birthDay: '' }, problems: [] }];
    }
    const [readable] = await collect(pairRejectedRows(oneRow('07/04/1961'), linesOf([{ rowNumber: 2, problems: [] }])));
    expect(readable.record).toEqual({ birthMonth: '7', birthDay: '4' });
    const [unreadable] = await collect(pairRejectedRows(oneRow('4th July 1961'), linesOf([{ rowNumber: 2, problems: [] }])));
    expect(unreadable.record).toEqual({ birthMonth: '', birthDay: '' });
  });
});
