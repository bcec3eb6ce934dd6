import { AppError } from '../http/errors.ts';

/** A mistake in how a command was called; printed without a stack trace. */
export class CliError extends Error {}

/** A service's typed error as a message for the terminal, with the problems it lists; other errors as they are. */
export function cliErrorOf(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  const details = (error.problems ?? []).map((problem) => `\n  ${problem.message}`).join('');
  return new CliError(`${error.message}${details}`);
}
