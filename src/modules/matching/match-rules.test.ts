import { describe, expect, it } from 'vitest';
import { normalizeLicenseNumber } from './license-numbers.ts';
import {
  NO_CANDIDATES, candidateName, decideMatch, invalidOutcome, prepareIdentity,
  type CandidatePerson, type LearnerIdentity, type LicenseHolder, type MatchCandidates, type MatchOutcome,
} from './match-rules.ts';

interface PersonSpec {
  id: string;
  first: string;
  middle?: string;
  last: string;
  birth: [number, number] | null;
  formerLastNames?: string[];
}

function person(spec: PersonSpec): CandidatePerson {
  return {
    personId: spec.id,
    name: candidateName(spec.first, spec.middle ?? null, spec.last),
    otherNames: (spec.formerLastNames ?? []).map((last) => candidateName(null, null, last)),
    birthMonth: spec.birth?.[0] ?? null,
    birthDay: spec.birth?.[1] ?? null,
  };
}

function license(holder: CandidatePerson, _jurisdiction: string, number: string, status = 'active'): LicenseHolder {
  return { person: holder, number: normalizeLicenseNumber(number)!, status };
}

function match(input: Partial<LearnerIdentity>, candidates: Partial<MatchCandidates>): MatchOutcome {
  const prepared = prepareIdentity({ firstName: 'Robert', lastName: 'Smith', birthMonth: 3, birthDay: 14, ...input });
  if (!prepared.ok) return invalidOutcome(prepared.problems);
  return decideMatch(prepared.identity, { ...NO_CANDIDATES, ...candidates });
}

const robert = person({ id: 'p-robert', first: 'Robert', middle: 'James', last: 'Smith', birth: [3, 14] });
const robertsLicense = license(robert, 'CA', 'A12345');
const byLicense = { state: 'CA', licenseNumber: 'A12345' };

describe('accepted identities', () => {
  it('matches name, birth date, state and license number', () => {
    expect(match(byLicense, { stateLicenses: [robertsLicense] })).toEqual({
      status: 'matched', personId: 'p-robert', rule: 'state_license', tolerances: [], problems: [],
    });
  });

  it('matches a license number written after its state\'s code, as a form may have it', () => {
    for (const licenseNumber of ['CA A12345', 'CA-A12345', 'ca: a-12345']) {
      expect(match({ state: 'CA', licenseNumber }, { stateLicenses: [robertsLicense] }), licenseNumber).toMatchObject({ status: 'matched', personId: 'p-robert', tolerances: [] });
    }
  });

  it('matches by NPI', () => {
    const outcome = match({ npi: '1234567893' }, { npiHolders: [robert] });
    expect(outcome).toMatchObject({ status: 'matched', personId: 'p-robert', rule: 'npi', tolerances: [] });
  });

  it('matches by certifying board and board ID', () => {
    const outcome = match({ board: 'abim', boardId: '123456' }, { boardIdHolders: [robert] });
    expect(outcome).toMatchObject({ status: 'matched', personId: 'p-robert', rule: 'board_id' });
  });

  it('matches by state alone when exactly one licensee of the state fits', () => {
    const outcome = match({ state: 'CA' }, { stateNamesakes: [robert] });
    expect(outcome).toMatchObject({ status: 'matched', personId: 'p-robert', rule: 'state_unique_name' });
  });

  it('ignores case, accents, punctuation and suffixes in names', () => {
    const jose = person({ id: 'p-jose', first: 'José', last: "O'Brien-García", birth: [3, 14] });
    const outcome = match(
      { firstName: 'JOSE', lastName: 'obrien garcia jr.', ...byLicense },
      { stateLicenses: [license(jose, 'CA', 'A12345')] },
    );
    expect(outcome).toMatchObject({ status: 'matched', personId: 'p-jose', tolerances: [] });
  });

  it.each(['A 012345', 'A-12345', 'a12345'])('reads license number %s as the board\'s A12345', (number) => {
    const outcome = match({ state: 'ca', licenseNumber: number }, { stateLicenses: [robertsLicense] });
    expect(outcome).toMatchObject({ status: 'matched', tolerances: [] });
  });

  it('accepts the state written out', () => {
    expect(match({ state: 'California', licenseNumber: 'A12345' }, { stateLicenses: [robertsLicense] }))
      .toMatchObject({ status: 'matched' });
  });
});

describe('tolerated differences, each recorded on the match', () => {
  it.each([
    [{ firstName: 'Bob' }, ['first_name_nickname']],
    [{ firstName: 'R.' }, ['first_name_initial']],
    [{ firstName: 'Rbobert' }, ['first_name_typo']],
    [{ firstName: 'Rboert' }, ['first_name_transposed']],
    [{ firstName: 'James' }, ['middle_name_as_first']],
    [{ lastName: 'Smtih' }, ['last_name_transposed']],
    [{ lastName: 'Smiht' }, ['last_name_transposed']],
    [{ lastName: 'Smyth' }, ['last_name_typo']],
    [{ lastName: 'Smith-Walker' }, ['last_name_partial']],
    [{ birthMonth: 14, birthDay: 3 }, ['birth_day_month_swapped']],
    [{ firstName: 'Smith', lastName: 'Robert' }, ['names_reversed']],
    [{ firstName: 'Bobby', lastName: 'Smtih' }, ['first_name_nickname', 'last_name_transposed']],
  ])('%j is tolerated as %j', (input, tolerances) => {
    const outcome = match({ ...byLicense, ...input }, { stateLicenses: [robertsLicense] });
    expect(outcome).toMatchObject({ status: 'matched', personId: 'p-robert', tolerances });
  });

  it('tolerates day and month swapped when both readings are dates, given an identifier', () => {
    const aprilThird = person({ id: 'p-april', first: 'Robert', last: 'Smith', birth: [4, 3] });
    const outcome = match({ ...byLicense, birthMonth: 3, birthDay: 4 }, { stateLicenses: [license(aprilThird, 'CA', 'A12345')] });
    expect(outcome).toMatchObject({ status: 'matched', tolerances: ['birth_day_month_swapped'] });
  });

  it('accepts a former last name', () => {
    const married = person({ id: 'p-ann', first: 'Ann', last: 'Walker', birth: [3, 14], formerLastNames: ['Smith'] });
    const outcome = match({ firstName: 'Ann', ...byLicense }, { stateLicenses: [license(married, 'CA', 'A12345')] });
    expect(outcome).toMatchObject({ status: 'matched', personId: 'p-ann', tolerances: ['previous_last_name'] });
  });

  it('accepts one part of a hyphenated name on the registry', () => {
    const hyphenated = person({ id: 'p-h', first: 'Robert', last: 'Walker-Smith', birth: [3, 14] });
    const outcome = match(byLicense, { stateLicenses: [license(hyphenated, 'CA', 'A12345')] });
    expect(outcome).toMatchObject({ status: 'matched', tolerances: ['last_name_partial'] });
  });

  it('accepts a license number without the board\'s prefix letters', () => {
    const outcome = match({ state: 'CA', licenseNumber: '012345' }, { stateLicenses: [robertsLicense] });
    expect(outcome).toMatchObject({ status: 'matched', tolerances: ['license_prefix_missing'] });
  });

  it('matches an NPI holder whose birth date the registry does not know, and says so', () => {
    const fromNppes = person({ id: 'p-nppes', first: 'Robert', last: 'Smith', birth: null });
    const outcome = match({ npi: '1234567893' }, { npiHolders: [fromNppes] });
    expect(outcome).toMatchObject({ status: 'matched', tolerances: ['birth_date_unverified'] });
  });

  it('matches an expired license and tells the provider', () => {
    const outcome = match(byLicense, { stateLicenses: [license(robert, 'CA', 'A12345', 'expired')] });
    expect(outcome.status).toBe('matched');
    expect(outcome.problems).toEqual([expect.objectContaining({ code: 'license_inactive', field: 'licenseNumber' })]);
  });

  it('matches by license when the NPI given is not in the registry, and says so', () => {
    const outcome = match({ ...byLicense, npi: '1234567893' }, { stateLicenses: [robertsLicense] });
    expect(outcome).toMatchObject({ status: 'matched', rule: 'state_license' });
    expect(outcome.problems.map((p) => p.code)).toEqual(['npi_not_found']);
  });

  it('matches when license and NPI point at the same person', () => {
    const outcome = match({ ...byLicense, npi: '1234567893' }, { stateLicenses: [robertsLicense], npiHolders: [robert] });
    expect(outcome).toMatchObject({ status: 'matched', rule: 'state_license', problems: [] });
  });

  it('takes the nickname for the state-alone rule too', () => {
    expect(match({ state: 'CA', firstName: 'Bob' }, { stateNamesakes: [robert] }))
      .toMatchObject({ status: 'matched', rule: 'state_unique_name', tolerances: ['first_name_nickname'] });
  });
});

describe('refusals', () => {
  it('refuses a name that does not match the license holder', () => {
    const outcome = match({ ...byLicense, firstName: 'Maria', lastName: 'Lopez' }, { stateLicenses: [robertsLicense] });
    expect(outcome).toMatchObject({ status: 'not_found', personId: null, rule: null });
    expect(outcome.problems).toEqual([expect.objectContaining({ code: 'name_mismatch', field: 'lastName' })]);
  });

  it('refuses a birth date that does not match the license holder, without revealing it', () => {
    const outcome = match({ ...byLicense, birthMonth: 7, birthDay: 1 }, { stateLicenses: [robertsLicense] });
    expect(outcome.status).toBe('not_found');
    expect(outcome.problems).toEqual([expect.objectContaining({ code: 'birth_date_mismatch', field: 'birthMonth' })]);
    expect(outcome.problems[0].message).not.toMatch(/\b3\b|14|March/);
  });

  it('refuses errors in both first and last name at once', () => {
    const outcome = match({ ...byLicense, firstName: 'R', lastName: 'Smtih' }, { stateLicenses: [robertsLicense] });
    expect(outcome.status).toBe('not_found');
    expect(outcome.problems[0].code).toBe('name_mismatch');
  });

  it('refuses more than two differences at once', () => {
    const outcome = match(
      { ...byLicense, firstName: 'Bob', lastName: 'Smtih', birthMonth: 14, birthDay: 3 },
      { stateLicenses: [robertsLicense] },
    );
    expect(outcome.status).toBe('not_found');
    expect(outcome.problems[0].code).toBe('name_mismatch');
  });

  it('says license_not_found for a number the state does not have', () => {
    const outcome = match({ state: 'CA', licenseNumber: 'A99999' }, {});
    expect(outcome).toMatchObject({ status: 'not_found' });
    expect(outcome.problems).toEqual([expect.objectContaining({ code: 'license_not_found', field: 'licenseNumber' })]);
    expect(outcome.problems[0].message).toContain('California');
  });

  it('says license_other_state when another state issued the number to this physician', () => {
    const outcome = match({ state: 'NV', licenseNumber: 'A12345' }, { otherStateLicenses: [robertsLicense] });
    expect(outcome.status).toBe('not_found');
    expect(outcome.problems).toEqual([expect.objectContaining({ code: 'license_other_state', field: 'state' })]);
  });

  it('does not reveal another state\'s license held by someone else', () => {
    const other = person({ id: 'p-other', first: 'Maria', last: 'Lopez', birth: [1, 2] });
    const outcome = match({ state: 'NV', licenseNumber: 'A12345' }, { otherStateLicenses: [license(other, 'CA', 'A12345')] });
    expect(outcome.problems.map((p) => p.code)).toEqual(['license_not_found']);
  });

  it('never takes one license series for another', () => {
    const outcome = match({ state: 'CA', licenseNumber: 'G12345' }, { stateLicenses: [robertsLicense] });
    expect(outcome.problems.map((p) => p.code)).toEqual(['license_not_found']);
  });

  it('says npi_not_found and board_id_not_found', () => {
    expect(match({ npi: '1234567893' }, {}).problems.map((p) => p.code)).toEqual(['npi_not_found']);
    expect(match({ board: 'ABIM', boardId: '1' }, {}).problems.map((p) => p.code)).toEqual(['board_id_not_found']);
  });

  it('is ambiguous when two namesakes of the state fit', () => {
    const namesake = person({ id: 'p-namesake', first: 'Robert', last: 'Smith', birth: [3, 14] });
    const outcome = match({ state: 'CA' }, { stateNamesakes: [robert, namesake] });
    expect(outcome).toMatchObject({ status: 'ambiguous', personId: null });
    expect(outcome.problems[0].code).toBe('several_people_fit');
  });

  it('is ambiguous when a nickname fits two people of the state', () => {
    const bob = person({ id: 'p-bob', first: 'Bob', last: 'Smith', birth: [3, 14] });
    expect(match({ state: 'CA', firstName: 'Bob' }, { stateNamesakes: [robert, bob] }).status).toBe('ambiguous');
  });

  it('is ambiguous when a number without its prefix fits two license series held by namesakes', () => {
    const namesake = person({ id: 'p-namesake', first: 'Robert', last: 'Smith', birth: [3, 14] });
    const outcome = match({ state: 'CA', licenseNumber: '12345' }, {
      stateLicenses: [robertsLicense, license(namesake, 'CA', 'G12345')],
    });
    expect(outcome.status).toBe('ambiguous');
  });

  it('is ambiguous when the license and the NPI belong to two different physicians', () => {
    const other = person({ id: 'p-other', first: 'Maria', last: 'Lopez', birth: [1, 2] });
    const outcome = match({ ...byLicense, npi: '1234567893' }, { stateLicenses: [robertsLicense], npiHolders: [other] });
    expect(outcome).toMatchObject({ status: 'ambiguous', personId: null });
    expect(outcome.problems[0].code).toBe('identifiers_conflict');
  });

  it('is ambiguous when the license and the NPI each fit a different namesake', () => {
    const namesake = person({ id: 'p-namesake', first: 'Robert', last: 'Smith', birth: [3, 14] });
    const outcome = match({ ...byLicense, npi: '1234567893' }, { stateLicenses: [robertsLicense], npiHolders: [namesake] });
    expect(outcome.status).toBe('ambiguous');
  });

  it('says person_not_found when no licensee of the state fits', () => {
    const outcome = match({ state: 'CA', firstName: 'Maria' }, { stateNamesakes: [robert] });
    expect(outcome.status).toBe('not_found');
    expect(outcome.problems[0].code).toBe('person_not_found');
  });

  it.each([
    [{ firstName: 'R.' }],
    [{ lastName: 'Smyth' }],
    [{ firstName: 'Rbobert' }],
    [{ firstName: 'Bob', lastName: 'Smtih' }],
    [{ firstName: 'Smith', lastName: 'Robert' }],
  ])('with the state alone, %j is refused: no initial, typo or second difference', (input) => {
    expect(match({ state: 'CA', ...input }, { stateNamesakes: [robert] }).status).toBe('not_found');
  });

  it.each([
    [{ firstName: 'Rboert' }, 'first_name_transposed'],
    [{ lastName: 'Smtih' }, 'last_name_transposed'],
  ])('with the state alone, %j (one transposed pair) is tolerated', (input, tolerance) => {
    expect(match({ state: 'CA', ...input }, { stateNamesakes: [robert] })).toMatchObject({ status: 'matched', tolerances: [tolerance] });
  });

  it.each<[Partial<LearnerIdentity>, string]>([
    [{ firstName: 'James' }, 'the middle name as first name'],
    [{ firstName: 'Ann', lastName: 'Smith' }, 'a former last name'],
    [{ lastName: 'Smith-Walker' }, 'one part of a compound name'],
  ])('with the state alone, %j (%s) is too weak a link', (input) => {
    const ann = person({ id: 'p-ann', first: 'Ann', last: 'Walker', birth: [3, 14], formerLastNames: ['Smith'] });
    expect(match({ state: 'CA', ...input }, { stateNamesakes: [robert, ann] }).status).toBe('not_found');
  });

  it('with the state alone, another licensee who could be the learner makes it ambiguous', () => {
    const swapped = person({ id: 'p-swapped', first: 'Robert', last: 'Smith', birth: [3, 14] });
    const robertMarch4 = person({ id: 'p-march4', first: 'Robert', last: 'Smith', birth: [3, 4] });
    const robertApril3 = person({ id: 'p-april3', first: 'Bob', last: 'Smith', birth: [4, 3] });
    expect(match({ state: 'CA', birthMonth: 3, birthDay: 4 }, { stateNamesakes: [robertMarch4, robertApril3] }))
      .toMatchObject({ status: 'ambiguous', problems: [expect.objectContaining({ code: 'several_people_fit' })] });
    const typoRival = person({ id: 'p-smyth', first: 'Robert', last: 'Smyth', birth: [3, 14] });
    expect(match({ state: 'CA' }, { stateNamesakes: [robert, typoRival] }).status).toBe('ambiguous');
    expect(match({ state: 'CA' }, { stateNamesakes: [swapped] }).status).toBe('matched');
  });

  it('with the state alone, a day and month that read only one way are still read swapped', () => {
    expect(match({ state: 'CA', birthMonth: 14, birthDay: 3 }, { stateNamesakes: [robert] }))
      .toMatchObject({ status: 'matched', tolerances: ['birth_day_month_swapped'] });
  });

  it('with the state alone, a day and month that read both ways must be exact', () => {
    const aprilThird = person({ id: 'p-april', first: 'Robert', last: 'Smith', birth: [4, 3] });
    expect(match({ state: 'CA', birthMonth: 3, birthDay: 4 }, { stateNamesakes: [aprilThird] }).status).toBe('not_found');
  });

  it('with the state alone, a person without a known birth date never fits', () => {
    const fromNppes = person({ id: 'p-nppes', first: 'Robert', last: 'Smith', birth: null });
    expect(match({ state: 'CA' }, { stateNamesakes: [fromNppes] }).status).toBe('not_found');
  });
});

describe('invalid input', () => {
  function problemsOf(input: Partial<LearnerIdentity>) {
    const outcome = match(input, {});
    expect(outcome.status).toBe('invalid');
    return outcome.problems.map((p) => [p.code, p.field]);
  }

  it('reports every problem at once', () => {
    expect(problemsOf({ firstName: ' ', lastName: '', birthMonth: '', birthDay: 'x', npi: '123' })).toEqual([
      ['first_name_required', 'firstName'], ['last_name_required', 'lastName'], ['birth_month_invalid', 'birthMonth'],
      ['birth_day_invalid', 'birthDay'], ['npi_format', 'npi'],
    ]);
  });

  it('says a name without letters as it is written, not as missing', () => {
    const outcome = match({ firstName: '😀', lastName: '-', npi: '1234567893' }, {});
    expect(outcome.problems.map((p) => p.message)).toEqual([
      'First name "😀" has no letters: write the name as on the license.',
      'Last name "-" has no letters: write the name as on the license.',
    ]);
    expect(match({ firstName: '', lastName: 'Lopez', npi: '1234567893' }, {}).problems.map((p) => p.message)).toEqual(['First name is missing.']);
  });

  it.each([
    [{ npi: '1234567890' }, 'npi_check_digit', 'npi'],
    [{ birthMonth: 2, birthDay: 30, npi: '1234567893' }, 'birth_date_invalid', 'birthDay'],
    [{ birthMonth: 14, birthDay: 14, npi: '1234567893' }, 'birth_date_invalid', 'birthMonth'],
    [{ state: 'XX', licenseNumber: 'A1' }, 'state_invalid', 'state'],
    [{ licenseNumber: 'A12345' }, 'state_required', 'state'],
    [{ state: 'CA', licenseNumber: '--' }, 'license_number_invalid', 'licenseNumber'],
    [{ boardId: '123' }, 'board_required', 'board'],
    [{ board: 'ABIM' }, 'board_id_required', 'boardId'],
    [{}, 'identifier_required', 'licenseNumber'],
  ])('%j is invalid: %s', (input, code, field) => {
    expect(problemsOf(input)).toContainEqual([code, field]);
  });

  it('writes messages a coordinator can act on', () => {
    const outcome = match({ npi: '1234567890' }, {});
    expect(outcome.problems[0].message).toBe('NPI 1234567890 fails the check digit: a digit is probably mistyped or two are swapped.');
  });
});
