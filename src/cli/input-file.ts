import fs from 'node:fs';
import { CliError } from './cli-error.ts';

/** A file named on the command line that is there, is a file and can be read; otherwise what is wrong with it. */
export function checkInputFile(file: string): void {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(file);
  } catch {
    throw new CliError(`There is no file ${file}.`);
  }
  if (stats.isDirectory()) throw new CliError(`${file} is a folder: name one file in it.`);
  if (!stats.isFile()) throw new CliError(`${file} is not a file.`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new CliError(`${file} cannot be read: check its permissions.`);
  }
}
