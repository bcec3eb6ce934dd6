import fs from 'node:fs';
import { CliError } from './cli-error.ts';

/**
 * A secret (an API key, a password) read from a file rather than the command line, where the process list and
 * the shell's history would show it: the file's text, without the line end an editor adds. `what` names it in the
 * messages ("API key"); `toWrite` says what to write in an empty file.
 */
export function secretFromFile(file: string, what: string, toWrite: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`The ${what} file ${file} cannot be read: check that it is there and its permissions.`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.trim() === '') throw new CliError(`The ${what} file ${file} is empty: write ${toWrite} in it.`);
  return secret;
}
