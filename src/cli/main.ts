import { Command } from 'commander';
import { ConfigError } from '../config.ts';
import { CliError } from './cli-error.ts';
import { cliCommands } from './commands.ts';

const program = new Command()
  .name('cmehub')
  .description('CME Hub: the hub for continuing medical education credit')
  .showHelpAfterError();

for (const register of cliCommands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError || error instanceof CliError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
