/**
 * License numbers as boards and providers write them: "A 012345", "A-12345", "a12345" and "A12345" are one
 * number. The key drops case, separators and leading zeros of each digit run; the digits key keeps only the
 * number, so a provider who leaves out the board's prefix letters still finds the license. `state`: the state
 * reported with the number, whose code written before it is no part of it (`withoutStateCode`).
 */
/** The longest license number or board ID taken, from providers and boards alike. */
export const LICENSE_NUMBER_MAX_LENGTH = 30;

export interface LicenseNumberKey {
  key: string;
  digits: string;
  hasLetters: boolean;
}

export function normalizeLicenseNumber(raw: string | null | undefined, state: string | null = null): LicenseNumberKey | null {
  const compact = withoutStateCode((raw ?? '').trim(), state).replace(decimalZeros, '$1').toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact.length === 0) return null;
  const runs = compact.match(/[A-Z]+|[0-9]+/g) ?? [];
  const key = runs.map((run) => (/^[0-9]/.test(run) ? run.replace(/^0+(?=.)/, '') : run)).join('');
  const digitRuns = runs.filter((run) => /^[0-9]/.test(run)).join('');
  const digits = digitRuns.length > 0 ? digitRuns.replace(/^0+(?=.)/, '') : key;
  return { key, digits, hasLetters: /[A-Z]/.test(compact) };
}

/** A number column exported by a database or a script as a decimal ("45821.0") is the same whole number. */
const decimalZeros = /^(\d+)\.0+$/;

/**
 * A license number written after its state's code ("CA A12345", "CA-A12345", "TX: P1234"), as a form or a
 * spreadsheet may have it: the number without the code. Only the reported state's code, followed by a separator,
 * is taken off, so that "MD60012345" (a Washington number) keeps its letters.
 */
export function withoutStateCode(number: string, state: string | null): string {
  if (!state) return number;
  const after = /^([A-Za-z]{2})\s*[\s:#-]\s*(\S.*)$/.exec(number.trim());
  return after && after[1].toUpperCase() === state && /\d/.test(after[2]) ? after[2] : number;
}

export type LicenseNumberFit = 'exact' | 'license_prefix_missing' | 'license_prefix_extra';

/**
 * Compares a reported number with a registered one that shares its digits. Two numbers whose letters differ
 * ("A12345" and "G12345") are different licenses, never the same one mistyped.
 */
export function fitLicenseNumber(reported: LicenseNumberKey, registered: LicenseNumberKey): LicenseNumberFit | null {
  if (reported.key === registered.key) return 'exact';
  if (reported.digits !== registered.digits) return null;
  if (!reported.hasLetters && registered.hasLetters) return 'license_prefix_missing';
  if (reported.hasLetters && !registered.hasLetters) return 'license_prefix_extra';
  return null;
}
