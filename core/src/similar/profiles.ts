/**
 * Precomputed inputs of "same work elsewhere" (migration 018):
 * - per tenant, how many posts use each word (full-text lexeme), counted incrementally
 *   from a watermark on (created_at, id), so word weights do not depend on ANALYZE;
 * - per community, its best words: from its name and description (what anyone who may see
 *   it may know) and also from its recent post titles (for those who may read it), with the
 *   department most of its members work in.
 * A similarity call reads them through indexes; the `similar.profiles` job keeps them fresh
 * (communities with new posts or edits, and every profile once a day), and a call builds
 * whatever is missing.
 */
import type { Db, Queryable } from '../store/db.js';

/** Words kept per community profile. */
export const SIMILAR_PROFILE_TERMS = 200;
/** Recent post titles that describe a community, with its name and description. */
export const SIMILAR_PROFILE_TITLES = 30;
/** A profile is rebuilt at least this often (members' department, edited titles). */
export const SIMILAR_PROFILE_MAX_AGE_HOURS = 24;
/** Posts counted per statement when word frequencies are brought up to date. */
const FREQUENCY_BATCH = 5000;
/** Communities profiled per statement. */
const PROFILE_BATCH = 200;

/** Short words of English and French that say nothing of the subject (the 'ruche' configuration keeps every word). */
export const SIMILAR_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'the and for with from that this these those have has had are was were will would could should about into over under ' +
    'our your their them they what which when where who why how not but all any can may more most other some such than then ' +
    'there here just also very only been being its it’s you yours ours his her him she he we us a an of on in to is be by or ' +
    'les des une pour dans avec sur par pas plus que qui quoi est sont ont aux ces ses mes tes nos vos leur leurs cette ' +
    'cet mais donc car comme tout tous toute toutes fait faire elle elles ils nous vous son sur entre sans sous chez ' +
    'être avoir été etre avez avons suis lui moi toi notre votre aussi bien tres très peu encore deja déjà vers hello bonjour merci thanks'
  ).split(/\s+/),
);
const stopWords = [...SIMILAR_STOP_WORDS];

/** SQL: the best words of tsvector `v`, title (weight A) words first, then the most frequent; $3 = stop words, $4 = how many. */
function sqlBestWords(v: string): string {
  return `array(select l.lexeme from unnest(${v}) l
     where char_length(l.lexeme) >= 3 and l.lexeme <> all($3::text[]) and l.lexeme !~ '^[0-9]+$'
     order by ('A' = any(l.weights::text[])) desc, coalesce(array_length(l.positions, 1), 1) desc, l.lexeme limit $4)`;
}

/** Counts the words of the tenant's posts created since the last count (all of them the first time). Returns the posts counted. */
export async function refreshSimilarWordFrequencies(db: Db, tenantId: string): Promise<number> {
  let counted = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      await tx.query('insert into similar_word_counts (tenant_id, posts) values ($1, 0) on conflict (tenant_id) do nothing', [tenantId]);
      // One counter at a time per tenant (the row lock), and the watermark kept in SQL (microseconds, not a JS Date's milliseconds).
      await tx.query('select 1 from similar_word_counts where tenant_id = $1 for update', [tenantId]);
      const r = await tx.query<{ n: number }>(
        `with mark as (select through_at, through_id from similar_word_counts where tenant_id = $1),
         batch as materialized (
           select p.id, p.created_at, p.search from posts p, mark
            where p.tenant_id = $1 and p.deleted_at is null
              and (p.created_at, p.id) > (coalesce(mark.through_at, '-infinity'::timestamptz), coalesce(mark.through_id, '00000000-0000-0000-0000-000000000000'::uuid))
            order by p.created_at, p.id limit $2),
         words as (
           select l as lexeme, count(*)::int as n from batch b, unnest(tsvector_to_array(b.search)) l group by l),
         up as (
           insert into similar_word_frequencies (tenant_id, lexeme, posts) select $1, lexeme, n from words
           on conflict (tenant_id, lexeme) do update set posts = similar_word_frequencies.posts + excluded.posts),
         last as (select created_at, id from batch order by created_at desc, id desc limit 1),
         moved as (
           update similar_word_counts k set posts = k.posts + (select count(*) from batch),
                  through_at = coalesce((select created_at from last), k.through_at),
                  through_id = coalesce((select id from last), k.through_id), refreshed_at = now()
            where k.tenant_id = $1)
         select count(*)::int as n from batch`,
        [tenantId, FREQUENCY_BATCH],
      );
      const x = r.rows[0]!;
      return x.n;
    });
    counted += n;
    if (n < FREQUENCY_BATCH) return counted;
  }
}

/** Builds (or rebuilds) the profiles of some communities of a tenant. */
async function buildProfiles(db: Queryable, tenantId: string, communityIds: readonly string[]): Promise<void> {
  for (let i = 0; i < communityIds.length; i += PROFILE_BATCH) {
    const ids = communityIds.slice(i, i + PROFILE_BATCH);
    await db.query(
      `insert into similar_community_profiles (tenant_id, community_id, lexemes, public_lexemes, department, refreshed_at)
       select c.tenant_id, c.id,
              ${sqlBestWords(`(c.search || to_tsvector('ruche', coalesce((
                 select string_agg(tp.title, ' ') from (
                   select p0.title from posts p0 where p0.tenant_id = c.tenant_id and p0.community_id = c.id
                     and p0.deleted_at is null and p0.hidden_at is null and p0.kind <> 'announcement'
                   order by p0.created_at desc, p0.id desc limit ${SIMILAR_PROFILE_TITLES}) tp), '')))`)},
              ${sqlBestWords('c.search')},
              (select mode() within group (order by pd.department) from memberships md
                 join people pd on pd.tenant_id = md.tenant_id and pd.id = md.person_id
                where md.tenant_id = c.tenant_id and md.community_id = c.id and md.state = 'active' and pd.department is not null),
              now()
         from communities c where c.tenant_id = $1 and c.id = any($2::uuid[])
       on conflict (tenant_id, community_id) do update
         set lexemes = excluded.lexemes, public_lexemes = excluded.public_lexemes, department = excluded.department, refreshed_at = excluded.refreshed_at`,
      [tenantId, ids, stopWords, SIMILAR_PROFILE_TERMS],
    );
  }
}

/**
 * Brings a tenant's community profiles up to date: missing ones always; with `stale`, also
 * those whose community changed or got a post since, and those older than a day. Returns how
 * many were built.
 */
export async function refreshCommunityProfiles(db: Queryable, tenantId: string, options: { stale?: boolean } = {}): Promise<number> {
  const r = await db.query<{ id: string }>(
    `select c.id from communities c
       left join similar_community_profiles sp on sp.tenant_id = c.tenant_id and sp.community_id = c.id
      where c.tenant_id = $1
        and (sp.community_id is null or ($2::boolean and c.archived_at is null and (
          c.updated_at > sp.refreshed_at or sp.refreshed_at < now() - make_interval(hours => $3)
          or exists (select 1 from posts p where p.tenant_id = c.tenant_id and p.community_id = c.id and p.created_at > sp.refreshed_at))))
      order by c.id`,
    [tenantId, options.stale === true, SIMILAR_PROFILE_MAX_AGE_HOURS],
  );
  const ids = r.rows.map((x) => x.id);
  await buildProfiles(db, tenantId, ids);
  return ids.length;
}

/** What a similarity call needs, built on demand when missing (first call in a tenant, new communities). */
export async function ensureSimilarProfiles(db: Db, tenantId: string): Promise<void> {
  const counted = await db.query('select 1 from similar_word_counts where tenant_id = $1', [tenantId]);
  if (counted.rowCount === 0) await refreshSimilarWordFrequencies(db, tenantId);
  await refreshCommunityProfiles(db, tenantId);
}

/** Counts drift from the posts (deleted posts, posts dated before the watermark) by more than this share before a full recount. */
export const SIMILAR_RECOUNT_DRIFT = 0.05;

/** Forgets a tenant's word counts and counts every post again. Returns the posts counted. */
export async function recountSimilarWordFrequencies(db: Db, tenantId: string): Promise<number> {
  await db.transaction(async (tx) => {
    await tx.query('delete from similar_word_counts where tenant_id = $1', [tenantId]);
    await tx.query('delete from similar_word_frequencies where tenant_id = $1', [tenantId]);
  });
  return refreshSimilarWordFrequencies(db, tenantId);
}

/**
 * The hourly refresh of a tenant: new posts' words counted, changed communities re-profiled.
 * When the posts counted and the posts there are drift apart (deletions, late or back-dated
 * posts), the words are counted again from scratch.
 */
export async function refreshSimilarProfiles(db: Db, tenantId: string): Promise<{ posts: number; communities: number }> {
  let posts = await refreshSimilarWordFrequencies(db, tenantId);
  const drift = await db.query<{ counted: number; actual: number }>(
    `select (select posts from similar_word_counts where tenant_id = $1)::int as counted,
            (select count(*) from posts where tenant_id = $1 and deleted_at is null)::int as actual`,
    [tenantId],
  );
  const d = drift.rows[0]!;
  if (Math.abs(d.counted - d.actual) > Math.max(50, SIMILAR_RECOUNT_DRIFT * d.actual)) posts = await recountSimilarWordFrequencies(db, tenantId);
  const communities = await refreshCommunityProfiles(db, tenantId, { stale: true });
  return { posts, communities };
}

/** Word frequencies of some words in a tenant's posts, aligned with `terms`, and the posts counted. */
export async function wordFrequencies(db: Queryable, tenantId: string, terms: readonly string[]): Promise<{ posts: number[]; total: number }> {
  const r = await db.query<{ n: number; total: number }>(
    `select coalesce(f.posts, 0)::int as n, coalesce((select posts from similar_word_counts where tenant_id = $1), 0)::int as total
       from unnest($2::text[]) with ordinality u(t, i)
       left join similar_word_frequencies f on f.tenant_id = $1 and f.lexeme = u.t
      order by u.i`,
    [tenantId, terms],
  );
  return { posts: r.rows.map((x) => x.n), total: r.rows[0]?.total ?? 0 };
}
