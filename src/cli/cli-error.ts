import os from 'node:os';
import { ConfigError } from '../config.ts';
import { DataDirInUseError } from '../db/data-dir-lock.ts';
import { sqlStateOf } from '../db/database-errors.ts';
import { DatabaseFromLaterVersionError } from '../db/migrate.ts';
import { AppError } from '../http/errors.ts';

/**
 * What a command's exit status tells a script that runs it: done; failed (the hub or its database failed, or
 * the upload failed or was stopped: running it again may do); refused (the call or the file must change first);
 * done, with rows rejected that need correcting. A signal that interrupts a command gives 128 + its number.
 */
export const exitStatus = { done: 0, failed: 1, refused: 2, rowsRejected: 3 } as const;

/** 130 for SIGINT, 143 for SIGTERM, as a shell reports a command a signal ended. */
export function signalExitStatus(signal: NodeJS.Signals): number {
  return 128 + os.constants.signals[signal];
}

/** How an upload that ended tells a script: failed or stopped, taken in with rows to correct, or taken in. */
export function uploadExitStatus(upload: { status: string; rows: { toFix: number } }): number {
  if (upload.status === 'failed') return exitStatus.failed;
  return upload.rows.toFix > 0 ? exitStatus.rowsRejected : exitStatus.done;
}

/** A mistake in how a command was called, or what it was given; printed without a stack trace. */
export class CliError extends Error {
  readonly exitStatus: number;

  constructor(message: string, options?: { cause?: unknown; exitStatus?: number }) {
    super(message, { cause: options?.cause });
    this.exitStatus = options?.exitStatus ?? exitStatus.refused;
  }
}

/**
 * A message for the terminal and the problems it lists, one indented line each; a problem the message already says
 * (a file refused for one thing) is not said again. `fields`: each line begins with its problem's field, where it
 * has one, for messages that do not name it themselves (an option of a command, a column of a roster).
 */
export function withProblems(message: string, problems: readonly { field?: string; message: string }[] | undefined, { fields = false } = {}): string {
  const lines = (problems ?? [])
    .filter((problem) => !message.includes(problem.message))
    .map((problem) => `\n  ${fields && problem.field ? `${problem.field}: ` : ''}${problem.message}`);
  return `${message}${lines.join('')}`;
}

/** A service's typed error as a message for the terminal, with the problems it lists; other errors as they are. */
function cliErrorOf(error: unknown): unknown {
  if (!(error instanceof AppError)) return error;
  return new CliError(withProblems(error.message, error.problems));
}

/**
 * The exit status of a command that ended on this error: refused when the call, a setting (a bad value, a port
 * another program has) or the file is at fault.
 */
export function exitStatusOf(thrown: unknown): number {
  if (thrown instanceof ConfigError) return exitStatus.refused;
  const error = cliErrorOf(thrown);
  return error instanceof CliError ? error.exitStatus : exitStatus.failed;
}

/**
 * What the terminal says when a command ends on an error: a known one's message (a service's typed error's
 * too); any other in one line, and where it happened only with --debug. Never the values an error carries:
 * a statement that failed holds its parameters, learners' names, birth days and license numbers among them.
 */
export function errorOutput(thrown: unknown, debug: boolean): string {
  const error = cliErrorOf(thrown);
  const known = error instanceof CliError || error instanceof ConfigError || error instanceof DataDirInUseError || error instanceof DatabaseFromLaterVersionError;
  const unexpected = known ? error.cause : error;
  const lines = [known ? error.message : `cmehub stopped on an unexpected error (${errorKind(error)}).`];
  if (unexpected !== undefined) lines.push(debug ? errorDetails(unexpected) : 'Add --debug to the command to see where it happened.');
  return lines.join('\n');
}

/** "database error 58030", "Error ENOENT", "TypeError": the kind of error, without its message, which may quote a value. */
export function errorKind(error: unknown): string {
  const state = sqlStateOf(error);
  if (state) return `database error ${state}`;
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}

/** The error's message and where it was raised, and its cause's: none of the values it holds besides. */
function errorDetails(error: unknown): string {
  if (!(error instanceof Error)) return errorKind(error);
  const lines = [error.stack ?? `${error.name}: ${error.message}`];
  const state = sqlStateOf(error);
  if (state) lines.push(`    SQLSTATE ${state}`);
  if (error.cause !== undefined) lines.push(`Caused by: ${errorDetails(error.cause)}`);
  return lines.join('\n');
}
