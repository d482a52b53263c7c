/**
 * The ProactiveSender of core on the Teams SDK's API client (@microsoft/teams.api): posts
 * to {serviceUrl}/v3/conversations/{id}/activities with the bot's token (none in local mode
 * and tests, where the service URL is a local stand-in). HTTP errors become results (status,
 * Retry-After), never exceptions: the proactive drain decides what to do with them.
 */
import { Client as ApiClient } from '@microsoft/teams.api';
import type { ConversationReference, ProactiveActivity, ProactiveSendResult, ProactiveSender } from '@ruche/core';

export interface TeamsProactiveSenderOptions {
  /**
   * The bot's Bot Framework token (a string or a function called before each request; the
   * SDK's App gives one, see `botTokenOf`). Absent in local mode: no Authorization header.
   */
  token?: string | (() => Promise<string | undefined> | string | undefined);
  /** Milliseconds before a request is given up (default 15,000). */
  timeoutMs?: number;
}

interface AxiosLikeError {
  code?: string;
  message?: string;
  response?: { status: number; headers?: Record<string, unknown>; data?: unknown };
}

/** Retry-After: seconds, or an HTTP date. */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(String(raw));
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function errorMessage(data: unknown, fallback: string): string {
  if (data && typeof data === 'object' && 'error' in data) {
    const e = (data as { error?: { code?: unknown; message?: unknown } }).error;
    const parts = [e?.code, e?.message].filter((x): x is string => typeof x === 'string');
    if (parts.length > 0) return parts.join(': ');
  }
  return fallback;
}

export class TeamsProactiveSender implements ProactiveSender {
  private readonly http: ConstructorParameters<typeof ApiClient>[1];
  private readonly clients = new Map<string, ApiClient>();

  constructor(options: TeamsProactiveSenderOptions = {}) {
    const token = options.token;
    this.http = {
      timeout: options.timeoutMs ?? 15_000,
      ...(token === undefined ? {} : { token: typeof token === 'string' ? token : async () => (await token()) ?? undefined }),
    };
  }

  private client(serviceUrl: string): ApiClient {
    const base = serviceUrl.replace(/\/+$/, '');
    let c = this.clients.get(base);
    if (!c) {
      c = new ApiClient(base, this.http);
      this.clients.set(base, c);
    }
    return c;
  }

  async send(ref: ConversationReference, activity: ProactiveActivity): Promise<ProactiveSendResult> {
    const params = {
      ...activity,
      conversation: { id: ref.conversationId, ...(ref.tenantEntraId ? { tenantId: ref.tenantEntraId } : {}) },
      ...(ref.tenantEntraId ? { channelData: { ...activity.channelData, tenant: { id: ref.tenantEntraId } } } : {}),
    };
    try {
      const res = await this.client(ref.serviceUrl).conversations.activities(ref.conversationId).create(params as never);
      return { ok: true, ...(res && typeof res.id === 'string' ? { activityId: res.id } : {}) };
    } catch (err) {
      const e = err as AxiosLikeError;
      if (!e.response) return { ok: false, status: 0, error: e.message ?? String(err) };
      const status = e.response.status;
      const after = retryAfterMs(e.response.headers?.['retry-after']);
      return { ok: false, status, error: errorMessage(e.response.data, e.message ?? `HTTP ${status}`), ...(after !== undefined ? { retryAfterMs: after } : {}) };
    }
  }
}
