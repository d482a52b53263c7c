import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type Db,
  CONNECTORS_LIMIT_MAX,
  INSIGHTS_WINDOW_DAYS_MAX,
  communityInsightsCsv,
  getCommunityInsights,
  getInsightPreferences,
  listConnectors,
  setInsightPreferences,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const tags = ['insights'];

const connectorSchema = z
  .object({
    person: z.object({ id: z.uuid(), displayName: z.string(), jobTitle: z.string().nullable(), department: z.string() }),
    departments: z.number().int().describe('Distinct other departments reached (interactions or shared communities)'),
    departmentNames: z.array(z.string()).describe('The departments reached, most interactions first (at most 10)'),
    crossDepartmentInteractions: z.number().int(),
  })
  .meta({ id: 'Connector' });

const reachSchema = z.object({ audience: z.number().int(), viewed: z.number().int(), acknowledged: z.number().int(), acknowledgedEarlierVersion: z.number().int() });
const reachByDepartment = z.array(reachSchema.extend({ department: z.string().nullable() }));

const insightsSchema = z
  .object({
    community: z.object({ id: z.uuid(), slug: z.string(), name: z.string(), kind: z.string(), visibility: z.string() }),
    generatedAt: z.string(),
    members: z.number().int(),
    activeMembers30d: z.number().int(),
    engagementRate: z.number().describe('Active members over 30 days / members'),
    postsPerWeek: z.number().describe('Over the last 28 days'),
    postsPerWeekBefore: z.number().describe('Over the 28 days before'),
    activity: z.object({ current: z.number().int(), previous: z.number().int() }).describe('Posts and comments: last 28 days, and the 28 days before'),
    medianHoursToFirstAnswer: z.number().nullable().describe('Questions of the last 90 days, first answer by someone else'),
    unansweredQuestions: z.number().int(),
    health: z.enum(['growing', 'stable', 'declining', 'dormant']),
    suggestedAction: z.object({
      code: z.enum(['revive_or_archive', 'start_conversation', 'answer_questions', 'invite_members', 'recognise_contributors']),
      en: z.string(),
      fr: z.string(),
    }),
    announcements: z.object({
      items: z.array(
        z.object({ postId: z.uuid(), title: z.string(), mustRead: z.boolean(), version: z.number().int(), totals: reachSchema, byDepartment: reachByDepartment }),
      ),
      byDepartment: reachByDepartment,
    }),
    crossDepartment: z.object({
      days: z.number().int(),
      interactions: z.number().int(),
      crossDepartmentInteractions: z.number().int(),
      share: z.number(),
      pairs: z.array(z.object({ departments: z.tuple([z.string(), z.string()]), interactions: z.number().int() })),
      connectors: z.array(connectorSchema),
    }),
  })
  .meta({ id: 'CommunityInsights' });

const params = z.object({ ref: z.string().max(200) });

/** Insights: community health and reach (owners, moderators, tenant admins), connectors across departments, the insight opt-out. */
export function insightRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/communities/:ref/insights',
    {
      schema: {
        tags,
        summary: "A community's insights: engagement, questions, health with a suggested action, announcement reach, interactions across departments",
        security,
        params,
        response: { 200: insightsSchema, ...problems },
      },
    },
    async (request) => getCommunityInsights(db, viewerOf(request), request.params.ref),
  );

  r.get(
    '/communities/:ref/insights.csv',
    {
      schema: {
        tags,
        summary: "A community's insights as CSV (UTF-8 with BOM, formula-safe cells)",
        security,
        params,
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv'), ...problems },
      },
    },
    async (request, reply) => {
      const csv = await communityInsightsCsv(db, viewerOf(request), request.params.ref);
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="community-insights.csv"`)
        .header('cache-control', 'no-store');
      return reply.serializer((payload: unknown) => String(payload)).send(csv);
    },
  );

  r.get(
    '/insights/connectors',
    {
      schema: {
        tags,
        summary: 'People who bridge departments (administrators, HR and communicators); people who opted out are never named',
        security,
        querystring: z.object({
          days: z.coerce.number().int().min(1).max(INSIGHTS_WINDOW_DAYS_MAX).optional(),
          limit: z.coerce.number().int().min(1).max(CONNECTORS_LIMIT_MAX).optional(),
        }),
        response: { 200: z.object({ days: z.number().int(), items: z.array(connectorSchema) }).meta({ id: 'Connectors' }), ...problems },
      },
    },
    async (request) =>
      listConnectors(db, viewerOf(request), {
        ...(request.query.days ? { days: request.query.days } : {}),
        ...(request.query.limit ? { limit: request.query.limit } : {}),
      }),
  );

  const prefSchema = z.object({ optedOut: z.boolean().describe('Never named in insights (e.g. as a connector)') }).meta({ id: 'InsightPreferences' });
  r.get(
    '/me/insights',
    { schema: { tags, summary: 'My insight preference', security, response: { 200: prefSchema, ...problems } } },
    async (request) => getInsightPreferences(db, viewerOf(request)),
  );
  r.put(
    '/me/insights',
    { schema: { tags, summary: 'Opt out of (or back into) being named in insights', security, body: prefSchema, response: { 200: prefSchema, ...problems } } },
    async (request) => setInsightPreferences(db, viewerOf(request), request.body),
  );
}
