/**
 * Live events: what happened, as ids only. They travel through PostgreSQL NOTIFY on one
 * channel (so every server instance hears them) and each instance loads the item for each
 * connected person through the policy before sending anything (see ./deliver.ts).
 */
import type { Queryable } from '../store/db.js';

export const liveChannel = 'ruche_live';

export type LiveEvent =
  | { type: 'post'; tenantId: string; postId: string; communityId: string | null }
  | { type: 'comment'; tenantId: string; commentId: string; postId: string }
  /** The reactions to a post or a comment changed (counts only travel, loaded per reader). */
  | { type: 'reaction'; tenantId: string; targetType: 'post' | 'comment'; targetId: string; postId: string }
  | { type: 'notification'; tenantId: string; personId: string; notificationId: string }
  /** The person's unread count changed (read elsewhere). */
  | { type: 'unread'; tenantId: string; personId: string };

/**
 * Publishes an event. Inside a transaction it is delivered at commit (NOTIFY is
 * transactional), so listeners never hear of a row they cannot load yet.
 */
export async function publishLive(db: Queryable, event: LiveEvent): Promise<void> {
  await db.query('select pg_notify($1, $2)', [liveChannel, JSON.stringify(event)]);
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses a payload heard on the channel; anything malformed is ignored (undefined). */
export function parseLiveEvent(payload: string): LiveEvent | undefined {
  let e: Record<string, unknown>;
  try {
    e = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!e || typeof e !== 'object') return undefined;
  const id = (k: string): boolean => typeof e[k] === 'string' && uuid.test(e[k] as string);
  if (!id('tenantId')) return undefined;
  switch (e.type) {
    case 'post':
      return id('postId') && (e.communityId === null || id('communityId')) ? (e as LiveEvent) : undefined;
    case 'comment':
      return id('commentId') && id('postId') ? (e as LiveEvent) : undefined;
    case 'reaction':
      return (e.targetType === 'post' || e.targetType === 'comment') && id('targetId') && id('postId') ? (e as LiveEvent) : undefined;
    case 'notification':
      return id('personId') && id('notificationId') ? (e as LiveEvent) : undefined;
    case 'unread':
      return id('personId') ? (e as LiveEvent) : undefined;
    default:
      return undefined;
  }
}
