import { validate as isId } from 'uuid';
import { CliError } from './cli-error.ts';

/**
 * An id given on the command line (an upload's, a roster load's, an API key's), checked before the database is
 * asked: one that is not an id is said in words, with where the id is found.
 */
export function idArgument(value: string, what: string, whereFound: string): string {
  if (!isId(value)) throw new CliError(`"${value}" is not ${what}: ${whereFound}.`);
  return value;
}
