/**
 * A fetch for the ui's API client that sends every request through SharePoint's
 * AadHttpClient, which adds an Entra token for the Ruche API (its App ID URI) to each call.
 * Structural types only (no import of @microsoft/sp-http), so that it is testable outside SPFx.
 */
/** What is used of AadHttpClient's answer (HttpClientResponse). */
export interface AadResponseLike {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface AadClientLike<Configuration> {
  fetch(url: string, configuration: Configuration, options: { method?: string; headers?: Headers; body?: BodyInit }): Promise<AadResponseLike>;
}

const nullBodyStatus = new Set([101, 204, 205, 304]);

export function aadFetch<Configuration>(client: AadClientLike<Configuration>, configuration: Configuration): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request && !init ? input : new Request(input as RequestInfo, init);
    const headers = new Headers(request.headers);
    // AadHttpClient sets the Authorization header itself.
    headers.delete('authorization');
    let body: ArrayBuffer | undefined;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const bytes = await request.arrayBuffer();
      if (bytes.byteLength > 0) body = bytes;
    }
    const answer = await client.fetch(request.url, configuration, { method: request.method, headers, ...(body ? { body } : {}) });
    // A standard Response for the API client (HttpClientResponse lacks some of Response's members).
    const bytes = nullBodyStatus.has(answer.status) ? null : await answer.arrayBuffer();
    return new Response(bytes, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  };
}
