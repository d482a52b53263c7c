/**
 * Ruche's one Microsoft Graph client: every call goes through it. Built on the Graph SDK
 * (`@microsoft/microsoft-graph-client`) with Ruche's own middleware chain (see middleware.ts).
 */
import { Client, ResponseType, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { GraphErrorCodes, RucheGraphError } from './errors.js';
import {
  CallState,
  buildChain,
  defaultTenantConcurrency,
  emptyStats,
  type ChainSettings,
  type GraphClientStats,
  type GraphLogger,
  type TenantConcurrency,
} from './middleware.js';
import { defaultRetryPolicy, isRetryableStatus, parseRetryAfter, backoffDelay, type RetryPolicy } from './retry.js';
import { graphDefaultScope, type AccessTokenProvider } from './tokens.js';
import { recordGraphRetryAfter, recordGraphThrottled } from '../observability/metrics.js';

export type GraphVersion = 'v1.0' | 'beta';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface GraphClientOptions {
  /** Where tokens come from: app-only, on-behalf-of, managed identity, or a test function. */
  tokenProvider: AccessTokenProvider;
  /** Entra tenant id; concurrency is limited per tenant. Default "default". */
  tenantId?: string;
  /** Graph root without version, default https://graph.microsoft.com (tests: the simulator's URL). */
  baseUrl?: string;
  /** Scopes asked of the token provider, default https://graph.microsoft.com/.default. */
  scopes?: string[];
  retry?: Partial<RetryPolicy>;
  /** Longest Retry-After the client will wait (default 5 min); beyond it the call fails. */
  maxRetryAfterMs?: number;
  /** Requests in flight at once for this tenant (default 8; the first client of a tenant sets it). */
  maxConcurrency?: number;
  /** Registry of per-tenant limits; default: one shared by the whole process. */
  concurrency?: TenantConcurrency;
  /** Per-attempt timeout waiting for the answer headers, default 100 s (Graph's own limit). */
  timeoutMs?: number;
  /** Injectable for tests: sleeping, clock and randomness (jitter). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  logger?: GraphLogger;
}

export interface RequestOptions {
  version?: GraphVersion;
  headers?: Record<string, string>;
}

export interface GraphPage<T> {
  value: T[];
  nextLink?: string;
  deltaLink?: string;
  /** Every other annotation or property of the page body. */
  body: Record<string, unknown>;
}

export interface DeltaResult<T> {
  /** Link to store and pass back to delta() to get only what changed since. */
  deltaLink: string;
  /** The changes, unless onPage was given (then pages are handed over and not kept). */
  items: T[];
  pages: number;
}

export interface BatchRequestItem {
  /** Unique within the call; default: the index in the array. */
  id?: string;
  method: HttpMethod;
  /** Relative to the version root, e.g. "/users/{id}/manager?$select=id". */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BatchResponseItem<T = unknown> {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: T;
}

export interface GraphClient {
  readonly tenantId: string;
  readonly baseUrl: string;
  request<T = unknown>(method: HttpMethod, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  get<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  /** GET of binary content (e.g. /users/{id}/photo/$value). */
  getBinary(path: string, options?: RequestOptions): Promise<Uint8Array>;
  post<T = unknown>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  put<T = unknown>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  patch<T = unknown>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  delete(path: string, options?: RequestOptions): Promise<void>;
  /** Pages of a collection, following @odata.nextLink. The first URL must pass $select. */
  getAll<T = unknown>(path: string, options?: RequestOptions): AsyncGenerator<GraphPage<T>, void, undefined>;
  /**
   * One delta round: from a query (first sync) or a stored deltaLink, follows nextLink until
   * @odata.deltaLink and returns it.
   */
  delta<T = unknown>(resource: string, options?: RequestOptions & { onPage?: (page: GraphPage<T>) => void | Promise<void> }): Promise<DeltaResult<T>>;
  /** Requests through POST /$batch, 20 per batch, throttled items retried; answers in input order. */
  batch<T = unknown>(requests: BatchRequestItem[], options?: { version?: GraphVersion }): Promise<BatchResponseItem<T>[]>;
  /** A copy of the counters (attempts, retries, time waited on Retry-After...). */
  stats(): GraphClientStats;
  resetStats(): void;
}

export const batchSize = 20;

/**
 * Runs `run` on each $batch-sized chunk of `ids`, all started together (a limiter of the
 * caller's paces them); settles once every chunk has, then throws the first failure if any.
 */
export async function inBatchChunks(ids: readonly string[], run: (chunk: string[]) => Promise<void>): Promise<void> {
  const chunks: Array<Promise<void>> = [];
  for (let start = 0; start < ids.length; start += batchSize) chunks.push(run(ids.slice(start, start + batchSize)));
  const settled = await Promise.allSettled(chunks);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** A header of a $batch answer item, whatever the case of its name. */
export function batchHeader(item: BatchResponseItem, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(item.headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** Last path segments that name a collection: a GET on them must pass $select. */
const collectionSegments = new Set([
  'users', 'groups', 'members', 'transitivemembers', 'owners', 'directreports', 'memberof', 'transitivememberof',
  'skills', 'projects', 'positions', 'pages', 'connections', 'items', 'sites', 'lists', 'channels', 'messages',
  'subscriptions', 'installedapps', 'people', 'photos', 'contacts', 'events', 'drives', 'children', 'teams',
  'delta', 'delta()', 'microsoft.graph.delta()', 'getallmessages()', 'microsoft.graph.getallmessages()',
]);

function splitQuery(pathAndQuery: string): { path: string; query: URLSearchParams } {
  const at = pathAndQuery.indexOf('?');
  if (at < 0) return { path: pathAndQuery, query: new URLSearchParams() };
  return { path: pathAndQuery.slice(0, at), query: new URLSearchParams(pathAndQuery.slice(at + 1)) };
}

/** True when the path names a collection (by its last segment). */
export function isCollectionPath(path: string): boolean {
  const segments = splitQuery(path).path.split('/').filter(Boolean);
  const last = segments[segments.length - 1];
  return last !== undefined && collectionSegments.has(last.toLowerCase());
}

/**
 * The $select rule: a GET on a collection must say which properties it wants. Links that
 * Graph itself returned ($skiptoken / $deltatoken) carry the original $select.
 */
export function assertSelect(method: string, pathAndQuery: string): void {
  if (method.toUpperCase() !== 'GET') return;
  const { path, query } = splitQuery(pathAndQuery);
  if (!isCollectionPath(path)) return;
  if (query.has('$select') || query.has('$skiptoken') || query.has('$deltatoken')) return;
  throw new RucheGraphError(GraphErrorCodes.SelectRequired, `GET ${path} is a collection request without $select`, { method: 'GET', path });
}

interface Target {
  version: string;
  /** Path and query after the version, starting with "/". */
  pathAndQuery: string;
}

/** Normalises a path or an absolute link (nextLink/deltaLink) into version + relative path. */
export function resolveTarget(pathOrUrl: string, baseUrl: string, defaultVersion: string): Target {
  if (/^https?:\/\//i.test(pathOrUrl)) {
    const url = new URL(pathOrUrl);
    const base = new URL(baseUrl);
    const trusted = url.origin === base.origin || url.origin === 'https://graph.microsoft.com';
    if (!trusted) {
      throw new RucheGraphError(GraphErrorCodes.UntrustedLink, `Refusing to follow a link to ${url.origin}`, { path: url.pathname });
    }
    const basePath = base.pathname.replace(/\/+$/, '');
    let rest = url.origin === base.origin && basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
    const match = /^\/(v1\.0|beta)(\/.*)?$/.exec(rest);
    if (!match) throw new RucheGraphError(GraphErrorCodes.UntrustedLink, 'Link has no Graph version segment', { path: url.pathname });
    rest = match[2] ?? '/';
    return { version: match[1]!, pathAndQuery: rest + url.search };
  }
  if (!pathOrUrl.startsWith('/')) pathOrUrl = `/${pathOrUrl}`;
  return { version: defaultVersion, pathAndQuery: pathOrUrl };
}

interface ODataErrorBody {
  error?: { code?: string; message?: string };
}

function errorFromResponse(status: number, body: unknown, method: string, path: string, attempts: number, requestId?: string): RucheGraphError {
  const graphError = (body as ODataErrorBody | undefined)?.error;
  const graphCode = typeof graphError?.code === 'string' ? graphError.code : undefined;
  const graphMessage = typeof graphError?.message === 'string' ? graphError.message : undefined;
  const details = { status, graphCode, method, path, attempts, requestId };
  const text = `${method} ${path} answered ${status}${graphCode ? ` ${graphCode}` : ''}${graphMessage ? `: ${graphMessage}` : ''}`;
  if (status === 410 || graphCode === 'syncStateNotFound' || graphCode === 'resyncRequired' || graphCode === 'syncStateInvalid') {
    return new RucheGraphError(GraphErrorCodes.DeltaTokenExpired, text, details);
  }
  if (status === 404) return new RucheGraphError(GraphErrorCodes.NotFound, text, details);
  if (isRetryableStatus(status)) return new RucheGraphError(GraphErrorCodes.RetriesExhausted, `${text} after ${attempts} attempts`, details);
  return new RucheGraphError(GraphErrorCodes.HttpError, text, details);
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createGraphClient(options: GraphClientOptions): GraphClient {
  if (typeof options?.tokenProvider !== 'function') {
    throw new RucheGraphError(GraphErrorCodes.InvalidArgument, 'tokenProvider is required');
  }
  const baseUrl = (options.baseUrl ?? 'https://graph.microsoft.com').replace(/\/+$/, '');
  const tenantId = options.tenantId ?? 'default';
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  if (!Number.isInteger(retry.maxRetries) || retry.maxRetries < 0) {
    throw new RucheGraphError(GraphErrorCodes.InvalidArgument, 'retry.maxRetries must be a non-negative integer');
  }
  let stats = emptyStats();
  const settings: ChainSettings = {
    tokenProvider: options.tokenProvider,
    scopes: options.scopes ?? [graphDefaultScope],
    tenantId,
    limiter: (options.concurrency ?? defaultTenantConcurrency).limiterFor(tenantId, options.maxConcurrency),
    retry,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 300_000,
    timeoutMs: options.timeoutMs ?? 100_000,
    sleep: options.sleep ?? defaultSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    get stats() {
      return stats;
    },
    logger: options.logger,
  };
  const sdk = Client.initWithMiddleware({ middleware: buildChain(settings), baseUrl, defaultVersion: 'v1.0' });

  async function send(method: HttpMethod, pathOrUrl: string, body: unknown, opts: RequestOptions | undefined, idempotent?: boolean) {
    const target = resolveTarget(pathOrUrl, baseUrl, opts?.version ?? 'v1.0');
    const { path } = splitQuery(target.pathAndQuery);
    assertSelect(method, target.pathAndQuery);
    const state = new CallState(method, path, idempotent ?? method !== 'POST');
    let request: GraphRequest = sdk.api(target.pathAndQuery).version(target.version).responseType(ResponseType.RAW).middlewareOptions([state]);
    if (opts?.headers) request = request.headers(opts.headers);
    let response: Response;
    try {
      switch (method) {
        case 'GET':
          response = (await request.get()) as Response;
          break;
        case 'POST':
          response = (await request.post(body)) as Response;
          break;
        case 'PUT':
          response = (await request.put(body)) as Response;
          break;
        case 'PATCH':
          response = (await request.patch(body)) as Response;
          break;
        case 'DELETE':
          response = (await request.delete()) as Response;
          break;
      }
    } catch (error) {
      if (state.error) throw state.error;
      if (error instanceof RucheGraphError) throw error;
      throw new RucheGraphError(GraphErrorCodes.Network, undefined, { method, path, attempts: state.attempts, cause: error });
    }
    if (!response.ok) {
      const errorBody = await readJson(response);
      throw errorFromResponse(response.status, errorBody, method, path, state.attempts, response.headers.get('request-id') ?? undefined);
    }
    return { response, path, state };
  }

  async function request<T>(method: HttpMethod, pathOrUrl: string, body?: unknown, opts?: RequestOptions): Promise<T> {
    const { response } = await send(method, pathOrUrl, body, opts);
    if (response.status === 204 || response.status === 202) {
      await response.body?.cancel().catch(() => undefined);
      return undefined as T;
    }
    return (await readJson(response)) as T;
  }

  function toPage<T>(body: unknown, method: string, path: string): GraphPage<T> {
    if (typeof body !== 'object' || body === null || !Array.isArray((body as { value?: unknown }).value)) {
      throw new RucheGraphError(GraphErrorCodes.BadResponse, `${method} ${path} did not return a collection`, { method, path });
    }
    const record = body as Record<string, unknown>;
    const nextLink = typeof record['@odata.nextLink'] === 'string' ? (record['@odata.nextLink'] as string) : undefined;
    const deltaLink = typeof record['@odata.deltaLink'] === 'string' ? (record['@odata.deltaLink'] as string) : undefined;
    return { value: record.value as T[], nextLink, deltaLink, body: record };
  }

  async function* getAll<T>(pathOrUrl: string, opts?: RequestOptions): AsyncGenerator<GraphPage<T>, void, undefined> {
    let next: string | undefined = pathOrUrl;
    let first = true;
    while (next !== undefined) {
      if (first) {
        // The first URL must pass $select even when it is not recognised as a collection by name.
        const target = resolveTarget(next, baseUrl, opts?.version ?? 'v1.0');
        const { path, query } = splitQuery(target.pathAndQuery);
        if (!query.has('$select') && !query.has('$skiptoken') && !query.has('$deltatoken')) {
          throw new RucheGraphError(GraphErrorCodes.SelectRequired, `GET ${path} is a collection request without $select`, { method: 'GET', path });
        }
        first = false;
      }
      const body: unknown = await request<unknown>('GET', next, undefined, opts);
      const page: GraphPage<T> = toPage<T>(body, 'GET', splitQuery(next).path);
      yield page;
      next = page.nextLink;
    }
  }

  async function delta<T>(
    resource: string,
    opts?: RequestOptions & { onPage?: (page: GraphPage<T>) => void | Promise<void> },
  ): Promise<DeltaResult<T>> {
    const items: T[] = [];
    let pages = 0;
    for await (const page of getAll<T>(resource, opts)) {
      pages++;
      if (opts?.onPage) await opts.onPage(page);
      else items.push(...page.value);
      if (page.deltaLink !== undefined) return { deltaLink: page.deltaLink, items, pages };
    }
    throw new RucheGraphError(GraphErrorCodes.DeltaLinkMissing, undefined, { method: 'GET', path: splitQuery(resource).path });
  }

  async function batchChunk<T>(chunk: BatchRequestItem[], version: GraphVersion): Promise<BatchResponseItem<T>[]> {
    const results = new Map<string, BatchResponseItem<T>>();
    let pending = chunk;
    for (let retryIndex = 0; ; retryIndex++) {
      const wire = {
        requests: pending.map((item) => {
          const headers = { ...item.headers };
          if (item.body !== undefined && !Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) {
            headers['Content-Type'] = 'application/json';
          }
          return {
            id: item.id!,
            method: item.method,
            url: item.url,
            ...(Object.keys(headers).length > 0 ? { headers } : {}),
            ...(item.body !== undefined ? { body: item.body } : {}),
          };
        }),
      };
      const allGets = pending.every((item) => item.method === 'GET');
      const { response } = await send('POST', '/$batch', wire, { version }, allGets);
      const answer = (await readJson(response)) as { responses?: unknown } | undefined;
      if (!answer || !Array.isArray(answer.responses)) {
        throw new RucheGraphError(GraphErrorCodes.BadResponse, '$batch answer has no responses array', { method: 'POST', path: '/$batch' });
      }
      const throttled: BatchRequestItem[] = [];
      let waitMs: number | undefined;
      for (const raw of answer.responses as Array<Record<string, unknown>>) {
        const item: BatchResponseItem<T> = {
          id: String(raw.id),
          status: Number(raw.status),
          headers: (raw.headers as Record<string, string> | undefined) ?? {},
          body: raw.body as T | undefined,
        };
        results.set(item.id, item);
        if (isRetryableStatus(item.status)) {
          const original = pending.find((request) => request.id === item.id);
          if (original) throttled.push(original);
          if (item.status === 429) {
            stats.throttled++;
            recordGraphThrottled('batch_item');
          } else stats.unavailable++;
          const after = parseRetryAfter(batchHeader(item, 'retry-after'), settings.now());
          if (after !== undefined) waitMs = Math.max(waitMs ?? 0, after);
        }
      }
      const missing = pending.filter((request) => !results.has(request.id!));
      if (missing.length > 0) {
        throw new RucheGraphError(GraphErrorCodes.BadResponse, `$batch answer lacks ${missing.length} responses`, { method: 'POST', path: '/$batch' });
      }
      if (throttled.length === 0 || retryIndex >= retry.maxRetries) break;
      const fromRetryAfter = waitMs !== undefined;
      if (waitMs === undefined) waitMs = backoffDelay(retryIndex, retry, settings.random);
      if (waitMs > settings.maxRetryAfterMs) break;
      stats.batchItemRetries += throttled.length;
      if (fromRetryAfter) {
        stats.retryAfterWaitMs += waitMs;
        recordGraphRetryAfter(waitMs);
      } else stats.backoffWaitMs += waitMs;
      settings.logger?.warn?.({ method: 'POST', path: '/$batch', items: throttled.length, waitMs }, 'graph batch items retried');
      await settings.sleep(waitMs);
      pending = throttled;
    }
    return chunk.map((item) => results.get(item.id!)!);
  }

  async function batch<T>(requests: BatchRequestItem[], opts?: { version?: GraphVersion }): Promise<BatchResponseItem<T>[]> {
    const ids = new Set<string>();
    const items = requests.map((item, index) => {
      const id = item.id ?? String(index + 1);
      if (ids.has(id)) throw new RucheGraphError(GraphErrorCodes.InvalidArgument, `Duplicate batch request id ${id}`);
      ids.add(id);
      if (!item.url.startsWith('/')) throw new RucheGraphError(GraphErrorCodes.InvalidArgument, 'Batch request urls are relative and start with "/"');
      assertSelect(item.method, item.url);
      return { ...item, id };
    });
    const chunks: BatchRequestItem[][] = [];
    for (let start = 0; start < items.length; start += batchSize) chunks.push(items.slice(start, start + batchSize));
    const answers = await Promise.all(chunks.map((chunk) => batchChunk<T>(chunk, opts?.version ?? 'v1.0')));
    return answers.flat();
  }

  return {
    tenantId,
    baseUrl,
    request,
    get: (path, opts) => request('GET', path, undefined, opts),
    async getBinary(path, opts) {
      const { response } = await send('GET', path, undefined, opts);
      return new Uint8Array(await response.arrayBuffer());
    },
    post: (path, body, opts) => request('POST', path, body, opts),
    put: (path, body, opts) => request('PUT', path, body, opts),
    patch: (path, body, opts) => request('PATCH', path, body, opts),
    async delete(path, opts) {
      await request('DELETE', path, undefined, opts);
    },
    getAll,
    delta,
    batch,
    stats: () => ({ ...stats }),
    resetStats() {
      stats = emptyStats();
    },
  };
}
