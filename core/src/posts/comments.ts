/** Comments, one level deep: a reply to a reply attaches to the top comment. */
import type { Db, Queryable } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { screenContent } from '../governance/keywords.js';
import { consumeRateLimit } from '../governance/rate-limit.js';
import { notifyNewComment, notifyNewMentions } from '../notifications/content.js';
import { type Page, decodeCursor, encodeCursor } from '../pagination.js';
import { checkKeyset } from '../feed/keyset.js';
import { isUuid } from '../people/people.js';
import { invalid, prepareBody, storeMentions } from './body.js';
import { loadCommentFor, loadPostFor } from './facts.js';
import { reactionSummaries, timestampKey } from './hydrate.js';
import { type CommentView, limits } from './model.js';
import { writeAudit } from './posts.js';

interface CommentRow {
  id: string;
  post_id: string;
  parent_id: string | null;
  author_id: string;
  author_name: string;
  body: string;
  body_html: string;
  created_at: Date;
  updated_at: Date;
  hidden_at: Date | null;
  deleted_at: Date | null;
  created_key: string;
}

const commentColumns = `k.id, k.post_id, k.parent_id, k.author_id, a.display_name as author_name, k.body, k.body_html,
  k.created_at, k.updated_at, k.hidden_at, k.deleted_at, ${timestampKey('k.created_at')} as created_key`;

async function views(db: Queryable, viewer: Viewer, rows: CommentRow[], acceptedId: string | null): Promise<CommentView[]> {
  const reactions = await reactionSummaries(db, viewer, 'comment', rows.map((r) => r.id));
  return rows.map((r) => {
    const deleted = r.deleted_at !== null;
    const rs = reactions.get(r.id)!;
    return {
      id: r.id,
      postId: r.post_id,
      parentId: r.parent_id,
      author: deleted ? null : { id: r.author_id, displayName: r.author_name },
      body: deleted ? '' : r.body,
      bodyHtml: deleted ? '' : r.body_html,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      edited: r.updated_at.getTime() > r.created_at.getTime(),
      hidden: r.hidden_at !== null,
      deleted,
      accepted: !deleted && r.id === acceptedId,
      counts: { reactions: rs.counts, reactionsTotal: rs.total },
      viewerReaction: rs.mine,
      replies: [],
    };
  });
}

export async function getComment(db: Queryable, viewer: Viewer, commentId: string): Promise<CommentView> {
  const c = await loadCommentFor(db, viewer, commentId, 'read');
  const r = await db.query<CommentRow>(
    `select ${commentColumns} from comments k join people a on a.tenant_id = k.tenant_id and a.id = k.author_id
     where k.tenant_id = $1 and k.id = $2`,
    [viewer.tenantId, commentId],
  );
  const [view] = await views(db, viewer, r.rows, c.post.acceptedCommentId);
  return view!;
}

export async function addComment(
  db: Db,
  viewer: Viewer,
  input: { postId: string; body: string; parentId?: string | null | undefined },
): Promise<CommentView> {
  const id = await db.transaction(async (tx) => {
    const post = await loadPostFor(tx, viewer, input.postId, 'comment');
    if (input.body.trim() === '') throw invalid('body', 'write something');
    await consumeRateLimit(tx, viewer, 'comment');
    const screening = await screenContent(tx, viewer.tenantId, input.body);
    let parentId: string | null = null;
    if (input.parentId) {
      const parent = isUuid(input.parentId)
        ? await tx.query<{ id: string; parent_id: string | null }>(
            'select id, parent_id from comments where tenant_id = $1 and id = $2 and post_id = $3 and deleted_at is null',
            [viewer.tenantId, input.parentId, post.id],
          )
        : { rows: [] };
      const p = parent.rows[0];
      if (!p) throw new RucheError('NOT_FOUND', 'No such comment to reply to');
      parentId = p.parent_id ?? p.id;
    }
    const body = await prepareBody(tx, viewer, input.body, { field: 'body', max: limits.commentBody, communityId: post.communityId });
    const r = await tx.query<{ id: string }>(
      `insert into comments (tenant_id, post_id, parent_id, author_id, body, body_html) values ($1, $2, $3, $4, $5, $6) returning id`,
      [viewer.tenantId, post.id, parentId, viewer.personId, body.body, body.bodyHtml],
    );
    const commentId = r.rows[0]!.id;
    await screening.flag(tx, { type: 'comment', id: commentId });
    const mentioned = await notifyNewMentions(tx, viewer, { type: 'comment', id: commentId }, post.id, body.mentions);
    await storeMentions(tx, viewer.tenantId, { type: 'comment', id: commentId }, body.mentions);
    await notifyNewComment(tx, viewer, { commentId, postId: post.id, postAuthorId: post.authorId, parentId, mentioned });
    await tx.query('update posts set last_activity_at = now() where tenant_id = $1 and id = $2', [viewer.tenantId, post.id]);
    return commentId;
  });
  return getComment(db, viewer, id);
}

export async function editComment(db: Db, viewer: Viewer, commentId: string, source: string): Promise<CommentView> {
  await db.transaction(async (tx) => {
    const c = await loadCommentFor(tx, viewer, commentId, 'edit');
    if (source.trim() === '') throw invalid('body', 'write something');
    const screening = await screenContent(tx, viewer.tenantId, source);
    await screening.flag(tx, { type: 'comment', id: commentId });
    const body = await prepareBody(tx, viewer, source, { field: 'body', max: limits.commentBody, communityId: c.post.communityId });
    await tx.query(
      'update comments set body = $3, body_html = $4, updated_at = greatest(now(), created_at + interval \'1 microsecond\') where tenant_id = $1 and id = $2',
      [viewer.tenantId, commentId, body.body, body.bodyHtml],
    );
    await notifyNewMentions(tx, viewer, { type: 'comment', id: commentId }, c.postId, body.mentions);
    await storeMentions(tx, viewer.tenantId, { type: 'comment', id: commentId }, body.mentions);
  });
  return getComment(db, viewer, commentId);
}

/** Soft delete by the author or a moderator, audited; an accepted answer stops being one. */
export async function deleteComment(db: Db, viewer: Viewer, commentId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const c = await loadCommentFor(tx, viewer, commentId, 'delete');
    await tx.query('update comments set deleted_at = now() where tenant_id = $1 and id = $2', [viewer.tenantId, commentId]);
    await tx.query('update posts set accepted_comment_id = null where tenant_id = $1 and id = $2 and accepted_comment_id = $3', [
      viewer.tenantId,
      c.postId,
      commentId,
    ]);
    await writeAudit(tx, viewer, 'comment.delete', 'comment', commentId, {
      postId: c.postId,
      authorId: c.authorId,
      byAuthor: c.authorId === viewer.personId,
    });
  });
}

/**
 * Top comments of a post, oldest first, keyset-paginated, each with its replies. Hidden
 * comments are shown to their author and moderators only; a deleted top comment stays as a
 * placeholder while replies hang from it.
 */
export async function listComments(
  db: Queryable,
  viewer: Viewer,
  postId: string,
  options: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<Page<CommentView>> {
  const post = await loadPostFor(db, viewer, postId, 'read');
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const after = decodeCursor(options.cursor, ['date', 'string']);
  if (after) checkKeyset({ timestamps: [after[0]], ids: [after[1]] });
  const readable = `(k.hidden_at is null or k.author_id = $3 or $4::boolean)`;
  const params: unknown[] = [viewer.tenantId, postId, viewer.personId, post.moderator, limit + 1];
  let keyset = '';
  if (after) {
    params.push(after[0], after[1]);
    keyset = 'and (k.created_at, k.id) > ($6::timestamptz, $7::uuid)';
  }
  const top = await db.query<CommentRow>(
    `select ${commentColumns} from comments k join people a on a.tenant_id = k.tenant_id and a.id = k.author_id
     where k.tenant_id = $1 and k.post_id = $2 and k.parent_id is null and ${readable}
       and (k.deleted_at is null or exists (
         select 1 from comments r where r.tenant_id = k.tenant_id and r.parent_id = k.id and r.deleted_at is null
           and (r.hidden_at is null or r.author_id = $3 or $4::boolean)))
       ${keyset}
     order by k.created_at, k.id limit $5`,
    params,
  );
  const more = top.rows.length > limit;
  const rows = more ? top.rows.slice(0, limit) : top.rows;
  const replies =
    rows.length === 0
      ? { rows: [] as CommentRow[] }
      : await db.query<CommentRow>(
          `select ${commentColumns} from comments k join people a on a.tenant_id = k.tenant_id and a.id = k.author_id
           where k.tenant_id = $1 and k.post_id = $2 and k.parent_id = any($5::uuid[]) and k.deleted_at is null and ${readable}
           order by k.created_at, k.id`,
          [viewer.tenantId, postId, viewer.personId, post.moderator, rows.map((r) => r.id)],
        );
  const all = await views(db, viewer, [...rows, ...replies.rows], post.acceptedCommentId);
  const byId = new Map(all.map((v) => [v.id, v]));
  for (const r of all.slice(rows.length)) byId.get(r.parentId!)?.replies.push(r);
  const last = rows[rows.length - 1];
  return {
    items: all.slice(0, rows.length),
    nextCursor: more && last ? encodeCursor([last.created_key, last.id]) : null,
  };
}
