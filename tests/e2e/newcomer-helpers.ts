import type { Page } from 'playwright-core';

/** Helpers of the newcomer suite: demo people, local tokens, API calls as someone, sign-in in a page. */

export interface DemoPerson {
  id: string;
  upn: string;
  displayName: string;
}

/** A local access token for a demo person (the development identity provider). */
export async function tokenFor(baseUrl: string, upn: string): Promise<string> {
  const r = await fetch(`${baseUrl}/api/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ person: upn }),
  });
  if (!r.ok) throw new Error(`no token for ${upn}: HTTP ${r.status}`);
  return ((await r.json()) as { access_token: string }).access_token;
}

let keys = 0;

/** fetch as a person: JSON bodies, and an Idempotency-Key on every POST. */
export function apiAs(baseUrl: string, token: string) {
  return (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method === 'POST' ? { 'idempotency-key': `newcomer-e2e-${Date.now()}-${++keys}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
}

/** Signs in through the local "sign in as" page, which brings the person back to the home tab. */
export async function signInAs(page: Page, baseUrl: string, displayName: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/signin\?next=/);
  await page.getByRole('button', { name: new RegExp(displayName) }).first().click();
  await page.waitForURL(/\/tabs\/home$/);
}
