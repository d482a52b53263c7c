import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type Db,
  RucheError,
  SEARCH_PAGE_MAX,
  SEARCH_QUERY_MAX,
  autocompletePeople,
  searchAll,
  searchCommunities,
  searchPeople,
  searchPosts,
  searchTopics,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema };

const highlight = z.string().describe('HTML: escaped text, matches in <mark> (the only markup)');

const postHitSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(['discussion', 'question', 'announcement', 'idea', 'poll', 'event']),
    title: z.string(),
    titleHighlight: highlight,
    highlight,
    community: z.object({ id: z.uuid(), name: z.string() }),
    author: z.object({ id: z.uuid(), displayName: z.string() }),
    createdAt: z.string(),
  })
  .meta({ id: 'PostHit' });

const communityHitSchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    kind: z.enum(['org_unit', 'interest', 'profession', 'project']),
    visibility: z.enum(['public', 'private', 'secret']),
    isOfficial: z.boolean(),
    archived: z.boolean(),
    highlight,
    isMember: z.boolean(),
  })
  .meta({ id: 'CommunityHit' });

const personHitSchema = z
  .object({
    id: z.uuid(),
    displayName: z.string(),
    upn: z.string(),
    jobTitle: z.string().nullable(),
    department: z.string().nullable(),
    isFormerEmployee: z.boolean(),
  })
  .meta({ id: 'PersonHit' });

const topicHitSchema = z.object({ id: z.uuid(), slug: z.string(), name: z.string() }).meta({ id: 'TopicHit' });

const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

const searchResultsSchema = z
  .object({
    q: z.string(),
    type: z.enum(['posts', 'communities', 'people', 'topics', 'all']),
    posts: pageOf(postHitSchema).optional(),
    communities: pageOf(communityHitSchema).optional(),
    people: pageOf(personHitSchema).optional(),
    topics: pageOf(topicHitSchema).optional(),
    counts: z
      .object({ posts: z.number().int(), communities: z.number().int(), people: z.number().int(), topics: z.number().int() })
      .optional()
      .describe('type=all: how many the viewer may see of each, capped at 100'),
  })
  .meta({ id: 'SearchResults' });

/** Search of posts, communities, people and topics, and people suggestions for @mentions. */
export function searchRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search what the viewer may see: posts and communities by full text (French and English, accents ignored), people and topics by name',
        security,
        querystring: z.object({
          q: z.string().max(SEARCH_QUERY_MAX).describe('Words, "quoted phrases", or, -excluded'),
          type: z.enum(['posts', 'communities', 'people', 'topics', 'all']).default('all'),
          cursor: z.string().max(500).optional().describe('The nextCursor of the previous page (one type only)'),
          limit: z.coerce.number().int().min(1).max(SEARCH_PAGE_MAX).optional(),
        }),
        response: { 200: searchResultsSchema, ...problems },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const { q, type, cursor, limit } = request.query;
      const input = { q, cursor, limit };
      switch (type) {
        case 'posts':
          return { q, type, posts: await searchPosts(db, viewer, input) };
        case 'communities':
          return { q, type, communities: await searchCommunities(db, viewer, input) };
        case 'people':
          return { q, type, people: await searchPeople(db, viewer, input) };
        case 'topics':
          return { q, type, topics: await searchTopics(db, viewer, input) };
        case 'all': {
          if (cursor) throw new RucheError('INVALID_CURSOR', 'A cursor pages one type: add type=posts, communities, people or topics');
          return { q, type, ...(await searchAll(db, viewer, { q, limit })) };
        }
      }
    },
  );

  r.get(
    '/people/autocomplete',
    {
      schema: {
        tags: ['search'],
        summary: 'People to @mention: current employees by name or user name, best first',
        security,
        querystring: z.object({ q: z.string().max(SEARCH_QUERY_MAX), limit: z.coerce.number().int().min(1).max(SEARCH_PAGE_MAX).optional() }),
        response: { 200: z.object({ items: z.array(personHitSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await autocompletePeople(db, viewerOf(request), { q: request.query.q, limit: request.query.limit }) }),
  );
}
