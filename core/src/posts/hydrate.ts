/**
 * Views of posts for one viewer: one statement reads the rows and every fact they show
 * (reactions, comments, topics, attachments, idea votes, poll votes, RSVPs), whatever the
 * page size.
 */
import type { Queryable } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { isInlineImage } from '../files/attachments.js';
import {
  type EventView,
  type IdeaStatus,
  type IdeaView,
  type PollView,
  type PostAttachmentView,
  type PostKind,
  type PostView,
  type ReactionCounts,
  type ReactionKind,
  type RsvpResponse,
  attachmentDownloadPath,
  emptyReactionCounts,
} from './model.js';

export interface PostRow {
  id: string;
  kind: PostKind;
  community_id: string | null;
  community_name: string | null;
  author_id: string;
  author_name: string;
  title: string;
  body: string;
  body_html: string;
  data: Record<string, unknown>;
  version: number;
  accepted_comment_id: string | null;
  pinned_until: Date | null;
  created_at: Date;
  updated_at: Date;
  hidden_at: Date | null;
  /** created_at with microseconds, for cursors. */
  created_key: string;
}

/** Columns of PostRow; use with postJoins, `p` being posts. */
export const postColumns = `p.id, p.kind, p.community_id, c.name as community_name, p.author_id, a.display_name as author_name,
  p.title, p.body, p.body_html, p.data, p.version, p.accepted_comment_id, p.pinned_until, p.created_at, p.updated_at, p.hidden_at,
  ${timestampKey('p.created_at')} as created_key`;

export const postJoins = `left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
  join people a on a.tenant_id = p.tenant_id and a.id = p.author_id`;

/** A timestamp as ISO text with microseconds: exact in cursors, where a JS Date would round to milliseconds. */
export function timestampKey(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export async function reactionSummaries(
  db: Queryable,
  viewer: Viewer,
  targetType: 'post' | 'comment',
  ids: string[],
): Promise<Map<string, { counts: ReactionCounts; total: number; mine: ReactionKind | null }>> {
  const out = new Map<string, { counts: ReactionCounts; total: number; mine: ReactionKind | null }>();
  for (const id of ids) out.set(id, { counts: emptyReactionCounts(), total: 0, mine: null });
  if (ids.length === 0) return out;
  const r = await db.query<{ target_id: string; kind: ReactionKind; n: number; mine: boolean }>(
    `select target_id, kind, count(*)::int as n, bool_or(person_id = $3) as mine from reactions
     where tenant_id = $1 and target_type = $4 and target_id = any($2::uuid[]) group by target_id, kind`,
    [viewer.tenantId, ids, viewer.personId, targetType],
  );
  for (const row of r.rows) {
    const s = out.get(row.target_id)!;
    s.counts[row.kind] = row.n;
    s.total += row.n;
    if (row.mine) s.mine = row.kind;
  }
  return out;
}

/**
 * The facts of post `p` that a view shows beside its row, for viewer `$3`, as columns of
 * the same statement: reactions per kind, comments the viewer can read (not deleted, hidden
 * ones only their own: never more than they may see), topics, attachments, and the data of
 * the post's kind (idea votes, poll votes, RSVPs).
 */
const factColumns = `
  (select coalesce(json_agg(json_build_array(r.kind, r.n, r.mine)), '[]'::json) from (
     select x.kind, count(*)::int as n, bool_or(x.person_id = $3) as mine from reactions x
     where x.tenant_id = p.tenant_id and x.target_type = 'post' and x.target_id = p.id group by x.kind) r) as f_reactions,
  (select count(*)::int from comments m where m.tenant_id = p.tenant_id and m.post_id = p.id and m.deleted_at is null
     and (m.hidden_at is null or m.author_id = $3)) as f_comments,
  (select coalesce(json_agg(json_build_array(tp.slug, tp.name) order by tp.name), '[]'::json) from post_topics pt
     cross join lateral (select t.slug, t.name from topics t where t.tenant_id = pt.tenant_id and t.id = pt.topic_id offset 0) tp
     where pt.tenant_id = p.tenant_id and pt.post_id = p.id) as f_topics,
  (select coalesce(json_agg(json_build_array(f.id, f.name, f.content_type, f.size) order by f.created_at, f.id), '[]'::json)
     from attachments f where f.tenant_id = p.tenant_id and f.post_id = p.id) as f_files,
  case when p.kind = 'idea' then (select json_build_array(count(*), coalesce(bool_or(iv.person_id = $3), false)) from idea_votes iv
     where iv.tenant_id = p.tenant_id and iv.post_id = p.id) end as f_idea,
  case when p.kind = 'poll' then (select json_build_array(
       coalesce(json_object_agg(o.option_id, o.n), '{}'::json),
       coalesce(json_agg(o.option_id order by o.option_id) filter (where o.mine), '[]'::json),
       (select count(distinct pv.person_id) from poll_votes pv where pv.tenant_id = p.tenant_id and pv.post_id = p.id))
     from (select y.option_id, count(*)::int as n, bool_or(y.person_id = $3) as mine from poll_votes y
           where y.tenant_id = p.tenant_id and y.post_id = p.id group by y.option_id) o) end as f_poll,
  case when p.kind = 'event' then (select json_build_array(count(*) filter (where e.response = 'yes'),
       count(*) filter (where e.response = 'no'), count(*) filter (where e.response = 'maybe'))
     from event_rsvps e where e.tenant_id = p.tenant_id and e.post_id = p.id) end as f_rsvps,
  case when p.kind = 'event' then (select json_build_array(e.response, (select count(*) from event_rsvps y
       where y.tenant_id = e.tenant_id and y.post_id = e.post_id and y.response = 'yes' and y.seq < e.seq))
     from event_rsvps e where e.tenant_id = p.tenant_id and e.post_id = p.id and e.person_id = $3) end as f_rsvp_mine`;

interface FactRow {
  f_reactions: [ReactionKind, number, boolean][];
  f_comments: number;
  f_topics: [string, string][];
  f_files: [string, string, string, number | string][];
  f_idea: [number, boolean] | null;
  f_poll: [Record<string, number>, string[], number] | null;
  f_rsvps: [number, number, number] | null;
  f_rsvp_mine: [RsvpResponse, number] | null;
}

/**
 * Views of the posts `ids` for one viewer, in the order given (ids that name no post are
 * left out), read with one statement whatever the page size: the rows with their author
 * and community, and every fact a view shows. The caller has checked that the viewer may
 * read them.
 */
export async function loadPostViews(db: Queryable, viewer: Viewer, ids: readonly string[], now = new Date()): Promise<PostView[]> {
  if (ids.length === 0) return [];
  const r = await db.query<PostRow & FactRow>(
    `select ${postColumns}, ${factColumns}
     from unnest($2::uuid[]) with ordinality as k(id, ord)
     join posts p on p.tenant_id = $1 and p.id = k.id
     ${postJoins}
     order by k.ord`,
    [viewer.tenantId, ids, viewer.personId],
  );
  return r.rows.map((row) => viewOf(row, now));
}

function viewOf(r: PostRow & FactRow, now: Date): PostView {
  const counts = emptyReactionCounts();
  let total = 0;
  let mineReaction: ReactionKind | null = null;
  for (const [kind, n, mine] of r.f_reactions) {
    counts[kind] = n;
    total += n;
    if (mine) mineReaction = kind;
  }
  const attachments: PostAttachmentView[] = r.f_files.map(([id, name, contentType, size]) => ({
    id,
    name,
    contentType,
    size: Number(size),
    image: isInlineImage(contentType),
    downloadUrl: attachmentDownloadPath(id),
  }));
  const data = r.data ?? {};
  let idea: IdeaView | null = null;
  let poll: PollView | null = null;
  let event: EventView | null = null;
  if (r.kind === 'idea') {
    const v = r.f_idea;
    idea = {
      status: (data.status as IdeaStatus | undefined) ?? 'new',
      statusComment: (data.statusComment as string | undefined) ?? null,
      statusSetBy: (data.statusSetBy as string | undefined) ?? null,
      statusSetAt: (data.statusSetAt as string | undefined) ?? null,
      votes: Number(v?.[0] ?? 0),
      viewerVoted: v?.[1] ?? false,
    };
  }
  if (r.kind === 'poll') {
    const closesAt = String(data.closesAt);
    const closed = new Date(closesAt).getTime() <= now.getTime();
    const [votes, mine, voters] = r.f_poll ?? [{}, [], 0];
    const visible = closed || mine.length > 0;
    poll = {
      multiple: data.multiple === true,
      closesAt,
      closed,
      resultsVisible: visible,
      options: ((data.options as { id: string; label: string }[] | undefined) ?? []).map((o) => ({
        id: o.id,
        label: o.label,
        votes: visible ? (votes[o.id] ?? 0) : null,
      })),
      voters: visible ? Number(voters) : null,
      viewerChoices: [...mine].sort(),
    };
  }
  if (r.kind === 'event') {
    const [yes, no, maybe] = (r.f_rsvps ?? [0, 0, 0]).map(Number) as [number, number, number];
    const c = { yes, no, maybe };
    const capacity = typeof data.capacity === 'number' ? data.capacity : null;
    const going = capacity === null ? c.yes : Math.min(c.yes, capacity);
    const mine = r.f_rsvp_mine ? { response: r.f_rsvp_mine[0], ahead: Number(r.f_rsvp_mine[1]) } : undefined;
    let viewerRsvp: EventView['viewerRsvp'] = null;
    if (mine) {
      const waitingPos = mine.response === 'yes' && capacity !== null && mine.ahead >= capacity ? mine.ahead - capacity + 1 : null;
      viewerRsvp = {
        response: mine.response,
        status: mine.response === 'yes' ? (waitingPos === null ? 'going' : 'waiting') : null,
        waitingPosition: waitingPos,
      };
    }
    event = {
      startsAt: String(data.startsAt),
      endsAt: (data.endsAt as string | null | undefined) ?? null,
      place: (data.place as string | null | undefined) ?? null,
      onlineUrl: (data.onlineUrl as string | null | undefined) ?? null,
      capacity,
      going,
      waiting: c.yes - going,
      maybe: c.maybe,
      declined: c.no,
      viewerRsvp,
    };
  }
  const pinned = r.pinned_until !== null && r.pinned_until.getTime() > now.getTime();
  return {
    id: r.id,
    kind: r.kind,
    community: r.community_id ? { id: r.community_id, name: r.community_name ?? '' } : null,
    author: { id: r.author_id, displayName: r.author_name },
    title: r.title,
    body: r.body,
    bodyHtml: r.body_html,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    edited: r.version > 1,
    pinned,
    pinnedUntil: pinned ? r.pinned_until!.toISOString() : null,
    hidden: r.hidden_at !== null,
    isNew: false,
    topics: r.f_topics.map(([slug, name]) => ({ slug, name })),
    attachments,
    counts: { comments: r.f_comments, reactions: counts, reactionsTotal: total },
    viewerReaction: mineReaction,
    question: r.kind === 'question' ? { acceptedCommentId: r.accepted_comment_id } : null,
    idea,
    poll,
    event,
  };
}
