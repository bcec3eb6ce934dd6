import { loadConfig } from '../config.ts';
import { openHub } from '../bootstrap.ts';
import type { Hub } from '../hub.ts';

/** Runs a command body against the configured database and closes it afterwards. */
export async function withHub<T>(work: (hub: Hub) => Promise<T>): Promise<T> {
  const hub = await openHub({ ...loadConfig(), logLevel: 'silent' });
  try {
    return await work(hub);
  } finally {
    await hub.database.close();
  }
}
