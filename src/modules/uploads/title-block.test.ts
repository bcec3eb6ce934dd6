import { describe, expect, it } from 'vitest';
import type { RowAbove } from '../../files/columns.ts';
import { addDays, hubToday } from '../activities/dates.ts';
import { activityReferencesAbove, dateAboveHeader, monthDayAboveHeader } from './title-block.ts';

// What a sign-in sheet's title block says of every row, as its rows above the header hold it.

const rows = (...lines: (string | string[])[]): RowAbove[] => lines.map((line, index) => ({ rowNumber: index + 1, cells: typeof line === 'string' ? [line] : line }));
const dateOf = (above: RowAbove[], order: 'month_first' | 'day_first' | null = null) => dateAboveHeader(above, order)?.date ?? null;

describe('the date of every row a title block gives', () => {
  it('reads the day under its label, in the label\'s cell or the next, written as people and Excel write it', () => {
    expect(dateOf(rows('Grand Rounds', 'Date: November 13, 2025'))).toBe('2025-11-13');
    expect(dateOf(rows('Session date - Thursday, November 13, 2025, 12:00-1:00 PM'))).toBe('2025-11-13');
    expect(dateOf(rows(['Date:', '', '2025-11-13']))).toBe('2025-11-13');
    expect(dateOf(rows(['Date of activity', '11/13/2025']))).toBe('2025-11-13');
    expect(dateAboveHeader(rows('Grand Rounds', ['Date:', '13 Nov 2025']), null)).toEqual({ date: '2025-11-13', said: { rowNumber: 2, text: 'Date: 13 Nov 2025' } });
  });

  it('reads a day written without its year only under its label, for the activity to tell the year of', () => {
    const monthDayOf = (above: RowAbove[], order: 'month_first' | 'day_first' | null = null) => monthDayAboveHeader(above, order)?.monthDay ?? null;
    expect(monthDayAboveHeader(rows('Grand Rounds', 'Date: Nov 13'), null)).toEqual({ monthDay: { month: 11, day: 13 }, said: { rowNumber: 2, text: 'Date: Nov 13' } });
    expect(monthDayOf(rows(['Session date', '11/13']))).toEqual({ month: 11, day: 13 });
    expect(monthDayOf(rows('Date: 13/11'), 'day_first')).toEqual({ month: 11, day: 13 });
    // Unlabelled, a month and day may be anything's; two say neither; a whole date split at its comma is no month and day.
    expect(monthDayOf(rows('Grand Rounds', 'Nov 13'))).toBeNull();
    expect(monthDayOf(rows('Date: Nov 13', 'Date: Nov 14'))).toBeNull();
    expect(monthDayOf(rows(['Date: November 13', ' 2025']))).toBeNull();
  });

  it('reads a day written alone, or in the title, when no label says it', () => {
    expect(dateOf(rows('Grand Rounds', 'November 13, 2025'))).toBe('2025-11-13');
    expect(dateOf(rows('Grand Rounds: Sepsis Update – November 13, 2025'))).toBe('2025-11-13');
    expect(dateOf(rows(['Grand Rounds', '2025-11-13']))).toBe('2025-11-13');
    // As Excel shows a date in a cell it formats so, within a line of text.
    expect(dateOf(rows('Grand Rounds 13-Nov-2025, Auditorium B'))).toBe('2025-11-13');
    expect(dateOf(rows('Grand Rounds 13-Nov-25'))).toBe('2025-11-13');
    expect(dateOf(rows('Grand Rounds (11/13/25)'))).toBe('2025-11-13');
  });

  it('reads numbers that read both ways in the order the upload says its dates are written', () => {
    expect(dateOf(rows('Date: 05/06/2025'))).toBe('2025-05-06');
    expect(dateOf(rows('Date: 05/06/2025'), 'day_first')).toBe('2025-06-05');
  });

  it('passes over a day the sheet was printed, revised or is due, and a day yet to come', () => {
    expect(dateOf(rows('Grand Rounds', 'Printed 11/20/2025'))).toBeNull();
    expect(dateOf(rows(['Form revised', '2024-01-15']))).toBeNull();
    expect(dateOf(rows('Sign-in sheet', 'Printed 11/20/2025', 'November 13, 2025'))).toBe('2025-11-13');
    expect(dateOf(rows(`Date: ${addDays(hubToday(), 7)}`))).toBeNull();
  });

  it('takes the labelled day over others, and none when two days are said alike', () => {
    expect(dateOf(rows('Fall series, September 4, 2025', 'Date: November 13, 2025'))).toBe('2025-11-13');
    expect(dateOf(rows('Date: November 13, 2025', 'Date: November 14, 2025'))).toBeNull();
    expect(dateOf(rows('November 13, 2025', 'November 14, 2025'))).toBeNull();
    expect(dateOf(rows('Date: November 13, 2025', ['Date', '2025-11-13']))).toBe('2025-11-13');
  });

  it('finds none in a title block without a day', () => {
    expect(dateOf(rows('Memorial Hospital', 'Department of Medicine'))).toBeNull();
    expect(dateOf(rows('Date: TBD'))).toBeNull();
    expect(dateOf(rows('Date: February 30, 2025'))).toBeNull();
  });
});

describe('what a title block may name the activity by', () => {
  it('gives each line, without its label or its date, the labelled ones marked', () => {
    expect(
      activityReferencesAbove(rows('Memorial Hospital', 'Activity: Grand Rounds', ['Course ID', 'GR-SEPSIS'], 'Tumor Board 13-Nov-2025', 'Date: November 13, 2025', 'TB')),
    ).toEqual([
      { value: 'Memorial Hospital', said: { rowNumber: 1, text: 'Memorial Hospital' }, labelled: false, part: false },
      { value: 'Grand Rounds', said: { rowNumber: 2, text: 'Activity: Grand Rounds' }, labelled: true, part: false },
      { value: 'GR-SEPSIS', said: { rowNumber: 3, text: 'Course ID GR-SEPSIS' }, labelled: true, part: false },
      { value: 'Tumor Board', said: { rowNumber: 4, text: 'Tumor Board 13-Nov-2025' }, labelled: false, part: false },
      { value: 'Date', said: { rowNumber: 5, text: 'Date: November 13, 2025' }, labelled: false, part: false },
    ]);
  });

  it('gives each run of the parts of a line that names a series, its session and its speaker, after the whole line', () => {
    const said = { rowNumber: 1, text: 'Medicine Grand Rounds: Sepsis Update – Dr. Ana Ruiz, November 13, 2025' };
    expect(activityReferencesAbove(rows(said.text))).toEqual([
      { value: 'Medicine Grand Rounds: Sepsis Update – Dr. Ana Ruiz', said, labelled: false, part: false },
      { value: 'Medicine Grand Rounds', said, labelled: false, part: true },
      { value: 'Medicine Grand Rounds: Sepsis Update', said, labelled: false, part: true },
      { value: 'Sepsis Update', said, labelled: false, part: true },
      { value: 'Sepsis Update – Dr. Ana Ruiz', said, labelled: false, part: true },
      { value: 'Dr. Ana Ruiz', said, labelled: false, part: true },
    ]);
    expect(activityReferencesAbove(rows('Stroke Update (Dr. Ruiz)')).map(({ value }) => value)).toEqual(['Stroke Update (Dr. Ruiz)', 'Stroke Update', 'Dr. Ruiz']);
    // A hyphen within a word is no meeting of parts.
    expect(activityReferencesAbove(rows('End-of-Life Conversations')).map(({ value }) => value)).toEqual(['End-of-Life Conversations']);
  });
});
