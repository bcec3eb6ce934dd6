import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { timeOrderedId } from './time-ordered-id.ts';

describe('timeOrderedId', () => {
  it('makes distinct version-7 UUIDs that sort in the order they were made, millisecond by millisecond', async () => {
    const ids: string[] = [];
    for (let round = 0; round < 5; round += 1) {
      // More ids than the random pool holds, so that refilling it is crossed too.
      for (let i = 0; i < 300; i += 1) ids.push(timeOrderedId());
      await sleep(2);
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const firstOfEachRound = [0, 300, 600, 900, 1200].map((index) => ids[index]);
    expect([...firstOfEachRound].sort()).toEqual(firstOfEachRound);
  });
});
