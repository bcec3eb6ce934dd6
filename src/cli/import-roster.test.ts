import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareCommandLineHub } from '../../test/command-line-hub.ts';
import type { CommandLineHub } from '../../test/command-line-hub.ts';
import { runCmehub, startCmehub } from '../../test/hub-process.ts';
import { loadDemoData } from '../modules/demo/demo.ts';

const header = 'License number,License type,Status,First name,Middle name,Last name,Birth month,Birth day,NPI,Issue date,Expiry date';

function roster(prefix: string, rows: number): string {
  const lines = [header];
  for (let i = 0; i < rows; i++) lines.push(`${prefix}${100000 + i},MD,Active,Roster,,Row${i},${(i % 12) + 1},${(i % 28) + 1},,,`);
  return `${lines.join('\r\n')}\r\n`;
}

/** How far a process has read a file, from the offset of the file's descriptor in /proc (Linux); 0 before it opens it. */
function readOffset(pid: number, file: string): number {
  const fds = `/proc/${pid}/fd`;
  for (const fd of fs.readdirSync(fds)) {
    try {
      if (fs.readlinkSync(path.join(fds, fd), { encoding: 'utf8' }) !== file) continue;
      return Number(/^pos:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1] ?? 0);
    } catch {
      // A descriptor the process closed meanwhile.
    }
  }
  return 0;
}

describe('cmehub import FILE --roster --org <id>', { timeout: 300_000 }, () => {
  let commandLineHub: CommandLineHub;
  let boardId: string;

  beforeAll(async () => {
    commandLineHub = await prepareCommandLineHub('cli-roster');
    await commandLineHub.withHub(async (hub) => {
      await loadDemoData(hub);
      boardId = (await hub.db.selectFrom('organizations').select('id').where('kind', '=', 'licensing_board').where('jurisdiction', '=', 'CA').executeTakeFirstOrThrow()).id;
    });
  }, 120_000);

  afterAll(() => commandLineHub.remove());

  const loadOf = async (fileName: string) => {
    let load: { status: string; rows_read: number; failure: string | null } | undefined;
    await commandLineHub.withHub(async (hub) => {
      load = await hub.db.selectFrom('roster_loads').select(['status', 'rows_read', 'failure']).where('file_name', '=', fileName).executeTakeFirst();
    });
    return load;
  };

  it('loads a roster and says what became of its rows, and which of its columns were not read', async () => {
    const file = path.join(commandLineHub.dataDir, 'california.csv');
    // The board's own export, with a column the hub has no use for.
    fs.writeFileSync(file, roster('CLR', 3).replace(/\r\n/g, ',x\r\n').replace(`${header},x`, `${header},Board notes`));
    const loaded = runCmehub(commandLineHub.env, 'import', file, '--roster', '--org', boardId);
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/Read 3 rows: 3 created, 0 updated, 0 unchanged, 0 rejected\.\nLoad [0-9a-f-]{36}\nNote: These columns are not used and their values are ignored: "Board notes"\.\n$/);
    expect(await loadOf('california.csv')).toMatchObject({ status: 'completed', rows_read: 3 });
    // The board named as people name it; misspelt, what --org takes.
    const byName = runCmehub(commandLineHub.env, 'import', file, '--roster', '--org', 'medical board of california');
    expect(byName.status, byName.stderr).toBe(0);
    expect(byName.stdout).toContain('Read 3 rows: 0 created, 0 updated, 3 unchanged, 0 rejected.');
    const misspelt = runCmehub(commandLineHub.env, 'import', file, '--roster', '--org', 'Medical Board of Kalifornia');
    expect(misspelt.status).toBe(2);
    expect(misspelt.stderr.trim()).toMatch(/^No organization is named "Medical Board of Kalifornia"\. Give --org its id/);

    // Told by its bytes, as a roster sent to the hub is: compressed, whatever its name.
    const compressed = path.join(commandLineHub.dataDir, 'california-compressed.csv');
    fs.writeFileSync(compressed, gzipSync(roster('CLZ', 3)));
    const refused = runCmehub(commandLineHub.env, 'import', compressed, '--roster', '--org', boardId);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toBe('The file is compressed (gzip, .gz), and the hub reads files only uncompressed. Extract it with your archive program and send the file inside.');
    expect(await loadOf('california-compressed.csv')).toBeUndefined();

    // A header without a column the rows need: each problem on a line of its own, in the board's words, not the hub's field names.
    const lacking = path.join(commandLineHub.dataDir, 'california-lacking.csv');
    fs.writeFileSync(lacking, 'License number,First name,Town\r\nCLL1,Ann,Fresno\r\n');
    const refusedHeader = runCmehub(commandLineHub.env, 'import', lacking, '--roster', '--org', boardId);
    expect(refusedHeader.status).toBe(2);
    expect(refusedHeader.stderr).toContain("The file's header row (row 1) lacks columns every row needs.");
    expect(refusedHeader.stderr).toMatch(/\n {2}\S[^\n]*"Last name"/);
    expect(refusedHeader.stderr).not.toMatch(/\n {2}[a-z]+[A-Z]\w*: /);
  });

  it("says in its help that --org names the board by its id, its code or its name, as a provider ID names no board", () => {
    const said = (...args: string[]) => runCmehub(commandLineHub.env, ...args, '--help').stdout.replace(/\s+/g, ' ');
    expect(said('import')).toContain("--org <organization> the board whose roster this is: its id, a certifying board's code such as ABIM, or its name --full");
    expect(said('roster', 'make-absent-inactive')).toContain("--org <organization> the board whose roster it is: its id, a certifying board's code such as ABIM, or its name");
  });

  it('asks how a roster writes its dates when they show it day first, and loads it so with --dates day-first', async () => {
    const file = path.join(commandLineHub.dataDir, 'day-first.csv');
    fs.writeFileSync(file, `${header}\r\nCLD100,MD,Active,Dana,,First,4,5,,03/02/2019,05/11/2027\r\nCLD101,MD,Active,Dino,,First,6,7,,25/12/2018,30/11/2027\r\n`);
    const refused = runCmehub(commandLineHub.env, 'import', file, '--roster', '--org', boardId);
    // Refused: the command was called without what the file needs, as any refusal (exit status 2).
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('Row 3 has "25/12/2018" as its Issue date, which can only be read day first (DD/MM/YYYY)');
    expect(refused.stderr).toContain('--dates day-first on the command line');
    expect(await loadOf('day-first.csv')).toBeUndefined();

    const loaded = runCmehub(commandLineHub.env, 'import', file, '--roster', '--org', boardId, '--dates', 'day-first');
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/^Read 2 rows: 2 created, 0 updated, 0 unchanged, 0 rejected\./);
    await commandLineHub.withHub(async (hub) => {
      const dates = await hub.db.selectFrom('licenses').select(['issued_on', 'expires_on']).where('number_key', '=', 'CLD100').executeTakeFirstOrThrow();
      expect([String(dates.issued_on).slice(0, 10), String(dates.expires_on).slice(0, 10)]).toEqual(['2019-02-03', '2027-11-05']);
    });
  });

  it('says what a load that stopped part way noted of its file, beside why it stopped', async () => {
    const file = path.join(commandLineHub.dataDir, 'quote-left-open.csv');
    const lines = roster('CLQ', 300).replace(/\r\n/g, ',x\r\n').replace(`${header},x`, `${header},Board notes`).split('\r\n');
    // Its first row's issue date can only be read month first; row 250 goes on for more than a megabyte.
    lines[1] = lines[1].replace(',,,x', ',12/25/2018,,x');
    lines[249] = lines[249].replace(/,x$/, `,${'x'.repeat(1_100_000)}`);
    fs.writeFileSync(file, lines.join('\r\n'));
    const failed = runCmehub(commandLineHub.env, 'import', file, '--roster', '--org', boardId);
    expect(failed.stderr).toContain('Row 250 goes on for more than 1 MB without ending');
    expect(failed.stderr).toMatch(
      /\nThe 248 rows before it are loaded and kept \(248 created, 0 updated, 0 unchanged, 0 rejected\)\. Once the file is corrected, run the same command again: the rows already loaded come back unchanged\.\nLoad [0-9a-f-]{36}\nNote: These columns are not used and their values are ignored: "Board notes"\.\n/,
    );
    expect(failed.status).toBe(2);
    expect(await loadOf('quote-left-open.csv')).toMatchObject({ status: 'failed' });
  });

  it('says a full roster leaving out many licenses left them as they were, and how to make them inactive', async () => {
    const all = path.join(commandLineHub.dataDir, 'all-licensees.csv');
    fs.writeFileSync(all, roster('CLF', 40));
    expect(runCmehub(commandLineHub.env, 'import', all, '--roster', '--org', boardId).status).toBe(0);
    const cut = path.join(commandLineHub.dataDir, 'cut-short.csv');
    fs.writeFileSync(cut, roster('CLF', 5));
    const loaded = runCmehub(commandLineHub.env, 'import', cut, '--roster', '--org', boardId, '--full');
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(
      new RegExp(
        `Read 5 rows: 0 created, 0 updated, 5 unchanged, 0 rejected; \\d+ licenses absent from the full roster were left as they were: more than a tenth of the board's practising licenses, ` +
          `.* make them inactive: cmehub roster make-absent-inactive [0-9a-f-]{36} --org ${boardId} \\(or on the board's Roster page, or with POST /api/v1/boards/${boardId}/roster/loads/[0-9a-f-]{36}/absent-inactive\\)\\.\\nLoad `,
      ),
    );
    const [held, loadId] = /(\d+) licenses absent from the full roster were left as they were.*\nLoad ([0-9a-f-]{36})/s.exec(loaded.stdout)!.slice(1);
    const confirmed = runCmehub(commandLineHub.env, 'roster', 'make-absent-inactive', loadId, '--org', boardId);
    expect(confirmed.status, confirmed.stderr).toBe(0);
    expect(confirmed.stdout.trim()).toBe(`${held} licenses not in cut-short.csv are now inactive.`);
    // Done once: asked again, there is nothing left held.
    const again = runCmehub(commandLineHub.env, 'roster', 'make-absent-inactive', loadId, '--org', boardId);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('This load has no licenses left as they were to make inactive');
    // A load's id cut short as it was copied: said before the database is asked.
    const cutShort = runCmehub(commandLineHub.env, 'roster', 'make-absent-inactive', loadId.slice(0, 8), '--org', boardId);
    expect(cutShort.status).toBe(2);
    expect(cutShort.stderr.trim()).toBe(`"${loadId.slice(0, 8)}" is not a roster load's id: cmehub import --roster prints it, after "Load".`);
  });

  it('stops a load at Ctrl-C, saying how far it got, and ends it then, with what it loaded kept', async () => {
    // PostgreSQL applies a roster 50,000 rows at a time, the embedded database 500.
    const [rows, readBeforeInterrupting, chunk] = process.env.TEST_DATABASE_URL ? [250_000, 6_000_000, 50_000] : [150_000, 1_000_000, 500];
    const file = path.join(commandLineHub.dataDir, 'interrupted-roster.csv');
    fs.writeFileSync(file, roster('CLI', rows));
    const command = startCmehub(commandLineHub.env, 'import', file, '--roster', '--org', boardId);
    let stderr = '';
    command.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const ended = new Promise<number | null>((resolve) => command.once('exit', (code) => resolve(code)));
    // Interrupted once it has read well into the file: some of it loaded, more of it not.
    while (command.exitCode === null && readOffset(command.pid!, file) < readBeforeInterrupting) await new Promise((resolve) => setTimeout(resolve, 20));
    command.kill('SIGINT');
    expect(await ended, stderr).toBe(130);
    const said = /^Interrupted: the load stopped after ([\d,]+) rows, which are loaded and kept; nothing after them was\. Run the same command again: the rows already loaded come back unchanged\.$/.exec(stderr.trim());
    expect(said, stderr).not.toBeNull();
    const load = await loadOf('interrupted-roster.csv');
    expect(load).toMatchObject({
      status: 'failed',
      rows_read: Number(said![1].replaceAll(',', '')),
      failure: expect.stringMatching(/^The load was interrupted on the command line: the rows loaded before are kept/),
    });
    expect(load!.rows_read).toBeGreaterThan(0);
    expect(load!.rows_read).toBeLessThan(rows);
    // At once: after the chunks applied, without loading the rows read since.
    expect(load!.rows_read % chunk).toBe(0);
  });
});
