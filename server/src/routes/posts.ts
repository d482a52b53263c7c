import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type Db,
  type PostView,
  acceptAnswer,
  addComment,
  clearAcceptedAnswer,
  createPost,
  deleteComment,
  deletePost,
  editComment,
  editPost,
  getPost,
  ideaStatuses,
  listComments,
  listReactions,
  listRevisions,
  pinPost,
  postKinds,
  reactionKinds,
  removeReaction,
  rsvp,
  rsvpResponses,
  setIdeaStatus,
  setReaction,
  voteIdea,
  votePoll,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 412: problemSchema };

const reactionKind = z.enum(reactionKinds);
const personRef = z.object({ id: z.uuid(), displayName: z.string() }).meta({ id: 'PersonRef' });
const reactionCounts = z
  .object(Object.fromEntries(reactionKinds.map((k) => [k, z.number().int()])) as Record<(typeof reactionKinds)[number], z.ZodNumber>)
  .meta({ id: 'ReactionCounts' });

export const postSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(postKinds as [string, ...string[]]),
    community: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    author: personRef,
    title: z.string(),
    body: z.string().describe('The Markdown source'),
    bodyHtml: z.string().describe('Sanitised HTML rendered from the body'),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    edited: z.boolean(),
    pinned: z.boolean(),
    pinnedUntil: z.string().nullable(),
    hidden: z.boolean(),
    isNew: z.boolean().describe('In feeds: newer than the viewer\'s previous visit of the feed'),
    topics: z.array(z.object({ slug: z.string(), name: z.string() })),
    attachments: z
      .array(
        z
          .object({
            id: z.uuid(),
            name: z.string().describe('The file name, as text (never markup)'),
            contentType: z.string(),
            size: z.number().int().describe('Bytes'),
            image: z.boolean().describe('An image the download serves inline (shown as a thumbnail)'),
            downloadUrl: z.string().describe('Path on the API origin (GET with the bearer token); checks the reader again'),
          })
          .meta({ id: 'PostAttachment' }),
      )
      .describe('Files attached to the post, in upload order'),
    counts: z.object({ comments: z.number().int(), reactions: reactionCounts, reactionsTotal: z.number().int() }),
    viewerReaction: reactionKind.nullable(),
    question: z.object({ acceptedCommentId: z.uuid().nullable() }).nullable(),
    idea: z
      .object({
        status: z.enum(ideaStatuses),
        statusComment: z.string().nullable(),
        statusSetBy: z.uuid().nullable(),
        statusSetAt: z.string().nullable(),
        votes: z.number().int(),
        viewerVoted: z.boolean(),
      })
      .nullable(),
    poll: z
      .object({
        multiple: z.boolean(),
        closesAt: z.string(),
        closed: z.boolean(),
        resultsVisible: z.boolean().describe('Results show once the viewer voted or the poll closed'),
        options: z.array(z.object({ id: z.string(), label: z.string(), votes: z.number().int().nullable() })),
        voters: z.number().int().nullable(),
        viewerChoices: z.array(z.string()),
      })
      .nullable(),
    event: z
      .object({
        startsAt: z.string(),
        endsAt: z.string().nullable(),
        place: z.string().nullable(),
        onlineUrl: z.string().nullable(),
        capacity: z.number().int().nullable(),
        going: z.number().int(),
        waiting: z.number().int(),
        maybe: z.number().int(),
        declined: z.number().int(),
        viewerRsvp: z
          .object({
            response: z.enum(rsvpResponses),
            status: z.enum(['going', 'waiting']).nullable(),
            waitingPosition: z.number().int().nullable(),
          })
          .nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'Post' });

type CommentOut = {
  id: string;
  postId: string;
  parentId: string | null;
  author: { id: string; displayName: string } | null;
  body: string;
  bodyHtml: string;
  createdAt: string;
  updatedAt: string;
  edited: boolean;
  hidden: boolean;
  deleted: boolean;
  accepted: boolean;
  counts: { reactions: Record<string, number>; reactionsTotal: number };
  viewerReaction: string | null;
  replies: CommentOut[];
};

const commentFields = {
  id: z.uuid(),
  postId: z.uuid(),
  parentId: z.uuid().nullable(),
  author: personRef.nullable(),
  body: z.string(),
  bodyHtml: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  edited: z.boolean(),
  hidden: z.boolean(),
  deleted: z.boolean().describe('A deleted top comment kept as a placeholder for its replies'),
  accepted: z.boolean().describe('The accepted answer of a question'),
  counts: z.object({ reactions: reactionCounts, reactionsTotal: z.number().int() }),
  viewerReaction: reactionKind.nullable(),
};
const replySchema = z.object({ ...commentFields, replies: z.array(z.never()) }).meta({ id: 'Reply' });
export const commentSchema = z.object({ ...commentFields, replies: z.array(replySchema) }).meta({ id: 'Comment' });

const reactionSummarySchema = z
  .object({ counts: reactionCounts, total: z.number().int(), viewerReaction: reactionKind.nullable() })
  .meta({ id: 'ReactionSummary' });

const isoDate = z.string().max(40).describe('ISO 8601 date-time');
const eventInput = z
  .object({
    startsAt: isoDate,
    endsAt: isoDate.nullish(),
    place: z.string().max(1000).nullish(),
    onlineUrl: z.string().max(2000).nullish().describe('https only'),
    capacity: z.number().int().nullish(),
  })
  .meta({ id: 'EventInput' });

// Hard caps well above the domain limits, so that the domain's clearer CONTENT_TOO_LONG answers first.
const text = (max: number) => z.string().max(max * 2);

const newPostSchema = z
  .object({
    communityId: z.uuid(),
    kind: z.enum(postKinds as [string, ...string[]]).default('discussion'),
    title: text(200).optional(),
    body: text(20_000).optional(),
    poll: z
      .object({ options: z.array(text(200)).max(50), multiple: z.boolean().optional(), closesAt: isoDate })
      .optional()
      .describe('For kind poll: 2 to 10 options, single or multiple choice, a closing date'),
    event: eventInput.optional().describe('For kind event'),
  })
  .meta({ id: 'NewPost' });

const postParams = z.object({ postId: z.uuid() });
const commentParams = z.object({ commentId: z.uuid() });
const pageQuery = z.object({ cursor: z.string().max(500).optional(), limit: z.coerce.number().int().min(1).max(100).optional() });

function viewOf(p: PostView): z.infer<typeof postSchema> {
  return p as z.infer<typeof postSchema>;
}

/** Posts of every kind, their comments, reactions, votes and RSVPs. */
export function postRoutes(app: FastifyInstance, { db }: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['posts'];

  r.post(
    '/posts',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Start a post in a community (discussion, question, idea, poll, event; announcement for owners and moderators)',
        description: 'Send an Idempotency-Key header so that a retried request creates one post.',
        security,
        body: newPostSchema,
        response: { 201: postSchema, ...problems },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const post = await createPost(db, viewerOf(request), {
        communityId: b.communityId,
        kind: b.kind as PostView['kind'],
        ...(b.title !== undefined ? { title: b.title } : {}),
        ...(b.body !== undefined ? { body: b.body } : {}),
        ...(b.poll ? { poll: { options: b.poll.options, multiple: b.poll.multiple ?? false, closesAt: b.poll.closesAt } } : {}),
        ...(b.event ? { event: b.event } : {}),
      });
      reply.code(201).header('location', `/api/v1/posts/${post.id}`).header('etag', `"${post.version}"`);
      return viewOf(post);
    },
  );

  r.get(
    '/posts/:postId',
    { schema: { tags, summary: 'A post', security, params: postParams, response: { 200: postSchema, ...problems } } },
    async (request, reply) => {
      const post = await getPost(db, viewerOf(request), request.params.postId);
      reply.header('etag', `"${post.version}"`);
      return viewOf(post);
    },
  );

  r.patch(
    '/posts/:postId',
    {
      schema: {
        tags,
        summary: 'Edit a post (its author); the previous version is kept in the history',
        description: 'Send If-Match with the ETag of the version you edited to refuse a concurrent edit (412).',
        security,
        params: postParams,
        body: z.object({ title: text(200).optional(), body: text(20_000).optional(), event: eventInput.optional() }).meta({ id: 'PostEdit' }),
        response: { 200: postSchema, ...problems },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      const expected = typeof ifMatch === 'string' ? Number(/^(?:W\/)?"?(\d+)"?$/.exec(ifMatch.trim())?.[1] ?? NaN) : undefined;
      const b = request.body;
      const post = await editPost(db, viewerOf(request), request.params.postId, {
        ...(b.title !== undefined ? { title: b.title } : {}),
        ...(b.body !== undefined ? { body: b.body } : {}),
        ...(b.event ? { event: b.event } : {}),
        ...(expected !== undefined ? { expectedVersion: Number.isNaN(expected) ? -1 : expected } : {}),
      });
      reply.header('etag', `"${post.version}"`);
      return viewOf(post);
    },
  );

  r.delete(
    '/posts/:postId',
    { schema: { tags, summary: 'Delete a post (its author or a moderator); soft and audited', security, params: postParams, response: { 204: z.null(), ...problems } } },
    async (request, reply) => {
      await deletePost(db, viewerOf(request), request.params.postId);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/posts/:postId/revisions',
    {
      schema: {
        tags,
        summary: 'The edit history of a post, newest version first',
        security,
        params: postParams,
        response: {
          200: z
            .object({
              items: z.array(
                z.object({ version: z.number().int(), title: z.string(), body: z.string(), bodyHtml: z.string(), editedBy: personRef, createdAt: z.string() }),
              ),
            })
            .meta({ id: 'PostRevisions' }),
          ...problems,
        },
      },
    },
    async (request) => ({ items: await listRevisions(db, viewerOf(request), request.params.postId) }),
  );

  r.put(
    '/posts/:postId/pin',
    {
      schema: {
        tags,
        summary: 'Pin a post on top of its community feed until a date (moderators)',
        security,
        params: postParams,
        body: z.object({ until: isoDate }),
        response: { 200: postSchema, ...problems },
      },
    },
    async (request) => viewOf(await pinPost(db, viewerOf(request), request.params.postId, request.body.until)),
  );
  r.delete(
    '/posts/:postId/pin',
    { schema: { tags, summary: 'Unpin a post (moderators)', security, params: postParams, response: { 200: postSchema, ...problems } } },
    async (request) => viewOf(await pinPost(db, viewerOf(request), request.params.postId, null)),
  );

  // Reactions on posts and comments.
  for (const target of ['post', 'comment'] as const) {
    const path = target === 'post' ? '/posts/:postId' : '/comments/:commentId';
    const params = target === 'post' ? postParams : commentParams;
    const idOf = (p: Record<string, string>) => (target === 'post' ? p.postId! : p.commentId!);
    r.put(
      `${path}/reaction`,
      {
        schema: {
          tags,
          summary: `React to a ${target} (one reaction per person; another kind replaces it)`,
          security,
          params,
          body: z.object({ kind: reactionKind }),
          response: { 200: reactionSummarySchema, ...problems },
        },
      },
      async (request) => setReaction(db, viewerOf(request), { type: target, id: idOf(request.params) }, request.body.kind),
    );
    r.delete(
      `${path}/reaction`,
      { schema: { tags, summary: `Remove your reaction to a ${target}`, security, params, response: { 200: reactionSummarySchema, ...problems } } },
      async (request) => removeReaction(db, viewerOf(request), { type: target, id: idOf(request.params) }),
    );
    r.get(
      `${path}/reactions`,
      {
        schema: {
          tags,
          summary: `Who reacted to a ${target}`,
          security,
          params,
          querystring: pageQuery,
          response: {
            200: reactionSummarySchema.extend({
              items: z.array(z.object({ person: personRef, kind: reactionKind, createdAt: z.string() })),
              nextCursor: z.string().nullable(),
            }),
            ...problems,
          },
        },
      },
      async (request) =>
        listReactions(db, viewerOf(request), { type: target, id: idOf(request.params) }, { cursor: request.query.cursor, limit: request.query.limit }),
    );
  }

  r.put(
    '/posts/:postId/accepted-answer',
    {
      schema: {
        tags,
        summary: 'Accept a comment as the answer of a question (the asker or a moderator); again to change it',
        security,
        params: postParams,
        body: z.object({ commentId: z.uuid() }),
        response: { 200: postSchema, ...problems },
      },
    },
    async (request) => viewOf(await acceptAnswer(db, viewerOf(request), request.params.postId, request.body.commentId)),
  );
  r.delete(
    '/posts/:postId/accepted-answer',
    { schema: { tags, summary: 'Un-accept the answer of a question', security, params: postParams, response: { 200: postSchema, ...problems } } },
    async (request) => viewOf(await clearAcceptedAnswer(db, viewerOf(request), request.params.postId)),
  );

  r.put(
    '/posts/:postId/idea-vote',
    { schema: { tags, summary: 'Vote for an idea (once)', security, params: postParams, response: { 200: postSchema, ...problems } } },
    async (request) => viewOf(await voteIdea(db, viewerOf(request), request.params.postId, true)),
  );
  r.delete(
    '/posts/:postId/idea-vote',
    { schema: { tags, summary: 'Withdraw your vote for an idea', security, params: postParams, response: { 200: postSchema, ...problems } } },
    async (request) => viewOf(await voteIdea(db, viewerOf(request), request.params.postId, false)),
  );
  r.put(
    '/posts/:postId/idea-status',
    {
      schema: {
        tags,
        summary: 'Set the status of an idea, with a comment (moderators)',
        security,
        params: postParams,
        body: z.object({ status: z.enum(ideaStatuses), comment: text(2_000) }),
        response: { 200: postSchema, ...problems },
      },
    },
    async (request) => viewOf(await setIdeaStatus(db, viewerOf(request), request.params.postId, request.body.status, request.body.comment)),
  );

  r.put(
    '/posts/:postId/poll-vote',
    {
      schema: {
        tags,
        summary: 'Vote in a poll (replaces your previous choice) until it closes',
        security,
        params: postParams,
        body: z.object({ optionIds: z.array(z.string().max(10)).min(1).max(10) }),
        response: { 200: postSchema, ...problems },
      },
    },
    async (request) => viewOf(await votePoll(db, viewerOf(request), request.params.postId, request.body.optionIds)),
  );

  r.put(
    '/posts/:postId/rsvp',
    {
      schema: {
        tags,
        summary: 'Answer an event: yes, no or maybe (beyond capacity, yes joins the waiting list)',
        security,
        params: postParams,
        body: z.object({ response: z.enum(rsvpResponses) }),
        response: { 200: postSchema, ...problems },
      },
    },
    async (request) => viewOf(await rsvp(db, viewerOf(request), request.params.postId, request.body.response)),
  );
  r.delete(
    '/posts/:postId/rsvp',
    { schema: { tags, summary: 'Withdraw your answer to an event (the next on the waiting list moves up)', security, params: postParams, response: { 200: postSchema, ...problems } } },
    async (request) => viewOf(await rsvp(db, viewerOf(request), request.params.postId, null)),
  );

  r.post(
    '/posts/:postId/comments',
    {
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Comment on a post, or reply to a comment (a reply to a reply attaches to the top comment)',
        description: 'Send an Idempotency-Key header so that a retried request creates one comment.',
        security,
        params: postParams,
        body: z.object({ body: text(5_000), parentId: z.uuid().nullish() }).meta({ id: 'NewComment' }),
        response: { 201: commentSchema, ...problems },
      },
    },
    async (request, reply) => {
      const c = await addComment(db, viewerOf(request), { postId: request.params.postId, body: request.body.body, parentId: request.body.parentId });
      reply.code(201);
      return c as CommentOut as z.infer<typeof commentSchema>;
    },
  );
  r.get(
    '/posts/:postId/comments',
    {
      schema: {
        tags,
        summary: 'Top comments of a post, oldest first, each with its replies',
        security,
        params: postParams,
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(commentSchema), nextCursor: z.string().nullable() }).meta({ id: 'CommentPage' }), ...problems },
      },
    },
    async (request) => {
      const page = await listComments(db, viewerOf(request), request.params.postId, { cursor: request.query.cursor, limit: request.query.limit });
      return page as { items: CommentOut[]; nextCursor: string | null } as { items: z.infer<typeof commentSchema>[]; nextCursor: string | null };
    },
  );
  r.patch(
    '/comments/:commentId',
    {
      schema: {
        tags,
        summary: 'Edit a comment (its author)',
        security,
        params: commentParams,
        body: z.object({ body: text(5_000) }),
        response: { 200: commentSchema, ...problems },
      },
    },
    async (request) =>
      (await editComment(db, viewerOf(request), request.params.commentId, request.body.body)) as CommentOut as z.infer<typeof commentSchema>,
  );
  r.delete(
    '/comments/:commentId',
    { schema: { tags, summary: 'Delete a comment (its author or a moderator); soft and audited', security, params: commentParams, response: { 204: z.null(), ...problems } } },
    async (request, reply) => {
      await deleteComment(db, viewerOf(request), request.params.commentId);
      return reply.code(204).send(null);
    },
  );
}
