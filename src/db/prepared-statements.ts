import { createHash } from 'node:crypto';
import type { CompiledQuery, QueryExecutorProvider, QueryResult } from 'kysely';
import type { Executor } from './database.ts';

/** Statement text → its server-side name; the text of a statement sent often never changes. */
const namesByText = new Map<string, string>();

/**
 * Runs a statement the hub sends on every request of a hot path (a learner report, an API key) as a
 * prepared statement: on PostgreSQL each connection parses and plans it once, instead of on every
 * call, which for the identity-matching query costs more than running it. The statement's text must
 * not depend on its values (arrays, not `in (...)` lists). PGlite runs it as any other statement.
 */
export async function executePrepared<R>(
  executor: Executor,
  query: { compile(executorProvider: QueryExecutorProvider): CompiledQuery<R> },
): Promise<QueryResult<R>> {
  const compiled = query.compile(executor);
  if (!namesByText.has(compiled.sql)) {
    namesByText.set(compiled.sql, `cmehub_${createHash('sha1').update(compiled.sql).digest('hex').slice(0, 24)}`);
  }
  return executor.executeQuery(compiled);
}

/** The name to prepare a statement under, if it is one of those run with `executePrepared`. */
export function preparedStatementName(text: string): string | undefined {
  return namesByText.get(text);
}
