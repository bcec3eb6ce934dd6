import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins, demoPassword, login, openActivity } from '../../test/helpers.ts';
import { postgresTemplateName, withDatabase } from '../../test/template-database.ts';
import { openHub } from '../bootstrap.ts';
import { testConfig } from '../config.ts';
import { buildApp } from '../http/app.ts';
import { addDays, hubToday } from '../modules/activities/dates.ts';
import { loadDemoData } from '../modules/demo/demo.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const today = hubToday();

describe('cmehub import FILE --provider <id>', () => {
  const postgresUrl = process.env.TEST_DATABASE_URL;
  let dataDir: string;
  let databaseName: string | null = null;
  let env: NodeJS.ProcessEnv;
  let learnerFile: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cmehub-cli-import-'));
    env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    if (postgresUrl) {
      databaseName = `cmehub_cli_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create database "${databaseName}" template "${postgresTemplateName()}"`).finally(() => admin.end());
      env.DATABASE_URL = withDatabase(postgresUrl, databaseName);
    }
    const hub = await openHub(testConfig({ dataDir, databaseUrl: env.DATABASE_URL ?? null }));
    try {
      await loadDemoData(hub);
      const app = await buildApp(hub);
      const coordinator = await login(app, demoLogins.providerAdmin, demoPassword);
      const activity = await coordinator.post('/api/v1/activities', openActivity({ title: 'Imported from the command line', providerActivityId: 'CLI-1' }));
      expect(activity.statusCode, activity.body).toBe(201);
      const activityId = activity.json().id;
      await app.close();
      learnerFile = path.join(dataDir, 'completions.csv');
      fs.writeFileSync(
        learnerFile,
        [
          'Activity ID,Completion date,First name,Last name,Birth month,Birth day,License state,License number,CME credits',
          `${activityId},${addDays(today, -2)},Pat,Quinn,4,5,CA,Z1001,1`,
          `${activityId},${addDays(today, -2)},Robin,Stone,6,7,CA,Z1002,2`,
          `${activityId},not a date,Sam,Tate,8,9,CA,Z1003,1`,
        ].join('\n'),
      );
    } finally {
      await hub.database.close();
    }
  }, 120_000);

  afterAll(async () => {
    if (postgresUrl && databaseName) {
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${databaseName}" with (force)`).finally(() => admin.end());
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function cmehub(...args: string[]) {
    return spawnSync(process.execPath, ['src/cli/main.ts', ...args], { cwd: repoRoot, env, encoding: 'utf8' });
  }

  it('takes the file in with a receipt, and adds nothing the second time', () => {
    const receipt = path.join(dataDir, 'receipt.csv');
    const rowsToFix = path.join(dataDir, 'rows-to-fix.csv');
    const first = cmehub('import', learnerFile, '--provider', '1234567', '--consent', 'written', '--receipt', receipt, '--rows-to-fix', rowsToFix);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('Demo Academy of Medicine (1234567): The file is queued');
    expect(first.stdout).toMatch(/finished\. 3 rows: accepted 0, pending 2, rejected 1, duplicates 0\./);
    expect(first.stdout).toContain('Problems, most common first:\n  2 rows (first: row 2): California has no license number Z1001 on record.');
    expect(first.stdout).toContain('  1 row (first: row 4): Completion date: "not a date" is not a date;');
    const lines = fs.readFileSync(receipt, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^4,,rejected,/);
    expect(first.stdout).toContain(`1 rejected rows to fix written to ${rowsToFix}`);
    const toFix = fs.readFileSync(rowsToFix, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(toFix).toHaveLength(2);
    expect(toFix[1]).toMatch(/^"Completion date: ""not a date"" is not a date; write it as YYYY-MM-DD or MM\/DD\/YYYY",4,,\d{9},not a date,Sam,,Tate,8,9,CA,Z1003,/);

    const second = cmehub('import', learnerFile, '--provider', '1234567');
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('already uploaded');
    expect(second.stdout).toMatch(/3 rows: accepted 0, pending 2, rejected 1/);
  });

  it('shows, stops and withdraws an upload by its id', () => {
    const file = path.join(dataDir, 'sent-by-mistake.csv');
    fs.writeFileSync(file, fs.readFileSync(learnerFile, 'utf8').replaceAll('Z100', 'Z200'));
    const imported = cmehub('import', file, '--provider', '1234567', '--consent', 'written');
    expect(imported.status, imported.stderr).toBe(0);
    const id = /Upload ([0-9a-f-]{36}): finished/.exec(imported.stdout)?.[1] ?? '';
    expect(id).not.toBe('');

    const listed = cmehub('upload', 'list', '--provider', '1234567');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(new RegExp(`^${id}  \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}  finished +3 rows  sent-by-mistake\\.csv$`));
    expect(cmehub('upload', 'list', '--provider', '7654321').stderr).toContain('No provider has the id 7654321');

    const shown = cmehub('upload', 'show', id);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`Upload ${id}: finished. 3 rows: accepted 0, pending 2, rejected 1, duplicates 0.`);
    const stop = cmehub('upload', 'stop', id);
    expect(stop.status).toBe(1);
    expect(stop.stderr).toContain('This upload is already done: there is nothing to stop.');

    const receipt = path.join(dataDir, 'receipt-again.xlsx');
    const written = cmehub('upload', 'receipt', id, receipt);
    expect(written.status, written.stderr).toBe(0);
    expect(fs.readFileSync(receipt).subarray(0, 2).toString()).toBe('PK');

    const noReason = cmehub('upload', 'withdraw', id);
    expect(noReason.status).toBe(1);
    expect(noReason.stderr).toContain("required option '--reason <text>'");
    const withdrawn = cmehub('upload', 'withdraw', id, '--reason', 'Sent for the wrong activity');
    expect(withdrawn.status, withdrawn.stderr).toBe(0);
    // The two pending reports and the rejected row's report are deleted.
    expect(withdrawn.stdout).toMatch(/Withdrawn .* by command line: 3 reports deleted\. Reason: Sent for the wrong activity/);
    expect(cmehub('upload', 'show', id).stdout).toContain('3 reports deleted');
    expect(cmehub('upload', 'list').stdout.split('\n')[0]).toMatch(new RegExp(`^${id} .* withdrawn +3 rows`));

    const notAnId = cmehub('upload', 'show', 'last-year');
    expect(notAnId.status).toBe(1);
    expect(notAnId.stderr).toContain('"last-year" is not an upload id');
    const unknown = cmehub('upload', 'show', '00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).not.toContain('    at ');
  });

  it('shows how far a running upload has gone, and about how long is left', async () => {
    const file = path.join(dataDir, 'still-going.csv');
    fs.writeFileSync(file, fs.readFileSync(learnerFile, 'utf8').replaceAll('Z100', 'Z300'));
    const imported = cmehub('import', file, '--provider', '1234567', '--consent', 'written');
    const id = /Upload ([0-9a-f-]{36}): finished/.exec(imported.stdout)?.[1] ?? '';
    expect(id, imported.stderr).not.toBe('');
    // As a server taking it in would leave it: half the file read in the 20 s since its run's first chunk.
    const hub = await openHub(testConfig({ dataDir, databaseUrl: env.DATABASE_URL ?? null }));
    try {
      await sql`
        update uploads set status = 'running', finished_at = null, lease_expires_at = now() + interval '1 minute',
          bytes_done = file_bytes / 2, pace_from_at = now() - interval '20 seconds', pace_from_bytes = 0, updated_at = now()
        where id = ${id}`.execute(hub.db);
    } finally {
      await hub.database.close();
    }
    const shown = cmehub('upload', 'show', id);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^Upload ${id}: running \\(50%, about (1[0-9]|20) s left\\)\\.`));
  });

  it('says what is wrong with the call, without a stack trace', () => {
    const unknownProvider = cmehub('import', learnerFile, '--provider', '7654321');
    expect(unknownProvider.status).toBe(1);
    expect(unknownProvider.stderr).toContain('No provider has the id 7654321');
    const badFile = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(badFile, 'Name,Shoe size\nPat,9\n');
    const refused = cmehub('import', badFile, '--provider', '1234567');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('"Activity ID"');
    expect(refused.stderr).not.toContain('    at ');
  });
});
