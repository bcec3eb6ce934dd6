import type { BackgroundWorker } from '../../workers.ts';

/** A roster load running in this process: `stop` asks it to stop at its next row, and `ended` settles once it has. */
type RunningLoad = { stop(): void; ended: Promise<unknown> };

const running = new Set<RunningLoad>();

/** Counts a load as running here until `ended` settles. */
export function trackRunningLoad(load: RunningLoad): void {
  running.add(load);
  void load.ended.finally(() => running.delete(load)).catch(() => undefined);
}

/**
 * Roster loads stopped with their server: each stops reading, its chunk being applied commits, and it is marked as
 * stopped by its server, to be resumed at once by the next server to look, rather than cut off mid-statement
 * when the database closes.
 */
export const runningRosterLoads: BackgroundWorker = {
  name: 'roster loads',
  start() {
    return {
      async stop() {
        const loads = [...running];
        for (const load of loads) load.stop();
        await Promise.allSettled(loads.map((load) => load.ended));
      },
    };
  },
};
