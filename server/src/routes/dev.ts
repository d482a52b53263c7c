import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, RucheError, findPersonByIdOrUpn, listSignInCandidates } from '@ruche/core';
import type { DevIdentityProvider } from '../auth/dev-identity.js';
import { problemSchema } from '../http/problem.js';

const staticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../static');

const signInAssets: Record<string, string> = {
  '/signin': 'signin.html',
  '/signin.js': 'signin.js',
  '/signin.css': 'signin.css',
};

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Local mode only: the development identity provider and its "sign in as" page. */
export function devRoutes(app: FastifyInstance, db: Db, idp: DevIdentityProvider, tenantId: string): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/v1/dev/token',
    {
      schema: {
        tags: ['local sign-in'],
        summary: 'Local mode only: an access token for a demo person',
        body: z.object({ person: z.string().min(1).max(320).describe('The person: a UPN or a Ruche id') }),
        response: {
          200: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int() }),
          400: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request) => {
      const person = await findPersonByIdOrUpn(db, tenantId, request.body.person);
      if (!person || person.isFormerEmployee) {
        throw new RucheError('PERSON_NOT_FOUND', `No current employee "${request.body.person}" in the demo organisation`);
      }
      const { token, expiresIn } = await idp.issue({
        tenantId,
        personId: person.id,
        upn: person.upn,
        name: person.displayName,
      });
      return { access_token: token, token_type: 'Bearer' as const, expires_in: expiresIn };
    },
  );

  r.get(
    '/api/v1/dev/people',
    {
      schema: {
        tags: ['local sign-in'],
        summary: 'Local mode only: the people one can sign in as',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.uuid(),
                upn: z.string(),
                displayName: z.string(),
                jobTitle: z.string().nullable(),
                department: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ items: await listSignInCandidates(db, tenantId) }),
  );

  for (const [url, file] of Object.entries(signInAssets)) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) => {
      const body = await readFile(path.join(staticDir, file), 'utf8');
      return reply.type(contentTypes[path.extname(file)] ?? 'application/octet-stream').send(body);
    });
  }
}

/** Outside local mode the development endpoints answer with a clear refusal. */
export function devRoutesRefused(app: FastifyInstance, reason: string): void {
  const refuse = async () => {
    throw new RucheError('DEV_AUTH_DISABLED', `Local sign-in is not available: ${reason}`);
  };
  app.post('/api/v1/dev/token', { schema: { hide: true } }, refuse);
  app.get('/api/v1/dev/people', { schema: { hide: true } }, refuse);
  app.get('/signin', { schema: { hide: true } }, refuse);
}
