/**
 * Deterministic randomness for the demo generator. Nothing here reads Math.random or the
 * clock: every stream is derived from (seed, label, index), so one entity's data does not
 * depend on how many others were generated before it or on the batch size.
 */

/**
 * A 32-bit string hash (FNV-1a), to turn stream labels into numbers. Hashes here are kept
 * as signed 32-bit integers: V8 stores them unboxed, where values above 2^31 would be
 * heap-allocated doubles (millions of them in a large run).
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** A 32-bit integer finaliser (murmur3 fmix32). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}

/** A small, fast seeded generator (sfc32) with the helpers the generator needs. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, label: string | number = 0, index = 0) {
    const l = typeof label === 'number' ? label | 0 : hashString(label);
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32(l ^ 0x243f6a88);
    this.c = mix32(index ^ 0xb7e15162);
    this.d = mix32((seed + Math.imul(l, 31) + Math.imul(index, 0x27d4eb2d)) | 0);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight; `weights` and `items` have the same length. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Exponentially distributed, with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A count around `mean` (Poisson for small means, normal approximation above). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }

  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `k` distinct integers in [0, n), in random order (k is capped at n). */
  distinct(n: number, k: number): number[] {
    k = Math.min(k, n);
    if (k <= 0) return [];
    if (k * 3 > n) {
      const all = Array.from({ length: n }, (_, i) => i);
      this.shuffle(all);
      return all.slice(0, k);
    }
    const seen = new Set<number>();
    const out: number[] = [];
    while (out.length < k) {
      const x = Math.floor(this.next() * n);
      if (!seen.has(x)) {
        seen.add(x);
        out.push(x);
      }
    }
    return out;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A deterministic UUID for the demo entity (kind, index) of a tenant and seed, laid out as
 * an RFC 9562 version 8 ("custom") UUID: 48 bits of hash of (tenant, seed, kind), then the
 * index (32 bits), then 42 bits of hash of the index. Like a version 7 UUID, ids of one kind
 * grow with the index, so bulk inserts append to the primary-key indexes instead of
 * touching random pages; the same inputs always give the same id, so tests and benchmarks
 * can name demo rows without reading them back.
 */
export function demoId(tenantId: string, seed: number, kind: string, index: number): string {
  return idFactory(tenantId, seed, kind)(index);
}

/** A function giving `demoId(tenantId, seed, kind, index)` for many indexes (index < 2^32). */
export function idFactory(tenantId: string, seed: number, kind: string): (index: number) => string {
  const p0 = hashString(`${tenantId.toLowerCase()}|${seed}|${kind}`);
  const p1 = mix32(hashString(`${kind}|${seed}|${tenantId.toLowerCase()}`));
  const prefix =
    HEX[p0 >>> 24]! + HEX[(p0 >>> 16) & 0xff]! + HEX[(p0 >>> 8) & 0xff]! + HEX[p0 & 0xff]! + '-' +
    HEX[p1 >>> 24]! + HEX[(p1 >>> 16) & 0xff]! + '-';
  return (index: number) => {
    const i = index >>> 0;
    const h = mix32(p1 ^ mix32(i + 0x9e3779b9));
    const h2 = mix32(h ^ p0);
    return (
      prefix +
      HEX[0x80 | (i >>> 28)]! +
      HEX[(i >>> 20) & 0xff]! +
      '-' +
      HEX[0x80 | ((i >>> 14) & 0x3f)]! +
      HEX[(i >>> 6) & 0xff]! +
      '-' +
      HEX[((i & 0x3f) << 2) | (h >>> 30)]! +
      HEX[(h >>> 22) & 0xff]! +
      HEX[(h >>> 14) & 0xff]! +
      HEX[(h >>> 6) & 0xff]! +
      HEX[h2 >>> 24]! +
      HEX[(h2 >>> 16) & 0xff]!
    );
  };
}
