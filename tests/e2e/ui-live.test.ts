import { createRucheClient } from '../../ui/src/api/client.js';
import { backoffDelay, parseSse, subscribeLive, type LiveMessage } from '../../ui/src/live/live.js';

/** The tabs' live stream client, against a scripted server: frames, reconnection, Last-Event-ID. */

describe('parseSse', () => {
  test('reads complete frames, keeps the incomplete rest, skips comments', () => {
    const { frames, rest } = parseSse(': ping\n\nretry: 3000\nid: a.1\nevent: ready\ndata: {"unreadCount":2}\n\nid: a.2\nevent: post\ndata: {"id"');
    expect(frames).toEqual([{ id: 'a.1', event: 'ready', data: '{"unreadCount":2}', retry: 3000 }]);
    expect(rest).toBe('id: a.2\nevent: post\ndata: {"id"');
  });

  test('joins multi-line data and accepts CRLF', () => {
    expect(parseSse('event: x\r\ndata: one\r\ndata: two\r\n\r\n').frames).toEqual([{ event: 'x', data: 'one\ntwo' }]);
  });
});

describe('backoffDelay', () => {
  test('doubles from the base, is capped, and keeps at least half of the ceiling', () => {
    expect(backoffDelay(0, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffDelay(0, 1000, 30_000, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(8000);
    expect(backoffDelay(20, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffDelay(20, 1000, 30_000, () => 0)).toBe(15_000);
  });
});

describe('subscribeLive', () => {
  test('delivers events, reconnects after the stream ends with Last-Event-ID and the bearer token, and stops when nobody listens', async () => {
    const requests: { url: string; auth: string | null; lastEventId: string | null }[] = [];
    const scripts = [
      'retry: 10\nid: s.1\nevent: ready\ndata: {"unreadCount":0}\n\nid: s.2\nevent: post\ndata: {"id":"p1"}\n\n',
      'id: s.3\nevent: ready\ndata: {"unreadCount":0,"resumed":true}\n\nid: s.4\nevent: comment\ndata: {"id":"c1","postId":"p1"}\n\n',
    ];
    const fakeFetch = async (input: Request): Promise<Response> => {
      requests.push({ url: input.url, auth: input.headers.get('authorization'), lastEventId: input.headers.get('last-event-id') });
      const script = scripts[requests.length - 1];
      if (script === undefined) return new Response(new ReadableStream({ start() {} }), { status: 200 }); // stays open
      const bytes = new TextEncoder().encode(script);
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(bytes.slice(0, 20)); // frames may be cut anywhere
            controller.enqueue(bytes.slice(20));
            controller.close();
          },
        }),
        { status: 200, headers: { 'content-type': 'text/event-stream' } },
      );
    };
    const client = createRucheClient({ baseUrl: 'http://ruche.test', getToken: () => 'token-1', fetch: fakeFetch as typeof fetch });
    const received: LiveMessage[] = [];
    const statuses: boolean[] = [];
    const unsubscribe = subscribeLive(client, (m) => received.push(m), (c) => statuses.push(c), { baseDelayMs: 10, maxDelayMs: 20, lingerMs: 10 });
    for (let i = 0; i < 200 && received.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    expect(received.map((m) => m.event)).toEqual(['ready', 'post', 'ready', 'comment']);
    expect(received[3]!.data).toEqual({ id: 'c1', postId: 'p1' });
    expect(requests[0]).toEqual({ url: 'http://ruche.test/api/v1/events', auth: 'Bearer token-1', lastEventId: null });
    expect(requests[1]).toEqual({ url: 'http://ruche.test/api/v1/events', auth: 'Bearer token-1', lastEventId: 's.2' });
    // Connected at each ready; disconnected whenever a stream ends (the third stays open, silent).
    expect(statuses.slice(0, 4)).toEqual([false, true, false, true]);
    unsubscribe();
    await new Promise((r) => setTimeout(r, 50));
    const count = requests.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(requests.length).toBe(count); // no reconnection once stopped
  });
});
