/**
 * Must-read announcements: publish to targets, read (recording views), edit (material edits
 * start a new acknowledgement version), acknowledge, and the viewer's list ("to acknowledge").
 */
import type { Db, Queryable } from '../store/db.js';
import {
  type AnnouncementFacts,
  type AnnouncementPlacement,
  type AnnouncementTargetFacts,
  type Viewer,
  assertOnCommunity,
  canOnAnnouncement,
  canOnCommunity,
  canPublishAnnouncement,
  isCommunicator,
  isTenantAdmin,
  sqlCommunityReadable,
} from '../policy/index.js';
import { RucheError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { isUuid } from '../people/people.js';
import { assertLength, cleanText, invalid, prepareBody, storeMentions, storeTopics } from '../posts/body.js';
import { type CommunityRow, communityFactsOf, loadCommunity, loadPostFor } from '../posts/facts.js';
import { type PostRow, hydratePosts, postColumns, postJoins } from '../posts/hydrate.js';
import { limits } from '../posts/model.js';
import { writeAudit } from '../posts/posts.js';
import { checkKeyset } from '../feed/keyset.js';
import { sqlAnnouncementsTargeting } from './audience.js';
import { askAudience } from './requests.js';
import {
  type AnnouncementPage,
  type AnnouncementTargetInput,
  type AnnouncementTargetView,
  type AnnouncementView,
  announcementLimits,
} from './model.js';

export interface NewAnnouncement {
  /** Publish inside this community (to its members); omit for an organisation-level announcement. */
  communityId?: string | null;
  title: string;
  body?: string;
  /** Ask the audience to acknowledge (default true). */
  mustRead?: boolean;
  /** Days between reminders to those who have not acknowledged (default 3). */
  reminderDays?: number;
  /** Reminders per version at most (default 3). */
  maxReminders?: number;
  /** Required for organisation-level announcements; inside a community, defaults to (and may only be) that community. */
  targets?: AnnouncementTargetInput[];
}

export interface AnnouncementEdit {
  title?: string;
  body?: string;
  /**
   * The author declares the edit material: everyone is asked to acknowledge again. An edit of
   * the title or body beyond whitespace is material anyway (see 006_announcements.sql).
   */
  material?: boolean;
  reminderDays?: number;
  maxReminders?: number;
  /** The post version (ETag) the editor read; a newer one refuses the edit. */
  expectedVersion?: number;
}

interface AnnouncementRow {
  post_id: string;
  ack_version: number;
  version_at: Date;
  reminder_days: number;
  max_reminders: number;
}

function wholeNumber(field: string, value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(field, `a whole number between ${min} and ${max}`);
  return value;
}

function targetError(message: string): RucheError {
  return new RucheError('ANNOUNCEMENT_TARGET_INVALID', message, { details: { issues: [{ path: 'targets', message }] } });
}

interface ResolvedTarget {
  input: AnnouncementTargetInput;
  facts: AnnouncementTargetFacts;
}

async function resolveTargets(db: Queryable, viewer: Viewer, targets: AnnouncementTargetInput[]): Promise<ResolvedTarget[]> {
  if (targets.length === 0) throw targetError('at least one target is required');
  if (targets.length > announcementLimits.targets) throw targetError(`at most ${announcementLimits.targets} targets`);
  const seen = new Set<string>();
  const out: ResolvedTarget[] = [];
  for (const t of targets) {
    let input: AnnouncementTargetInput;
    let facts: AnnouncementTargetFacts;
    switch (t.type) {
      case 'organisation':
        input = t;
        facts = { kind: 'organisation' };
        break;
      case 'department': {
        const department = cleanText(t.department ?? '').trim();
        if (department === '' || department.length > announcementLimits.department) throw targetError('a department name is required');
        const r = await db.query('select 1 from people where tenant_id = $1 and department = $2 and not is_former_employee limit 1', [
          viewer.tenantId,
          department,
        ]);
        if (r.rowCount === 0) throw targetError(`nobody works in the department "${department}"`);
        input = { type: 'department', department };
        facts = { kind: 'department' };
        break;
      }
      case 'manager': {
        const ok =
          isUuid(t.managerId) &&
          (await db.query('select 1 from people where tenant_id = $1 and id = $2 and not is_former_employee', [viewer.tenantId, t.managerId]))
            .rowCount > 0;
        if (!ok) throw targetError('no such manager');
        input = { type: 'manager', managerId: t.managerId, subtree: t.subtree === true };
        facts = { kind: 'manager' };
        break;
      }
      case 'community': {
        const c = await loadCommunity(db, viewer, t.communityId);
        if (!c || !canOnCommunity(viewer, 'see', c.facts)) throw new RucheError('NOT_FOUND', 'No such community');
        input = { type: 'community', communityId: c.id };
        facts = { kind: 'community', community: c.facts, communityId: c.id };
        break;
      }
      default:
        throw targetError('a target is organisation, department, manager or community');
    }
    const key = JSON.stringify(input);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ input, facts });
  }
  return out;
}

/** Publishes an announcement: a post of kind 'announcement', its targets, and the acknowledgement requests. */
export async function publishAnnouncement(db: Db, viewer: Viewer, input: NewAnnouncement, now = new Date()): Promise<AnnouncementView> {
  const title = cleanText(input.title ?? '').trim();
  const source = input.body ?? '';
  assertLength('title', title, limits.title);
  if (title === '') throw invalid('title', 'an announcement needs a title');
  const mustRead = input.mustRead !== false;
  const reminderDays = wholeNumber('reminderDays', input.reminderDays, 1, announcementLimits.reminderDaysMax, 3);
  const maxReminders = wholeNumber('maxReminders', input.maxReminders, 0, announcementLimits.maxRemindersMax, 3);

  let placement: AnnouncementPlacement = { tenantId: viewer.tenantId, community: null };
  let targets = input.targets ?? [];
  if (input.communityId) {
    const home = await loadCommunity(db, viewer, input.communityId);
    assertOnCommunity(viewer, 'read', home?.facts);
    placement = { tenantId: viewer.tenantId, community: { ...home.facts, id: home.id } };
    if (targets.length === 0) targets = [{ type: 'community', communityId: home.id }];
  } else if (!isCommunicator(viewer)) {
    throw new RucheError('FORBIDDEN', 'Only communicators and tenant admins publish organisation-level announcements');
  }
  const resolved = await resolveTargets(db, viewer, targets);
  for (const t of resolved) {
    if (!canPublishAnnouncement(viewer, placement, t.facts)) {
      throw new RucheError(
        'FORBIDDEN',
        placement.community
          ? 'Inside a community, owners and moderators announce to that community only'
          : t.facts.kind === 'community'
            ? 'Organisation-level announcements target public communities only; announce inside a private community instead'
            : 'Only communicators and tenant admins publish organisation-level announcements',
      );
    }
  }

  const postId = await db.transaction(async (tx) => {
    const communityId = placement.community?.id ?? null;
    const body = await prepareBody(tx, viewer, source, { field: 'body', max: limits.postBody, communityId });
    const r = await tx.query<{ id: string }>(
      `insert into posts (tenant_id, community_id, author_id, kind, title, body, body_html, is_must_read, created_at, updated_at, last_activity_at)
       values ($1, $2, $3, 'announcement', $4, $5, $6, $7, $8, $8, $8) returning id`,
      [viewer.tenantId, communityId, viewer.personId, title, body.body, body.bodyHtml, mustRead, now],
    );
    const id = r.rows[0]!.id;
    await tx.query(
      `insert into post_revisions (tenant_id, post_id, version, title, body, body_html, data, edited_by, created_at)
       select tenant_id, id, version, title, body, body_html, data, author_id, created_at from posts where tenant_id = $1 and id = $2`,
      [viewer.tenantId, id],
    );
    await storeMentions(tx, viewer.tenantId, { type: 'post', id }, body.mentions);
    await storeTopics(tx, viewer.tenantId, id, body.topics);
    await tx.query(
      `insert into announcements (tenant_id, post_id, ack_version, version_at, reminder_days, max_reminders) values ($1, $2, 1, $3, $4, $5)`,
      [viewer.tenantId, id, now, reminderDays, maxReminders],
    );
    let position = 0;
    for (const { input: t } of resolved) {
      position += 1;
      await tx.query(
        `insert into announcement_targets (tenant_id, post_id, position, kind, department, manager_id, subtree, community_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          viewer.tenantId,
          id,
          position,
          t.type,
          t.type === 'department' ? t.department : null,
          t.type === 'manager' ? t.managerId : null,
          t.type === 'manager' ? t.subtree === true : false,
          t.type === 'community' ? t.communityId : null,
        ],
      );
    }
    await writeAudit(tx, viewer, 'announcement.publish', 'post', id, {
      communityId,
      mustRead,
      targets: resolved.map((t) => t.input),
    });
    if (mustRead) await askAudience(tx, viewer.tenantId, id, now);
    return id;
  });
  return getAnnouncement(db, viewer, postId);
}

interface LoadedAnnouncement {
  postId: string;
  authorId: string;
  communityId: string | null;
  version: number;
  mustRead: boolean;
  row: AnnouncementRow | null;
  facts: AnnouncementFacts;
}

async function inAudience(db: Queryable, tenantId: string, postId: string, personId: string): Promise<boolean> {
  const r = await db.query<{ yes: boolean }>(
    `select exists (select 1 from (${sqlAnnouncementsTargeting('$1', '$2')}) x where x.post_id = $3) as yes`,
    [tenantId, personId, postId],
  );
  return r.rows[0]?.yes === true;
}

/** Loads an announcement and decides `action` through the policy (NOT_FOUND when it may not be read). */
export async function loadAnnouncementFor(
  db: Queryable,
  viewer: Viewer,
  postId: string,
  action: 'read' | 'acknowledge' | 'report' | 'edit',
  options: { forUpdate?: boolean } = {},
): Promise<LoadedAnnouncement> {
  const post = await loadPostFor(db, viewer, postId, 'read', options);
  if (post.kind !== 'announcement') throw new RucheError('NOT_FOUND', 'No such announcement');
  const r = await db.query<AnnouncementRow & { is_must_read: boolean }>(
    `select an.post_id, an.ack_version, an.version_at, an.reminder_days, an.max_reminders, p.is_must_read
     from posts p left join announcements an on an.tenant_id = p.tenant_id and an.post_id = p.id
     where p.tenant_id = $1 and p.id = $2`,
    [viewer.tenantId, postId],
  );
  const row = r.rows[0]!;
  const ann = row.post_id ? row : null;
  // A post of kind announcement started through POST /posts has no targets: nobody is asked.
  const mustRead = ann !== null && row.is_must_read;
  const facts: AnnouncementFacts = {
    content: post.facts,
    mustRead,
    inAudience: ann !== null && (await inAudience(db, viewer.tenantId, postId, viewer.personId)),
  };
  if (!canOnAnnouncement(viewer, action, facts)) {
    if (action === 'acknowledge') {
      if (!mustRead) throw new RucheError('ANNOUNCEMENT_NOT_MUST_READ');
      throw new RucheError('ANNOUNCEMENT_NOT_IN_AUDIENCE');
    }
    throw new RucheError('FORBIDDEN');
  }
  return { postId, authorId: post.authorId, communityId: post.communityId, version: post.version, mustRead, row: ann, facts };
}

async function loadPostRows(db: Queryable, viewer: Viewer, ids: string[]): Promise<PostRow[]> {
  if (ids.length === 0) return [];
  const r = await db.query<PostRow>(`select ${postColumns} from posts p ${postJoins} where p.tenant_id = $1 and p.id = any($2::uuid[])`, [
    viewer.tenantId,
    ids,
  ]);
  const byId = new Map(r.rows.map((x) => [x.id, x]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

/** Views of announcements the viewer may read (the caller filtered them), in the order given. */
async function viewsOf(db: Queryable, viewer: Viewer, ids: string[]): Promise<AnnouncementView[]> {
  if (ids.length === 0) return [];
  const t = viewer.tenantId;
  const posts = await hydratePosts(db, viewer, await loadPostRows(db, viewer, ids));
  const facts = await db.query<
    CommunityRow & AnnouncementRow & { id: string; author_id: string; hidden_at: Date | null; deleted_at: Date | null; is_must_read: boolean; has_row: boolean }
  >(
    `select p.id, p.author_id, p.hidden_at, p.deleted_at, p.is_must_read,
            an.post_id is not null as has_row, an.ack_version, an.version_at, an.reminder_days, an.max_reminders,
            c.visibility, c.archived_at, c.restricted_posting, m.role as m_role, m.state as m_state
     from posts p
     left join announcements an on an.tenant_id = p.tenant_id and an.post_id = p.id
     left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
     left join memberships m on m.tenant_id = p.tenant_id and m.community_id = p.community_id and m.person_id = $3
     where p.tenant_id = $1 and p.id = any($2::uuid[])`,
    [t, ids, viewer.personId],
  );
  const factsById = new Map(facts.rows.map((x) => [x.id, x]));
  const targeted = await db.query<{ post_id: string }>(
    `select x.post_id from (${sqlAnnouncementsTargeting('$1', '$2')}) x where x.post_id = any($3::uuid[])`,
    [t, viewer.personId, ids],
  );
  const audienceOf = new Set(targeted.rows.map((x) => x.post_id));
  const acks = await db.query<{ post_id: string; version: number; acknowledged_at: Date }>(
    `select distinct on (post_id) post_id, version, acknowledged_at from acknowledgements
     where tenant_id = $1 and person_id = $2 and post_id = any($3::uuid[]) order by post_id, version desc`,
    [t, viewer.personId, ids],
  );
  const ackOf = new Map(acks.rows.map((x) => [x.post_id, x]));
  const targets = await db.query<{
    post_id: string;
    kind: AnnouncementTargetView['type'];
    department: string | null;
    manager_id: string | null;
    manager_name: string | null;
    subtree: boolean;
    community_id: string | null;
    community_name: string | null;
  }>(
    `select t.post_id, t.kind, t.department, t.manager_id, mp.display_name as manager_name, t.subtree, t.community_id, c.name as community_name
     from announcement_targets t
     left join people mp on mp.tenant_id = t.tenant_id and mp.id = t.manager_id
     left join communities c on c.tenant_id = t.tenant_id and c.id = t.community_id
     where t.tenant_id = $1 and t.post_id = any($2::uuid[]) order by t.post_id, t.position`,
    [t, ids],
  );
  const targetsOf = new Map<string, AnnouncementTargetView[]>();
  for (const x of targets.rows) {
    const list = targetsOf.get(x.post_id) ?? [];
    if (x.kind === 'organisation') list.push({ type: 'organisation' });
    else if (x.kind === 'department') list.push({ type: 'department', department: x.department! });
    else if (x.kind === 'manager') list.push({ type: 'manager', manager: { id: x.manager_id!, displayName: x.manager_name ?? '' }, subtree: x.subtree });
    else list.push({ type: 'community', community: { id: x.community_id!, name: x.community_name ?? '' } });
    targetsOf.set(x.post_id, list);
  }
  return posts.map((post) => {
    const f = factsById.get(post.id)!;
    const mustRead = f.has_row && f.is_must_read;
    const a: AnnouncementFacts = {
      content: { authorId: f.author_id, hidden: f.hidden_at !== null, deleted: f.deleted_at !== null, community: communityFactsOf(t, f) },
      mustRead,
      inAudience: f.has_row && audienceOf.has(post.id),
    };
    const version = f.has_row ? f.ack_version : 1;
    const ack = ackOf.get(post.id);
    return {
      post,
      mustRead,
      version,
      versionAt: (f.has_row ? f.version_at : new Date(post.createdAt)).toISOString(),
      reminderDays: f.has_row ? f.reminder_days : 3,
      maxReminders: f.has_row ? f.max_reminders : 0,
      targets: targetsOf.get(post.id) ?? [],
      acknowledgement: canOnAnnouncement(viewer, 'acknowledge', a)
        ? {
            required: true,
            acknowledged: ack?.version === version,
            acknowledgedAt: ack?.version === version ? ack.acknowledged_at.toISOString() : null,
            acknowledgedVersion: ack?.version ?? null,
          }
        : null,
      canSeeReport: canOnAnnouncement(viewer, 'report', a),
    };
  });
}

/** Records that the viewer opened the announcement (reach). */
export async function recordAnnouncementView(db: Queryable, viewer: Viewer, postId: string, now = new Date()): Promise<void> {
  const a = await loadAnnouncementFor(db, viewer, postId, 'read');
  if (!a.row) return;
  await db.query(
    `insert into announcement_views (tenant_id, post_id, person_id, first_viewed_at, last_viewed_at) values ($1, $2, $3, $4, $4)
     on conflict (tenant_id, post_id, person_id) do update set last_viewed_at = greatest(announcement_views.last_viewed_at, excluded.last_viewed_at)`,
    [viewer.tenantId, postId, viewer.personId, now],
  );
}

/** An announcement as the viewer sees it; `recordView` counts the viewer as having read it. */
export async function getAnnouncement(db: Queryable, viewer: Viewer, postId: string, options: { recordView?: boolean } = {}): Promise<AnnouncementView> {
  if (options.recordView) await recordAnnouncementView(db, viewer, postId);
  else await loadAnnouncementFor(db, viewer, postId, 'read');
  const [view] = await viewsOf(db, viewer, [postId]);
  return view!;
}

/** Acknowledges the current version (one click; doing it again changes nothing). Counts as a view too. */
export async function acknowledgeAnnouncement(db: Db, viewer: Viewer, postId: string, now = new Date()): Promise<AnnouncementView> {
  await db.transaction(async (tx) => {
    const a = await loadAnnouncementFor(tx, viewer, postId, 'acknowledge');
    await tx.query(
      `insert into acknowledgements (tenant_id, post_id, person_id, version, acknowledged_at) values ($1, $2, $3, $4, $5)
       on conflict do nothing`,
      [viewer.tenantId, postId, viewer.personId, a.row!.ack_version, now],
    );
    await tx.query(
      `insert into announcement_views (tenant_id, post_id, person_id, first_viewed_at, last_viewed_at) values ($1, $2, $3, $4, $4)
       on conflict (tenant_id, post_id, person_id) do nothing`,
      [viewer.tenantId, postId, viewer.personId, now],
    );
  });
  return getAnnouncement(db, viewer, postId);
}

/**
 * Edits an announcement (its author). The edit is MATERIAL, and the audience is asked to
 * acknowledge again (new acknowledgement version), when the author says so or when the
 * title or body changes beyond whitespace; otherwise (whitespace, reminder settings) the
 * acknowledgements stand. Every edit is kept in the post's history.
 */
export async function editAnnouncement(db: Db, viewer: Viewer, postId: string, edit: AnnouncementEdit, now = new Date()): Promise<AnnouncementView> {
  await db.transaction(async (tx) => {
    const a = await loadAnnouncementFor(tx, viewer, postId, 'edit', { forUpdate: true });
    if (!a.row) throw new RucheError('POST_KIND_MISMATCH', 'This announcement was not published through the announcements API');
    if (edit.expectedVersion !== undefined && edit.expectedVersion !== a.version) {
      throw new RucheError('PRECONDITION_FAILED', `The post is at version ${a.version}; reload it before editing`);
    }
    const current = await tx.query<{ title: string; body: string }>('select title, body from posts where tenant_id = $1 and id = $2', [
      viewer.tenantId,
      postId,
    ]);
    const before = current.rows[0]!;
    const title = edit.title !== undefined ? cleanText(edit.title).trim() : before.title;
    const source = edit.body ?? before.body;
    assertLength('title', title, limits.title);
    if (title === '') throw invalid('title', 'an announcement needs a title');
    const reminderDays = wholeNumber('reminderDays', edit.reminderDays, 1, announcementLimits.reminderDaysMax, a.row.reminder_days);
    const maxReminders = wholeNumber('maxReminders', edit.maxReminders, 0, announcementLimits.maxRemindersMax, a.row.max_reminders);
    const textChanged = edit.title !== undefined || edit.body !== undefined;
    if (textChanged) {
      const body = await prepareBody(tx, viewer, source, { field: 'body', max: limits.postBody, communityId: a.communityId });
      // The trigger of 006_announcements.sql starts a new acknowledgement version when the text changes beyond whitespace.
      await tx.query(
        `update posts set title = $3, body = $4, body_html = $5, version = version + 1, updated_at = $6
         where tenant_id = $1 and id = $2`,
        [viewer.tenantId, postId, title, body.body, body.bodyHtml, now],
      );
      await tx.query(
        `insert into post_revisions (tenant_id, post_id, version, title, body, body_html, data, edited_by, created_at)
         select tenant_id, id, version, title, body, body_html, data, $3, $4 from posts where tenant_id = $1 and id = $2`,
        [viewer.tenantId, postId, viewer.personId, now],
      );
      await storeMentions(tx, viewer.tenantId, { type: 'post', id: postId }, body.mentions);
      await storeTopics(tx, viewer.tenantId, postId, body.topics);
    }
    const after = await tx.query<{ ack_version: number }>('select ack_version from announcements where tenant_id = $1 and post_id = $2', [
      viewer.tenantId,
      postId,
    ]);
    const bumpedByText = after.rows[0]!.ack_version !== a.row.ack_version;
    const material = bumpedByText || edit.material === true;
    await tx.query(
      `update announcements set reminder_days = $3, max_reminders = $4,
         ack_version = case when $5::boolean then $6::int + 1 else ack_version end,
         version_at = case when $7::boolean then $8::timestamptz else version_at end
       where tenant_id = $1 and post_id = $2`,
      [viewer.tenantId, postId, reminderDays, maxReminders, material && !bumpedByText, a.row.ack_version, material, now],
    );
    await writeAudit(tx, viewer, 'announcement.edit', 'post', postId, { material, declared: edit.material === true });
    if (material && a.mustRead) await askAudience(tx, viewer.tenantId, postId, now);
  });
  return getAnnouncement(db, viewer, postId);
}

export interface AnnouncementListOptions {
  /** Only must-read announcements whose current version the viewer has not acknowledged. */
  pending?: boolean;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * The announcements addressed to the viewer (they are in the audience), newest first,
 * keyset-paginated; `pending` keeps those still to acknowledge.
 */
export async function listAnnouncements(db: Queryable, viewer: Viewer, options: AnnouncementListOptions = {}): Promise<AnnouncementPage> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const after = decodeCursor(options.cursor, ['date', 'string']);
  if (after) checkKeyset({ timestamps: [after[0]], ids: [after[1]] });
  const admin = isTenantAdmin(viewer) ? 'true' : 'false';
  const params: unknown[] = [viewer.tenantId, viewer.personId, limit + 1];
  let keyset = '';
  if (after) {
    params.push(after[0], after[1]);
    keyset = 'and (p.created_at, p.id) < ($4::timestamptz, $5::uuid)';
  }
  const pending = options.pending
    ? `and p.is_must_read and not exists (select 1 from acknowledgements k where k.tenant_id = p.tenant_id and k.post_id = p.id
         and k.person_id = $2 and k.version = an.ack_version)`
    : '';
  const r = await db.query<{ id: string; created_key: string }>(
    `select p.id, to_char(p.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key
     from posts p
     join announcements an on an.tenant_id = p.tenant_id and an.post_id = p.id
     left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
     where p.tenant_id = $1 and p.kind = 'announcement' and p.deleted_at is null
       and p.id in (${sqlAnnouncementsTargeting('$1', '$2')})
       and (p.hidden_at is null or p.author_id = $2)
       and (p.community_id is null or ${sqlCommunityReadable('c', '$2', admin)})
       ${pending} ${keyset}
     order by p.created_at desc, p.id desc limit $3`,
    params,
  );
  const more = r.rows.length > limit;
  const rows = more ? r.rows.slice(0, limit) : r.rows;
  const last = rows[rows.length - 1];
  return {
    items: await viewsOf(db, viewer, rows.map((x) => x.id)),
    nextCursor: more && last ? encodeCursor([last.created_key, last.id]) : null,
  };
}
