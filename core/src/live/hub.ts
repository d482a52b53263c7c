/**
 * One listener per server instance: the hub LISTENs on the live channel once and fans the
 * events out in process to the connected people of the event's tenant. It keeps a short
 * window of recent events so that a reconnecting client (Last-Event-ID) misses nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import { type LiveEvent, liveChannel, parseLiveEvent } from './events.js';

export interface LiveEnvelope {
  /** `<instance>.<sequence>`: an SSE event id, meaningful to this hub only. */
  id: string;
  event: LiveEvent;
}

export type LiveHandler = (e: LiveEnvelope) => void;

interface Subscription {
  personId: string;
  handler: LiveHandler;
}

export interface LiveHubOptions {
  /** How many recent events are kept for Last-Event-ID resume (default 1000). */
  replaySize?: number;
  /** How long they are kept (default 2 minutes). */
  replayMs?: number;
}

export class LiveHub {
  private readonly instance = randomUUID().slice(0, 8);
  private seq = 0;
  private readonly byTenant = new Map<string, Set<Subscription>>();
  private readonly recent: { at: number; envelope: LiveEnvelope }[] = [];
  private starting: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly options: LiveHubOptions = {},
  ) {}

  /** Starts listening (once); subscribe() calls it. */
  async start(): Promise<void> {
    if (this.stopped) throw new Error('The live hub is stopped');
    this.starting ??= this.db.listen(liveChannel, (payload) => this.dispatch(payload)).then((u) => {
      this.unlisten = u;
    });
    await this.starting;
  }

  /** Subscribes a person's connection; returns the function that unsubscribes it. */
  async subscribe(tenantId: string, personId: string, handler: LiveHandler): Promise<() => void> {
    await this.start();
    const sub: Subscription = { personId, handler };
    let set = this.byTenant.get(tenantId);
    if (!set) {
      set = new Set();
      this.byTenant.set(tenantId, set);
    }
    set.add(sub);
    return () => {
      const s = this.byTenant.get(tenantId);
      if (!s) return;
      s.delete(sub);
      if (s.size === 0) this.byTenant.delete(tenantId);
    };
  }

  /** How many connections are subscribed (all tenants). */
  get connections(): number {
    let n = 0;
    for (const s of this.byTenant.values()) n += s.size;
    return n;
  }

  /**
   * The events of `tenantId` after `lastEventId`, if it is one of this hub's ids still in the
   * window; undefined when it cannot be resumed (unknown, another instance, too old).
   */
  since(tenantId: string, lastEventId: string): LiveEnvelope[] | undefined {
    const m = /^([0-9a-f]{8})\.(\d+)$/.exec(lastEventId);
    if (!m || m[1] !== this.instance) return undefined;
    const after = Number(m[2]);
    this.prune();
    const oldest = this.recent[0];
    if (after < this.seq && (!oldest || Number(oldest.envelope.id.split('.')[1]) > after + 1)) return undefined;
    return this.recent.filter((r) => Number(r.envelope.id.split('.')[1]) > after && r.envelope.event.tenantId === tenantId).map((r) => r.envelope);
  }

  /** The id of the latest event heard (to start a stream from). */
  get lastId(): string {
    return `${this.instance}.${this.seq}`;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.byTenant.clear();
    const u = this.unlisten;
    this.unlisten = undefined;
    if (u) await u();
  }

  private prune(): void {
    const max = this.options.replaySize ?? 1000;
    const cutoff = Date.now() - (this.options.replayMs ?? 120_000);
    while (this.recent.length > 0 && (this.recent.length > max || this.recent[0]!.at < cutoff)) this.recent.shift();
  }

  private dispatch(payload: string): void {
    const event = parseLiveEvent(payload);
    if (!event) return;
    this.seq += 1;
    const envelope: LiveEnvelope = { id: `${this.instance}.${this.seq}`, event };
    this.recent.push({ at: Date.now(), envelope });
    this.prune();
    const subs = this.byTenant.get(event.tenantId);
    if (!subs) return;
    for (const s of [...subs]) {
      if ((event.type === 'notification' || event.type === 'unread') && event.personId !== s.personId) continue;
      try {
        s.handler(envelope);
      } catch {
        // One connection's failure never stops the others.
      }
    }
  }
}
