// What autovacuum does on PostgreSQL, done on PGlite, which has none: the space of dead rows reused, the planner's
// statistics of every table kept fresh.
import { periodicWorker } from '../../background-work.ts';
import { vacuumTablesWithDeadRows } from '../../db/dead-rows.ts';
import { analyzeGrownTables } from '../../db/planner-statistics.ts';

const everyMs = 10 * 60 * 1000;

/**
 * On PGlite, every ten minutes: vacuums the tables with many dead rows (pending reports matched again, reports
 * corrected or deleted, uploads withdrawn), then analyzes those that have doubled since last analyzed (reports sent by
 * the API, a roster and the audit log grow too, and an upload refreshes only the tables it grows). At start it only
 * analyzes: a vacuum holds the database while it runs, which a hub just started has better uses for.
 */
export const tableUpkeep = periodicWorker({
  name: 'table upkeep',
  onlyOn: 'pglite',
  log: 'database',
  everyMs,
  failed: 'the tables could not be vacuumed or analyzed; trying again in ten minutes',
  start: (hub) => async (first) => {
    if (!first) await vacuumTablesWithDeadRows(hub.database.backgroundDb);
    await analyzeGrownTables(hub.database.backgroundDb);
  },
});
