/**
 * Contribution scores and leaderboards. Transparent on purpose: the formula is here and in
 * every answer, and each person sees their own factors and the inputs behind them.
 *
 *   score    = presence x level x activity
 *   presence = active days in the last 30 / 30 (days with a post, comment, reaction or kudos given)
 *   level    = 1 + log2(1 + 3 x accepted answers + kudos received + posts with reactions)
 *   activity = sum over contributions of weight x 0.5 ^ (age in days / 30)   (30-day half-life)
 *              weights: post 3, comment 2, accepted answer 5, reaction 0.5, kudos given 1, kudos received 2
 * Inputs are counted over the last 365 days (older ones weigh under 0.03 % in activity).
 *
 * Computed on demand with SQL rather than materialised by a job: a score is always the
 * current one (a person who opts out or deletes content disappears at once, and the
 * explanation matches the number), and the cost is bounded by the scope asked for (one
 * person, one team, one department) through the author and recipient indexes. A
 * tenant-wide department ranking reads a year of contributions; if that becomes slow at
 * scale, the same SQL can fill a table from a nightly job without changing the API.
 *
 * Privacy: public ranking of individuals is opt-in (recognition_preferences.public_ranking);
 * by default leaderboards rank teams (a manager's direct reports) and departments by their
 * average score, shown only from a minimum group size; people excluded from recognition
 * (opt-out, country or office switched off) and former employees are never counted.
 */
import type { Queryable } from '../store/db.js';
import { type Viewer, sqlRecognitionExcluded } from '../policy/index.js';
import { RucheError } from '../errors.js';
import { getRecognitionSettings, switchedOff } from './settings.js';

export const SCORE_WINDOW_DAYS = 30;
export const SCORE_HALF_LIFE_DAYS = 30;
export const SCORE_INPUT_DAYS = 365;
export const SCORE_WEIGHTS = { post: 3, comment: 2, acceptedAnswer: 5, reaction: 0.5, kudosGiven: 1, kudosReceived: 2 } as const;
export const SCORE_FORMULA =
  'score = presence x level x activity; presence = active days in the last 30 / 30; ' +
  'level = 1 + log2(1 + 3 x accepted answers + kudos received + posts with reactions); ' +
  'activity = sum of weight x 0.5^(age in days / 30) over contributions of the last 365 days ' +
  '(post 3, comment 2, accepted answer 5, reaction 0.5, kudos given 1, kudos received 2)';

export interface ScoreInputs {
  activeDays: number;
  posts: number;
  postsWithReactions: number;
  comments: number;
  acceptedAnswers: number;
  reactions: number;
  kudosGiven: number;
  kudosReceived: number;
  /** The decayed sum of weighted contributions (the activity factor itself). */
  decayedContributions: number;
}

export interface ScoreFactors {
  presence: number;
  level: number;
  activity: number;
}

export interface ContributionScore {
  score: number;
  factors: ScoreFactors;
  inputs: ScoreInputs;
  formula: string;
  parameters: { windowDays: number; halfLifeDays: number; inputDays: number; weights: typeof SCORE_WEIGHTS };
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export function computeScore(i: ScoreInputs): { score: number; factors: ScoreFactors } {
  const presence = Math.min(1, i.activeDays / SCORE_WINDOW_DAYS);
  const level = 1 + Math.log2(1 + 3 * i.acceptedAnswers + i.kudosReceived + i.postsWithReactions);
  const activity = i.decayedContributions;
  return { score: round(presence * level * activity), factors: { presence: round(presence, 4), level: round(level, 4), activity: round(activity, 4) } };
}

const emptyInputs: ScoreInputs = {
  activeDays: 0, posts: 0, postsWithReactions: 0, comments: 0, acceptedAnswers: 0, reactions: 0, kudosGiven: 0, kudosReceived: 0, decayedContributions: 0,
};

interface InputRow {
  pid: string;
  active_days: number;
  posts: number;
  posts_with_reactions: number;
  comments: number;
  accepted_answers: number;
  reactions: number;
  kudos_given: number;
  kudos_received: number;
  activity: number;
}

/**
 * Score inputs of the people selected by `people` (SQL returning person ids, may use $1 =
 * tenant id and the given extra parameters from $2 on).
 */
async function scoreInputs(q: Queryable, tenantId: string, people: string, params: unknown[]): Promise<Map<string, ScoreInputs>> {
  const d = SCORE_INPUT_DAYS;
  const w = SCORE_WEIGHTS;
  const r = await q.query<InputRow>(
    `with ppl as (${people}),
     ev as (
       select p.author_id as pid, p.created_at as at, 'post' as kind,
              exists (select 1 from reactions r where r.tenant_id = p.tenant_id and r.target_type = 'post' and r.target_id = p.id
                      and r.person_id <> p.author_id) as reacted
       from posts p where p.tenant_id = $1 and p.author_id in (select id from ppl) and p.deleted_at is null
         and p.created_at > now() - interval '${d} days'
       union all
       select c.author_id, c.created_at, 'comment', false from comments c
       where c.tenant_id = $1 and c.author_id in (select id from ppl) and c.deleted_at is null and c.created_at > now() - interval '${d} days'
       union all
       select c.author_id, c.created_at, 'accepted_answer', false from posts p
       join comments c on c.tenant_id = p.tenant_id and c.id = p.accepted_comment_id
       where p.tenant_id = $1 and c.author_id in (select id from ppl) and p.deleted_at is null and c.deleted_at is null
         and c.author_id <> p.author_id and c.created_at > now() - interval '${d} days'
       union all
       select r.person_id, r.created_at, 'reaction', false from reactions r
       where r.tenant_id = $1 and r.person_id in (select id from ppl) and r.created_at > now() - interval '${d} days'
       union all
       select k.giver_id, k.created_at, 'kudos_given', false from kudos k
       where k.tenant_id = $1 and k.giver_id in (select id from ppl) and k.deleted_at is null and k.created_at > now() - interval '${d} days'
       union all
       select kr.recipient_id, k.created_at, 'kudos_received', false from kudos_recipients kr
       join kudos k on k.tenant_id = kr.tenant_id and k.id = kr.kudos_id
       where kr.tenant_id = $1 and kr.recipient_id in (select id from ppl) and k.deleted_at is null and k.created_at > now() - interval '${d} days'
     )
     select pid,
       count(distinct (at at time zone 'UTC')::date) filter (
         where kind in ('post', 'comment', 'reaction', 'kudos_given') and at > now() - interval '${SCORE_WINDOW_DAYS} days')::int as active_days,
       count(*) filter (where kind = 'post')::int as posts,
       count(*) filter (where kind = 'post' and reacted)::int as posts_with_reactions,
       count(*) filter (where kind = 'comment')::int as comments,
       count(*) filter (where kind = 'accepted_answer')::int as accepted_answers,
       count(*) filter (where kind = 'reaction')::int as reactions,
       count(*) filter (where kind = 'kudos_given')::int as kudos_given,
       count(*) filter (where kind = 'kudos_received')::int as kudos_received,
       coalesce(sum((case kind when 'post' then ${w.post} when 'comment' then ${w.comment} when 'accepted_answer' then ${w.acceptedAnswer}
                      when 'reaction' then ${w.reaction} when 'kudos_given' then ${w.kudosGiven} else ${w.kudosReceived} end)
                * power(0.5, greatest(0, extract(epoch from (now() - at)))::float8 / 86400 / ${SCORE_HALF_LIFE_DAYS})), 0)::float8 as activity
     from ev group by pid`,
    [tenantId, ...params],
  );
  return new Map(
    r.rows.map((x) => [
      x.pid,
      {
        activeDays: x.active_days,
        posts: x.posts,
        postsWithReactions: x.posts_with_reactions,
        comments: x.comments,
        acceptedAnswers: x.accepted_answers,
        reactions: x.reactions,
        kudosGiven: x.kudos_given,
        kudosReceived: x.kudos_received,
        decayedContributions: round(Number(x.activity), 4),
      },
    ]),
  );
}

function explain(inputs: ScoreInputs): ContributionScore {
  const { score, factors } = computeScore(inputs);
  return {
    score,
    factors,
    inputs,
    formula: SCORE_FORMULA,
    parameters: { windowDays: SCORE_WINDOW_DAYS, halfLifeDays: SCORE_HALF_LIFE_DAYS, inputDays: SCORE_INPUT_DAYS, weights: SCORE_WEIGHTS },
  };
}

/** The viewer's own score with its factors and inputs (only ever shown to the person). */
export async function myContributionScore(q: Queryable, viewer: Viewer): Promise<ContributionScore> {
  const m = await scoreInputs(q, viewer.tenantId, 'select id from people where tenant_id = $1 and id = $2', [viewer.personId]);
  return explain(m.get(viewer.personId) ?? emptyInputs);
}

export interface GroupLeaderboardEntry {
  rank: number | null;
  /** The department name, or the manager's id for a team. */
  key: string;
  name: string;
  /** People counted (current employees taking part in recognition). */
  people: number;
  /** Average score of the group; null when the group is smaller than the minimum size. */
  averageScore: number | null;
}

export interface GroupLeaderboard {
  by: 'team' | 'department';
  minGroupSize: number;
  formula: string;
  entries: GroupLeaderboardEntry[];
}

interface Participant {
  id: string;
  display_name: string;
  department: string | null;
  manager_id: string | null;
  manager_name: string | null;
}

async function participants(q: Queryable, viewer: Viewer, filter: { department?: string | undefined; managerId?: string | undefined; publicOnly?: boolean }): Promise<{
  people: Participant[];
  inputs: Map<string, ScoreInputs>;
  minGroupSize: number;
}> {
  const settings = await getRecognitionSettings(q, viewer.tenantId);
  const s = switchedOff(settings);
  const params: unknown[] = [s.countries, s.offices, filter.department ?? null, filter.managerId ?? null, filter.publicOnly === true];
  const where = `p.tenant_id = $1 and not p.is_former_employee and not ${sqlRecognitionExcluded('p', '$2', '$3')}
    and ($4::text is null or lower(p.department) = lower($4::text)) and ($5::uuid is null or p.manager_id = $5::uuid)
    and (not $6::boolean or exists (select 1 from recognition_preferences pr where pr.tenant_id = p.tenant_id and pr.person_id = p.id and pr.public_ranking))`;
  const r = await q.query<Participant>(
    `select p.id, p.display_name, p.department, p.manager_id, m.display_name as manager_name from people p
     left join people m on m.tenant_id = p.tenant_id and m.id = p.manager_id where ${where}`,
    [viewer.tenantId, ...params],
  );
  const inputs = await scoreInputs(q, viewer.tenantId, `select p.id from people p where ${where}`, params);
  return { people: r.rows, inputs, minGroupSize: settings.leaderboardMinGroupSize };
}

/**
 * Teams (a manager's direct reports, optionally within a department) or departments,
 * ranked by average score. Groups smaller than the minimum size are listed without a score.
 */
export async function groupLeaderboard(q: Queryable, viewer: Viewer, options: { by: 'team' | 'department'; department?: string | undefined }): Promise<GroupLeaderboard> {
  if (options.by !== 'team' && options.by !== 'department') throw new RucheError('VALIDATION_FAILED', 'by is team or department');
  const { people, inputs, minGroupSize } = await participants(q, viewer, { department: options.department });
  const groups = new Map<string, { name: string; scores: number[] }>();
  for (const p of people) {
    const key = options.by === 'team' ? p.manager_id : p.department;
    if (!key) continue;
    const name = options.by === 'team' ? `${p.manager_name ?? ''}` : key;
    const g = groups.get(key) ?? { name, scores: [] };
    g.scores.push(computeScore(inputs.get(p.id) ?? emptyInputs).score);
    groups.set(key, g);
  }
  const entries: GroupLeaderboardEntry[] = [...groups].map(([key, g]) => ({
    rank: null,
    key,
    name: g.name,
    people: g.scores.length,
    averageScore: g.scores.length >= minGroupSize ? round(g.scores.reduce((a, b) => a + b, 0) / g.scores.length) : null,
  }));
  entries.sort((a, b) => (b.averageScore ?? -1) - (a.averageScore ?? -1) || a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
  let rank = 0;
  for (const e of entries) if (e.averageScore !== null) e.rank = ++rank;
  return { by: options.by, minGroupSize, formula: SCORE_FORMULA, entries };
}

export interface PersonLeaderboardEntry {
  rank: number;
  person: { id: string; displayName: string; department: string | null };
  score: number;
}

/** Individuals who opted in to public ranking (and take part in recognition), best first. */
export async function peopleLeaderboard(
  q: Queryable,
  viewer: Viewer,
  options: { department?: string | undefined; managerId?: string | undefined; limit?: number | undefined } = {},
): Promise<{ formula: string; entries: PersonLeaderboardEntry[] }> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const { people, inputs } = await participants(q, viewer, { department: options.department, managerId: options.managerId, publicOnly: true });
  const ranked = people
    .map((p) => ({ person: { id: p.id, displayName: p.display_name, department: p.department }, score: computeScore(inputs.get(p.id) ?? emptyInputs).score }))
    .sort((a, b) => b.score - a.score || a.person.displayName.localeCompare(b.person.displayName) || a.person.id.localeCompare(b.person.id))
    .slice(0, limit);
  return { formula: SCORE_FORMULA, entries: ranked.map((x, i) => ({ rank: i + 1, ...x })) };
}
