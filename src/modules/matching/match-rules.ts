import { birthReadings, fitBirthDate, parseBirthPart, type BirthReading } from './birth-dates.ts';
import { JURISDICTIONS, normalizeJurisdiction } from './jurisdictions.ts';
import { fitLicenseNumber, normalizeLicenseNumber, type LicenseNumberKey } from './license-numbers.ts';
import {
  areNicknames, isNamePart, lastNameSearchKeys, normalizeName, spellingDifference, type NormalizedName,
} from './names.ts';
import { normalizeNpi, npiProblem } from './npi.ts';
import { isPractisingStatus } from '../registry/license-values.ts';

/** A learner's identity as a provider reported it. */
export interface LearnerIdentity {
  firstName: string;
  middleName?: string | null;
  lastName: string;
  birthMonth: number | string;
  birthDay: number | string;
  state?: string | null;
  licenseNumber?: string | null;
  npi?: string | null;
  board?: string | null;
  boardId?: string | null;
}

export type MatchStatus = 'matched' | 'ambiguous' | 'not_found' | 'invalid';
export type MatchRule = 'state_license' | 'npi' | 'board_id' | 'state_unique_name';

export interface MatchProblem {
  code: string;
  field: string;
  message: string;
}

/**
 * The answer for one identity. `problems` explain a refusal; on a matched outcome they are notices that do not
 * prevent the match (an inactive license, an NPI the registry does not know while the license matched).
 */
export interface MatchOutcome {
  status: MatchStatus;
  personId: string | null;
  rule: MatchRule | null;
  tolerances: string[];
  problems: MatchProblem[];
}

export interface PreparedIdentity {
  firstName: NormalizedName;
  lastName: NormalizedName;
  lastNameKeys: string[];
  birthReadings: BirthReading[];
  state: string | null;
  license: LicenseNumberKey | null;
  licenseNumberAsSent: string;
  npi: string | null;
  board: string | null;
  boardId: string | null;
  boardIdAsSent: string;
}

export interface CandidateName {
  first: NormalizedName;
  middle: NormalizedName;
  last: NormalizedName;
}

export function candidateName(first: string | null, middle: string | null, last: string): CandidateName {
  return { first: normalizeName(first), middle: normalizeName(middle), last: normalizeName(last) };
}

/** A registry person as matching sees it: normalized names (current first) and birth month/day if known. */
export interface CandidatePerson {
  personId: string;
  name: CandidateName;
  otherNames: CandidateName[];
  birthMonth: number | null;
  birthDay: number | null;
}

export interface LicenseHolder {
  person: CandidatePerson;
  number: LicenseNumberKey;
  status: string;
}

/** What the registry holds for one identity, found by the identity's identifiers and name keys. */
export interface MatchCandidates {
  /** Licenses of the reported state that share the reported number's digits. */
  stateLicenses: LicenseHolder[];
  /** Licenses of other states with exactly the reported number. */
  otherStateLicenses: LicenseHolder[];
  npiHolders: CandidatePerson[];
  boardIdHolders: CandidatePerson[];
  /** Licensees of the reported state sharing a last-name key and a birth reading (used without identifiers). */
  stateNamesakes: CandidatePerson[];
}

export const NO_CANDIDATES: MatchCandidates = {
  stateLicenses: [], otherStateLicenses: [], npiHolders: [], boardIdHolders: [], stateNamesakes: [],
};

// ---------------------------------------------------------------------------------------------------------
// Input checks

export type PreparationResult = { ok: true; identity: PreparedIdentity } | { ok: false; problems: MatchProblem[] };

function normalizeBoardCode(raw: string | null | undefined): string | null {
  const code = (raw ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return code.length > 0 ? code : null;
}

function text(value: string | null | undefined): string {
  return (value ?? '').trim();
}

/** A name with no letter or digit ("-", "?", an emoji) is as good as none: it is said as written, so that it is found. */
export function nameMissingMessage(label: string, written: string | null | undefined): string {
  const shown = text(written);
  return shown ? `${label} "${shown}" has no letters: write the name as on the license.` : `${label} is missing.`;
}

/** Checks an identity and reduces it to comparison keys; every problem is reported at once. */
export function prepareIdentity(input: LearnerIdentity): PreparationResult {
  const problems: MatchProblem[] = [];
  const firstName = normalizeName(input.firstName);
  const lastName = normalizeName(input.lastName);
  if (!firstName.key) {
    problems.push({ code: 'first_name_required', field: 'firstName', message: nameMissingMessage('First name', input.firstName) });
  }
  if (!lastName.key) {
    problems.push({ code: 'last_name_required', field: 'lastName', message: nameMissingMessage('Last name', input.lastName) });
  }

  const month = parseBirthPart(input.birthMonth);
  const day = parseBirthPart(input.birthDay);
  let readings: BirthReading[] = [];
  if (month === 'missing' || month === 'not_a_number') {
    problems.push({
      code: 'birth_month_invalid', field: 'birthMonth',
      message: month === 'missing' ? 'Birth month is missing.' : 'Birth month must be a number from 1 to 12.',
    });
  }
  if (day === 'missing' || day === 'not_a_number') {
    problems.push({
      code: 'birth_day_invalid', field: 'birthDay',
      message: day === 'missing' ? 'Birth day is missing.' : 'Birth day must be a number from 1 to 31.',
    });
  }
  if (typeof month === 'number' && typeof day === 'number') {
    readings = birthReadings(month, day);
    if (readings.length === 0) {
      problems.push({
        code: 'birth_date_invalid', field: month >= 1 && month <= 12 ? 'birthDay' : 'birthMonth',
        message: `Birth month ${month} and day ${day} are not a date, in either order: check both.`,
      });
    }
  }

  const stateAsSent = text(input.state);
  const state = normalizeJurisdiction(stateAsSent);
  if (stateAsSent && !state) {
    problems.push({
      code: 'state_invalid', field: 'state',
      message: `"${stateAsSent}" is not a US state or territory: use its two-letter code, e.g. CA.`,
    });
  }

  const licenseNumberAsSent = text(input.licenseNumber);
  const license = normalizeLicenseNumber(licenseNumberAsSent, state);
  if (licenseNumberAsSent && !license) {
    problems.push({
      code: 'license_number_invalid', field: 'licenseNumber', message: 'License number has no letters or digits.',
    });
  }
  if (license && !stateAsSent) {
    problems.push({
      code: 'state_required', field: 'state', message: 'A license number needs the state that issued the license.',
    });
  }

  const npiAsSent = text(input.npi);
  const npi = npiAsSent ? normalizeNpi(npiAsSent) : null;
  if (npi) {
    const npiIssue = npiProblem(npi);
    if (npiIssue === 'npi_format') {
      problems.push({ code: 'npi_format', field: 'npi', message: `NPI must be 10 digits; "${npiAsSent}" is not.` });
    } else if (npiIssue === 'npi_check_digit') {
      problems.push({
        code: 'npi_check_digit', field: 'npi',
        message: `NPI ${npi} fails the check digit: a digit is probably mistyped or two are swapped.`,
      });
    }
  }

  const board = normalizeBoardCode(input.board);
  const boardIdAsSent = text(input.boardId);
  const boardId = normalizeLicenseNumber(boardIdAsSent)?.key ?? null;
  if (boardId && !board) {
    problems.push({
      code: 'board_required', field: 'board', message: 'A board ID needs the certifying board that issued it (e.g. ABIM).',
    });
  }
  if (board && !boardId) {
    problems.push({
      code: 'board_id_required', field: 'boardId', message: `Give the learner's ${board} ID, or leave the board empty.`,
    });
  }

  if (!stateAsSent && !npiAsSent && !input.board && !boardIdAsSent) {
    problems.push({
      code: 'identifier_required', field: 'licenseNumber',
      message: 'Give at least one identifier: state and license number, NPI, or certifying board and board ID.',
    });
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    identity: {
      firstName, lastName, lastNameKeys: lastNameSearchKeys(lastName), birthReadings: readings, state, license,
      licenseNumberAsSent, npi, board, boardId, boardIdAsSent,
    },
  };
}

export function invalidOutcome(problems: MatchProblem[]): MatchOutcome {
  return { status: 'invalid', personId: null, rule: null, tolerances: [], problems };
}

// ---------------------------------------------------------------------------------------------------------
// How one person fits a reported identity

type FirstNameFit =
  | 'exact' | 'first_name_nickname' | 'first_name_partial' | 'middle_name_as_first' | 'first_name_initial'
  | 'first_name_transposed' | 'first_name_typo';
type LastNameFit = 'exact' | 'previous_last_name' | 'last_name_partial' | 'last_name_transposed' | 'last_name_typo';

/** Differences that explain a name (a nickname, a former name) weigh less than errors (a typo, an initial). */
const ERROR_FITS = new Set<string>([
  'first_name_initial', 'first_name_transposed', 'first_name_typo', 'last_name_transposed', 'last_name_typo',
]);

interface FitPolicy {
  firstFits: ReadonlySet<FirstNameFit>;
  lastFits: ReadonlySet<LastNameFit>;
  allowReversedNames: boolean;
  allowBothWaySwap: boolean;
  allowUnknownBirthDate: boolean;
  maxTolerances: number;
}

/** With an identifier that points at the person, the usual slips of a name or date are tolerated. */
const IDENTIFIER_POLICY: FitPolicy = {
  firstFits: new Set<FirstNameFit>([
    'exact', 'first_name_nickname', 'first_name_partial', 'middle_name_as_first', 'first_name_initial',
    'first_name_transposed', 'first_name_typo',
  ]),
  lastFits: new Set<LastNameFit>(['exact', 'previous_last_name', 'last_name_partial', 'last_name_transposed', 'last_name_typo']),
  allowReversedNames: true,
  allowBothWaySwap: true,
  allowUnknownBirthDate: true,
  maxTolerances: 2,
};

/**
 * With the state alone, the name and birth date are the whole identity. The one who matches must fit strictly:
 * the name as reported, as a nickname or with one transposed pair of letters, and the exact birth date. A
 * middle name, a former name, an initial or one part of a compound name (often a common surname on its own) is
 * too weak a link by itself.
 */
const STATE_ONLY_POLICY: FitPolicy = {
  firstFits: new Set<FirstNameFit>(['exact', 'first_name_nickname', 'first_name_transposed']),
  lastFits: new Set<LastNameFit>(['exact', 'last_name_transposed']),
  allowReversedNames: false,
  allowBothWaySwap: false,
  allowUnknownBirthDate: false,
  maxTolerances: 1,
};

/**
 * ...and nobody else of the state may fit even loosely (any tolerated difference, day and month swapped):
 * another licensee who could be the learner makes the identity ambiguous, never a guess.
 */
const STATE_ONLY_RIVAL_POLICY: FitPolicy = { ...IDENTIFIER_POLICY, allowUnknownBirthDate: false };

const FIRST_FIT_ORDER: FirstNameFit[] = [
  'exact', 'first_name_nickname', 'first_name_partial', 'middle_name_as_first', 'first_name_initial',
  'first_name_transposed', 'first_name_typo',
];
const LAST_FIT_ORDER: LastNameFit[] = ['exact', 'previous_last_name', 'last_name_partial', 'last_name_transposed', 'last_name_typo'];

function firstNameFits(reported: NormalizedName, registered: CandidateName): Set<FirstNameFit> {
  const fits = new Set<FirstNameFit>();
  const first = registered.first;
  if (!first.key) return fits;
  if (reported.key === first.key) fits.add('exact');
  if (areNicknames(reported.key, first.key)) fits.add('first_name_nickname');
  if (
    (reported.tokens.length > 1 || first.tokens.length > 1) && reported.tokens[0] === first.tokens[0] &&
    reported.tokens[0].length > 1
  ) {
    fits.add('first_name_partial');
  }
  if (registered.middle.key && reported.key === first.key + registered.middle.key) fits.add('first_name_partial');
  if (
    registered.middle.key && registered.middle.key.length > 1 &&
    (reported.key === registered.middle.key || areNicknames(reported.key, registered.middle.key))
  ) {
    fits.add('middle_name_as_first');
  }
  if ((reported.key.length === 1 || first.key.length === 1) && reported.key[0] === first.key[0]) {
    fits.add('first_name_initial');
  }
  const spelling = spellingDifference(reported.key, first.key);
  if (spelling === 'transposed') fits.add('first_name_transposed');
  if (spelling === 'typo') fits.add('first_name_typo');
  return fits;
}

function lastNameFits(reported: NormalizedName, registered: NormalizedName, isCurrent: boolean): Set<LastNameFit> {
  const fits = new Set<LastNameFit>();
  if (!registered.key) return fits;
  const formerOr = (fit: LastNameFit): LastNameFit => (isCurrent ? fit : 'previous_last_name');
  if (reported.key === registered.key) fits.add(isCurrent ? 'exact' : 'previous_last_name');
  if (isNamePart(reported, registered) || isNamePart(registered, reported)) fits.add(formerOr('last_name_partial'));
  const spelling = spellingDifference(reported.key, registered.key);
  if (spelling === 'transposed') fits.add(formerOr('last_name_transposed'));
  if (spelling === 'typo') fits.add(formerOr('last_name_typo'));
  return fits;
}

function bestAllowed<T extends string>(found: Set<T>, order: T[], allowed: ReadonlySet<T>): T | null {
  for (const fit of order) if (found.has(fit) && allowed.has(fit)) return fit;
  return null;
}

type PersonFit =
  | { fits: true; tolerances: string[] }
  | { fits: false; reason: 'name' | 'birth_date' | 'too_many_differences' };

function nameTolerances(identity: PreparedIdentity, person: CandidatePerson, policy: FitPolicy): string[] | null {
  const names = [person.name, ...person.otherNames];
  const firstFound = new Set<FirstNameFit>();
  const lastFound = new Set<LastNameFit>();
  for (const [index, name] of names.entries()) {
    for (const fit of firstNameFits(identity.firstName, name)) firstFound.add(fit);
    for (const fit of lastNameFits(identity.lastName, name.last, index === 0)) lastFound.add(fit);
  }
  const first = bestAllowed(firstFound, FIRST_FIT_ORDER, policy.firstFits);
  const last = bestAllowed(lastFound, LAST_FIT_ORDER, policy.lastFits);
  if (first && last && !(ERROR_FITS.has(first) && ERROR_FITS.has(last))) {
    return [first, last].filter((fit) => fit !== 'exact');
  }
  if (policy.allowReversedNames) {
    const reversed = names.some((name) =>
      identity.firstName.key === name.last.key && identity.lastName.key === name.first.key);
    if (reversed) return ['names_reversed'];
  }
  return null;
}

function fitPerson(identity: PreparedIdentity, person: CandidatePerson, policy: FitPolicy): PersonFit {
  const nameFit = nameTolerances(identity, person, policy);
  let birthTolerance: string | null | 'mismatch';
  if (person.birthMonth === null || person.birthDay === null) {
    birthTolerance = policy.allowUnknownBirthDate ? 'birth_date_unverified' : 'mismatch';
  } else {
    const fit = fitBirthDate(
      identity.birthReadings, { month: person.birthMonth, day: person.birthDay }, policy.allowBothWaySwap,
    );
    birthTolerance = fit === null ? 'mismatch' : fit === 'exact' ? null : fit;
  }
  if (nameFit === null) return { fits: false, reason: 'name' };
  if (birthTolerance === 'mismatch') return { fits: false, reason: 'birth_date' };
  const tolerances = birthTolerance ? [...nameFit, birthTolerance] : nameFit;
  if (tolerances.length > policy.maxTolerances) return { fits: false, reason: 'too_many_differences' };
  return { fits: true, tolerances };
}

// ---------------------------------------------------------------------------------------------------------
// Rules

interface Fitting {
  personId: string;
  tolerances: string[];
  license: LicenseHolder | null;
}

interface RuleResult {
  rule: MatchRule;
  holderIds: Set<string>;
  fitting: Fitting[];
  findings: MatchProblem[];
}

function describeLicense(identity: PreparedIdentity): string {
  return `${identity.state} license ${identity.licenseNumberAsSent}`;
}

function mismatchFinding(
  reasons: Array<'name' | 'birth_date' | 'too_many_differences'>, holderDescription: string,
): MatchProblem {
  if (reasons.includes('birth_date') && !reasons.includes('name')) {
    return {
      code: 'birth_date_mismatch', field: 'birthMonth',
      message: `The birth month and day do not match those on record for ${holderDescription}. Check them with the learner.`,
    };
  }
  if (reasons.includes('too_many_differences') && !reasons.includes('name')) {
    return {
      code: 'name_mismatch', field: 'lastName',
      message: `The name and birth date differ in too many ways from those on record for ${holderDescription} to be sure it is the same physician. Check the spelling and the birth date.`,
    };
  }
  return {
    code: 'name_mismatch', field: 'lastName',
    message: `The name does not match the one on record for ${holderDescription}. Check the spelling, or whether the learner was licensed under another name.`,
  };
}

/** Fits every holder of an identifier; findings explain why none fits. */
function fitHolders(
  rule: MatchRule,
  identity: PreparedIdentity,
  holders: Array<{ person: CandidatePerson; extraTolerance: string | null; license: LicenseHolder | null }>,
  holderDescription: string,
): RuleResult {
  const fitting = new Map<string, Fitting>();
  const reasons: Array<'name' | 'birth_date' | 'too_many_differences'> = [];
  for (const holder of holders) {
    const fit = fitPerson(identity, holder.person, IDENTIFIER_POLICY);
    if (!fit.fits) {
      reasons.push(fit.reason);
      continue;
    }
    const tolerances = holder.extraTolerance ? [holder.extraTolerance, ...fit.tolerances] : fit.tolerances;
    const known = fitting.get(holder.person.personId);
    if (!known || preferLicense(holder.license, tolerances, known)) {
      fitting.set(holder.person.personId, { personId: holder.person.personId, tolerances, license: holder.license });
    }
  }
  const findings = fitting.size === 0 && holders.length > 0 ? [mismatchFinding(reasons, holderDescription)] : [];
  return { rule, holderIds: new Set(holders.map((h) => h.person.personId)), fitting: [...fitting.values()], findings };
}

/** Of two licenses of one person that fit, the one with fewer differences, then the practising one, wins. */
function preferLicense(license: LicenseHolder | null, tolerances: string[], known: Fitting): boolean {
  if (tolerances.length !== known.tolerances.length) return tolerances.length < known.tolerances.length;
  return Boolean(license && isPractisingStatus(license.status) && known.license && !isPractisingStatus(known.license.status));
}

function licenseRule(identity: PreparedIdentity, candidates: MatchCandidates): RuleResult {
  const reported = identity.license as LicenseNumberKey;
  const holders = candidates.stateLicenses.flatMap((license) => {
    const numberFit = fitLicenseNumber(reported, license.number);
    if (!numberFit) return [];
    return [{ person: license.person, extraTolerance: numberFit === 'exact' ? null : numberFit, license }];
  });
  if (holders.length > 0) return fitHolders('state_license', identity, holders, `${describeLicense(identity)}`);

  const fitsElsewhere = candidates.otherStateLicenses.some((license) =>
    license.number.key === reported.key && fitPerson(identity, license.person, IDENTIFIER_POLICY).fits);
  const finding: MatchProblem = fitsElsewhere
    ? {
      code: 'license_other_state', field: 'state',
      message: `${identity.licenseNumberAsSent} is not a ${identity.state} license number, but another state issued a license with this number to a physician with this name and birth date. Report the state that issued the license.`,
    }
    : {
      code: 'license_not_found', field: 'licenseNumber',
      message: `${JURISDICTIONS[identity.state as string]} has no license number ${identity.licenseNumberAsSent} on record. Check the number and the state.`,
    };
  return { rule: 'state_license', holderIds: new Set(), fitting: [], findings: [finding] };
}

function npiRule(identity: PreparedIdentity, candidates: MatchCandidates): RuleResult {
  if (candidates.npiHolders.length === 0) {
    return {
      rule: 'npi', holderIds: new Set(), fitting: [],
      findings: [{ code: 'npi_not_found', field: 'npi', message: `NPI ${identity.npi} is not in the registry.` }],
    };
  }
  const holders = candidates.npiHolders.map((person) => ({ person, extraTolerance: null, license: null }));
  return fitHolders('npi', identity, holders, `the physician with NPI ${identity.npi}`);
}

function boardIdRule(identity: PreparedIdentity, candidates: MatchCandidates): RuleResult {
  if (candidates.boardIdHolders.length === 0) {
    return {
      rule: 'board_id', holderIds: new Set(), fitting: [],
      findings: [{
        code: 'board_id_not_found', field: 'boardId',
        message: `${identity.board} has no diplomate with ID ${identity.boardIdAsSent} on record. Check the ID and the board.`,
      }],
    };
  }
  const holders = candidates.boardIdHolders.map((person) => ({ person, extraTolerance: null, license: null }));
  return fitHolders('board_id', identity, holders, `${identity.board} diplomate ${identity.boardIdAsSent}`);
}

function stateUniqueNameRule(identity: PreparedIdentity, candidates: MatchCandidates): RuleResult {
  const fitting = new Map<string, Fitting>();
  const rivals = new Set<string>();
  for (const person of candidates.stateNamesakes) {
    const fit = fitPerson(identity, person, STATE_ONLY_POLICY);
    if (fit.fits) fitting.set(person.personId, { personId: person.personId, tolerances: fit.tolerances, license: null });
    else if (fitPerson(identity, person, STATE_ONLY_RIVAL_POLICY).fits) rivals.add(person.personId);
  }
  // One strict fit with a loose rival is as ambiguous as two strict fits.
  if (fitting.size === 1 && rivals.size > 0) {
    const [rival] = rivals;
    fitting.set(rival, { personId: rival, tolerances: [], license: null });
  }
  const findings: MatchProblem[] = fitting.size === 0
    ? [{
      code: 'person_not_found', field: 'lastName',
      message: `No physician licensed in ${JURISDICTIONS[identity.state as string]} has this name and birth date. Check the spelling and the birth date, or add the license number or NPI.`,
    }]
    : [];
  return { rule: 'state_unique_name', holderIds: new Set(fitting.keys()), fitting: [...fitting.values()], findings };
}

// ---------------------------------------------------------------------------------------------------------
// Decision

function outcome(status: MatchStatus, problems: MatchProblem[]): MatchOutcome {
  return { status, personId: null, rule: null, tolerances: [], problems };
}

/**
 * Decides the match for one identity from what the registry holds for it. Every identifier given must agree:
 * an identifier that belongs to another physician makes the identity ambiguous, never a guess.
 */
export function decideMatch(identity: PreparedIdentity, candidates: MatchCandidates): MatchOutcome {
  const results: RuleResult[] = [];
  if (identity.license) results.push(licenseRule(identity, candidates));
  if (identity.npi) results.push(npiRule(identity, candidates));
  if (identity.board && identity.boardId) results.push(boardIdRule(identity, candidates));
  if (results.length === 0) results.push(stateUniqueNameRule(identity, candidates));

  const crowded = results.find((result) => result.fitting.length > 1);
  if (crowded) {
    const where = crowded.rule === 'state_unique_name'
      ? `licensed in ${JURISDICTIONS[identity.state as string]}`
      : 'holding a license with these digits';
    return outcome('ambiguous', [{
      code: 'several_people_fit', field: 'licenseNumber',
      message: `More than one physician ${where} fits this name and birth date. Give the full license number with its letters, or the NPI, to tell them apart.`,
    }]);
  }

  const matchedIds = new Set(results.flatMap((result) => result.fitting.map((fit) => fit.personId)));
  if (matchedIds.size === 0) return outcome('not_found', results.flatMap((result) => result.findings));

  const [personId] = matchedIds;
  const conflicting = results.filter((result) =>
    result.fitting.length === 0 && result.holderIds.size > 0 && !result.holderIds.has(personId));
  if (matchedIds.size > 1 || conflicting.length > 0) {
    return outcome('ambiguous', [{
      code: 'identifiers_conflict', field: conflicting[0]?.rule === 'npi' ? 'npi' : 'licenseNumber',
      message: 'The identifiers given belong to different physicians. Check which license number, NPI or board ID is this learner\'s.',
    }]);
  }

  const winning = results.find((result) => result.fitting.length === 1) as RuleResult;
  const fit = winning.fitting[0];
  const notices = results.filter((result) => result !== winning).flatMap((result) => result.findings);
  if (fit.license && !isPractisingStatus(fit.license.status)) {
    notices.push({
      code: 'license_inactive', field: 'licenseNumber',
      message: `${describeLicense(identity)} is ${fit.license.status} on the board's roster; the credit is recorded for the physician all the same.`,
    });
  }
  return { status: 'matched', personId, rule: winning.rule, tolerances: fit.tolerances, problems: notices };
}
