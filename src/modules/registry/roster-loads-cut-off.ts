import { periodicWorker } from '../../background-work.ts';
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
export const rosterLoadsCutOff = periodicWorker({
  name: 'roster loads cut off',
  log: 'roster loads',
  everyMs: lookEveryMs,
  failed: 'roster loads cut off could not be ended; looking again in five minutes',
  start(hub) {
    const registry = createRegistryService({ database: hub.database });
    return (first) => registry.endCutOffLoads(first && hub.database.kind === 'pglite' ? 0 : cutOffAfterSeconds);
  },
});
