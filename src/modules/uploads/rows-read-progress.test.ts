import { describe, expect, it } from 'vitest';
import { rowsReadProgress } from './rows-read-progress.ts';

/** Takes `rows` rows, the reader saying how far it has read at each place given by `readings` (rows taken: bytes). */
function takeRows(progress: ReturnType<typeof rowsReadProgress>, rows: number, readings: Map<number, number>) {
  for (let row = 0; row < rows; row++) {
    const bytes = readings.get(row);
    if (bytes !== undefined) progress.read(bytes);
    progress.rowTaken();
  }
}

describe('the place of an upload\'s rows in its file', () => {
  // 10,000 rows of 100 bytes, read 64 KB at a time, each piece read once the rows of the one before are taken.
  const fileBytes = 1_000_000;
  const piece = 65_536;
  const csvReadings = new Map(Array.from({ length: 15 }, (_, index) => [Math.round((index * piece) / 100), (index + 1) * piece]));

  it('is that of the rows taken, not of the piece the reader has read ahead', () => {
    const progress = rowsReadProgress(fileBytes);
    takeRows(progress, 2_000, csvReadings);
    // Two thousand rows of 100 bytes: 200,000 bytes, where the reader has read four pieces (262,144 bytes).
    expect(Math.abs(progress.bytesThrough(0) - 200_000)).toBeLessThan(200);
  });

  it('is not known before two readings tell the bytes a row takes, and never goes back', () => {
    const progress = rowsReadProgress(fileBytes);
    takeRows(progress, 600, csvReadings);
    expect(progress.bytesThrough(0)).toBe(0);
    takeRows(progress, 1_400, new Map([[0, 3 * piece], [900, 4 * piece]]));
    const place = progress.bytesThrough(0);
    expect(place).toBeGreaterThan(0);
    // A last reading that makes a row take fewer bytes does not move the rows back.
    progress.read(4 * piece + 10);
    expect(progress.bytesThrough(0)).toBe(place);
  });

  it('sets apart the bytes read before the rows, a workbook\'s shared text, as bytes of no row', () => {
    const progress = rowsReadProgress(fileBytes);
    // 400,000 bytes of shared text, then the sheet's first piece, before any row is taken; then 600,000 bytes of rows.
    progress.read(200_000);
    progress.read(400_000);
    progress.read(460_000);
    takeRows(progress, 3_000, new Map([[500, 520_000], [1_100, 580_000], [1_700, 640_000]]));
    // Half the rows' bytes (3,000 rows of 100 bytes of 600,000): halfway, and so about 6,000 rows in all.
    expect(progress.bytesThrough(0)).toBe(500_000);
  });
});
