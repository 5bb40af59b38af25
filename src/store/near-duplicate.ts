/**
 * Near-duplicate detection for story linking. MinHash over word 4-shingles with LSH banding finds
 * candidates through an index (no pairwise scan); the decision is then exact: the containment of
 * the shorter body's shingles in the other's (the store keeps each body's shingle hashes, ~4 bytes
 * a word). Containment, not Jaccard, because a copy adds its own header and footer and may cut a
 * paragraph: Jaccard falls with every word added, containment of the shorter text does not.
 * Only copies on different sites are linked by text: two stories of one site share its boilerplate
 * (footers, disclaimers) and the same story twice on one site is a canonical-URL matter.
 *
 * The threshold is measured by test/store/near-duplicate.test.ts (which keeps a margin of 0.15 on
 * each side) on the 119 different real articles of ../shared/corpus/scrapinghub-dev and on a
 * near-copy of each (a 30-word header and a 35-word footer added, 5 words changed); the same
 * figures are in docs/BENCHMARKS.md:
 *   - highest containment between two different corpus articles: 0.214 (two posts of one theatre
 *     blog sharing a long footer, so even counting same-site pairs); a near-copy against another
 *     article's original: also 0.214;
 *   - lowest containment of a near-copy against its own original: 0.663 (the 68-word articles,
 *     where 5 changed words weigh most);
 *   - lowest MinHash Jaccard estimate of a copy against its original: 0.29, where 24 one-row
 *     bands make it a candidate with probability 0.9997 (all 119 were).
 * The threshold sits in that gap at 0.45: 0.236 above the highest different pair, 0.213 below the
 * lowest copy.
 */

export const SHINGLE_WORDS = 4;
export const MINHASH_SIZE = 24;
/**
 * 24 bands of 1 row: a pair with Jaccard J shares a band with probability 1 - (1 - J)^24, 0.9986
 * at J = 0.24 (below the lowest copy measured). Candidates are then scored exactly, so a generous band
 * costs a few extra candidates, never a false merge; each band is a row in an index written per
 * upsert, so fewer bands is what keeps upserts fast (64 bands of 2 rows made them 3x slower).
 */
export const LSH_BANDS = 24;
export const LSH_ROWS = MINHASH_SIZE / LSH_BANDS;
/** Containment at or above which two bodies on different sites are one story (measured above). */
export const NEAR_DUPLICATE_THRESHOLD = 0.45;
/**
 * Bodies with fewer shingles than this are never linked by text: a teaser of a few lines shares too
 * little to tell a copy from another story that quotes the same sentences.
 */
export const MIN_SHINGLES = 40;

/** What the store keeps per article to match it against later arrivals. */
export interface BodySketch {
  /** MinHash signature, for the LSH band keys. */
  signature: Uint32Array;
  /** Distinct shingle hashes, sorted ascending, for exact containment. */
  shingles: Uint32Array;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** 32-bit FNV-1a over UTF-16 code units. */
function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: spreads the bits of a 32-bit value. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hashes of the distinct word 4-shingles of a text. */
export function shingleHashes(text: string): Set<number> {
  const list = words(text);
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE_WORDS <= list.length; i++) {
    out.add(fnv1a(list.slice(i, i + SHINGLE_WORDS).join(" "), 0x811c9dc5));
  }
  return out;
}

/**
 * The MinHash sketch of a body, or null when it is too short to link by text. The i-th hash
 * function is fmix32(h1 + i·h2) (Kirsch–Mitzenmacher double hashing).
 */
export function bodySketch(text: string): BodySketch | null {
  const shingles = shingleHashes(text);
  if (shingles.size < MIN_SHINGLES) return null;
  const signature = new Uint32Array(MINHASH_SIZE).fill(0xffffffff);
  for (const h1 of shingles) {
    const h2 = fmix32(h1 ^ 0x9e3779b9) | 1;
    for (let i = 0; i < MINHASH_SIZE; i++) {
      const value = fmix32((h1 + Math.imul(i, h2)) >>> 0);
      if (value < (signature[i] as number)) signature[i] = value;
    }
  }
  return { signature, shingles: Uint32Array.from(shingles).sort() };
}

export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < MINHASH_SIZE; i++) if (a[i] === b[i]) same++;
  return same / MINHASH_SIZE;
}

/** Share of the smaller set's shingles found in the other; both sorted ascending. */
export function containment(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / Math.min(a.length, b.length);
}

/** Containment of two texts, for measuring; the store compares stored sketches. */
export function textContainment(a: string, b: string): number {
  return containment(Uint32Array.from(shingleHashes(a)).sort(), Uint32Array.from(shingleHashes(b)).sort());
}

/**
 * One key per LSH band: two signatures that agree on all rows of any band share a key. Keys are
 * band · 2^32 + hash(band rows), integers below 2^37 so they fit a JS number and a BIGINT.
 */
export function lshBandKeys(signature: Uint32Array): number[] {
  const keys: number[] = [];
  for (let band = 0; band < LSH_BANDS; band++) {
    let hash = fmix32(band + 0x27d4eb2f);
    for (let row = 0; row < LSH_ROWS; row++) {
      hash = fmix32((hash ^ (signature[band * LSH_ROWS + row] as number)) >>> 0);
    }
    keys.push(band * 2 ** 32 + hash);
  }
  return keys;
}

/** Little-endian bytes, so hashes read back the same on any machine. */
export function encodeHashes(signature: Uint32Array): Buffer {
  const out = Buffer.alloc(signature.length * 4);
  for (let i = 0; i < signature.length; i++) out.writeUInt32LE(signature[i] as number, i * 4);
  return out;
}

export function decodeHashes(bytes: Uint8Array): Uint32Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(buffer.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = buffer.readUInt32LE(i * 4);
  return out;
}
