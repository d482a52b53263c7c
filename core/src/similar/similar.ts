/**
 * Same work elsewhere: for a post or a community, the most similar posts and communities
 * of OTHER departments, limited to what the viewer may see. Similarity is computed in
 * PostgreSQL from the full-text lexemes ('ruche' configuration: simple + unaccent, so
 * French and English both work) that the source and a candidate share, with a trigram
 * bonus for close titles and names. No external model. Words are weighed by the tenant's
 * word counts and communities compared through their stored word profiles (profiles.ts),
 * so a call reads indexes and checks the policy on the few candidates only.
 *
 * A post belongs to its author's department; a community to its org unit's department, or
 * else to the department most of its active members work in.
 */
import type { Db, Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';
import { loadPostFor } from '../posts/facts.js';
import { factsOf, loadCommunityRow } from '../communities/model.js';
import { type Viewer, assertOnCommunity, isTenantAdmin, sqlCommunityReadable, sqlCommunityVisible } from '../policy/policy.js';
import { sqlPostReadable } from '../policy/insights.js';
import { SIMILAR_STOP_WORDS, ensureSimilarProfiles, wordFrequencies } from './profiles.js';

export const SIMILAR_LIMIT_MAX = 20;
/** At most this many of the source's words are compared (title words first, then the most frequent). */
export const SIMILAR_TERMS_MAX = 40;
/** A candidate shares at least this many words with the source. */
export const SIMILAR_MIN_SHARED = 2;
/** Posts older than this are not compared (days). */
export const SIMILAR_WINDOW_DAYS = 365;
/** Words in more than this share of posts are never required of a candidate (they still add a little weight). */
export const SIMILAR_COMMON_FREQUENCY = 0.02;
/** Frequencies are shares of at least this many posts, so that in a small tenant a word used a few times still counts as rare. */
export const SIMILAR_MIN_POSTS = 1000;
/** Scales frequencies into weights: ln(1 + 1 / (frequency x scale)). */
const SIMILAR_DF_SCALE = 1000;
/** A candidate shares at least two of the source's rarest words (at most this many of them). */
export const SIMILAR_CORE_TERMS = 10;

const STOP_WORDS = SIMILAR_STOP_WORDS;

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
  /** From 0 to about 1.3: the weight of the shared words (rarer words weigh more) over the source's, plus a bonus for close titles. */
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

/** SQL: the department of community `c` given its profile `sp`: its org unit's, or else most of its members' (from the profile). */
function sqlCommunityDepartment(c: string, sp: string): string {
  return `coalesce(nullif(${c}.org_unit->>'department', ''), ${sp}.department)`;
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

/** The words of a community's profile as the viewer may know them: with its recent post titles only if the viewer may read it. */
async function communityTerms(db: Queryable, viewer: Viewer, communityId: string): Promise<{ terms: string[]; department: string | null; name: string }> {
  const r = await db.query<{ lex: string[]; department: string | null; name: string }>(
    `select case when ${sqlCommunityReadable('c', '$3', '$4::boolean')} then sp.lexemes else sp.public_lexemes end as lex,
            ${sqlCommunityDepartment('c', 'sp')} as department, c.name
       from communities c join similar_community_profiles sp on sp.tenant_id = c.tenant_id and sp.community_id = c.id
      where c.tenant_id = $1 and c.id = $2`,
    [viewer.tenantId, communityId, viewer.personId, isTenantAdmin(viewer)],
  );
  const row = r.rows[0];
  return { terms: (row?.lex ?? []).slice(0, SIMILAR_TERMS_MAX), department: row?.department ?? null, name: row?.name ?? '' };
}

interface WeightedTerms {
  terms: string[];
  /** Rarer words weigh more; aligned with terms. */
  weights: number[];
  /** The rarest words (below the common frequency), rarest first. */
  core: string[];
  total: number;
}

/**
 * Weighs the source's words by how rare they are among the tenant's posts, from the word
 * counts kept beside the posts (similar_word_frequencies): one indexed read per word. A word
 * no post uses is rarer than all others. Frequencies are shares of at least
 * SIMILAR_MIN_POSTS posts, so a small tenant's words are not all common.
 */
async function weighTerms(db: Queryable, tenantId: string, terms: readonly string[]): Promise<WeightedTerms> {
  if (terms.length === 0) return { terms: [], weights: [], core: [], total: 0 };
  const f = await wordFrequencies(db, tenantId, terms);
  const posts = Math.max(f.total, SIMILAR_MIN_POSTS);
  const rows = terms.map((t, i) => ({ t, freq: Math.max(f.posts[i]!, 0.5) / posts }));
  const weights = rows.map((x) => Math.log(1 + 1 / (x.freq * SIMILAR_DF_SCALE)));
  const core = rows
    .map((x, i) => ({ t: x.t, freq: x.freq, i }))
    .filter((x) => x.freq < SIMILAR_COMMON_FREQUENCY)
    .sort((a, b) => a.freq - b.freq || a.i - b.i)
    .slice(0, SIMILAR_CORE_TERMS)
    .map((x) => x.t);
  return { terms: rows.map((x) => x.t), weights, core, total: weights.reduce((a, b) => a + b, 0) };
}

function tsLiteral(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A text query matching what shares at least two of the core words (any pair of them). */
function pairsQuery(core: readonly string[]): string {
  const pairs: string[] = [];
  for (let i = 0; i < core.length; i++) {
    for (let j = i + 1; j < core.length; j++) pairs.push(`(${tsLiteral(core[i]!)} & ${tsLiteral(core[j]!)})`);
  }
  return pairs.join(' | ');
}

type Source = { weighted: WeightedTerms; department: string | null; text: string };

async function similarPosts(
  db: Queryable,
  viewer: Viewer,
  src: Source & { excludePostId: string | null; excludeCommunityId: string | null },
  limit: number,
  now: Date,
): Promise<SimilarPost[]> {
  const w = src.weighted;
  if (w.core.length < SIMILAR_MIN_SHARED) return [];
  const r = await db.query<{
    id: string; kind: string; title: string; community_id: string | null; community_name: string | null;
    author_id: string; author_name: string; department: string | null; created_at: Date; score: number; shared: string[];
  }>(
    `with matching as materialized (
       -- The full-text index first: only posts sharing two of the rarest words go further.
       select p.tenant_id, p.id, p.kind, p.title, p.community_id, p.author_id, p.created_at, p.hidden_at, p.deleted_at, p.search
         from posts p where p.search @@ $4::tsquery and p.tenant_id = $1),
     cand as (
       select p.id, p.kind, p.title, p.community_id, c.name as community_name, p.author_id, a.display_name as author_name,
              a.department, p.created_at, tsvector_to_array(p.search) as lex
         from matching p
         join people a on a.tenant_id = p.tenant_id and a.id = p.author_id
         left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
        where p.kind in ('discussion', 'question', 'idea') and p.created_at >= $7::timestamptz
          and a.department is not null and a.department is distinct from $8::text
          and ($9::uuid is null or p.id <> $9::uuid)
          and ($10::uuid is null or p.community_id is distinct from $10::uuid)
          and ${sqlPostReadable('p', 'c', '$2', '$3::boolean')}),
     scored as (
       select cand.*,
              array(select u.t from unnest($5::text[], $6::float8[]) u(t, w) where u.t = any(cand.lex) order by u.w desc, u.t) as shared,
              (select coalesce(sum(u.w), 0) from unnest($5::text[], $6::float8[]) u(t, w) where u.t = any(cand.lex))::float8 as weight
         from cand)
     select id, kind, title, community_id, community_name, author_id, author_name, department, created_at, shared,
            (weight / $11::float8 + 0.3 * similarity(ruche_fold(title), ruche_fold($12::text)))::float8 as score
       from scored where cardinality(shared) >= ${SIMILAR_MIN_SHARED}
      order by score desc, created_at desc, id limit $13`,
    [
      viewer.tenantId, viewer.personId, isTenantAdmin(viewer), pairsQuery(w.core), w.terms, w.weights,
      new Date(now.getTime() - SIMILAR_WINDOW_DAYS * 86_400_000), src.department, src.excludePostId, src.excludeCommunityId,
      Math.max(w.total, 1e-9), src.text, limit,
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
  src: Source & { excludeCommunityId: string | null },
  limit: number,
): Promise<SimilarCommunity[]> {
  const w = src.weighted;
  if (w.core.length < SIMILAR_MIN_SHARED) return [];
  const r = await db.query<{
    id: string; slug: string; name: string; kind: string; visibility: string; department: string | null; members: number; score: number; shared: string[];
  }>(
    `with cand as materialized (
       -- The profiles' word index first: only communities sharing one of the rarest words go further.
       select sp.community_id, sp.lexemes, sp.public_lexemes, sp.department
         from similar_community_profiles sp
        where sp.tenant_id = $1 and sp.lexemes && $4::text[] and ($7::uuid is null or sp.community_id <> $7::uuid)),
     vis as (
       select c.id, c.slug, c.name, c.kind, c.visibility, ${sqlCommunityDepartment('c', 'sp')} as department,
              case when ${sqlCommunityReadable('c', '$2', '$3::boolean')} then sp.lexemes else sp.public_lexemes end as lex
         from cand sp join communities c on c.tenant_id = $1 and c.id = sp.community_id
        where c.archived_at is null and ${sqlCommunityVisible('c', '$2', '$3::boolean')}),
     scored as (
       select vis.*, array(select u.t from unnest($5::text[], $6::float8[]) u(t, w) where u.t = any(vis.lex) order by u.w desc, u.t) as shared,
              (select coalesce(sum(u.w), 0) from unnest($5::text[], $6::float8[]) u(t, w) where u.t = any(vis.lex))::float8 as weight
         from vis
        where (select count(*) from unnest($4::text[]) k where k = any(vis.lex)) >= ${SIMILAR_MIN_SHARED}
          and vis.department is not null and vis.department is distinct from $8::text)
     select s.id, s.slug, s.name, s.kind, s.visibility, s.department, s.shared,
            (select count(*)::int from memberships m where m.tenant_id = $1 and m.community_id = s.id and m.state = 'active') as members,
            (s.weight / $9::float8 + 0.3 * similarity(ruche_fold(s.name), ruche_fold($10::text)))::float8 as score
       from scored s
      order by score desc, s.name, s.id limit $11`,
    [
      viewer.tenantId, viewer.personId, isTenantAdmin(viewer), w.core, w.terms, w.weights, src.excludeCommunityId, src.department,
      Math.max(w.total, 1e-9), src.text, limit,
    ],
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
export async function similarToPost(db: Db, viewer: Viewer, postId: string, options: SimilarOptions = {}, now: Date = new Date()): Promise<SimilarWork> {
  const limit = limitOf(options);
  const post = await loadPostFor(db, viewer, postId, 'read');
  await ensureSimilarProfiles(db, viewer.tenantId);
  const src = await postTerms(db, viewer.tenantId, post.id);
  const base = { weighted: await weighTerms(db, viewer.tenantId, src.terms), department: src.department, text: src.title };
  return {
    source: { type: 'post', id: post.id, department: src.department },
    posts: await similarPosts(db, viewer, { ...base, excludePostId: post.id, excludeCommunityId: null }, limit, now),
    communities: await similarCommunities(db, viewer, { ...base, excludeCommunityId: post.communityId }, limit),
  };
}

/** Similar work elsewhere for a community (id or slug) the viewer may see (NOT_FOUND otherwise). */
export async function similarToCommunity(db: Db, viewer: Viewer, communityRef: string, options: SimilarOptions = {}, now: Date = new Date()): Promise<SimilarWork> {
  const limit = limitOf(options);
  const row = await loadCommunityRow(db, viewer, communityRef);
  assertOnCommunity(viewer, 'see', row ? factsOf(row) : undefined);
  const communityId = row!.id;
  await ensureSimilarProfiles(db, viewer.tenantId);
  const src = await communityTerms(db, viewer, communityId);
  const base = { weighted: await weighTerms(db, viewer.tenantId, src.terms), department: src.department, text: src.name };
  return {
    source: { type: 'community', id: communityId, department: src.department },
    posts: await similarPosts(db, viewer, { ...base, excludePostId: null, excludeCommunityId: communityId }, limit, now),
    communities: await similarCommunities(db, viewer, { ...base, excludeCommunityId: communityId }, limit),
  };
}
