import { periodicWorker } from '../../background-work.ts';
import { createRegistryService, serverSeenEveryMs } from './registry.service.ts';

/**
 * A load on PostgreSQL whose server has not said for this long that it is running it has lost its server (another
 * server, or a `cmehub import --roster`, may be running one now): six times the server's word missed.
 */
export const cutOffAfterSeconds = (6 * serverSeenEveryMs) / 1000;
const lookEveryMs = 30_000;

/**
 * Takes up the roster and NPI loads cut off by their server stopping, which would otherwise be shown running for
 * ever: resumes a board's load from the file this server kept, ends the others. When the server starts, then every
 * half minute. On PGlite the server alone holds the database, so every load still running when it starts was cut off.
 */
export const rosterLoadsCutOff = periodicWorker({
  name: 'roster loads cut off',
  log: 'roster loads',
  everyMs: lookEveryMs,
  failed: 'roster loads cut off could not be taken up; looking again in half a minute',
  start(hub) {
    const registry = createRegistryService({ database: hub.database });
    return (first) => registry.takeUpCutOffLoads(first && hub.database.kind === 'pglite' ? 0 : cutOffAfterSeconds);
  },
});
