/** A small seeded generator (mulberry32): the same seed gives the same data set on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes an index into a seed, so that person i can be generated alone, in any order. */
export function randomFor(seed: number, index: number): () => number {
  return seededRandom(Math.imul(index ^ 0x9e3779b9, 0x85ebca6b) ^ seed);
}

/** Picks from weighted choices by binary search over cumulative weights. */
export function weightedPicker<T>(items: readonly T[], weights: readonly number[]): (random: () => number) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const weight of weights) {
    total += weight;
    cumulative.push(total);
  }
  return (random) => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return items[low];
  };
}

/** Zipf-like weights: the first names on a list are far more common than the last ones. */
export function zipfWeights(count: number, flatten: number): number[] {
  return Array.from({ length: count }, (_, rank) => 1 / (rank + flatten));
}
