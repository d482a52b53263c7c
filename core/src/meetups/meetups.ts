/**
 * Meetups that build weak ties: people opt in; every week or every two weeks (tenant
 * setting) a round pairs them, preferring people who have not interacted and who work in
 * different departments, never repeating a pair within a configurable number of rounds,
 * and leaving out whoever snoozed (until a date) or opted out. Each matched person gets a
 * `meetup_matched` notification; at the next round, people who said nothing are asked
 * "did you meet?" (`meetup_followup`) and answer "we met" or "skip".
 */
import type { Db, Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';
import { isUuid } from '../people/people.js';
import { recordAudit } from '../communities/audit.js';
import { notify } from '../notifications/notify.js';
import { type Viewer, canOnMeetupMatch, canOnOrganisationInsights } from '../policy/index.js';
import { interactedPairs } from '../insights/graph.js';

export type MeetupCadence = 'weekly' | 'biweekly';

export interface MeetupSettings {
  /** Rounds run at all for the tenant. */
  enabled: boolean;
  cadence: MeetupCadence;
  /** A pair is not matched again within this many rounds. */
  noRepeatRounds: number;
}

export const defaultMeetupSettings: Readonly<MeetupSettings> = { enabled: true, cadence: 'weekly', noRepeatRounds: 12 };
export const MEETUP_NO_REPEAT_MAX = 104;
/** A snooze lasts at most this many days. */
export const MEETUP_SNOOZE_MAX_DAYS = 365;
/** Interactions looked at to prefer people who have not interacted (days). */
export const MEETUP_INTERACTION_DAYS = 180;
/** Candidates examined per person when pairing (keeps a round fast with many people). */
const CANDIDATES_PER_PERSON = 400;
/** Pairs compared with each pair when exchanging partners. */
const IMPROVE_WINDOW = 200;

export async function getMeetupSettings(q: Queryable, tenantId: string): Promise<MeetupSettings> {
  const r = await q.query<{ s: Partial<MeetupSettings> | null }>("select settings -> 'meetups' as s from tenants where id = $1", [tenantId]);
  const s = r.rows[0]?.s ?? {};
  return {
    enabled: typeof s.enabled === 'boolean' ? s.enabled : defaultMeetupSettings.enabled,
    cadence: s.cadence === 'biweekly' ? 'biweekly' : 'weekly',
    noRepeatRounds: typeof s.noRepeatRounds === 'number' ? s.noRepeatRounds : defaultMeetupSettings.noRepeatRounds,
  };
}

export async function updateMeetupSettings(db: Db, viewer: Viewer, changes: Partial<MeetupSettings>): Promise<MeetupSettings> {
  if (!canOnOrganisationInsights(viewer, 'manage_meetups', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Only tenant administrators and HR manage meetups');
  if (changes.cadence !== undefined && changes.cadence !== 'weekly' && changes.cadence !== 'biweekly') {
    throw new RucheError('VALIDATION_FAILED', 'cadence is weekly or biweekly', { details: { field: 'cadence' } });
  }
  const n = changes.noRepeatRounds;
  if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > MEETUP_NO_REPEAT_MAX)) {
    throw new RucheError('VALIDATION_FAILED', `noRepeatRounds is an integer from 0 to ${MEETUP_NO_REPEAT_MAX}`, { details: { field: 'noRepeatRounds' } });
  }
  if (changes.enabled !== undefined && typeof changes.enabled !== 'boolean') {
    throw new RucheError('VALIDATION_FAILED', 'enabled is true or false', { details: { field: 'enabled' } });
  }
  return db.transaction(async (tx) => {
    await tx.query('select 1 from tenants where id = $1 for update', [viewer.tenantId]);
    const current = await getMeetupSettings(tx, viewer.tenantId);
    const next: MeetupSettings = {
      enabled: changes.enabled ?? current.enabled,
      cadence: changes.cadence ?? current.cadence,
      noRepeatRounds: n ?? current.noRepeatRounds,
    };
    await tx.query("update tenants set settings = jsonb_set(settings, '{meetups}', $2::jsonb) where id = $1", [viewer.tenantId, JSON.stringify(next)]);
    await recordAudit(tx, {
      tenantId: viewer.tenantId,
      actorId: viewer.personId,
      action: 'meetups.settings',
      targetType: 'tenant',
      targetId: viewer.tenantId,
      data: { before: current, after: next },
    });
    return next;
  });
}

export interface MeetupPreference {
  enabled: boolean;
  /** No pairing in rounds that start on or before this day (YYYY-MM-DD), or null. */
  snoozeUntil: string | null;
  /** Opted in and not snoozed today. */
  active: boolean;
}

function dayString(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export async function getMeetupPreference(q: Queryable, viewer: Viewer, now: Date = new Date()): Promise<MeetupPreference> {
  const r = await q.query<{ enabled: boolean; snooze: string | null }>(
    `select enabled, to_char(snooze_until, 'YYYY-MM-DD') as snooze from meetup_preferences where tenant_id = $1 and person_id = $2`,
    [viewer.tenantId, viewer.personId],
  );
  const row = r.rows[0];
  const enabled = row?.enabled ?? false;
  const snoozeUntil = row?.snooze ?? null;
  return { enabled, snoozeUntil, active: enabled && (snoozeUntil === null || snoozeUntil < dayString(now)) };
}

export type MeetupPreferenceChange = { enabled: boolean; snoozeUntil?: string | null } | { enabled?: boolean; snoozeUntil: string | null };

/**
 * Turns meetups on or off for the viewer, or snoozes them until a day (YYYY-MM-DD, in the
 * future, at most a year ahead; null ends a snooze). Turning meetups on keeps a snooze
 * unless one is given.
 */
export async function setMeetupPreference(db: Queryable, viewer: Viewer, change: MeetupPreferenceChange, now: Date = new Date()): Promise<MeetupPreference> {
  const enabled = change.enabled;
  if (enabled !== undefined && typeof enabled !== 'boolean') throw new RucheError('VALIDATION_FAILED', 'enabled is true or false', { details: { field: 'enabled' } });
  if (enabled === undefined && change.snoozeUntil === undefined) throw new RucheError('VALIDATION_FAILED', 'Give enabled or snoozeUntil');
  const snooze: string | null | undefined = change.snoozeUntil;
  if (typeof snooze === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(snooze);
    const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    if (!d || Number.isNaN(d.getTime()) || dayString(d) !== snooze) {
      throw new RucheError('VALIDATION_FAILED', 'snoozeUntil is a date (YYYY-MM-DD)', { details: { field: 'snoozeUntil' } });
    }
    const today = dayString(now);
    if (snooze < today) throw new RucheError('VALIDATION_FAILED', 'snoozeUntil is today or later', { details: { field: 'snoozeUntil' } });
    if (d.getTime() - Date.parse(today) > MEETUP_SNOOZE_MAX_DAYS * 86_400_000) {
      throw new RucheError('VALIDATION_FAILED', `A snooze lasts at most ${MEETUP_SNOOZE_MAX_DAYS} days`, { details: { field: 'snoozeUntil' } });
    }
  } else if (snooze !== undefined && snooze !== null) {
    throw new RucheError('VALIDATION_FAILED', 'snoozeUntil is a date (YYYY-MM-DD) or null', { details: { field: 'snoozeUntil' } });
  }
  await db.query(
    `insert into meetup_preferences (tenant_id, person_id, enabled, snooze_until) values ($1, $2, coalesce($3, false), $5::date)
     on conflict (tenant_id, person_id) do update set
       enabled = coalesce($3, meetup_preferences.enabled),
       snooze_until = case when $4 then $5::date else meetup_preferences.snooze_until end,
       updated_at = now()`,
    [viewer.tenantId, viewer.personId, enabled ?? null, snooze !== undefined, snooze ?? null],
  );
  return getMeetupPreference(db, viewer, now);
}

/** The first day (Monday, UTC) of the round period containing `now`; every other Monday for a biweekly cadence. */
export function roundStart(now: Date, cadence: MeetupCadence): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  if (cadence === 'biweekly') {
    // Weeks counted from Monday 1970-01-05; even weeks start a period.
    const week = Math.floor((d.getTime() - Date.UTC(1970, 0, 5)) / (7 * 86_400_000));
    if (week % 2 !== 0) d.setUTCDate(d.getUTCDate() - 7);
  }
  return dayString(d);
}

/** A small deterministic generator (mulberry32) seeded from a string, so a round is reproducible. */
function seeded(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MeetupCandidate {
  id: string;
  department: string | null;
}

/**
 * Pairs people: never a pair in `forbidden` (recent rounds); among the others, prefer a
 * different department (cost 2) and no interaction (cost 1). Greedy over a shuffled order,
 * so nobody is favoured from round to round. Returns pairs with a < b; one person may stay alone.
 */
export function pairPeople(
  people: readonly MeetupCandidate[],
  forbidden: ReadonlySet<string>,
  interacted: ReadonlySet<string>,
  seed: string,
): [string, string][] {
  const random = seeded(seed);
  const order = [...people];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const taken = new Set<string>();
  const pairs: [string, string][] = [];
  for (let i = 0; i < order.length; i++) {
    const p = order[i]!;
    if (taken.has(p.id)) continue;
    let best: MeetupCandidate | null = null;
    let bestCost = Infinity;
    let examined = 0;
    for (let j = i + 1; j < order.length && examined < CANDIDATES_PER_PERSON; j++) {
      const q = order[j]!;
      if (taken.has(q.id)) continue;
      examined++;
      const k = key(p.id, q.id);
      if (forbidden.has(k)) continue;
      const sameDept = p.department !== null && p.department === q.department;
      const cost = (sameDept || p.department === null || q.department === null ? 2 : 0) + (interacted.has(k) ? 1 : 0);
      if (cost < bestCost) {
        best = q;
        bestCost = cost;
        if (cost === 0) break;
      }
    }
    if (best) {
      taken.add(p.id);
      taken.add(best.id);
      pairs.push(p.id < best.id ? [p.id, best.id] : [best.id, p.id]);
    }
  }
  // Then exchange partners between two pairs while that lowers the total cost (bounded passes).
  const dept = new Map(people.map((x) => [x.id, x.department]));
  const cost = (a: string, b: string): number => {
    if (forbidden.has(key(a, b))) return Infinity;
    const da = dept.get(a) ?? null;
    const db = dept.get(b) ?? null;
    return (da === null || db === null || da === db ? 2 : 0) + (interacted.has(key(a, b)) ? 1 : 0);
  };
  const ordered = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);
  const window = Math.min(pairs.length, IMPROVE_WINDOW);
  for (let pass = 0; pass < 4; pass++) {
    let improved = false;
    for (let i = 0; i < pairs.length; i++) {
      for (let j = i + 1; j < Math.min(pairs.length, i + 1 + window); j++) {
        const [a, b] = pairs[i]!;
        const [c, d] = pairs[j]!;
        const now = cost(a, b) + cost(c, d);
        if (now === 0) continue;
        if (cost(a, c) + cost(b, d) < now) {
          pairs[i] = ordered(a, c);
          pairs[j] = ordered(b, d);
          improved = true;
        } else if (cost(a, d) + cost(b, c) < now) {
          pairs[i] = ordered(a, d);
          pairs[j] = ordered(b, c);
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return pairs;
}

export interface MeetupRoundReport {
  roundId: string;
  startsOn: string;
  /** False when the round of this period already ran (nothing was done again). */
  created: boolean;
  optedIn: number;
  matches: number;
  followUps: number;
}

/**
 * Runs the round of the current period for a tenant, once: a second call in the same period
 * returns the existing round and changes nothing. Returns null when meetups are off.
 */
export async function runMeetupRound(db: Db, tenantId: string, now: Date = new Date()): Promise<MeetupRoundReport | null> {
  const settings = await getMeetupSettings(db, tenantId);
  if (!settings.enabled) return null;
  const startsOn = roundStart(now, settings.cadence);
  return db.transaction(async (tx) => {
    const ins = await tx.query<{ id: string }>(
      `insert into meetup_rounds (tenant_id, starts_on, cadence) values ($1, $2::date, $3) on conflict (tenant_id, starts_on) do nothing returning id`,
      [tenantId, startsOn, settings.cadence],
    );
    if (!ins.rows[0]) {
      const r = await tx.query<{ id: string; opted_in: number; n: number }>(
        `select r.id, r.opted_in, (select count(*)::int from meetup_matches m where m.tenant_id = r.tenant_id and m.round_id = r.id) as n
           from meetup_rounds r where r.tenant_id = $1 and r.starts_on = $2::date`,
        [tenantId, startsOn],
      );
      const row = r.rows[0]!;
      return { roundId: row.id, startsOn, created: false, optedIn: row.opted_in, matches: row.n, followUps: 0 };
    }
    const roundId = ins.rows[0].id;

    // "Did you meet?": the previous round's people who have not answered yet.
    const previous = await tx.query<{ id: string; person_id: string; other_id: string }>(
      `select m.id, x.person_id, x.other_id from meetup_matches m
         join lateral (values (m.person_a, m.person_b), (m.person_b, m.person_a)) x(person_id, other_id) on true
        where m.tenant_id = $1 and m.round_id = (
          select id from meetup_rounds where tenant_id = $1 and starts_on < $2::date order by starts_on desc limit 1)
          and not exists (select 1 from meetup_outcomes o where o.tenant_id = $1 and o.match_id = m.id and o.person_id = x.person_id)`,
      [tenantId, startsOn],
    );
    let followUps = 0;
    for (const f of previous.rows) {
      if (await notify(tx, { tenantId, personId: f.person_id, kind: 'meetup_followup', data: { matchId: f.id, colleagueId: f.other_id } })) followUps++;
    }

    const people = await tx.query<MeetupCandidate>(
      `select p.id, p.department from meetup_preferences mp
         join people p on p.tenant_id = mp.tenant_id and p.id = mp.person_id and not p.is_former_employee
        where mp.tenant_id = $1 and mp.enabled and (mp.snooze_until is null or mp.snooze_until < $2::date)
        order by p.id`,
      [tenantId, startsOn],
    );
    const ids = people.rows.map((p) => p.id);
    const recent = await tx.query<{ a: string; b: string }>(
      `select m.person_a::text as a, m.person_b::text as b from meetup_matches m
        where m.tenant_id = $1 and m.round_id in (
          select id from meetup_rounds where tenant_id = $1 and id <> $3 order by starts_on desc limit $2)`,
      [tenantId, settings.noRepeatRounds, roundId],
    );
    const forbidden = new Set(recent.rows.map((x) => `${x.a}|${x.b}`));
    const interacted = await interactedPairs(tx, tenantId, ids, new Date(now.getTime() - MEETUP_INTERACTION_DAYS * 86_400_000));
    const pairs = pairPeople(people.rows, forbidden, interacted, `${tenantId}:${startsOn}`);
    for (const [a, b] of pairs) {
      const m = await tx.query<{ id: string }>(
        'insert into meetup_matches (tenant_id, round_id, person_a, person_b) values ($1, $2, $3, $4) returning id',
        [tenantId, roundId, a, b],
      );
      const matchId = m.rows[0]!.id;
      await notify(tx, { tenantId, personId: a, kind: 'meetup_matched', data: { matchId, roundId, colleagueId: b } });
      await notify(tx, { tenantId, personId: b, kind: 'meetup_matched', data: { matchId, roundId, colleagueId: a } });
    }
    await tx.query('update meetup_rounds set opted_in = $3 where tenant_id = $1 and id = $2', [tenantId, roundId, ids.length]);
    return { roundId, startsOn, created: true, optedIn: ids.length, matches: pairs.length, followUps };
  });
}

export interface MeetupMatch {
  id: string;
  roundStartsOn: string;
  colleague: { id: string; displayName: string; jobTitle: string | null; department: string | null; office: string | null };
  /** What the viewer answered to "did you meet?", or null. */
  myOutcome: 'met' | 'skipped' | null;
  createdAt: string;
}

interface MatchRow {
  id: string; starts_on: string; person_a: string; person_b: string; created_at: Date;
  c_id: string; c_name: string; c_title: string | null; c_department: string | null; c_office: string | null; outcome: 'met' | 'skipped' | null;
}

const matchSelect = `select m.id, to_char(r.starts_on, 'YYYY-MM-DD') as starts_on, m.person_a, m.person_b, m.created_at,
    c.id as c_id, c.display_name as c_name, c.job_title as c_title, c.department as c_department, c.office as c_office,
    (select o.outcome from meetup_outcomes o where o.tenant_id = m.tenant_id and o.match_id = m.id and o.person_id = $2) as outcome
  from meetup_matches m join meetup_rounds r on r.tenant_id = m.tenant_id and r.id = m.round_id
  join people c on c.tenant_id = m.tenant_id and c.id = case when m.person_a = $2 then m.person_b else m.person_a end`;

function matchOf(x: MatchRow): MeetupMatch {
  return {
    id: x.id,
    roundStartsOn: x.starts_on,
    colleague: { id: x.c_id, displayName: x.c_name, jobTitle: x.c_title, department: x.c_department, office: x.c_office },
    myOutcome: x.outcome,
    createdAt: x.created_at.toISOString(),
  };
}

/** The viewer's match of the latest round, or null (not matched in it, or no round yet). */
export async function getMyMeetupMatch(db: Queryable, viewer: Viewer): Promise<MeetupMatch | null> {
  const r = await db.query<MatchRow>(
    `${matchSelect}
     where m.tenant_id = $1 and (m.person_a = $2 or m.person_b = $2)
       and r.id = (select id from meetup_rounds where tenant_id = $1 order by starts_on desc limit 1)`,
    [viewer.tenantId, viewer.personId],
  );
  return r.rows[0] ? matchOf(r.rows[0]) : null;
}

/** The viewer's matches, newest first (at most `limit`, default 10). */
export async function listMyMeetupMatches(db: Queryable, viewer: Viewer, limit = 10): Promise<MeetupMatch[]> {
  const r = await db.query<MatchRow>(
    `${matchSelect} where m.tenant_id = $1 and (m.person_a = $2 or m.person_b = $2) order by r.starts_on desc, m.id limit $3`,
    [viewer.tenantId, viewer.personId, Math.min(Math.max(limit, 1), 50)],
  );
  return r.rows.map(matchOf);
}

/** "Did you meet?": the viewer records 'met' or 'skipped' for one of their matches (the last answer counts). */
export async function recordMeetupOutcome(db: Queryable, viewer: Viewer, matchId: string, outcome: 'met' | 'skipped'): Promise<MeetupMatch> {
  if (outcome !== 'met' && outcome !== 'skipped') throw new RucheError('VALIDATION_FAILED', 'outcome is met or skipped', { details: { field: 'outcome' } });
  if (!isUuid(matchId)) throw new RucheError('NOT_FOUND', 'No such meetup');
  const m = await db.query<{ person_a: string; person_b: string }>('select person_a, person_b from meetup_matches where tenant_id = $1 and id = $2', [viewer.tenantId, matchId]);
  const row = m.rows[0];
  // Somebody else's match is reported as missing, so that its existence never leaks.
  if (!row || !canOnMeetupMatch(viewer, { tenantId: viewer.tenantId, personA: row.person_a, personB: row.person_b })) {
    throw new RucheError('NOT_FOUND', 'No such meetup');
  }
  await db.query(
    `insert into meetup_outcomes (tenant_id, match_id, person_id, outcome) values ($1, $2, $3, $4)
     on conflict (tenant_id, match_id, person_id) do update set outcome = excluded.outcome, recorded_at = now()`,
    [viewer.tenantId, matchId, viewer.personId, outcome],
  );
  const r = await db.query<MatchRow>(`${matchSelect} where m.tenant_id = $1 and m.id = $3`, [viewer.tenantId, viewer.personId, matchId]);
  return matchOf(r.rows[0]!);
}

export interface MeetupStats {
  settings: MeetupSettings;
  /** People opted in now, and of them not snoozed today. */
  optedIn: number;
  available: number;
  rounds: number;
  matches: number;
  /** Matches where at least one person said "we met". */
  met: number;
  /** Matches where someone answered "skip" and nobody "we met". */
  skipped: number;
  /** Matches without any answer. */
  unanswered: number;
  /** met / matches with an answer (0 to 1). */
  metRate: number;
  /** Matches across departments (both departments known and different). */
  crossDepartment: number;
  recentRounds: { startsOn: string; optedIn: number; matches: number; met: number }[];
}

/** Statistics of meetings held: tenant admins, HR and communicators (the policy decides). */
export async function getMeetupStats(db: Queryable, viewer: Viewer, now: Date = new Date()): Promise<MeetupStats> {
  if (!canOnOrganisationInsights(viewer, 'read', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Meetup statistics are for administrators, HR and communicators');
  const t = viewer.tenantId;
  const settings = await getMeetupSettings(db, t);
  const s = await db.query<{ opted_in: number; available: number; rounds: number; matches: number; met: number; skipped: number; cross: number }>(
    `with o as (select m.id, m.person_a, m.person_b,
                  exists (select 1 from meetup_outcomes x where x.tenant_id = m.tenant_id and x.match_id = m.id and x.outcome = 'met') as met,
                  exists (select 1 from meetup_outcomes x where x.tenant_id = m.tenant_id and x.match_id = m.id) as answered
                from meetup_matches m where m.tenant_id = $1)
     select (select count(*)::int from meetup_preferences where tenant_id = $1 and enabled) as opted_in,
            (select count(*)::int from meetup_preferences where tenant_id = $1 and enabled and (snooze_until is null or snooze_until < $2::date)) as available,
            (select count(*)::int from meetup_rounds where tenant_id = $1) as rounds,
            (select count(*)::int from o) as matches,
            (select count(*)::int from o where met) as met,
            (select count(*)::int from o where answered and not met) as skipped,
            (select count(*)::int from o join people a on a.tenant_id = $1 and a.id = o.person_a join people b on b.tenant_id = $1 and b.id = o.person_b
              where a.department is not null and b.department is not null and a.department <> b.department) as cross`,
    [t, dayString(now)],
  );
  const x = s.rows[0]!;
  const recent = await db.query<{ starts_on: string; opted_in: number; matches: number; met: number }>(
    `select to_char(r.starts_on, 'YYYY-MM-DD') as starts_on, r.opted_in,
            (select count(*)::int from meetup_matches m where m.tenant_id = r.tenant_id and m.round_id = r.id) as matches,
            (select count(*)::int from meetup_matches m where m.tenant_id = r.tenant_id and m.round_id = r.id
               and exists (select 1 from meetup_outcomes o where o.tenant_id = m.tenant_id and o.match_id = m.id and o.outcome = 'met')) as met
       from meetup_rounds r where r.tenant_id = $1 order by r.starts_on desc limit 10`,
    [t],
  );
  const answered = x.met + x.skipped;
  return {
    settings,
    optedIn: x.opted_in,
    available: x.available,
    rounds: x.rounds,
    matches: x.matches,
    met: x.met,
    skipped: x.skipped,
    unanswered: x.matches - answered,
    metRate: answered > 0 ? Math.round((x.met / answered) * 1000) / 1000 : 0,
    crossDepartment: x.cross,
    recentRounds: recent.rows.map((r) => ({ startsOn: r.starts_on, optedIn: r.opted_in, matches: r.matches, met: r.met })),
  };
}

/** Tenants where someone opted in to meetups (the job runs rounds for them). */
export async function tenantsWithMeetups(db: Queryable): Promise<string[]> {
  const r = await db.query<{ tenant_id: string }>('select distinct tenant_id from meetup_preferences where enabled order by tenant_id');
  return r.rows.map((x) => x.tenant_id);
}
