/** A point of an upload's run: when (milliseconds since the epoch) and how far into the file (bytes). */
export type PacePoint = { at: number; bytes: number };

/**
 * Where a run's pace is measured from: `from`, and `next`, which takes its place once it is `paceWindowMs`
 * old. The pace then follows the last 30 to 60 s of the run rather than all of it: an import's pace changes
 * as it goes (a million-row CSV import on PostgreSQL, paced from its start, said 185 s were left where 134
 * were, as the registry's pages came into the caches).
 */
export type RunPace = { from: PacePoint; next: PacePoint };

const paceWindowMs = 30_000;

/** A pace measured over less than this is not told: the first chunks of a run vary the most. */
const paceMinMs = 3000;

/**
 * The pace after a chunk ending at `point`. The run's first chunk starts it, so that the time spent opening
 * the file (a workbook's shared strings, read before its first row) is not taken for the pace of its rows.
 */
export function advancePace(pace: RunPace | null, point: PacePoint): RunPace {
  if (!pace) return { from: point, next: point };
  return point.at - pace.next.at >= paceWindowMs ? { from: pace.next, next: point } : pace;
}

/**
 * About how many seconds are left of a run: the rest of the file at the pace from `from` to `last` (its last
 * chunk), less the time since `last`; null until the pace has been measured long enough to mean something.
 */
export function secondsLeftAt(from: PacePoint, last: PacePoint, fileBytes: number, now: number): number | null {
  const pacedMs = last.at - from.at;
  const pacedBytes = last.bytes - from.bytes;
  if (pacedMs < paceMinMs || pacedBytes <= 0) return null;
  const leftMs = ((fileBytes - last.bytes) * pacedMs) / pacedBytes - (now - last.at);
  return Math.max(1, Math.ceil(leftMs / 1000));
}
