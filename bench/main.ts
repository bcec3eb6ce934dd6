import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench -- <name> [options]` runs `bench/<name>.ts`. Each benchmark prints its figures and
 * writes them as JSON to `bench/results/`.
 */
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && !['main.ts', 'results.ts', 'cli.ts'].includes(file))
  .map((file) => file.replace(/\.ts$/, ''));

const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`Usage: npm run bench -- <${available.join(' | ')}> [options]`);
  process.exit(name ? 1 : 0);
}
process.argv = [process.argv[0], path.join(benchDir, `${name}.ts`), ...rest];
try {
  await import(pathToFileURL(path.join(benchDir, `${name}.ts`)).href);
} catch (error) {
  const { code, address, port } = error as { code?: string; address?: string; port?: number };
  if (code !== 'ECONNREFUSED' && code !== 'ENOTFOUND' && code !== 'EHOSTUNREACH') throw error;
  console.error(`The benchmark cannot reach PostgreSQL${address ? ` at ${address}:${port}` : ''} (${code}). Start it, or point --url at a server it can reach.`);
  process.exit(1);
}
