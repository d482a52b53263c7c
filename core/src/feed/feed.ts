/**
 * Feeds: home, community, topic and person, keyset-paginated with opaque cursors, always
 * filtered by what the viewer may read (the policy's SQL predicates).
 *
 * Orders:
 * - `recent` (default): newest first, on (created_at, id).
 * - `top`: posts of the last 30 days ranked by
 *     score = (1 + reactions + 2 x comments) / (age_hours + 2) ^ 1.5
 *   where age is measured at the moment the first page was read (kept in the cursor, so
 *   that the ranking does not shift while paging), comments counting only those the
 *   viewer can read. Keyset on (score, id).
 *
 * The home feed reads each followed community (active memberships and followed
 * communities the viewer may read) with one LATERAL index scan on posts_community_feed,
 * then merges posts by followed people and in followed topics, also through LATERAL
 * scans, each limited to one page, and organisation-level announcements addressed to the
 * viewer (announcements module; those inside a community come with the community).
 * With `news`, the home feed also merges the organisation's SharePoint news (news module)
 * into the same keyset, each keyed by a uuid derived from its site and page; they are read
 * in the page's statement, so a page costs no extra round trip.
 */
import type { Queryable } from '../store/db.js';
import {
  type Viewer,
  assertOnCommunity,
  canOnCommunity,
  isTenantAdmin,
  sqlCommunityModerator,
  sqlCommunityReadable,
  sqlContentReadable,
} from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { isUuid } from '../people/people.js';
import { loadCommunity } from '../posts/facts.js';
import { type PostRow, hydratePosts, postColumns, postJoins, timestampKey } from '../posts/hydrate.js';
import type { PostView } from '../posts/model.js';
import { topicSlug } from '../markdown/markdown.js';
import { checkKeyset } from './keyset.js';
import { sqlAnnouncementsTargeting } from '../announcements/audience.js';
import { type KudosView, recentKudosForViewer } from '../recognition/kudos.js';
import { type NewsItem, type NewsRow, newsColumns, newsItemOf, sqlNewsKey } from '../news/news.js';

export type FeedOrder = 'recent' | 'top';

export type FeedSpec =
  | { kind: 'home' }
  | { kind: 'community'; communityId: string }
  | { kind: 'topic'; slug: string }
  | { kind: 'person'; personId: string };

export interface FeedOptions {
  cursor?: string | undefined;
  limit?: number | undefined;
  order?: FeedOrder | undefined;
  /**
   * Home feed: the organisation's SharePoint news take their place among the posts, in the
   * same keyset order (they count in the page's limit and a cursor may stop on one); they
   * come in `news`, posts stay in `items`.
   */
  news?: boolean | undefined;
}

export interface FeedPage {
  items: PostView[];
  nextCursor: string | null;
  /** The viewer's previous visit of this feed (null the first time); items newer than it are marked isNew. */
  lastVisitAt: string | null;
  /** Pinned items shown on top of the first page (community feeds). */
  pinned: PostView[];
  topic?: { slug: string; name: string };
  /** Home feed, first page: recent kudos close to the viewer (recognition module), newest first. */
  kudos?: KudosView[];
  /** Home feed with news: the SharePoint news of this page, in page order (read-only, linking back). */
  news?: NewsItem[];
}

export const topWindowDays = 30;

/** Collects parameters and hands out their placeholders. */
/** The keyset or window condition, written for posts `p` and for post_topics `pt`. */
interface Bound {
  p: string;
  pt: string;
}

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

interface Scope {
  key: string;
  /** SQL of (id, created_at) of readable posts; `bound` adds the keyset or window condition on posts or post_topics. */
  candidates(bound: Bound, perSource: string | null): string;
  communityId?: string;
  moderator?: boolean;
  topic?: { slug: string; name: string };
}

async function resolveScope(db: Queryable, viewer: Viewer, spec: FeedSpec, P: Params, t: string, v: string, admin: string): Promise<Scope> {
  const readable = sqlContentReadable('p', 'c', v, admin);
  const limitClause = (n: string | null) => (n ? `order by p.created_at desc, p.id desc limit ${n}` : '');
  // post_topics_topic orders post_id ascending under created_at descending: read it in index
  // order and keep every row tied with the last one, so that no post of the page is cut off.
  const topicLimit = (n: string | null) => (n ? `order by pt.created_at desc fetch first ${n} rows with ties` : '');
  switch (spec.kind) {
    case 'community': {
      const community = await loadCommunity(db, viewer, spec.communityId);
      assertOnCommunity(viewer, 'read', community?.facts);
      const cid = P.add(community.id);
      const isModerator = canOnCommunity(viewer, 'moderate', community.facts);
      const moderator = P.add(isModerator);
      return {
        key: `community:${community.id}`,
        communityId: community.id,
        moderator: isModerator,
        candidates: (bound, n) => `select p.id, p.created_at from posts p
          where p.tenant_id = ${t} and p.community_id = ${cid}::uuid and p.deleted_at is null
            and (p.hidden_at is null or p.author_id = ${v} or ${moderator}::boolean)
            and not coalesce(p.pinned_until > now(), false) ${bound.p} ${limitClause(n)}`,
      };
    }
    case 'person': {
      if (!isUuid(spec.personId)) throw new RucheError('PERSON_NOT_FOUND');
      const r = await db.query('select 1 from people where tenant_id = $1 and id = $2', [viewer.tenantId, spec.personId]);
      if (r.rowCount === 0) throw new RucheError('PERSON_NOT_FOUND');
      const pid = P.add(spec.personId);
      return {
        key: `person:${spec.personId}`,
        candidates: (bound, n) => `select p.id, p.created_at from posts p
          join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
          where p.tenant_id = ${t} and p.author_id = ${pid}::uuid and p.deleted_at is null and ${readable} ${bound.p} ${limitClause(n)}`,
      };
    }
    case 'topic': {
      const r = await db.query<{ id: string; slug: string; name: string }>('select id, slug, name from topics where tenant_id = $1 and slug = $2', [
        viewer.tenantId,
        topicSlug(spec.slug),
      ]);
      const topic = r.rows[0];
      if (!topic) throw new RucheError('NOT_FOUND', 'No such topic');
      const tid = P.add(topic.id);
      return {
        key: `topic:${topic.id}`,
        topic: { slug: topic.slug, name: topic.name },
        candidates: (bound, n) => `select p.id, p.created_at from post_topics pt
          join posts p on p.tenant_id = pt.tenant_id and p.id = pt.post_id
          join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
          where pt.tenant_id = ${t} and pt.topic_id = ${tid}::uuid and p.deleted_at is null and ${readable}
            ${bound.pt} ${topicLimit(n)}`,
      };
    }
    case 'home': {
      const followed = `select c.id, ${sqlCommunityModerator('c', v, admin)} as moderator from communities c
        where c.tenant_id = ${t} and c.id in (
          select m.community_id from memberships m where m.tenant_id = ${t} and m.person_id = ${v} and m.state = 'active'
          union
          select f.target_id from follows f where f.tenant_id = ${t} and f.follower_id = ${v} and f.target_type = 'community')
        and ${sqlCommunityReadable('c', v, admin)}`;
      return {
        key: 'home',
        candidates: (bound, n) => `
          select x.id, x.created_at from (${followed}) fc cross join lateral (
            select p.id, p.created_at from posts p
            where p.tenant_id = ${t} and p.community_id = fc.id and p.deleted_at is null
              and (p.hidden_at is null or p.author_id = ${v} or fc.moderator) ${bound.p} ${limitClause(n)}
          ) x
          union
          select x.id, x.created_at from follows f cross join lateral (
            select p.id, p.created_at from posts p join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
            where p.tenant_id = ${t} and p.author_id = f.target_id and p.deleted_at is null and ${readable} ${bound.p} ${limitClause(n)}
          ) x where f.tenant_id = ${t} and f.follower_id = ${v} and f.target_type = 'person'
          union
          select x.id, x.created_at from follows f cross join lateral (
            select p.id, pt.created_at from post_topics pt
            join posts p on p.tenant_id = pt.tenant_id and p.id = pt.post_id
            join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
            where pt.tenant_id = ${t} and pt.topic_id = f.target_id and p.deleted_at is null and ${readable}
              ${bound.pt} ${topicLimit(n)}
          ) x where f.tenant_id = ${t} and f.follower_id = ${v} and f.target_type = 'topic'
          union
          (select p.id, p.created_at from posts p
          where p.tenant_id = ${t} and p.kind = 'announcement' and p.community_id is null and p.deleted_at is null
            and (p.hidden_at is null or p.author_id = ${v} or ${admin})
            and p.id in (${sqlAnnouncementsTargeting(t, v)}) ${bound.p} ${limitClause(n)})`,
      };
    }
  }
}

/**
 * The feed-visit part of the page statement: on the first page, records this visit and
 * yields the previous one; on later pages, only reads the previous one. Always one row.
 * The visit is committed without waiting for the WAL flush (synchronous_commit off for
 * this statement's transaction only): a crash may forget the last moments of visit
 * markers, which costs nothing but an item shown as new again, and the page does not
 * wait for a disk flush.
 */
function visitSql(firstPage: boolean, t: string, v: string, key: string): { cte: string; value: string } {
  if (firstPage) {
    return {
      cte: `visit as (
        insert into feed_visits (tenant_id, person_id, feed, last_visit_at) values (${t}, ${v}, ${key}, now())
        on conflict (tenant_id, person_id, feed) do update
          set previous_visit_at = feed_visits.last_visit_at, last_visit_at = excluded.last_visit_at
        returning previous_visit_at, set_config('synchronous_commit', 'off', true)),`,
      value: '(select visit.previous_visit_at from visit)',
    };
  }
  return {
    cte: '',
    value: `(select fv.previous_visit_at from feed_visits fv where fv.tenant_id = ${t} and fv.person_id = ${v} and fv.feed = ${key})`,
  };
}

/** A promise started early and awaited later: its failure is reported where it is awaited, never as unhandled. */
function settle<T>(promise: Promise<T>): { value(): Promise<T> } {
  const outcome = promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return {
    async value() {
      const o = await outcome;
      if (!o.ok) throw o.error;
      return o.value;
    },
  };
}

/** One row per key of the page and per pinned item (none when both are empty), each with the visit marker. */
interface KeyRow extends Partial<NewsRow> {
  previous_visit_at: Date | null;
  id: string | null;
  pin_order: number | null;
  score: number | null;
  created_key: string | null;
}

async function loadRows(db: Queryable, viewer: Viewer, ids: string[]): Promise<PostRow[]> {
  if (ids.length === 0) return [];
  const r = await db.query<PostRow>(`select ${postColumns} from posts p ${postJoins} where p.tenant_id = $1 and p.id = any($2::uuid[])`, [
    viewer.tenantId,
    ids,
  ]);
  const byId = new Map(r.rows.map((x) => [x.id, x]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

/**
 * Reads one page: one statement for the page's keys (recent or top), the pinned items of a
 * community feed's first page and the visit marker (recorded on the first page); one for
 * the post rows by primary key (kept apart: planning both as one statement costs more than
 * the extra round trip, by far on PGlite); then hydration (counts, topics, kind data), a
 * fixed number of batch queries for pinned items and the page together.
 */
export async function readFeed(db: Queryable, viewer: Viewer, spec: FeedSpec, options: FeedOptions = {}): Promise<FeedPage> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const order = options.order ?? 'recent';
  if (order !== 'recent' && order !== 'top') throw new RucheError('VALIDATION_FAILED', 'order is recent or top');
  const P = new Params();
  const t = P.add(viewer.tenantId);
  const v = P.add(viewer.personId);
  // A boolean the server computed, inlined so that feeds which do not use it leave no untyped parameter.
  const admin = isTenantAdmin(viewer) ? 'true' : 'false';
  const scope = await resolveScope(db, viewer, spec, P, t, v, admin);
  const firstPage = options.cursor === undefined || options.cursor === '';
  const withNews = spec.kind === 'home' && options.news === true;
  // The page's candidates with the news key columns (null for posts), and the news of the
  // tenant under the same bound, when the feed takes news.
  const withNewsOf = (posts: string, newsBound: string, n: string | null) =>
    `select c.id, c.created_at, null::text as site_id, null::text as page_id from (${posts}) c` +
    (withNews
      ? ` union all (select ${sqlNewsKey('n')}, n.published_at, n.site_id, n.page_id from sharepoint_news n
           where n.tenant_id = ${t} ${newsBound} ${n ? `order by n.published_at desc, 1 desc limit ${n}` : ''})`
      : '');

  // keys: (id, created_at, score) of the page, limit + 1 rows, in page order.
  let keys: string;
  let asOf = '';
  if (order === 'recent') {
    const after = decodeCursor(options.cursor, ['string', 'date', 'string']);
    if (after && after[0] !== 'recent') throw new RucheError('INVALID_CURSOR');
    if (after) checkKeyset({ timestamps: [after[1]], ids: [after[2]] });
    let bound: Bound = { p: '', pt: '' };
    let newsBound = '';
    if (after) {
      const at = P.add(after[1]);
      const id = P.add(after[2]);
      bound = {
        p: `and (p.created_at, p.id) < (${at}::timestamptz, ${id}::uuid)`,
        pt: `and pt.created_at <= ${at}::timestamptz and (pt.created_at < ${at}::timestamptz or pt.post_id < ${id}::uuid)`,
      };
      newsBound = `and n.published_at <= ${at}::timestamptz and (n.published_at, ${sqlNewsKey('n')}) < (${at}::timestamptz, ${id}::uuid)`;
    }
    const n = P.add(limit + 1);
    keys = `select k.id, k.created_at, null::float8 as score, k.site_id, k.page_id from (${withNewsOf(scope.candidates(bound, n), newsBound, n)}) k
      order by k.created_at desc, k.id desc limit ${n}`;
  } else {
    const after = decodeCursor(options.cursor, ['string', 'date', 'number', 'string']);
    if (after && after[0] !== 'top') throw new RucheError('INVALID_CURSOR');
    if (after) checkKeyset({ timestamps: [after[1]], ids: [after[3]] });
    asOf = after ? String(after[1]) : new Date().toISOString();
    const asOfP = P.add(asOf);
    const window = (col: string) => `and ${col} <= ${asOfP}::timestamptz and ${col} > ${asOfP}::timestamptz - interval '${topWindowDays} days'`;
    const bound: Bound = { p: window('p.created_at'), pt: window('pt.created_at') };
    const newsBound = window('n.published_at');
    const keyset = after ? `where (s.score, s.id) < (${P.add(after[2])}::float8, ${P.add(after[3])}::uuid)` : '';
    const n = P.add(limit + 1);
    keys = `select s.id, s.created_at, s.score, s.site_id, s.page_id from (
         select k.id, k.created_at, k.site_id, k.page_id, (1 + (select count(*) from reactions r where r.tenant_id = ${t} and r.target_type = 'post' and r.target_id = k.id)
                  + 2 * (select count(*) from comments m where m.tenant_id = ${t} and m.post_id = k.id and m.deleted_at is null
                           and (m.hidden_at is null or m.author_id = ${v})))::float8
                / power(greatest(extract(epoch from (${asOfP}::timestamptz - k.created_at)), 0)::float8 / 3600 + 2, 1.5) as score
         from (${withNewsOf(scope.candidates(bound, null), newsBound, null)}) k
       ) s ${keyset} order by s.score desc, s.id desc limit ${n}`;
  }

  // Pinned items on top of the first page of a community feed.
  const pins =
    firstPage && scope.communityId
      ? `select x.id, row_number() over (order by x.pinned_until desc, x.created_at desc)::int as pin_order from (
           select p.id, p.pinned_until, p.created_at from posts p
           where p.tenant_id = ${t} and p.community_id = ${P.add(scope.communityId)}::uuid and p.deleted_at is null and p.pinned_until > now()
             and (p.hidden_at is null or p.author_id = ${v} or ${P.add(scope.moderator === true)}::boolean)
           order by p.pinned_until desc, p.created_at desc limit 10) x`
      : 'select null::uuid as id, null::int as pin_order where false';
  const visit = visitSql(firstPage, t, v, P.add(scope.key));
  // The home feed's kudos do not depend on the page: read them while the page is read (another
  // connection of the pool on PostgreSQL).
  const kudos = spec.kind === 'home' && firstPage ? settle(recentKudosForViewer(db, viewer)) : null;
  const r = await db.query<KeyRow>(
    `with ${visit.cte}
     page as (${keys}),
     pins as (${pins})
     select ${visit.value} as previous_visit_at, w.id, w.pin_order, w.score, w.created_key, ${newsColumns('sn')}
     from (select 1) one left join (
       select page.id, null::int as pin_order, page.score, ${timestampKey('page.created_at')} as created_key, page.site_id, page.page_id,
              row_number() over (order by ${order === 'recent' ? 'page.created_at desc, page.id desc' : 'page.score desc, page.id desc'})::int as position
       from page
       union all
       select pins.id, pins.pin_order, null::float8, null, null, null, pins.pin_order from pins) w on true
     left join sharepoint_news sn on sn.tenant_id = ${t} and sn.site_id = w.site_id and sn.page_id = w.page_id
     order by w.pin_order is null, w.position`,
    P.values,
  );
  const lastVisit = r.rows[0]?.previous_visit_at ?? null;
  const found = r.rows.filter((x) => x.id !== null);
  const pinnedKeys = found.filter((x) => x.pin_order !== null);
  const pageKeys = found.filter((x) => x.pin_order === null);
  const more = pageKeys.length > limit;
  const keysOfPage = more ? pageKeys.slice(0, limit) : pageKeys;
  const last = keysOfPage[keysOfPage.length - 1];
  let nextCursor: string | null = null;
  if (more && last) nextCursor = order === 'recent' ? encodeCursor(['recent', last.created_key!, last.id!]) : encodeCursor(['top', asOf, last.score!, last.id!]);

  // The rows of pinned items and of the page, in that order, by primary key.
  const wanted = [...pinnedKeys, ...keysOfPage].filter((x) => x.site_id === null || x.site_id === undefined).map((x) => x.id!);
  const news = keysOfPage.filter((x) => typeof x.site_id === 'string' && typeof x.title === 'string').map((x) => newsItemOf(x as NewsRow));
  const loaded = await loadRows(db, viewer, wanted);
  const pinnedRows = loaded.filter((x) => pinnedKeys.some((k) => k.id === x.id));
  const rows = loaded.filter((x) => !pinnedKeys.some((k) => k.id === x.id));

  const hydrated = await hydratePosts(db, viewer, [...pinnedRows, ...rows]);
  const pinned = hydrated.slice(0, pinnedRows.length);
  const items = hydrated.slice(pinnedRows.length);
  if (lastVisit) {
    for (const item of hydrated) {
      item.isNew = item.author.id !== viewer.personId && new Date(item.createdAt).getTime() > lastVisit.getTime();
    }
  }
  return {
    items,
    nextCursor,
    lastVisitAt: lastVisit?.toISOString() ?? null,
    pinned,
    ...(scope.topic ? { topic: scope.topic } : {}),
    ...(kudos ? { kudos: await kudos.value() } : {}),
    ...(withNews ? { news } : {}),
  };
}
