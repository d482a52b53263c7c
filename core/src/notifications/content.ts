/**
 * What posts and comments notify, called by the posts module where the facts happen (in
 * their transactions): mentions, replies, reactions (grouped), accepted answers; and the
 * live events of new posts and comments.
 */
import type { Queryable } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { publishLive } from '../live/events.js';
import { notify, notifyMentions } from './notify.js';

type Source = { type: 'post' | 'comment'; id: string };

/**
 * Notifies the people newly mentioned in a post or comment (call it before storeMentions
 * replaces the stored ones, so that an edit notifies only those added). Returns the ids of
 * the people mentioned by this body.
 */
export async function notifyNewMentions(
  db: Queryable,
  viewer: Viewer,
  source: Source,
  postId: string,
  mentions: readonly { type: string; id: string }[],
): Promise<string[]> {
  const people = mentions.filter((m) => m.type === 'person').map((m) => m.id);
  if (people.length === 0) return [];
  const before = await db.query<{ mentioned_id: string }>(
    `select mentioned_id from mentions where tenant_id = $1 and source_type = $2 and source_id = $3 and mentioned_type = 'person'`,
    [viewer.tenantId, source.type, source.id],
  );
  const known = new Set(before.rows.map((r) => r.mentioned_id));
  await notifyMentions(db, viewer.tenantId, viewer.personId, { ...source, postId }, people.filter((id) => !known.has(id)));
  return people;
}

/** A new post: its live event (delivered at commit to those who may read it). */
export async function publishNewPost(db: Queryable, viewer: Viewer, postId: string, communityId: string | null): Promise<void> {
  await publishLive(db, { type: 'post', tenantId: viewer.tenantId, postId, communityId });
}

/**
 * A new comment: the post's author and the author of the comment replied to are notified
 * (not those already notified of a mention in it), and its live event is published.
 */
export async function notifyNewComment(
  db: Queryable,
  viewer: Viewer,
  c: { commentId: string; postId: string; postAuthorId: string; parentId: string | null; mentioned: readonly string[] },
): Promise<void> {
  const recipients = new Set([c.postAuthorId]);
  if (c.parentId) {
    const r = await db.query<{ author_id: string }>('select author_id from comments where tenant_id = $1 and id = $2', [viewer.tenantId, c.parentId]);
    if (r.rows[0]) recipients.add(r.rows[0].author_id);
  }
  for (const personId of recipients) {
    if (c.mentioned.includes(personId)) continue;
    await notify(db, {
      tenantId: viewer.tenantId,
      personId,
      kind: 'reply',
      data: { postId: c.postId, commentId: c.commentId, ...(c.parentId ? { parentId: c.parentId } : {}) },
      actorId: viewer.personId,
    });
  }
  await publishLive(db, { type: 'comment', tenantId: viewer.tenantId, commentId: c.commentId, postId: c.postId });
}

/** A reaction: one notification per item and day for its author, counting the people who reacted. */
export async function notifyReaction(db: Queryable, viewer: Viewer, target: Source, reaction: string): Promise<void> {
  const r =
    target.type === 'post'
      ? await db.query<{ author_id: string; post_id: string }>('select author_id, id as post_id from posts where tenant_id = $1 and id = $2', [
          viewer.tenantId,
          target.id,
        ])
      : await db.query<{ author_id: string; post_id: string }>('select author_id, post_id from comments where tenant_id = $1 and id = $2', [
          viewer.tenantId,
          target.id,
        ]);
  const item = r.rows[0];
  if (!item) return;
  await notify(db, {
    tenantId: viewer.tenantId,
    personId: item.author_id,
    kind: 'reaction',
    groupKey: `${target.type}:${target.id}`,
    data: { postId: item.post_id, ...(target.type === 'comment' ? { commentId: target.id } : {}), reaction },
    actorId: viewer.personId,
  });
}

/** An accepted answer: its author is told. */
export async function notifyAnswerAccepted(db: Queryable, viewer: Viewer, postId: string, commentId: string): Promise<void> {
  const r = await db.query<{ author_id: string }>('select author_id from comments where tenant_id = $1 and id = $2', [viewer.tenantId, commentId]);
  if (!r.rows[0]) return;
  await notify(db, {
    tenantId: viewer.tenantId,
    personId: r.rows[0].author_id,
    kind: 'answer_accepted',
    data: { postId, commentId },
    actorId: viewer.personId,
  });
}
