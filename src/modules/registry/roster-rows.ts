import type { ColumnSpec } from '../../files/columns.ts';
import type { Problem } from '../../http/errors.ts';
import { isIsoDate, MONTH_NAMES } from '../activities/dates.ts';
import { calendarDate, completionDateMessage, monthDayOfBirth, monthNumber } from '../../files/written-dates.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import { birthReadings, onlySwappedIsBirthday, parseBirthPart } from '../matching/birth-dates.ts';
import type { BirthPartProblem } from '../matching/birth-dates.ts';
import { LICENSE_NUMBER_MAX_LENGTH, normalizeLicenseNumber } from '../matching/license-numbers.ts';
import { lastNameSearchKeys, lostLetterMessage, NAME_MAX_LENGTH, normalizeName, splitFullName } from '../matching/names.ts';
import type { NameParts } from '../matching/names.ts';
import { normalizeNpi, npiProblem } from '../matching/npi.ts';
import { nameMissingMessage } from '../matching/match-rules.ts';
import { boardIdHeadings } from '../reference/certifying-boards.ts';
import { charactersPast, lengthPastMessage, quoted } from '../../words.ts';
import { normalizeLicenseStatus, normalizeLicenseType, statusMeant, type LicenseType } from './license-values.ts';

/** Which roster a file is: a licensing board's licensees, or a certifying board's diplomates. */
export type RosterKind = 'licenses' | 'certifications';

/** The board a roster belongs to, as far as reading its rows is concerned. */
export type RosterBoard =
  | { kind: 'licensing_board'; jurisdiction: string; boardType: 'MD' | 'DO' | 'combined' }
  | { kind: 'certifying_board'; boardCode: string };

const personColumns: ColumnSpec[] = [
  { name: 'status', label: 'Status', synonyms: ['License status', 'Certification status', 'Lic status', 'Credential status', 'Status description', 'Primary status', 'License status description'], required: true },
  { name: 'firstName', label: 'First name', synonyms: ['Given name', 'First'], required: true, replaceableBy: 'fullName' },
  { name: 'middleName', label: 'Middle name', synonyms: ['Middle', 'Middle initial'] },
  { name: 'lastName', label: 'Last name', synonyms: ['Family name', 'Surname', 'Last'], required: true, replaceableBy: 'fullName' },
  // A licensing board's own export may give the name in one column ("LOPEZ, MARIA J"); never in the template.
  { name: 'fullName', label: 'Name', synonyms: ['Full name', 'Licensee name', 'Physician name', 'Diplomate name', 'Name of licensee', 'Last name, first name'] },
  { name: 'previousLastName', label: 'Previous last name', synonyms: ['Former last name', 'Maiden name', 'Other last name'] },
  { name: 'birthMonth', label: 'Birth month', synonyms: ['Month of birth', 'DOB month', 'Birth mo'], required: true, replaceableBy: 'dateOfBirth' },
  { name: 'birthDay', label: 'Birth day', synonyms: ['Day of birth', 'DOB day', 'Birth dy'], required: true, replaceableBy: 'dateOfBirth' },
  // A board's own export may give the whole date of birth, with its year, which is dropped as it is read; never in the template.
  { name: 'dateOfBirth', label: 'Date of birth', synonyms: ['DOB', 'Birth date', 'Birthdate'] },
  { name: 'npi', label: 'NPI', synonyms: ['NPI number', 'NPI #', 'NPI no', 'National provider identifier', 'Individual NPI'] },
  { name: 'issuedOn', label: 'Issue date', synonyms: ['Issued', 'Original issue date', 'Certified on', 'Certification date', 'Date issued', 'Issue dt', 'Initial license date', 'Original license date', 'License issue date', 'Date of issue'] },
  { name: 'expiresOn', label: 'Expiry date', synonyms: ['Expiration date', 'Expires', 'Expiry', 'Expiration', 'Exp date', 'Exp dt', 'License expiration', 'License expiration date', 'Lic exp date', 'Expiry dt'] },
];

export const licenseRosterColumns: readonly ColumnSpec[] = [
  { name: 'licenseNumber', label: 'License number', synonyms: ['License', 'License no', 'License #', 'Lic number', 'Lic no', 'Lic #', 'License ID', 'Credential number', 'Credential', 'Credential #'], required: true },
  { name: 'licenseType', label: 'License type', synonyms: ['Type', 'Degree', 'Lic type', 'Credential type', 'License class'] },
  ...personColumns,
];

export const certificationRosterColumns: readonly ColumnSpec[] = [
  { name: 'boardId', label: 'Board ID', synonyms: ['Diplomate ID', 'Certificate number', 'ABMS ID', 'Board number'], required: true },
  ...personColumns,
];

/** The template's columns of a roster of this kind. */
export function rosterColumns(kind: RosterKind): readonly ColumnSpec[] {
  return kind === 'licenses' ? licenseRosterColumns : certificationRosterColumns;
}

/** The columns a board's roster is read by: a certifying board's own export heads its IDs with its name ("ABIM ID"). */
export function rosterColumnsOf(board: RosterBoard): readonly ColumnSpec[] {
  if (board.kind === 'licensing_board') return licenseRosterColumns;
  const [boardId, ...rest] = certificationRosterColumns;
  return [{ ...boardId!, synonyms: [...(boardId!.synonyms ?? []), ...boardIdHeadings(board.boardCode)] }, ...rest];
}

/** A roster row checked and reduced to what the registry stores and matches on. */
export interface RosterRecord {
  rowNumber: number;
  jurisdiction: string | null;
  licenseType: LicenseType | null;
  boardCode: string | null;
  identifier: string;
  identifierKey: string;
  identifierDigits: string;
  status: string;
  issuedOn: string | null;
  expiresOn: string | null;
  firstName: string;
  middleName: string | null;
  lastName: string;
  firstKey: string;
  lastKey: string;
  lastKeys: string[];
  birthMonth: number | null;
  birthDay: number | null;
  npi: string | null;
  previousLastName: string | null;
}

export type RosterRowResult =
  | { ok: true; record: RosterRecord }
  /** `identifierKey`: the license number or board ID, when it could be read, that the rejected row still names. */
  | { ok: false; identifier: string; identifierKey: string | null; problems: Problem[] };

/** The columns of a roster that hold dates of numbers, which say how its export writes them. */
export const rosterDateColumns = personColumns.filter((column) => ['issuedOn', 'expiresOn', 'dateOfBirth'].includes(column.name));

function rosterColumnLabel(name: string): string {
  return personColumns.find((column) => column.name === name)?.label ?? name;
}

function licenseTypeFor(raw: string, board: RosterBoard, row: number, problems: Problem[]): LicenseType | null {
  if (board.kind !== 'licensing_board') return null;
  const given = raw.trim();
  const type = normalizeLicenseType(given);
  if (given && !type) {
    problems.push({ row, code: 'license_type_invalid', field: 'licenseType', message: `License type ${quoted(given)} is neither MD nor DO.` });
    return null;
  }
  if (!type) {
    if (board.boardType !== 'combined') return board.boardType;
    problems.push({ row, code: 'license_type_required', field: 'licenseType', message: 'License type is missing: MD or DO.' });
    return null;
  }
  if (board.boardType !== 'combined' && type !== board.boardType) {
    problems.push({
      row, code: 'license_type_other_board', field: 'licenseType',
      message: `This board licenses ${board.boardType}s; a ${type} license belongs on the ${type} board's roster.`,
    });
    return null;
  }
  return type;
}

/** The column a roster may give the whole name in, instead of first and last name; the template never has it. */
export const rosterFullNameColumn = 'fullName';

/** Columns of a board's own export that stand in for the template's: the whole name, the whole date of birth. */
export const exportOnlyColumns: ReadonlySet<string> = new Set([rosterFullNameColumn, 'dateOfBirth']);

/**
 * First, middle and last name: from their columns or, where a row has neither, split from its whole name
 * ("LOPEZ, MARIA J", as a board's own export writes it). Null when the whole name is one word: its problem is said.
 */
function rosterNames(get: (name: string) => string, row: number, problems: Problem[]): NameParts | null {
  const whole = get(rosterFullNameColumn);
  if (get('firstName') || get('lastName') || !whole) return { firstName: get('firstName'), middleName: get('middleName'), lastName: get('lastName') };
  const split = splitFullName(whole);
  if (!split) problems.push({ row, code: 'name_invalid', field: rosterFullNameColumn, message: `Name ${quoted(whole)} is not a first and a last name: write both, such as "Lopez, Maria".` });
  return split;
}

/** The birth month and day of a roster row: from their columns, or from a date of birth whose year is dropped here. */
function rosterBirth(get: (name: string) => string, row: number, problems: Problem[], dateOrder: DateOrder | null): { month: number | null; day: number | null } {
  const dateOfBirth = !get('birthMonth') && !get('birthDay') && get('dateOfBirth') ? monthDayOfBirth(get('dateOfBirth'), dateOrder) : null;
  if (dateOfBirth && 'problem' in dateOfBirth) {
    // Never the date as written: it holds the birth year, which the hub keeps nowhere.
    problems.push({ row, code: 'birth_date_invalid', field: 'dateOfBirth', message: `Date of birth: ${dateOfBirth.problem}.` });
    return { month: null, day: null };
  }
  // A month by its name too ("March", "Mar"), as a sheet written by hand has it.
  const month = dateOfBirth ? dateOfBirth.month : get('birthMonth') ? (monthNumber(get('birthMonth')) ?? 'not_a_number') : 'missing';
  const day = dateOfBirth ? dateOfBirth.day : parseBirthPart(get('birthDay'));
  if (typeof month === 'number' && typeof day === 'number' && birthReadings(month, day)[0]?.swapped === false) return { month, day };
  if (!(month === 'missing' && day === 'missing')) {
    problems.push({
      row, code: 'birth_date_invalid', field: dateOfBirth ? 'dateOfBirth' : typeof month === 'number' && month >= 1 && month <= 12 ? 'birthDay' : 'birthMonth',
      message: `Birth month and day must be a real date: ${birthMonthDayProblem(get('birthMonth'), month, day)}.`,
    });
  }
  return { month: null, day: null };
}

/** What is wrong with a birth month and day that are no day of the calendar, in the words of the one at fault. */
function birthMonthDayProblem(monthWritten: string, month: number | BirthPartProblem, day: number | BirthPartProblem): string {
  if (month === 'missing') return 'the birth month is missing';
  if (typeof month !== 'number' || month < 1 || month > 12) {
    const swapped = typeof month === 'number' && typeof day === 'number' && onlySwappedIsBirthday(month, day);
    return `${quoted(typeof month === 'number' ? String(month) : monthWritten)} is not a month (1 to 12)${swapped ? ': if it is the day, swap the month and the day' : ''}`;
  }
  if (day === 'missing') return 'the birth day is missing';
  if (typeof day !== 'number' || day < 1 || day > 31) return `the birth day is a day of the month, 1 to 31`;
  return `${MONTH_NAMES[month - 1]} has no day ${day}`;
}

/** A status the registry does not know; the one it was most likely meant to be, when one is a letter or two from it. */
function unknownStatusMessage(written: string): string {
  const meant = statusMeant(written);
  const ask = meant ? ` Is it ${meant[0].toUpperCase()}${meant.slice(1)}?` : '';
  return `Status ${quoted(written)} is not one the hub knows.${ask} Use Active, Inactive, Expired, Suspended, Revoked, Surrendered, Retired, Deceased or Probation.`;
}

/**
 * Checks one roster row; every problem of the row is reported at once. `dateOrder`: how the roster writes its dates
 * of numbers (30/06/2026 day first); unsaid, month first.
 */
export function readRosterRow(rowNumber: number, values: Record<string, string>, board: RosterBoard, dateOrder: DateOrder | null = null): RosterRowResult {
  const problems: Problem[] = [];
  const row = rowNumber;
  const get = (name: string) => (values[name] ?? '').trim();
  const identifierField = board.kind === 'licensing_board' ? 'licenseNumber' : 'boardId';
  const identifierLabel = identifierField === 'boardId' ? 'Board ID' : 'License number';
  const identifier = get(identifierField);
  const number = normalizeLicenseNumber(identifier);
  const identifierLength = charactersPast(identifier, LICENSE_NUMBER_MAX_LENGTH);
  if (identifierLength !== null) {
    problems.push({ row, code: 'too_big', field: identifierField, message: `${lengthPastMessage(identifierLabel, LICENSE_NUMBER_MAX_LENGTH, identifierLength)}.` });
  } else if (!number) {
    problems.push({ row, code: `${identifierField === 'boardId' ? 'board_id' : 'license_number'}_required`, field: identifierField, message: `${identifierLabel} is missing.` });
  }
  const licenseType = licenseTypeFor(get('licenseType'), board, row, problems);

  const statusText = get('status');
  const status = normalizeLicenseStatus(statusText) ?? (/^certified$/i.test(statusText) ? 'active' : null);
  if (!status) {
    problems.push({
      row, code: 'status_invalid', field: 'status',
      message: statusText ? unknownStatusMessage(statusText) : 'Status is missing.',
    });
  }

  const names = rosterNames(get, row, problems);
  const firstName = normalizeName(names?.firstName ?? '');
  const lastName = normalizeName(names?.lastName ?? '');
  if (names && !firstName.key) problems.push({ row, code: 'first_name_required', field: 'firstName', message: nameMissingMessage('First name', names.firstName) });
  if (names && !lastName.key) problems.push({ row, code: 'last_name_required', field: 'lastName', message: nameMissingMessage('Last name', names.lastName) });
  for (const field of ['firstName', 'middleName', 'lastName'] as const) {
    const lost = names?.[field] ? lostLetterMessage(rosterColumnLabel(field), names[field]) : null;
    if (lost) problems.push({ row, code: 'name_letter_lost', field, message: `${lost}.` });
  }
  for (const [field, written] of [['firstName', names?.firstName], ['middleName', names?.middleName], ['lastName', names?.lastName], ['previousLastName', get('previousLastName')]] as const) {
    const length = charactersPast(written ?? '', NAME_MAX_LENGTH);
    if (length !== null) {
      problems.push({ row, code: 'too_big', field, message: `${lengthPastMessage(rosterColumnLabel(field), NAME_MAX_LENGTH, length)}.` });
    }
  }

  const { month: birthMonth, day: birthDay } = rosterBirth(get, row, problems, dateOrder);

  const npiText = get('npi');
  const npi = npiText ? normalizeNpi(npiText) : null;
  if (npi && npiProblem(npi)) {
    problems.push({ row, code: npiProblem(npi) as string, field: 'npi', message: `NPI ${npiText} is not a valid NPI (10 digits with a correct check digit).` });
  }

  const dates: Record<'issuedOn' | 'expiresOn', string | null> = { issuedOn: null, expiresOn: null };
  for (const field of ['issuedOn', 'expiresOn'] as const) {
    const written = get(field);
    if (!written) continue;
    const date = calendarDate(written, dateOrder);
    if (isIsoDate(date)) dates[field] = date;
    else problems.push({ row, code: 'date_invalid', field, message: `${rosterColumnLabel(field)}: ${completionDateMessage(written, dateOrder ?? 'month_first')}.` });
  }

  if (problems.length > 0 || !number || !status || !names) return { ok: false, identifier, identifierKey: identifierLength === null && number ? number.key : null, problems };
  const previous = normalizeName(get('previousLastName'));
  return {
    ok: true,
    record: {
      rowNumber,
      jurisdiction: board.kind === 'licensing_board' ? board.jurisdiction : null,
      licenseType,
      boardCode: board.kind === 'certifying_board' ? board.boardCode : null,
      identifier,
      identifierKey: number.key,
      identifierDigits: number.digits,
      status,
      issuedOn: dates.issuedOn,
      expiresOn: dates.expiresOn,
      firstName: names.firstName,
      middleName: names.middleName || null,
      lastName: names.lastName,
      firstKey: firstName.key,
      lastKey: lastName.key,
      lastKeys: [...new Set([...lastNameSearchKeys(lastName), ...lastNameSearchKeys(previous)])],
      birthMonth,
      birthDay,
      npi,
      previousLastName: previous.key ? get('previousLastName') : null,
    },
  };
}
