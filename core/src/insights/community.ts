/**
 * Community insights, for a community's owners and moderators and tenant admins (the policy
 * decides): members, active members over 30 days, engagement rate, posts per week, median
 * time to a first answer, unanswered questions, a health status with a suggested action
 * (a code and its English and French text), announcement reach and acknowledgement per
 * org unit (the announcements module's report), interactions across departments, and a CSV
 * export of it all.
 */
import { stringify } from 'csv-stringify/sync';
import type { Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';
import { factsOf, loadCommunityRow } from '../communities/model.js';
import { type Viewer, assertOnCommunity, canSeeCommunityInsights } from '../policy/index.js';
import { announcementReport } from '../announcements/report.js';
import { safeCell } from '../announcements/report.js';
import type { AnnouncementReport, ReachCounts } from '../announcements/model.js';
import { type Connector, computeConnectors, interactionEdgesSql } from './graph.js';

export type CommunityHealth = 'growing' | 'stable' | 'declining' | 'dormant';
export type SuggestedActionCode =
  | 'revive_or_archive'
  | 'start_conversation'
  | 'answer_questions'
  | 'invite_members'
  | 'recognise_contributors';

/** Suggested actions in English and French (the UI may also translate the code). */
export const SUGGESTED_ACTIONS: Record<SuggestedActionCode, { en: string; fr: string }> = {
  revive_or_archive: {
    en: 'Nothing was posted for 30 days: ask a question to revive the community, or archive it.',
    fr: 'Rien n’a été publié depuis 30 jours : posez une question pour relancer la communauté, ou archivez-la.',
  },
  start_conversation: {
    en: 'Activity is falling: start a conversation or share news to re-engage members.',
    fr: 'L’activité baisse : lancez une discussion ou partagez une actualité pour remobiliser les membres.',
  },
  answer_questions: {
    en: 'Some questions have no answer yet: answer them or invite an expert.',
    fr: 'Certaines questions n’ont pas encore de réponse : répondez-y ou invitez un expert.',
  },
  invite_members: {
    en: 'Activity is steady: invite colleagues who work on the subject to widen the circle.',
    fr: 'L’activité est stable : invitez des collègues qui travaillent sur le sujet pour élargir le cercle.',
  },
  recognise_contributors: {
    en: 'The community is growing: thank its most active contributors.',
    fr: 'La communauté grandit : remerciez ses contributeurs les plus actifs.',
  },
};

/** Activity (posts + comments) of the last 28 days against the 28 before: growing from +25 %, declining from -25 %. */
export const HEALTH_RULES = { windowDays: 28, growth: 1.25, decline: 0.75, growingMinimum: 3 } as const;

export function healthOf(current: number, previous: number): CommunityHealth {
  if (current === 0) return 'dormant';
  if (current >= HEALTH_RULES.growingMinimum && current >= previous * HEALTH_RULES.growth) return 'growing';
  if (current <= previous * HEALTH_RULES.decline) return 'declining';
  return 'stable';
}

export function suggestedActionFor(health: CommunityHealth, unansweredQuestions: number): SuggestedActionCode {
  if (health === 'dormant') return 'revive_or_archive';
  if (unansweredQuestions > 0) return 'answer_questions';
  if (health === 'declining') return 'start_conversation';
  if (health === 'growing') return 'recognise_contributors';
  return 'invite_members';
}

export interface CommunityInsights {
  community: { id: string; slug: string; name: string; kind: string; visibility: string };
  generatedAt: string;
  members: number;
  activeMembers30d: number;
  /** Active members over 30 days / members (0 to 1). */
  engagementRate: number;
  /** Posts per week over the last 28 days, and over the 28 days before. */
  postsPerWeek: number;
  postsPerWeekBefore: number;
  /** Posts and comments over the last 28 days, and the 28 days before. */
  activity: { current: number; previous: number };
  /** Median hours from a question (last 90 days) to its first answer by someone else; null without answered questions. */
  medianHoursToFirstAnswer: number | null;
  unansweredQuestions: number;
  health: CommunityHealth;
  suggestedAction: { code: SuggestedActionCode; en: string; fr: string };
  announcements: {
    /** The community's latest announcements (at most 5) with reach and acknowledgement per department. */
    items: AnnouncementReport[];
    /** The same, summed per department. */
    byDepartment: (ReachCounts & { department: string | null })[];
  };
  crossDepartment: {
    days: number;
    interactions: number;
    crossDepartmentInteractions: number;
    /** Cross-department interactions / interactions between people with a known department (0 to 1). */
    share: number;
    pairs: { departments: [string, string]; interactions: number }[];
    connectors: Connector[];
  };
}

const DAY = 86_400_000;
export const INSIGHTS_ANNOUNCEMENTS = 5;
export const INSIGHTS_INTERACTION_DAYS = 90;

async function loadForInsights(db: Queryable, viewer: Viewer, communityRef: string): Promise<{ id: string; slug: string; name: string; kind: string; visibility: string }> {
  const row = await loadCommunityRow(db, viewer, communityRef);
  const facts = row ? factsOf(row) : undefined;
  assertOnCommunity(viewer, 'see', facts);
  if (!canSeeCommunityInsights(viewer, facts)) throw new RucheError('FORBIDDEN', 'Community insights are for its owners, moderators and tenant administrators');
  return { id: row!.id, slug: row!.slug, name: row!.name, kind: row!.kind, visibility: row!.visibility };
}

export async function getCommunityInsights(db: Queryable, viewer: Viewer, communityId: string, now: Date = new Date()): Promise<CommunityInsights> {
  const community = await loadForInsights(db, viewer, communityId);
  const t = viewer.tenantId;
  const w = HEALTH_RULES.windowDays * DAY;
  const m = await db.query<{
    members: number; active: number; posts_now: number; posts_before: number; comments_now: number; comments_before: number;
    median_hours: number | null; unanswered: number;
  }>(
    `with cp as (select id, author_id, kind, created_at, accepted_comment_id, hidden_at from posts
                  where tenant_id = $1 and community_id = $2 and deleted_at is null),
     cc as (select c.author_id, c.created_at, c.post_id from comments c join cp on cp.id = c.post_id
             where c.tenant_id = $1 and c.deleted_at is null),
     actors as (
       select author_id as person from cp where created_at >= $3::timestamptz - interval '30 days'
       union select author_id from cc where created_at >= $3::timestamptz - interval '30 days'
       union select r.person_id from reactions r join cp on r.target_type = 'post' and r.target_id = cp.id
              where r.tenant_id = $1 and r.created_at >= $3::timestamptz - interval '30 days'
       union select r.person_id from reactions r join comments c on c.tenant_id = r.tenant_id and c.id = r.target_id join cp on cp.id = c.post_id
              where r.tenant_id = $1 and r.target_type = 'comment' and r.created_at >= $3::timestamptz - interval '30 days'),
     firsts as (
       select cp.created_at, (select min(cc.created_at) from cc where cc.post_id = cp.id and cc.author_id <> cp.author_id) as first_at
         from cp where cp.kind = 'question' and cp.hidden_at is null and cp.created_at >= $3::timestamptz - interval '90 days')
     select
       (select count(*)::int from memberships where tenant_id = $1 and community_id = $2 and state = 'active') as members,
       (select count(*)::int from actors a join memberships mm on mm.tenant_id = $1 and mm.community_id = $2 and mm.person_id = a.person and mm.state = 'active') as active,
       (select count(*)::int from cp where created_at >= $3::timestamptz - $4::interval and created_at < $3) as posts_now,
       (select count(*)::int from cp where created_at >= $3::timestamptz - 2 * $4::interval and created_at < $3::timestamptz - $4::interval) as posts_before,
       (select count(*)::int from cc where created_at >= $3::timestamptz - $4::interval and created_at < $3) as comments_now,
       (select count(*)::int from cc where created_at >= $3::timestamptz - 2 * $4::interval and created_at < $3::timestamptz - $4::interval) as comments_before,
       (select (percentile_cont(0.5) within group (order by extract(epoch from first_at - created_at)) / 3600)::float8
          from firsts where first_at is not null) as median_hours,
       (select count(*)::int from cp where cp.kind = 'question' and cp.hidden_at is null and cp.accepted_comment_id is null
          and not exists (select 1 from cc where cc.post_id = cp.id and cc.author_id <> cp.author_id)) as unanswered`,
    [t, community.id, now, `${HEALTH_RULES.windowDays} days`],
  );
  const x = m.rows[0]!;
  const weeks = w / (7 * DAY);
  const current = x.posts_now + x.comments_now;
  const previous = x.posts_before + x.comments_before;
  const health = healthOf(current, previous);
  const code = suggestedActionFor(health, x.unanswered);

  // Announcement reach: the announcements module's report, asked as the viewer (the policy decides each).
  const ann = await db.query<{ id: string }>(
    `select id from posts where tenant_id = $1 and community_id = $2 and kind = 'announcement' and deleted_at is null
      order by created_at desc, id desc limit ${INSIGHTS_ANNOUNCEMENTS}`,
    [t, community.id],
  );
  const reports: AnnouncementReport[] = [];
  for (const a of ann.rows) {
    try {
      reports.push(await announcementReport(db, viewer, a.id));
    } catch (err) {
      if (err instanceof RucheError && (err.code === 'NOT_FOUND' || err.code === 'FORBIDDEN')) continue;
      throw err;
    }
  }
  const byDept = new Map<string | null, ReachCounts & { department: string | null }>();
  for (const rep of reports) {
    for (const d of rep.byDepartment) {
      const cur = byDept.get(d.department) ?? { department: d.department, audience: 0, viewed: 0, acknowledged: 0, acknowledgedEarlierVersion: 0 };
      cur.audience += d.audience;
      cur.viewed += d.viewed;
      cur.acknowledged += d.acknowledged;
      cur.acknowledgedEarlierVersion += d.acknowledgedEarlierVersion;
      byDept.set(d.department, cur);
    }
  }

  // Interactions across departments on the community's content and kudos.
  const from = new Date(now.getTime() - INSIGHTS_INTERACTION_DAYS * DAY);
  const pairs = await db.query<{ d1: string | null; d2: string | null; n: number }>(
    `with e as (${interactionEdgesSql('$1', '$2::timestamptz', '$3::uuid')})
     select least(pa.department, pb.department) as d1, greatest(pa.department, pb.department) as d2, count(*)::int as n
       from e join people pa on pa.tenant_id = $1 and pa.id = e.a join people pb on pb.tenant_id = $1 and pb.id = e.b
      where e.a <> e.b
      group by 1, 2 order by n desc, d1 nulls last, d2 nulls last`,
    [t, from, community.id],
  );
  let interactions = 0;
  let known = 0;
  let cross = 0;
  const crossPairs: { departments: [string, string]; interactions: number }[] = [];
  for (const p of pairs.rows) {
    interactions += p.n;
    if (p.d1 === null || p.d2 === null) continue;
    known += p.n;
    if (p.d1 !== p.d2) {
      cross += p.n;
      crossPairs.push({ departments: [p.d1, p.d2], interactions: p.n });
    }
  }
  const connectors = await computeConnectors(db, t, { communityId: community.id, days: INSIGHTS_INTERACTION_DAYS, limit: 5 }, now);

  return {
    community,
    generatedAt: now.toISOString(),
    members: x.members,
    activeMembers30d: x.active,
    engagementRate: x.members > 0 ? round(x.active / x.members, 3) : 0,
    postsPerWeek: round(x.posts_now / weeks, 2),
    postsPerWeekBefore: round(x.posts_before / weeks, 2),
    activity: { current, previous },
    medianHoursToFirstAnswer: x.median_hours === null ? null : round(x.median_hours, 1),
    unansweredQuestions: x.unanswered,
    health,
    suggestedAction: { code, ...SUGGESTED_ACTIONS[code] },
    announcements: {
      items: reports,
      byDepartment: [...byDept.values()].sort((a, b) => b.audience - a.audience || String(a.department).localeCompare(String(b.department))),
    },
    crossDepartment: {
      days: INSIGHTS_INTERACTION_DAYS,
      interactions,
      crossDepartmentInteractions: cross,
      share: known > 0 ? round(cross / known, 3) : 0,
      pairs: crossPairs.slice(0, 20),
      connectors,
    },
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const insightsCsvHeader = ['Section', 'Item', 'Department', 'Value'] as const;

/**
 * The insights as CSV (UTF-8 with a byte-order mark, CRLF, formula-safe cells): one line per
 * figure, then announcement reach and acknowledgement per department, then the department
 * pairs that interact and the connectors.
 */
export async function communityInsightsCsv(db: Queryable, viewer: Viewer, communityId: string, now: Date = new Date()): Promise<string> {
  const i = await getCommunityInsights(db, viewer, communityId, now);
  const rows: (string | number | null)[][] = [
    ['community', 'name', null, i.community.name],
    ['community', 'generated_at', null, i.generatedAt],
    ['activity', 'members', null, i.members],
    ['activity', 'active_members_30d', null, i.activeMembers30d],
    ['activity', 'engagement_rate', null, i.engagementRate],
    ['activity', 'posts_per_week', null, i.postsPerWeek],
    ['activity', 'posts_per_week_before', null, i.postsPerWeekBefore],
    ['activity', 'activity_28d', null, i.activity.current],
    ['activity', 'activity_previous_28d', null, i.activity.previous],
    ['questions', 'median_hours_to_first_answer', null, i.medianHoursToFirstAnswer],
    ['questions', 'unanswered_questions', null, i.unansweredQuestions],
    ['health', 'status', null, i.health],
    ['health', 'suggested_action', null, i.suggestedAction.code],
  ];
  for (const a of i.announcements.items) {
    for (const d of a.byDepartment) {
      rows.push(['announcement_reach', a.title, d.department, d.audience]);
      rows.push(['announcement_viewed', a.title, d.department, d.viewed]);
      rows.push(['announcement_acknowledged', a.title, d.department, d.acknowledged]);
    }
  }
  rows.push(['cross_department', 'interactions', null, i.crossDepartment.interactions]);
  rows.push(['cross_department', 'cross_department_interactions', null, i.crossDepartment.crossDepartmentInteractions]);
  rows.push(['cross_department', 'share', null, i.crossDepartment.share]);
  for (const p of i.crossDepartment.pairs) rows.push(['department_pair', p.departments[1], p.departments[0], p.interactions]);
  for (const c of i.crossDepartment.connectors) rows.push(['connector', c.person.displayName, c.person.department, c.departments]);
  return stringify([[...insightsCsvHeader], ...rows.map((r) => r.map(safeCell))], { bom: true, record_delimiter: 'windows', quoted_match: /[",\r\n;]/ });
}
