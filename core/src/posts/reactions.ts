/** One reaction per person per post or comment, from a fixed set; another kind replaces it. */
import type { Queryable } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { type Page, decodeCursor, encodeCursor } from '../pagination.js';
import { checkKeyset } from '../feed/keyset.js';
import { invalid } from './body.js';
import { consumeRateLimit } from '../governance/rate-limit.js';
import { notifyReaction } from '../notifications/content.js';
import { publishLive } from '../live/events.js';
import { loadCommentFor, loadPostFor } from './facts.js';
import { reactionSummaries, timestampKey } from './hydrate.js';
import { type PersonRef, type ReactionCounts, type ReactionKind, reactionKinds } from './model.js';

export type ReactionTarget = { type: 'post' | 'comment'; id: string };

export interface ReactionSummary {
  counts: ReactionCounts;
  total: number;
  viewerReaction: ReactionKind | null;
}

/** Checks the viewer may act on the target; returns the post it belongs to. */
async function assertTarget(db: Queryable, viewer: Viewer, target: ReactionTarget, action: 'react' | 'read'): Promise<string> {
  if (target.type === 'post') return (await loadPostFor(db, viewer, target.id, action)).id;
  return (await loadCommentFor(db, viewer, target.id, action)).postId;
}

/** Tells connected readers of the item that its counts changed (ids only; see live/deliver.ts). */
async function publishReactionChange(db: Queryable, viewer: Viewer, target: ReactionTarget, postId: string): Promise<void> {
  await publishLive(db, { type: 'reaction', tenantId: viewer.tenantId, targetType: target.type, targetId: target.id, postId });
}

export async function reactionSummary(db: Queryable, viewer: Viewer, target: ReactionTarget): Promise<ReactionSummary> {
  const s = (await reactionSummaries(db, viewer, target.type, [target.id])).get(target.id)!;
  return { counts: s.counts, total: s.total, viewerReaction: s.mine };
}

export async function setReaction(db: Queryable, viewer: Viewer, target: ReactionTarget, kind: ReactionKind): Promise<ReactionSummary> {
  if (!reactionKinds.includes(kind)) throw invalid('kind', `one of ${reactionKinds.join(', ')}`);
  const postId = await assertTarget(db, viewer, target, 'react');
  await consumeRateLimit(db, viewer, 'reaction');
  await db.query(
    `insert into reactions (tenant_id, target_type, target_id, person_id, kind) values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, target_type, target_id, person_id) do update set kind = excluded.kind, created_at = now()`,
    [viewer.tenantId, target.type, target.id, viewer.personId, kind],
  );
  await notifyReaction(db, viewer, target, kind);
  await publishReactionChange(db, viewer, target, postId);
  return reactionSummary(db, viewer, target);
}

export async function removeReaction(db: Queryable, viewer: Viewer, target: ReactionTarget): Promise<ReactionSummary> {
  const postId = await assertTarget(db, viewer, target, 'react');
  const removed = await db.query('delete from reactions where tenant_id = $1 and target_type = $2 and target_id = $3 and person_id = $4', [
    viewer.tenantId,
    target.type,
    target.id,
    viewer.personId,
  ]);
  if (removed.rowCount > 0) await publishReactionChange(db, viewer, target, postId);
  return reactionSummary(db, viewer, target);
}

export interface ReactionEntry {
  person: PersonRef;
  kind: ReactionKind;
  createdAt: string;
}

/** Who reacted, newest first, for whoever may read the item. */
export async function listReactions(
  db: Queryable,
  viewer: Viewer,
  target: ReactionTarget,
  options: { cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<Page<ReactionEntry> & ReactionSummary> {
  await assertTarget(db, viewer, target, 'read');
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const after = decodeCursor(options.cursor, ['date', 'string']);
  if (after) checkKeyset({ timestamps: [after[0]], ids: [after[1]] });
  const params: unknown[] = [viewer.tenantId, target.type, target.id, limit + 1];
  let keyset = '';
  if (after) {
    params.push(after[0], after[1]);
    keyset = 'and (r.created_at, r.person_id) < ($5::timestamptz, $6::uuid)';
  }
  const r = await db.query<{ person_id: string; display_name: string; kind: ReactionKind; created_at: Date; created_key: string }>(
    `select r.person_id, a.display_name, r.kind, r.created_at, ${timestampKey('r.created_at')} as created_key
     from reactions r join people a on a.tenant_id = r.tenant_id and a.id = r.person_id
     where r.tenant_id = $1 and r.target_type = $2 and r.target_id = $3 ${keyset}
     order by r.created_at desc, r.person_id desc limit $4`,
    params,
  );
  const more = r.rows.length > limit;
  const rows = more ? r.rows.slice(0, limit) : r.rows;
  const last = rows[rows.length - 1];
  return {
    ...(await reactionSummary(db, viewer, target)),
    items: rows.map((x) => ({ person: { id: x.person_id, displayName: x.display_name }, kind: x.kind, createdAt: x.created_at.toISOString() })),
    nextCursor: more && last ? encodeCursor([last.created_key, last.person_id]) : null,
  };
}
