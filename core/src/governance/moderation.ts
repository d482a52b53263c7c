/**
 * Reports and moderation: anyone who may read an item reports it (one open report per
 * person per item); owners and moderators work the queue of their communities, tenant
 * admins the whole tenant; every action is decided by the policy, recorded in the audit
 * log, and its outcome notified to the author (and to the reporters).
 */
import type { Db, Queryable } from '../store/db.js';
import { type ContentFacts, type Viewer, assertOnCommunity, canModerateContent, canOnContent, isTenantAdmin, sqlCommunityModerator } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { type Page, decodeCursor, encodeCursor } from '../pagination.js';
import { isUuid } from '../people/people.js';
import { recordAudit } from '../communities/audit.js';
import { banMember } from '../communities/membership.js';
import { type CommunityRow, communityFactsOf, loadCommentFor, loadCommunity, loadPostFor } from '../posts/facts.js';
import { timestampKey } from '../posts/hydrate.js';
import { notify } from '../notifications/notify.js';
import { consumeRateLimit } from './rate-limit.js';

export type ReportReason = 'spam' | 'harassment' | 'hate' | 'misinformation' | 'off_topic' | 'confidential' | 'other';
export const reportReasons: readonly ReportReason[] = ['spam', 'harassment', 'hate', 'misinformation', 'off_topic', 'confidential', 'other'];
export const REPORT_DETAILS_MAX = 1000;
export const MODERATION_NOTE_MAX = 1000;

export type ItemType = 'post' | 'comment';
export interface ItemRef {
  type: ItemType;
  id: string;
}

export interface ReportView {
  id: string;
  target: ItemRef;
  reason: ReportReason;
  details: string;
  state: 'open' | 'dismissed' | 'actioned';
  createdAt: string;
}

function invalid(path: string, message: string): RucheError {
  return new RucheError('VALIDATION_FAILED', `${path}: ${message}`, { details: { issues: [{ path, message }] } });
}

function clean(text: string): string {
  return text.replaceAll(String.fromCharCode(0), '\uFFFD').trim();
}

/** Reports a post or comment the viewer may read (not their own). */
export async function reportContent(
  db: Db,
  viewer: Viewer,
  input: { target: ItemRef; reason: ReportReason; details?: string | undefined },
): Promise<ReportView> {
  if (!reportReasons.includes(input.reason)) throw invalid('reason', `one of ${reportReasons.join(', ')}`);
  const details = clean(input.details ?? '');
  if (details.length > REPORT_DETAILS_MAX) throw invalid('details', `at most ${REPORT_DETAILS_MAX} characters`);
  if (input.reason === 'other' && details === '') throw invalid('details', 'say what is wrong when the reason is "other"');
  return db.transaction(async (tx) => {
    const { postId, communityId } = await loadFor(tx, viewer, input.target, 'report');
    await consumeRateLimit(tx, viewer, 'report');
    const r = await tx.query<{ id: string; created_at: Date }>(
      `insert into reports (tenant_id, target_type, target_id, post_id, community_id, reporter_id, reason, details)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing returning id, created_at`,
      [viewer.tenantId, input.target.type, input.target.id, postId, communityId, viewer.personId, input.reason, details],
    );
    const row = r.rows[0];
    if (!row) throw new RucheError('REPORT_ALREADY_OPEN');
    return { id: row.id, target: input.target, reason: input.reason, details, state: 'open' as const, createdAt: row.created_at.toISOString() };
  });
}

async function loadFor(q: Queryable, viewer: Viewer, target: ItemRef, action: 'report'): Promise<{ postId: string; communityId: string | null }> {
  if (target.type === 'post') {
    const p = await loadPostFor(q, viewer, target.id, action);
    return { postId: p.id, communityId: p.communityId };
  }
  if (target.type === 'comment') {
    const c = await loadCommentFor(q, viewer, target.id, action);
    return { postId: c.postId, communityId: c.post.communityId };
  }
  throw invalid('target.type', 'post or comment');
}

/** An item as moderators see it, whatever its state. */
interface ModeratedItem {
  type: ItemType;
  id: string;
  postId: string;
  communityId: string | null;
  communityName: string | null;
  authorId: string;
  hidden: boolean;
  deleted: boolean;
  facts: ContentFacts;
}

interface ItemRow extends CommunityRow {
  id: string;
  post_id: string;
  community_id: string | null;
  community_name: string | null;
  author_id: string;
  hidden_at: Date | null;
  deleted_at: Date | null;
}

/** Loads an item for moderation: NOT_FOUND when the viewer could not read it, FORBIDDEN when they do not moderate it. */
async function loadModerated(q: Queryable, viewer: Viewer, target: ItemRef, forUpdate: boolean): Promise<ModeratedItem> {
  if ((target.type !== 'post' && target.type !== 'comment') || !isUuid(target.id)) throw new RucheError('NOT_FOUND', 'No such item');
  const lock = forUpdate ? ' for update of i' : '';
  const r =
    target.type === 'post'
      ? await q.query<ItemRow>(
          `select i.id, i.id as post_id, i.community_id, c.name as community_name, i.author_id, i.hidden_at, i.deleted_at,
                  c.visibility, c.archived_at, c.restricted_posting, m.role as m_role, m.state as m_state
           from posts i
           left join communities c on c.tenant_id = i.tenant_id and c.id = i.community_id
           left join memberships m on m.tenant_id = i.tenant_id and m.community_id = i.community_id and m.person_id = $3
           where i.tenant_id = $1 and i.id = $2${lock}`,
          [viewer.tenantId, target.id, viewer.personId],
        )
      : await q.query<ItemRow>(
          `select i.id, i.post_id, p.community_id, c.name as community_name, i.author_id, i.hidden_at, i.deleted_at,
                  c.visibility, c.archived_at, c.restricted_posting, m.role as m_role, m.state as m_state
           from comments i
           join posts p on p.tenant_id = i.tenant_id and p.id = i.post_id
           left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
           left join memberships m on m.tenant_id = p.tenant_id and m.community_id = p.community_id and m.person_id = $3
           where i.tenant_id = $1 and i.id = $2${lock}`,
          [viewer.tenantId, target.id, viewer.personId],
        );
  const row = r.rows[0];
  if (!row) throw new RucheError('NOT_FOUND', 'No such item');
  const facts: ContentFacts = {
    authorId: row.author_id,
    hidden: row.hidden_at !== null,
    deleted: row.deleted_at !== null,
    community: communityFactsOf(viewer.tenantId, row),
  };
  if (!canModerateContent(viewer, facts)) {
    if (!canOnContent(viewer, 'read', { ...facts, deleted: false })) throw new RucheError('NOT_FOUND', 'No such item');
    throw new RucheError('FORBIDDEN', 'Only moderators of this community can do this');
  }
  return {
    type: target.type,
    id: row.id,
    postId: row.post_id,
    communityId: row.community_id,
    communityName: row.community_name,
    authorId: row.author_id,
    hidden: facts.hidden,
    deleted: facts.deleted,
    facts,
  };
}

export type ModerationAction = 'hide' | 'restore' | 'delete' | 'dismiss' | 'warn' | 'ban';
export const moderationActions: readonly ModerationAction[] = ['hide', 'restore', 'delete', 'dismiss', 'warn', 'ban'];

export interface ModerationResult {
  target: ItemRef;
  action: ModerationAction;
  hidden: boolean;
  deleted: boolean;
  /** Open reports this action closed. */
  resolvedReports: number;
}

async function resolveReports(q: Queryable, viewer: Viewer, target: ItemRef, state: 'dismissed' | 'actioned', resolution: ModerationAction): Promise<string[]> {
  const r = await q.query<{ reporter_id: string | null }>(
    `update reports set state = $4, resolution = $5, resolved_by = $6, resolved_at = now()
     where tenant_id = $1 and target_type = $2 and target_id = $3 and state = 'open' returning reporter_id`,
    [viewer.tenantId, target.type, target.id, state, resolution, viewer.personId],
  );
  return r.rows.map((x) => x.reporter_id).filter((x): x is string => x !== null);
}

/**
 * Acts on a reported (or any) item as a moderator: hide (only its author and moderators
 * still see it), restore (un-hide, un-delete), delete (soft), dismiss the open reports,
 * warn the author, or ban the author from the community. Audited; the author is told.
 */
export async function moderateContent(
  db: Db,
  viewer: Viewer,
  input: { target: ItemRef; action: ModerationAction; note?: string | undefined },
): Promise<ModerationResult> {
  if (!moderationActions.includes(input.action)) throw invalid('action', `one of ${moderationActions.join(', ')}`);
  const note = clean(input.note ?? '');
  if (note.length > MODERATION_NOTE_MAX) throw invalid('note', `at most ${MODERATION_NOTE_MAX} characters`);
  const { target, action } = input;

  if (action === 'ban') {
    const item = await loadModerated(db, viewer, target, false);
    if (!item.communityId) throw new RucheError('MODERATION_NOT_APPLICABLE', 'This item is not in a community');
    // The ban itself is decided by the communities policy (ranks, last owner) and audited there.
    await banMember(db, viewer, item.communityId, item.authorId, note || undefined);
  }

  return db.transaction(async (tx) => {
    const item = await loadModerated(tx, viewer, target, true);
    let hidden = item.hidden;
    let deleted = item.deleted;
    let reporters: string[] = [];
    switch (action) {
      case 'hide':
        if (item.deleted) throw new RucheError('MODERATION_NOT_APPLICABLE', 'This item is deleted; restore it first');
        if (!item.hidden) {
          await tx.query(`update ${target.type === 'post' ? 'posts' : 'comments'} set hidden_at = now() where tenant_id = $1 and id = $2`, [viewer.tenantId, item.id]);
        }
        hidden = true;
        reporters = await resolveReports(tx, viewer, target, 'actioned', action);
        break;
      case 'restore':
        await tx.query(`update ${target.type === 'post' ? 'posts' : 'comments'} set hidden_at = null, deleted_at = null where tenant_id = $1 and id = $2`, [
          viewer.tenantId,
          item.id,
        ]);
        hidden = false;
        deleted = false;
        break;
      case 'delete':
        if (!item.deleted) {
          await tx.query(`update ${target.type === 'post' ? 'posts' : 'comments'} set deleted_at = now() where tenant_id = $1 and id = $2`, [viewer.tenantId, item.id]);
          if (target.type === 'comment') {
            await tx.query('update posts set accepted_comment_id = null where tenant_id = $1 and id = $2 and accepted_comment_id = $3', [
              viewer.tenantId,
              item.postId,
              item.id,
            ]);
          }
        }
        deleted = true;
        reporters = await resolveReports(tx, viewer, target, 'actioned', action);
        break;
      case 'dismiss':
        reporters = await resolveReports(tx, viewer, target, 'dismissed', action);
        break;
      case 'warn':
      case 'ban':
        reporters = await resolveReports(tx, viewer, target, 'actioned', action);
        break;
    }
    const changed = action !== 'restore' || item.hidden || item.deleted;
    if (changed) {
      await recordAudit(tx, {
        tenantId: viewer.tenantId,
        actorId: viewer.personId,
        action: `moderation.${action}`,
        targetType: target.type,
        targetId: item.id,
        data: {
          communityId: item.communityId,
          postId: item.postId,
          authorId: item.authorId,
          reports: reporters.length,
          ...(note ? { note } : {}),
        },
      });
      await tellOutcome(tx, viewer, item, action, note, reporters);
    }
    return { target: { type: target.type, id: item.id }, action, hidden, deleted, resolvedReports: reporters.length };
  });
}

const authorOutcome: Record<ModerationAction, string> = {
  hide: 'hidden',
  restore: 'restored',
  delete: 'deleted',
  dismiss: 'dismissed',
  warn: 'warning',
  ban: 'banned',
};

/** The author learns what happened to their item; reporters learn their report was handled. */
async function tellOutcome(q: Queryable, viewer: Viewer, item: ModeratedItem, action: ModerationAction, note: string, reporters: string[]): Promise<void> {
  const still = action === 'hide' || action === 'warn' || action === 'restore';
  // Ids the inbox checks (postId, commentId, communityId) only when the author may still open the item.
  const ref = still ? (item.type === 'post' ? { postId: item.postId } : { postId: item.postId, commentId: item.id }) : {};
  const base = {
    item: { type: item.type, id: item.id },
    community: item.communityId ? { id: item.communityId, name: item.communityName } : null,
    ...ref,
  };
  if (action !== 'dismiss') {
    await notify(q, {
      tenantId: viewer.tenantId,
      personId: item.authorId,
      kind: 'moderation_outcome',
      actorId: viewer.personId,
      data: { ...base, outcome: authorOutcome[action], ...(note ? { note } : {}) },
    });
  }
  for (const reporter of new Set(reporters)) {
    if (reporter === item.authorId) continue;
    await notify(q, {
      tenantId: viewer.tenantId,
      personId: reporter,
      kind: 'moderation_outcome',
      actorId: viewer.personId,
      data: { item: base.item, outcome: action === 'dismiss' ? 'report_dismissed' : 'report_actioned' },
    });
  }
}

export interface QueueItem {
  target: ItemRef;
  postId: string;
  community: { id: string; name: string } | null;
  author: { id: string; displayName: string };
  /** A short excerpt of the item (title and start of the body). */
  excerpt: string;
  hidden: boolean;
  deleted: boolean;
  reportCount: number;
  reasons: string[];
  firstReportedAt: string;
  lastReportedAt: string;
  /** The latest reports, newest first (at most 5), without the reporters' identities. */
  latest: { reason: string; details: string; createdAt: string }[];
}

interface QueueRow {
  target_type: ItemType;
  target_id: string;
  post_id: string;
  community_id: string | null;
  community_name: string | null;
  reports: number;
  reasons: string[];
  first_at: Date;
  first_key: string;
  last_at: Date;
  latest: { reason: string; details: string; at: string }[];
  author_id: string;
  author_name: string;
  excerpt: string;
  hidden: boolean;
  deleted: boolean;
}

/**
 * The moderation queue: open reports grouped per item, oldest first, keyset-paged. With a
 * community: its moderators (and tenant admins). Without: every community the viewer
 * moderates (a tenant admin: the whole tenant, organisation-wide items included).
 */
export async function listModerationQueue(
  db: Queryable,
  viewer: Viewer,
  options: { communityId?: string | undefined; cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<Page<QueueItem>> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const after = decodeCursor(options.cursor, ['date', 'string']);
  if (after && !isUuid(String(after[1]))) throw new RucheError('INVALID_CURSOR');
  const params: unknown[] = [viewer.tenantId, limit + 1];
  let scope: string;
  if (options.communityId !== undefined) {
    let communityId = options.communityId;
    if (!isUuid(communityId)) {
      const bySlug = await db.query<{ id: string }>('select id from communities where tenant_id = $1 and slug = $2', [viewer.tenantId, communityId]);
      communityId = bySlug.rows[0]?.id ?? communityId;
    }
    const community = await loadCommunity(db, viewer, communityId);
    assertOnCommunity(viewer, 'moderate', community?.facts);
    params.push(community.id);
    scope = `r.community_id = $${params.length}`;
  } else {
    params.push(viewer.personId, isTenantAdmin(viewer));
    scope = `(case when r.community_id is null then $4::boolean else ${sqlCommunityModerator('c', '$3::uuid', '$4::boolean')} end)`;
  }
  let keyset = '';
  if (after) {
    params.push(after[0], after[1]);
    keyset = `having (min(r.created_at), r.target_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  const r = await db.query<QueueRow>(
    `with g as (
       select r.target_type, r.target_id, r.post_id, r.community_id, count(*)::int as reports,
              array_agg(distinct r.reason) as reasons, min(r.created_at) as first_at, max(r.created_at) as last_at,
              to_jsonb((array_agg(jsonb_build_object('reason', r.reason, 'details', r.details, 'at', r.created_at) order by r.created_at desc))[1:5]) as latest
       from reports r
       left join communities c on c.tenant_id = r.tenant_id and c.id = r.community_id
       where r.tenant_id = $1 and r.state = 'open' and ${scope}
       group by r.target_type, r.target_id, r.post_id, r.community_id
       ${keyset}
       order by min(r.created_at), r.target_id
       limit $2)
     select g.*, ${timestampKey('g.first_at')} as first_key, c.name as community_name,
            coalesce(p.author_id, k.author_id) as author_id, a.display_name as author_name,
            left(case when g.target_type = 'post' then trim(p.title || ' ' || p.body) else k.body end, 280) as excerpt,
            coalesce(p.hidden_at, k.hidden_at) is not null as hidden,
            coalesce(p.deleted_at, k.deleted_at) is not null as deleted
     from g
     left join communities c on c.tenant_id = $1 and c.id = g.community_id
     left join posts p on g.target_type = 'post' and p.tenant_id = $1 and p.id = g.target_id
     left join comments k on g.target_type = 'comment' and k.tenant_id = $1 and k.id = g.target_id
     join people a on a.tenant_id = $1 and a.id = coalesce(p.author_id, k.author_id)
     order by g.first_at, g.target_id`,
    params,
  );
  const more = r.rows.length > limit;
  const rows = more ? r.rows.slice(0, limit) : r.rows;
  const last = rows[rows.length - 1];
  return {
    items: rows.map((x) => ({
      target: { type: x.target_type, id: x.target_id },
      postId: x.post_id,
      community: x.community_id ? { id: x.community_id, name: x.community_name ?? '' } : null,
      author: { id: x.author_id, displayName: x.author_name },
      excerpt: x.excerpt ?? '',
      hidden: x.hidden,
      deleted: x.deleted,
      reportCount: x.reports,
      reasons: [...x.reasons].sort(),
      firstReportedAt: x.first_at.toISOString(),
      lastReportedAt: x.last_at.toISOString(),
      latest: (x.latest ?? []).map((l) => ({ reason: l.reason, details: l.details, createdAt: new Date(l.at).toISOString() })),
    })),
    nextCursor: more && last ? encodeCursor([last.first_key, last.target_id]) : null,
  };
}
