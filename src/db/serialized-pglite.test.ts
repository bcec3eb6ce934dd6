import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../test/helpers.ts';
import type { DB } from './schema.ts';

describe('one database, many concurrent requests', () => {
  const database = useTestDatabase();

  const countProviders = async (name: string) =>
    Number(
      (
        await database().db
          .selectFrom('organizations')
          .select((eb) => eb.fn.countAll().as('count'))
          .where('name', '=', name)
          .executeTakeFirstOrThrow()
      ).count,
    );

  it('keeps a failing transaction invisible to, and separate from, a concurrent request', async () => {
    let insideTransaction!: () => void;
    const transactionHasWritten = new Promise<void>((resolve) => {
      insideTransaction = resolve;
    });
    let finishTransaction!: () => void;
    const mayFinish = new Promise<void>((resolve) => {
      finishTransaction = resolve;
    });

    const failing = database().db.transaction().execute(async (trx) => {
      await trx
        .insertInto('organizations')
        .values({ kind: 'provider', name: 'Doomed Provider', provider_id: '7000001' })
        .execute();
      insideTransaction();
      await mayFinish;
      throw new Error('the request fails after writing');
    });

    await transactionHasWritten;
    // A concurrent request: reads, then writes on its own.
    const concurrent = (async () => {
      const seen = await countProviders('Doomed Provider');
      await database().db
        .insertInto('organizations')
        .values({ kind: 'provider', name: 'Concurrent Provider', provider_id: '7000002' })
        .execute();
      return seen;
    })();
    finishTransaction();

    await expect(failing).rejects.toThrow('the request fails after writing');
    expect(await concurrent).toBe(0);
    expect(await countProviders('Doomed Provider')).toBe(0);
    expect(await countProviders('Concurrent Provider')).toBe(1);
  });

  it('loads rows with COPY, keeping empty strings apart from missing values', async () => {
    const copied = await database().copyRows(
      'organizations',
      ['kind', 'name', 'provider_id', 'accreditation_status'],
      [
        ['provider', 'Copy, "Quoted" Provider', '7000003', ''],
        ['provider', 'Second Copy Provider', '7000004', null],
      ],
    );
    expect(copied).toBe(2);
    const rows = await database().db
      .selectFrom('organizations')
      .select(['name', 'accreditation_status'])
      .where('provider_id', 'in', ['7000003', '7000004'])
      .orderBy('provider_id')
      .execute();
    expect(rows).toEqual([
      { name: 'Copy, "Quoted" Provider', accreditation_status: '' },
      { name: 'Second Copy Provider', accreditation_status: null },
    ]);
  });

  // PGlite has one session for all; on PostgreSQL each has its own connection and nothing waits.
  it.runIf(!process.env.TEST_DATABASE_URL)('lets a request waiting for PGlite go before background work queued ahead of it', async () => {
    const order: string[] = [];
    let finishImportChunk!: () => void;
    const importChunkMayFinish = new Promise<void>((resolve) => (finishImportChunk = resolve));
    let chunkStarted!: () => void;
    const chunkHasStarted = new Promise<void>((resolve) => (chunkStarted = resolve));
    const importChunk = database().backgroundDb.transaction().execute(async (trx) => {
      await trx.selectFrom('organizations').select('id').limit(1).execute();
      chunkStarted();
      await importChunkMayFinish;
      order.push('import chunk');
    });
    await chunkHasStarted;
    const statement = (db: Kysely<DB>, name: string) =>
      db
        .selectFrom('organizations')
        .select('id')
        .limit(1)
        .execute()
        .then(() => order.push(name));
    const nextImportStatement = statement(database().backgroundDb, 'next import statement');
    const request = statement(database().db, 'request');
    // Both now wait for the session, the import's statement first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    finishImportChunk();
    await Promise.all([importChunk, nextImportStatement, request]);
    expect(order).toEqual(['import chunk', 'request', 'next import statement']);
  });
});
