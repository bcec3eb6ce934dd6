import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { DestinationStream } from 'pino';
import { testConfig } from '../src/config.ts';
import type { Config } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import type { Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/http/app.ts';
import { addDays, hubToday } from '../src/modules/activities/dates.ts';
import { createHub } from '../src/hub.ts';
import type { Hub } from '../src/hub.ts';
import { loadDemoData } from '../src/modules/demo/demo.ts';
import { pgliteTemplatePath, postgresTemplateName, prepareTemplate, withDatabase } from './template-database.ts';

export { demoLogins, demoPassword } from '../src/modules/demo/demo.ts';

/** A migrated empty database for the tests of one describe block: opened before them, closed after. */
export function useTestDatabase(): () => Database {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });
  return () => {
    if (!database) throw new Error('The test database is opened before the tests run.');
    return database;
  };
}

/**
 * A fresh, migrated database of its own: in-memory PGlite, or a new PostgreSQL database copied from
 * the migrated template when TEST_DATABASE_URL is set. `close` removes it.
 */
export async function createTestDatabase(): Promise<Database> {
  await prepareTemplate();
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const tarball = new Blob([fs.readFileSync(pgliteTemplatePath())]);
    const database = await openDatabase({ kind: 'pglite', dataDir: null, loadDataDir: tarball });
    await migrateToLatest(database.db);
    return database;
  }
  const name = `cmehub_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${postgresTemplateName()}"`);
  } finally {
    await admin.end();
  }
  const database = await openDatabase({ kind: 'postgres', url: withDatabase(serverUrl, name) });
  await migrateToLatest(database.db);
  return {
    ...database,
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${name}" with (force)`).finally(() => cleanup.end());
    },
  };
}

export type TestApp = {
  app: FastifyInstance;
  hub: Hub;
  db: Hub['db'];
  database: Database;
  close(): Promise<void>;
};

export async function createTestApp(
  options: { demo?: boolean; config?: Partial<Config>; logStream?: DestinationStream } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-test-'));
  const hub = await createHub(testConfig({ dataDir, ...options.config }), database);
  if (options.demo) await loadDemoData(hub);
  const app = await buildApp(hub, { logStream: options.logStream });
  await app.ready();
  return {
    app,
    hub,
    db: hub.db,
    database,
    async close() {
      await app.close();
      await database.close();
      // The files the test's uploads kept go with it.
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An in-person activity open for reporting (it began 60 days ago and ends in 10), with the fields given. */
export function openActivity(fields: { title: string; providerActivityId: string } & Record<string, unknown>) {
  const today = hubToday();
  return {
    type: 'C',
    deliveryMethod: 'in_person',
    location: { city: 'Chicago', state: 'IL', country: 'USA' },
    credits: [{ type: 'AMA_PRA_CAT1', amount: 2 }],
    startDate: addDays(today, -60),
    endDate: addDays(today, 10),
    status: 'active',
    ...fields,
  };
}

/** What an activity must say of itself before it may close (its year-end report): for a test's closed activity. */
export const closingFields = {
  commercialSupport: { received: false },
  learners: { physicians: 10, others: 0 },
  outcomes: [{ outcome: 'learner_competence', measurements: ['subjective'] }],
};

/** A logged-in browser-like client: keeps the session cookie and sends the CSRF header on writes. */
export type Session = {
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
};

export async function login(app: FastifyInstance, email: string, password: string): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login failed for ${email}: ${response.statusCode} ${response.body}`);
  const cookies = Object.fromEntries(response.cookies.map((cookie) => [cookie.name, cookie.value]));
  const cookieHeader = Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
  const request = (options: InjectOptions) =>
    app.inject({
      ...options,
      headers: { cookie: cookieHeader, 'x-csrf-token': cookies.cmehub_csrf, ...(options.headers ?? {}) },
    });
  return {
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) => request({ method: 'POST', url, payload: payload as InjectOptions['payload'] }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] }),
    delete: (url, payload) => request({ method: 'DELETE', url, payload: payload as InjectOptions['payload'] }),
  };
}

/** An API-key client. */
export function withApiKey(app: FastifyInstance, key: string): Session {
  const request = (options: InjectOptions) =>
    app.inject({ ...options, headers: { authorization: `Bearer ${key}`, ...(options.headers ?? {}) } });
  return {
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) => request({ method: 'POST', url, payload: payload as InjectOptions['payload'] }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as InjectOptions['payload'] }),
    delete: (url, payload) => request({ method: 'DELETE', url, payload: payload as InjectOptions['payload'] }),
  };
}
