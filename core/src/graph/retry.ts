/** Retry policy of the Graph client: which answers are retried and how long to wait. */

export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 attempts). */
  maxRetries: number;
  /** First backoff delay when Graph gives no Retry-After. */
  baseDelayMs: number;
  /** Cap of one backoff delay and of one Retry-After wait. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 60_000 };

/** Statuses that Graph documents as transient: throttled, unavailable, gateway timeout. */
export const retryableStatuses: ReadonlySet<number> = new Set([429, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return retryableStatuses.has(status);
}

/**
 * Parses a Retry-After header: delta-seconds ("5", "0") or an HTTP date.
 * Returns milliseconds to wait (never negative), or undefined if absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * Exponential backoff with "full jitter": a random delay in [0, min(max, base * 2^retry)],
 * with a floor of half the window so retries never hammer immediately.
 * retry is 0 for the first retry.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const window = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  const half = window / 2;
  return Math.round(half + random() * half);
}
