import { Command } from 'commander';
import { errorOutput } from './cli-error.ts';
import { cliCommands } from './commands.ts';

const program = new Command()
  .name('cmehub')
  .description('CME Hub: the hub for continuing medical education credit')
  .option('--debug', 'on an unexpected error, show where it happened')
  .showHelpAfterError();

for (const register of cliCommands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(errorOutput(error, program.opts().debug === true));
  process.exit(1);
}
