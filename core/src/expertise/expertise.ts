/**
 * The expertise finder: people ranked by evidence for a free-text subject (French or
 * English, typos tolerated), each result explained. Evidence: declared skills,
 * endorsements, accepted answers in the matching topics, kudos that mention the subject,
 * posts written on it, and expert roles in communities whose name matches. Only evidence
 * the viewer may see counts: posts and answers in communities the viewer may read (the
 * policy's SQL predicate), public kudos and community kudos of readable communities.
 */
import { performance } from 'node:perf_hooks';
import type { Db, Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';
import { type Viewer, isTenantAdmin, sqlCommunityVisible, sqlReadableCommunityIds, sqlKudosEvidence } from '../policy/policy.js';

export const EXPERT_QUERY_MAX = 200;
export const EXPERT_LIMIT_MAX = 50;
/** Candidates taken from the public topic evidence, best first, before exact scoring. */
const TOPIC_CANDIDATES = 50;
/** Candidates taken from each other source (declared, endorsed, kudos), strongest first. */
const SOURCE_CANDIDATES = 30;
/** Kudos read to propose candidates (their exact count is read per candidate). */
const KUDOS_SCAN = 300;
/** When no topic matches, posts found by full text count, up to this many. */
const TEXT_POSTS_MAX = 1000;
/** The community id of organisation-wide posts in expertise_evidence. */
const NIL = '00000000-0000-0000-0000-000000000000';

/** How much each kind of evidence weighs, and where it stops adding (explainable, capped). */
export const EXPERTISE_WEIGHTS = {
  declared: 3,
  endorsement: 1,
  endorsementCap: 5,
  acceptedAnswer: 3,
  acceptedAnswerCap: 6,
  kudos: 2,
  kudosCap: 4,
  post: 1,
  postCap: 6,
  communityExpert: 4,
} as const;

export type ExpertRanking = 'evidence' | 'declared';

export interface ExpertSearchInput {
  q: string;
  office?: string | undefined;
  department?: string | undefined;
  /** A spoken language (as people list it in their profile) or a preferred-language prefix ("fr"). */
  language?: string | undefined;
  limit?: number | undefined;
  /** 'declared' ranks by declared skills and endorsements only (the baseline of the benchmark). */
  ranking?: ExpertRanking | undefined;
}

export interface ExpertiseEvidence {
  declaredSkills: string[];
  endorsements: number;
  acceptedAnswers: number;
  posts: number;
  kudos: number;
  expertIn: { id: string; name: string }[];
  /** The matching topic the evidence is mostly about (for "#kubernetes"). */
  topic: { id: string; slug: string; name: string } | null;
}

export interface ExpertReason {
  /** A sentence key of the UI catalogue, e.g. 'expertise.reason.acceptedAnswers'. */
  key: string;
  params: Record<string, string | number>;
}

export interface ExpertHit {
  person: { id: string; displayName: string; jobTitle: string | null; department: string | null; office: string | null };
  score: number;
  /** True when the person has evidence but declared no matching skill. */
  undeclared: boolean;
  evidence: ExpertiseEvidence;
  reasons: ExpertReason[];
  /** The reasons as one sentence in the viewer's language (en or fr). */
  why: string;
}

export interface ExpertSearchResult {
  query: string;
  topics: { id: string; slug: string; name: string }[];
  skills: string[];
  items: ExpertHit[];
}

interface Row {
  id: string;
  display_name: string;
  job_title: string | null;
  department: string | null;
  office: string | null;
  score: number;
  declared: string[] | null;
  endorsements: number;
  answers: number;
  posts: number;
  kudos: number;
  expert_in: { id: string; name: string }[] | null;
  topic_id: string | null;
}

function clean(q: string): string {
  return q.replace(/[\u0000-\u001f]/g, ' ').replace(/\s+/g, ' ').trim();
}

const W = EXPERTISE_WEIGHTS;

function scoreSql(): string {
  return `(${W.declared} * (ev.skills is not null)::int
    + ${W.endorsement} * least(ev.endorsements, ${W.endorsementCap})
    + ${W.acceptedAnswer} * least(ev.answers, ${W.acceptedAnswerCap})
    + ${W.kudos} * least(ev.kudos, ${W.kudosCap})
    + ${W.post} * least(ev.posts, ${W.postCap})
    + ${W.communityExpert} * (x.pid is not null)::int)::float8`;
}

/**
 * Recomputes the topic evidence of a tenant (posts and accepted answers per topic,
 * community and person; the public share with its score). Run it periodically and after
 * bulk loads; the expert search reads it.
 */
export async function refreshExpertiseEvidence(db: Db, tenantId: string): Promise<{ rows: number; ms: number }> {
  const t0 = performance.now();
  let rows = 0;
  await db.transaction(async (tx) => {
    await tx.query('delete from expertise_evidence where tenant_id = $1', [tenantId]);
    await tx.query('delete from expertise_evidence_public where tenant_id = $1', [tenantId]);
    const r = await tx.query(
      `insert into expertise_evidence (tenant_id, topic_id, community_id, person_id, posts, accepted_answers)
       select $1, topic_id, community_id, person_id, sum(posts), sum(answers) from (
         select pt.topic_id, coalesce(p.community_id, '${NIL}') as community_id, p.author_id as person_id, 1 as posts, 0 as answers
           from post_topics pt join posts p on p.tenant_id = pt.tenant_id and p.id = pt.post_id
          where pt.tenant_id = $1 and p.deleted_at is null and p.hidden_at is null
         union all
         select pt.topic_id, coalesce(p.community_id, '${NIL}'), cm.author_id, 0, 1
           from posts p join comments cm on cm.tenant_id = p.tenant_id and cm.id = p.accepted_comment_id
           join post_topics pt on pt.tenant_id = p.tenant_id and pt.post_id = p.id
          where p.tenant_id = $1 and p.accepted_comment_id is not null and p.deleted_at is null and p.hidden_at is null
            and cm.deleted_at is null and cm.hidden_at is null and cm.author_id <> p.author_id) u
       group by topic_id, community_id, person_id`,
      [tenantId],
    );
    rows = r.rowCount;
    await tx.query(
      `insert into expertise_evidence_public (tenant_id, topic_id, person_id, posts, accepted_answers, score)
       select $1, ee.topic_id, ee.person_id, sum(ee.posts), sum(ee.accepted_answers),
              ${W.post} * least(sum(ee.posts), ${W.postCap}) + ${W.acceptedAnswer} * least(sum(ee.accepted_answers), ${W.acceptedAnswerCap})
         from expertise_evidence ee left join communities c on c.tenant_id = ee.tenant_id and c.id = ee.community_id
        where ee.tenant_id = $1 and (ee.community_id = '${NIL}' or c.visibility = 'public')
        group by ee.topic_id, ee.person_id`,
      [tenantId],
    );
    await tx.query(
      `insert into expertise_skill_names (tenant_id, name)
       select $1, skill from person_skills where tenant_id = $1 union select $1, skill from endorsements where tenant_id = $1
       on conflict do nothing`,
      [tenantId],
    );
    await tx.query(
      `insert into expertise_refresh (tenant_id, refreshed_at) values ($1, now())
       on conflict (tenant_id) do update set refreshed_at = excluded.refreshed_at`,
      [tenantId],
    );
  });
  return { rows, ms: Math.round(performance.now() - t0) };
}

/** When the topic evidence of a tenant was last recomputed (null: never). */
export async function expertiseEvidenceRefreshedAt(db: Queryable, tenantId: string): Promise<Date | null> {
  const r = await db.query<{ refreshed_at: Date }>('select refreshed_at from expertise_refresh where tenant_id = $1', [tenantId]);
  return r.rows[0]?.refreshed_at ?? null;
}

/**
 * Finds experts for a subject. Matching topics and skill names by trigram similarity of
 * their folded names (typos, accents); posts by the 'ruche' full-text configuration on the
 * query and on the matching names.
 */
export async function findExperts(db: Db, viewer: Viewer, input: ExpertSearchInput): Promise<ExpertSearchResult> {
  const q = clean(input.q);
  if (q.length === 0) throw new RucheError('VALIDATION_FAILED', 'Say what you are looking for', { details: { field: 'q' } });
  if (q.length > EXPERT_QUERY_MAX) throw new RucheError('VALIDATION_FAILED', 'The query is too long', { details: { field: 'q' } });
  const limit = input.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > EXPERT_LIMIT_MAX) {
    throw new RucheError('VALIDATION_FAILED', `limit must be from 1 to ${EXPERT_LIMIT_MAX}`, { details: { field: 'limit' } });
  }
  const ranking = input.ranking ?? 'evidence';
  const admin = isTenantAdmin(viewer);
  const evidence = ranking === 'evidence';

  // Topics and skill names first (small, index-backed): they drive the rest.
  const names = await db.query<{ kind: 'topic' | 'skill'; id: string | null; slug: string | null; name: string }>(
    `(select 'topic' as kind, t.id, t.slug, t.name from topics t
       where t.tenant_id = $1 and (ruche_fold($2) % ruche_fold(t.name) or ruche_fold($2) <% ruche_fold(t.name))
       order by word_similarity(ruche_fold($2), ruche_fold(t.name)) desc, similarity(ruche_fold($2), ruche_fold(t.name)) desc, t.name
       limit 3)
     union all
     (select 'skill', null, null, s.name from expertise_skill_names s
       where s.tenant_id = $1 and (ruche_fold($2) % ruche_fold(s.name) or ruche_fold($2) <% ruche_fold(s.name))
       order by word_similarity(ruche_fold($2), ruche_fold(s.name)) desc, s.name
       limit 5)`,
    [viewer.tenantId, q],
  );
  const topics = names.rows.filter((r) => r.kind === 'topic').map((r) => ({ id: r.id!, slug: r.slug!, name: r.name }));
  const skills = names.rows.filter((r) => r.kind === 'skill').map((r) => r.name);
  const folded = [...new Set([...skills, ...topics.map((t) => t.name)])];
  // The text query: what was typed, or any of the matching names (quoted phrases).
  const phrases = folded.map((n) => `"${n.replace(/"/g, ' ')}"`);
  const textQuery = [q.replace(/\bor\b/gi, ' '), ...phrases].join(' or ');

  const filters: string[] = [];
  const params: unknown[] = [viewer.tenantId, viewer.personId, admin, topics.map((t) => t.id), folded, textQuery, limit, q];
  if (input.office) {
    params.push(input.office);
    filters.push(`ruche_fold(pp.office) = ruche_fold($${params.length})`);
  }
  if (input.department) {
    params.push(input.department);
    filters.push(`ruche_fold(pp.department) = ruche_fold($${params.length})`);
  }
  if (input.language) {
    params.push(input.language);
    const l = `$${params.length}`;
    filters.push(`(exists (select 1 from unnest(pp.languages) sl where ruche_fold(sl) = ruche_fold(${l}) or ruche_fold(sl) like ruche_fold(${l}) || '-%')
      or lower(pp.preferred_language) = lower(${l}) or lower(pp.preferred_language) like lower(${l}) || '-%')`);
  }

  const textPosts = evidence && topics.length === 0;
  const sql = `
    with nm as (select ruche_fold(x) as f from unnest($5::text[]) x),
    nma as (select coalesce(array_agg(f), '{}') as fs from nm),
    rc as (${sqlReadableCommunityIds('$1', '$2', '$3::boolean')}),
    -- Candidates from topic evidence: the best public evidence, and whoever has evidence in
    -- the non-public communities the viewer reads.
    tc as (
      select ep.pid from unnest($4::uuid[]) as mt(id) cross join lateral (
        select ep.person_id as pid from expertise_evidence_public ep
         where ${evidence} and ep.tenant_id = $1 and ep.topic_id = mt.id
         order by ep.score desc limit ${TOPIC_CANDIDATES}) ep
      union
      select x.pid from (${sqlReadableCommunityIds('$1', '$2', '$3::boolean', { nonPublicOnly: true })}) vc
        cross join lateral (
          select ee.person_id as pid from unnest($4::uuid[]) as mt(id)
            join expertise_evidence ee on ee.tenant_id = $1 and ee.topic_id = mt.id and ee.community_id = vc.id
           where ${evidence} offset 0) x),
    xp as (
      select p.author_id from posts p
       where ${textPosts} and p.tenant_id = $1 and p.search @@ websearch_to_tsquery('ruche', $8)
         and p.deleted_at is null and p.hidden_at is null
         and (p.community_id is null or p.community_id in (select id from rc))
       limit ${TEXT_POSTS_MAX}),
    xw as (select author_id as pid, count(*)::int as n from xp group by author_id),
    dp as (
      select ps.person_id as pid from person_skills ps
       where ps.tenant_id = $1 and ps.source in ('declared', 'directory') and ruche_fold(ps.skill) in (select f from nm)
       limit ${SOURCE_CANDIDATES}),
    e as (
      select en.person_id as pid, count(distinct en.endorser_id)::int as n from endorsements en
       where en.tenant_id = $1 and ruche_fold(en.skill) in (select f from nm)
       group by en.person_id),
    k as (
      select kr.recipient_id as pid, count(distinct kd.id)::int as n from (
        select kd.id, kd.tenant_id from kudos kd
         where ${evidence} and kd.tenant_id = $1 and kd.deleted_at is null
           and kd.search @@ websearch_to_tsquery('ruche', $6)
           and ${sqlKudosEvidence('kd', '$2', '$3::boolean')}
         limit ${KUDOS_SCAN}) kd
        join kudos_recipients kr on kr.tenant_id = kd.tenant_id and kr.kudos_id = kd.id
       group by kr.recipient_id),
    x as (
      select m.person_id as pid, jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name) order by c.name) as expert_in
        from communities c join memberships m on m.tenant_id = c.tenant_id and m.community_id = c.id
       where ${evidence} and c.tenant_id = $1 and c.archived_at is null
         and ruche_fold($8) <% ruche_fold(c.name)
         and m.role = 'expert' and m.state = 'active' and ${sqlCommunityVisible('c', '$2', '$3::boolean')}
       group by m.person_id),
    -- Each source proposes its best candidates only; the exact score is computed for them.
    dc as (select pid from dp),
    ec as (select pid from e order by n desc, pid limit ${SOURCE_CANDIDATES}),
    kc as (select pid from k order by n desc, pid limit ${SOURCE_CANDIDATES}),
    cand as (select pid from tc union select pid from xw union select pid from dc union select pid from ec
             union select pid from kc union select pid from x),
    -- The exact evidence of each candidate, read through indexes (topic evidence only in communities the viewer reads).
    ev as (
      select cand.pid, t.posts + coalesce(xw.n, 0) as posts, t.answers, t.topic_id, d.skills, coalesce(e.n, 0) as endorsements, k.n as kudos
        from cand
        left join xw on xw.pid = cand.pid
        left join e on e.pid = cand.pid
        cross join lateral (
          select coalesce(sum(ee.posts), 0)::int as posts, coalesce(sum(ee.accepted_answers), 0)::int as answers,
                 (array_agg(ee.topic_id order by ee.accepted_answers desc, ee.posts desc))[1] as topic_id
            from expertise_evidence ee
           where ${evidence} and ee.tenant_id = $1 and ee.topic_id = any($4::uuid[]) and ee.person_id = cand.pid
             and (ee.community_id = '${NIL}' or ee.community_id in (select id from rc))) t
        cross join lateral (
          select array_agg(distinct ps.skill) as skills from person_skills ps
           where ps.tenant_id = $1 and ps.person_id = cand.pid and ps.source in ('declared', 'directory')
             and ruche_fold(ps.skill) = any((select fs from nma)::text[])) d
        cross join lateral (
          select count(distinct kd.id)::int as n from kudos_recipients kr join kudos kd on kd.tenant_id = kr.tenant_id and kd.id = kr.kudos_id
           where ${evidence} and kr.tenant_id = $1 and kr.recipient_id = cand.pid and kd.deleted_at is null
             and kd.search @@ websearch_to_tsquery('ruche', $6)
             and ${sqlKudosEvidence('kd', '$2', '$3::boolean')}) k)
    select pp.id, pp.display_name, pp.job_title, pp.department, pp.office,
           ${scoreSql()} as score,
           ev.skills as declared, ev.endorsements, ev.answers, ev.posts, ev.kudos, x.expert_in,
           ev.topic_id
      from ev
      left join x on x.pid = ev.pid
      cross join lateral (select * from people pp where pp.tenant_id = $1 and pp.id = ev.pid and not pp.is_former_employee offset 0) pp
     where ${evidence ? 'true' : 'ev.skills is not null'} ${filters.map((f) => `and ${f}`).join(' ')}
     order by score desc, pp.display_name, pp.id
     limit $7`;
  const r = await db.query<Row>(sql, params);
  const lang = await viewerLanguage(db, viewer);
  const topicById = new Map(topics.map((t) => [t.id, t]));
  const items = r.rows.map((row): ExpertHit => {
    const ev: ExpertiseEvidence = {
      declaredSkills: row.declared ?? [],
      endorsements: row.endorsements,
      acceptedAnswers: row.answers,
      posts: row.posts,
      kudos: row.kudos,
      expertIn: row.expert_in ?? [],
      topic: (row.topic_id && topicById.get(row.topic_id)) || null,
    };
    const reasons = explain(ev, q);
    return {
      person: { id: row.id, displayName: row.display_name, jobTitle: row.job_title, department: row.department, office: row.office },
      score: evidence ? row.score : W.declared + Math.min(row.endorsements, W.endorsementCap),
      undeclared: ev.declaredSkills.length === 0,
      evidence: ev,
      reasons,
      why: renderReasons(reasons, lang),
    };
  });
  if (!evidence) items.sort((x, y) => y.score - x.score || x.person.displayName.localeCompare(y.person.displayName));
  return { query: q, topics, skills, items };
}

async function viewerLanguage(db: Queryable, viewer: Viewer): Promise<'en' | 'fr'> {
  const r = await db.query<{ l: string | null }>('select preferred_language as l from people where tenant_id = $1 and id = $2', [
    viewer.tenantId,
    viewer.personId,
  ]);
  return r.rows[0]?.l?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The reasons of a result, strongest evidence first, as sentence keys with parameters. */
export function explain(ev: ExpertiseEvidence, query: string): ExpertReason[] {
  const topic = ev.topic ? `#${ev.topic.slug}` : query;
  const out: ExpertReason[] = [];
  if (ev.acceptedAnswers > 0) out.push({ key: 'expertise.reason.acceptedAnswers', params: { count: ev.acceptedAnswers, topic } });
  if (ev.endorsements > 0) out.push({ key: 'expertise.reason.endorsed', params: { count: ev.endorsements } });
  if (ev.declaredSkills.length > 0) out.push({ key: 'expertise.reason.declared', params: { skill: ev.declaredSkills.join(', ') } });
  if (ev.kudos > 0) out.push({ key: 'expertise.reason.kudos', params: { count: ev.kudos, topic } });
  if (ev.posts > 0) out.push({ key: 'expertise.reason.posts', params: { count: ev.posts, topic } });
  for (const c of ev.expertIn) out.push({ key: 'expertise.reason.communityExpert', params: { community: c.name } });
  return out;
}

type Plural = { one: string; other: string };
const sentences: Record<'en' | 'fr', Record<string, Plural>> = {
  en: {
    'expertise.reason.acceptedAnswers': { one: '1 accepted answer in {topic}', other: '{count} accepted answers in {topic}' },
    'expertise.reason.endorsed': { one: 'endorsed by 1 colleague', other: 'endorsed by {count} colleagues' },
    'expertise.reason.declared': { one: 'lists {skill} as a skill', other: 'lists {skill} as a skill' },
    'expertise.reason.kudos': { one: '1 kudos mentioning {topic}', other: '{count} kudos mentioning {topic}' },
    'expertise.reason.posts': { one: '1 post on {topic}', other: '{count} posts on {topic}' },
    'expertise.reason.communityExpert': { one: 'expert of the community {community}', other: 'expert of the community {community}' },
  },
  fr: {
    'expertise.reason.acceptedAnswers': { one: '1 réponse acceptée dans {topic}', other: '{count} réponses acceptées dans {topic}' },
    'expertise.reason.endorsed': { one: 'recommandé par 1 collègue', other: 'recommandé par {count} collègues' },
    'expertise.reason.declared': { one: 'indique {skill} dans ses compétences', other: 'indique {skill} dans ses compétences' },
    'expertise.reason.kudos': { one: '1 kudos mentionnant {topic}', other: '{count} kudos mentionnant {topic}' },
    'expertise.reason.posts': { one: '1 publication sur {topic}', other: '{count} publications sur {topic}' },
    'expertise.reason.communityExpert': { one: 'expert de la communauté {community}', other: 'expert de la communauté {community}' },
  },
};

export function renderReasons(reasons: readonly ExpertReason[], lang: 'en' | 'fr'): string {
  return reasons
    .map((r) => {
      const s = sentences[lang][r.key];
      if (!s) return r.key;
      const form = r.params.count === 1 ? s.one : s.other;
      return form.replace(/\{(\w+)\}/g, (_, k: string) => String(r.params[k] ?? ''));
    })
    .join(', ');
}

/** Records skill names as they appear (declared, endorsed), so the finder matches them at once. */
export async function recordSkillNames(db: Queryable, tenantId: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await db.query('insert into expertise_skill_names (tenant_id, name) select $1, n from unnest($2::text[]) n on conflict do nothing', [tenantId, names]);
}
