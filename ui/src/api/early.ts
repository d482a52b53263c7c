import type { Problem, Schemas } from './client.js';
import { ApiError } from './errors.js';

/**
 * The home feed's first page, requested before the app's code has loaded: the tabs' small
 * entry module starts it while the browser is still fetching and compiling the rest of the
 * JavaScript, and the first home Feed takes the answer, once. Nothing here imports React or
 * Fluent, so that the entry stays small.
 */

/** How many posts a feed page asks for (the Feed's own requests use the same number). */
export const feedPageLimit = 20;

let homeFeed: Promise<Response> | null = null;

/** Starts GET /api/v1/feeds/home for its first page with this bearer token (a browser page, where the token is known at once). */
export function startHomeFeedRequest(token: string): void {
  homeFeed = fetch(`/api/v1/feeds/home?limit=${feedPageLimit}`, {
    headers: { accept: 'application/json', authorization: `Bearer ${token}` },
  });
  // An answer nobody takes (the person left the page first) is not an unhandled rejection.
  homeFeed.catch(() => undefined);
}

/**
 * The early first page of the home feed, if one was started and not taken yet: its page, or
 * the ApiError of a refusal (as unwrap throws it). Null when none was started, or when the
 * token was refused (401): the caller then asks through its API client, which knows what to
 * do then (a fresh token, or the sign-in page).
 */
export async function takeHomeFeedFirstPage(): Promise<Schemas['Feed'] | null> {
  const request = homeFeed;
  homeFeed = null;
  if (!request) return null;
  let response: Response;
  try {
    response = await request;
  } catch (err) {
    throw new ApiError(0, { title: 'network', detail: err instanceof Error ? err.message : String(err) });
  }
  if (response.status === 401) return null;
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body && typeof body === 'object' ? (body as Partial<Problem>) : {});
  return body as Schemas['Feed'];
}
