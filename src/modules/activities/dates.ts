// Calendar dates as `YYYY-MM-DD` strings: activities have days, not instants, so no time zone
// arithmetic happens on them except in `hubToday`.

/** Activity dates are compared with today's date in US Eastern time, where PARS keeps its calendar. */
export const HUB_TIME_ZONE = 'America/New_York';

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const match = isoDatePattern.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The most days each month has: February's 29 of a leap year, someone's birthday. */
const mostDaysOfMonths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The days of a month (1 to 12): of a given year, or the most it has in any year. */
export function daysInMonth(month: number, year?: number): number {
  if (month === 2 && year !== undefined) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return mostDaysOfMonths[month - 1];
}

/**
 * Why a month and a day, of a year or of none (a birthday), are no day of the calendar, told by its month
 * ("November has 30 days", "February 2027 has 28 days"); null when they are one, or when the month or the day
 * is no month or day at all, which is a mistake of another kind.
 */
export function dayPastMonthEnd(month: number, day: number, year?: number): string | null {
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(day) || day < 1 || day > 31) return null;
  const days = daysInMonth(month, year);
  if (day <= days) return null;
  const ofYear = month === 2 && year !== undefined ? ` ${year}` : '';
  return `${MONTH_NAMES[month - 1]}${ofYear} has ${days} days`;
}

/** Made once: making a formatter takes a tenth of a millisecond, more than a file row's own checks. */
const hubDateFormat = new Intl.DateTimeFormat('en-CA', { timeZone: HUB_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

export function hubToday(now: Date = new Date()): string {
  return hubDateFormat.format(now);
}

export function addDays(date: string, days: number): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
