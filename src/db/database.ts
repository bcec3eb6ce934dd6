import { setImmediate as nextTurn } from 'node:timers/promises';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import type { Transaction } from 'kysely';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { lockDataDir, noteHubAddress } from './data-dir-lock.ts';
import type { DB } from './schema.ts';
import { preparedStatementName } from './prepared-statements.ts';
import { Mutex, SerializedPGliteDialect } from './serialized-pglite-dialect.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

/** Where the data lives: the embedded PGlite (a directory, or memory) or a PostgreSQL server. */
export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | null; /** A dumped data directory to start from (tests). */ loadDataDir?: Blob }
  | { kind: 'postgres'; url: string };

export type Database = {
  db: Kysely<DB>;
  /**
   * The same database for long work in the background (uploads being imported). On PGlite, where each
   * handle queues its statements for the one session, a request then waits for the import's statement
   * or transaction in progress, not also for those the import has queued behind it; and the work lets
   * requests in before each of its statements. On PostgreSQL, `db`.
   */
  backgroundDb: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** The PostgreSQL server's connection string, for work that opens its own connections (a worker thread); null on PGlite. */
  url: string | null;
  /**
   * Bulk-loads rows into a table with COPY, outside any open transaction. Values are written as
   * CSV text; `null` becomes SQL NULL.
   */
  copyRows(table: string, columns: string[], rows: Iterable<(string | number | null)[]>): Promise<number>;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (to clone a migrated database in tests). */
  dumpDataDir?: () => Promise<Blob>;
  /** PGlite only: where the hub serving this data directory answers, for a command the directory's lock refuses. */
  servedAt?: (address: string) => void;
};

// Dates stay 'YYYY-MM-DD' strings (a completion date has no time zone); counts and numerics are numbers.
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const keepText = (value: string) => value;

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  return target.kind === 'postgres' ? openPostgres(target.url) : openPGlite(target.dataDir, target.loadDataDir);
}

async function openPGlite(dataDir: string | null, loadDataDir?: Blob): Promise<Database> {
  if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  const pglite = await PGlite.create({
    dataDir: dataDir ?? undefined,
    loadDataDir,
    // PGlite's buffer cache lives in the hub's own memory: 32 MB instead of PostgreSQL's 128 MB took a
    // 300,000-row workbook import from 439 to 343 MiB at its peak, for about a tenth of its speed.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'],
    parsers: { [DATE_OID]: keepText, [INT8_OID]: Number, [NUMERIC_OID]: Number },
  }).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const mutex = new Mutex();
  const db = new Kysely<DB>({ dialect: new SerializedPGliteDialect({ pglite }, { mutex }) });
  const backgroundDb = new Kysely<DB>({ dialect: new SerializedPGliteDialect({ pglite }, { mutex, givesWay: true }) });
  return {
    db,
    backgroundDb,
    kind: 'pglite',
    url: null,
    dumpDataDir: () => mutex.run(() => pglite.dumpDataDir('none')),
    servedAt: (address) => {
      if (dataDir) noteHubAddress(dataDir, address);
    },
    async copyRows(table, columns, rows) {
      const csv = toCsv(rows);
      if (csv.count === 0) return 0;
      // Loads copy rows in the background: requests come in first, as `backgroundDb` lets them.
      await nextTurn();
      await mutex.run(() =>
        pglite.query(`COPY ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
          blob: new Blob([csv.text]),
        }),
      );
      return csv.count;
    },
    async close() {
      try {
        await backgroundDb.destroy();
        await db.destroy();
      } finally {
        unlock();
      }
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === DATE_OID) return keepText;
      if (oid === INT8_OID || oid === NUMERIC_OID) return Number;
      return pg.types.getTypeParser(oid, format);
    }) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types, Client: PreparingClient });
  // An idle connection the server closes (restart, dropped database) is replaced on next use, not fatal.
  pool.on('error', () => {});
  // JIT compilation of the hub's larger plans (identity matching) costs seconds, far more than running them.
  pool.on('connect', (client) => {
    client.query('set jit = off').catch(() => undefined);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backgroundDb: db,
    kind: 'postgres',
    url,
    async copyRows(table, columns, rows) {
      const csv = toCsv(rows);
      if (csv.count === 0) return 0;
      const client = await pool.connect();
      try {
        const sql = `COPY ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
        const stream = client.query(copyStreams.from(sql));
        await new Promise<void>((resolve, reject) => {
          stream.on('finish', resolve);
          stream.on('error', reject);
          stream.end(csv.text);
        });
      } finally {
        client.release();
      }
      return csv.count;
    },
    async close() {
      await db.destroy();
    },
  };
}

/** A connection that sends the hub's hot statements as named (prepared) statements. */
class PreparingClient extends pg.Client {
  // Kysely calls query(text, values); any other call goes through as it came.
  override query(...args: any[]): any {
    const [text, values] = args;
    const name = typeof text === 'string' ? preparedStatementName(text) : undefined;
    if (name) return super.query({ name, text, values });
    return (super.query as (...callArgs: unknown[]) => unknown)(...args);
  }
}

function quoteIdentifier(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');
}

function toCsv(rows: Iterable<(string | number | null)[]>): { text: string; count: number } {
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(row.map(csvField).join(','));
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', count: lines.length };
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return `"${text.replaceAll('"', '""')}"`;
}
