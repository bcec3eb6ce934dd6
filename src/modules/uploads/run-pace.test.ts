import { describe, expect, it } from 'vitest';
import { advancePace, secondsLeftAt } from './run-pace.ts';
import type { PacePoint, RunPace } from './run-pace.ts';

/** The pace after chunks ending at these points, one after the other. */
function paceAfter(points: PacePoint[]): RunPace {
  let pace: RunPace | null = null;
  for (const point of points) pace = advancePace(pace, point);
  return pace!;
}

describe('the time left of an upload', () => {
  it('says nothing until the pace has been measured for a few seconds', () => {
    const pace = paceAfter([{ at: 0, bytes: 100 }, { at: 2000, bytes: 300 }]);
    expect(secondsLeftAt(pace.from, { at: 2000, bytes: 300 }, 1000, 2000)).toBeNull();
  });

  it('takes the pace from the first chunk on, so that opening the file is not taken for the pace of its rows', () => {
    // A workbook: 40% of its bytes (the shared strings) come with the first chunk.
    const pace = paceAfter([{ at: 1000, bytes: 400 }, { at: 6000, bytes: 500 }]);
    // 100 bytes in 5 s: the 500 left take 25 s, 1 s of which has gone since the last chunk.
    expect(secondsLeftAt(pace.from, { at: 6000, bytes: 500 }, 1000, 7000)).toBe(24);
  });

  it('follows the last 30 to 60 s of a long run, as its pace changes', () => {
    // 10 bytes a second for two minutes, then 20 a second.
    const points: PacePoint[] = [];
    for (let second = 0; second <= 120; second += 5) points.push({ at: second * 1000, bytes: second * 10 });
    for (let second = 125; second <= 200; second += 5) points.push({ at: second * 1000, bytes: 1200 + (second - 120) * 20 });
    const last = points[points.length - 1];
    const pace = paceAfter(points);
    expect(last.at - pace.from.at).toBeGreaterThanOrEqual(30_000);
    expect(last.at - pace.from.at).toBeLessThan(60_000);
    // 2,800 of 10,000 bytes done at 200 s: 7,200 left at the new pace of 20 a second (at the pace of the
    // whole run, 14 a second, it would say 514 s).
    expect(last.bytes).toBe(2800);
    expect(secondsLeftAt(pace.from, last, 10_000, last.at)).toBe(360);
  });
});
