import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { errorOutput, exitStatus, exitStatusOf } from './cli-error.ts';
import { cliCommands } from './commands.ts';

const { version } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('cmehub')
  .description('CME Hub: the hub for continuing medical education credit')
  .version(version, '--version', 'the version of the hub this command belongs to')
  .option('--debug', 'on an unexpected error, show where it happened')
  .showHelpAfterError()
  // A misspelt option or a missing argument is a call to change, as a script reads the exit status.
  .exitOverride();

for (const register of cliCommands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander has said what is wrong (or shown the help asked for).
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? exitStatus.done : exitStatus.refused);
  console.error(errorOutput(error, program.opts().debug === true));
  process.exit(exitStatusOf(error));
}
