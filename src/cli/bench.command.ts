import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

const benchMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bench/main.ts');

export function registerBenchCommand(program: Command) {
  program
    .command('bench')
    .description('Run a benchmark (see bench/): cmehub bench <name> [options]; cmehub bench <name> --help for its options')
    .argument('[name-and-options...]', "the benchmark's name, then its own options, passed on as they are")
    .allowUnknownOption()
    .helpOption(false)
    .action((args: string[]) => {
      const result = spawnSync(process.execPath, [benchMain, ...args], { stdio: 'inherit' });
      process.exitCode = result.status ?? 1;
    });
}
