import { describe, expect, it } from 'vitest';
import { areNicknames, isNamePart, lastNameSearchKeys, normalizeName, spellingDifference, splitFullName } from './names.ts';

describe('normalizeName', () => {
  it.each([
    ["O'Brien", 'obrien'],
    ['O’BRIEN', 'obrien'],
    ['o brien', 'obrien'],
    ['Smith-Jones', 'smithjones'],
    ['Smith Jones', 'smithjones'],
    ['José', 'jose'],
    ['Müller', 'muller'],
    ['Łukasz', 'lukasz'],
    ['Straße', 'strasse'],
    ['  Mary   Ann ', 'maryann'],
    ['Smith Jr.', 'smith'],
    ['Smith, Jr., MD', 'smith'],
    ['Smith III', 'smith'],
    ['Smith M.D.', 'smith'],
    ['Smith D.O.', 'smith'],
    ['Smith, DO', 'smith'],
  ])('reads %s as %s', (raw, key) => {
    expect(normalizeName(raw).key).toBe(key);
  });

  it('keeps a surname that looks like a credential when it is the name itself', () => {
    expect(normalizeName('Do').key).toBe('do');
    expect(normalizeName('Nguyen Do').key).toBe('nguyendo');
    expect(normalizeName('Jr').key).toBe('jr');
  });

  it('splits compound names into tokens', () => {
    expect(normalizeName('García-López').tokens).toEqual(['garcia', 'lopez']);
    expect(normalizeName('De La Cruz').tokens).toEqual(['de', 'la', 'cruz']);
  });

  it('gives an empty key for nothing', () => {
    expect(normalizeName('').key).toBe('');
    expect(normalizeName(undefined).key).toBe('');
    expect(normalizeName(' - ').key).toBe('');
  });
});

describe('lastNameSearchKeys', () => {
  it('indexes a compound name under the whole and each part of three letters or more', () => {
    expect(lastNameSearchKeys(normalizeName('De La Cruz'))).toEqual(['delacruz', 'cruz']);
    expect(lastNameSearchKeys(normalizeName('Smith-Jones'))).toEqual(['smithjones', 'smith', 'jones']);
    expect(lastNameSearchKeys(normalizeName('Smith'))).toEqual(['smith']);
  });
});

describe('areNicknames', () => {
  it.each([
    ['bob', 'robert'], ['robert', 'bob'], ['bob', 'rob'], ['bill', 'william'], ['peggy', 'margaret'],
    ['liz', 'elizabeth'], ['al', 'albert'], ['al', 'alfred'], ['steven', 'stephen'],
  ])('%s and %s are forms of one name', (a, b) => {
    expect(areNicknames(a, b)).toBe(true);
  });

  it.each([
    ['albert', 'alfred'], ['robert', 'william'], ['john', 'jane'], ['smith', 'robert'],
  ])('%s and %s are not', (a, b) => {
    expect(areNicknames(a, b)).toBe(false);
  });
});

describe('spellingDifference', () => {
  it('finds two adjacent letters swapped', () => {
    expect(spellingDifference('smtih', 'smith')).toBe('transposed');
    expect(spellingDifference('jonhson', 'johnson')).toBe('transposed');
  });

  it('finds one letter added, missing or changed', () => {
    expect(spellingDifference('smyth', 'smith')).toBe('typo');
    expect(spellingDifference('philip', 'phillip')).toBe('typo');
    expect(spellingDifference('johnsonn', 'johnson')).toBe('typo');
  });

  it('leaves short names and larger differences alone', () => {
    expect(spellingDifference('lee', 'lei')).toBeNull();
    expect(spellingDifference('smith', 'smythe')).toBeNull();
    expect(spellingDifference('smith', 'jones')).toBeNull();
    expect(spellingDifference('smith', 'smith')).toBeNull();
  });
});

describe('isNamePart', () => {
  it('recognizes one part of a hyphenated or compound name', () => {
    expect(isNamePart(normalizeName('Jones'), normalizeName('Smith-Jones'))).toBe(true);
    expect(isNamePart(normalizeName('Garcia'), normalizeName('Garcia Lopez'))).toBe(true);
  });

  it('does not take a particle or a different name as a part', () => {
    expect(isNamePart(normalizeName('De'), normalizeName('De La Cruz'))).toBe(false);
    expect(isNamePart(normalizeName('Smithson'), normalizeName('Smith-Jones'))).toBe(false);
  });
});

describe('splitting a whole name written in one cell', () => {
  const split = (written: string) => {
    const parts = splitFullName(written);
    return parts && [parts.firstName, parts.middleName, parts.lastName];
  };

  it('reads the first name first, or the last name first before a comma', () => {
    expect(split('Maria Lopez')).toEqual(['Maria', '', 'Lopez']);
    expect(split('Maria J. Lopez')).toEqual(['Maria', 'J.', 'Lopez']);
    expect(split('Lopez, Maria J.')).toEqual(['Maria', 'J.', 'Lopez']);
    expect(split('Lopez ,  Maria')).toEqual(['Maria', '', 'Lopez']);
  });

  it('reads a last name in capitals before the given names as the last name, but not initials or a name all in capitals', () => {
    expect(split('LOPEZ Maria')).toEqual(['Maria', '', 'LOPEZ']);
    expect(split('DE LA CRUZ Ana Sofia')).toEqual(['Ana', 'Sofia', 'DE LA CRUZ']);
    expect(split("O'BRIEN Sean")).toEqual(['Sean', '', "O'BRIEN"]);
    expect(split('MARIA LOPEZ')).toEqual(['MARIA', '', 'LOPEZ']);
    expect(split('AJ Smith')).toEqual(['AJ', '', 'Smith']);
    expect(split('Maria LOPEZ')).toEqual(['Maria', '', 'LOPEZ']);
    // A middle initial at the end: the last name comes first, as a board's export writes it without a comma.
    expect(split('OKAFOR JAMES A')).toEqual(['JAMES', 'A', 'OKAFOR']);
    expect(split('Okafor James A.')).toEqual(['James', 'A.', 'Okafor']);
    expect(split('DE LA CRUZ ANA M')).toEqual(['ANA', 'M', 'DE LA CRUZ']);
    expect(split('OKAFOR JAMES A JR')).toEqual(['JAMES', 'A', 'OKAFOR JR']);
    expect(split('James A Okafor')).toEqual(['James', 'A', 'Okafor']);
    expect(split('J A Okafor')).toEqual(['J', 'A', 'Okafor']);
  });

  it('keeps the words that begin a last name with it, and a generational suffix after it', () => {
    expect(split('Ana de la Cruz')).toEqual(['Ana', '', 'de la Cruz']);
    expect(split('Ludwig van Beethoven')).toEqual(['Ludwig', '', 'van Beethoven']);
    expect(split('Mary St. John')).toEqual(['Mary', '', 'St. John']);
    expect(split('Jim Okafor Jr.')).toEqual(['Jim', '', 'Okafor Jr.']);
    expect(split('Okafor, Jim, Jr., MD')).toEqual(['Jim', '', 'Okafor Jr.']);
  });

  it('leaves out titles and credentials, but not a surname that is written like one', () => {
    expect(split('Dr. Ana de la Cruz, MD')).toEqual(['Ana', '', 'de la Cruz']);
    expect(split('Ada Lovelace M.D. FACP')).toEqual(['Ada', '', 'Lovelace']);
    expect(split('Pat Smith, DO')).toEqual(['Pat', '', 'Smith']);
    expect(split('John Do')).toEqual(['John', '', 'Do']);
    expect(split('Kofi Mba')).toEqual(['Kofi', '', 'Mba']);
    // As a sign-in sheet has them: several titles, other professions' credentials, with a comma or without.
    expect(split('Prof. Dr. Maria Lopez')).toEqual(['Maria', '', 'Lopez']);
    expect(split('Maria Lopez, PA-C')).toEqual(['Maria', '', 'Lopez']);
    expect(split('Maria Lopez NP')).toEqual(['Maria', '', 'Lopez']);
    expect(split('Lopez, Maria, APRN, FNP')).toEqual(['Maria', '', 'Lopez']);
  });

  it('leaves out what a sheet writes beside a name: a note in brackets, a nickname in double quotes', () => {
    expect(split('Maria Lopez (Resident)')).toEqual(['Maria', '', 'Lopez']);
    expect(split('Lopez, Maria [PGY-2]')).toEqual(['Maria', '', 'Lopez']);
    expect(split('Robert "Bob" Chen')).toEqual(['Robert', '', 'Chen']);
    expect(split('Robert “Bob” Chen')).toEqual(['Robert', '', 'Chen']);
    // An apostrophe is part of a name.
    expect(split("Sean O'Brien")).toEqual(['Sean', '', "O'Brien"]);
  });

  it('names no one in a single word', () => {
    expect(split('Madonna')).toBeNull();
    expect(split(', Maria')).toBeNull();
    expect(split('  ')).toBeNull();
  });
});
