import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Db, type FeedPage, type FeedSpec, followPerson, followTopic, listFollows, readFeed } from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';
import { postSchema } from './posts.js';
import { kudosSchema } from './recognition.js';
import { newsItemSchema } from './news.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const feedQuery = z.object({
  cursor: z.string().max(500).optional().describe('The nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  order: z
    .enum(['recent', 'top'])
    .optional()
    .describe('recent (default): newest first. top: (1 + reactions + 2 x comments) / (age in hours + 2)^1.5 over the last 30 days'),
});

const feedSchema = z
  .object({
    items: z.array(postSchema),
    nextCursor: z.string().nullable(),
    lastVisitAt: z.string().nullable().describe("The viewer's previous visit of this feed; newer items have isNew"),
    pinned: z.array(postSchema).describe('Pinned items, on the first page of a community feed'),
    topic: z.object({ slug: z.string(), name: z.string() }).optional(),
    kudos: z.array(kudosSchema).optional().describe('Recent kudos close to the viewer, on the first page of the home feed'),
    news: z
      .array(newsItemSchema)
      .optional()
      .describe(
        "Home feed: the organisation's SharePoint news of this page, read-only, linking back. They take their place among the posts in the feed's order (publishedAt beside createdAt) and count in the page's limit",
      ),
  })
  .meta({ id: 'Feed' });

const topicParam = z.string().min(1).max(80);

function out(page: FeedPage): z.infer<typeof feedSchema> {
  return page as z.infer<typeof feedSchema>;
}

/** Home, community, topic and person feeds, and following people and topics. */
export function feedRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['feeds'];
  const feeds: [string, string, z.ZodObject | null, (p: Record<string, string>) => FeedSpec][] = [
    ['/feeds/home', 'Home: followed communities, people and topics', null, () => ({ kind: 'home' })],
    [
      '/feeds/communities/:communityId',
      'A community feed, pinned items on top of the first page',
      z.object({ communityId: z.uuid() }),
      (p) => ({ kind: 'community', communityId: p.communityId! }),
    ],
    ['/feeds/topics/:topic', 'A topic feed (#topic, by name or slug)', z.object({ topic: topicParam }), (p) => ({ kind: 'topic', slug: p.topic! })],
    [
      '/feeds/people/:personId',
      "A person's posts that the viewer may read",
      z.object({ personId: z.uuid() }),
      (p) => ({ kind: 'person', personId: p.personId! }),
    ],
  ];
  for (const [path, summary, params, spec] of feeds) {
    r.get(
      path,
      {
        schema: {
          tags,
          summary,
          security,
          ...(params ? { params } : {}),
          querystring: feedQuery,
          response: { 200: feedSchema, ...problems },
        },
      },
      async (request) => {
        const q = request.query;
        return out(
          await readFeed(db, viewerOf(request), spec((request.params ?? {}) as Record<string, string>), {
            cursor: q.cursor,
            limit: q.limit,
            order: q.order,
            news: path === '/feeds/home',
          }),
        );
      },
    );
  }

  const followsSchema = z
    .object({
      people: z.array(z.object({ id: z.uuid(), displayName: z.string() })),
      topics: z.array(z.object({ slug: z.string(), name: z.string() })),
    })
    .meta({ id: 'Follows' });
  r.get(
    '/follows',
    { schema: { tags, summary: 'The people and topics the viewer follows', security, response: { 200: followsSchema, ...problems } } },
    async (request) => listFollows(db, viewerOf(request)),
  );
  const personParams = z.object({ personId: z.uuid() });
  for (const follow of [true, false]) {
    const method = follow ? r.put.bind(r) : r.delete.bind(r);
    method(
      '/follows/people/:personId',
      {
        schema: {
          tags,
          summary: follow ? 'Follow a person' : 'Unfollow a person',
          security,
          params: personParams,
          response: { 204: z.null(), ...problems },
        },
      },
      async (request, reply) => {
        await followPerson(db, viewerOf(request), (request.params as { personId: string }).personId, follow);
        return reply.code(204).send(null);
      },
    );
    method(
      '/follows/topics/:topic',
      {
        schema: {
          tags,
          summary: follow ? 'Follow a topic' : 'Unfollow a topic',
          security,
          params: z.object({ topic: topicParam }),
          response: { 200: z.object({ slug: z.string(), name: z.string() }), ...problems },
        },
      },
      async (request) => followTopic(db, viewerOf(request), (request.params as { topic: string }).topic, follow),
    );
  }
}
