import type { Hub } from './hub.ts';
import { rosterLoadsCutOff } from './modules/registry/roster-loads-cut-off.ts';
import { runningRosterLoads } from './modules/registry/running-loads.ts';
import { plannerStatistics } from './modules/system/planner-statistics.ts';
import { uploadFileRetention } from './modules/uploads/upload-file-retention.ts';
import { uploadWorker } from './modules/uploads/upload-worker.ts';

/** A background task that runs while the server runs; `stop` lets it finish its current step. */
export type BackgroundWorker = { name: string; start(hub: Hub): { stop(): Promise<void> } };

/** Every background worker the server starts. Add one here, one line. */
export const backgroundWorkers: BackgroundWorker[] = [uploadWorker, uploadFileRetention, rosterLoadsCutOff, runningRosterLoads, plannerStatistics];
