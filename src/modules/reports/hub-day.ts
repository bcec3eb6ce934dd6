import { hubToday } from '../activities/dates.ts';

let cached = { computedAt: 0, day: '' };

/**
 * Today's date on the hub's calendar, recomputed at most once a second: formatting a date in a time
 * zone is costly enough to show on the single-report path.
 */
export function currentHubDay(): string {
  const now = Date.now();
  if (now - cached.computedAt > 1000) cached = { computedAt: now, day: hubToday(new Date(now)) };
  return cached.day;
}
