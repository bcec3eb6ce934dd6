import { describe, expect, it } from 'vitest';
import { rowPlace, rowWords } from './row-place.ts';

describe('rows as messages name them', () => {
  it('names a row by its number, on its sheet when the file has several', () => {
    expect(rowWords(1_204, null)).toBe('row 1,204');
    const sheets = [{ name: 'March', headerRow: 1 }, { name: 'April', headerRow: 1 }];
    expect(rowWords(rowPlace(0, 90), sheets)).toBe('row 90 of sheet "March"');
    expect(rowWords(rowPlace(1, 3), sheets)).toBe('row 3 of sheet "April"');
  });
});
