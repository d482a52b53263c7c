import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type Db,
  type ItemRef,
  RucheError,
  createKeywordRule,
  deleteKeywordRule,
  erasePerson,
  exportPersonalData,
  getRateLimits,
  keywordActions,
  keywordRuleKinds,
  listAuditLog,
  listKeywordRules,
  listModerationQueue,
  moderateContent,
  moderationActions,
  rateActions,
  reportContent,
  reportReasons,
  setRateLimits,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };

const itemRef = z.object({ type: z.enum(['post', 'comment']), id: z.uuid() }).meta({ id: 'ItemRef' });
const itemRefInput = z.object({ type: z.enum(['post', 'comment']), id: z.uuid() });

const reportSchema = z
  .object({
    id: z.uuid(),
    target: itemRef,
    reason: z.enum(reportReasons),
    details: z.string(),
    state: z.enum(['open', 'dismissed', 'actioned']),
    createdAt: z.string(),
  })
  .meta({ id: 'Report' });

const newReportSchema = z
  .object({
    reason: z.enum(reportReasons),
    details: z.string().max(2000).optional().describe('Free text; required when the reason is "other"'),
  })
  .meta({ id: 'NewReport' });

const queueItemSchema = z
  .object({
    target: itemRef,
    postId: z.uuid(),
    community: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    author: z.object({ id: z.uuid(), displayName: z.string() }),
    excerpt: z.string(),
    hidden: z.boolean(),
    deleted: z.boolean(),
    reportCount: z.number().int(),
    reasons: z.array(z.string()),
    firstReportedAt: z.string(),
    lastReportedAt: z.string(),
    latest: z.array(z.object({ reason: z.string(), details: z.string(), createdAt: z.string() })),
  })
  .meta({ id: 'ModerationQueueItem' });
const queuePage = z.object({ items: z.array(queueItemSchema), nextCursor: z.string().nullable() }).meta({ id: 'ModerationQueuePage' });

const moderationResultSchema = z
  .object({
    target: itemRef,
    action: z.enum(moderationActions),
    hidden: z.boolean(),
    deleted: z.boolean(),
    resolvedReports: z.number().int(),
  })
  .meta({ id: 'ModerationResult' });

const keywordRuleSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(keywordRuleKinds),
    pattern: z.string(),
    action: z.enum(keywordActions),
    language: z.enum(['fr', 'en']).nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'KeywordRule' });

const rateLimit = z.object({ burst: z.number(), perHour: z.number() });
const rateLimitsSchema = z.object(Object.fromEntries(rateActions.map((a) => [a, rateLimit])) as Record<(typeof rateActions)[number], typeof rateLimit>).meta({ id: 'RateLimits' });
const rateLimitsPatch = z
  .object(
    Object.fromEntries(rateActions.map((a) => [a, z.object({ burst: z.number().min(1).max(1_000_000).optional(), perHour: z.number().min(1).max(1_000_000).optional() }).optional()])) as Record<
      (typeof rateActions)[number],
      z.ZodOptional<z.ZodObject<{ burst: z.ZodOptional<z.ZodNumber>; perHour: z.ZodOptional<z.ZodNumber> }>>
    >,
  )
  .meta({ id: 'RateLimitsPatch' });

const auditEntrySchema = z
  .object({
    id: z.string(),
    actor: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .meta({ id: 'AuditEntry' });

const erasureSchema = z
  .object({
    personId: z.uuid(),
    mode: z.enum(['anonymise', 'delete']),
    alreadyErased: z.boolean(),
    displayName: z.string(),
    counts: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'ErasureResult' });
const erasureBody = z
  .object({
    mode: z
      .enum(['anonymise', 'delete'])
      .default('anonymise')
      .describe('anonymise: content kept under "Former employee"; delete: content removed as well (placeholders keep others\' threads)'),
  })
  .meta({ id: 'ErasureRequest' });

const exportSchema = z.record(z.string(), z.unknown()).meta({ id: 'PersonalDataExport' });
const pageQuery = { cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(100).optional() };

/** The seconds to wait, for 429 answers (RATE_LIMITED carries them in its details). */
export function registerRetryAfter(api: FastifyInstance): void {
  api.addHook('onError', async (_request, reply, error) => {
    if (error instanceof RucheError && error.code === 'RATE_LIMITED') {
      const seconds = Number(error.details?.retryAfterSeconds);
      if (Number.isFinite(seconds) && seconds > 0) reply.header('retry-after', String(Math.ceil(seconds)));
    }
  });
}

/** Governance: reports, moderation queues and actions, keyword rules, rate limits, audit log, personal data. */
export function governanceRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  registerRetryAfter(app);
  const r = app.withTypeProvider<ZodTypeProvider>();

  for (const type of ['post', 'comment'] as const) {
    const params = type === 'post' ? z.object({ postId: z.uuid() }) : z.object({ commentId: z.uuid() });
    r.post(
      type === 'post' ? '/posts/:postId/reports' : '/comments/:commentId/reports',
      {
        config: { idempotent: true },
        schema: {
          tags: ['moderation'],
          summary: `Report a ${type} to the moderators (one open report per person per item)`,
          security,
          params,
          body: newReportSchema,
          response: { 201: reportSchema, ...problems },
        },
      },
      async (request, reply) => {
        const p = request.params as Record<string, string>;
        const target: ItemRef = { type, id: type === 'post' ? p.postId! : p.commentId! };
        const report = await reportContent(db, viewerOf(request), { target, reason: request.body.reason, details: request.body.details });
        return reply.code(201).send(report);
      },
    );
  }

  r.get(
    '/moderation/queue',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Reported items of every community the caller moderates (tenant admins: the whole tenant), grouped per item, oldest first',
        security,
        querystring: z.object(pageQuery),
        response: { 200: queuePage, ...problems },
      },
    },
    async (request) => listModerationQueue(db, viewerOf(request), { cursor: request.query.cursor, limit: request.query.limit }),
  );

  r.get(
    '/communities/:ref/moderation/queue',
    {
      schema: {
        tags: ['moderation'],
        summary: "Reported items of a community (its owners and moderators, tenant admins), grouped per item",
        security,
        params: z.object({ ref: z.string().min(1).max(200) }),
        querystring: z.object(pageQuery),
        response: { 200: queuePage, ...problems },
      },
    },
    async (request) =>
      listModerationQueue(db, viewerOf(request), { communityId: request.params.ref, cursor: request.query.cursor, limit: request.query.limit }),
  );

  r.post(
    '/moderation/actions',
    {
      schema: {
        tags: ['moderation'],
        summary: 'Act on a post or comment: hide, restore, delete, dismiss its reports, warn its author, ban its author from the community',
        description: 'Decided by the policy (moderators of the item\'s community, tenant admins), recorded in the audit log, and told to the author.',
        security,
        body: z
          .object({ target: itemRefInput, action: z.enum(moderationActions), note: z.string().max(2000).optional() })
          .meta({ id: 'ModerationActionRequest' }),
        response: { 200: moderationResultSchema, ...problems },
      },
    },
    async (request) => moderateContent(db, viewerOf(request), request.body),
  );

  r.get(
    '/admin/keyword-rules',
    {
      schema: {
        tags: ['admin'],
        summary: 'Keyword rules of the tenant (tenant admins)',
        security,
        response: { 200: z.object({ items: z.array(keywordRuleSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listKeywordRules(db, viewerOf(request)) }),
  );
  r.post(
    '/admin/keyword-rules',
    {
      config: { idempotent: true },
      schema: {
        tags: ['admin'],
        summary: 'Add a keyword rule: a term (whole words) or a regular expression (RE2 syntax), matched without accents or case; flag or block',
        security,
        body: z
          .object({
            kind: z.enum(keywordRuleKinds).default('term'),
            pattern: z.string().min(1).max(400),
            action: z.enum(keywordActions),
            language: z.enum(['fr', 'en']).nullish(),
          })
          .meta({ id: 'NewKeywordRule' }),
        response: { 201: keywordRuleSchema, ...problems },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const rule = await createKeywordRule(db, viewerOf(request), { kind: b.kind, pattern: b.pattern, action: b.action, language: b.language ?? null });
      return reply.code(201).send(rule);
    },
  );
  r.delete(
    '/admin/keyword-rules/:ruleId',
    {
      schema: { tags: ['admin'], summary: 'Remove a keyword rule (tenant admins)', security, params: z.object({ ruleId: z.uuid() }), response: { 204: z.null(), ...problems } },
    },
    async (request, reply) => {
      await deleteKeywordRule(db, viewerOf(request), request.params.ruleId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/admin/rate-limits',
    { schema: { tags: ['admin'], summary: 'Per-person rate limits in force (tenant admins)', security, response: { 200: rateLimitsSchema, ...problems } } },
    async (request) => getRateLimits(db, viewerOf(request)),
  );
  r.patch(
    '/admin/rate-limits',
    {
      schema: { tags: ['admin'], summary: 'Change per-person rate limits (burst, per hour) of the tenant (tenant admins)', security, body: rateLimitsPatch, response: { 200: rateLimitsSchema, ...problems } },
    },
    async (request) => {
      const changes = Object.fromEntries(
        Object.entries(request.body).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Object.fromEntries(Object.entries(v!).filter(([, x]) => x !== undefined))]),
      );
      return setRateLimits(db, viewerOf(request), changes);
    },
  );

  r.get(
    '/admin/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'The audit log of the tenant, newest first (tenant admins)',
        security,
        querystring: z.object({
          actor: z.uuid().optional(),
          action: z.string().max(100).optional().describe('An action ("moderation.hide") or a prefix ending with a dot ("moderation.")'),
          targetType: z.string().max(50).optional(),
          targetId: z.string().max(200).optional(),
          since: z.string().max(40).optional(),
          until: z.string().max(40).optional(),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(200).optional(),
        }),
        response: { 200: z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() }).meta({ id: 'AuditPage' }), ...problems },
      },
    },
    async (request) => {
      const q = request.query;
      return listAuditLog(db, viewerOf(request), {
        actorId: q.actor,
        action: q.action,
        targetType: q.targetType,
        targetId: q.targetId,
        since: q.since,
        until: q.until,
        cursor: q.cursor,
        limit: q.limit,
      });
    },
  );

  r.get(
    '/me/export',
    { schema: { tags: ['people'], summary: 'Everything Ruche holds about you, as JSON', security, response: { 200: exportSchema, ...problems } } },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const data = await exportPersonalData(db, viewer, viewer.personId);
      reply.header('content-disposition', 'attachment; filename="ruche-export.json"');
      return data;
    },
  );
  r.get(
    '/admin/people/:personId/export',
    {
      schema: { tags: ['admin'], summary: "A person's data export (tenant admins)", security, params: z.object({ personId: z.uuid() }), response: { 200: exportSchema, ...problems } },
    },
    async (request) => exportPersonalData(db, viewerOf(request), request.params.personId),
  );
  r.post(
    '/me/erase',
    {
      schema: {
        tags: ['people'],
        summary: 'Erase your personal data (you are signed out for good); idempotent',
        security,
        body: erasureBody.optional(),
        response: { 200: erasureSchema, ...problems },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return erasePerson(db, viewer, viewer.personId, { mode: request.body?.mode ?? 'anonymise' });
    },
  );
  r.post(
    '/admin/people/:personId/erase',
    {
      schema: {
        tags: ['admin'],
        summary: "Erase a person's personal data (tenant admins); idempotent",
        security,
        params: z.object({ personId: z.uuid() }),
        body: erasureBody.optional(),
        response: { 200: erasureSchema, ...problems },
      },
    },
    async (request) => erasePerson(db, viewerOf(request), request.params.personId, { mode: request.body?.mode ?? 'anonymise' }),
  );
}
