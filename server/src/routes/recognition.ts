import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type Db,
  KUDOS_MAX_RECIPIENTS,
  KUDOS_MESSAGE_MAX,
  SCORE_FORMULA,
  deactivateKudosValue,
  deleteKudos,
  getKudos,
  getRecognitionPreferences,
  getRecognitionSettings,
  giveKudos,
  groupLeaderboard,
  listKudos,
  listKudosBadges,
  listKudosValues,
  myContributionScore,
  peopleLeaderboard,
  recentKudosForViewer,
  setRecognitionPreferences,
  updateRecognitionSettings,
  upsertKudosValue,
  RucheError,
  canOnRecognition,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const tags = ['recognition'];

const valueSchema = z
  .object({
    key: z.string(),
    name: z.object({ en: z.string(), fr: z.string() }),
    icon: z.string().describe('A Fluent UI icon name'),
    colour: z.string().describe('#RRGGBB'),
    position: z.number().int(),
    active: z.boolean(),
  })
  .meta({ id: 'KudosValue' });

const kudosPersonSchema = z.object({ id: z.uuid(), displayName: z.string(), department: z.string().nullable() });

export const kudosSchema = z
  .object({
    id: z.uuid(),
    giver: kudosPersonSchema,
    recipients: z.array(kudosPersonSchema).describe('People excluded from recognition are shown only to themselves'),
    value: valueSchema.nullable(),
    message: z.string(),
    visibility: z.enum(['public', 'community', 'private']),
    community: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    createdAt: z.string(),
    canDelete: z.boolean(),
  })
  .meta({ id: 'Kudos' });

const badgeSchema = z
  .object({
    personId: z.uuid(),
    scope: z.string().describe("'kudos' (all kudos received) or a value key"),
    threshold: z.number().int().describe('1, 10, 25, 50 or 100 kudos received'),
    awardedAt: z.string(),
    kudosId: z.uuid().nullable(),
  })
  .meta({ id: 'KudosBadge' });

const kudosPageSchema = z.object({ items: z.array(kudosSchema), nextCursor: z.string().nullable() }).meta({ id: 'KudosPage' });

const newKudosSchema = z
  .object({
    recipients: z.array(z.string().min(1).max(320)).min(1).max(KUDOS_MAX_RECIPIENTS).describe('Person ids or user principal names'),
    valueKey: z.string().min(1).max(40),
    message: z.string().max(KUDOS_MESSAGE_MAX + 1000),
    visibility: z.enum(['public', 'community', 'private']).describe('public: everyone; community: its readers; private: giver, recipients and their managers'),
    communityId: z.uuid().nullable().optional(),
  })
  .meta({ id: 'NewKudos' });

const pageQuery = z.object({
  cursor: z.string().max(500).optional().describe('The nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

const settingsSchema = z
  .object({
    dailyCap: z.number().int().min(0).max(1000).describe('Kudos one person may give per UTC day'),
    disabledCountries: z.array(z.string().max(100)).max(200).describe('Countries where recognition is switched off (works council, privacy)'),
    disabledOffices: z.array(z.string().max(100)).max(200).describe('Offices where recognition is switched off'),
    leaderboardMinGroupSize: z.number().int().min(1).max(100).describe('Teams and departments show a score only from this many people'),
  })
  .meta({ id: 'RecognitionSettings' });

const preferencesSchema = z
  .object({
    optedOut: z.boolean().describe('No kudos can be given to you; your kudos are hidden from others; you appear on no wall or leaderboard'),
    publicRanking: z.boolean().describe('Appear by name in individual leaderboards (off by default)'),
    switchedOffByRule: z.boolean().describe('Recognition is switched off for your country or office'),
  })
  .meta({ id: 'RecognitionPreferences' });

const scoreSchema = z
  .object({
    score: z.number(),
    factors: z.object({ presence: z.number(), level: z.number(), activity: z.number() }),
    inputs: z.object({
      activeDays: z.number().int(),
      posts: z.number().int(),
      postsWithReactions: z.number().int(),
      comments: z.number().int(),
      acceptedAnswers: z.number().int(),
      reactions: z.number().int(),
      kudosGiven: z.number().int(),
      kudosReceived: z.number().int(),
      decayedContributions: z.number(),
    }),
    formula: z.string(),
    parameters: z.object({
      windowDays: z.number(),
      halfLifeDays: z.number(),
      inputDays: z.number(),
      weights: z.record(z.string(), z.number()),
    }),
  })
  .meta({ id: 'ContributionScore', description: SCORE_FORMULA });

const groupBoardSchema = z
  .object({
    by: z.enum(['team', 'department']),
    minGroupSize: z.number().int(),
    formula: z.string(),
    entries: z.array(
      z.object({
        rank: z.number().int().nullable(),
        key: z.string().describe("The department, or the manager's id for a team"),
        name: z.string(),
        people: z.number().int(),
        averageScore: z.number().nullable().describe('Null when the group is smaller than minGroupSize'),
      }),
    ),
  })
  .meta({ id: 'GroupLeaderboard' });

const peopleBoardSchema = z
  .object({
    formula: z.string(),
    entries: z.array(z.object({ rank: z.number().int(), person: kudosPersonSchema, score: z.number() })),
  })
  .meta({ id: 'PeopleLeaderboard' });

/** Kudos, company values, walls, badges, contribution scores, leaderboards and recognition settings. */
export function recognitionRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/kudos',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Give kudos to one or several people for a company value',
        description: 'Send an Idempotency-Key header so that a retried request gives once. Refused for oneself, former employees and people excluded from recognition; capped per day.',
        security,
        body: newKudosSchema,
        response: { 201: z.object({ kudos: kudosSchema, badges: z.array(badgeSchema) }).meta({ id: 'GivenKudos' }), ...problems, 409: problemSchema, 429: problemSchema },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const given = await giveKudos(db, viewerOf(request), {
        recipients: b.recipients,
        valueKey: b.valueKey,
        message: b.message,
        visibility: b.visibility,
        communityId: b.communityId ?? null,
      });
      reply.code(201).header('location', `/api/v1/kudos/${given.kudos.id}`);
      return given;
    },
  );

  r.get(
    '/kudos',
    {
      schema: {
        tags,
        summary: 'Kudos the viewer may read, newest first; optionally received or given by a person',
        security,
        querystring: pageQuery.extend({ receivedBy: z.uuid().optional(), givenBy: z.uuid().optional() }),
        response: { 200: kudosPageSchema, ...problems },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.receivedBy && q.givenBy) throw new RucheError('VALIDATION_FAILED', 'receivedBy or givenBy, not both');
      const wall = q.receivedBy ? { kind: 'received' as const, personId: q.receivedBy } : q.givenBy ? { kind: 'given' as const, personId: q.givenBy } : { kind: 'all' as const };
      return listKudos(db, viewerOf(request), wall, { cursor: q.cursor, limit: q.limit });
    },
  );

  r.get(
    '/kudos/highlights',
    {
      schema: {
        tags,
        summary: 'Recent kudos close to the viewer (the kudos of the home feed)',
        security,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(20).optional(), days: z.coerce.number().int().min(1).max(90).optional() }),
        response: { 200: z.object({ items: z.array(kudosSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await recentKudosForViewer(db, viewerOf(request), { limit: request.query.limit ?? 5, days: request.query.days ?? 7 }) }),
  );

  r.get(
    '/kudos/values',
    {
      schema: {
        tags,
        summary: 'Company values kudos are given for',
        security,
        querystring: z.object({ all: z.enum(['true', 'false']).optional().describe('true: retired values too (admins and HR)') }),
        response: { 200: z.object({ items: z.array(valueSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listKudosValues(db, viewerOf(request), { includeInactive: request.query.all === 'true' }) }),
  );

  r.put(
    '/kudos/values/:key',
    {
      schema: {
        tags,
        summary: 'Create or change a company value (tenant admins and HR)',
        security,
        params: z.object({ key: z.string().min(1).max(40) }),
        body: z
          .object({
            name: z.object({ en: z.string().min(1).max(80), fr: z.string().min(1).max(80) }),
            icon: z.string().min(1).max(64),
            colour: z.string().regex(/^#[0-9a-fA-F]{6}$/),
            position: z.number().int().min(0).max(10_000).optional(),
            active: z.boolean().optional(),
          })
          .meta({ id: 'KudosValueChange' }),
        response: { 200: valueSchema, ...problems },
      },
    },
    async (request) => {
      const b = request.body;
      return upsertKudosValue(db, viewerOf(request), request.params.key, {
        name: b.name,
        icon: b.icon,
        colour: b.colour,
        ...(b.position !== undefined ? { position: b.position } : {}),
        ...(b.active !== undefined ? { active: b.active } : {}),
      });
    },
  );

  r.delete(
    '/kudos/values/:key',
    {
      schema: { tags, summary: 'Retire a company value (past kudos keep it)', security, params: z.object({ key: z.string().min(1).max(40) }), response: { 204: z.null(), ...problems } },
    },
    async (request, reply) => {
      await deactivateKudosValue(db, viewerOf(request), request.params.key);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/kudos/walls/communities/:communityId',
    {
      schema: { tags, summary: "A community's kudos wall", security, params: z.object({ communityId: z.uuid() }), querystring: pageQuery, response: { 200: kudosPageSchema, ...problems } },
    },
    async (request) =>
      listKudos(db, viewerOf(request), { kind: 'community', communityId: request.params.communityId }, { cursor: request.query.cursor, limit: request.query.limit }),
  );

  r.get(
    '/kudos/walls/departments/:department',
    {
      schema: {
        tags,
        summary: "A department's kudos wall: kudos its people received that the viewer may read",
        security,
        params: z.object({ department: z.string().min(1).max(200) }),
        querystring: pageQuery,
        response: { 200: kudosPageSchema, ...problems },
      },
    },
    async (request) =>
      listKudos(db, viewerOf(request), { kind: 'department', department: request.params.department }, { cursor: request.query.cursor, limit: request.query.limit }),
  );

  r.get(
    '/kudos/:kudosId',
    { schema: { tags, summary: 'One kudos', security, params: z.object({ kudosId: z.uuid() }), response: { 200: kudosSchema, ...problems } } },
    async (request) => getKudos(db, viewerOf(request), request.params.kudosId),
  );

  r.delete(
    '/kudos/:kudosId',
    { schema: { tags, summary: 'Delete a kudos (its giver or a tenant admin)', security, params: z.object({ kudosId: z.uuid() }), response: { 204: z.null(), ...problems } } },
    async (request, reply) => {
      await deleteKudos(db, viewerOf(request), request.params.kudosId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/people/:personId/badges',
    {
      schema: {
        tags,
        summary: "A person's kudos milestone badges (none for people excluded from recognition, except to themselves)",
        security,
        params: z.object({ personId: z.uuid() }),
        response: { 200: z.object({ items: z.array(badgeSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listKudosBadges(db, viewerOf(request), request.params.personId) }),
  );

  r.get(
    '/me/score',
    { schema: { tags, summary: 'My contribution score: presence x level x activity, with its factors and inputs', description: SCORE_FORMULA, security, response: { 200: scoreSchema, ...problems } } },
    async (request) => myContributionScore(db, viewerOf(request)),
  );

  r.get(
    '/me/recognition',
    { schema: { tags, summary: 'My recognition preferences', security, response: { 200: preferencesSchema, ...problems } } },
    async (request) => getRecognitionPreferences(db, viewerOf(request)),
  );

  r.put(
    '/me/recognition',
    {
      schema: {
        tags,
        summary: 'Opt out of recognition, or opt in to public ranking',
        security,
        body: z.object({ optedOut: z.boolean().optional(), publicRanking: z.boolean().optional() }).meta({ id: 'RecognitionPreferencesChange' }),
        response: { 200: preferencesSchema, ...problems },
      },
    },
    async (request) => {
      const b = request.body;
      return setRecognitionPreferences(db, viewerOf(request), {
        ...(b.optedOut !== undefined ? { optedOut: b.optedOut } : {}),
        ...(b.publicRanking !== undefined ? { publicRanking: b.publicRanking } : {}),
      });
    },
  );

  r.get(
    '/leaderboards/groups',
    {
      schema: {
        tags,
        summary: 'Teams (a manager\'s direct reports) or departments ranked by average contribution score',
        security,
        querystring: z.object({ by: z.enum(['team', 'department']).default('department'), department: z.string().min(1).max(200).optional() }),
        response: { 200: groupBoardSchema, ...problems },
      },
    },
    async (request) => groupLeaderboard(db, viewerOf(request), { by: request.query.by, department: request.query.department }),
  );

  r.get(
    '/leaderboards/people',
    {
      schema: {
        tags,
        summary: 'People who opted in to public ranking, best score first',
        security,
        querystring: z.object({
          department: z.string().min(1).max(200).optional(),
          managerId: z.uuid().optional().describe("A manager's team"),
          limit: z.coerce.number().int().min(1).max(100).optional(),
        }),
        response: { 200: peopleBoardSchema, ...problems },
      },
    },
    async (request) => {
      const q = request.query;
      return peopleLeaderboard(db, viewerOf(request), { department: q.department, managerId: q.managerId, limit: q.limit });
    },
  );

  r.get(
    '/recognition/settings',
    { schema: { tags, summary: 'Recognition settings of the organisation (tenant admins and HR)', security, response: { 200: settingsSchema, ...problems } } },
    async (request) => {
      const viewer = viewerOf(request);
      if (!canOnRecognition(viewer, 'manage_settings', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Only tenant administrators and HR manage recognition settings');
      return getRecognitionSettings(db, viewer.tenantId);
    },
  );

  r.put(
    '/recognition/settings',
    {
      schema: { tags, summary: 'Change recognition settings (tenant admins and HR)', security, body: settingsSchema.partial().meta({ id: 'RecognitionSettingsChange' }), response: { 200: settingsSchema, ...problems } },
    },
    async (request) => {
      const b = request.body;
      return updateRecognitionSettings(db, viewerOf(request), {
        ...(b.dailyCap !== undefined ? { dailyCap: b.dailyCap } : {}),
        ...(b.disabledCountries !== undefined ? { disabledCountries: b.disabledCountries } : {}),
        ...(b.disabledOffices !== undefined ? { disabledOffices: b.disabledOffices } : {}),
        ...(b.leaderboardMinGroupSize !== undefined ? { leaderboardMinGroupSize: b.leaderboardMinGroupSize } : {}),
      });
    },
  );
}
