/**
 * The middleware chain under the Microsoft Graph SDK client:
 *   retry (429/503/504, Retry-After, backoff) -> per-tenant concurrency -> auth -> fetch with timeout.
 * Each call carries a CallState (a Graph SDK MiddlewareOptions) so the client wrapper can read
 * the attempts made and the error that ended them. Tokens never reach a log line.
 */
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import pLimit from 'p-limit';
import { GraphErrorCodes, RucheGraphError } from './errors.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry.js';
import type { AccessTokenProvider } from './tokens.js';
import { recordGraphRetryAfter, recordGraphThrottled } from '../observability/metrics.js';

export interface GraphLogger {
  debug?(fields: Record<string, unknown>, message: string): void;
  warn?(fields: Record<string, unknown>, message: string): void;
}

/** Counters of one client; `retryAfterWaitMs` is the time spent honouring Retry-After. */
export interface GraphClientStats {
  /** HTTP attempts sent (first tries and retries). */
  attempts: number;
  retries: number;
  /** Answers 429 received. */
  throttled: number;
  /** Answers 503 or 504 received. */
  unavailable: number;
  timeouts: number;
  networkErrors: number;
  /** Milliseconds waited because Graph said Retry-After. */
  retryAfterWaitMs: number;
  /** Milliseconds waited in exponential backoff (no Retry-After given). */
  backoffWaitMs: number;
  /** Throttled items retried inside $batch answers. */
  batchItemRetries: number;
}

export function emptyStats(): GraphClientStats {
  return {
    attempts: 0,
    retries: 0,
    throttled: 0,
    unavailable: 0,
    timeouts: 0,
    networkErrors: 0,
    retryAfterWaitMs: 0,
    backoffWaitMs: 0,
    batchItemRetries: 0,
  };
}

/** Per-call state, handed to the chain through the SDK's middleware options. */
export class CallState implements MiddlewareOptions {
  attempts = 0;
  error?: RucheGraphError;
  constructor(
    readonly method: string,
    readonly path: string,
    /** Safe to resend after a timeout or a network error (the server may have acted). */
    readonly idempotent: boolean,
  ) {}
}

export function callStateOf(context: Context): CallState | undefined {
  const state = context.middlewareControl?.getMiddlewareOptions(CallState);
  return state instanceof CallState ? state : undefined;
}

export interface ChainSettings {
  tokenProvider: AccessTokenProvider;
  scopes: readonly string[];
  tenantId: string;
  limiter: ConcurrencyLimiter;
  retry: RetryPolicy;
  /** Longest Retry-After the client accepts to wait; longer ones end the retries. */
  maxRetryAfterMs: number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  stats: GraphClientStats;
  logger?: GraphLogger;
}

export type ConcurrencyLimiter = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Concurrency limits shared by every client of the same tenant in a process (app-only sync
 * and on-behalf-of calls of many users all count against the tenant's Graph throttling).
 */
export class TenantConcurrency {
  private readonly limiters = new Map<string, { limit: number; run: ConcurrencyLimiter }>();
  constructor(readonly defaultLimit = 8) {}

  limiterFor(tenantId: string, limit = this.defaultLimit): ConcurrencyLimiter {
    const existing = this.limiters.get(tenantId);
    if (existing) return existing.run;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RucheGraphError(GraphErrorCodes.InvalidArgument, 'maxConcurrency must be a positive integer');
    }
    const limited = pLimit(limit);
    const run: ConcurrencyLimiter = (fn) => limited(fn);
    this.limiters.set(tenantId, { limit, run });
    return run;
  }
}

/** The process-wide registry used when a client is not given one. */
export const defaultTenantConcurrency = new TenantConcurrency();

abstract class Link implements Middleware {
  protected next?: Middleware;
  setNext(next: Middleware): void {
    this.next = next;
  }
  abstract execute(context: Context): Promise<void>;
  protected async callNext(context: Context): Promise<void> {
    if (!this.next) throw new RucheGraphError(GraphErrorCodes.InvalidArgument, 'Middleware chain is incomplete');
    await this.next.execute(context);
  }
}

class TimeoutError extends Error {}

/** Retries transient answers; honours Retry-After (seconds or HTTP date), else backoff with jitter. */
export class RetryMiddleware extends Link {
  constructor(private readonly settings: ChainSettings) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const s = this.settings;
    const state = callStateOf(context) ?? new CallState('GET', '?', true);
    for (let retry = 0; ; retry++) {
      state.attempts++;
      s.stats.attempts++;
      let failure: RucheGraphError | undefined;
      let waitMs: number | undefined;
      let fromRetryAfter = false;
      try {
        context.response = undefined;
        await this.callNext(context);
      } catch (error) {
        if (error instanceof RucheGraphError) {
          state.error = error;
          throw error;
        }
        const timedOut = error instanceof TimeoutError;
        if (timedOut) s.stats.timeouts++;
        else s.stats.networkErrors++;
        failure = new RucheGraphError(
          timedOut ? GraphErrorCodes.Timeout : GraphErrorCodes.Network,
          timedOut ? `No answer within ${s.timeoutMs} ms` : 'Network error while calling Microsoft Graph',
          { method: state.method, path: state.path, attempts: state.attempts, cause: timedOut ? undefined : error },
        );
        if (!state.idempotent) {
          state.error = failure;
          throw failure;
        }
      }
      const response = context.response as Response | undefined;
      if (!failure) {
        if (!response || !isRetryableStatus(response.status)) return;
        if (response.status === 429) {
          s.stats.throttled++;
          recordGraphThrottled('request');
        } else s.stats.unavailable++;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), s.now());
        if (retryAfter !== undefined) {
          if (retryAfter > s.maxRetryAfterMs) return; // give up now rather than wait less than asked
          waitMs = retryAfter;
          fromRetryAfter = true;
        }
      }
      if (retry >= s.retry.maxRetries) {
        if (failure) {
          state.error = failure;
          throw failure;
        }
        return; // the last transient answer stays in context.response; the client turns it into an error
      }
      if (waitMs === undefined) waitMs = backoffDelay(retry, s.retry, s.random);
      if (response) await response.body?.cancel().catch(() => undefined);
      s.stats.retries++;
      if (fromRetryAfter) {
        s.stats.retryAfterWaitMs += waitMs;
        recordGraphRetryAfter(waitMs);
      } else s.stats.backoffWaitMs += waitMs;
      s.logger?.warn?.(
        { method: state.method, path: state.path, status: response?.status, code: failure?.code, attempt: state.attempts, waitMs, retryAfter: fromRetryAfter },
        'graph request retried',
      );
      await s.sleep(waitMs);
    }
  }
}

export class ConcurrencyMiddleware extends Link {
  constructor(private readonly settings: ChainSettings) {
    super();
  }
  async execute(context: Context): Promise<void> {
    await this.settings.limiter(() => this.callNext(context));
  }
}

function setHeader(options: NonNullable<Context['options']>, name: string, value: string): void {
  const headers = options.headers;
  if (headers instanceof Headers) {
    headers.set(name, value);
  } else if (Array.isArray(headers)) {
    options.headers = [...headers.filter(([key]) => key?.toLowerCase() !== name.toLowerCase()), [name, value]];
  } else {
    options.headers = { ...(headers as Record<string, string> | undefined), [name]: value };
  }
}

export class AuthMiddleware extends Link {
  constructor(private readonly settings: ChainSettings) {
    super();
  }
  async execute(context: Context): Promise<void> {
    const token = await this.settings.tokenProvider({ scopes: this.settings.scopes });
    context.options ??= {};
    setHeader(context.options, 'Authorization', `Bearer ${token}`);
    await this.callNext(context);
  }
}

/** Sends the request with fetch; aborts when no answer headers arrive within timeoutMs. */
export class FetchWithTimeout implements Middleware {
  constructor(private readonly settings: ChainSettings) {}
  setNext(): void {
    /* last link */
  }
  async execute(context: Context): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    try {
      context.response = await fetch(context.request, { ...(context.options as RequestInit), signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) throw new TimeoutError('timeout');
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

export function buildChain(settings: ChainSettings): Middleware[] {
  return [new RetryMiddleware(settings), new ConcurrencyMiddleware(settings), new AuthMiddleware(settings), new FetchWithTimeout(settings)];
}
