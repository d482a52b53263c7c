import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError } from './errors.js';
import type { components, paths } from './schema.js';

export { ApiError } from './errors.js';

export type { components, paths } from './schema.js';
export type Schemas = components['schemas'];
export type Person = Schemas['Person'];
export type Community = Schemas['Community'];
export type CommunityKind = Community['kind'];
export type CommunityMember = Schemas['CommunityMember'];
export type Post = Schemas['Post'];
export type Comment = Schemas['Comment'];
export type ReactionKind = NonNullable<Post['viewerReaction']>;
export type Problem = Schemas['Problem'];

export interface ClientOptions {
  /** Origin of the API (empty: the page's own origin). */
  baseUrl?: string;
  /** The bearer token for each call (SSO in Teams, the local sign-in token in a browser). */
  getToken: () => Promise<string | null> | string | null;
  /** Called when the API answers 401 (the token is missing, expired or refused). */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
}

function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** The typed client: paths, parameters and bodies come from the server's OpenAPI document. */
export function createRucheClient(options: ClientOptions) {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? '',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const auth: Middleware = {
    async onRequest({ request }) {
      const token = await options.getToken();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      // Every creating POST may be retried safely.
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) {
        request.headers.set('idempotency-key', newIdempotencyKey());
      }
      return request;
    },
    async onResponse({ response }) {
      if (response.status === 401) options.onUnauthorized?.();
      return response;
    },
  };
  client.use(auth);
  return client;
}

export type RucheClient = ReturnType<typeof createRucheClient>;

/** Returns the data of a 2xx answer, or throws an ApiError built from the problem+json. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result;
  try {
    result = await call;
  } catch (err) {
    throw new ApiError(0, { title: 'network', detail: err instanceof Error ? err.message : String(err) });
  }
  if (!result.response.ok) {
    const e = result.error;
    const problem = e && typeof e === 'object' ? (e as Partial<Problem>) : {};
    throw new ApiError(result.response.status, problem);
  }
  return result.data as T;
}
