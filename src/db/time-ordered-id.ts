import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

// uuid asks the system for 16 random bytes per id; a batch upload makes a million ids, so they come from a pool.
const randomPool = new Uint8Array(16 * 256);
let poolOffset = randomPool.length;

/**
 * A UUIDv7: it starts with the time, so rows keyed by it are added at one end of their indexes rather
 * than all over them, which keeps a large import's index pages few and in memory.
 */
export function timeOrderedId(): string {
  if (poolOffset === randomPool.length) {
    randomFillSync(randomPool);
    poolOffset = 0;
  }
  return v7({ random: randomPool.subarray(poolOffset, (poolOffset += 16)) });
}
