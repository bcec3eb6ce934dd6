import { setImmediate as nextTurn } from 'node:timers/promises';

/** Rows read per statement when a whole list is streamed (a receipt as a file). */
const streamPageRows = 1000;

/**
 * Every row of a list kept in row-number order, read a page at a time so that a million rows stream:
 * `readPage(after, limit)` gives up to `limit` rows numbered past `after`. Other requests get a turn between
 * pages: a client that reads as fast as the hub writes never makes it wait, and on PGlite each page is read
 * on the thread that answers requests.
 */
export async function* rowsByPages<T extends { row_number: number }>(
  readPage: (after: number, limit: number) => Promise<T[]>,
  pageRows = streamPageRows,
): AsyncGenerator<T> {
  for (let after = 0; ; ) {
    const page = await readPage(after, pageRows);
    yield* page;
    if (page.length < pageRows) return;
    after = page[page.length - 1].row_number;
    await nextTurn();
  }
}
