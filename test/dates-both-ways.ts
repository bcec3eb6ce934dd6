import { addDays } from '../src/modules/activities/dates.ts';

/**
 * Days of an activity open these last weeks (`openActivity`), before `today`, written with numbers: one that reads
 * both ways, on another day outside the activity's dates or in the future (05/11/2026, read month first, would be
 * May 11), and one that reads only day first (14/11/2026).
 */
export function datesBothWays(today: string): { bothWays: string; onlyDayFirst: string } {
  const dayBefore = (wanted: (date: string, dayOfMonth: number, monthOfYear: number) => boolean) => {
    for (let back = 3; back < 60; back += 1) {
      const date = addDays(today, -back);
      if (wanted(date, Number(date.slice(8)), Number(date.slice(5, 7)))) return date;
    }
    throw new Error('the activity has no such day');
  };
  const misread = (date: string) => `${date.slice(0, 4)}-${date.slice(8)}-${date.slice(5, 7)}`;
  const activityTakes = (date: string) => date >= addDays(today, -60) && date <= today;
  return {
    bothWays: dayBefore((date, dayOfMonth, monthOfYear) => dayOfMonth <= 12 && dayOfMonth !== monthOfYear && !activityTakes(misread(date))),
    onlyDayFirst: dayBefore((_, dayOfMonth) => dayOfMonth > 12),
  };
}

/** A YYYY-MM-DD date as DD/MM/YYYY. */
export const dayFirst = (date: string) => `${date.slice(8)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** A YYYY-MM-DD date as MM/DD/YYYY. */
export const monthFirst = (date: string) => `${date.slice(5, 7)}/${date.slice(8)}/${date.slice(0, 4)}`;
