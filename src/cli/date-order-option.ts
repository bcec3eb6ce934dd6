import type { DateOrder } from '../files/written-dates.ts';
import { CliError } from './cli-error.ts';

/** The order `--dates` gives a file's dates in (day-first or month-first), as the hub takes it; none when unsaid. */
export function dateOrderOption(given: string | undefined): DateOrder | undefined {
  const order = given?.replace('-', '_');
  if (order === undefined || order === 'month_first' || order === 'day_first') return order;
  throw new CliError('--dates is day-first (DD/MM/YYYY) or month-first (MM/DD/YYYY).');
}
