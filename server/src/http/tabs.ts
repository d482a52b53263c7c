import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build -w tabs` writes the Teams tabs (tabs/dist beside server/). */
export const defaultTabsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../tabs/dist');

/**
 * Serves the built tabs at /tabs/: hashed assets cached for a year, and index.html (never
 * cached) for every other path under /tabs/ so that the app's own routes and deep links
 * load. Returns false, registering nothing, when the tabs are not built.
 */
export async function registerTabs(app: FastifyInstance, dir: string = defaultTabsDir): Promise<boolean> {
  const indexFile = path.join(dir, 'index.html');
  if (!existsSync(indexFile)) return false;

  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/tabs/',
    wildcard: false,
    index: false,
    decorateReply: false,
    cacheControl: false,
    allowedPath: (pathName) => !pathName.endsWith('.map') || process.env.NODE_ENV !== 'production',
    setHeaders(res, filePath) {
      const immutable = filePath.startsWith(path.join(dir, 'assets') + path.sep);
      res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  const sendIndex = async (_request: unknown, reply: FastifyReply) => {
    const html = await readFile(indexFile, 'utf8');
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
  };
  app.get('/tabs', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/tabs/home'));
  app.get('/tabs/*', { schema: { hide: true } }, sendIndex);
  // A missing asset (an old hash after a deployment) is a 404, not the app's page.
  app.get('/tabs/assets/*', { schema: { hide: true } }, async (_request, reply) => reply.callNotFound());
  return true;
}
