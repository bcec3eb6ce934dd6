// The planner's statistics of every table kept fresh on PGlite, which has no autovacuum to do it.
import { periodicWorker } from '../../background-work.ts';
import { analyzeGrownTables } from '../../db/planner-statistics.ts';

const everyMs = 10 * 60 * 1000;

/**
 * On PGlite, analyzes the tables that have doubled since last analyzed, at start and every ten minutes: reports
 * sent by the API, a roster, the audit log grow too, and an upload refreshes only the tables it grows. PostgreSQL's
 * autovacuum does this there, so it runs on PGlite only.
 */
export const plannerStatistics = periodicWorker({
  name: 'planner statistics',
  onlyOn: 'pglite',
  log: 'database',
  everyMs,
  failed: 'the planner statistics could not be refreshed; trying again in ten minutes',
  start: (hub) => () => analyzeGrownTables(hub.database.backgroundDb),
});
