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
