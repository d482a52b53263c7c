import { testDatabases, createTestTenant } from '@ruche/core/testing';
import { type Db, pairPeople, roundStart, runMeetupRound } from '@ruche/core';
import type { RucheApp } from '../app.js';
import { localConfig, testApp } from '../testing.js';

const people = ['ana', 'ben', 'chloe', 'dan', 'eve', 'fay', 'gus', 'admin', 'comms'] as const;
type Who = (typeof people)[number];
interface Res {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by the assertions themselves
  body: any;
}

describe('meetup pairing', () => {
  test('rounds start on Mondays; every other Monday when biweekly', () => {
    expect(roundStart(new Date('2026-11-26T10:00:00Z'), 'weekly')).toBe('2026-11-23');
    expect(roundStart(new Date('2026-11-23T00:00:00Z'), 'weekly')).toBe('2026-11-23');
    expect(roundStart(new Date('2026-11-29T23:59:00Z'), 'weekly')).toBe('2026-11-23');
    const a = roundStart(new Date('2026-11-26T10:00:00Z'), 'biweekly');
    const b = roundStart(new Date('2026-12-03T10:00:00Z'), 'biweekly');
    const c = roundStart(new Date('2026-12-10T10:00:00Z'), 'biweekly');
    expect([a, b, c].filter((x) => x === a)).toHaveLength(a === b ? 2 : 1);
    expect(a === b ? c : b).not.toBe(a);
    expect(new Set([a, b, c]).size).toBe(2);
  });

  test('prefers other departments and people who have not interacted; never a forbidden pair', () => {
    const ppl = [
      { id: 'a', department: 'Sales' }, { id: 'b', department: 'Sales' },
      { id: 'c', department: 'R&D' }, { id: 'd', department: 'R&D' },
    ];
    for (let seed = 0; seed < 20; seed++) {
      const pairs = pairPeople(ppl, new Set(), new Set(['a|c']), `s${seed}`);
      expect(pairs.map((p) => p.join('|')).sort()).toEqual(['a|d', 'b|c']);
      const again = pairPeople(ppl, new Set(['a|d', 'b|c']), new Set(['a|c']), `s${seed}`);
      expect(again.map((p) => p.join('|')).sort()).toEqual(['a|c', 'b|d']);
      expect(pairPeople(ppl, new Set(['a|b', 'a|c', 'a|d', 'b|c', 'b|d', 'c|d']), new Set(), `s${seed}`)).toEqual([]);
    }
  });
});

describe.each(testDatabases())('meetups API on $name', ({ open }) => {
  let db: Db;
  let tenant: string;
  let ruche: RucheApp;
  const id = {} as Record<Who, string>;
  const tokens = new Map<Who, string>();
  const upn = (w: Who) => `${w}@hexagone.example`;
  const monday = new Date('2026-11-23T09:00:00Z');
  const week = (n: number) => new Date(monday.getTime() + n * 7 * 86_400_000);

  async function as(who: Who, method: string, url: string, payload?: unknown): Promise<Res> {
    if (!tokens.has(who)) {
      const t = await ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: upn(who) } });
      tokens.set(who, t.json().access_token);
    }
    const r = await ruche.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${tokens.get(who)}` },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, body: r.body ? r.json() : null };
  }
  const matches = async (roundId: string) =>
    (await db.query<{ id: string; a: string; b: string }>('select id, person_a as a, person_b as b from meetup_matches where tenant_id = $1 and round_id = $2', [tenant, roundId])).rows;
  const notes = async (who: Who, kind: string) =>
    (await db.query<{ data: Record<string, string> }>('select data from notifications where tenant_id = $1 and person_id = $2 and kind = $3 order by created_at', [tenant, id[who], kind])).rows;
  const pairKey = (m: { a: string; b: string }) => [m.a, m.b].sort().join('|');

  beforeAll(async () => {
    db = await open();
    tenant = await createTestTenant(db, 'Hexagone');
    const dept: Record<Who, string> = { ana: 'Sales', ben: 'Sales', chloe: 'R&D', dan: 'R&D', eve: 'Ops', fay: 'Ops', gus: 'IT', admin: 'IT', comms: 'Communication' };
    for (const who of people) {
      const roles = who === 'admin' ? ['admin'] : who === 'comms' ? ['communicator'] : [];
      const r = await db.query<{ id: string }>('insert into people (tenant_id, upn, display_name, department, roles) values ($1, $2, $3, $4, $5) returning id', [tenant, upn(who), who, dept[who], roles]);
      id[who] = r.rows[0]!.id;
    }
    ruche = await testApp(db, localConfig(), tenant);
    // Ana replied to Chloe's post: they already interact.
    const post = await db.query<{ id: string }>("insert into posts (tenant_id, author_id, kind, title, body) values ($1, $2, 'discussion', 'Hello', 'Hello') returning id", [tenant, id.chloe]);
    await db.query("insert into comments (tenant_id, post_id, author_id, body, body_html) values ($1, $2, $3, 'Hi', 'Hi')", [tenant, post.rows[0]!.id, id.ana]);
  });
  afterAll(async () => {
    await ruche.app.close();
    await db.close();
  });

  test('preference: off by default; on, snooze until a day, end the snooze, off; bad input refused and nothing lost', async () => {
    expect((await as('ana', 'GET', '/me/meetups')).body).toEqual({ preference: { enabled: false, snoozeUntil: null, active: false }, current: null, recent: [] });
    expect((await as('ana', 'PUT', '/me/meetups/preference', { enabled: true })).body).toEqual({ enabled: true, snoozeUntil: null, active: true });
    const later = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    expect((await as('ana', 'PUT', '/me/meetups/preference', { snoozeUntil: later })).body).toEqual({ enabled: true, snoozeUntil: later, active: false });
    for (const bad of ['2020-01-01', '2026-02-30', 'tomorrow', new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10)]) {
      const r = await as('ana', 'PUT', '/me/meetups/preference', { snoozeUntil: bad });
      expect(r.status).toBe(400);
      expect(r.body.type).toContain('validation-failed');
    }
    expect((await as('ana', 'PUT', '/me/meetups/preference', {})).status).toBe(400);
    expect((await as('ana', 'PUT', '/me/meetups/preference', { enabled: 'yes' })).status).toBe(400);
    expect((await as('ana', 'GET', '/me/meetups')).body.preference).toEqual({ enabled: true, snoozeUntil: later, active: false });
    expect((await as('ana', 'PUT', '/me/meetups/preference', { snoozeUntil: null })).body).toEqual({ enabled: true, snoozeUntil: null, active: true });
    expect((await as('ana', 'PUT', '/me/meetups/preference', { enabled: false })).body.enabled).toBe(false);
  });

  test('settings: administrators only; bad values refused and nothing lost', async () => {
    expect((await as('ana', 'PUT', '/meetups/settings', { cadence: 'biweekly' })).status).toBe(403);
    expect((await as('ana', 'GET', '/meetups/settings')).status).toBe(403);
    expect((await as('admin', 'GET', '/meetups/settings')).body).toEqual({ enabled: true, cadence: 'weekly', noRepeatRounds: 12 });
    expect((await as('admin', 'PUT', '/meetups/settings', { cadence: 'daily' })).status).toBe(400);
    expect((await as('admin', 'PUT', '/meetups/settings', { noRepeatRounds: -1 })).status).toBe(400);
    expect((await as('admin', 'PUT', '/meetups/settings', { noRepeatRounds: 3 })).body).toEqual({ enabled: true, cadence: 'weekly', noRepeatRounds: 3 });
    expect((await as('admin', 'GET', '/meetups/settings')).body.noRepeatRounds).toBe(3);
  });

  test('rounds: opted-in people only, across departments, without those who already interact; once per week; never a repeated pair; "did you meet?"', async () => {
    for (const who of ['ana', 'ben', 'chloe', 'dan', 'eve'] as const) expect((await as(who, 'PUT', '/me/meetups/preference', { enabled: true })).status).toBe(200);
    // Eve snoozes past the first round; Fay never opted in.
    await db.query("update meetup_preferences set snooze_until = '2026-11-23' where tenant_id = $1 and person_id = $2", [tenant, id.eve]);

    const r1 = (await runMeetupRound(db, tenant, monday))!;
    expect(r1).toMatchObject({ created: true, startsOn: '2026-11-23', optedIn: 4, matches: 2 });
    const m1 = await matches(r1.roundId);
    expect(m1.map(pairKey).sort()).toEqual([[id.ana, id.dan].sort().join('|'), [id.ben, id.chloe].sort().join('|')].sort());
    expect(m1.flatMap((m) => [m.a, m.b])).not.toContain(id.eve);
    const anaMatched = await notes('ana', 'meetup_matched');
    expect(anaMatched).toHaveLength(1);
    expect(anaMatched[0]!.data.colleagueId).toBe(id.dan);

    // The same week again: nothing new.
    const again = (await runMeetupRound(db, tenant, new Date(monday.getTime() + 3 * 86_400_000)))!;
    expect(again).toMatchObject({ created: false, roundId: r1.roundId, matches: 2 });
    expect(await notes('ana', 'meetup_matched')).toHaveLength(1);

    // My match, and "did you meet?".
    const mine = (await as('ana', 'GET', '/me/meetups')).body;
    expect(mine.current).toMatchObject({ roundStartsOn: '2026-11-23', myOutcome: null, colleague: { id: id.dan, department: 'R&D' } });
    const matchId = mine.current.id as string;
    expect((await as('ben', 'PUT', `/me/meetups/${matchId}/outcome`, { outcome: 'met' })).status).toBe(404);
    expect((await as('ana', 'PUT', `/me/meetups/${matchId}/outcome`, { outcome: 'maybe' })).status).toBe(400);
    expect((await as('ana', 'PUT', `/me/meetups/not-a-match/outcome`, { outcome: 'met' })).status).toBe(404);
    expect((await as('ana', 'PUT', `/me/meetups/${matchId}/outcome`, { outcome: 'met' })).body.myOutcome).toBe('met');
    const benMatch = (await as('ben', 'GET', '/me/meetups')).body.current.id as string;
    expect((await as('chloe', 'PUT', `/me/meetups/${benMatch}/outcome`, { outcome: 'skipped' })).body.myOutcome).toBe('skipped');

    // Next week: Eve is back; pairs of the last rounds are not repeated; who did not answer is asked.
    const r2 = (await runMeetupRound(db, tenant, week(1)))!;
    expect(r2).toMatchObject({ created: true, optedIn: 5, matches: 2 });
    const m2 = await matches(r2.roundId);
    for (const m of m2) expect(m1.map(pairKey)).not.toContain(pairKey(m));
    expect(await notes('ana', 'meetup_followup')).toHaveLength(0);
    expect(await notes('chloe', 'meetup_followup')).toHaveLength(0);
    expect((await notes('dan', 'meetup_followup'))[0]!.data.matchId).toBe(matchId);
    expect(await notes('ben', 'meetup_followup')).toHaveLength(1);

    // Opting out and snoozing are honoured.
    await as('ben', 'PUT', '/me/meetups/preference', { enabled: false });
    const r3 = (await runMeetupRound(db, tenant, week(2)))!;
    expect((await matches(r3.roundId)).flatMap((m) => [m.a, m.b])).not.toContain(id.ben);
    expect(r3.optedIn).toBe(4);
  });

  test('no pair again within the configured rounds; rounds can be switched off', async () => {
    expect((await as('admin', 'PUT', '/meetups/settings', { noRepeatRounds: 100 })).status).toBe(200);
    const seen = new Set((await db.query<{ k: string }>("select least(person_a, person_b)::text || '|' || greatest(person_a, person_b)::text as k from meetup_matches where tenant_id = $1", [tenant])).rows.map((x) => x.k));
    for (let w = 3; w < 8; w++) {
      const r = (await runMeetupRound(db, tenant, week(w)))!;
      for (const m of await matches(r.roundId)) {
        expect(seen.has(pairKey(m))).toBe(false);
        seen.add(pairKey(m));
      }
    }
    expect((await as('admin', 'PUT', '/meetups/settings', { enabled: false })).status).toBe(200);
    expect(await runMeetupRound(db, tenant, week(9))).toBeNull();
    expect((await as('admin', 'PUT', '/meetups/settings', { enabled: true })).status).toBe(200);
  });

  test('statistics of meetings held: administrators, HR and communicators only', async () => {
    expect((await as('ana', 'GET', '/meetups/stats')).status).toBe(403);
    const stats = (await as('comms', 'GET', '/meetups/stats')).body;
    expect(stats.rounds).toBeGreaterThanOrEqual(3);
    expect(stats.met).toBe(1);
    expect(stats.skipped).toBe(1);
    expect(stats.matches).toBe(stats.met + stats.skipped + stats.unanswered);
    expect(stats.metRate).toBe(0.5);
    expect(stats.optedIn).toBe(4);
    expect(stats.crossDepartment).toBeGreaterThanOrEqual(2);
    expect(stats.recentRounds[0].startsOn > stats.recentRounds[1].startsOn).toBe(true);
    expect((await as('admin', 'GET', '/meetups/stats')).status).toBe(200);
  });
});
