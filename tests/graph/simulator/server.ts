/**
 * A local Microsoft Graph simulator on node:http, for tests and benchmarks. It serves the
 * endpoints Ruche uses (v1.0 and beta) with Graph's habits: @odata.nextLink paging ($top,
 * default page size), delta links, $select, $expand=manager, $batch (20 max), OData errors,
 * and injects faults on demand (429 with Retry-After, 503, 504, hangs, a page failing once),
 * deterministically from a seed. Every exchange can be recorded for contract checks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashString, unit } from './random.js';
import { SimTenant, type SimUser, type TenantOptions } from './tenant.js';

export interface FailPageRule {
  /** Matched against the request path (e.g. "/users/delta" or a RegExp). */
  path: string | RegExp;
  /** 0 = the first page (no $skiptoken), 1 = the page after the first nextLink... */
  page: number;
  /** Status to answer, default 503. */
  status?: number;
  /** How many times to fail, default 1. */
  times?: number;
}

export interface FaultOptions {
  /** Fraction of requests answered 429 Too Many Requests with Retry-After. */
  throttleRate?: number;
  /** Retry-After value in seconds (default 1). */
  retryAfterSeconds?: number;
  /** Send Retry-After as an HTTP date instead of seconds. */
  retryAfterAsDate?: boolean;
  /** Fraction answered 503 Service Unavailable (with Retry-After when unavailableRetryAfter). */
  unavailableRate?: number;
  unavailableRetryAfter?: boolean;
  /** Fraction answered 504 Gateway Timeout (no Retry-After). */
  gatewayTimeoutRate?: number;
  /** Fraction never answered (the client must time out). */
  hangRate?: number;
  /** Fraction of the inner requests of a $batch answered 429 inside the batch answer. */
  batchItemThrottleRate?: number;
  /** Pages that fail a given number of times. */
  failPages?: FailPageRule[];
  /** Only requests whose path matches are subject to the rates above. */
  only?: RegExp;
}

export interface RecordedExchange {
  version: string;
  method: string;
  /** Path after the version, e.g. "/users/delta()". */
  path: string;
  query: Record<string, string>;
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  /** Parsed JSON, or a Buffer for binary content, or undefined. */
  responseBody?: unknown;
  contentType?: string;
  /** True for an inner request of a $batch (validated against its own path). */
  viaBatch: boolean;
  /** True when the answer was a fault injected by the simulator. */
  injected: boolean;
}

export interface GraphSimulatorOptions extends TenantOptions {
  port?: number;
  /** Record every exchange in `recording` (off by default to keep benchmarks lean). */
  record?: boolean;
  faults?: FaultOptions;
  /** Page size when the caller gives no $top (Graph: 100 for directory objects). */
  defaultPageSize?: number;
  /** Largest $top honoured (Graph: 999 for users). */
  maxPageSize?: number;
  /** Delay before answering, so concurrent requests overlap (default 0). */
  latencyMs?: number;
  /** Reject requests without a bearer token (default true). */
  requireAuth?: boolean;
}

export interface SimulatorStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  injected: number;
  byStatus: Record<number, number>;
}

export interface GraphSimulator {
  /** Root URL without version, e.g. http://127.0.0.1:43123 (give it to the client as baseUrl). */
  readonly url: string;
  readonly port: number;
  readonly tenant: SimTenant;
  readonly recording: RecordedExchange[];
  readonly stats: SimulatorStats;
  setFaults(faults: FaultOptions | undefined): void;
  setRecording(on: boolean): void;
  /** Called with every exchange (outer and inner batch requests); returns an unsubscribe function. */
  onExchange(listener: (exchange: RecordedExchange) => void): () => void;
  /** Delta tokens issued before now become invalid (410 syncStateNotFound). */
  expireDeltaTokens(): void;
  resetStats(): void;
  close(): Promise<void>;
}

interface SimRequest {
  method: string;
  version: string;
  path: string;
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  rawBody: Buffer;
  viaBatch: boolean;
}

interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Binary content. */
  binary?: Buffer;
  hang?: boolean;
  injected?: boolean;
}

const jsonType = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function odataError(status: number, code: string, message: string, requestId: string): SimResponse {
  return {
    status,
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), 'request-id': requestId, 'client-request-id': requestId },
      },
    },
  };
}

function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken<T>(token: string): T {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    throw new HttpProblem(400, 'BadRequest', 'Invalid skip or delta token');
  }
}

const userProperties = new Set<string>([
  'id', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'jobTitle', 'department', 'officeLocation',
  'country', 'usageLocation', 'preferredLanguage', 'accountEnabled', 'createdDateTime', 'businessPhones', 'mobilePhone',
]);
const defaultUserSelect = ['id', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'jobTitle', 'officeLocation', 'preferredLanguage', 'businessPhones', 'mobilePhone'];
const groupProperties = new Set<string>(['id', 'displayName', 'description', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled', 'groupTypes', 'visibility', 'createdDateTime']);
const defaultGroupSelect = [...groupProperties];

function parseList(value: string | null): string[] | undefined {
  if (value === null) return undefined;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

function checkSelect(select: string[] | undefined, allowed: Set<string>, type: string): void {
  for (const name of select ?? []) {
    if (!allowed.has(name)) throw new HttpProblem(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`);
  }
}

function userView(user: SimUser, select: string[] | undefined): Record<string, unknown> {
  const full: Record<string, unknown> = { ...user, businessPhones: [], mobilePhone: null };
  const out: Record<string, unknown> = {};
  for (const name of select ?? defaultUserSelect) out[name] = full[name] ?? null;
  out.id = user.id;
  return out;
}

function pick(source: Record<string, unknown>, select: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of select) if (name in source) out[name] = source[name];
  out.id = source.id;
  return out;
}

function parseTop(query: URLSearchParams, fallback: number, max: number): number {
  const raw = query.get('$top');
  if (raw === null) return fallback;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1) throw new HttpProblem(400, 'BadRequest', `Invalid value '${raw}' for $top`);
  return Math.min(top, max);
}

interface DeltaState {
  /** Version after which changes are reported; -1 for the initial round. */
  since: number;
  /** Version the round reports up to. */
  snap: number;
  /** Users/groups that existed when the initial round began. */
  limit: number;
  cursor: number;
  sel?: string[];
  exp: boolean;
  top: number;
  page: number;
}

export async function startGraphSimulator(options: GraphSimulatorOptions = {}): Promise<GraphSimulator> {
  const tenant = new SimTenant(options);
  const defaultPageSize = options.defaultPageSize ?? 100;
  const maxPageSize = options.maxPageSize ?? 999;
  const requireAuth = options.requireAuth ?? true;
  const latencyMs = options.latencyMs ?? 0;
  let faults: FaultOptions | undefined = options.faults;
  let recordOn = options.record ?? false;
  let minDeltaVersion = 0;
  const recording: RecordedExchange[] = [];
  const listeners = new Set<(exchange: RecordedExchange) => void>();
  const attemptsByKey = new Map<string, number>();
  const pageFailures = new Map<FailPageRule, number>();
  const hanging = new Set<ServerResponse>();
  const stats: SimulatorStats = { requests: 0, inFlight: 0, maxInFlight: 0, injected: 0, byStatus: {} };
  let requestCounter = 0;
  let base = '';

  const link = (version: string, path: string, params: Record<string, string>) =>
    `${base}/${version}${path}?${Object.entries(params)
      .map(([key, value]) => `${key}=${value}`)
      .join('&')}`;

  // ---------- collections ----------

  function offsetPage(req: SimRequest, all: () => Array<Record<string, unknown>>, context: string): SimResponse {
    const skip = req.query.get('$skiptoken');
    const state = skip ? decodeToken<{ o: number; p: number }>(skip) : { o: 0, p: 0 };
    const top = parseTop(req.query, defaultPageSize, maxPageSize);
    const items = all();
    const value = items.slice(state.o, state.o + top);
    const body: Record<string, unknown> = { '@odata.context': `${base}/${req.version}/$metadata#${context}`, value };
    if (state.o + top < items.length) {
      const params: Record<string, string> = {};
      for (const [key, val] of req.query) if (key !== '$skiptoken') params[key] = encodeURIComponent(val).replace(/%2C/gi, ',').replace(/%24/g, '$');
      params.$skiptoken = encodeToken({ o: state.o + top, p: state.p + 1 });
      body['@odata.nextLink'] = link(req.version, req.path, params);
    }
    return { status: 200, body };
  }

  function pageNumber(req: SimRequest): number {
    const skip = req.query.get('$skiptoken');
    if (!skip) return 0;
    try {
      const state = JSON.parse(Buffer.from(skip, 'base64url').toString('utf8')) as { p?: number; page?: number };
      return state.p ?? state.page ?? 0;
    } catch {
      return 0;
    }
  }

  function deltaStart(req: SimRequest, kind: 'users' | 'groups'): DeltaState {
    const skip = req.query.get('$skiptoken');
    if (skip) return decodeToken<DeltaState>(skip);
    const deltaToken = req.query.get('$deltatoken');
    if (deltaToken) {
      const previous = decodeToken<{ v: number; sel?: string[]; exp: boolean; top: number }>(deltaToken);
      if (previous.v < minDeltaVersion) throw new HttpProblem(410, 'syncStateNotFound', 'The delta token is no longer valid; restart with a full synchronisation.');
      return { since: previous.v, snap: tenant.version, limit: 0, cursor: -1, sel: previous.sel, exp: previous.exp, top: previous.top, page: 0 };
    }
    const sel = parseList(req.query.get('$select'));
    if (kind === 'users') checkSelect(sel, userProperties, 'user');
    else checkSelect(sel?.filter((name) => name !== 'members'), groupProperties, 'group');
    const expand = parseList(req.query.get('$expand')) ?? [];
    for (const item of expand) {
      if (kind !== 'users' || !/^manager(\(.*\))?$/.test(item)) throw new HttpProblem(400, 'BadRequest', `$expand=${item} is not supported on delta`);
    }
    return {
      since: -1,
      snap: tenant.version,
      limit: kind === 'users' ? tenant.totalUsers : tenant.groupCount,
      cursor: -1,
      sel,
      exp: expand.length > 0,
      top: parseTop(req.query, defaultPageSize, maxPageSize),
      page: 0,
    };
  }

  function deltaPage(req: SimRequest, kind: 'users' | 'groups', state: DeltaState, render: (index: number, state: DeltaState) => Record<string, unknown>): SimResponse {
    const indexes: number[] = [];
    let more = false;
    if (state.since < 0) {
      const isLive = (i: number) => (kind === 'users' ? tenant.isUserLive(i) : tenant.isGroupLive(i));
      for (let i = state.cursor + 1; i < state.limit; i++) {
        if (!isLive(i)) continue;
        if (indexes.length === state.top) {
          more = true;
          break;
        }
        indexes.push(i);
      }
    } else {
      const changed = (kind === 'users' ? tenant.userChangesBetween(state.since, state.snap) : tenant.groupChangesBetween(state.since, state.snap)).filter(
        (i) => i > state.cursor,
      );
      indexes.push(...changed.slice(0, state.top));
      more = changed.length > state.top;
    }
    const value = indexes.map((i) => render(i, state));
    const body: Record<string, unknown> = { '@odata.context': `${base}/${req.version}/$metadata#${kind}`, value };
    if (more) {
      const next: DeltaState = { ...state, cursor: indexes[indexes.length - 1]!, page: state.page + 1 };
      body['@odata.nextLink'] = link(req.version, `/${kind}/delta()`, { $skiptoken: encodeToken(next) });
    } else {
      body['@odata.deltaLink'] = link(req.version, `/${kind}/delta()`, { $deltatoken: encodeToken({ v: state.snap, sel: state.sel, exp: state.exp, top: state.top }) });
    }
    return { status: 200, body };
  }

  function renderUser(i: number, state: DeltaState): Record<string, unknown> {
    const user = tenant.user(i);
    if (!user) return { id: tenant.userIdOf(i), '@removed': { reason: tenant.removalReason(i) ?? 'changed' } };
    const view = userView(user, state.sel);
    if (state.exp) {
      const manager = tenant.managerIndex(i);
      if (manager !== null) view.manager = { '@odata.type': '#microsoft.graph.user', id: tenant.userIdOf(manager) };
    }
    return view;
  }

  function renderGroup(g: number, state: DeltaState): Record<string, unknown> {
    const group = tenant.group(g);
    if (!group) return { id: tenant.groupIdOf(g), '@removed': { reason: 'changed' } };
    const select = state.sel ?? defaultGroupSelect;
    const view = pick(group as unknown as Record<string, unknown>, select.filter((name) => name !== 'members'));
    if (select.includes('members')) {
      if (state.since < 0) {
        view['members@delta'] = tenant.members(g).map((i) => ({ '@odata.type': '#microsoft.graph.user', id: tenant.userIdOf(i) }));
      } else {
        view['members@delta'] = [...tenant.memberChangesBetween(g, state.since, state.snap)].map(([i, added]) =>
          added ? { '@odata.type': '#microsoft.graph.user', id: tenant.userIdOf(i) } : { '@odata.type': '#microsoft.graph.user', id: tenant.userIdOf(i), '@removed': { reason: 'deleted' } },
        );
      }
    }
    return view;
  }

  function requireUser(id: string | undefined): number {
    const i = id === undefined ? undefined : tenant.userIndex(decodeURIComponent(id));
    if (i === undefined || !tenant.isUserLive(i)) throw new HttpProblem(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    return i;
  }

  function requireGroup(id: string | undefined): number {
    const g = id === undefined ? undefined : tenant.groupIndex(decodeURIComponent(id));
    if (g === undefined || !tenant.isGroupLive(g)) throw new HttpProblem(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    return g;
  }

  function requireObject(body: unknown): Record<string, unknown> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpProblem(400, 'BadRequest', 'A JSON object body is required');
    return body as Record<string, unknown>;
  }

  /** Graph accepts both "delta" and the namespaced "microsoft.graph.delta()" spelling. */
  function normalise(segment: string): string {
    return segment.replace(/^microsoft\.graph\./, '').replace(/\(\)$/, '');
  }

  function route(req: SimRequest): SimResponse {
    const s = req.segments.map(normalise);
    const m = req.method;
    const [a, b, c, d, e] = s;
    const n = s.length;
    // ----- users -----
    if (a === 'users') {
      if (n === 1 && m === 'GET') {
        const sel = parseList(req.query.get('$select'));
        checkSelect(sel, userProperties, 'user');
        const skip = req.query.get('$skiptoken');
        const state = skip ? decodeToken<{ c: number; p: number }>(skip) : { c: -1, p: 0 };
        const top = parseTop(req.query, defaultPageSize, maxPageSize);
        const value: Record<string, unknown>[] = [];
        let last = state.c;
        let more = false;
        for (const i of tenant.userIndexes(state.c + 1)) {
          if (value.length === top) {
            more = true;
            break;
          }
          value.push(userView(tenant.user(i)!, sel));
          last = i;
        }
        const body: Record<string, unknown> = { '@odata.context': `${base}/${req.version}/$metadata#users`, value };
        if (more) {
          const params: Record<string, string> = {};
          if (sel) params.$select = sel.join(',');
          params.$top = String(top);
          params.$skiptoken = encodeToken({ c: last, p: state.p + 1 });
          body['@odata.nextLink'] = link(req.version, '/users', params);
        }
        return { status: 200, body };
      }
      if (n === 2 && b === 'delta' && m === 'GET') return deltaPage(req, 'users', deltaStart(req, 'users'), renderUser);
      if (n >= 2 && b !== 'delta') {
        const i = requireUser(req.segments[1]);
        if (n === 2 && m === 'GET') {
          const sel = parseList(req.query.get('$select'));
          checkSelect(sel, userProperties, 'user');
          return { status: 200, body: { '@odata.context': `${base}/${req.version}/$metadata#users/$entity`, ...userView(tenant.user(i)!, sel) } };
        }
        if (n === 3 && c === 'manager' && m === 'GET') {
          const manager = tenant.managerIndex(i);
          if (manager === null) throw new HttpProblem(404, 'Request_ResourceNotFound', `Resource 'manager' does not exist or one of its queried reference-property objects are not present.`);
          const sel = parseList(req.query.get('$select'));
          checkSelect(sel, userProperties, 'user');
          return {
            status: 200,
            body: { '@odata.context': `${base}/${req.version}/$metadata#directoryObjects/$entity`, '@odata.type': '#microsoft.graph.user', ...userView(tenant.user(manager)!, sel ?? ['id', 'displayName']) },
          };
        }
        if (n === 3 && c === 'photo' && m === 'GET') {
          const photo = tenant.photo(i);
          if (!photo) throw new HttpProblem(404, 'ImageNotFound', 'Exception of type Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException was thrown.');
          return {
            status: 200,
            body: {
              '@odata.context': `${base}/${req.version}/$metadata#users('${req.segments[1]}')/photo/$entity`,
              '@odata.mediaContentType': 'image/jpeg',
              '@odata.mediaEtag': tenant.photoEtag(i),
              id: '648x648',
              height: 648,
              width: 648,
            },
          };
        }
        if (n === 4 && c === 'photo' && d === '$value' && m === 'GET') {
          const photo = tenant.photo(i);
          if (!photo) throw new HttpProblem(404, 'ImageNotFound', 'Exception of type Microsoft.Fast.Profile.Core.Exception.ImageNotFoundException was thrown.');
          return { status: 200, binary: photo, headers: { 'Content-Type': 'image/jpeg' } };
        }
        if (n === 4 && c === 'teamwork' && d === 'sendActivityNotification' && m === 'POST') {
          const body = requireObject(req.body);
          const topic = body.topic as { source?: unknown; value?: unknown; webUrl?: unknown } | undefined;
          if (!topic || (topic.source !== 'entityUrl' && topic.source !== 'text') || typeof topic.value !== 'string') {
            throw new HttpProblem(400, 'BadRequest', 'topic with source and value is required');
          }
          if (topic.source === 'text' && typeof topic.webUrl !== 'string') throw new HttpProblem(400, 'BadRequest', 'topic.webUrl is required when source is text');
          if (typeof body.activityType !== 'string') throw new HttpProblem(400, 'BadRequest', 'activityType is required');
          if (typeof (body.previewText as { content?: unknown } | undefined)?.content !== 'string') throw new HttpProblem(400, 'BadRequest', 'previewText.content is required');
          tenant.notifications.push({ userId: tenant.userIdOf(i), body, at: Date.now() });
          return { status: 204 };
        }
        if (req.version === 'beta' && n === 4 && c === 'profile' && d === 'skills' && m === 'GET') {
          const sel = parseList(req.query.get('$select'));
          const skills = tenant.skills(i) as unknown as Record<string, unknown>[];
          return offsetPage(req, () => (sel ? skills.map((skill) => pick(skill, sel)) : skills), `users('${req.segments[1]}')/profile/skills`);
        }
      }
    }
    // ----- groups -----
    if (a === 'groups') {
      if (n === 1 && m === 'GET') {
        const sel = parseList(req.query.get('$select'));
        checkSelect(sel, groupProperties, 'group');
        const all = () => {
          const out: Record<string, unknown>[] = [];
          for (let g = 0; g < tenant.groupCount; g++) {
            const group = tenant.group(g);
            if (group) out.push(pick(group as unknown as Record<string, unknown>, sel ?? defaultGroupSelect));
          }
          return out;
        };
        return offsetPage(req, all, 'groups');
      }
      if (n === 2 && b === 'delta' && m === 'GET') return deltaPage(req, 'groups', deltaStart(req, 'groups'), renderGroup);
      if (n >= 2 && b !== 'delta') {
        const g = requireGroup(req.segments[1]);
        if (n === 2 && m === 'GET') {
          const sel = parseList(req.query.get('$select'));
          checkSelect(sel, groupProperties, 'group');
          return { status: 200, body: pick(tenant.group(g)! as unknown as Record<string, unknown>, sel ?? defaultGroupSelect) };
        }
        if (n === 3 && c === 'members' && m === 'GET') {
          const sel = parseList(req.query.get('$select'));
          checkSelect(sel, userProperties, 'user');
          return offsetPage(
            req,
            () => tenant.members(g).map((i) => ({ '@odata.type': '#microsoft.graph.user', ...userView(tenant.user(i)!, sel ?? ['id', 'displayName']) })),
            'directoryObjects',
          );
        }
        if (n === 3 && c === 'owners' && m === 'GET') {
          const sel = parseList(req.query.get('$select'));
          checkSelect(sel, userProperties, 'user');
          return offsetPage(
            req,
            () => tenant.owners(g).map((i) => ({ '@odata.type': '#microsoft.graph.user', ...userView(tenant.user(i)!, sel ?? ['id', 'displayName']) })),
            'directoryObjects',
          );
        }
        if (n === 4 && c === 'members' && d === '$ref' && m === 'POST') {
          const ref = requireObject(req.body)['@odata.id'];
          const id = typeof ref === 'string' ? /\/directoryObjects\/([^/?]+)$/.exec(ref)?.[1] : undefined;
          if (!id) throw new HttpProblem(400, 'Request_BadRequest', "Invalid '@odata.id' reference");
          const i = requireUser(id);
          if (!tenant.addMember(g, i)) throw new HttpProblem(400, 'Request_BadRequest', 'One or more added object references already exist for the following modified properties: \'members\'.');
          return { status: 204 };
        }
        if (n === 5 && c === 'members' && e === '$ref' && m === 'DELETE') {
          const i = requireUser(req.segments[3]);
          if (!tenant.removeMember(g, i)) throw new HttpProblem(404, 'Request_ResourceNotFound', `Resource '${req.segments[3]}' is not a member of the group.`);
          return { status: 204 };
        }
      }
    }
    // ----- external connections -----
    if (a === 'external' && b === 'connections') {
      if (n === 2 && m === 'POST') {
        const body = requireObject(req.body);
        const id = body.id;
        if (typeof id !== 'string' || !/^[A-Za-z0-9]{3,32}$/.test(id)) throw new HttpProblem(400, 'InvalidRequest', 'Connection id must be 3-32 alphanumeric characters');
        if (typeof body.name !== 'string') throw new HttpProblem(400, 'InvalidRequest', 'name is required');
        if (tenant.connections.has(id)) throw new HttpProblem(409, 'Conflict', `Connection ${id} already exists`);
        const connection = { id, name: body.name, description: typeof body.description === 'string' ? body.description : null, state: 'draft', items: new Map() };
        tenant.connections.set(id, connection);
        return { status: 201, body: { '@odata.context': `${base}/${req.version}/$metadata#external/connections/$entity`, id, name: connection.name, description: connection.description, state: 'draft', configuration: { authorizedAppIds: [] } } };
      }
      if (n === 2 && m === 'GET') {
        const sel = parseList(req.query.get('$select')) ?? ['id', 'name', 'description', 'state'];
        return offsetPage(req, () => [...tenant.connections.values()].map((conn) => pick(conn as unknown as Record<string, unknown>, sel)), 'external/connections');
      }
      const connection = c === undefined ? undefined : tenant.connections.get(decodeURIComponent(req.segments[2]!));
      if (!connection) throw new HttpProblem(404, 'ItemNotFound', `Connection ${c} not found`);
      if (n === 3 && m === 'GET') {
        const sel = parseList(req.query.get('$select')) ?? ['id', 'name', 'description', 'state'];
        return { status: 200, body: pick(connection as unknown as Record<string, unknown>, sel) };
      }
      if (n === 3 && m === 'DELETE') {
        tenant.connections.delete(connection.id);
        return { status: 202 };
      }
      if (n === 4 && d === 'schema' && m === 'PATCH') {
        const body = requireObject(req.body);
        if (!Array.isArray(body.properties) || body.properties.length === 0) throw new HttpProblem(400, 'InvalidRequest', 'properties must list 1 to 128 properties');
        connection.schema = { baseType: String(body.baseType ?? 'microsoft.graph.externalItem'), properties: body.properties };
        connection.state = 'ready';
        return { status: 202, headers: { Location: `${base}/${req.version}/external/connections/${connection.id}/operations/op-${++requestCounter}` } };
      }
      if (n === 4 && d === 'schema' && m === 'GET') {
        if (!connection.schema) throw new HttpProblem(404, 'ItemNotFound', 'Schema not registered');
        return { status: 200, body: { id: connection.id, ...connection.schema } };
      }
      if (n === 5 && d === 'items') {
        const itemId = decodeURIComponent(req.segments[4]!);
        if (m === 'PUT') {
          if (!connection.schema) throw new HttpProblem(400, 'InvalidRequest', 'The connection has no schema yet');
          const body = requireObject(req.body);
          if (!Array.isArray(body.acl) || body.acl.length === 0) throw new HttpProblem(400, 'InvalidRequest', 'acl is required');
          connection.items.set(itemId, body);
          return { status: 200, body: { id: itemId, ...body } };
        }
        if (m === 'GET') {
          const item = connection.items.get(itemId);
          if (!item) throw new HttpProblem(404, 'ItemNotFound', `Item ${itemId} not found`);
          return { status: 200, body: { id: itemId, ...(item as object) } };
        }
        if (m === 'DELETE') {
          if (!connection.items.delete(itemId)) throw new HttpProblem(404, 'ItemNotFound', `Item ${itemId} not found`);
          return { status: 204 };
        }
      }
    }
    // ----- SharePoint sites and pages -----
    if (a === 'sites' && n === 2 && m === 'GET') {
      const site = tenant.sites.find((candidate) => candidate.id === decodeURIComponent(req.segments[1]!));
      if (!site) throw new HttpProblem(404, 'itemNotFound', 'Site not found');
      const full: Record<string, unknown> = { id: site.id, displayName: site.displayName, webUrl: site.webUrl, name: site.webUrl.split('/').pop() };
      const sel = parseList(req.query.get('$select'));
      return { status: 200, body: { '@odata.type': '#microsoft.graph.site', ...(sel ? pick(full, sel) : full) } };
    }
    if (a === 'sites' && n === 3 && c === 'pages' && m === 'GET') {
      const site = tenant.sites.find((candidate) => candidate.id === decodeURIComponent(req.segments[1]!));
      if (!site) throw new HttpProblem(404, 'itemNotFound', 'Site not found');
      const filter = req.query.get('$filter');
      let pages = site.pages;
      if (filter !== null) {
        const match = /^promotionKind eq '(\w+)'$/.exec(filter.trim());
        if (!match) throw new HttpProblem(400, 'invalidRequest', `Unsupported $filter: ${filter}`);
        pages = pages.filter((page) => page.promotionKind === match[1]);
      }
      const sel = parseList(req.query.get('$select'));
      return offsetPage(
        req,
        () => pages.map((page) => ({ '@odata.type': '#microsoft.graph.sitePage', ...(sel ? pick(page as unknown as Record<string, unknown>, sel) : page) })),
        `sites('${req.segments[1]}')/pages`,
      );
    }
    throw new HttpProblem(400, 'BadRequest', `Resource not found for the segment '${req.segments[req.segments.length - 1] ?? ''}'.`);
  }

  // ---------- faults ----------

  function injectedFault(req: SimRequest): SimResponse | undefined {
    if (!faults) return undefined;
    for (const rule of faults.failPages ?? []) {
      const matches = typeof rule.path === 'string' ? req.path.replace(/\(\)$/, '').replace('microsoft.graph.', '') === rule.path : rule.path.test(req.path);
      if (!matches || pageNumber(req) !== rule.page) continue;
      const used = pageFailures.get(rule) ?? 0;
      if (used >= (rule.times ?? 1)) continue;
      pageFailures.set(rule, used + 1);
      const status = rule.status ?? 503;
      return { ...faultResponse(status, status === 429 || status === 503), injected: true };
    }
    if (faults.only && !faults.only.test(req.path)) return undefined;
    const key = `${req.method} ${req.version}${req.path}?${req.query.toString()} ${req.rawBody.toString('utf8')}`;
    const attempt = attemptsByKey.get(key) ?? 0;
    attemptsByKey.set(key, attempt + 1);
    const r = unit(tenant.seed ^ 0x5eed, hashString(key), attempt);
    let edge = faults.throttleRate ?? 0;
    if (r < edge) return { ...faultResponse(429, true), injected: true };
    edge += faults.unavailableRate ?? 0;
    if (r < edge) return { ...faultResponse(503, faults.unavailableRetryAfter ?? false), injected: true };
    edge += faults.gatewayTimeoutRate ?? 0;
    if (r < edge) return { ...faultResponse(504, false), injected: true };
    edge += faults.hangRate ?? 0;
    if (r < edge) return { status: 0, hang: true, injected: true };
    return undefined;
  }

  function retryAfterValue(): string {
    const seconds = faults?.retryAfterSeconds ?? 1;
    return faults?.retryAfterAsDate ? new Date(Date.now() + seconds * 1000).toUTCString() : String(seconds);
  }

  function faultResponse(status: number, withRetryAfter: boolean): SimResponse {
    const codes: Record<number, [string, string]> = {
      429: ['TooManyRequests', 'Too many requests, please retry later.'],
      503: ['serviceNotAvailable', 'Service unavailable, please retry later.'],
      504: ['UnknownError', 'Gateway timeout.'],
    };
    const [code, message] = codes[status] ?? ['generalException', 'An error occurred.'];
    const response = odataError(status, code, message, 'injected');
    if (withRetryAfter) response.headers = { 'Retry-After': retryAfterValue() };
    return response;
  }

  // ---------- dispatch ----------

  function record(req: SimRequest, res: SimResponse, responseHeaders: Record<string, string>): void {
    if (!recordOn && listeners.size === 0) return;
    const headers = { ...req.headers };
    if (headers.authorization) headers.authorization = 'Bearer [redacted]';
    const exchange: RecordedExchange = {
      version: req.version,
      method: req.method,
      path: req.path,
      query: Object.fromEntries(req.query),
      requestHeaders: headers,
      requestBody: req.body,
      status: res.status,
      responseHeaders,
      responseBody: res.binary ?? res.body,
      contentType: responseHeaders['content-type'],
      viaBatch: req.viaBatch,
      injected: res.injected ?? false,
    };
    if (recordOn) recording.push(exchange);
    for (const listener of listeners) listener(exchange);
  }

  function handle(req: SimRequest): SimResponse {
    const requestId = `sim-${++requestCounter}`;
    try {
      if (!req.viaBatch) {
        const fault = injectedFault(req);
        if (fault) return fault;
      } else if (faults?.batchItemThrottleRate) {
        const key = `batch ${req.method} ${req.version}${req.path}?${req.query.toString()} ${req.rawBody.toString('utf8')}`;
        const attempt = attemptsByKey.get(key) ?? 0;
        attemptsByKey.set(key, attempt + 1);
        if (unit(tenant.seed ^ 0xba7c, hashString(key), attempt) < faults.batchItemThrottleRate) return { ...faultResponse(429, true), injected: true };
      }
      if (req.path === '/$batch' && !req.viaBatch) {
        if (req.method !== 'POST') throw new HttpProblem(405, 'BadRequest', 'Use POST for $batch');
        return batch(req);
      }
      return route(req);
    } catch (error) {
      if (error instanceof HttpProblem) return odataError(error.status, error.code, error.message, requestId);
      return odataError(500, 'generalException', error instanceof Error ? error.message : String(error), requestId);
    }
  }

  function batch(req: SimRequest): SimResponse {
    const body = requireObject(req.body);
    const requests = body.requests;
    if (!Array.isArray(requests) || requests.length === 0) throw new HttpProblem(400, 'BadRequest', 'Invalid batch payload format.');
    if (requests.length > 20) throw new HttpProblem(400, 'BadRequest', 'Maximum number of requests in a batch is 20.');
    const ids = new Set<string>();
    const responses = (requests as Array<Record<string, unknown>>).map((inner) => {
      const id = String(inner.id ?? '');
      if (!id || ids.has(id)) throw new HttpProblem(400, 'BadRequest', 'Batch request ids must be unique and not empty.');
      ids.add(id);
      const method = String(inner.method ?? 'GET').toUpperCase();
      const url = String(inner.url ?? '');
      const innerHeaders: Record<string, string> = {};
      for (const [key, value] of Object.entries((inner.headers as Record<string, string> | undefined) ?? {})) innerHeaders[key.toLowerCase()] = String(value);
      if (inner.body !== undefined && !innerHeaders['content-type']) {
        return { id, status: 400, headers: { 'Content-Type': 'application/json' }, body: (odataError(400, 'BadRequest', 'Content-Type header is required for a body', 'batch').body) };
      }
      const parsed = new URL(url.startsWith('/') ? url : `/${url}`, 'http://inner');
      const innerReq: SimRequest = {
        method,
        version: req.version,
        path: parsed.pathname,
        segments: parsed.pathname.split('/').filter(Boolean),
        query: parsed.searchParams,
        headers: { ...req.headers, ...innerHeaders },
        body: inner.body,
        rawBody: Buffer.from(inner.body === undefined ? '' : JSON.stringify(inner.body)),
        viaBatch: true,
      };
      const answer = handle(innerReq);
      const headers: Record<string, string> = { ...answer.headers };
      if (answer.binary) headers['Content-Type'] = headers['Content-Type'] ?? 'application/octet-stream';
      else if (answer.body !== undefined) headers['Content-Type'] = 'application/json';
      record(innerReq, answer, Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value])));
      return {
        id,
        status: answer.status,
        headers,
        ...(answer.binary ? { body: answer.binary.toString('base64') } : answer.body !== undefined ? { body: answer.body } : {}),
      };
    });
    return { status: 200, body: { responses } };
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  const server: Server = createServer((incoming, outgoing) => {
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let counted = true;
    const done = () => {
      if (counted) {
        counted = false;
        stats.inFlight--;
      }
    };
    outgoing.on('close', done);
    outgoing.on('finish', done);
    void (async () => {
      const raw = await readBody(incoming);
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const match = /^\/(v1\.0|beta)(\/.*)?$/.exec(url.pathname);
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers[key] = value;
      let body: unknown;
      if (raw.length > 0 && (headers['content-type'] ?? '').includes('json')) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          body = undefined;
        }
      }
      const req: SimRequest = {
        method: (incoming.method ?? 'GET').toUpperCase(),
        version: match?.[1] ?? '',
        path: match?.[2] ?? url.pathname,
        segments: (match?.[2] ?? '').split('/').filter(Boolean),
        query: url.searchParams,
        headers,
        body,
        rawBody: raw,
        viaBatch: false,
      };
      let res: SimResponse;
      if (!match) res = odataError(400, 'BadRequest', 'Invalid version', 'sim');
      else if (requireAuth && !/^Bearer \S+/.test(headers.authorization ?? '')) res = odataError(401, 'InvalidAuthenticationToken', 'Access token is empty.', 'sim');
      else res = handle(req);
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      if (res.injected) stats.injected++;
      if (res.hang) {
        hanging.add(outgoing);
        outgoing.on('close', () => hanging.delete(outgoing));
        return;
      }
      stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
      const responseHeaders: Record<string, string> = {
        'request-id': `sim-${requestCounter}`,
        'client-request-id': headers['client-request-id'] ?? `sim-${requestCounter}`,
      };
      for (const [key, value] of Object.entries(res.headers ?? {})) responseHeaders[key.toLowerCase()] = value;
      let payload: Buffer | undefined;
      if (res.binary) {
        payload = res.binary;
        responseHeaders['content-type'] ??= 'application/octet-stream';
      } else if (res.body !== undefined) {
        payload = Buffer.from(JSON.stringify(res.body));
        responseHeaders['content-type'] = jsonType;
      }
      record(req, res, responseHeaders);
      outgoing.writeHead(res.status, responseHeaders);
      outgoing.end(payload);
    })().catch((error: unknown) => {
      if (!outgoing.headersSent) {
        outgoing.writeHead(500, { 'content-type': jsonType });
        outgoing.end(JSON.stringify(odataError(500, 'generalException', String(error), 'sim').body));
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    port,
    tenant,
    recording,
    stats,
    setFaults(next) {
      faults = next;
      pageFailures.clear();
    },
    setRecording(on) {
      recordOn = on;
    },
    onExchange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    expireDeltaTokens() {
      minDeltaVersion = tenant.version + 1;
    },
    resetStats() {
      Object.assign(stats, { requests: 0, inFlight: stats.inFlight, maxInFlight: stats.inFlight, injected: 0, byStatus: {} });
    },
    close() {
      for (const response of hanging) response.destroy();
      hanging.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
