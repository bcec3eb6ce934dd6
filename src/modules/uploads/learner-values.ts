// A learner row's values read the way people write them: credits in hours, a whole name, a date of birth
// without its year, a state by its name, consent as Yes or No. Pure: no I/O.

import type { Problem } from '../../http/errors.ts';
import { AMA_PRA_CAT1, isCreditType, isMocBoard, isMocCreditType, parseMocCreditType } from '../activities/credit-types.ts';
import { isoBirthDate, monthDayOfBirth, monthNumber, usBirthDate, wholeNumber } from '../../files/written-dates.ts';
import type { DateOrder } from '../../files/written-dates.ts';
import type { LearnerIdentity } from '../matching/match-rules.ts';
import { splitFullName } from '../matching/names.ts';
import type { NameParts } from '../matching/names.ts';
import { stateCode } from '../reference/jurisdictions.ts';
import type { Credit } from '../reports/report-input.ts';
import { quarterStepsNear } from '../reports/report-rules.ts';
import { quoted } from '../../words.ts';
import type { LearnerRecord, UploadConsent } from './learner-columns.ts';

/**
 * An identifier a learner does not have, as people write it in its cell rather than leave it empty (N/A, NA, None, a
 * dash), and as a script writes a missing value it turned into text (None and nan from Python, null from JavaScript).
 * Read as a value, it was "not an NPI", and rejected a row whose license identifies its learner.
 */
const saysNone = /^(?:n\/?a|none|-+|null|nan)$/i;
const npiSeparators = /[\s-]/g;
/** The label a cell may carry before the number, as a form's answer or a note copied in writes it: "NPI: 1234567893", "NPI #1234567893". */
const npiLabel = /^npi\s*(?:number|no\.?|#)?\s*[:#]?\s*/i;
// A number column exported by a database or a script as a decimal ("1234567893.0") is the same whole number.
const decimalZeros = /\.0+$/;

/**
 * A license number, board ID or activity ID as written, but for one a database or a script exported from a number
 * column as a decimal (pandas writes a column of numbers with a gap in it so, `40017.0`): the whole number it is; and
 * none where it says there is none (`saysNone`).
 */
export const identifierOf = (written: string | undefined) =>
  !written || saysNone.test(written) ? '' : written.endsWith('0') && exportedWholeNumber.test(written) ? written.replace(decimalZeros, '') : written;
const exportedWholeNumber = /^\d+\.0+$/;

/**
 * An NPI as written, without the spaces and hyphens people put in it; none where it says there is none (`saysNone`);
 * exported as a decimal, the whole number.
 */
export const npiOf = (written: string | undefined) => identifierOf(written?.replace(npiLabel, '').replace(npiSeparators, '')) || null;

/** The row's credit lines (AMA PRA Category 1, MOC, another type); what of them cannot be read is said through `problem`. */
export function creditLines(record: LearnerRecord, problem: (field: string, code: string, message: string) => void): Credit[] {
  const lines: Credit[] = [];
  const amountOf = (field: string): number | null => {
    const written = record[field];
    if (!written) return null;
    const amount = creditAmount(written);
    if (amount === null) problem(field, 'credit_amount_invalid', notCreditsMessage(written));
    return amount;
  };

  const cme = amountOf('cmeCredits');
  if (cme !== null) lines.push({ type: AMA_PRA_CAT1, amount: cme });

  const moc = amountOf('mocCredits');
  if (record.mocCredits && !record.mocCreditType) {
    problem('mocCreditType', 'required', 'give the MOC credit type (such as MOC_ABIM_MK) for the MOC credits');
  } else if (record.mocCreditType) {
    const type = mocType(record.mocCreditType, record.board);
    if (!type) {
      const withBoard = record.board ? ` of ${record.board.trim().toUpperCase()}` : ': write the full code, or the kind (such as MK) with the certifying board in the "Certifying board" column';
      problem('mocCreditType', 'invalid', `${quoted(record.mocCreditType)} is not a MOC credit type (such as MOC_ABIM_MK)${withBoard}`);
    }
    else if (!record.mocCredits) problem('mocCredits', 'required', 'give the number of MOC credits');
    else if (moc !== null) lines.push({ type, amount: moc });
  }

  const other = amountOf('otherCredits');
  if (record.otherCredits && !record.otherCreditType) {
    problem('otherCreditType', 'required', 'give the credit type of the other credits');
  } else if (record.otherCreditType) {
    const type = record.otherCreditType.trim().toUpperCase().replace(/[\s-]+/g, '_');
    if (!isCreditType(type)) problem('otherCreditType', 'invalid', `${quoted(record.otherCreditType)} is not a credit type the hub knows`);
    else if (!record.otherCredits) problem('otherCredits', 'required', 'give the number of credits of the other type');
    else if (other !== null) lines.push({ type, amount: other });
  }
  return lines;
}

function mocType(written: string, board: string): string | null {
  const upper = written.trim().toUpperCase().replace(/[\s-]+/g, '_');
  if (isMocCreditType(upper)) return upper;
  const boardCode = board.trim().toUpperCase();
  return isMocBoard(boardCode) ? parseMocCreditType(boardCode, upper) : null;
}

/** Why a credits value was not read; for a time in minutes ("90 min", "1 hr 30 min"), the hours to write instead. */
function notCreditsMessage(written: string): string {
  if (belowZero.test(written)) return `${quoted(written)} is below zero: write the credits the learner earned, such as 1.5`;
  const clock = timeWritten(written.trim().replace(creditUnit, ''));
  if (clock) return `${quoted(clock.shown)} is a time: credits are hours, in steps of 0.25 (15 minutes): ${quarterStepsNear(clock.hours)}`;
  const time = inMinutes.exec(written.trim());
  if (!time) return `${quoted(written)} is not a number of credits (such as 1.5)`;
  const hours = (Number(time[1] ?? 0) * 60 + Number(time[2])) / 60;
  const inSteps = Number.isInteger(hours * 4);
  return `${quoted(written)} is a time in minutes: credits are hours, ${inSteps ? `so write ${hours}` : `in steps of 0.25 (15 minutes): ${quarterStepsNear(hours)}`}`;
}

const belowZero = /^\s*[-\u2212]\s*\d/;
const inMinutes = /^(?:(\d+)\s*(?:hours?|hrs?|h)\.?,?\s*(?:and\s+)?)?(\d+)\s*(?:minutes?|mins?|m)\.?$/i;

/**
 * "1.5", "1,5" (a decimal comma, from a semicolon-separated file), " 2 ", "8 hrs", "1.5 credits", the halves
 * and quarters of a hand-filled sheet ("1 1/2", "3/4", "1½") and a time on a quarter hour ("1:30") -> numbers;
 * anything else -> null. Hours are credits: a credit is designated per hour of the activity.
 */
export function creditAmount(written: string): number | null {
  const text = written.trim().replace(creditUnit, '');
  if (decimalAmount.test(text)) return asSpreadsheetShowsIt(text);
  const comma = decimalCommaAmount.exec(text);
  if (comma) return asSpreadsheetShowsIt(`${comma[1]}.${comma[2]}`);
  const clock = timeWritten(text);
  if (clock) return Number.isInteger(clock.hours * 4) ? clock.hours : null;
  return fractionOfHours(text);
}

/**
 * Hours written as a time, 1:30 for an hour and a half: typed into a cell formatted as a time, which a workbook keeps
 * as a time of its day 0 (1899-12-30T01:30:00), or written so into a CSV file.
 */
function timeWritten(text: string): { hours: number; shown: string } | null {
  const time = clockTime.exec(text);
  if (!time) return null;
  const [, hours, minutes, seconds = '00'] = time;
  const shown = `${Number(hours)}:${minutes}${seconds === '00' ? '' : `:${seconds}`}`;
  return { hours: Number(hours) + Number(minutes) / 60 + Number(seconds) / 3600, shown };
}

const clockTime = /^(?:1899-12-30T)?(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$/;

/**
 * Halves and quarters: the steps credits come in. "11/2" is read as no number at all (eleven halves, or one and a
 * half with its space lost), as is a third, which is no step of a credit.
 */
function fractionOfHours(text: string): number | null {
  const written = writtenFraction.exec(text);
  if (written) {
    const [, whole, numerator, denominator] = written;
    if ((denominator !== '2' && denominator !== '4') || Number(numerator) >= Number(denominator)) return null;
    return Number(whole ?? 0) + Number(numerator) / Number(denominator);
  }
  const sign = fractionSign.exec(text);
  return sign ? Number(sign[1] ?? 0) + fractionSigns[sign[2] as keyof typeof fractionSigns] : null;
}

const writtenFraction = /^(?:(\d+)(?:\s+|-))?(\d+)\s*\/\s*(\d+)$/;
const fractionSign = /^(\d+)?\s*([¼½¾])$/;
const fractionSigns = { '¼': 0.25, '½': 0.5, '¾': 0.75 };

/**
 * A number to the 15 significant digits a spreadsheet shows: a formula's result that Excel shows as 1.75 may be
 * saved as 1.7499999999999998, which is no step of 0.25.
 */
function asSpreadsheetShowsIt(number: string): number {
  return number.length > 15 ? Number(Number(number).toPrecision(15)) : Number(number);
}

const decimalAmount = /^\d+(\.\d+)?$|^\.\d+$/;
const creditUnit = /(?<=[\d¼½¾])\s*(?:hours?|hrs?|h|credits?|cr|cme)\.?$/i;
const decimalCommaAmount = /^(\d+),(\d+)$/;

/**
 * The learner of a row as uploads read it (a whole name split, a date of birth without its year, a state by its
 * name), for a check of identities that takes the same files: a value that could not be read is passed as written,
 * for the matching to say what is wrong with it; a date of birth that could not be read, which the matching would
 * see only as a missing month and day, is said as an upload says it (`dateOfBirthProblem`).
 */
export function learnerIdentityOfRow(record: LearnerRecord, dateOrder?: DateOrder | null): { identity: LearnerIdentity; dateOfBirthProblem: Problem | null } {
  const names = learnerNames(record);
  const birth = birthMonthDay(record, dateOrder);
  const dateOfBirthProblem = birth.fromDateOfBirth && birth.problem ? { code: 'birth_date_invalid', field: 'dateOfBirth', message: `Date of birth: ${birth.problem.message}` } : null;
  const identity: LearnerIdentity = {
    firstName: names.firstName,
    middleName: names.middleName || null,
    // A name of one word is taken as the last name, as the rows to fix show it: the first is then said to be missing.
    lastName: names.problem ? record.fullName : names.lastName,
    birthMonth: birth.month ?? (birth.fromDateOfBirth ? '' : (record.birthMonth ?? '')),
    birthDay: birth.day ?? (birth.fromDateOfBirth ? '' : (record.birthDay ?? '')),
    state: stateCode(record.state ?? ''),
    licenseNumber: identifierOf(record.licenseNumber) || null,
    npi: npiOf(record.npi),
    board: record.board || null,
    boardId: identifierOf(record.boardId) || null,
  };
  return { identity, dateOfBirthProblem };
}

export type LearnerNames = NameParts & { fromFullName?: true; problem?: { field: string; message: string } };

/**
 * First, middle and last name from their columns, or split from a whole name when the row has neither first nor
 * last. `onlyFullName`: the file's only name column is the whole name, whose empty cell is its own.
 */
export function learnerNames(record: LearnerRecord, onlyFullName = false): LearnerNames {
  const fromColumns = { firstName: record.firstName ?? '', middleName: record.middleName ?? '', lastName: record.lastName ?? '' };
  if (onlyFullName && !record.fullName?.trim()) return { ...fromColumns, fromFullName: true };
  if (!record.fullName || (record.firstName && record.lastName)) return fromColumns;
  const split = splitFullName(record.fullName);
  // "Name" beside "Surname" is the given name, as many forms have it; beside a first name, the last. Or it is the
  // whole name, and the other column repeats its part.
  if (record.lastName) return { ...fromColumns, firstName: split && sameName(split.lastName, record.lastName) ? split.firstName : record.fullName, fromFullName: true };
  if (record.firstName) return { ...fromColumns, lastName: split && sameName(split.firstName, record.firstName) ? split.lastName : record.fullName, fromFullName: true };
  if (!split) {
    const message = `${quoted(record.fullName.trim())} is not a first and a last name: write both, such as Maria Lopez or Lopez, Maria`;
    return { ...fromColumns, fromFullName: true, problem: { field: 'fullName', message } };
  }
  return { ...split, middleName: record.middleName || split.middleName, fromFullName: true };
}

const sameName = (one: string, other: string) => one.trim().toLowerCase() === other.trim().toLowerCase();

export type BirthMonthDay = { month: number | undefined; day: number | undefined; fromDateOfBirth?: true; problem?: { field: string; message: string } };

/** Birth month and day from their columns, or from a date of birth whose year is dropped here. */
export function birthMonthDay(record: LearnerRecord, dateOrder?: DateOrder | null, onlyDateOfBirth = false): BirthMonthDay {
  // In a file whose only birth column is a date of birth, an empty cell is that column's, not a month's and a day's.
  if (onlyDateOfBirth && !record.dateOfBirth?.trim()) return { month: undefined, day: undefined, fromDateOfBirth: true };
  if (record.birthMonth || record.birthDay || !record.dateOfBirth) {
    const birthMonth = numberTyped(record.birthMonth);
    const birthDay = numberTyped(record.birthDay);
    const month = monthNumber(birthMonth ?? '');
    const day = wholeNumber(birthDay ?? '');
    // "3/14" typed into the month's cell, which a spreadsheet turns into a date of this year.
    const typed = birthMonth?.trim() ?? '';
    const isoTyped = month === undefined ? isoBirthDate.exec(typed) : null;
    const typedDate = month === undefined ? (isoTyped ?? usBirthDate.exec(typed)) : null;
    if (typedDate) {
      // Typed where dates are written day first ("14/3"), the spreadsheet keeps it so.
      const dayFirst = !isoTyped && dateOrder === 'day_first';
      const [typedMonth, typedDay] = dayFirst ? [Number(typedDate[2]), Number(typedDate[1])] : [Number(typedDate[1]), Number(typedDate[2])];
      if (day === undefined && !birthDay?.trim()) return { month: typedMonth, day: typedDay };
      if (day === typedDay) return { month: typedMonth, day };
      return {
        month: undefined,
        day,
        problem: { field: 'birthMonth', message: `${quoted(birthMonth)} is a date, and its day is not the Birth day ${birthDay}: write the month alone here (${typedMonth})` },
      };
    }
    if (birthMonth && month === undefined) {
      return { month, day, problem: { field: 'birthMonth', message: `${quoted(birthMonth)} is not a month (1 to 12)` } };
    }
    if (birthDay && day === undefined) {
      return { month, day, problem: { field: 'birthDay', message: `${quoted(birthDay)} is not a day (1 to 31)` } };
    }
    return { month, day };
  }
  const read = monthDayOfBirth(record.dateOfBirth, dateOrder);
  return 'problem' in read
    ? { month: undefined, day: undefined, fromDateOfBirth: true, problem: { field: 'dateOfBirth', message: read.problem } }
    : { ...read, fromDateOfBirth: true };
}

/**
 * A number typed into a cell formatted as a date, which the workbook keeps as that day of January 1900 (3 as
 * 1900-01-03, shown 1/3/1900): the number typed, as a birth month or day is meant.
 */
function numberTyped(written: string): string {
  const day = written && dayOfJanuary1900.exec(written.trim());
  return day ? String(Number(day[1])) : written;
}

const dayOfJanuary1900 = /^1900-01-(\d{2})$/;

export const unreadableConsent = Symbol('unreadable consent');
export const unstatedKindOfConsent = Symbol('consent of no stated kind');
export const declinedConsent = Symbol('declined consent');

/** No: the learner did not agree to be reported, which the row's problem says rather than calling consent missing. */
export function consentOf(written: string, uploadConsent: UploadConsent): 'written' | 'implied' | null | typeof unreadableConsent | typeof unstatedKindOfConsent | typeof declinedConsent {
  const text = written.trim().toLowerCase();
  if (text === 'written' || text === 'w') return 'written';
  if (text === 'implied' || text === 'i') return 'implied';
  if (text === '') return uploadConsent;
  // A database's boolean: false as psql writes it (f), and as a bit or a tinyint (0).
  if (text === 'no' || text === 'n' || text === 'false' || text === 'f' || text === '0') return declinedConsent;
  // "Yes" says the learner agreed, not how: the kind is the one given for the whole upload, if one was.
  if (consentGiven.has(text)) return uploadConsent ?? unstatedKindOfConsent;
  // A form's answer, in a sentence. Read as agreement only with no word of refusal in it: a refusal read as
  // consent would report a learner who said no, while one read as unreadable only asks the sender to say.
  if (sentenceOfRefusal.test(text)) return declinedConsent;
  if (wordOfRefusal.test(text)) return unreadableConsent;
  const kind = sentenceOfKind.exec(text);
  if (kind) return kind[1] as 'written' | 'implied';
  if (sentenceOfAgreement.test(text)) return uploadConsent ?? unstatedKindOfConsent;
  return unreadableConsent;
}

/** A box ticked on a sheet, typed up as the mark it shows. */
const checkMarks = ['✓', '✔', '☑'];
/** Yes as people write it, and as a database writes true: psql's t, a bit's or a tinyint's 1. */
const consentGiven = new Set(['yes', 'y', 'x', ...checkMarks, 'true', 't', '1', 'consented', 'agreed', 'agree', 'consent']);
/** "No, I do not consent", "I do not agree to…", "I decline". */
const sentenceOfRefusal = /^(?:no\b|i (?:do not|don't|don’t|decline|refuse)\b)/;
const wordOfRefusal = /\b(?:no|not|never|decline[ds]?|refuse[ds]?|withdr[ae]wn?)\b|n['’]t\b/;
/** "Yes, I consent", "Yes - I agree to my attendance being reported", "I consent", "I agree". */
const sentenceOfAgreement = /^(?:yes\b|i (?:consent|agree)\b)/;
/** "Written consent", "Implied consent on file". */
const sentenceOfKind = /^(written|implied)\b/;

/**
 * What a row's Consent cell says when the upload gives no consent: how its learner consented (Written,
 * Implied), only that they agreed ("Yes") or nothing, which only the upload's consent completes, or neither
 * (No, or what cannot be read).
 */
export function consentStated(written: string): 'how' | 'not-how' | 'neither' {
  const consent = consentOf(written, null);
  if (consent === 'written' || consent === 'implied') return 'how';
  return consent === null || consent === unstatedKindOfConsent ? 'not-how' : 'neither';
}

/**
 * What a row's attendance cell says (an "Attended" column, a check-in status, a form's attestation): that its learner
 * attended (Yes, Attended, Present, Checked In, "I attest that I attended"); that they did not (No, Absent, No Show,
 * Not Attending, Cancelled, Declined, Refunded...); that they registered only (Attending, Registered, Confirmed:
 * Eventbrite's status of a ticket not checked in); nothing (an empty cell); or none of these. Only `attended`
 * credits the row: a refusal read as attendance would credit someone who was not there.
 */
export type Attendance = 'attended' | 'absent' | 'registered' | 'empty' | 'unreadable';

export function attendanceOf(written: string): Attendance {
  const text = written.trim().toLowerCase().replace(/[-_\s]+/g, ' ').replace(/[.!?]+$/, '');
  if (text === '') return 'empty';
  if (attendedWords.has(text)) return 'attended';
  if (absentWords.has(text) || sentenceOfAbsence.test(text)) return 'absent';
  if (registeredWords.has(text)) return 'registered';
  if (wordOfAbsence.test(text)) return 'absent';
  if (sentenceOfAttendance.test(text)) return 'attended';
  return 'unreadable';
}

/** Yes as people, forms and databases write it (a workbook's TRUE is read as Yes), and the statuses of someone who came. */
const attendedWords = new Set(['yes', 'y', 'x', ...checkMarks, 'p', 'true', 't', '1', 'attended', 'present', 'checked in', 'checkedin', 'participated', 'joined', 'here']);
/** No as people write it, and the statuses of a registration that ended without its registrant: never credited. */
const absentWords = new Set([
  'no', 'n', 'false', 'f', '0', 'a', 'absent', 'no show', 'noshow', 'not attended', 'did not attend', 'not attending', 'not going', 'not present',
  'not checked in', 'cancelled', 'canceled', 'declined', 'refunded', 'refunded/canceled', 'refunded/cancelled', 'deleted', 'transferred',
  'waitlisted', 'wait listed', 'waitlist', 'abandoned', 'denied', 'rejected', 'removed', 'withdrawn', 'excused',
]);
/** A registration's status, which says nothing of attendance: Eventbrite's Attending is a ticket held, not used. */
const registeredWords = new Set(['attending', 'registered', 'going', 'confirmed', 'accepted', 'approved', 'pending', 'invited', 'maybe', 'booked', 'complete', 'completed', 'rsvp yes', 'rsvped']);
const sentenceOfAbsence = /^(?:no\b|not\b|did not\b|didn['’]t\b|i (?:did not|didn['’]t|was not|wasn['’]t)\b|cancel|refund|declin)/;
const wordOfAbsence = /\b(?:no|not|never|absent|cancell?ed|declined|refunded)\b|n['’]t\b/;
/** "Yes, I attended", "I attest that I attended this activity", "Attended (virtual)", "Checked in 12:05 PM". */
const sentenceOfAttendance = /^(?:yes\b|attended\b|present\b|checked in\b|i (?:attest|attended|certify|confirm|was present)\b)/;
