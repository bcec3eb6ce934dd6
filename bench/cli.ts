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
 * The Node flags the hub runs with (`npm start`, `npm run cmehub`, `bin/cmehub.js`), beside those `.npmrc`
 * gives every process npm starts: a process under test runs with these, then with `--node-flags`.
 */
export function hubNodeFlags(extra: string): string[] {
  return ['--max-old-space-size=512', ...extra.split(' ').filter(Boolean)];
}
