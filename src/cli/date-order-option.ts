import { isIsoDate } from '../modules/activities/dates.ts';
import { calendarDate, orderOf, whyNoDay } from '../files/written-dates.ts';
import type { DateOrder } from '../files/written-dates.ts';
import { CliError } from './cli-error.ts';

/** The order `--dates` gives a file's dates in (day-first or month-first), as the hub takes it; none when unsaid. */
export function dateOrderOption(given: string | undefined): DateOrder | undefined {
  const order = given?.replace('-', '_');
  if (order === undefined || order === 'month_first' || order === 'day_first') return order;
  throw new CliError('--dates is day-first (DD/MM/YYYY) or month-first (MM/DD/YYYY).');
}

/**
 * A date given as an option (`--completion-date`), as the API takes it (YYYY-MM-DD): written so, or as a sheet writes
 * it, in the order `--dates` says the file's dates are (month first when unsaid). One that reads only the other way
 * is refused with the order it can be read in, as the file's dates would be.
 */
export function dateOption(option: string, written: string, order: DateOrder | undefined): string {
  const read = calendarDate(written, order);
  if (isIsoDate(read)) return read;
  const onlyOrder = orderOf(written);
  if (onlyOrder === 'day_first' && order !== 'day_first') {
    const dayFirst = calendarDate(written, 'day_first');
    const what = order ? 'but --dates month-first reads dates month first' : 'and dates are read month first unless --dates day-first says otherwise';
    const instead = order ? `write ${dayFirst}` : `add --dates day-first (the file's dates are then read day first too), or write ${dayFirst}`;
    throw new CliError(`${option} ${written} can only be read day first (DD/MM/YYYY), ${what}: ${instead}.`);
  }
  if (onlyOrder === 'month_first' && order === 'day_first') {
    throw new CliError(`${option} ${written} can only be read month first (MM/DD/YYYY), but --dates day-first reads dates day first: write ${calendarDate(written, 'month_first')}.`);
  }
  const noDay = whyNoDay(written, order);
  if (noDay) throw new CliError(`${option} ${written} is not a date: ${noDay}.`);
  throw new CliError(`${option} is a date: YYYY-MM-DD or ${order === 'day_first' ? 'DD/MM/YYYY' : 'MM/DD/YYYY'}.`);
}
