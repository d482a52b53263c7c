import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type Db,
  type NotificationChannel,
  getNotificationSettings,
  listNotifications,
  markNotificationsRead,
  notificationKinds,
  unreadNotificationCount,
  updateNotificationSettings,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema };
const tags = ['notifications'];

export const notificationSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(notificationKinds),
    data: z
      .record(z.string(), z.unknown())
      .describe('What it is about: postId, commentId, communityId, requesterId, reaction... (ids, no content)'),
    count: z.number().int().describe('How many people (grouped: reactions to one item in a day) or facts it stands for'),
    actors: z.array(z.object({ id: z.uuid(), displayName: z.string() })).describe('The latest actors, newest first (at most 3)'),
    read: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Notification' });

const pageSchema = z
  .object({ items: z.array(notificationSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'NotificationPage' });

const unreadSchema = z.object({ unreadCount: z.number().int() }).meta({ id: 'UnreadCount' });

const channelsSchema = z
  .object({
    in_app: z.boolean().describe('In Ruche (every kind)'),
    teams: z.boolean().optional().describe('The Teams activity feed (present for the kinds it carries)'),
    bot: z.boolean().optional().describe('A chat message from the Ruche bot in Teams (present for the kinds it carries)'),
  } satisfies Record<NotificationChannel, z.ZodType>);
const settingsSchema = z
  .object(Object.fromEntries(notificationKinds.map((k) => [k, channelsSchema])) as Record<(typeof notificationKinds)[number], typeof channelsSchema>)
  .describe('Per kind, per channel that carries it (in_app; teams and bot for some kinds): on or off. Everything is on by default.')
  .meta({ id: 'NotificationSettings' });
const settingsUpdateSchema = settingsSchema
  .partial()
  .extend(Object.fromEntries(notificationKinds.map((k) => [k, channelsSchema.partial().optional()])) as Record<
    (typeof notificationKinds)[number],
    z.ZodOptional<ReturnType<typeof channelsSchema.partial>>
  >)
  .strict()
  .meta({ id: 'NotificationSettingsUpdate' });

/** In-app notifications: list, unread count, mark read, settings. */
export function notificationRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/notifications',
    {
      schema: {
        tags,
        summary: 'My notifications (grouped), newest or unread first; only those whose item I may still read',
        security,
        querystring: z.object({
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(100).optional(),
          order: z.enum(['newest', 'unread_first']).optional(),
          unread: z.enum(['true', 'false']).optional().describe('true: unread only'),
        }),
        response: { 200: pageSchema, ...problems },
      },
    },
    async (request) => {
      const q = request.query;
      return listNotifications(db, viewerOf(request), {
        ...(q.cursor ? { cursor: q.cursor } : {}),
        ...(q.limit ? { limit: q.limit } : {}),
        ...(q.order ? { order: q.order } : {}),
        unreadOnly: q.unread === 'true',
      });
    },
  );

  r.get(
    '/notifications/unread-count',
    { schema: { tags, summary: 'How many unread notifications I have', security, response: { 200: unreadSchema, ...problems } } },
    async (request) => ({ unreadCount: await unreadNotificationCount(db, viewerOf(request)) }),
  );

  r.post(
    '/notifications/read',
    {
      schema: {
        tags,
        summary: 'Marks some (ids) or all of my notifications read',
        security,
        body: z.union([z.object({ ids: z.array(z.uuid()).min(1).max(500) }).strict(), z.object({ all: z.literal(true) }).strict()]).meta({
          id: 'NotificationsRead',
        }),
        response: { 200: unreadSchema, ...problems },
      },
    },
    async (request) => ({ unreadCount: await markNotificationsRead(db, viewerOf(request), request.body) }),
  );

  r.get(
    '/notifications/settings',
    { schema: { tags, summary: 'My notification settings', security, response: { 200: settingsSchema, ...problems } } },
    async (request) => getNotificationSettings(db, viewerOf(request)),
  );

  r.put(
    '/notifications/settings',
    {
      schema: {
        tags,
        summary: 'Changes my notification settings (kinds and channels not given keep their value)',
        security,
        body: settingsUpdateSchema,
        response: { 200: settingsSchema, ...problems },
      },
    },
    async (request) => updateNotificationSettings(db, viewerOf(request), request.body as Record<string, Record<string, boolean>>),
  );
}
