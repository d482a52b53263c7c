import type { Comment, Post, RucheClient, Schemas } from '../api/client.js';

/** What GET /api/v1/events sends (server/src/routes/events.ts), already filtered for the viewer by the server. */
export type LiveMessage =
  | { event: 'ready'; data: { unreadCount: number; resumed?: boolean } }
  | { event: 'post'; data: Post }
  | { event: 'comment'; data: Comment }
  /** New reaction counts of a post or comment the viewer may read (no one named; the viewer's own reaction is not in it). */
  | {
      event: 'reaction';
      data: { targetType: 'post' | 'comment'; targetId: string; postId: string; counts: Post['counts']['reactions']; total: number };
    }
  | { event: 'notification'; data: { notification: Schemas['Notification']; unreadCount: number } }
  | { event: 'unread'; data: { unreadCount: number } };

export type LiveHandler = (message: LiveMessage) => void;
export type LiveStatusHandler = (connected: boolean) => void;

export interface LiveOptions {
  /** First reconnection delay; doubles on each failure up to maxDelayMs, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long the stream stays open after the last subscriber left (navigation between pages). */
  lingerMs?: number;
}

/** One Server-Sent Events frame: "id:", "event:", "data:" and "retry:" lines, ended by a blank line. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
  retry?: number;
}

/** Splits a text buffer into complete frames; returns them and what remains of an incomplete one. */
export function parseSse(buffer: string): { frames: SseFrame[]; rest: string } {
  const frames: SseFrame[] = [];
  const normalized = buffer.replace(/\r\n?/g, '\n');
  const parts = normalized.split('\n\n');
  const rest = parts.pop() ?? '';
  for (const part of parts) {
    const frame: SseFrame = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of part.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') frame.id = value;
      else if (field === 'event') frame.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) frame.retry = Number(value);
    }
    frame.data = data.join('\n');
    if (data.length > 0 || frame.retry !== undefined || frame.id !== undefined) frames.push(frame);
  }
  return { frames, rest };
}

/** The delay before reconnection attempt `attempt` (0-based): exponential, capped, with jitter. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * One event stream per API client, shared by every subscriber (feeds, post cards). Read
 * with fetch rather than EventSource, so that the token travels in the Authorization header
 * like every other call. Reconnects with backoff and resumes with Last-Event-ID.
 */
class LiveConnection {
  private handlers = new Set<LiveHandler>();
  private statusHandlers = new Set<LiveStatusHandler>();
  private abort: AbortController | null = null;
  private running = false;
  private lastEventId: string | null = null;
  private connected = false;
  private linger: ReturnType<typeof setTimeout> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly client: RucheClient,
    private readonly options: Required<LiveOptions>,
  ) {}

  subscribe(handler: LiveHandler, onStatus?: LiveStatusHandler): () => void {
    this.handlers.add(handler);
    if (onStatus) {
      this.statusHandlers.add(onStatus);
      onStatus(this.connected);
    }
    if (this.linger) {
      clearTimeout(this.linger);
      this.linger = null;
    }
    if (!this.running) void this.run();
    return () => {
      this.handlers.delete(handler);
      if (onStatus) this.statusHandlers.delete(onStatus);
      if (this.handlers.size === 0 && !this.linger) {
        this.linger = setTimeout(() => {
          this.linger = null;
          if (this.handlers.size === 0) this.stop();
        }, this.options.lingerMs);
      }
    };
  }

  private setConnected(value: boolean): void {
    if (this.connected === value) return;
    this.connected = value;
    for (const h of [...this.statusHandlers]) h(value);
  }

  private stop(): void {
    this.running = false;
    this.abort?.abort();
    this.wake?.();
    this.setConnected(false);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    let attempt = 0;
    let retryMs = this.options.baseDelayMs;
    while (this.running) {
      const abort = new AbortController();
      this.abort = abort;
      try {
        const { response } = await this.client.GET('/api/v1/events', {
          parseAs: 'stream',
          signal: abort.signal,
          headers: { accept: 'text/event-stream', ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}) },
        });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          const { frames, rest } = parseSse(buffer);
          buffer = rest;
          for (const frame of frames) {
            if (frame.id) this.lastEventId = frame.id;
            if (frame.retry !== undefined) retryMs = Math.max(this.options.baseDelayMs, frame.retry);
            if (!frame.data) continue;
            if (frame.event === 'ready') {
              attempt = 0;
              this.setConnected(true);
            }
            let data: unknown;
            try {
              data = JSON.parse(frame.data);
            } catch {
              continue;
            }
            const message = { event: frame.event, data } as LiveMessage;
            for (const h of [...this.handlers]) {
              try {
                h(message);
              } catch {
                // One subscriber's failure must not stop the others.
              }
            }
          }
        }
      } catch {
        // Network failure, refused token or aborted: reconnect below unless stopped.
      }
      this.setConnected(false);
      if (!this.running) break;
      await this.sleep(backoffDelay(attempt, retryMs, this.options.maxDelayMs));
      attempt += 1;
    }
  }
}

const connections = new WeakMap<RucheClient, LiveConnection>();

/** Subscribes to the live events of the signed-in person; returns the unsubscribe function. */
export function subscribeLive(client: RucheClient, handler: LiveHandler, onStatus?: LiveStatusHandler, options: LiveOptions = {}): () => void {
  let connection = connections.get(client);
  if (!connection) {
    connection = new LiveConnection(client, { baseDelayMs: 1000, maxDelayMs: 30_000, lingerMs: 5000, ...options });
    connections.set(client, connection);
  }
  return connection.subscribe(handler, onStatus);
}
