import { describe, expect, it } from 'vitest';
import { readLicenseeSearch } from './licensee-search.ts';

describe('what board staff type to find a physician', () => {
  it('reads a last name alone as a last name, whatever its case, accents and suffix', () => {
    for (const written of ['Lopez', 'LÓPEZ', ' lopez ', 'Lopez Jr.']) {
      expect(readLicenseeSearch(written, 'CA'), written).toEqual({ npi: null, number: null, lastName: 'lopez', nameParts: [] });
    }
  });

  it('reads a name of several words in either order, as runs of its words', () => {
    expect(readLicenseeSearch('Lopez, Maria', 'CA').nameParts).toEqual(['lopez', 'lopezmaria', 'maria']);
    expect(readLicenseeSearch('Maria Lopez', 'CA').nameParts).toEqual(['maria', 'marialopez', 'lopez']);
    expect(readLicenseeSearch("Ana de la Cruz", null).nameParts).toContain('delacruz');
  });

  it('reads a number as the registry keys license numbers, without the board’s state code', () => {
    expect(readLicenseeSearch('CA a-012345', 'CA').number).toEqual({ key: 'A12345', digits: '12345', hasLetters: true });
    expect(readLicenseeSearch('12345', 'CA')).toMatchObject({ npi: null, lastName: null, nameParts: [] });
  });

  it('reads ten digits, spaced or dashed, as an NPI too', () => {
    expect(readLicenseeSearch('123-456 7893', 'CA')).toMatchObject({ npi: '1234567893', number: { key: '1234567893' } });
  });
});
