import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCommandLineHub } from '../../test/command-line-hub.ts';
import type { CommandLineHub } from '../../test/command-line-hub.ts';
import { runCmehub } from '../../test/hub-process.ts';
import { buildApp } from '../http/app.ts';
import { loadDemoData } from '../modules/demo/demo.ts';

// The operator's commands for accounts and API keys, at the hub's own command line.
describe('cmehub user, cmehub apikey and the command itself', { timeout: 300_000 }, () => {
  let commandLineHub: CommandLineHub;
  let providerId: string;

  beforeAll(async () => {
    commandLineHub = await prepareCommandLineHub('cli-admin');
    await commandLineHub.withHub(async (hub) => {
      await loadDemoData(hub);
      providerId = (await hub.db.selectFrom('organizations').select('id').where('provider_id', '=', '1234567').executeTakeFirstOrThrow()).id;
    });
  }, 120_000);

  afterAll(() => commandLineHub.remove());

  const cmehub = (...args: string[]) => runCmehub(commandLineHub.env, ...args);

  it('creates, lists and revokes an API key, the organization named by its id, its provider ID or its name', async () => {
    const created = cmehub('apikey', 'create', '--org', '1234567', '--name', 'Nightly LMS sync', '--expires-in-days', '90');
    expect(created.status, created.stderr).toBe(0);
    // The key alone on standard output, as `> key.txt` saves it for --api-key-file; what it is, beside it.
    expect(created.stdout).toMatch(/^cmh_\S+\n$/);
    const [, keyId] = /^API key Nightly LMS sync \(([0-9a-f-]{36}), expires \d{4}-\d\d-\d\d\)\. Shown once, keep it safe:\n$/.exec(created.stderr) ?? [];
    expect(keyId).toBeDefined();
    const listed = cmehub('apikey', 'list', '--org', 'demo academy of medicine');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${keyId}  \\S+  Nightly LMS sync  \\(expires \\d{4}-\\d\\d-\\d\\d\\)$`, 'm'));
    // A second key of its name could not be told from it where uploads and the audit log name it: refused, and no key made.
    const namesake = cmehub('apikey', 'create', '--org', '1234567', '--name', 'nightly lms sync');
    expect(namesake.status).toBe(2);
    expect(namesake.stdout).toBe('');
    expect(namesake.stderr).toMatch(/^This organization has a key named "nightly lms sync" already \(key identifier \S+\): choose another name, or revoke that key first\./);
    const revoked = cmehub('apikey', 'revoke', '--org', providerId, '--id', keyId);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(cmehub('apikey', 'list', '--org', '1234567').stdout).toMatch(new RegExp(`^${keyId}  \\S+  Nightly LMS sync  \\(revoked\\)$`, 'm'));
    // Its prefix given for its id: what the id is, and where it is.
    const byPrefix = cmehub('apikey', 'revoke', '--org', '1234567', '--id', 'cmh_2HP5');
    expect(byPrefix.status).toBe(2);
    expect(byPrefix.stderr.trim()).toBe('"cmh_2HP5" is not an API key\'s id: cmehub apikey list prints it, first on each line.');
    // The change is in the audit log, made at the command line.
    await commandLineHub.withHub(async (hub) => {
      const actions = await hub.db.selectFrom('audit_log').select(['action', 'actor_label']).where('entity_id', '=', keyId).orderBy('occurred_at').execute();
      expect(actions).toEqual([
        { action: 'api_key.create', actor_label: 'cli' },
        { action: 'api_key.revoke', actor_label: 'cli' },
      ]);
    });
  });

  it("creates and lists an organization's accounts, the board named by its code, the password kept off the command line", async () => {
    const passwordFile = path.join(commandLineHub.dataDir, 'password.txt');
    fs.writeFileSync(passwordFile, ' a long passphrase, spaces and all \n');
    const created = cmehub('user', 'create', '--org', 'abim', '--email', 'reviewer@demo-abim.org', '--password-file', passwordFile, '--role', 'board_staff', '--name', 'Rae Viewer');
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^Created board_staff reviewer@demo-abim\.org \([0-9a-f-]{36}\)\.\n$/);
    const listed = cmehub('user', 'list', '--org', 'ABIM');
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^[0-9a-f-]{36}  board_staff +reviewer@demo-abim\.org$/m);
    // The account signs in with the file's password, as it was written.
    await commandLineHub.withHub(async (hub) => {
      const app = await buildApp(hub);
      try {
        const signIn = (password: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'reviewer@demo-abim.org', password } });
        expect((await signIn(' a long passphrase, spaces and all ')).statusCode).toBe(200);
        expect((await signIn('a long passphrase, spaces and all')).statusCode).toBe(401);
      } finally {
        await app.close();
      }
    });
    // Without one, or an empty file: what to give.
    const none = cmehub('user', 'create', '--org', 'abim', '--email', 'second@demo-abim.org', '--role', 'board_staff');
    expect(none.status).toBe(2);
    expect(none.stderr.trim()).toBe("The account needs a password: --password-file names a file holding it (at least 12 characters), which keeps it out of the shell's history.");
    fs.writeFileSync(passwordFile, '\n');
    const empty = cmehub('user', 'create', '--org', 'abim', '--email', 'second@demo-abim.org', '--password-file', passwordFile, '--role', 'board_staff');
    expect(empty.stderr.trim()).toBe(`The password file ${passwordFile} is empty: write the account's password in it.`);
  });

  it('says what --org takes when it names no organization, and lists those it names when several', async () => {
    const none = cmehub('apikey', 'list', '--org', 'Demo Acadamy');
    expect(none.status).toBe(2);
    expect(none.stderr.trim()).toBe(
      'No organization is named "Demo Acadamy". Give --org its id (on the organization\'s page of the web app), a provider\'s 7-digit provider ID, a certifying board\'s code (ABIM) or the organization\'s name as the hub has it.',
    );
    await commandLineHub.withHub(async (hub) => {
      await hub.db.insertInto('organizations').values({ kind: 'provider', name: 'Demo Academy of Medicine', provider_id: '7654321' }).execute();
    });
    const several = cmehub('apikey', 'list', '--org', 'Demo Academy of Medicine');
    expect(several.status).toBe(2);
    expect(several.stderr).toMatch(/^Several organizations are named "Demo Academy of Medicine"; give --org the id of the one you mean:\n {2}[0-9a-f-]{36} {2}Demo Academy of Medicine \(provider\)\n {2}[0-9a-f-]{36} {2}Demo Academy of Medicine \(provider\)\n$/);
  });

  it('says its version, and a port another program has as the setting to change, not as an unexpected error', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(cmehub('--version').stdout.trim()).toBe(version);
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const refused = runCmehub({ ...commandLineHub.env, PORT: String(port), HOST: '127.0.0.1' }, 'serve');
      expect(refused.status).toBe(2);
      expect(refused.stderr.trim()).toBe(`Port ${port} is in use by another program (another hub, perhaps): stop it, or start the hub on another port, such as PORT=${port + 1} npm start.`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
