/**
 * Token buckets for calls to Graph: one for the tenant and, optionally, one per key (e.g.
 * per recipient). A call takes one token from each bucket it needs, waiting until both have
 * one. The clock and the sleep are injectable, so tests check the rate with a virtual clock.
 *
 * A drain holds the only buckets of its tenant: the job queue runs at most one drain per
 * tenant at a time (stately queue, singletonKey = tenant), so these in-process buckets are
 * the tenant's limit across instances.
 */
export interface ThrottleRate {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many calls may go at once after a quiet period. */
  burst: number;
}

export interface ThrottleClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: ThrottleClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

class Bucket {
  private tokens: number;
  private at: number;
  constructor(
    private readonly limit: ThrottleRate,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.at = now;
  }
  private refill(now: number): void {
    if (now > this.at) {
      this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.at) / 1000) * this.limit.perSecond);
      this.at = now;
    }
  }
  /** Milliseconds until one token is there (0 when there is one now). */
  waitMs(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) / this.limit.perSecond) * 1000);
  }
  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }
  full(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.limit.burst;
  }
}

export class Throttle {
  private readonly tenant: Bucket;
  private readonly keyed = new Map<string, Bucket>();
  /** Milliseconds spent waiting for tokens (reported by the drains). */
  waitedMs = 0;

  constructor(
    private readonly tenantLimit: ThrottleRate,
    private readonly keyLimit: ThrottleRate | undefined,
    private readonly clock: ThrottleClock = realClock,
  ) {
    for (const limit of [tenantLimit, keyLimit]) {
      if (limit && (!(limit.perSecond > 0) || !(limit.burst >= 1))) throw new RangeError('A rate limit needs perSecond > 0 and burst >= 1');
    }
    this.tenant = new Bucket(tenantLimit, clock.now());
  }

  /** Waits until a call for `key` may go, and takes its tokens. */
  async acquire(key?: string): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      let bucket: Bucket | undefined;
      if (key !== undefined && this.keyLimit) {
        bucket = this.keyed.get(key);
        if (!bucket) {
          bucket = new Bucket(this.keyLimit, now);
          this.keyed.set(key, bucket);
        }
      }
      const wait = Math.max(this.tenant.waitMs(now), bucket?.waitMs(now) ?? 0);
      if (wait === 0) {
        this.tenant.take(now);
        bucket?.take(now);
        if (this.keyed.size > 10_000) this.forgetFull(now);
        return;
      }
      this.waitedMs += wait;
      await this.clock.sleep(wait);
    }
  }

  /** Buckets that refilled completely carry no state: drop them to bound memory. */
  private forgetFull(now: number): void {
    for (const [key, bucket] of this.keyed) if (bucket.full(now)) this.keyed.delete(key);
  }
}
