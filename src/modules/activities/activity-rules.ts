// The field rules of an activity: everything that must hold whatever its status. All problems are
// collected, never just the first, so a coordinator fixes a form or a file row in one go.

import type { Problem } from '../../http/errors.ts';
import { inCodeOrder } from './activity.ts';
import type {
  ActivityFields,
  ActivityInput,
  Catalog,
  CommercialSupport,
  DesignatedCredit,
  Learners,
  Location,
  MeasuredOutcome,
  MocRegistration,
  Rems,
} from './activity.ts';
import {
  AMA_PRA_CAT1,
  CREDIT_TYPES,
  MAX_CREDIT_AMOUNT,
  MOC_BOARD_CODES,
  MOC_CREDIT_KINDS,
  isMocBoard,
  isMocCreditType,
  isQuarterStep,
  parseMocCreditType,
} from './credit-types.ts';
import { isIsoDate } from './dates.ts';
import { quoted } from '../../words.ts';
import { countryCodeOf, isCountryCode, isUsStateCode, twoLetterCountryProblem } from './locations.ts';
import {
  ACTIVITY_TYPES,
  CATALOG_FEES,
  CATALOG_REGISTRATIONS,
  DELIVERY_METHODS,
  LOCATED_ACTIVITY_TYPES,
  MEASUREMENTS,
  OUTCOMES,
  PROVIDERSHIPS,
  REMS_PROGRAMS,
  TOPICS,
  listCodes,
} from './vocabulary.ts';

export const LIMITS = {
  providerActivityId: 100,
  title: 500,
  description: 2500,
  name: 200,
  specialty: 100,
  listItems: 50,
  url: 2000,
  remsIdentifier: 50,
  learners: 10_000_000,
  supportAmount: 1_000_000_000,
} as const;

const EARLIEST_YEAR = 1990;
const LATEST_YEAR = 2099;

export type NormalizeResult = { ok: true; fields: ActivityFields } | { ok: false; problems: Problem[] };

/** Checks every field rule and returns the activity in the hub's shape, or every problem found. */
export function normalizeActivity(input: ActivityInput): NormalizeResult {
  const problems = new ProblemList();

  const providerActivityId = readText(problems, 'providerActivityId', input.providerActivityId, {
    label: 'Provider activity ID',
    required: true,
    max: LIMITS.providerActivityId,
  });
  const title = readText(problems, 'title', input.title, { label: 'Title', required: true, max: LIMITS.title });
  const description = readText(problems, 'description', input.description, {
    label: 'Description',
    max: LIMITS.description,
    multiline: true,
  });
  const type = readCode(problems, 'type', input.type, ACTIVITY_TYPES, {
    label: 'Activity type',
    required: true,
  });
  const deliveryMethod = readCode(problems, 'deliveryMethod', input.deliveryMethod, DELIVERY_METHODS, {
    label: 'Delivery method',
  });
  if (type && LOCATED_ACTIVITY_TYPES.includes(type) && !deliveryMethod && !problems.has('deliveryMethod')) {
    problems.add(
      'deliveryMethod',
      'required',
      `Delivery method is required for a ${ACTIVITY_TYPES[type]}: in person, live-streamed, online or print/other.`,
    );
  }

  const startDate = readDate(problems, 'startDate', input.startDate, { label: 'Start date', required: true });
  const endDate = readDate(problems, 'endDate', input.endDate, { label: 'End date', required: true });
  if (startDate && endDate && endDate < startDate) {
    problems.add('endDate', 'end_before_start', 'End date is before start date.');
  }

  const location = readLocation(problems, input.location, {
    required: Boolean(type && LOCATED_ACTIVITY_TYPES.includes(type) && deliveryMethod === 'in_person'),
    typeLabel: type ? ACTIVITY_TYPES[type] : '',
  });

  const providership =
    readCode(problems, 'providership', input.providership, PROVIDERSHIPS, { label: 'Providership' }) ?? 'direct';
  const jointProviders = readTextList(problems, 'jointProviders', input.jointProviders, {
    label: 'Joint provider name',
    max: LIMITS.name,
  });
  if (providership === 'direct' && jointProviders.length > 0) {
    problems.add(
      'jointProviders',
      'joint_providers_for_direct',
      'Joint providers are only named for a jointly provided activity: set providership to joint or remove them.',
    );
  }

  const credits = readCredits(problems, input.credits);
  const amaCredit = credits.find((credit) => credit.type === AMA_PRA_CAT1)?.amount ?? null;
  const topics = readCodeList(problems, 'topics', input.topics, TOPICS, { label: 'Topic' });
  const specialties = readTextList(problems, 'specialties', input.specialties, {
    label: 'Specialty',
    max: LIMITS.specialty,
  });
  const mocRegistrations = readMocRegistrations(problems, input.mocRegistrations, { amaCredit, startDate });
  const rems = readRems(problems, input.rems);
  const catalog = readCatalog(problems, input.catalog);
  const commercialSupport = readCommercialSupport(problems, input.commercialSupport);
  const learners = readLearners(problems, input.learners);
  const outcomes = readOutcomes(problems, input.outcomes);

  if (!problems.isEmpty()) return { ok: false, problems: problems.list() };
  return {
    ok: true,
    fields: inCodeOrder({
      providerActivityId: providerActivityId!,
      title: title!,
      description,
      type: type!,
      deliveryMethod,
      startDate: startDate!,
      endDate: endDate!,
      location,
      providership,
      jointProviders,
      credits,
      topics,
      specialties,
      mocRegistrations,
      rems,
      mipsImprovementActivity: input.mipsImprovementActivity ?? false,
      catalog,
      commercialSupport,
      learners,
      outcomes,
    }),
  };
}

/** Collects problems, keeping the first per field and code so one mistake is said once. */
class ProblemList {
  private readonly problems: Problem[] = [];

  add(field: string, code: string, message: string): void {
    if (this.problems.some((problem) => problem.field === field && problem.code === code)) return;
    this.problems.push({ code, field, message });
  }

  has(field: string): boolean {
    return this.problems.some((problem) => problem.field === field);
  }

  isEmpty(): boolean {
    return this.problems.length === 0;
  }

  list(): Problem[] {
    return [...this.problems];
  }
}

/** Compares codes and labels loosely: `In-Person`, `in person` and `IN_PERSON` all read `in_person`. */
function looseKey(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The code written as a code or as its label, any case and punctuation; null when not one of them. */
function findCode<T extends Record<string, string>>(vocabulary: T, written: string): Extract<keyof T, string> | null {
  const key = looseKey(written);
  for (const [code, label] of Object.entries(vocabulary)) {
    if (looseKey(code) === key || looseKey(label) === key) return code as Extract<keyof T, string>;
  }
  return null;
}

// Tabs and line breaks are allowed only where text may run over several lines.
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const lineBreaks = /[\t\r\n]/;

function readText(
  problems: ProblemList,
  field: string,
  value: string | null | undefined,
  options: { label: string; required?: boolean; max: number; multiline?: boolean },
): string | null {
  const text = value?.trim() ?? '';
  if (text === '') {
    if (options.required) problems.add(field, 'required', `${options.label} is required.`);
    return null;
  }
  if (controlCharacters.test(text) || (!options.multiline && lineBreaks.test(text))) {
    problems.add(field, 'invalid_characters', `${options.label} contains line breaks or control characters; remove them.`);
    return null;
  }
  if (text.length > options.max) {
    problems.add(
      field,
      'too_long',
      `${options.label} is ${text.length.toLocaleString('en-US')} characters; the most allowed is ${options.max.toLocaleString('en-US')}.`,
    );
    return null;
  }
  return text;
}

function readCode<T extends Record<string, string>>(
  problems: ProblemList,
  field: string,
  value: string | null | undefined,
  vocabulary: T,
  options: { label: string; required?: boolean },
): Extract<keyof T, string> | null {
  const written = value?.trim() ?? '';
  if (written === '') {
    if (options.required) {
      problems.add(field, 'required', `${options.label} is required; use one of ${listCodes(vocabulary)}.`);
    }
    return null;
  }
  const code = findCode(vocabulary, written);
  if (!code) {
    problems.add(
      field,
      'invalid_code',
      `${options.label} ${quoted(written.trim())} is not one of the allowed values: ${listCodes(vocabulary, 15)}.`,
    );
  }
  return code;
}

function readDate(
  problems: ProblemList,
  field: string,
  value: string | null | undefined,
  options: { label: string; required?: boolean },
): string | null {
  const written = value?.trim() ?? '';
  if (written === '') {
    if (options.required) problems.add(field, 'required', `${options.label} is required.`);
    return null;
  }
  if (!isIsoDate(written)) {
    problems.add(field, 'invalid_date', `${options.label} must be a date written YYYY-MM-DD, such as 2026-03-15.`);
    return null;
  }
  const year = Number(written.slice(0, 4));
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) {
    problems.add(field, 'date_out_of_range', `${options.label} ${written} looks mistyped: the year must be ${EARLIEST_YEAR}–${LATEST_YEAR}.`);
    return null;
  }
  return written;
}

function readTextList(
  problems: ProblemList,
  field: string,
  values: string[] | null | undefined,
  options: { label: string; max: number },
): string[] {
  const kept: string[] = [];
  for (const [index, value] of (values ?? []).entries()) {
    const text = readText(problems, `${field}.${index}`, value, { label: options.label, max: options.max });
    if (text && !kept.some((existing) => existing.toLowerCase() === text.toLowerCase())) kept.push(text);
  }
  if (kept.length > LIMITS.listItems) {
    problems.add(field, 'too_many', `At most ${LIMITS.listItems} entries are allowed for ${options.label.toLowerCase()}.`);
  }
  return kept;
}

function readCodeList<T extends Record<string, string>>(
  problems: ProblemList,
  field: string,
  values: string[] | null | undefined,
  vocabulary: T,
  options: { label: string },
): Extract<keyof T, string>[] {
  const kept: Extract<keyof T, string>[] = [];
  for (const [index, value] of (values ?? []).entries()) {
    const code = readCode(problems, `${field}.${index}`, value, vocabulary, options);
    if (code && !kept.includes(code)) kept.push(code);
  }
  return kept;
}

function readLocation(
  problems: ProblemList,
  value: ActivityInput['location'],
  options: { required: boolean; typeLabel: string },
): Location | null {
  const city = readText(problems, 'location.city', value?.city, { label: 'City', max: LIMITS.name });
  const writtenCountry = value?.country?.trim() || null;
  // "Canada" or "UK" is kept as its code, as a coordinator's sheet writes it.
  const country = writtenCountry ? (countryCodeOf(writtenCountry) ?? writtenCountry.toUpperCase()) : null;
  const state = value?.state?.trim().toUpperCase() || null;
  const where = `an in-person ${options.typeLabel}`;

  if (options.required && !city) {
    problems.add('location.city', 'required', `City is required for ${where}.`);
  }
  if (!country) {
    if (options.required) problems.add('location.country', 'required', `Country is required for ${where}; use a 3-letter code such as USA.`);
  } else if (!isCountryCode(country)) {
    problems.add('location.country', 'invalid_country', twoLetterCountryProblem(country) ?? 'Country must be a 3-letter code such as USA.');
  }
  if (!state) {
    if (country === 'USA' && (options.required || city)) {
      problems.add('location.state', 'required', 'State is required for a location in the USA; use a 2-letter code such as CA.');
    }
  } else if (country === 'USA' || !country) {
    if (!isUsStateCode(state)) problems.add('location.state', 'invalid_state', 'State must be a 2-letter US state code such as CA.');
  } else if (!/^[A-Z]{2}$/.test(state)) {
    problems.add('location.state', 'invalid_state', 'State or province must be a 2-letter code.');
  }
  if (!city && !country && !state) return null;
  return { city, state, country };
}

function readAmount(
  problems: ProblemList,
  field: string,
  amount: number,
  label: string,
): number | null {
  if (!Number.isFinite(amount) || amount <= 0) {
    problems.add(field, 'not_positive', `${label} must be more than 0.`);
    return null;
  }
  if (!isQuarterStep(amount)) {
    problems.add(field, 'not_quarter_step', `${label} must be in steps of 0.25 (for example 1.25 or 1.5), not ${amount}.`);
    return null;
  }
  if (amount > MAX_CREDIT_AMOUNT) {
    problems.add(field, 'too_large', `${label} of ${amount} is more than the ${MAX_CREDIT_AMOUNT} allowed.`);
    return null;
  }
  return amount;
}

function readCredits(problems: ProblemList, values: ActivityInput['credits']): DesignatedCredit[] {
  const credits: DesignatedCredit[] = [];
  for (const [index, credit] of (values ?? []).entries()) {
    const field = `credits.${index}`;
    const type = credit.type.trim().toUpperCase();
    if (isMocCreditType(type)) {
      problems.add(`${field}.type`, 'moc_in_credits', `${type} is MOC credit: register it under MOC registrations for its board.`);
      continue;
    }
    if (!Object.hasOwn(CREDIT_TYPES, type)) {
      problems.add(`${field}.type`, 'invalid_credit_type', `Credit type ${quoted(credit.type.trim())} is not known; use AMA_PRA_CAT1 or another listed credit type.`);
      continue;
    }
    if (credits.some((existing) => existing.type === type)) {
      problems.add(`${field}.type`, 'duplicate', `${CREDIT_TYPES[type]} is listed twice; give it once.`);
      continue;
    }
    const amount = readAmount(problems, `${field}.amount`, credit.amount, CREDIT_TYPES[type]);
    if (amount !== null) credits.push({ type, amount });
  }
  const hasAma = (values ?? []).some((credit) => credit.type.trim().toUpperCase() === AMA_PRA_CAT1);
  if (!hasAma) {
    problems.add('credits', 'ama_credit_required', 'AMA PRA Category 1 credit is required: give the number of credits designated (for example 1.5).');
  }
  return credits;
}

function readMocRegistrations(
  problems: ProblemList,
  values: ActivityInput['mocRegistrations'],
  context: { amaCredit: number | null; startDate: string | null },
): MocRegistration[] {
  const registrations: MocRegistration[] = [];
  for (const [index, registration] of (values ?? []).entries()) {
    const field = `mocRegistrations.${index}`;
    const board = registration.board.trim().toUpperCase();
    if (!isMocBoard(board)) {
      problems.add(`${field}.board`, 'invalid_board', `Board ${quoted(registration.board.trim())} does not take MOC registrations here; use one of ${MOC_BOARD_CODES.join(', ')}.`);
      continue;
    }
    if (registrations.some((existing) => existing.board === board)) {
      problems.add(`${field}.board`, 'duplicate', `${board} is registered twice; give one registration per board.`);
      continue;
    }
    const points = readAmount(problems, `${field}.points`, registration.points, `${board} MOC points`);
    if (points !== null && context.amaCredit !== null && points > context.amaCredit) {
      problems.add(`${field}.points`, 'moc_points_above_credit', `${board} MOC points (${points}) cannot be more than the AMA PRA Category 1 credits (${context.amaCredit}).`);
    }
    const creditTypes: string[] = [];
    for (const written of registration.creditTypes) {
      const code = parseMocCreditType(board, written);
      if (!code) {
        problems.add(`${field}.creditTypes`, 'invalid_credit_type', `${board} does not offer MOC credit type ${quoted(written.trim())}; use ${Object.keys(MOC_CREDIT_KINDS[board]).join(', ')}.`);
      } else if (!creditTypes.includes(code)) {
        creditTypes.push(code);
      }
    }
    if (registration.creditTypes.length === 0) {
      problems.add(`${field}.creditTypes`, 'required', `Choose at least one ${board} MOC credit type: ${Object.keys(MOC_CREDIT_KINDS[board]).join(', ')}.`);
    }
    const claimDate = readDate(problems, `${field}.claimDate`, registration.claimDate, { label: `${board} MOC claim date` });
    if (claimDate && context.startDate && claimDate < context.startDate) {
      problems.add(`${field}.claimDate`, 'claim_before_start', `${board} MOC claim date is before the activity's start date.`);
    }
    registrations.push({ board, points: points ?? 0, creditTypes, claimDate });
  }
  return registrations;
}

function readRems(problems: ProblemList, value: ActivityInput['rems']): Rems | null {
  if (!value) return null;
  const program = readCode(problems, 'rems.program', value.program, REMS_PROGRAMS, { label: 'REMS program', required: true });
  const identifier = readText(problems, 'rems.identifier', value.identifier, { label: 'REMS identifier', max: LIMITS.remsIdentifier });
  return program ? { program, identifier } : null;
}

function readCatalog(problems: ProblemList, value: ActivityInput['catalog']): Catalog {
  const listed = value?.listed ?? false;
  const url = readText(problems, 'catalog.url', value?.url, { label: 'Catalog URL', max: LIMITS.url });
  if (url && !isWebAddress(url)) {
    problems.add('catalog.url', 'invalid_url', 'Catalog URL must be a web address starting with https:// or http://.');
  }
  const fee = readCode(problems, 'catalog.fee', value?.fee, CATALOG_FEES, { label: 'Fee' });
  const registration = readCode(problems, 'catalog.registration', value?.registration, CATALOG_REGISTRATIONS, { label: 'Registration' });
  if (listed) {
    if (!url && !problems.has('catalog.url')) problems.add('catalog.url', 'required', 'A catalog URL is required to list the activity, so learners can find it.');
    if (!fee && !problems.has('catalog.fee')) problems.add('catalog.fee', 'required', 'Say whether there is a fee (yes, free or variable) to list the activity.');
    if (!registration && !problems.has('catalog.registration')) {
      problems.add('catalog.registration', 'required', 'Say whether registration is open to all or limited to list the activity.');
    }
  }
  return { listed, url, fee, registration };
}

function isWebAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

function readCommercialSupport(problems: ProblemList, value: ActivityInput['commercialSupport']): CommercialSupport | null {
  if (!value || (value.received === null || value.received === undefined) && !value.sources?.length) return null;
  const sources = (value.sources ?? []).map((source, index) => {
    const field = `commercialSupport.sources.${index}`;
    const name = readText(problems, `${field}.name`, source.name, { label: 'Commercial supporter name', required: true, max: LIMITS.name });
    const amount = source.amount ?? null;
    if (amount !== null && (!Number.isInteger(amount) || amount < 0 || amount > LIMITS.supportAmount)) {
      problems.add(`${field}.amount`, 'invalid_amount', 'Monetary support must be a whole number of US dollars, such as 5000.');
    }
    const inKind = source.inKind ?? false;
    if (!inKind && (amount === null || amount === 0)) {
      problems.add(`${field}.amount`, 'support_detail_required', `Give the monetary amount from ${name ?? 'this supporter'}, or mark the support as in-kind.`);
    }
    return { name: name ?? '', amount, inKind };
  });
  if (value.received === null || value.received === undefined) {
    problems.add('commercialSupport.received', 'required', 'Say whether the activity received commercial support (yes or no).');
    return null;
  }
  if (!value.received && sources.length > 0) {
    problems.add('commercialSupport.sources', 'sources_without_support', 'Commercial supporters are listed but commercial support is "no": remove them or answer yes.');
  }
  return { received: value.received, sources };
}

function readLearners(problems: ProblemList, value: ActivityInput['learners']): Learners {
  const read = (key: 'physicians' | 'others', label: string): number | null => {
    const count = value?.[key] ?? null;
    if (count !== null && (!Number.isInteger(count) || count < 0 || count > LIMITS.learners)) {
      problems.add(`learners.${key}`, 'invalid_count', `${label} must be a whole number, 0 or more.`);
      return null;
    }
    return count;
  };
  return { physicians: read('physicians', 'Number of physician learners'), others: read('others', 'Number of other learners') };
}

function readOutcomes(problems: ProblemList, values: ActivityInput['outcomes']): MeasuredOutcome[] {
  const outcomes: MeasuredOutcome[] = [];
  for (const [index, value] of (values ?? []).entries()) {
    const field = `outcomes.${index}`;
    const outcome = readCode(problems, `${field}.outcome`, value.outcome, OUTCOMES, { label: 'Outcome', required: true });
    const measurements = readCodeList(problems, `${field}.measurements`, value.measurements, MEASUREMENTS, { label: 'Measurement' });
    if (!outcome) continue;
    if (outcomes.some((existing) => existing.outcome === outcome)) {
      problems.add(`${field}.outcome`, 'duplicate', `${OUTCOMES[outcome]} is listed twice; give it once.`);
      continue;
    }
    if (measurements.length === 0 && !problems.has(`${field}.measurements.0`)) {
      problems.add(`${field}.measurements`, 'required', `Say how ${OUTCOMES[outcome].toLowerCase()} was measured: objective, subjective or both.`);
    }
    outcomes.push({ outcome, measurements });
  }
  return outcomes;
}

