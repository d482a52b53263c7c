import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, listNews } from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

export const newsItemSchema = z
  .object({
    kind: z.literal('sharepoint_news'),
    siteId: z.string(),
    pageId: z.string(),
    siteName: z
      .string()
      .meta({ description: "The site's display name in SharePoint; when it is not known, the site's name as its address gives it (/sites/NAME), or its host for the root site" }),
    title: z.string(),
    description: z.string().nullable(),
    webUrl: z.string().meta({ description: 'The news page in SharePoint (news are read there)' }),
    authorName: z.string().nullable(),
    publishedAt: z.string(),
    modifiedAt: z.string().nullable(),
  })
  .meta({ id: 'NewsItem' });

const query = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Intranet news from the configured SharePoint sites, read-only, newest first. */
export function newsRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/news',
    {
      schema: {
        tags: ['feeds'],
        summary: 'SharePoint intranet news (read-only, linking back), newest first',
        security: [{ bearer: [] }],
        querystring: query,
        response: { 200: z.object({ items: z.array(newsItemSchema), nextCursor: z.string().nullable() }), 400: problemSchema, 401: problemSchema },
      },
    },
    async (request) => listNews(deps.db, viewerOf(request), { limit: request.query.limit, ...(request.query.cursor ? { cursor: request.query.cursor } : {}) }),
  );
}
