/** Posts: create, read, edit with history, soft delete (audited), pin. */
import type { Db, Queryable } from '../store/db.js';
import { type Viewer, assertOnCommunity, canStartPost } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { screenContent } from '../governance/keywords.js';
import { consumeRateLimit } from '../governance/rate-limit.js';
import { notifyNewMentions, publishNewPost } from '../notifications/content.js';
import { assertLength, cleanText, invalid, prepareBody, storeMentions, storeTopics } from './body.js';
import { loadCommunity, loadPostFor } from './facts.js';
import { type PostRow, hydratePosts, postColumns, postJoins } from './hydrate.js';
import { type PostKind, type PostView, type RevisionView, limits, postKinds } from './model.js';

export interface PollInput {
  options: string[];
  multiple?: boolean;
  closesAt: string;
}

export interface EventInput {
  startsAt: string;
  endsAt?: string | null;
  place?: string | null;
  onlineUrl?: string | null;
  capacity?: number | null;
}

export interface NewPost {
  communityId: string;
  kind: PostKind;
  title?: string;
  body?: string;
  poll?: PollInput;
  event?: EventInput;
}

export interface PostEdit {
  title?: string;
  body?: string;
  event?: EventInput;
  /** The version the editor read; a newer one refuses the edit (PRECONDITION_FAILED). */
  expectedVersion?: number;
}

function isoDate(field: string, value: string): Date {
  const d = new Date(value);
  if (typeof value !== 'string' || Number.isNaN(d.getTime())) throw invalid(field, 'must be an ISO date-time');
  return d;
}

function pollData(input: PollInput | undefined, now: Date): Record<string, unknown> {
  if (!input) throw invalid('poll', 'a poll needs options and a closing date');
  const labels = input.options.map((o) => cleanText(o).trim());
  if (labels.length < limits.pollOptionsMin || labels.length > limits.pollOptionsMax) {
    throw invalid('poll.options', `between ${limits.pollOptionsMin} and ${limits.pollOptionsMax} options`);
  }
  labels.forEach((l, i) => {
    if (l === '') throw invalid(`poll.options.${i}`, 'must not be empty');
    assertLength(`poll.options.${i}`, l, limits.pollOption);
  });
  if (new Set(labels.map((l) => l.toLowerCase())).size !== labels.length) throw invalid('poll.options', 'options must differ');
  const closesAt = isoDate('poll.closesAt', input.closesAt);
  if (closesAt.getTime() <= now.getTime()) throw invalid('poll.closesAt', 'must be in the future');
  return {
    options: labels.map((label, i) => ({ id: String(i + 1), label })),
    multiple: input.multiple === true,
    closesAt: closesAt.toISOString(),
  };
}

function eventData(input: EventInput | undefined): Record<string, unknown> {
  if (!input) throw invalid('event', 'an event needs a start time and a place or an online link');
  const startsAt = isoDate('event.startsAt', input.startsAt);
  const endsAt = input.endsAt ? isoDate('event.endsAt', input.endsAt) : null;
  if (endsAt && endsAt.getTime() <= startsAt.getTime()) throw invalid('event.endsAt', 'must be after the start');
  const place = input.place ? cleanText(input.place).trim() || null : null;
  if (place) assertLength('event.place', place, limits.place);
  let onlineUrl: string | null = null;
  if (input.onlineUrl) {
    let url: URL;
    try {
      url = new URL(input.onlineUrl.trim());
    } catch {
      throw invalid('event.onlineUrl', 'must be a valid https URL');
    }
    if (url.protocol !== 'https:' || url.username || url.password) throw invalid('event.onlineUrl', 'must be an https URL');
    onlineUrl = url.toString();
  }
  if (!place && !onlineUrl) throw invalid('event', 'a place or an online link is required');
  const capacity = input.capacity ?? null;
  if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1 || capacity > limits.eventCapacityMax)) {
    throw invalid('event.capacity', `a whole number between 1 and ${limits.eventCapacityMax}`);
  }
  return { startsAt: startsAt.toISOString(), endsAt: endsAt?.toISOString() ?? null, place, onlineUrl, capacity };
}

async function audit(db: Queryable, viewer: Viewer, action: string, targetType: string, targetId: string, data: Record<string, unknown>): Promise<void> {
  await db.query('insert into audit_log (tenant_id, actor_id, action, target_type, target_id, data) values ($1, $2, $3, $4, $5, $6)', [
    viewer.tenantId,
    viewer.personId,
    action,
    targetType,
    targetId,
    JSON.stringify(data),
  ]);
}
export { audit as writeAudit };

export async function createPost(db: Db, viewer: Viewer, input: NewPost, now = new Date()): Promise<PostView> {
  if (!postKinds.includes(input.kind)) throw invalid('kind', `one of ${postKinds.join(', ')}`);
  const community = await loadCommunity(db, viewer, input.communityId);
  assertOnCommunity(viewer, 'read', community?.facts);
  if (!canStartPost(viewer, input.kind, community.facts)) {
    throw new RucheError(
      'FORBIDDEN',
      input.kind === 'announcement'
        ? 'Only owners and moderators publish announcements'
        : community.facts.archived
          ? 'This community is archived (read-only)'
          : community.facts.restrictedPosting
            ? 'Only owners and moderators start threads in this community'
            : 'Only members can post in this community',
    );
  }
  const title = cleanText(input.title ?? '').trim();
  const source = input.body ?? '';
  assertLength('title', title, limits.title);
  if (input.kind !== 'discussion' && title === '') throw invalid('title', `a ${input.kind} needs a title`);
  if (title === '' && source.trim() === '') throw invalid('body', 'write something');
  let data: Record<string, unknown> = {};
  if (input.kind === 'poll') data = pollData(input.poll, now);
  if (input.kind === 'event') data = eventData(input.event);
  if (input.kind === 'idea') data = { status: 'new' };

  const id = await db.transaction(async (tx) => {
    await consumeRateLimit(tx, viewer, 'post');
    const screening = await screenContent(tx, viewer.tenantId, `${title}\n${source}`);
    const body = await prepareBody(tx, viewer, source, { field: 'body', max: limits.postBody, communityId: community.id });
    const r = await tx.query<{ id: string }>(
      `insert into posts (tenant_id, community_id, author_id, kind, title, body, body_html, data)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
      [viewer.tenantId, community.id, viewer.personId, input.kind, title, body.body, body.bodyHtml, JSON.stringify(data)],
    );
    const postId = r.rows[0]!.id;
    await screening.flag(tx, { type: 'post', id: postId });
    await tx.query(
      `insert into post_revisions (tenant_id, post_id, version, title, body, body_html, data, edited_by, created_at)
       select tenant_id, id, version, title, body, body_html, data, author_id, created_at from posts where tenant_id = $1 and id = $2`,
      [viewer.tenantId, postId],
    );
    await notifyNewMentions(tx, viewer, { type: 'post', id: postId }, postId, body.mentions);
    await storeMentions(tx, viewer.tenantId, { type: 'post', id: postId }, body.mentions);
    await storeTopics(tx, viewer.tenantId, postId, body.topics);
    await publishNewPost(tx, viewer, postId, community.id);
    return postId;
  });
  return getPost(db, viewer, id);
}

export async function getPost(db: Queryable, viewer: Viewer, postId: string): Promise<PostView> {
  await loadPostFor(db, viewer, postId, 'read');
  const r = await db.query<PostRow>(`select ${postColumns} from posts p ${postJoins} where p.tenant_id = $1 and p.id = $2`, [
    viewer.tenantId,
    postId,
  ]);
  const [view] = await hydratePosts(db, viewer, r.rows);
  return view!;
}

export async function editPost(db: Db, viewer: Viewer, postId: string, edit: PostEdit): Promise<PostView> {
  await db.transaction(async (tx) => {
    const post = await loadPostFor(tx, viewer, postId, 'edit', { forUpdate: true });
    if (edit.expectedVersion !== undefined && edit.expectedVersion !== post.version) {
      throw new RucheError('PRECONDITION_FAILED', `The post is at version ${post.version}; reload it before editing`);
    }
    const title = edit.title !== undefined ? cleanText(edit.title).trim() : post.title;
    const source = edit.body ?? post.body;
    assertLength('title', title, limits.title);
    if (post.kind !== 'discussion' && title === '') throw invalid('title', `a ${post.kind} needs a title`);
    if (title === '' && source.trim() === '') throw invalid('body', 'write something');
    let data = post.data;
    if (edit.event !== undefined) {
      if (post.kind !== 'event') throw new RucheError('POST_KIND_MISMATCH', 'Only events have event details');
      data = { ...data, ...eventData(edit.event) };
    }
    const screening = await screenContent(tx, viewer.tenantId, `${title}\n${source}`);
    const body = await prepareBody(tx, viewer, source, { field: 'body', max: limits.postBody, communityId: post.communityId });
    await screening.flag(tx, { type: 'post', id: postId });
    await tx.query(
      `update posts set title = $3, body = $4, body_html = $5, data = $6, version = version + 1, updated_at = now()
       where tenant_id = $1 and id = $2`,
      [viewer.tenantId, postId, title, body.body, body.bodyHtml, JSON.stringify(data)],
    );
    await tx.query(
      `insert into post_revisions (tenant_id, post_id, version, title, body, body_html, data, edited_by)
       select tenant_id, id, version, title, body, body_html, data, $3 from posts where tenant_id = $1 and id = $2`,
      [viewer.tenantId, postId, viewer.personId],
    );
    await notifyNewMentions(tx, viewer, { type: 'post', id: postId }, postId, body.mentions);
    await storeMentions(tx, viewer.tenantId, { type: 'post', id: postId }, body.mentions);
    await storeTopics(tx, viewer.tenantId, postId, body.topics);
  });
  return getPost(db, viewer, postId);
}

/** Every version of a post, newest first, for whoever may read the post. */
export async function listRevisions(db: Queryable, viewer: Viewer, postId: string): Promise<RevisionView[]> {
  await loadPostFor(db, viewer, postId, 'read');
  const r = await db.query<{ version: number; title: string; body: string; body_html: string; edited_by: string; editor: string; created_at: Date }>(
    `select v.version, v.title, v.body, v.body_html, v.edited_by, a.display_name as editor, v.created_at
     from post_revisions v join people a on a.tenant_id = v.tenant_id and a.id = v.edited_by
     where v.tenant_id = $1 and v.post_id = $2 order by v.version desc`,
    [viewer.tenantId, postId],
  );
  return r.rows.map((x) => ({
    version: x.version,
    title: x.title,
    body: x.body,
    bodyHtml: x.body_html,
    editedBy: { id: x.edited_by, displayName: x.editor },
    createdAt: x.created_at.toISOString(),
  }));
}

/** Soft delete by the author or a moderator, recorded in the audit log. */
export async function deletePost(db: Db, viewer: Viewer, postId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const post = await loadPostFor(tx, viewer, postId, 'delete', { forUpdate: true });
    await tx.query('update posts set deleted_at = now() where tenant_id = $1 and id = $2', [viewer.tenantId, postId]);
    await audit(tx, viewer, 'post.delete', 'post', postId, {
      communityId: post.communityId,
      authorId: post.authorId,
      byAuthor: post.authorId === viewer.personId,
    });
  });
}

/** Pins a post on top of its community feed until a date (moderators). */
export async function pinPost(db: Db, viewer: Viewer, postId: string, until: string | null, now = new Date()): Promise<PostView> {
  await db.transaction(async (tx) => {
    await loadPostFor(tx, viewer, postId, 'moderate', { forUpdate: true });
    let untilDate: Date | null = null;
    if (until !== null) {
      untilDate = isoDate('until', until);
      if (untilDate.getTime() <= now.getTime()) throw invalid('until', 'must be in the future');
    }
    await tx.query('update posts set pinned_until = $3 where tenant_id = $1 and id = $2', [viewer.tenantId, postId, untilDate]);
    await audit(tx, viewer, until === null ? 'post.unpin' : 'post.pin', 'post', postId, { until: untilDate?.toISOString() ?? null });
  });
  return getPost(db, viewer, postId);
}
