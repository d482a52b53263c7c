/**
 * Turns post rows into views for one viewer with a fixed number of batch queries per page
 * (reactions, comments, topics, attachments, idea votes, poll votes, RSVPs), whatever the page size.
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

export async function hydratePosts(db: Queryable, viewer: Viewer, rows: PostRow[], now = new Date()): Promise<PostView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const t = viewer.tenantId;
  const idsOf = (kind: PostKind) => rows.filter((r) => r.kind === kind).map((r) => r.id);

  const reactions = await reactionSummaries(db, viewer, 'post', ids);
  // Comments the viewer can read: not deleted, and hidden ones only their own (never more than they may see).
  const comments = await db.query<{ post_id: string; n: number }>(
    `select post_id, count(*)::int as n from comments
     where tenant_id = $1 and post_id = any($2::uuid[]) and deleted_at is null and (hidden_at is null or author_id = $3)
     group by post_id`,
    [t, ids, viewer.personId],
  );
  const commentCount = new Map(comments.rows.map((r) => [r.post_id, r.n]));
  const topics = await db.query<{ post_id: string; slug: string; name: string }>(
    `select pt.post_id, tp.slug, tp.name from post_topics pt join topics tp on tp.tenant_id = pt.tenant_id and tp.id = pt.topic_id
     where pt.tenant_id = $1 and pt.post_id = any($2::uuid[]) order by tp.name`,
    [t, ids],
  );
  const topicsOf = new Map<string, { slug: string; name: string }[]>();
  for (const r of topics.rows) topicsOf.set(r.post_id, [...(topicsOf.get(r.post_id) ?? []), { slug: r.slug, name: r.name }]);

  // Files attached to these posts (readable with the post; the download route checks again).
  const files = await db.query<{ id: string; post_id: string; name: string; content_type: string; size: number | string }>(
    `select id, post_id, name, content_type, size from attachments
     where tenant_id = $1 and post_id = any($2::uuid[]) order by created_at, id`,
    [t, ids],
  );
  const filesOf = new Map<string, PostAttachmentView[]>();
  for (const f of files.rows) {
    const list = filesOf.get(f.post_id) ?? [];
    list.push({
      id: f.id,
      name: f.name,
      contentType: f.content_type,
      size: Number(f.size),
      image: isInlineImage(f.content_type),
      downloadUrl: attachmentDownloadPath(f.id),
    });
    filesOf.set(f.post_id, list);
  }

  const ideas = new Map<string, { n: number; mine: boolean }>();
  const ideaIds = idsOf('idea');
  if (ideaIds.length > 0) {
    const r = await db.query<{ post_id: string; n: number; mine: boolean }>(
      `select post_id, count(*)::int as n, bool_or(person_id = $3) as mine from idea_votes
       where tenant_id = $1 and post_id = any($2::uuid[]) group by post_id`,
      [t, ideaIds, viewer.personId],
    );
    for (const row of r.rows) ideas.set(row.post_id, { n: row.n, mine: row.mine });
  }

  const pollVotes = new Map<string, Map<string, number>>();
  const pollVoters = new Map<string, number>();
  const pollMine = new Map<string, string[]>();
  const pollIds = idsOf('poll');
  if (pollIds.length > 0) {
    const r = await db.query<{ post_id: string; option_id: string; n: number; mine: boolean }>(
      `select post_id, option_id, count(*)::int as n, bool_or(person_id = $3) as mine from poll_votes
       where tenant_id = $1 and post_id = any($2::uuid[]) group by post_id, option_id`,
      [t, pollIds, viewer.personId],
    );
    for (const row of r.rows) {
      const m = pollVotes.get(row.post_id) ?? new Map<string, number>();
      m.set(row.option_id, row.n);
      pollVotes.set(row.post_id, m);
      if (row.mine) pollMine.set(row.post_id, [...(pollMine.get(row.post_id) ?? []), row.option_id]);
    }
    const v = await db.query<{ post_id: string; n: number }>(
      `select post_id, count(distinct person_id)::int as n from poll_votes
       where tenant_id = $1 and post_id = any($2::uuid[]) group by post_id`,
      [t, pollIds],
    );
    for (const row of v.rows) pollVoters.set(row.post_id, row.n);
  }

  const rsvpCounts = new Map<string, Record<RsvpResponse, number>>();
  const rsvpMine = new Map<string, { response: RsvpResponse; ahead: number }>();
  const eventIds = idsOf('event');
  if (eventIds.length > 0) {
    const r = await db.query<{ post_id: string; response: RsvpResponse; n: number }>(
      `select post_id, response, count(*)::int as n from event_rsvps
       where tenant_id = $1 and post_id = any($2::uuid[]) group by post_id, response`,
      [t, eventIds],
    );
    for (const row of r.rows) {
      const c = rsvpCounts.get(row.post_id) ?? { yes: 0, no: 0, maybe: 0 };
      c[row.response] = row.n;
      rsvpCounts.set(row.post_id, c);
    }
    const mine = await db.query<{ post_id: string; response: RsvpResponse; ahead: number }>(
      `select r.post_id, r.response,
              (select count(*)::int from event_rsvps y where y.tenant_id = r.tenant_id and y.post_id = r.post_id
                 and y.response = 'yes' and y.seq < r.seq) as ahead
       from event_rsvps r where r.tenant_id = $1 and r.post_id = any($2::uuid[]) and r.person_id = $3`,
      [t, eventIds, viewer.personId],
    );
    for (const row of mine.rows) rsvpMine.set(row.post_id, { response: row.response, ahead: row.ahead });
  }

  return rows.map((r) => {
    const rs = reactions.get(r.id)!;
    const data = r.data ?? {};
    let idea: IdeaView | null = null;
    let poll: PollView | null = null;
    let event: EventView | null = null;
    if (r.kind === 'idea') {
      const v = ideas.get(r.id);
      idea = {
        status: (data.status as IdeaStatus | undefined) ?? 'new',
        statusComment: (data.statusComment as string | undefined) ?? null,
        statusSetBy: (data.statusSetBy as string | undefined) ?? null,
        statusSetAt: (data.statusSetAt as string | undefined) ?? null,
        votes: v?.n ?? 0,
        viewerVoted: v?.mine ?? false,
      };
    }
    if (r.kind === 'poll') {
      const closesAt = String(data.closesAt);
      const closed = new Date(closesAt).getTime() <= now.getTime();
      const mine = pollMine.get(r.id) ?? [];
      const visible = closed || mine.length > 0;
      const votes = pollVotes.get(r.id);
      poll = {
        multiple: data.multiple === true,
        closesAt,
        closed,
        resultsVisible: visible,
        options: ((data.options as { id: string; label: string }[] | undefined) ?? []).map((o) => ({
          id: o.id,
          label: o.label,
          votes: visible ? (votes?.get(o.id) ?? 0) : null,
        })),
        voters: visible ? (pollVoters.get(r.id) ?? 0) : null,
        viewerChoices: mine.sort(),
      };
    }
    if (r.kind === 'event') {
      const c = rsvpCounts.get(r.id) ?? { yes: 0, no: 0, maybe: 0 };
      const capacity = typeof data.capacity === 'number' ? data.capacity : null;
      const going = capacity === null ? c.yes : Math.min(c.yes, capacity);
      const mine = rsvpMine.get(r.id);
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
      topics: topicsOf.get(r.id) ?? [],
      attachments: filesOf.get(r.id) ?? [],
      counts: { comments: commentCount.get(r.id) ?? 0, reactions: rs.counts, reactionsTotal: rs.total },
      viewerReaction: rs.mine,
      question: r.kind === 'question' ? { acceptedCommentId: r.accepted_comment_id } : null,
      idea,
      poll,
      event,
    };
  });
}
