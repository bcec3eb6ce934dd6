import { describe, expect, it } from 'vitest';
import { rowsByPages } from './row-pages.ts';

describe('a list streamed by pages', () => {
  const list = (count: number) => Array.from({ length: count }, (_, index) => ({ row_number: (index + 1) * 2 }));

  async function readAll(rows: { row_number: number }[], pageRows: number) {
    const reads: number[] = [];
    const seen: number[] = [];
    const pages = rowsByPages(async (after, limit) => {
      reads.push(after);
      return rows.filter((row) => row.row_number > after).slice(0, limit);
    }, pageRows);
    for await (const row of pages) seen.push(row.row_number);
    return { seen, reads };
  }

  it('gives every row once, in order, across pages, gaps in the numbering included', async () => {
    const rows = list(5);
    const { seen, reads } = await readAll(rows, 2);
    expect(seen).toEqual(rows.map((row) => row.row_number));
    expect(reads).toEqual([0, 4, 8]);
  });

  it('stops after a short page, and after an empty one when the last page was full', async () => {
    expect((await readAll(list(4), 2)).reads).toEqual([0, 4, 8]);
    expect((await readAll([], 2)).reads).toEqual([0]);
  });
});
