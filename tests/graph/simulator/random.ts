/** Small deterministic hashing and random numbers for the simulator (no dependency, no state). */

/** 32-bit hash of a seed and integers (murmur3-style finaliser). */
export function hash32(seed: number, ...values: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const value of values) {
    let k = Math.imul(value | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
    // mix the high part for values above 2^32
    h ^= Math.floor(value / 4294967296);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a string, to key fault decisions by request. */
export function hashString(text: string, seed = 0): number {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return hash32(h);
}

/** A number in [0, 1) from a hash. */
export function unit(seed: number, ...values: number[]): number {
  return hash32(seed, ...values) / 4294967296;
}

export function pick<T>(items: readonly T[], seed: number, ...values: number[]): T {
  return items[hash32(seed, ...values) % items.length]!;
}

export function hex(value: number, width: number): string {
  return (value >>> 0).toString(16).padStart(8, '0').slice(-width).padStart(width, '0');
}
