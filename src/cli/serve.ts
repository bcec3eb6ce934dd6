import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openHub, prepareFirstRun } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { webDistDir } from '../http/app.ts';
import { demoLogins, demoPassword, isDemoLoaded, loadDemoData } from '../modules/demo/demo.ts';
import { startServer } from '../server.ts';
import type { Hub } from '../hub.ts';

function buildWebAppIfMissing() {
  if (fs.existsSync(path.join(webDistDir, 'index.html'))) return;
  console.log('Building the web app (first start)...');
  const result = spawnSync('npm', ['run', '--silent', 'build:web'], { stdio: 'inherit', cwd: path.resolve(webDistDir, '../..') });
  if (result.status !== 0) throw new Error('Building the web app failed; see the output above.');
}

function printDemoLogins(url: string) {
  console.log(`\nDemo logins at ${url} (password for all: ${demoPassword}):`);
  for (const [role, email] of Object.entries(demoLogins)) console.log(`  ${role.padEnd(22)} ${email}`);
  console.log('');
}

async function serve(hub: Hub) {
  const server = await startServer(hub);
  const shutdown = async (signal: string) => {
    server.app.log.info({ signal }, 'shutting down');
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  console.log(`CME Hub is running on ${server.url} (database: ${hub.database.kind}; API docs at ${server.url}/docs)`);
  if (await isDemoLoaded(hub)) printDemoLogins(server.url);
}

/** `cmehub start`: migrate, load the demo data into an empty database (unless an operator is configured), build the web app if needed, and serve. */
export async function startHub(): Promise<void> {
  const config = loadConfig();
  buildWebAppIfMissing();
  const hub = await openHub(config);
  const firstRun = await prepareFirstRun(hub);
  if (firstRun.createdOperator) console.log(`Created the operator account ${config.initialOperator!.email}.`);
  else if (firstRun.wasEmpty) {
    console.log('Empty database: loading the demo data set...');
    await loadDemoData(hub);
  }
  await serve(hub);
}

/** `cmehub serve`: apply migrations and serve. */
export async function serveHub(): Promise<void> {
  const hub = await openHub(loadConfig());
  await prepareFirstRun(hub);
  await serve(hub);
}
