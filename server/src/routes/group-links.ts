import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Config, type Db, type GroupLink, RucheError, directoryGraphClient, getGroupLink, linkGroup, unlinkGroup } from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

export const groupLinkSchema = z
  .object({
    communityId: z.string(),
    groupId: z.string().meta({ description: 'Object id of the Microsoft 365 group (or the team built on it)' }),
    groupName: z.string().nullable(),
    direction: z.enum(['from_group', 'both']).meta({
      description: "from_group: the group's members become members of the community; both: also, joining or leaving the community adds or removes the person in the group",
    }),
    linkedBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastSyncedAt: z.string().nullable(),
    groupMembers: z.number().int(),
    pendingChanges: z.number().int().meta({ description: 'Community changes still to send to the group' }),
  })
  .meta({ id: 'GroupLink' });

const refParams = z.object({ ref: z.string().min(1).max(200).describe('The community id or slug') });
const linkBody = z.object({
  groupId: z.string().min(1).max(100).meta({ description: 'Object id (GUID) of the Microsoft 365 group' }),
  direction: z.enum(['from_group', 'both']).default('from_group'),
});
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 503: problemSchema };

/** Graph for the viewer's tenant, or GRAPH_NOT_CONFIGURED. */
function graphFor(config: Config, tenantId: string) {
  if (!config.graph || config.graph.tenantId !== tenantId.toLowerCase()) {
    throw new RucheError('GRAPH_NOT_CONFIGURED', 'Microsoft Graph is not configured for this organisation (GRAPH_TENANT_ID)');
  }
  return directoryGraphClient(config.graph);
}

/** Links between a community and a Microsoft 365 group or team (tenant administrators, or owners of both). */
export function groupLinkRoutes(app: FastifyInstance, deps: { db: Db; config: Config }): void {
  const { db, config } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ['communities'], security: [{ bearer: [] }] };
  r.get(
    '/communities/:ref/group-link',
    { schema: { ...common, summary: "The community's linked Microsoft 365 group", params: refParams, response: { 200: groupLinkSchema, ...problems } } },
    async (request) => {
      const link: GroupLink | null = await getGroupLink(db, viewerOf(request), request.params.ref);
      if (!link) throw new RucheError('GROUP_LINK_NOT_FOUND', 'This community is not linked to a group');
      return link;
    },
  );
  r.put(
    '/communities/:ref/group-link',
    {
      schema: {
        ...common,
        summary: 'Link a Microsoft 365 group or team to the community, or change the direction of its link',
        description:
          "The group's members join the community at once; later changes follow through each group sync. Tenant administrators, or an owner of the community who also owns the group.",
        params: refParams,
        body: linkBody,
        response: { 200: groupLinkSchema, ...problems },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return linkGroup(db, graphFor(config, viewer.tenantId), viewer, request.params.ref, request.body);
    },
  );
  r.delete(
    '/communities/:ref/group-link',
    { schema: { ...common, summary: 'Unlink the group (memberships stay)', params: refParams, response: { 204: z.null(), ...problems } } },
    async (request, reply) => {
      const viewer = viewerOf(request);
      await unlinkGroup(db, graphFor(config, viewer.tenantId), viewer, request.params.ref);
      return reply.code(204).send(null);
    },
  );
}
