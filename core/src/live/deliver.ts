/**
 * What a connected person receives for a live event: the item loaded for them through the
 * policy, or nothing. Events carry ids only; nothing private reaches someone who may not read it.
 */
import type { Queryable } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { getPost } from '../posts/posts.js';
import { getComment } from '../posts/comments.js';
import { loadCommentFor, loadPostFor } from '../posts/facts.js';
import { reactionSummaries } from '../posts/hydrate.js';
import type { CommentView, PostView, ReactionCounts } from '../posts/model.js';
import { getNotification, unreadNotificationCount } from '../notifications/inbox.js';
import type { NotificationView } from '../notifications/model.js';
import type { LiveEvent } from './events.js';

export type LiveMessage =
  | { event: 'post'; data: PostView }
  | { event: 'comment'; data: CommentView }
  | { event: 'reaction'; data: ReactionChange }
  | { event: 'notification'; data: { notification: NotificationView; unreadCount: number } }
  | { event: 'unread'; data: { unreadCount: number } };

/**
 * New reaction counts of a post or comment. Counts only: who reacted is listed by the
 * reactions endpoint to whoever may read the item; the viewer's own reaction stays theirs.
 */
export interface ReactionChange {
  targetType: 'post' | 'comment';
  targetId: string;
  postId: string;
  counts: ReactionCounts;
  total: number;
}

async function orNothing<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof RucheError && (err.kind === 'not_found' || err.kind === 'forbidden')) return null;
    throw err;
  }
}

/** Whether the viewer follows the community (or is an active member of it): the home feed's rule. */
async function followsCommunity(db: Queryable, viewer: Viewer, communityId: string): Promise<boolean> {
  const r = await db.query<{ yes: boolean }>(
    `select exists (select 1 from follows where tenant_id = $1 and follower_id = $2 and target_type = 'community' and target_id = $3)
         or exists (select 1 from memberships where tenant_id = $1 and person_id = $2 and community_id = $3 and state = 'active') as yes`,
    [viewer.tenantId, viewer.personId, communityId],
  );
  return r.rows[0]?.yes === true;
}

/**
 * The message for `viewer`, or null when they are not to receive it: new posts in
 * communities they follow and may read, new comments on posts they may read, their own
 * notifications (with the unread count), unread count changes and new reaction counts of
 * posts and comments they may read.
 */
export async function liveMessageFor(db: Queryable, viewer: Viewer, event: LiveEvent): Promise<LiveMessage | null> {
  if (event.tenantId !== viewer.tenantId) return null;
  switch (event.type) {
    case 'post': {
      if (!event.communityId || !(await followsCommunity(db, viewer, event.communityId))) return null;
      const post = await orNothing(() => getPost(db, viewer, event.postId));
      return post ? { event: 'post', data: post } : null;
    }
    case 'comment': {
      const comment = await orNothing(() => getComment(db, viewer, event.commentId));
      return comment && !comment.deleted ? { event: 'comment', data: comment } : null;
    }
    case 'reaction': {
      const readable = await orNothing<{ id: string }>(() =>
        event.targetType === 'post'
          ? loadPostFor(db, viewer, event.targetId, 'read')
          : loadCommentFor(db, viewer, event.targetId, 'read'),
      );
      if (!readable) return null;
      const s = (await reactionSummaries(db, viewer, event.targetType, [event.targetId])).get(event.targetId)!;
      return {
        event: 'reaction',
        data: { targetType: event.targetType, targetId: event.targetId, postId: event.postId, counts: s.counts, total: s.total },
      };
    }
    case 'notification': {
      if (event.personId !== viewer.personId) return null;
      const notification = await getNotification(db, viewer, event.notificationId);
      if (!notification) return null;
      return { event: 'notification', data: { notification, unreadCount: await unreadNotificationCount(db, viewer) } };
    }
    case 'unread':
      if (event.personId !== viewer.personId) return null;
      return { event: 'unread', data: { unreadCount: await unreadNotificationCount(db, viewer) } };
  }
}
