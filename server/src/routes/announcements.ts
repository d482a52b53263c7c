import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type AnnouncementView,
  type Db,
  acknowledgeAnnouncement,
  announcementReport,
  announcementReportCsv,
  editAnnouncement,
  getAnnouncement,
  listAnnouncements,
  publishAnnouncement,
  recordAnnouncementView,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';
import { postSchema } from './posts.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 412: problemSchema };

// Hard caps well above the domain limits, so that the domain's clearer CONTENT_TOO_LONG answers first.
const text = (max: number) => z.string().max(max * 2);

const targetInput = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('organisation') }),
    z.object({ type: z.literal('department'), department: z.string().max(400) }),
    z.object({
      type: z.literal('manager'),
      managerId: z.uuid(),
      subtree: z.boolean().optional().describe('true: the manager and their whole subtree; false (default): the manager and their direct reports'),
    }),
    z.object({ type: z.literal('community'), communityId: z.uuid().describe('Its active members') }),
  ])
  .describe('A target: organisation, department, manager (team or subtree) or community');

const targetView = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('organisation') }),
    z.object({ type: z.literal('department'), department: z.string() }),
    z.object({ type: z.literal('manager'), manager: z.object({ id: z.uuid(), displayName: z.string() }), subtree: z.boolean() }),
    z.object({ type: z.literal('community'), community: z.object({ id: z.uuid(), name: z.string() }) }),
  ])
  .meta({ id: 'AnnouncementTarget' });

const announcementSchema = z
  .object({
    post: postSchema,
    mustRead: z.boolean(),
    version: z.number().int().describe('The acknowledgement version: 1 at publication, +1 at each material edit'),
    versionAt: z.string(),
    reminderDays: z.number().int(),
    maxReminders: z.number().int(),
    targets: z.array(targetView),
    acknowledgement: z
      .object({
        required: z.boolean(),
        acknowledged: z.boolean().describe('The current version is acknowledged'),
        acknowledgedAt: z.string().nullable(),
        acknowledgedVersion: z.number().int().nullable().describe('The last version acknowledged'),
      })
      .nullable()
      .describe('Present only for the audience of a must-read announcement: show the acknowledge button'),
    canSeeReport: z.boolean(),
  })
  .meta({ id: 'Announcement' });

const reach = {
  audience: z.number().int(),
  viewed: z.number().int(),
  acknowledged: z.number().int().describe('Acknowledged the current version'),
  acknowledgedEarlierVersion: z.number().int().describe('Acknowledged an earlier version only'),
};
const reportSchema = z
  .object({
    postId: z.uuid(),
    title: z.string(),
    mustRead: z.boolean(),
    version: z.number().int(),
    totals: z.object(reach),
    byDepartment: z.array(z.object({ department: z.string().nullable(), ...reach })),
  })
  .meta({ id: 'AnnouncementReport' });

const newAnnouncementSchema = z
  .object({
    communityId: z.uuid().nullish().describe('Publish inside this community (owners, moderators); omit for organisation-level (communicators, admins)'),
    title: text(200),
    body: text(20_000).optional(),
    mustRead: z.boolean().optional().describe('Ask the audience to acknowledge (default true)'),
    reminderDays: z.number().int().optional().describe('Days between reminders (default 3)'),
    maxReminders: z.number().int().optional().describe('Reminders per version at most (default 3)'),
    targets: z.array(targetInput).max(50).optional().describe('Required organisation-level; inside a community, that community'),
  })
  .meta({ id: 'NewAnnouncement' });

const editSchema = z
  .object({
    title: text(200).optional(),
    body: text(20_000).optional(),
    material: z.boolean().optional().describe('Ask everyone to acknowledge again; any change of title or body beyond whitespace does anyway'),
    reminderDays: z.number().int().optional(),
    maxReminders: z.number().int().optional(),
  })
  .meta({ id: 'AnnouncementEdit' });

const params = z.object({ announcementId: z.uuid() });

function out(a: AnnouncementView): z.infer<typeof announcementSchema> {
  return a as z.infer<typeof announcementSchema>;
}

/** Must-read announcements: publish, read, edit, acknowledge, the viewer's list, reach reports. */
export function announcementRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['announcements'];

  r.post(
    '/announcements',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Publish an announcement to the organisation, departments, managers\' teams or communities',
        description: 'Send an Idempotency-Key header so that a retried request publishes once.',
        security,
        body: newAnnouncementSchema,
        response: { 201: announcementSchema, ...problems },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const a = await publishAnnouncement(db, viewerOf(request), {
        title: b.title,
        ...(b.communityId ? { communityId: b.communityId } : {}),
        ...(b.body !== undefined ? { body: b.body } : {}),
        ...(b.mustRead !== undefined ? { mustRead: b.mustRead } : {}),
        ...(b.reminderDays !== undefined ? { reminderDays: b.reminderDays } : {}),
        ...(b.maxReminders !== undefined ? { maxReminders: b.maxReminders } : {}),
        ...(b.targets ? { targets: b.targets } : {}),
      });
      reply.code(201).header('location', `/api/v1/announcements/${a.post.id}`).header('etag', `"${a.post.version}"`);
      return out(a);
    },
  );

  r.get(
    '/announcements',
    {
      schema: {
        tags,
        summary: 'Announcements addressed to me, newest first; pending=true: those I still have to acknowledge',
        security,
        querystring: z.object({
          pending: z.enum(['true', 'false']).optional().describe('true: only those I still have to acknowledge'),
          cursor: z.string().max(500).optional(),
          limit: z.coerce.number().int().min(1).max(100).optional(),
        }),
        response: { 200: z.object({ items: z.array(announcementSchema), nextCursor: z.string().nullable() }).meta({ id: 'AnnouncementPage' }), ...problems },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listAnnouncements(db, viewerOf(request), { pending: q.pending === 'true', cursor: q.cursor, limit: q.limit });
      return { items: page.items.map(out), nextCursor: page.nextCursor };
    },
  );

  r.get(
    '/announcements/:announcementId',
    {
      schema: {
        tags,
        summary: 'An announcement (counts as viewed)',
        security,
        params,
        response: { 200: announcementSchema, ...problems },
      },
    },
    async (request, reply) => {
      const a = await getAnnouncement(db, viewerOf(request), request.params.announcementId, { recordView: true });
      reply.header('etag', `"${a.post.version}"`);
      return out(a);
    },
  );

  r.patch(
    '/announcements/:announcementId',
    {
      schema: {
        tags,
        summary: 'Edit an announcement (its author); a material edit asks everyone to acknowledge again',
        description:
          'Material: `material: true`, or any change of title or body beyond whitespace. Send If-Match with the ETag you edited to refuse a concurrent edit (412).',
        security,
        params,
        body: editSchema,
        response: { 200: announcementSchema, ...problems },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      const expected = typeof ifMatch === 'string' ? Number(/^(?:W\/)?"?(\d+)"?$/.exec(ifMatch.trim())?.[1] ?? NaN) : undefined;
      const b = request.body;
      const a = await editAnnouncement(db, viewerOf(request), request.params.announcementId, {
        ...(b.title !== undefined ? { title: b.title } : {}),
        ...(b.body !== undefined ? { body: b.body } : {}),
        ...(b.material !== undefined ? { material: b.material } : {}),
        ...(b.reminderDays !== undefined ? { reminderDays: b.reminderDays } : {}),
        ...(b.maxReminders !== undefined ? { maxReminders: b.maxReminders } : {}),
        ...(expected !== undefined ? { expectedVersion: Number.isNaN(expected) ? -1 : expected } : {}),
      });
      reply.header('etag', `"${a.post.version}"`);
      return out(a);
    },
  );

  r.post(
    '/announcements/:announcementId/acknowledge',
    {
      schema: {
        tags,
        summary: 'Acknowledge the current version (the audience of a must-read announcement; doing it again changes nothing)',
        security,
        params,
        response: { 200: announcementSchema, ...problems },
      },
    },
    async (request) => out(await acknowledgeAnnouncement(db, viewerOf(request), request.params.announcementId)),
  );

  r.post(
    '/announcements/:announcementId/view',
    {
      schema: { tags, summary: 'Record that I saw the announcement (e.g. shown in full in a feed)', security, params, response: { 204: z.null(), ...problems } },
    },
    async (request, reply) => {
      await recordAnnouncementView(db, viewerOf(request), request.params.announcementId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/announcements/:announcementId/report',
    {
      schema: {
        tags,
        summary: 'Reach and acknowledgement, in total and per department (author, communicators, admins, community moderators)',
        security,
        params,
        response: { 200: reportSchema, ...problems },
      },
    },
    async (request) => announcementReport(db, viewerOf(request), request.params.announcementId),
  );

  r.get(
    '/announcements/:announcementId/report.csv',
    {
      schema: {
        tags,
        summary: 'The report as CSV, one line per person of the audience (UTF-8 with BOM, formula-safe cells)',
        security,
        params,
        produces: ['text/csv'],
        response: { 200: z.string().describe('text/csv'), ...problems },
      },
    },
    async (request, reply) => {
      const csv = await announcementReportCsv(db, viewerOf(request), request.params.announcementId);
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="announcement-${request.params.announcementId}.csv"`)
        .header('cache-control', 'no-store');
      return reply.serializer((payload: unknown) => String(payload)).send(csv);
    },
  );
}
