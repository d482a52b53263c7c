import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type Db,
  acceptInvitation,
  approveRequest,
  autocompleteCommunities,
  banMember,
  createCommunity,
  declineInvitation,
  denyRequest,
  followCommunity,
  getCommunity,
  inviteMember,
  joinCommunity,
  leaveCommunity,
  listCommunities,
  listJoinRequests,
  listMembers,
  requestToJoin,
  setCommunityArchived,
  setMemberRole,
  unbanMember,
  unfollowCommunity,
  updateCommunity,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const kind = z.enum(['org_unit', 'interest', 'profession', 'project']);
const visibility = z.enum(['public', 'private', 'secret']);
const role = z.enum(['owner', 'moderator', 'expert', 'member']);
const state = z.enum(['active', 'requested', 'invited', 'banned']);
const membership = z.object({ role, state }).nullable().describe("The viewer's membership, if any");

const orgUnitSchema = z
  .union([
    z.object({ department: z.string().min(1).max(200) }).strict(),
    z.object({ managerId: z.uuid(), subtree: z.literal(true) }).strict(),
  ])
  .meta({ id: 'OrgUnit', description: 'What an org-unit community is derived from: a department, or a manager and their whole subtree' });

export const communitySchema = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    kind,
    visibility,
    isOfficial: z.boolean(),
    restrictedPosting: z.boolean().describe('Only owners and moderators start threads'),
    orgUnit: orgUnitSchema.nullable(),
    archived: z.boolean(),
    archivedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    memberCount: z.number().int(),
    membership,
    following: z.boolean(),
    permissions: z
      .object({
        read: z.boolean(),
        join: z.boolean(),
        request: z.boolean(),
        post: z.boolean(),
        follow: z.boolean(),
        moderate: z.boolean(),
        manage: z.boolean(),
      })
      .describe('What the viewer may do here (the server decides again on each request)'),
  })
  .meta({ id: 'Community' });

const communityPage = z
  .object({ items: z.array(communitySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CommunityPage' });

const memberSchema = z
  .object({
    personId: z.uuid(),
    displayName: z.string(),
    jobTitle: z.string().nullable(),
    department: z.string().nullable(),
    role,
    state,
    since: z.string(),
  })
  .meta({ id: 'CommunityMember' });

const memberPage = z.object({ items: z.array(memberSchema), nextCursor: z.string().nullable() }).meta({ id: 'CommunityMemberPage' });

const membershipResult = z
  .object({ community: communitySchema, membership })
  .meta({ id: 'CommunityMembership' });

const suggestionSchema = z
  .object({ id: z.uuid(), slug: z.string(), name: z.string(), kind, visibility, isOfficial: z.boolean(), membership })
  .meta({ id: 'CommunitySuggestion' });

const createBody = z
  .object({
    name: z.string().max(500),
    description: z.string().max(20_000).optional(),
    kind,
    visibility,
    isOfficial: z.boolean().optional().describe('Tenant admins only'),
    restrictedPosting: z.boolean().optional(),
    orgUnit: orgUnitSchema.optional().describe('Required for org_unit communities (tenant admins only)'),
  })
  .strict()
  .meta({ id: 'CommunityCreate' });

const updateBody = z
  .object({
    name: z.string().max(500).optional(),
    description: z.string().max(20_000).optional(),
    visibility: visibility.optional(),
    restrictedPosting: z.boolean().optional(),
    isOfficial: z.boolean().optional().describe('Tenant admins only'),
  })
  .strict()
  .meta({ id: 'CommunityUpdate' });

const refParams = z.object({ ref: z.string().min(1).max(200).describe('The community id or slug') });
const memberParams = refParams.extend({ person: z.string().min(1).max(320).describe('The person: a Ruche id or a UPN') });
const limit = z.coerce.number().int().min(1).max(100).optional();
const cursor = z.string().max(1000).optional();

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const common = { tags: ['communities'], security: [{ bearer: [] }] };

export interface CommunityRoutesOptions {
  db: Db;
}

/** Communities: directory, settings, archive, membership, roles, bans and follows. */
export function communityRoutes(app: FastifyInstance, { db }: CommunityRoutesOptions): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/communities',
    {
      config: { idempotent: true },
      schema: {
        ...common,
        summary: 'Create a community (the creator becomes owner)',
        description: 'Any employee creates interest, profession and project communities; org-unit ones and the official flag are for tenant admins. Honours Idempotency-Key.',
        body: createBody,
        response: { 201: communitySchema, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const community = await createCommunity(db, viewerOf(request), {
        name: b.name,
        kind: b.kind,
        visibility: b.visibility,
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.isOfficial !== undefined ? { isOfficial: b.isOfficial } : {}),
        ...(b.restrictedPosting !== undefined ? { restrictedPosting: b.restrictedPosting } : {}),
        ...(b.orgUnit !== undefined ? { orgUnit: b.orgUnit } : {}),
      });
      reply.header('location', `/api/v1/communities/${community.id}`);
      return reply.code(201).send(community);
    },
  );

  r.get(
    '/communities',
    {
      schema: {
        ...common,
        summary: 'The directory: communities the viewer may see',
        querystring: z.object({
          kind: kind.optional(),
          mine: z.enum(['true', 'false']).optional().describe('Only communities I am an active member of'),
          q: z.string().max(200).optional().describe('Search by name: accents and small typos are forgiven'),
          sort: z.enum(['name', 'newest']).optional().describe('Ignored with q (ordered by relevance)'),
          archived: z.enum(['true', 'false']).optional().describe('Include archived communities'),
          cursor,
          limit,
        }),
        response: { 200: communityPage, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      return listCommunities(db, viewerOf(request), {
        ...(q.kind ? { kind: q.kind } : {}),
        mine: q.mine === 'true',
        includeArchived: q.archived === 'true',
        ...(q.q !== undefined ? { q: q.q } : {}),
        ...(q.sort ? { sort: q.sort } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
      });
    },
  );

  r.get(
    '/communities/autocomplete',
    {
      schema: {
        ...common,
        summary: 'Suggestions for an @community mention',
        querystring: z.object({ q: z.string().max(200), limit: z.coerce.number().int().min(1).max(20).optional() }),
        response: { 200: z.object({ items: z.array(suggestionSchema) }), ...errors },
      },
    },
    async (request) => ({
      items: await autocompleteCommunities(db, viewerOf(request), {
        q: request.query.q,
        ...(request.query.limit !== undefined ? { limit: request.query.limit } : {}),
      }),
    }),
  );

  r.get(
    '/communities/:ref',
    { schema: { ...common, summary: 'One community, by id or slug', params: refParams, response: { 200: communitySchema, ...errors } } },
    async (request) => getCommunity(db, viewerOf(request), request.params.ref),
  );

  r.patch(
    '/communities/:ref',
    {
      schema: {
        ...common,
        summary: 'Change the settings (owners and tenant admins)',
        params: refParams,
        body: updateBody,
        response: { 200: communitySchema, ...errors },
      },
    },
    async (request) => {
      const b = request.body;
      return updateCommunity(db, viewerOf(request), request.params.ref, {
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.description !== undefined ? { description: b.description } : {}),
        ...(b.visibility !== undefined ? { visibility: b.visibility } : {}),
        ...(b.restrictedPosting !== undefined ? { restrictedPosting: b.restrictedPosting } : {}),
        ...(b.isOfficial !== undefined ? { isOfficial: b.isOfficial } : {}),
      });
    },
  );

  for (const [path, archived] of [
    ['archive', true],
    ['unarchive', false],
  ] as const) {
    r.post(
      `/communities/:ref/${path}`,
      {
        schema: {
          ...common,
          summary: archived ? 'Archive a community (read-only)' : 'Unarchive a community',
          params: refParams,
          response: { 200: communitySchema, ...errors },
        },
      },
      async (request) => setCommunityArchived(db, viewerOf(request), request.params.ref, archived),
    );
  }

  r.post(
    '/communities/:ref/join',
    {
      schema: {
        ...common,
        summary: 'Join a public community at once (and follow it)',
        params: refParams,
        response: { 200: membershipResult, ...errors },
      },
    },
    async (request) => joinCommunity(db, viewerOf(request), request.params.ref),
  );

  r.post(
    '/communities/:ref/requests',
    {
      config: { idempotent: true },
      schema: {
        ...common,
        summary: 'Ask to join a private community',
        description: 'Owners and moderators approve or deny. A public community is joined at once; a pending invitation is accepted. Honours Idempotency-Key.',
        params: refParams,
        response: { 201: membershipResult, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await requestToJoin(db, viewerOf(request), request.params.ref)),
  );

  r.get(
    '/communities/:ref/requests',
    {
      schema: {
        ...common,
        summary: 'Pending requests to join (owners and moderators)',
        params: refParams,
        querystring: z.object({ cursor, limit }),
        response: { 200: memberPage, ...errors },
      },
    },
    async (request) =>
      listJoinRequests(db, viewerOf(request), request.params.ref, {
        ...(request.query.cursor !== undefined ? { cursor: request.query.cursor } : {}),
        ...(request.query.limit !== undefined ? { limit: request.query.limit } : {}),
      }),
  );

  r.post(
    '/communities/:ref/requests/:person/approve',
    { schema: { ...common, summary: 'Approve a request to join', params: memberParams, response: { 200: memberSchema, ...errors } } },
    async (request) => approveRequest(db, viewerOf(request), request.params.ref, request.params.person),
  );

  r.post(
    '/communities/:ref/requests/:person/deny',
    {
      schema: {
        ...common,
        summary: 'Deny a request to join',
        params: memberParams,
        body: z.object({ reason: z.string().max(1000).optional() }).strict().nullish(),
        response: { 204: z.null().describe('Denied'), ...errors },
      },
    },
    async (request, reply) => {
      await denyRequest(db, viewerOf(request), request.params.ref, request.params.person, request.body?.reason);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/communities/:ref/invitations',
    {
      config: { idempotent: true },
      schema: {
        ...common,
        summary: 'Invite a person (owners and moderators); they accept or decline',
        description: 'Honours Idempotency-Key.',
        params: refParams,
        body: z.object({ person: z.string().min(1).max(320).describe('A Ruche id or a UPN') }).strict(),
        response: { 201: memberSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await inviteMember(db, viewerOf(request), request.params.ref, request.body.person)),
  );

  r.post(
    '/communities/:ref/invitation/accept',
    { schema: { ...common, summary: 'Accept my invitation', params: refParams, response: { 200: membershipResult, ...errors } } },
    async (request) => acceptInvitation(db, viewerOf(request), request.params.ref),
  );

  r.post(
    '/communities/:ref/invitation/decline',
    { schema: { ...common, summary: 'Decline my invitation', params: refParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await declineInvitation(db, viewerOf(request), request.params.ref);
      return reply.code(204).send(null);
    },
  );

  r.post(
    '/communities/:ref/leave',
    {
      schema: {
        ...common,
        summary: 'Leave a community (or withdraw a request)',
        description: 'The last owner names another active member as owner. Org-unit communities follow the directory and cannot be left.',
        params: refParams,
        body: z.object({ newOwner: z.string().min(1).max(320).optional() }).strict().nullish(),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const newOwner = request.body?.newOwner;
      await leaveCommunity(db, viewerOf(request), request.params.ref, newOwner ? { newOwner } : {});
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/communities/:ref/members',
    {
      schema: {
        ...common,
        summary: 'Members, by name (whoever may read the community); other states for moderators',
        params: refParams,
        querystring: z.object({ role: role.optional(), state: state.optional(), cursor, limit }),
        response: { 200: memberPage, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      return listMembers(db, viewerOf(request), request.params.ref, {
        ...(q.role ? { role: q.role } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
      });
    },
  );

  r.put(
    '/communities/:ref/members/:person/role',
    {
      schema: {
        ...common,
        summary: "Change a member's role (owners and tenant admins)",
        params: memberParams,
        body: z.object({ role }).strict(),
        response: { 200: memberSchema, ...errors },
      },
    },
    async (request) => setMemberRole(db, viewerOf(request), request.params.ref, request.params.person, request.body.role),
  );

  r.put(
    '/communities/:ref/bans/:person',
    {
      schema: {
        ...common,
        summary: 'Ban a person (owners and moderators): they cannot rejoin, post, comment or react',
        params: memberParams,
        body: z.object({ reason: z.string().max(1000).optional() }).strict().nullish(),
        response: { 200: memberSchema, ...errors },
      },
    },
    async (request) => banMember(db, viewerOf(request), request.params.ref, request.params.person, request.body?.reason),
  );

  r.delete(
    '/communities/:ref/bans/:person',
    { schema: { ...common, summary: 'Lift a ban', params: memberParams, response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      await unbanMember(db, viewerOf(request), request.params.ref, request.params.person);
      return reply.code(204).send(null);
    },
  );

  r.put(
    '/communities/:ref/follow',
    { schema: { ...common, summary: 'Follow a community without joining', params: refParams, response: { 200: communitySchema, ...errors } } },
    async (request) => followCommunity(db, viewerOf(request), request.params.ref),
  );

  r.delete(
    '/communities/:ref/follow',
    { schema: { ...common, summary: 'Unfollow a community', params: refParams, response: { 200: communitySchema, ...errors } } },
    async (request) => unfollowCommunity(db, viewerOf(request), request.params.ref),
  );
}
