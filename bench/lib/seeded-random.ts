/**
 * A small seeded PRNG (mulberry32) so bootstrap figures are the same on every run: a benchmark whose
 * ± changes between two runs of the same predictions would hide real changes in the noise.
 */
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

/** An integer in [0, n) from a generator returned by `seededRandom`. */
export function randomIndex(random: () => number, n: number): number {
  return Math.floor(random() * n);
}
