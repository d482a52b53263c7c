import type { IncomingMessage, Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, type LiveEnvelope, LiveHub, liveMessageFor, unreadNotificationCount } from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

export const eventsPath = '/api/v1/events';
const tokenMoved = Symbol.for('ruche.events.queryToken');

/**
 * EventSource cannot send headers, so GET /api/v1/events also accepts ?access_token=. Before
 * Fastify sees the request (and logs its URL), the token is moved from the query string to
 * the Authorization header and removed from the URL: it never reaches a log line. Any other
 * path keeps refusing query tokens.
 */
function acceptQueryToken(server: Server): void {
  const s = server as Server & { [tokenMoved]?: boolean };
  if (s[tokenMoved]) return;
  s[tokenMoved] = true;
  server.prependListener('request', (req: IncomingMessage) => {
    const url = req.url;
    if (!url || !url.includes('access_token')) return;
    const q = url.indexOf('?');
    if (q < 0) return;
    const path = url.slice(0, q).replace(/\/+$/, '');
    const params = new URLSearchParams(url.slice(q + 1));
    const token = params.get('access_token');
    params.delete('access_token');
    const rest = params.toString();
    req.url = `${url.slice(0, q)}${rest ? `?${rest}` : ''}`;
    if (path === eventsPath && token && !req.headers.authorization) req.headers.authorization = `Bearer ${token}`;
  });
}

export interface EventsOptions {
  db: Db;
  /** Comment lines that keep proxies from closing an idle stream (default 25 s). */
  heartbeatMs?: number;
}

/**
 * Server-Sent Events: each connected person receives the new posts of the communities they
 * follow and may read, new comments and reaction counts on posts they may read, their new
 * notifications and unread count. One LISTEN per instance (the hub); each event is loaded for each recipient
 * through the policy before anything is written.
 */
export function eventsRoutes(app: FastifyInstance, { db, heartbeatMs = 25_000 }: EventsOptions): LiveHub {
  const hub = new LiveHub(db);
  const open = new Set<() => void>();
  acceptQueryToken(app.server);

  app.addHook('preClose', async () => {
    for (const close of [...open]) close();
  });
  app.addHook('onClose', async () => {
    for (const close of [...open]) close();
    await hub.stop();
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/events',
    {
      schema: {
        tags: ['live'],
        summary: 'Live updates (Server-Sent Events): new posts, comments, reaction counts, notifications and the unread count I may see',
        description:
          'text/event-stream. Events: ready {unreadCount}, post (Post), comment (Comment), notification {notification, unreadCount}, ' +
          'unread {unreadCount}, reaction {targetType, targetId, postId, counts, total} (new counts of a post or comment I may read); a comment line every 25 s. Send the token as Authorization: Bearer; EventSource, which cannot ' +
          'send headers, may pass ?access_token= instead. Last-Event-ID resumes a short window on the same instance.',
        security: [{ bearer: [] }],
        querystring: z.object({ access_token: z.string().optional().describe('Only for EventSource; never logged') }),
        response: { 401: problemSchema, 403: problemSchema },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      reply.hijack();
      const res = reply.raw;
      const headers = reply.getHeaders() as Record<string, string | number | string[]>;
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let closed = false;
      let lastSeq = -1;
      let chain: Promise<void> = Promise.resolve();
      const seqOf = (id: string): number => Number(id.split('.')[1]);
      const write = (chunk: string): void => {
        if (!closed) res.write(chunk);
      };
      const enqueue = (task: () => Promise<void>): void => {
        chain = chain.then(task).catch((err: unknown) => request.log.warn({ err }, 'live event not delivered'));
      };
      const deliver = (env: LiveEnvelope): void => {
        enqueue(async () => {
          if (closed || seqOf(env.id) <= lastSeq) return;
          lastSeq = seqOf(env.id);
          const msg = await liveMessageFor(db, viewer, env.event);
          if (msg) write(`id: ${env.id}\nevent: ${msg.event}\ndata: ${JSON.stringify(msg.data)}\n\n`);
        });
      };

      const unsubscribe = await hub.subscribe(viewer.tenantId, viewer.personId, deliver);
      const startId = hub.lastId;
      const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
      heartbeat.unref();
      const close = (): void => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(close);
        res.end();
      };
      open.add(close);
      request.raw.on('close', close);
      res.on('error', close);

      const lastEventId = request.headers['last-event-id'];
      const replay = typeof lastEventId === 'string' ? hub.since(viewer.tenantId, lastEventId) : undefined;
      enqueue(async () => {
        const unreadCount = await unreadNotificationCount(db, viewer);
        write(`retry: 3000\nid: ${startId}\nevent: ready\ndata: ${JSON.stringify({ unreadCount, resumed: replay !== undefined })}\n\n`);
      });
      for (const env of replay ?? []) deliver(env);
      if (!replay) lastSeq = Math.max(lastSeq, seqOf(startId));
    },
  );
  return hub;
}
