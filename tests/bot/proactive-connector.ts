/**
 * A local stand-in for the Bot Connector service (the `serviceUrl` of Teams conversations),
 * on 127.0.0.1: accepts POST /v3/conversations/:id/activities (and replies,
 * /v3/conversations/:id/activities/:activityId), records what it receives, and throttles
 * like Teams: a token bucket per tenant (about 50 requests per second), 429 with
 * Retry-After beyond it. Faults can be injected: an error answer (a 500 once), a
 * conversation gone (403/404, app uninstalled), an answer lost after the activity was
 * delivered, and a hook on every delivery to crash a fan-out midway.
 *
 * Used by the bot's proactive tests and by the bot benchmark (@ruche/tests/bot-connector).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorActivity {
  type?: string;
  id?: string;
  text?: string;
  replyToId?: string;
  conversation?: { id?: string; tenantId?: string };
  channelData?: { tenant?: { id?: string } } & Record<string, unknown>;
  attachments?: { contentType: string; content: unknown }[];
  [key: string]: unknown;
}

export interface DeliveredActivity {
  /** The id the connector gave the activity. */
  id: string;
  /** Ruche's stable key of a proactive message (channelData.ruche.outboxId), when there is one. */
  key?: string;
  conversationId: string;
  /** Set for replies (POST .../activities/:activityId). */
  replyToId?: string;
  tenant: string;
  activity: ConnectorActivity;
  authorization: string | undefined;
  /** performance.now() when it was accepted. */
  at: number;
}

export interface ProactiveConnectorOptions {
  /** Requests per second per tenant (default 50). */
  ratePerSecond?: number;
  /** Bucket size (default = ratePerSecond). */
  burst?: number;
  /** Milliseconds before each answer (the connector's latency; default 0). */
  latencyMs?: number;
  /** Refuse requests without `Authorization: Bearer <token>` with 401. */
  requireToken?: string;
}

export interface ProactiveConnector {
  /** The service URL to put in conversation references, e.g. http://127.0.0.1:43121/ */
  readonly url: string;
  /** Every activity accepted, in order. */
  readonly delivered: DeliveredActivity[];
  /** Requests answered 429, per tenant. */
  readonly throttled: Map<string, number>;
  /** Requests answered with an injected fault. */
  readonly faults: { status: number; conversationId: string }[];
  /** The next `times` requests (of a conversation, or any) get `status` (e.g. a 500 once). */
  failNext(status: number, options?: { times?: number; conversationId?: string; retryAfterSeconds?: number }): void;
  /** The app was uninstalled: every request to the conversation gets `status` (403 or 404). */
  remove(conversationId: string, status?: 403 | 404): void;
  /** The next accepted activity is delivered but its answer is lost (the socket is destroyed). */
  loseNextAnswer(): void;
  /** The connector goes down after `count` more accepted activities: every request after that is cut off unanswered, until `recover()`. */
  crashAfter(count: number): void;
  recover(): void;
  /** Called for every accepted activity (before the answer): a fan-out can be crashed from here. */
  onDelivered(listener: ((delivered: DeliveredActivity) => void) | undefined): void;
  /** Resolves when `count` activities were accepted in all. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

class TenantBucket {
  tokens: number;
  at: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.at = performance.now();
  }
  /** Takes a token, or answers how many milliseconds until one is there. */
  take(): number {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return ((1 - this.tokens) / this.rate) * 1000;
  }
}

const activitiesPath = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startProactiveConnector(options: ProactiveConnectorOptions = {}): Promise<ProactiveConnector> {
  const rate = options.ratePerSecond ?? 50;
  const burst = options.burst ?? rate;
  const buckets = new Map<string, TenantBucket>();
  const delivered: DeliveredActivity[] = [];
  const throttled = new Map<string, number>();
  const faults: { status: number; conversationId: string }[] = [];
  const removed = new Map<string, number>();
  let injected: { status: number; times: number; conversationId?: string; retryAfterSeconds?: number }[] = [];
  let loseAnswers = 0;
  let crashIn: number | undefined;
  let down = false;
  let listener: ((d: DeliveredActivity) => void) | undefined;
  let waiters: { count: number; resolve: () => void }[] = [];
  let seq = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (down) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://connector');
    const match = activitiesPath.exec(url.pathname);
    if (req.method !== 'POST' || !match) {
      json(res, 404, { error: { code: 'NotFound', message: `No route ${req.method} ${url.pathname}` } });
      return;
    }
    const conversationId = decodeURIComponent(match[1]!);
    const replyToId = match[2] ? decodeURIComponent(match[2]) : undefined;
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (options.requireToken && req.headers.authorization !== `Bearer ${options.requireToken}`) {
      json(res, 401, { error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } });
      return;
    }
    let activity: ConnectorActivity;
    try {
      activity = JSON.parse(raw) as ConnectorActivity;
    } catch {
      json(res, 400, { error: { code: 'BadArgument', message: 'The body is not JSON' } });
      return;
    }
    if (!activity || typeof activity !== 'object' || typeof activity.type !== 'string') {
      json(res, 400, { error: { code: 'BadArgument', message: 'Activity type is required' } });
      return;
    }
    const gone = removed.get(conversationId);
    if (gone) {
      faults.push({ status: gone, conversationId });
      json(res, gone, { error: { code: gone === 403 ? 'BotNotInConversationRoster' : 'ConversationNotFound', message: 'The bot is not part of the conversation roster.' } });
      return;
    }
    const fault = injected.find((f) => f.conversationId === undefined || f.conversationId === conversationId);
    if (fault) {
      fault.times--;
      injected = injected.filter((f) => f.times > 0);
      faults.push({ status: fault.status, conversationId });
      json(res, fault.status, { error: { code: 'ServiceError', message: `Injected ${fault.status}` } }, fault.retryAfterSeconds ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
      return;
    }
    const tenant = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? 'default';
    let bucket = buckets.get(tenant);
    if (!bucket) {
      bucket = new TenantBucket(rate, burst);
      buckets.set(tenant, bucket);
    }
    const wait = bucket.take();
    if (wait > 0) {
      throttled.set(tenant, (throttled.get(tenant) ?? 0) + 1);
      json(res, 429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) });
      return;
    }
    const id = `1:${Date.now().toString(36)}${(++seq).toString(36)}`;
    const ruche = activity.channelData?.ruche as { outboxId?: unknown } | undefined;
    const key = typeof ruche?.outboxId === 'string' ? ruche.outboxId : undefined;
    const record: DeliveredActivity = {
      id,
      conversationId,
      tenant,
      activity,
      authorization: req.headers.authorization,
      at: performance.now(),
      ...(key ? { key } : {}),
      ...(replyToId ? { replyToId } : {}),
    };
    delivered.push(record);
    if (crashIn !== undefined && --crashIn <= 0) {
      crashIn = undefined;
      down = true;
    }
    listener?.(record);
    const ready = waiters.filter((w) => delivered.length >= w.count);
    waiters = waiters.filter((w) => delivered.length < w.count);
    for (const w of ready) w.resolve();
    if (loseAnswers > 0) {
      loseAnswers--;
      req.socket.destroy();
      return;
    }
    json(res, 201, { id });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { error: { code: 'ServiceError', message: err instanceof Error ? err.message : String(err) } });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    delivered,
    throttled,
    faults,
    failNext(status, o = {}) {
      injected.push({ status, times: o.times ?? 1, ...(o.conversationId ? { conversationId: o.conversationId } : {}), ...(o.retryAfterSeconds ? { retryAfterSeconds: o.retryAfterSeconds } : {}) });
    },
    remove(conversationId, status = 403) {
      removed.set(conversationId, status);
    },
    loseNextAnswer() {
      loseAnswers++;
    },
    crashAfter(count) {
      crashIn = count;
    },
    recover() {
      down = false;
      crashIn = undefined;
    },
    onDelivered(l) {
      listener = l;
    },
    waitFor(count, timeoutMs = 60_000) {
      if (delivered.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`The connector received ${delivered.length} of ${count} activities`)), timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    reset() {
      delivered.length = 0;
      throttled.clear();
      faults.length = 0;
      removed.clear();
      injected = [];
      loseAnswers = 0;
      crashIn = undefined;
      down = false;
      buckets.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
