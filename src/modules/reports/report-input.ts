import { regexes } from 'zod/v4/core';
import { isValidMonthDay } from '../matching/birth-dates.ts';
import { isNoReportedName } from '../matching/names.ts';
import { z } from 'zod';
import { creditIdForm, creditLineSchema, learnerReportInputSchema } from './reports.schemas.ts';
import type { LearnerReportInput } from './reports.schemas.ts';

/** A credit line as a file gives it: a credit type code and an amount. */
export type Credit = { type: string; amount: number };

/** A report input as a file (CSV, XLSX or MedBiquitous XML) gives it, before the report schema has checked it. */
export type ReportCandidate = {
  activityId: string;
  completionDate: string;
  learner: {
    firstName: string;
    lastName: string;
    birthMonth: number | undefined;
    birthDay: number | undefined;
    state: string | null;
    licenseNumber: string | null;
    npi: string | null;
    board: string | null;
    boardId: string | null;
  };
  credits: Credit[];
  consent: 'written' | 'implied' | null;
  creditId: string | null;
};

const tenDigits = /^\d{10}$/;
const stateLetters = /^[A-Z]{2}$/;

/** The report schema for rows of a file without credits, which take their activity's once it is known. */
const creditsFromActivitySchema = learnerReportInputSchema.extend({ credits: z.array(creditLineSchema).max(0) });

/**
 * A candidate read as a report input, as `learnerReportInputSchema.safeParse` reads it: the plainly valid
 * ones without zod (most rows of a large file), the others by the schema, which words their problems.
 * `creditsFromActivity`: the candidate has no credits, and is to take its activity's.
 */
export function parseReportInput(
  candidate: ReportCandidate,
  options: { creditsFromActivity?: boolean } = {},
): ReturnType<typeof learnerReportInputSchema.safeParse> {
  const accepted = acceptedReportInput(candidate, options);
  if (accepted) return { success: true, data: accepted };
  return (options.creditsFromActivity ? creditsFromActivitySchema : learnerReportInputSchema).safeParse(candidate);
}

/**
 * What `learnerReportInputSchema` makes of a candidate when it accepts it, worked out without zod; null
 * when the candidate is not plainly valid, and the schema must say what is wrong. Most rows of a large
 * file are valid, and parsing them with zod took longer than the rest of reading them: this check is
 * the schema's rules as written there (trimmed and upper-cased codes, lengths, the identity rules), and
 * a test holds it to the schema's own result.
 */
export function acceptedReportInput(candidate: ReportCandidate, options: { creditsFromActivity?: boolean } = {}): LearnerReportInput | null {
  const { completionDate, learner, credits, consent, creditId } = candidate;
  const activityId = trimmedText(candidate.activityId, 1, 200);
  if (activityId === null) return null;
  if (typeof completionDate !== 'string' || !regexes.date.test(completionDate)) return null;
  const firstName = trimmedText(learner.firstName, 1, 100);
  const lastName = trimmedText(learner.lastName, 1, 100);
  if (firstName === null || lastName === null || isNoReportedName(firstName) || isNoReportedName(lastName)) return null;
  const { birthMonth: month, birthDay: day } = learner;
  if (month === undefined || day === undefined || !isValidMonthDay(month, day)) return null;
  const state = optionalCode(learner.state, 2);
  const licenseNumber = optionalCode(learner.licenseNumber, 30);
  const npi = optionalCode(learner.npi, 10);
  const board = optionalCode(learner.board, 10);
  const boardId = optionalCode(learner.boardId, 30);
  if (state === undefined || licenseNumber === undefined || npi === undefined || board === undefined || boardId === undefined) return null;
  if ((state !== null && !stateLetters.test(state)) || (npi !== null && !tenDigits.test(npi))) return null;
  const identifiedOtherwise = npi !== null || (board !== null && boardId !== null);
  if ((licenseNumber && !state) || (state && !licenseNumber && !identifiedOtherwise) || !board !== !boardId || (!npi && !state && !board)) return null;
  // A row that takes its activity's credits comes with none.
  const [fewestCredits, mostCredits] = options.creditsFromActivity ? [0, 0] : [1, 40];
  if (!Array.isArray(credits) || credits.length < fewestCredits || credits.length > mostCredits) return null;
  const lines: Credit[] = [];
  for (const credit of credits) {
    const type = trimmedText(credit.type, 1, 40);
    if (type === null || typeof credit.amount !== 'number' || !Number.isFinite(credit.amount)) return null;
    lines.push({ type: type.toUpperCase(), amount: credit.amount });
  }
  if (consent !== null && consent !== 'written' && consent !== 'implied') return null;
  let checkedCreditId: string | null = null;
  if (creditId !== null) {
    checkedCreditId = trimmedText(creditId, 0, 300);
    if (checkedCreditId === null || !creditIdForm.test(checkedCreditId)) return null;
  }
  return {
    activityId,
    completionDate,
    learner: { firstName, lastName, birthMonth: month, birthDay: day, state, licenseNumber, npi, board, boardId },
    credits: lines,
    consent,
    creditId: checkedCreditId,
  };
}

/** What could be read of a candidate the schema refused: each value that is valid on its own, else null. */
export type ReadablePart = {
  activityId: string | null;
  completionDate: string | null;
  learner: { [Field in keyof ReportCandidate['learner']]: Exclude<ReportCandidate['learner'][Field], undefined> | null };
  credits: Credit[];
  /** What is wrong with the credits was said already (a credit that could not be read, or none given). */
  creditsSaid?: boolean;
  consent: 'written' | 'implied' | null;
  creditId: string | null;
};

/**
 * The values of a refused candidate that are valid each on its own, so that the rejected report keeps them:
 * its page shows what was sent, and correcting it starts from there rather than from an empty form.
 */
export function readablePart(candidate: ReportCandidate): ReadablePart {
  const { learner } = candidate;
  const month = learner.birthMonth;
  const day = learner.birthDay;
  const birthValid = month !== undefined && day !== undefined && isValidMonthDay(month, day);
  const code = (value: string | null, max: number, form?: RegExp) => {
    const text = optionalCode(value, max);
    return text && (!form || form.test(text)) ? text : null;
  };
  const creditId = candidate.creditId === null ? null : trimmedText(candidate.creditId, 1, 300);
  return {
    activityId: trimmedText(candidate.activityId, 1, 200),
    completionDate: typeof candidate.completionDate === 'string' && regexes.date.test(candidate.completionDate) ? candidate.completionDate : null,
    learner: {
      firstName: trimmedText(learner.firstName, 1, 100),
      lastName: trimmedText(learner.lastName, 1, 100),
      birthMonth: birthValid ? month : null,
      birthDay: birthValid ? day : null,
      state: code(learner.state, 2, stateLetters),
      licenseNumber: code(learner.licenseNumber, 30),
      npi: code(learner.npi, 10, tenDigits),
      board: code(learner.board, 10),
      boardId: code(learner.boardId, 30),
    },
    credits: candidate.credits
      .map((credit) => ({ type: trimmedText(credit.type, 1, 40)?.toUpperCase(), amount: credit.amount }))
      .filter((credit): credit is Credit => credit.type !== undefined && Number.isFinite(credit.amount) && credit.amount > 0)
      .slice(0, 40),
    consent: candidate.consent === 'written' || candidate.consent === 'implied' ? candidate.consent : null,
    creditId: creditId !== null && creditIdForm.test(creditId) ? creditId : null,
  };
}

/**
 * A report sent as JSON and refused as a whole, in the shape of a candidate: each value only when of the type
 * the schema asks, so that `readablePart` keeps what could be read of it. Null when it is not an object.
 */
export function candidateOfJson(item: unknown): ReportCandidate | null {
  const fields = objectOrNull(item);
  if (!fields) return null;
  const learner = objectOrNull(fields.learner) ?? {};
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const whole = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);
  return {
    activityId: text(fields.activityId) ?? '',
    completionDate: text(fields.completionDate) ?? '',
    learner: {
      firstName: text(learner.firstName) ?? '',
      lastName: text(learner.lastName) ?? '',
      birthMonth: whole(learner.birthMonth),
      birthDay: whole(learner.birthDay),
      state: text(learner.state),
      licenseNumber: text(learner.licenseNumber),
      npi: text(learner.npi),
      board: text(learner.board),
      boardId: text(learner.boardId),
    },
    credits: (Array.isArray(fields.credits) ? fields.credits : []).flatMap((credit) => {
      const line = objectOrNull(credit);
      return line && typeof line.type === 'string' && typeof line.amount === 'number' ? [{ type: line.type, amount: line.amount }] : [];
    }),
    consent: fields.consent === 'written' || fields.consent === 'implied' ? fields.consent : null,
    creditId: text(fields.creditId),
  };
}

function objectOrNull(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The schema's trimmed text of `min` to `max` characters; null when it is not one. */
function trimmedText(value: unknown, min: number, max: number): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text.length >= min && text.length <= max ? text : null;
}

/** The schema's optional codes: trimmed, at most `max` characters, upper case; null when empty; undefined when not valid. */
function optionalCode(value: unknown, max: number): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text.length > max) return undefined;
  return text.toUpperCase() || null;
}
