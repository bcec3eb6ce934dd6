import { describe, expect, it } from 'vitest';
import { birthReadings, fitBirthDate, isValidMonthDay, parseBirthPart } from './birth-dates.ts';

describe('birth dates', () => {
  it('knows the days of each month, February 29 included', () => {
    expect(isValidMonthDay(2, 29)).toBe(true);
    expect(isValidMonthDay(2, 30)).toBe(false);
    expect(isValidMonthDay(4, 31)).toBe(false);
    expect(isValidMonthDay(13, 1)).toBe(false);
  });

  it('reads numbers and numeric text, and names what is wrong otherwise', () => {
    expect(parseBirthPart('03')).toBe(3);
    expect(parseBirthPart(12)).toBe(12);
    expect(parseBirthPart('')).toBe('missing');
    expect(parseBirthPart(undefined)).toBe('missing');
    expect(parseBirthPart('March')).toBe('not_a_number');
    expect(parseBirthPart(3.5)).toBe('not_a_number');
  });

  it('reads a pair valid both ways both ways, and one valid only swapped only swapped', () => {
    expect(birthReadings(3, 4)).toEqual([{ month: 3, day: 4, swapped: false }, { month: 4, day: 3, swapped: true }]);
    expect(birthReadings(25, 3)).toEqual([{ month: 3, day: 25, swapped: true }]);
    expect(birthReadings(4, 4)).toEqual([{ month: 4, day: 4, swapped: false }]);
    expect(birthReadings(2, 30)).toEqual([]);
  });

  it('fits an exact date, and a swapped one only where allowed or unambiguous', () => {
    expect(fitBirthDate(birthReadings(3, 4), { month: 3, day: 4 }, false)).toBe('exact');
    expect(fitBirthDate(birthReadings(3, 4), { month: 4, day: 3 }, true)).toBe('birth_day_month_swapped');
    expect(fitBirthDate(birthReadings(3, 4), { month: 4, day: 3 }, false)).toBeNull();
    expect(fitBirthDate(birthReadings(25, 3), { month: 3, day: 25 }, false)).toBe('birth_day_month_swapped');
    expect(fitBirthDate(birthReadings(3, 4), { month: 3, day: 5 }, true)).toBeNull();
  });
});
