import { describe, expect, it } from 'vitest';
import { rowPlace, rowsWords } from './row-place.ts';

describe('rows as messages name them', () => {
  it('names a run of rows, on their sheet when the file has several', () => {
    expect(rowsWords(22, 31, null)).toBe('rows 22 to 31');
    expect(rowsWords(1_204, 1_204, null)).toBe('row 1,204');
    const sheets = [{ name: 'March', headerRow: 1 }, { name: 'April', headerRow: 1 }];
    expect(rowsWords(rowPlace(0, 5), rowPlace(0, 12), sheets)).toBe('rows 5 to 12 of sheet "March"');
    expect(rowsWords(rowPlace(0, 90), rowPlace(1, 3), sheets)).toBe('row 90 of sheet "March" to row 3 of sheet "April"');
  });
});
