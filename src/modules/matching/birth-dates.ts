/** Birth month and day (never a year) as reported, and how a reported pair fits a registered one. */
import { daysInMonth } from '../activities/dates.ts';

export function isValidMonthDay(month: number, day: number): boolean {
  return Number.isInteger(month) && Number.isInteger(day) && month >= 1 && month <= 12 && day >= 1 &&
    day <= daysInMonth(month);
}

/** One way to read a reported pair: as sent, or with day and month swapped. */
export interface BirthReading {
  month: number;
  day: number;
  swapped: boolean;
}

export type BirthPartProblem = 'missing' | 'not_a_number';

/** Reads "3", "03" or 3 as a number; anything else is a problem to report. */
export function parseBirthPart(value: number | string | null | undefined): number | BirthPartProblem {
  if (value === null || value === undefined || value === '') return 'missing';
  if (typeof value === 'number') return Number.isInteger(value) ? value : 'not_a_number';
  const trimmed = value.trim();
  if (trimmed === '') return 'missing';
  return /^\d{1,2}$/.test(trimmed) ? Number(trimmed) : 'not_a_number';
}

/**
 * The readings a registered date may fit. A pair valid both ways (3/4) is read both ways; a pair valid only
 * swapped (25/3) is unambiguous and read swapped only; a pair valid neither way has no reading.
 */
export function birthReadings(month: number, day: number): BirthReading[] {
  const asSent = isValidMonthDay(month, day);
  const swapped = month !== day && isValidMonthDay(day, month);
  const readings: BirthReading[] = [];
  if (asSent) readings.push({ month, day, swapped: false });
  if (swapped) readings.push({ month: day, day: month, swapped: true });
  return readings;
}

/** A pair that is a birthday only with day and month swapped (14, 3): the two written the other way round. */
export function onlySwappedIsBirthday(month: number, day: number): boolean {
  const readings = birthReadings(month, day);
  return readings.length === 1 && readings[0].swapped;
}

export type BirthFit = 'exact' | 'birth_day_month_swapped';

/**
 * How the reported readings fit a registered date. `allowBothWaySwap` decides whether a pair valid both ways
 * may fit when swapped; an unambiguous swap (only the swapped reading is a date) always may.
 */
export function fitBirthDate(
  readings: BirthReading[],
  registered: { month: number; day: number },
  allowBothWaySwap: boolean,
): BirthFit | null {
  const onlySwapped = readings.length === 1 && readings[0].swapped;
  for (const reading of readings) {
    if (reading.month !== registered.month || reading.day !== registered.day) continue;
    if (!reading.swapped) return 'exact';
    if (onlySwapped || allowBothWaySwap) return 'birth_day_month_swapped';
  }
  return null;
}
