import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, type FileStore, readPersonPhoto } from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const idParams = z.object({ id: z.string().min(1).max(100).describe('The person id') });

/** People's photos from the directory, with caching headers; 404 for a person without one (show initials). */
export function photoRoutes(app: FastifyInstance, deps: { db: Db; files: FileStore }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/people/:id/photo',
    {
      schema: {
        tags: ['people'],
        summary: "A person's photo",
        description: 'Answers 304 to If-None-Match with the current ETag; 404 (PHOTO_NOT_FOUND) when the person has no photo.',
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: z.any().describe('The photo bytes'), 304: z.null(), 401: problemSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const photo = await readPersonPhoto(deps.db, deps.files, viewerOf(request), request.params.id);
      const etag = `"${Buffer.from(photo.etag).toString('base64url')}"`;
      reply.header('etag', etag).header('cache-control', 'private, max-age=3600, must-revalidate').header('last-modified', new Date(photo.updatedAt).toUTCString());
      const match = request.headers['if-none-match'];
      if (typeof match === 'string' && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) return reply.code(304).send(null);
      return reply
        .header('content-type', photo.contentType)
        .header('content-length', String(photo.bytes))
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('x-content-type-options', 'nosniff')
        .send(await photo.open());
    },
  );
}
