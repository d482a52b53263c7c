import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, SIMILAR_LIMIT_MAX, similarToCommunity, similarToPost } from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const tags = ['similar'];

const similarPostSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    title: z.string(),
    community: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    author: z.object({ id: z.uuid(), displayName: z.string(), department: z.string().nullable() }),
    department: z.string().nullable(),
    createdAt: z.string(),
    score: z.number().describe('Shared words (cosine) plus a bonus for close titles'),
    sharedTerms: z.array(z.string()).describe('Words the two share (lower case, no accents)'),
  })
  .meta({ id: 'SimilarPost' });

const similarCommunitySchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    kind: z.string(),
    visibility: z.string(),
    department: z.string().nullable(),
    members: z.number().int(),
    score: z.number(),
    sharedTerms: z.array(z.string()),
  })
  .meta({ id: 'SimilarCommunity' });

const similarWorkSchema = z
  .object({
    source: z.object({ type: z.enum(['post', 'community']), id: z.uuid(), department: z.string().nullable() }),
    posts: z.array(similarPostSchema),
    communities: z.array(similarCommunitySchema),
  })
  .meta({ id: 'SimilarWork', description: 'Posts and communities of other departments on the same subject, as far as the viewer may see them' });

const query = z.object({ limit: z.coerce.number().int().min(1).max(SIMILAR_LIMIT_MAX).optional() });

/** Same work elsewhere: similar posts and communities in other departments. */
export function similarRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/posts/:postId/similar',
    {
      schema: {
        tags,
        summary: 'Similar work elsewhere: posts and communities of other departments close to this post',
        security,
        params: z.object({ postId: z.string().max(100) }),
        querystring: query,
        response: { 200: similarWorkSchema, ...problems },
      },
    },
    async (request) => similarToPost(db, viewerOf(request), request.params.postId, request.query.limit ? { limit: request.query.limit } : {}),
  );
  r.get(
    '/communities/:ref/similar',
    {
      schema: {
        tags,
        summary: 'Similar work elsewhere: posts and communities of other departments close to this community (id or slug)',
        security,
        params: z.object({ ref: z.string().max(200) }),
        querystring: query,
        response: { 200: similarWorkSchema, ...problems },
      },
    },
    async (request) => similarToCommunity(db, viewerOf(request), request.params.ref, request.query.limit ? { limit: request.query.limit } : {}),
  );
}
