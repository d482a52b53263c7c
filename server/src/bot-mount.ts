/**
 * Mounts the Teams bot beside the API: the Teams SDK registers its messaging endpoint
 * through this IHttpServerAdapter, on the server's Fastify instance (one process, one port).
 */
import type { FastifyInstance } from 'fastify';
import { createBot, type HttpMethod, type HttpRouteHandler, type IHttpServerAdapter } from '@ruche/bot';
import type { Config, Db, Logger } from '@ruche/core';

/** Fastify as the SDK's HTTP server: routes only (the host listens and serves static files itself). */
export class FastifyBotAdapter implements IHttpServerAdapter {
  constructor(private readonly app: FastifyInstance) {}

  registerRoute(method: HttpMethod, path: string, handler: HttpRouteHandler): void {
    this.app.route({
      method,
      url: path,
      schema: { hide: true },
      handler: async (request, reply) => {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = value;
        const response = await handler({ body: request.body, headers });
        reply.status(response.status);
        if (response.body === undefined || response.body === null) return reply.send();
        return reply.type('application/json').send(JSON.stringify(response.body));
      },
    });
  }
}

/** Registers POST /api/messages when a bot is configured (always in local mode); false otherwise. */
export async function mountBot(app: FastifyInstance, options: { db: Db; config: Config; logger: Logger; localTenantId: string }): Promise<boolean> {
  const bot = createBot({ ...options, httpServerAdapter: new FastifyBotAdapter(app) });
  if (!bot) return false;
  await bot.start();
  return true;
}
