import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Config, type Db, type DirectorySyncState, type FileStore, RucheError, canOnPerson, directoryGraphClient, readDirectorySync, startDirectorySync, syncLinkedGroups } from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

export const directorySyncStateSchema = z
  .object({
    resource: z.enum(['users', 'groups']),
    status: z.enum(['idle', 'running', 'completed', 'failed']),
    roundKind: z.enum(['full', 'incremental']).nullable().meta({ description: 'full: every user; incremental: only the changes since the last round' }),
    hasDeltaLink: z.boolean().meta({ description: 'A completed round was stored: the next one fetches only changes' }),
    resumable: z.boolean().meta({ description: 'An interrupted round is left: the next run continues it' }),
    startedAt: z.string().nullable(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
    lastCompletedAt: z.string().nullable(),
    pages: z.number().int(),
    done: z.number().int().meta({ description: 'People stored in this round' }),
    total: z.number().int().nullable().meta({ description: 'People expected in this round, when known' }),
    former: z.number().int().meta({ description: 'People of this round who left (disabled or deleted)' }),
    perSecond: z.number().nullable(),
    secondsLeft: z.number().nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'DirectorySyncState' });

const groupSyncResultSchema = z
  .object({
    roundKind: z.enum(['full', 'incremental']),
    pages: z.number().int(),
    groupsChanged: z.number().int().meta({ description: 'Linked groups whose membership changed' }),
    membersAdded: z.number().int(),
    membersRemoved: z.number().int(),
    pushed: z.number().int().meta({ description: 'Community changes sent to groups linked both ways' }),
    pushFailed: z.number().int(),
  })
  .meta({ id: 'GroupSyncResult' });

function toJson(s: DirectorySyncState): z.infer<typeof directorySyncStateSchema> {
  const { tenantId: _tenantId, ...rest } = s;
  return rest;
}

/** Directory sync for tenant administrators: read the progress, start a run. */
export function adminSyncRoutes(app: FastifyInstance, db: Db, config: Config, files?: FileStore): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/admin/directory-sync',
    {
      schema: {
        tags: ['admin'],
        summary: 'Progress of the directory sync (tenant administrators)',
        security: [{ bearer: [] }],
        response: { 200: directorySyncStateSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => toJson(await readDirectorySync(db, viewerOf(request))),
  );
  r.post(
    '/admin/directory-sync',
    {
      schema: {
        tags: ['admin'],
        summary: 'Start a directory sync from Microsoft Graph (tenant administrators)',
        description: 'Answers at once (202) while the sync runs in the background; read its progress with GET.',
        security: [{ bearer: [] }],
        response: { 202: directorySyncStateSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 503: problemSchema },
      },
    },
    async (request, reply) => {
      const started = await startDirectorySync(db, viewerOf(request), {
        graph: config.graph,
        options: {
          ...(files ? { photos: files } : {}),
          onProgress: (p) => {
            if (p.phase !== 'people') request.log.info({ done: p.done, phase: p.phase }, 'directory sync');
          },
        },
      });
      return reply.status(202).send(toJson(started.state));
    },
  );
  r.post(
    '/admin/group-sync',
    {
      schema: {
        tags: ['admin'],
        summary: 'Sync the groups linked to communities now (tenant administrators)',
        description: 'One /groups/delta round (only the changes after the first), then the community changes queued for groups linked both ways.',
        security: [{ bearer: [] }],
        response: { 200: groupSyncResultSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema, 503: problemSchema },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      if (!canOnPerson(viewer, 'administer', { tenantId: viewer.tenantId, personId: viewer.personId })) throw new RucheError('FORBIDDEN', 'Only tenant administrators can run the group sync');
      if (!config.graph || config.graph.tenantId !== viewer.tenantId.toLowerCase()) {
        throw new RucheError('GRAPH_NOT_CONFIGURED', 'Microsoft Graph is not configured for this organisation (GRAPH_TENANT_ID)');
      }
      return syncLinkedGroups(db, directoryGraphClient(config.graph), viewer.tenantId);
    },
  );
}
