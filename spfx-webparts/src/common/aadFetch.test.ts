/**
 * @jest-environment node
 */
// The adapter that gives the ui's API client a fetch going through SharePoint's AadHttpClient
// (run by `heft test` in the SPFx build).
import { aadFetch, type AadClientLike, type AadResponseLike } from './aadFetch.js';
import { resolveSettings } from './settings.js';

interface Call {
  url: string;
  configuration: string;
  method?: string;
  headers?: Headers;
  body?: unknown;
}

function fakeAadClient(answer: { status: number; body?: string; headers?: Record<string, string> }): { client: AadClientLike<string>; calls: Call[] } {
  const calls: Call[] = [];
  const client: AadClientLike<string> = {
    async fetch(url, configuration, options): Promise<AadResponseLike> {
      calls.push({ url, configuration, ...options });
      const bytes = new TextEncoder().encode(answer.body ?? '');
      return {
        status: answer.status,
        statusText: '',
        headers: new Headers(answer.headers ?? {}),
        arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      };
    },
  };
  return { client, calls };
}

describe('aadFetch', () => {
  test('sends a GET through AadHttpClient with its configuration, without a token of its own, and answers a standard Response', async () => {
    const { client, calls } = fakeAadClient({ status: 200, body: '{"id":"me"}', headers: { 'content-type': 'application/json' } });
    const f = aadFetch(client, 'v1');
    const response = await f(new Request('https://ruche.example/api/v1/me', { headers: { authorization: 'Bearer nope', accept: 'application/json' } }));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('https://ruche.example/api/v1/me');
    expect(calls[0]!.configuration).toBe('v1');
    expect(calls[0]!.method).toBe('GET');
    expect(calls[0]!.headers!.get('authorization')).toBeNull();
    expect(calls[0]!.headers!.get('accept')).toBe('application/json');
    expect(calls[0]!.body).toBeUndefined();
    expect(response).toBeInstanceOf(Response);
    expect(response.ok).toBe(true);
    expect(await response.json()).toEqual({ id: 'me' });
  });

  test('passes a POST body and headers (Idempotency-Key) and keeps problem+json errors', async () => {
    const { client, calls } = fakeAadClient({ status: 403, body: '{"type":"forbidden"}', headers: { 'content-type': 'application/problem+json' } });
    const f = aadFetch(client, 'v1');
    const response = await f('https://ruche.example/api/v1/posts', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
      body: JSON.stringify({ body: 'hello' }),
    });
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.headers!.get('idempotency-key')).toBe('k1');
    expect(new TextDecoder().decode(calls[0]!.body as ArrayBuffer)).toBe('{"body":"hello"}');
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({ type: 'forbidden' });
  });

  test('a POST without a body sends none, and 204 answers have no body', async () => {
    const { client, calls } = fakeAadClient({ status: 204 });
    const response = await aadFetch(client, 'v1')('https://ruche.example/api/v1/announcements/x/view', { method: 'POST' });
    expect(calls[0]!.body).toBeUndefined();
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });
});

describe('connection settings', () => {
  test("the web part's own properties first, then the tenant properties; trailing slashes dropped", () => {
    expect(resolveSettings({ apiBaseUrl: 'https://a.example/', apiAppIdUri: 'api://a' }, { apiBaseUrl: 'https://t.example', apiAppIdUri: 'api://t' })).toEqual({
      apiBaseUrl: 'https://a.example',
      apiAppIdUri: 'api://a',
    });
    expect(resolveSettings({ apiBaseUrl: ' ', apiAppIdUri: '' }, { apiBaseUrl: 'https://t.example', apiAppIdUri: 'api://t' })).toEqual({
      apiBaseUrl: 'https://t.example',
      apiAppIdUri: 'api://t',
    });
  });

  test('nothing usable without both, and only https (or local http)', () => {
    expect(resolveSettings({ apiBaseUrl: 'https://a.example' }, {})).toBeNull();
    expect(resolveSettings({ apiBaseUrl: 'http://a.example', apiAppIdUri: 'api://a' }, {})).toBeNull();
    expect(resolveSettings({ apiBaseUrl: 'http://localhost:3978', apiAppIdUri: 'api://a' }, {})).toEqual({ apiBaseUrl: 'http://localhost:3978', apiAppIdUri: 'api://a' });
  });
});
