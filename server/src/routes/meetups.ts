import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type Db,
  MEETUP_NO_REPEAT_MAX,
  getMeetupPreference,
  getMeetupSettings,
  getMeetupStats,
  getMyMeetupMatch,
  listMyMeetupMatches,
  recordMeetupOutcome,
  setMeetupPreference,
  updateMeetupSettings,
  RucheError,
  canOnOrganisationInsights,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const tags = ['meetups'];

const preferenceSchema = z
  .object({
    enabled: z.boolean().describe('Opted in to meetups'),
    snoozeUntil: z.string().nullable().describe('No pairing in rounds starting on or before this day (YYYY-MM-DD)'),
    active: z.boolean().describe('Opted in and not snoozed today'),
  })
  .meta({ id: 'MeetupPreference' });

const matchSchema = z
  .object({
    id: z.uuid(),
    roundStartsOn: z.string(),
    colleague: z.object({ id: z.uuid(), displayName: z.string(), jobTitle: z.string().nullable(), department: z.string().nullable(), office: z.string().nullable() }),
    myOutcome: z.enum(['met', 'skipped']).nullable().describe('Your answer to "did you meet?"'),
    createdAt: z.string(),
  })
  .meta({ id: 'MeetupMatch' });

const settingsSchema = z
  .object({
    enabled: z.boolean().describe('Rounds run for the organisation'),
    cadence: z.enum(['weekly', 'biweekly']),
    noRepeatRounds: z.number().int().min(0).max(MEETUP_NO_REPEAT_MAX).describe('A pair is not matched again within this many rounds'),
  })
  .meta({ id: 'MeetupSettings' });

const statsSchema = z
  .object({
    settings: settingsSchema,
    optedIn: z.number().int(),
    available: z.number().int(),
    rounds: z.number().int(),
    matches: z.number().int(),
    met: z.number().int(),
    skipped: z.number().int(),
    unanswered: z.number().int(),
    metRate: z.number(),
    crossDepartment: z.number().int(),
    recentRounds: z.array(z.object({ startsOn: z.string(), optedIn: z.number().int(), matches: z.number().int(), met: z.number().int() })),
  })
  .meta({ id: 'MeetupStats' });

/** Meetups: my preference (on, off, snooze), my match and "did you meet?", tenant settings and statistics. */
export function meetupRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/me/meetups',
    {
      schema: {
        tags,
        summary: 'My meetup preference, my match of the latest round and my recent matches',
        security,
        response: {
          200: z.object({ preference: preferenceSchema, current: matchSchema.nullable(), recent: z.array(matchSchema) }).meta({ id: 'MyMeetups' }),
          ...problems,
        },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return { preference: await getMeetupPreference(db, viewer), current: await getMyMeetupMatch(db, viewer), recent: await listMyMeetupMatches(db, viewer) };
    },
  );

  r.put(
    '/me/meetups/preference',
    {
      schema: {
        tags,
        summary: 'Turn meetups on or off, or snooze them until a day (null ends a snooze)',
        security,
        body: z
          .object({
            enabled: z.boolean().optional(),
            snoozeUntil: z.string().max(10).nullable().optional().describe('YYYY-MM-DD, today or later, at most a year ahead'),
          })
          .strict()
          .meta({ id: 'MeetupPreferenceChange' }),
        response: { 200: preferenceSchema, ...problems },
      },
    },
    async (request) => {
      const b = request.body;
      if (b.enabled === undefined && b.snoozeUntil === undefined) throw new RucheError('VALIDATION_FAILED', 'Give enabled or snoozeUntil');
      const change =
        b.enabled !== undefined
          ? { enabled: b.enabled, ...(b.snoozeUntil !== undefined ? { snoozeUntil: b.snoozeUntil } : {}) }
          : { snoozeUntil: b.snoozeUntil ?? null };
      return setMeetupPreference(db, viewerOf(request), change);
    },
  );

  r.put(
    '/me/meetups/:matchId/outcome',
    {
      schema: {
        tags,
        summary: 'Did you meet? Record "met" or "skipped" for one of your matches',
        security,
        params: z.object({ matchId: z.string().max(100) }),
        body: z.object({ outcome: z.enum(['met', 'skipped']) }).meta({ id: 'MeetupOutcome' }),
        response: { 200: matchSchema, ...problems },
      },
    },
    async (request) => recordMeetupOutcome(db, viewerOf(request), request.params.matchId, request.body.outcome),
  );

  r.get(
    '/meetups/settings',
    { schema: { tags, summary: 'Meetup settings of the organisation (administrators and HR)', security, response: { 200: settingsSchema, ...problems } } },
    async (request) => {
      const viewer = viewerOf(request);
      if (!canOnOrganisationInsights(viewer, 'manage_meetups', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Only tenant administrators and HR manage meetups');
      return getMeetupSettings(db, viewer.tenantId);
    },
  );

  r.put(
    '/meetups/settings',
    {
      schema: {
        tags,
        summary: 'Change the meetup cadence, the rounds without repeating a pair, or turn rounds off (administrators and HR)',
        security,
        body: settingsSchema.partial().strict().meta({ id: 'MeetupSettingsChange' }),
        response: { 200: settingsSchema, ...problems },
      },
    },
    async (request) => {
      const b = request.body;
      return updateMeetupSettings(db, viewerOf(request), {
        ...(b.enabled !== undefined ? { enabled: b.enabled } : {}),
        ...(b.cadence !== undefined ? { cadence: b.cadence } : {}),
        ...(b.noRepeatRounds !== undefined ? { noRepeatRounds: b.noRepeatRounds } : {}),
      });
    },
  );

  r.get(
    '/meetups/stats',
    { schema: { tags, summary: 'Statistics of meetings held (administrators, HR and communicators)', security, response: { 200: statsSchema, ...problems } } },
    async (request) => getMeetupStats(db, viewerOf(request)),
  );
}
