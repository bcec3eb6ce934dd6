import type { Database } from './db/database.ts';
import type { Hub } from './hub.ts';
import { rosterLoadsCutOff } from './modules/registry/roster-loads-cut-off.ts';
import { runningRosterLoads } from './modules/registry/running-loads.ts';
import { tableUpkeep } from './modules/system/table-upkeep.ts';
import { uploadFileRetention } from './modules/uploads/upload-file-retention.ts';
import { uploadWorker } from './modules/uploads/upload-worker.ts';

/**
 * A background task that runs while the server runs; `stop` lets it finish its current step. `onlyOn`: the one
 * database it has work on (PGlite, for what PostgreSQL's own background processes do there).
 */
export type BackgroundWorker = { name: string; onlyOn?: Database['kind']; start(hub: Hub): { stop(): Promise<void> } };

/** Every background worker the server starts. Add one here, one line. */
export const backgroundWorkers: BackgroundWorker[] = [uploadWorker, uploadFileRetention, rosterLoadsCutOff, runningRosterLoads, tableUpkeep];

/** The workers with work on the hub's database. */
export const workersFor = (hub: Hub) => backgroundWorkers.filter((worker) => !worker.onlyOn || worker.onlyOn === hub.database.kind);
