import { sql } from 'kysely';
import type { Executor } from './database.ts';

/** `work` in a savepoint of the caller's transaction: what it wrote is undone if it throws, and the transaction goes on. */
export async function inSavepoint<T>(trx: Executor, work: () => Promise<T>): Promise<T> {
  await sql`savepoint work`.execute(trx);
  try {
    const result = await work();
    await sql`release savepoint work`.execute(trx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint work`.execute(trx);
    await sql`release savepoint work`.execute(trx);
    throw error;
  }
}
