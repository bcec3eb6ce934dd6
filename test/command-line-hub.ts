import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openHub } from '../src/bootstrap.ts';
import { testConfig } from '../src/config.ts';
import type { Hub } from '../src/hub.ts';
import { postgresTemplateName, withDatabase } from './template-database.ts';

/**
 * A hub's data of its own for `cmehub` commands run as processes: a data directory, and on PostgreSQL
 * (TEST_DATABASE_URL) a database copied from the migrated template. `withHub` opens it here while no command runs.
 */
export type CommandLineHub = {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  withHub(work: (hub: Hub) => Promise<void>): Promise<void>;
  remove(): Promise<void>;
};

export async function prepareCommandLineHub(name: string): Promise<CommandLineHub> {
  const postgresUrl = process.env.TEST_DATABASE_URL;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cmehub-${name}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const databaseName = postgresUrl ? `cmehub_${name.replaceAll('-', '_')}_${randomBytes(5).toString('hex')}` : null;
  const asAdmin = async (statement: string) => {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(statement).finally(() => admin.end());
  };
  if (postgresUrl && databaseName) {
    await asAdmin(`create database "${databaseName}" template "${postgresTemplateName()}"`);
    env.DATABASE_URL = withDatabase(postgresUrl, databaseName);
  }
  return {
    dataDir,
    env,
    async withHub(work) {
      const hub = await openHub(testConfig({ dataDir, databaseUrl: env.DATABASE_URL ?? null }));
      try {
        await work(hub);
      } finally {
        await hub.database.close();
      }
    },
    async remove() {
      if (databaseName) await asAdmin(`drop database if exists "${databaseName}" with (force)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
