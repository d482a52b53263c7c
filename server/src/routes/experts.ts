import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, EXPERT_LIMIT_MAX, EXPERT_QUERY_MAX, findExperts } from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const expertHitSchema = z
  .object({
    person: z.object({ id: z.uuid(), displayName: z.string(), jobTitle: z.string().nullable(), department: z.string().nullable(), office: z.string().nullable() }),
    score: z.number(),
    undeclared: z.boolean().describe('Evidence but no declared skill for it'),
    evidence: z.object({
      declaredSkills: z.array(z.string()),
      endorsements: z.number().int(),
      acceptedAnswers: z.number().int(),
      posts: z.number().int(),
      kudos: z.number().int(),
      expertIn: z.array(z.object({ id: z.uuid(), name: z.string() })),
      topic: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).nullable(),
    }),
    reasons: z.array(z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })),
    why: z.string(),
  })
  .meta({ id: 'ExpertHit' });

const resultSchema = z
  .object({
    query: z.string(),
    topics: z.array(z.object({ id: z.uuid(), slug: z.string(), name: z.string() })),
    skills: z.array(z.string()),
    items: z.array(expertHitSchema),
  })
  .meta({ id: 'ExpertSearchResult' });

export function expertRoutes(app: FastifyInstance, deps: { db: Db }): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/experts',
    {
      schema: {
        tags: ['expertise'],
        summary: 'Find people by evidence of expertise (French or English, typos tolerated), each result explained',
        security: [{ bearer: [] }],
        querystring: z.object({
          q: z.string().min(1).max(EXPERT_QUERY_MAX),
          office: z.string().max(200).optional(),
          department: z.string().max(200).optional(),
          language: z.string().max(50).optional(),
          limit: z.coerce.number().int().min(1).max(EXPERT_LIMIT_MAX).optional(),
        }),
        response: { 200: resultSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => findExperts(deps.db, viewerOf(request), request.query),
  );
}
