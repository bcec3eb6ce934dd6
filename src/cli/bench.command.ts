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
      // The benchmarks' data generators build million-row workbooks in memory, past the hub's own heap cap
      // (.npmrc); what they measure runs in child processes with the hub's flags.
      const result = spawnSync(process.execPath, ['--max-old-space-size=4096', benchMain, ...args], { stdio: 'inherit' });
      process.exitCode = result.status ?? 1;
    });
}
