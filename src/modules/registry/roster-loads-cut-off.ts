import { setTimeout as sleep } from 'node:timers/promises';
import type { Hub } from '../../hub.ts';
import { workerLog } from '../../worker-log.ts';
import type { BackgroundWorker } from '../../workers.ts';
import { createRegistryService } from './registry.service.ts';

/**
 * A load on PostgreSQL that has applied nothing for this long has lost its server (another server, or a
 * `cmehub import --roster`, may be running one now): a chunk is applied in seconds.
 */
export const cutOffAfterSeconds = 10 * 60;
const lookEveryMs = 5 * 60 * 1000;

/**
 * Ends the roster and NPI loads cut off by their server stopping, which would otherwise be shown running for
 * ever: when the server starts, then every few minutes. On PGlite the server alone holds the database, so every
 * load still running when it starts was cut off.
 */
export const rosterLoadsCutOff: BackgroundWorker = {
  name: 'roster loads cut off',
  start(hub: Hub) {
    const log = workerLog(hub.config, 'roster loads');
    const registry = createRegistryService({ database: hub.database });
    const stopping = new AbortController();
    const loop = (async () => {
      for (let idleSeconds = hub.database.kind === 'pglite' ? 0 : cutOffAfterSeconds; !stopping.signal.aborted; idleSeconds = cutOffAfterSeconds) {
        try {
          await registry.endCutOffLoads(idleSeconds);
        } catch (error) {
          log.error({ err: error }, 'roster loads cut off could not be ended; looking again in five minutes');
        }
        await sleep(lookEveryMs, undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    })();
    return {
      async stop() {
        stopping.abort();
        await loop;
      },
    };
  },
};
