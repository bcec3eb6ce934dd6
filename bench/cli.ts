import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/**
 * A benchmark's options, parsed strictly. `--help` prints `usage` and exits; an unknown option prints it
 * before failing, so a mistyped flag never starts an hour-long measurement.
 */
export function benchOptions<const T extends OptionSpecs>(usage: string, options: T) {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log(`Usage: ${usage}`);
    process.exit(0);
  }
  try {
    return parseArgs({ options, strict: true }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\nUsage: ${usage}`);
    process.exit(1);
  }
}

/**
 * The Node flags the hub runs with: those of the first line of `bin/cmehub.js` (which `npm start` runs too), and
 * those `.npmrc` gives every process npm starts, read here so that a benchmark started without npm (`node
 * bench/main.ts`) measures the hub as `npm start` runs it; a process under test runs with these, then with
 * `--node-flags`.
 */
export function hubNodeFlags(extra: string): string[] {
  const shebang = fs.readFileSync(new URL('../bin/cmehub.js', import.meta.url), 'utf8').split('\n', 1)[0];
  const hubFlags = shebang.replace(/^#!.*?\bnode\b/, '').split(' ').filter(Boolean);
  const npmrc = fs.readFileSync(new URL('../.npmrc', import.meta.url), 'utf8');
  const npmFlags = /^node-options=(.*)$/m.exec(npmrc)?.[1].split(' ').filter(Boolean) ?? [];
  return [...hubFlags, ...npmFlags, ...extra.split(' ').filter(Boolean)];
}
