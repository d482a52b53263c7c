/**
 * Same work elsewhere: for a post or a community, the most similar posts and communities
 * of OTHER departments, limited to what the viewer may see. Similarity is computed in
 * PostgreSQL from the full-text lexemes ('ruche' configuration: simple + unaccent, so
 * French and English both work) that the source and a candidate share, with a trigram
 * bonus for close titles and names. No external model.
 *
 * A post belongs to its author's department; a community to its org unit's department, or
 * else to the department most of its active members work in.
 */
import type { Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';
import { loadPostFor } from '../posts/facts.js';
import { factsOf, loadCommunityRow } from '../communities/model.js';
import { type Viewer, assertOnCommunity, isTenantAdmin, sqlCommunityReadable, sqlCommunityVisible } from '../policy/policy.js';
import { sqlPostReadable } from '../policy/insights.js';

export const SIMILAR_LIMIT_MAX = 20;
/** At most this many of the source's words are compared (title words first, then the most frequent). */
export const SIMILAR_TERMS_MAX = 40;
/** A candidate shares at least this many words with the source. */
export const SIMILAR_MIN_SHARED = 2;
/** Posts older than this are not compared (days). */
export const SIMILAR_WINDOW_DAYS = 365;
/** Recent post titles that describe a community, with its name and description. */
const COMMUNITY_TITLES = 30;

/** Short words of English and French that say nothing of the subject (the 'ruche' configuration keeps every word). */
const STOP_WORDS = new Set(
  (
    'the and for with from that this these those have has had are was were will would could should about into over under ' +
    'our your their them they what which when where who why how not but all any can may more most other some such than then ' +
    'there here just also very only been being its it’s you yours ours his her him she he we us a an of on in to is be by or ' +
    'les des une pour dans avec sur par pas plus que qui quoi est sont ont aux ces ses mes tes nos vos leur leurs cette ' +
    'cet mais donc car comme tout tous toute toutes fait faire elle elles ils nous vous son sur entre sans sous chez ' +
    'être avoir été etre avez avons suis lui moi toi notre votre aussi bien tres très peu encore deja déjà hello bonjour merci thanks'
  ).split(/\s+/),
);

export interface SimilarPersonRef {
  id: string;
  displayName: string;
  department: string | null;
}

export interface SimilarPost {
  id: string;
  kind: string;
  title: string;
  community: { id: string; name: string } | null;
  author: SimilarPersonRef;
  department: string | null;
  createdAt: string;
  /** From 0 to about 1.3: shared words (cosine) plus a bonus for close titles. */
  score: number;
  /** Words the two share (normalised: lower case, no accents). */
  sharedTerms: string[];
}

export interface SimilarCommunity {
  id: string;
  slug: string;
  name: string;
  kind: string;
  visibility: string;
  department: string | null;
  members: number;
  score: number;
  sharedTerms: string[];
}

export interface SimilarWork {
  source: { type: 'post' | 'community'; id: string; department: string | null };
  posts: SimilarPost[];
  communities: SimilarCommunity[];
}

export interface SimilarOptions {
  /** Per list (posts, communities); default 5, at most 20. */
  limit?: number;
}

function limitOf(options: SimilarOptions): number {
  const limit = options.limit ?? 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > SIMILAR_LIMIT_MAX) {
    throw new RucheError('VALIDATION_FAILED', `limit is an integer from 1 to ${SIMILAR_LIMIT_MAX}`, { details: { field: 'limit' } });
  }
  return limit;
}

/** SQL: the department of community `c` (org unit, or most members'). */
export function sqlCommunityDepartment(c: string): string {
  return `coalesce(nullif(${c}.org_unit->>'department', ''), (
    select mode() within group (order by pd.department) from memberships md
      join people pd on pd.tenant_id = md.tenant_id and pd.id = md.person_id
     where md.tenant_id = ${c}.tenant_id and md.community_id = ${c}.id and md.state = 'active' and pd.department is not null))`;
}

/** SQL: the text that describes community `c` to the viewer: name, description, and recent post titles when the viewer may read it. */
function sqlCommunityVector(c: string, viewer: string, admin: string): string {
  return `(${c}.search || case when ${sqlCommunityReadable(c, viewer, admin)} then to_tsvector('ruche', coalesce((
      select string_agg(tp.title, ' ') from (
        select p0.title from posts p0 where p0.tenant_id = ${c}.tenant_id and p0.community_id = ${c}.id
          and p0.deleted_at is null and p0.hidden_at is null and p0.kind <> 'announcement'
        order by p0.created_at desc limit ${COMMUNITY_TITLES}) tp), '')) else ''::tsvector end)`;
}

/** The words that describe a source, best first: title (weight A) words, then by frequency; no stop words, no short words. */
function pickTerms(rows: readonly { lexeme: string; title: boolean; n: number }[]): string[] {
  return rows
    .filter((r) => r.lexeme.length >= 3 && !STOP_WORDS.has(r.lexeme) && !/^\d+$/.test(r.lexeme))
    .sort((a, b) => Number(b.title) - Number(a.title) || b.n - a.n || a.lexeme.localeCompare(b.lexeme))
    .slice(0, SIMILAR_TERMS_MAX)
    .map((r) => r.lexeme);
}

async function postTerms(db: Queryable, tenantId: string, postId: string): Promise<{ terms: string[]; department: string | null; title: string }> {
  const r = await db.query<{ lexeme: string; title: boolean; n: number; department: string | null; post_title: string }>(
    `select l.lexeme, 'A' = any(l.weights::text[]) as title, coalesce(array_length(l.positions, 1), 1) as n, a.department, p.title as post_title
       from posts p join people a on a.tenant_id = p.tenant_id and a.id = p.author_id
       left join lateral unnest(p.search) l on true
      where p.tenant_id = $1 and p.id = $2`,
    [tenantId, postId],
  );
  return { terms: pickTerms(r.rows.filter((x) => x.lexeme !== null)), department: r.rows[0]?.department ?? null, title: r.rows[0]?.post_title ?? '' };
}

async function communityTerms(db: Queryable, viewer: Viewer, communityId: string): Promise<{ terms: string[]; department: string | null; name: string }> {
  const r = await db.query<{ lexeme: string; title: boolean; n: number; department: string | null; name: string }>(
    `select l.lexeme, 'A' = any(l.weights::text[]) as title, coalesce(array_length(l.positions, 1), 1) as n,
            ${sqlCommunityDepartment('c')} as department, c.name
       from communities c left join lateral unnest(${sqlCommunityVector('c', '$3', '$4::boolean')}) l on true
      where c.tenant_id = $1 and c.id = $2`,
    [viewer.tenantId, communityId, viewer.personId, isTenantAdmin(viewer)],
  );
  return { terms: pickTerms(r.rows.filter((x) => x.lexeme !== null)), department: r.rows[0]?.department ?? null, name: r.rows[0]?.name ?? '' };
}

const termsQuery = `array_to_string(array(select quote_literal(t) from unnest($5::text[]) t), ' | ')::tsquery`;

async function similarPosts(
  db: Queryable,
  viewer: Viewer,
  src: { terms: string[]; department: string | null; text: string; excludePostId: string | null; excludeCommunityId: string | null },
  limit: number,
  now: Date,
): Promise<SimilarPost[]> {
  if (src.terms.length < SIMILAR_MIN_SHARED) return [];
  const r = await db.query<{
    id: string; kind: string; title: string; community_id: string | null; community_name: string | null;
    author_id: string; author_name: string; department: string | null; created_at: Date; score: number; shared: string[];
  }>(
    `with cand as (
       select p.id, p.kind, p.title, p.community_id, c.name as community_name, p.author_id, a.display_name as author_name,
              a.department, p.created_at,
              array(select l from unnest(tsvector_to_array(p.search)) l where l = any($5::text[]) order by l) as shared,
              (select count(*) from unnest(tsvector_to_array(p.search)) l where length(l) >= 3)::float8 as n
         from posts p
         join people a on a.tenant_id = p.tenant_id and a.id = p.author_id
         left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
        where p.tenant_id = $1 and p.search @@ ${termsQuery}
          and p.kind in ('discussion', 'question', 'idea') and p.created_at >= $6::timestamptz
          and a.department is not null and a.department is distinct from $7::text
          and ($8::uuid is null or p.id <> $8::uuid)
          and ($9::uuid is null or p.community_id is distinct from $9::uuid)
          and ${sqlPostReadable('p', 'c', '$2', '$3::boolean')})
     select id, kind, title, community_id, community_name, author_id, author_name, department, created_at, shared,
            (cardinality(shared) / sqrt(greatest(n, 1) * $4::float8)
              + 0.3 * similarity(ruche_fold(title), ruche_fold($10::text)))::float8 as score
       from cand where cardinality(shared) >= ${SIMILAR_MIN_SHARED}
      order by score desc, created_at desc, id limit $11`,
    [
      viewer.tenantId, viewer.personId, isTenantAdmin(viewer), src.terms.length, src.terms,
      new Date(now.getTime() - SIMILAR_WINDOW_DAYS * 86_400_000), src.department, src.excludePostId, src.excludeCommunityId, src.text, limit,
    ],
  );
  return r.rows.map((x) => ({
    id: x.id,
    kind: x.kind,
    title: x.title,
    community: x.community_id ? { id: x.community_id, name: x.community_name ?? '' } : null,
    author: { id: x.author_id, displayName: x.author_name, department: x.department },
    department: x.department,
    createdAt: x.created_at.toISOString(),
    score: Math.round(x.score * 1000) / 1000,
    sharedTerms: x.shared.slice(0, 10),
  }));
}

async function similarCommunities(
  db: Queryable,
  viewer: Viewer,
  src: { terms: string[]; department: string | null; text: string; excludeCommunityId: string | null },
  limit: number,
): Promise<SimilarCommunity[]> {
  if (src.terms.length < SIMILAR_MIN_SHARED) return [];
  const r = await db.query<{
    id: string; slug: string; name: string; kind: string; visibility: string; department: string | null; members: number; score: number; shared: string[];
  }>(
    `with cand as (
       select c.id, c.slug, c.name, c.kind, c.visibility, ${sqlCommunityDepartment('c')} as department,
              tsvector_to_array(${sqlCommunityVector('c', '$2', '$3::boolean')}) as lex
         from communities c
        where c.tenant_id = $1 and c.archived_at is null and ($6::uuid is null or c.id <> $6::uuid)
          and ${sqlCommunityVisible('c', '$2', '$3::boolean')}),
     scored as (
       select cand.*, array(select l from unnest(lex) l where l = any($5::text[]) order by l) as shared,
              (select count(*) from unnest(lex) l where length(l) >= 3)::float8 as n
         from cand where department is not null and department is distinct from $7::text)
     select s.id, s.slug, s.name, s.kind, s.visibility, s.department, s.shared,
            (select count(*)::int from memberships m where m.tenant_id = $1 and m.community_id = s.id and m.state = 'active') as members,
            (cardinality(s.shared) / sqrt(greatest(s.n, 1) * $4::float8)
              + 0.3 * similarity(ruche_fold(s.name), ruche_fold($8::text)))::float8 as score
       from scored s where cardinality(s.shared) >= ${SIMILAR_MIN_SHARED}
      order by score desc, s.name, s.id limit $9`,
    [viewer.tenantId, viewer.personId, isTenantAdmin(viewer), src.terms.length, src.terms, src.excludeCommunityId, src.department, src.text, limit],
  );
  return r.rows.map((x) => ({
    id: x.id,
    slug: x.slug,
    name: x.name,
    kind: x.kind,
    visibility: x.visibility,
    department: x.department,
    members: x.members,
    score: Math.round(x.score * 1000) / 1000,
    sharedTerms: x.shared.slice(0, 10),
  }));
}

/** Similar work elsewhere for a post the viewer may read (NOT_FOUND otherwise). */
export async function similarToPost(db: Queryable, viewer: Viewer, postId: string, options: SimilarOptions = {}, now: Date = new Date()): Promise<SimilarWork> {
  const limit = limitOf(options);
  const post = await loadPostFor(db, viewer, postId, 'read');
  const src = await postTerms(db, viewer.tenantId, post.id);
  const base = { terms: src.terms, department: src.department, text: src.title };
  return {
    source: { type: 'post', id: post.id, department: src.department },
    posts: await similarPosts(db, viewer, { ...base, excludePostId: post.id, excludeCommunityId: null }, limit, now),
    communities: await similarCommunities(db, viewer, { ...base, excludeCommunityId: post.communityId }, limit),
  };
}

/** Similar work elsewhere for a community (id or slug) the viewer may see (NOT_FOUND otherwise). */
export async function similarToCommunity(db: Queryable, viewer: Viewer, communityRef: string, options: SimilarOptions = {}, now: Date = new Date()): Promise<SimilarWork> {
  const limit = limitOf(options);
  const row = await loadCommunityRow(db, viewer, communityRef);
  assertOnCommunity(viewer, 'see', row ? factsOf(row) : undefined);
  const communityId = row!.id;
  const src = await communityTerms(db, viewer, communityId);
  const base = { terms: src.terms, department: src.department, text: src.name };
  return {
    source: { type: 'community', id: communityId, department: src.department },
    posts: await similarPosts(db, viewer, { ...base, excludePostId: null, excludeCommunityId: communityId }, limit, now),
    communities: await similarCommunities(db, viewer, { ...base, excludeCommunityId: communityId }, limit),
  };
}
