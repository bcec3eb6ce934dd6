import { addDays } from '../src/modules/activities/dates.ts';

/**
 * Days of an activity open these last weeks (`openActivity`), before `today`, written with numbers: one that reads
 * both ways, on another day (05/11/2026, read month first, would be May 11), and one that reads only day first
 * (14/11/2026).
 */
export function datesBothWays(today: string): { bothWays: string; onlyDayFirst: string } {
  const dayBefore = (wanted: (dayOfMonth: number, monthOfYear: number) => boolean) => {
    for (let back = 3; back < 60; back += 1) {
      const date = addDays(today, -back);
      if (wanted(Number(date.slice(8)), Number(date.slice(5, 7)))) return date;
    }
    throw new Error('the activity has no such day');
  };
  return {
    bothWays: dayBefore((dayOfMonth, monthOfYear) => dayOfMonth <= 12 && dayOfMonth !== monthOfYear),
    onlyDayFirst: dayBefore((dayOfMonth) => dayOfMonth > 12),
  };
}

/** A YYYY-MM-DD date as DD/MM/YYYY. */
export const dayFirst = (date: string) => `${date.slice(8)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** A YYYY-MM-DD date as MM/DD/YYYY. */
export const monthFirst = (date: string) => `${date.slice(5, 7)}/${date.slice(8)}/${date.slice(0, 4)}`;
