/**
 * Search: posts and communities by full text (the `ruche` text search configuration:
 * simple tokens with accents removed, so French and English words match with or without
 * accents), communities, people and topics by name with pg_trgm (typos), always filtered by
 * what the viewer may see through the policy's SQL predicates: a secret community or a post
 * the viewer may not read never appears, not even in counts.
 *
 * Paging is keyset on (score, id) with an opaque cursor; post scores depend on the moment
 * the first page was read (kept in the cursor), so that pages neither repeat nor skip.
 *
 * Highlights come from ts_headline on the stored plain text (never on HTML), with private-use
 * delimiters that are then turned into <mark> around HTML-escaped text: the only markup a
 * highlight can carry is <mark>.
 */
import type { Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';
import { type CommunityVisibility, type Viewer, isTenantAdmin, sqlCommunityVisible, sqlContentReadable } from '../policy/policy.js';
import { decodeCursor, encodeCursor, type Page } from '../pagination.js';
import { isUuid } from '../people/people.js';
import type { PostKind } from '../posts/model.js';
import type { CommunityKind } from '../communities/model.js';
import { topicSlug } from '../markdown/markdown.js';

export const searchTypes = ['posts', 'communities', 'people', 'topics'] as const;
export type SearchType = (typeof searchTypes)[number];

export const SEARCH_QUERY_MAX = 200;
export const SEARCH_PAGE_MAX = 50;
/** Counts in an "all" search stop here (shown as "100+"). */
export const SEARCH_COUNT_CAP = 100;

export interface SearchInput {
  q: string;
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface PostHit {
  id: string;
  kind: PostKind;
  title: string;
  /** HTML: escaped text of the title with matches in <mark>. */
  titleHighlight: string;
  /** HTML: escaped fragments of the body with matches in <mark>. */
  highlight: string;
  community: { id: string; name: string };
  author: { id: string; displayName: string };
  createdAt: string;
}

export interface CommunityHit {
  id: string;
  slug: string;
  name: string;
  kind: CommunityKind;
  visibility: CommunityVisibility;
  isOfficial: boolean;
  archived: boolean;
  /** HTML: escaped fragment of the description with matches in <mark>. */
  highlight: string;
  isMember: boolean;
}

export interface PersonHit {
  id: string;
  displayName: string;
  upn: string;
  jobTitle: string | null;
  department: string | null;
  isFormerEmployee: boolean;
}

export interface TopicHit {
  id: string;
  slug: string;
  name: string;
}

// Delimiters ts_headline puts around matches: private-use characters, removed from the text first.
const START = '\uE000';
const STOP = '\uE001';
const headlineOptions = `StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;
const titleHeadlineOptions = `StartSel=${START}, StopSel=${STOP}, HighlightAll=true`;

/** Plain text in SQL without our delimiters, so that only ts_headline's marks remain. */
const stripped = (col: string) => `translate(${col}, E'\\uE000\\uE001', '')`;

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a ts_headline result and turns its delimiters into <mark>: inert HTML. */
export function highlightHtml(headline: string): string {
  const escaped = headline.replace(/[&<>"']/g, (c) => htmlEscapes[c]!);
  // Balanced by construction; an unbalanced mark (cannot happen) is dropped rather than left open.
  let open = false;
  let out = '';
  for (const ch of escaped) {
    if (ch === START && !open) {
      out += '<mark>';
      open = true;
    } else if (ch === STOP && open) {
      out += '</mark>';
      open = false;
    } else if (ch !== START && ch !== STOP) out += ch;
  }
  return open ? `${out}</mark>` : out;
}

function invalid(field: string, message: string): RucheError {
  return new RucheError('VALIDATION_FAILED', message, { details: { [field]: message } });
}

/** Trims and checks a query; undefined when there is nothing to search. */
export function normaliseQuery(q: string | undefined): string | undefined {
  if (q === undefined) return undefined;
  // Control characters, and our highlight delimiters, are not searchable text.
  const t = q.replace(/[\u0000-\u001f\u007f\uE000\uE001]/g, ' ').trim().replace(/\s+/g, ' ');
  if (t === '') return undefined;
  if (t.length > SEARCH_QUERY_MAX) throw invalid('q', `The search must have at most ${SEARCH_QUERY_MAX} characters`);
  return t;
}

function pageLimit(limit: number | undefined, fallback = 20): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_PAGE_MAX) throw invalid('limit', `Must be an integer from 1 to ${SEARCH_PAGE_MAX}`);
  return limit;
}

/** Escapes LIKE wildcards so that "50%" means the text "50%". */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A keyset cursor [type, score, id] (posts add the moment of the first page). */
function readCursor(type: SearchType, cursor: string | undefined): { score: number; id: string; asOf?: string } | undefined {
  const shape: ('string' | 'number' | 'date')[] = type === 'posts' ? ['string', 'number', 'string', 'date'] : ['string', 'number', 'string'];
  const c = decodeCursor(cursor, shape);
  if (!c) return undefined;
  if (c[0] !== type || !isUuid(String(c[2]))) throw new RucheError('INVALID_CURSOR');
  if (type === 'posts') {
    if (!isoPattern.test(String(c[3]))) throw new RucheError('INVALID_CURSOR');
    return { score: Number(c[1]), id: String(c[2]), asOf: String(c[3]) };
  }
  return { score: Number(c[1]), id: String(c[2]) };
}

function page<R extends { score: number; id: string }, T>(type: SearchType, rows: R[], limit: number, map: (r: R) => T, asOf?: string): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  const key = last ? (asOf ? [type, last.score, last.id, asOf] : [type, last.score, last.id]) : [];
  return { items: kept.map(map), nextCursor: more && last ? encodeCursor(key) : null };
}

/**
 * Posts: websearch syntax ("quoted phrases", or, -excluded), ranked by ts_rank_cd (title
 * weighs more than body) decayed by age: rank / (1 + age in days / 30).
 */
function postsWhere(): string {
  return `p.tenant_id = $1 and p.search @@ websearch_to_tsquery('ruche', $4) and ${sqlContentReadable('p', 'c', '$2', '$3::boolean')}`;
}

const postJoin = `join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id`;

function postScore(p: string, asOf: string): string {
  return `(ts_rank_cd(${p}.search, websearch_to_tsquery('ruche', $4))::float8
    / (1 + greatest(extract(epoch from (${asOf}::timestamptz - ${p}.created_at)), 0)::float8 / 2592000))`;
}

/**
 * Posts ranked per search: the most recent matches (newest first through posts_recent when a
 * word is very common, through the full-text index when it is rare), so that a search costs
 * the same whatever the size of the organisation. Recency is part of the score anyway.
 */
export const SEARCH_POSTS_RANKED = 1000;

export async function searchPosts(db: Queryable, viewer: Viewer, input: SearchInput): Promise<Page<PostHit>> {
  const limit = pageLimit(input.limit);
  const q = normaliseQuery(input.q);
  if (!q) return { items: [], nextCursor: null };
  const after = readCursor('posts', input.cursor);
  const asOf = after?.asOf ?? new Date().toISOString();
  const params: unknown[] = [viewer.tenantId, viewer.personId, isTenantAdmin(viewer), q, asOf, limit + 1];
  let keyset = '';
  if (after) {
    params.push(after.score, after.id);
    keyset = `where (s.score, s.id) < ($7::float8, $8::uuid)`;
  }
  const r = await db.query<{
    id: string;
    score: number;
    kind: PostKind;
    title: string;
    title_hl: string;
    body_hl: string;
    community_id: string;
    community_name: string;
    author_id: string;
    author_name: string;
    created_at: Date;
  }>(
    `with matches as (
       select p.id, p.created_at, p.search from posts p ${postJoin}
       where ${postsWhere()} and p.created_at <= $5::timestamptz
       order by p.created_at desc, p.id desc limit ${SEARCH_POSTS_RANKED}
     ), hits as (
       select s.id, s.score from (select m.id, ${postScore('m', '$5')} as score from matches m) s ${keyset}
       order by s.score desc, s.id desc limit $6
     )
     select h.id, h.score, p.kind, p.title, p.created_at, p.community_id, c.name as community_name,
       p.author_id, a.display_name as author_name,
       ts_headline('ruche', ${stripped('p.title')}, websearch_to_tsquery('ruche', $4), '${titleHeadlineOptions}') as title_hl,
       ts_headline('ruche', ${stripped('p.body')}, websearch_to_tsquery('ruche', $4), '${headlineOptions}') as body_hl
     from hits h
     join posts p on p.tenant_id = $1 and p.id = h.id
     ${postJoin}
     join people a on a.tenant_id = p.tenant_id and a.id = p.author_id
     order by h.score desc, h.id desc`,
    params,
  );
  return page(
    'posts',
    r.rows,
    limit,
    (x) => ({
      id: x.id,
      kind: x.kind,
      title: x.title,
      titleHighlight: highlightHtml(x.title_hl),
      highlight: highlightHtml(x.body_hl),
      community: { id: x.community_id, name: x.community_name },
      author: { id: x.author_id, displayName: x.author_name },
      createdAt: x.created_at.toISOString(),
    }),
    asOf,
  );
}

/**
 * Communities the viewer may see, by full text on name and description, or by a name close
 * to the query (pg_trgm on the folded name, for typos). Full-text rank first, then name
 * similarity.
 */
function communitiesMatch(): string {
  return `c.tenant_id = $1 and ${sqlCommunityVisible('c', '$2', '$3::boolean')}
    and (c.search @@ websearch_to_tsquery('ruche', $4)
      or ruche_fold(c.name) like '%' || ruche_fold($5) || '%'
      or ruche_fold($4) <% ruche_fold(c.name))`;
}

const communityScore = `(10 * ts_rank_cd(c.search, websearch_to_tsquery('ruche', $4))::float8
  + case when ruche_fold(c.name) like ruche_fold($5) || '%' then 2 when ruche_fold(c.name) like '%' || ruche_fold($5) || '%' then 1 else 0 end
  + word_similarity(ruche_fold($4), ruche_fold(c.name))::float8)`;

export async function searchCommunities(db: Queryable, viewer: Viewer, input: SearchInput): Promise<Page<CommunityHit>> {
  const limit = pageLimit(input.limit);
  const q = normaliseQuery(input.q);
  if (!q) return { items: [], nextCursor: null };
  const after = readCursor('communities', input.cursor);
  const params: unknown[] = [viewer.tenantId, viewer.personId, isTenantAdmin(viewer), q, likeEscape(q), limit + 1];
  let keyset = '';
  if (after) {
    params.push(after.score, after.id);
    keyset = `where (s.score, s.id) < ($7::float8, $8::uuid)`;
  }
  const r = await db.query<{
    id: string;
    score: number;
    slug: string;
    name: string;
    kind: CommunityKind;
    visibility: CommunityVisibility;
    is_official: boolean;
    archived: boolean;
    is_member: boolean;
    description_hl: string;
  }>(
    `with hits as (
       select s.id, s.score from (
         select c.id, ${communityScore} as score from communities c where ${communitiesMatch()}
       ) s ${keyset}
       order by s.score desc, s.id desc limit $6
     )
     select h.id, h.score, c.slug, c.name, c.kind, c.visibility, c.is_official, c.archived_at is not null as archived,
       exists (select 1 from memberships m where m.tenant_id = c.tenant_id and m.community_id = c.id and m.person_id = $2 and m.state = 'active') as is_member,
       ts_headline('ruche', ${stripped('c.description')}, websearch_to_tsquery('ruche', $4), '${headlineOptions}') as description_hl
     from hits h join communities c on c.tenant_id = $1 and c.id = h.id
     order by h.score desc, h.id desc`,
    params,
  );
  return page('communities', r.rows, limit, (x) => ({
    id: x.id,
    slug: x.slug,
    name: x.name,
    kind: x.kind,
    visibility: x.visibility,
    isOfficial: x.is_official,
    archived: x.archived,
    highlight: highlightHtml(x.description_hl),
    isMember: x.is_member,
  }));
}

/** People of the viewer's organisation by name (typos tolerated), job title or department. */
function peopleMatch(): string {
  return `p.tenant_id = $1 and (ruche_fold(p.display_name) like '%' || ruche_fold($3) || '%'
    or ruche_fold($2) <% ruche_fold(p.display_name)
    or ruche_fold(p.job_title) like '%' || ruche_fold($3) || '%'
    or ruche_fold(p.department) like '%' || ruche_fold($3) || '%')`;
}

/** Score of a person `p` whose folded name, job title and department are f.n, f.j, f.d; the folded query is k.q (LIKE-escaped) and k.w. */
const personScore = `(case when f.n like k.q || '%' then 3 when f.n like '%' || k.q || '%' then 2 else 0 end
  + word_similarity(k.w, f.n)::float8
  + case when f.j like '%' || k.q || '%' then 0.5 else 0 end
  + case when f.d like '%' || k.q || '%' then 0.25 else 0 end
  - case when p.is_former_employee then 1 else 0 end)`;

/** Folds each matched row once (ruche_fold calls unaccent, which is not free), and the query once. */
const personFold = `cross join lateral (select ruche_fold(p.display_name) as n, ruche_fold(p.job_title) as j, ruche_fold(p.department) as d) f
  cross join (select ruche_fold($3) as q, ruche_fold($2) as w) k`;

interface PersonRow {
  id: string;
  score: number;
  display_name: string;
  upn: string;
  job_title: string | null;
  department: string | null;
  is_former_employee: boolean;
}

const toPersonHit = (x: PersonRow): PersonHit => ({
  id: x.id,
  displayName: x.display_name,
  upn: x.upn,
  jobTitle: x.job_title,
  department: x.department,
  isFormerEmployee: x.is_former_employee,
});

export async function searchPeople(db: Queryable, viewer: Viewer, input: SearchInput): Promise<Page<PersonHit>> {
  const limit = pageLimit(input.limit);
  const q = normaliseQuery(input.q);
  if (!q) return { items: [], nextCursor: null };
  const after = readCursor('people', input.cursor);
  const params: unknown[] = [viewer.tenantId, q, likeEscape(q), limit + 1];
  let keyset = '';
  if (after) {
    params.push(after.score, after.id);
    keyset = `where (s.score, s.id) < ($5::float8, $6::uuid)`;
  }
  const r = await db.query<PersonRow>(
    `select * from (
       select p.id, ${personScore} as score, p.display_name, p.upn, p.job_title, p.department, p.is_former_employee
       from people p ${personFold} where ${peopleMatch()}
     ) s ${keyset}
     order by s.score desc, s.id desc limit $4`,
    params,
  );
  return page('people', r.rows, limit, toPersonHit);
}

/**
 * Suggestions for an @mention: current employees whose name, first name, surname or user
 * name starts with the query (or whose name is close to it), best first.
 */
export async function autocompletePeople(db: Queryable, viewer: Viewer, input: { q: string; limit?: number | undefined }): Promise<PersonHit[]> {
  const limit = pageLimit(input.limit, 8);
  const q = normaliseQuery(input.q.replace(/^@/, ''));
  if (!q) return [];
  const r = await db.query<PersonRow>(
    `select p.id, p.display_name, p.upn, p.job_title, p.department, p.is_former_employee,
       (case when f.n like k.q || '%' then 3
             when f.n like '% ' || k.q || '%' then 2
             when lower(p.upn) like lower($3) || '%' then 2 else 0 end
        + word_similarity(k.w, f.n))::float8 as score
     from people p
     cross join lateral (select ruche_fold(p.display_name) as n) f
     cross join (select ruche_fold($3) as q, ruche_fold($2) as w) k
     where p.tenant_id = $1 and not p.is_former_employee
       and (ruche_fold(p.display_name) like '%' || ruche_fold($3) || '%'
         or ruche_fold($2) <% ruche_fold(p.display_name)
         or lower(p.upn) like lower($3) || '%')
     order by score desc, p.display_name, p.id
     limit $4`,
    [viewer.tenantId, q, likeEscape(q), limit],
  );
  return r.rows.map(toPersonHit);
}

/**
 * Topics for #autocomplete and search: by slug prefix or a close name, and only topics that
 * tag at least one post the viewer may read, so that a topic used only in a secret or
 * private community does not leak to outsiders.
 */
function topicsMatch(): string {
  return `t.tenant_id = $1
    and (t.slug like $6 || '%' or ruche_fold(t.name) like '%' || ruche_fold($5) || '%' or ruche_fold($4) <% ruche_fold(t.name))
    and exists (
      select 1 from post_topics pt
      join posts p on p.tenant_id = pt.tenant_id and p.id = pt.post_id
      ${postJoin}
      where pt.tenant_id = t.tenant_id and pt.topic_id = t.id and ${sqlContentReadable('p', 'c', '$2', '$3::boolean')})`;
}

const topicScore = `(case when t.slug = $6 then 4 when t.slug like $6 || '%' then 2 else 0 end
  + word_similarity(ruche_fold($4), ruche_fold(t.name))::float8)`;

export async function searchTopics(db: Queryable, viewer: Viewer, input: SearchInput): Promise<Page<TopicHit>> {
  const limit = pageLimit(input.limit, 8);
  const q = normaliseQuery(input.q.replace(/^#/, ''));
  if (!q) return { items: [], nextCursor: null };
  const slug = likeEscape(topicSlug(q));
  const after = readCursor('topics', input.cursor);
  const params: unknown[] = [viewer.tenantId, viewer.personId, isTenantAdmin(viewer), q, likeEscape(q), slug, limit + 1];
  let keyset = '';
  if (after) {
    params.push(after.score, after.id);
    keyset = `where (s.score, s.id) < ($8::float8, $9::uuid)`;
  }
  const r = await db.query<{ id: string; score: number; slug: string; name: string }>(
    `select * from (select t.id, t.slug, t.name, ${topicScore} as score from topics t where ${topicsMatch()}) s ${keyset}
     order by s.score desc, s.id desc limit $7`,
    params,
  );
  return page('topics', r.rows, limit, (x) => ({ id: x.id, slug: x.slug, name: x.name }));
}

export interface SearchCounts {
  posts: number;
  communities: number;
  people: number;
  topics: number;
}

export interface SearchAll {
  posts: Page<PostHit>;
  communities: Page<CommunityHit>;
  people: Page<PersonHit>;
  topics: Page<TopicHit>;
  /** How many of each the viewer may see, up to SEARCH_COUNT_CAP. */
  counts: SearchCounts;
}

/**
 * Everything at once: the first page of each type and capped counts, filtered like the
 * lists (nothing the viewer may not see is counted).
 */
export async function searchAll(db: Queryable, viewer: Viewer, input: { q: string; limit?: number | undefined }): Promise<SearchAll> {
  const limit = pageLimit(input.limit, 5);
  const q = normaliseQuery(input.q);
  const empty = { items: [], nextCursor: null };
  if (!q) return { posts: empty, communities: empty, people: empty, topics: empty, counts: { posts: 0, communities: 0, people: 0, topics: 0 } };
  const args = { q, limit };
  const posts = await searchPosts(db, viewer, args);
  const communities = await searchCommunities(db, viewer, args);
  const people = await searchPeople(db, viewer, args);
  const topics = await searchTopics(db, viewer, args);
  const admin = isTenantAdmin(viewer);
  const cap = SEARCH_COUNT_CAP;
  const slug = likeEscape(topicSlug(q));
  const r = await db.query<SearchCounts>(
    `select
       (select count(*) from (select 1 from posts p ${postJoin} where ${postsWhere()} limit ${cap}) x)::int as posts,
       (select count(*) from (select 1 from communities c where ${communitiesMatch()} limit ${cap}) x)::int as communities,
       (select count(*) from (select 1 from people p where p.tenant_id = $1 and (ruche_fold(p.display_name) like '%' || ruche_fold($5) || '%'
          or ruche_fold($4) <% ruche_fold(p.display_name)
          or ruche_fold(p.job_title) like '%' || ruche_fold($5) || '%'
          or ruche_fold(p.department) like '%' || ruche_fold($5) || '%') limit ${cap}) x)::int as people,
       (select count(*) from (select 1 from topics t where ${topicsMatch()} limit ${cap}) x)::int as topics`,
    [viewer.tenantId, viewer.personId, admin, q, likeEscape(q), slug],
  );
  return { posts, communities, people, topics, counts: r.rows[0]! };
}
