import { describe, expect, it } from 'vitest';
import { readRosterRow } from './roster-rows.ts';
import type { RosterBoard } from './roster-rows.ts';

const californiaBoard: RosterBoard = { kind: 'licensing_board', jurisdiction: 'CA', boardType: 'combined' };
const row = { licenseNumber: 'A55555', licenseType: 'MD', status: 'Active', firstName: 'Zed', lastName: 'Young', birthMonth: '2', birthDay: '14' };

/** The messages of a roster row's problems, or the row's status and birthday as read. */
function read(values: Partial<typeof row>) {
  const result = readRosterRow(2, { ...row, ...values }, californiaBoard);
  return result.ok ? { status: result.record.status, birthMonth: result.record.birthMonth, birthDay: result.record.birthDay } : result.problems.map((problem) => problem.message);
}

describe('a roster row', () => {
  it('says of a birthday that is no day of the calendar which part is at fault', () => {
    expect(read({ birthMonth: '2', birthDay: '30' })).toEqual(['Birth month and day must be a real date: February has no day 30.']);
    expect(read({ birthMonth: '14', birthDay: '3' })).toEqual(['Birth month and day must be a real date: "14" is not a month (1 to 12): if it is the day, swap the month and the day.']);
    expect(read({ birthMonth: 'Spring', birthDay: '3' })).toEqual(['Birth month and day must be a real date: "Spring" is not a month (1 to 12).']);
    expect(read({ birthMonth: '4', birthDay: '' })).toEqual(['Birth month and day must be a real date: the birth day is missing.']);
    expect(read({ birthMonth: '4', birthDay: '40' })).toEqual(['Birth month and day must be a real date: the birth day is a day of the month, 1 to 31.']);
  });

  it('reads a birth month by its name, as a sheet written by hand has it', () => {
    expect(read({ birthMonth: 'March', birthDay: '3' })).toMatchObject({ birthMonth: 3, birthDay: 3 });
    expect(read({ birthMonth: 'Feb', birthDay: '29' })).toMatchObject({ birthMonth: 2, birthDay: 29 });
  });

  it('asks whether a misspelt status is the one it is a letter or two from, and never takes it so', () => {
    expect(read({ status: 'Actve' })).toEqual([
      'Status "Actve" is not one the hub knows. Is it Active? Use Active, Inactive, Expired, Suspended, Revoked, Surrendered, Retired, Deceased or Probation.',
    ]);
    expect(read({ status: 'Suspnded' })).toEqual([expect.stringContaining('Is it Suspended?')]);
    expect(read({ status: 'Sleeping' })).toEqual([
      'Status "Sleeping" is not one the hub knows. Use Active, Inactive, Expired, Suspended, Revoked, Surrendered, Retired, Deceased or Probation.',
    ]);
  });
});
