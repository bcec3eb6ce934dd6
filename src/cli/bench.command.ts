import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

const benchMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/main.ts');

export function registerBenchCommand(program: Command) {
  program
    .command('bench')
    .description('Run a benchmark (see bench/): cmehub bench <name> [options]')
    .argument('[name]')
    .allowUnknownOption()
    .helpOption(false)
    .action((_name: string | undefined, _options: unknown, command: Command) => {
      const result = spawnSync(process.execPath, [benchMain, ...command.args], { stdio: 'inherit' });
      process.exitCode = result.status ?? 1;
    });
}
