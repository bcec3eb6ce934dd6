import { describe, expect, it } from 'vitest';
import { fitLicenseNumber, normalizeLicenseNumber, withoutStateCode } from './license-numbers.ts';

const key = (raw: string) => normalizeLicenseNumber(raw)!;

describe('normalizeLicenseNumber', () => {
  it.each(['A12345', 'A 012345', 'A-12345', 'a12345', 'A.0012345', ' A/12345 '])('reads %s as A12345', (raw) => {
    expect(key(raw)).toEqual({ key: 'A12345', digits: '12345', hasLetters: true });
  });

  it('keeps numbers without letters as digits, also exported as a decimal', () => {
    expect(key('0045821')).toEqual({ key: '45821', digits: '45821', hasLetters: false });
    expect(key('45821.0')).toEqual({ key: '45821', digits: '45821', hasLetters: false });
    expect(key('45821.5')).toEqual({ key: '458215', digits: '458215', hasLetters: false });
  });

  it('takes off the reported state\'s code written before the number, and only that', () => {
    expect(withoutStateCode('CA A12345', 'CA')).toBe('A12345');
    expect(withoutStateCode('ca-a12345', 'CA')).toBe('a12345');
    expect(withoutStateCode('TX: P1234', 'TX')).toBe('P1234');
    expect(withoutStateCode('MD60012345', 'WA')).toBe('MD60012345');
    expect(withoutStateCode('WA MD60012345', 'WA')).toBe('MD60012345');
    expect(withoutStateCode('CA A12345', 'NV')).toBe('CA A12345');
    expect(withoutStateCode('CA12345', 'CA')).toBe('CA12345');
    expect(withoutStateCode('CA ABC', 'CA')).toBe('CA ABC');
    expect(withoutStateCode('CA A12345', null)).toBe('CA A12345');
  });

  it('has no key for text without letters or digits', () => {
    expect(normalizeLicenseNumber(' - ')).toBeNull();
    expect(normalizeLicenseNumber(undefined)).toBeNull();
  });
});

describe('fitLicenseNumber', () => {
  it('treats reformatted numbers as the same', () => {
    expect(fitLicenseNumber(key('a-012345'), key('A12345'))).toBe('exact');
  });

  it('tolerates prefix letters left out or added', () => {
    expect(fitLicenseNumber(key('12345'), key('A12345'))).toBe('license_prefix_missing');
    expect(fitLicenseNumber(key('MD 12345'), key('12345'))).toBe('license_prefix_extra');
  });

  it('never takes one license series for another', () => {
    expect(fitLicenseNumber(key('G12345'), key('A12345'))).toBeNull();
    expect(fitLicenseNumber(key('A12346'), key('A12345'))).toBeNull();
  });
});
