import { describe, expect, it } from 'vitest';
import { valuesToFix } from './rows-to-fix.ts';

describe('values kept for the rows to fix', () => {
  it('keeps the learner columns that were filled in, and nothing else', () => {
    const sent = { reference: 'R-7', firstName: 'Ann', middleName: '', licenseNumber: 'A1234', whatToFix: 'an old message', sentRow: '12' };
    expect(valuesToFix(sent)).toEqual({ reference: 'R-7', firstName: 'Ann', licenseNumber: 'A1234' });
  });

  it('gives birth month and day for a date of birth, never its year', () => {
    expect(valuesToFix({ dateOfBirth: '07/04/1961', birthMonth: '', birthDay: '' })).toEqual({ birthMonth: '7', birthDay: '4' });
    expect(JSON.stringify(valuesToFix({ dateOfBirth: '4th July 1961', birthMonth: '', birthDay: '' }))).not.toContain('1961');
    expect(valuesToFix({ dateOfBirth: '07/04/1961', birthMonth: '8', birthDay: '' })).toEqual({ birthMonth: '8' });
  });
});
