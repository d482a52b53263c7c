import { testDatabases, createTestTenant } from '@ruche/core/testing';
import { type Db, readFeed } from '@ruche/core';
import type { RucheApp } from '../app.js';
import { localConfig, testApp } from '../testing.js';

// Managers first, so that their reports can name them.
const people = ['boss', 'rdboss', 'ana', 'ben', 'fay', 'chloe', 'eve', 'dan', 'gus', 'outsider', 'admin', 'capper'] as const;
type Who = (typeof people)[number];
interface Res {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by the assertions themselves
  body: any;
}

describe.each(testDatabases())('recognition API on $name', ({ open }) => {
  let db: Db;
  let tenant: string;
  let ruche: RucheApp;
  const id = {} as Record<Who, string>;
  const tokens = new Map<Who, string>();
  const upn = (w: Who) => `${w}@hexagone.example`;

  async function as(who: Who, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Res> {
    if (!tokens.has(who)) {
      const t = await ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: upn(who) } });
      tokens.set(who, t.json().access_token);
    }
    const r = await ruche.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: { ...headers, authorization: `Bearer ${tokens.get(who)}` },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, body: r.body ? r.json() : null };
  }
  const give = (who: Who, body: Record<string, unknown>, headers?: Record<string, string>) =>
    as(who, 'POST', '/kudos', { valueKey: 'teamwork', message: 'Thank you for the help!', visibility: 'public', ...body }, headers);
  const kudosCount = async () =>
    (await db.query<{ n: number }>('select count(*)::int as n from kudos where tenant_id = $1', [tenant])).rows[0]!.n;
  const notifications = async (who: Who) =>
    (await db.query<{ kind: string; data: Record<string, unknown> }>('select kind, data from notifications where tenant_id = $1 and person_id = $2 order by created_at desc', [tenant, id[who]])).rows;
  const setSettings = (body: Record<string, unknown>) => as('admin', 'PUT', '/recognition/settings', body);

  beforeAll(async () => {
    db = await open();
    tenant = await createTestTenant(db, 'Hexagone');
    const spec: Record<Who, { dept: string | null; manager?: Who; country?: string; former?: boolean; admin?: boolean }> = {
      boss: { dept: 'Sales', country: 'France' },
      ana: { dept: 'Sales', manager: 'boss', country: 'France' },
      ben: { dept: 'Sales', manager: 'boss', country: 'France' },
      fay: { dept: 'Sales', manager: 'boss', country: 'France' },
      rdboss: { dept: 'R&D', country: 'France' },
      chloe: { dept: 'R&D', manager: 'rdboss', country: 'Germany' },
      eve: { dept: 'R&D', manager: 'rdboss', country: 'France' },
      gus: { dept: 'R&D', manager: 'rdboss', country: 'France' },
      dan: { dept: 'Sales', manager: 'boss', former: true },
      outsider: { dept: 'Ops' },
      admin: { dept: 'IT', admin: true },
      capper: { dept: 'Ops' },
    };
    for (const who of people) {
      const s = spec[who];
      const r = await db.query<{ id: string }>(
        `insert into people (tenant_id, upn, display_name, department, country, manager_id, is_former_employee, roles)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [tenant, upn(who), who[0]!.toUpperCase() + who.slice(1), s.dept, s.country ?? null, s.manager ? id[s.manager] : null, s.former ?? false, s.admin ? ['admin'] : []],
      );
      id[who] = r.rows[0]!.id;
    }
    ruche = await testApp(db, localConfig(), tenant);
  });
  afterAll(async () => {
    await ruche.app.close();
    await db.close();
  });

  test('company values: defaults seeded for a new tenant; admins manage them; a retired value cannot be used', async () => {
    const v = await as('ana', 'GET', '/kudos/values');
    expect(v.status).toBe(200);
    expect(v.body.items.map((x: { key: string }) => x.key)).toEqual(['teamwork', 'customer', 'innovation', 'courage', 'kindness']);
    expect(v.body.items[0]).toMatchObject({ name: { en: 'Teamwork', fr: "Esprit d'équipe" }, icon: 'PeopleTeam', colour: '#0F6CBD' });
    expect((await as('ana', 'PUT', '/kudos/values/curiosity', { name: { en: 'Curiosity', fr: 'Curiosité' }, icon: 'Search', colour: '#123456' })).status).toBe(403);
    const put = await as('admin', 'PUT', '/kudos/values/curiosity', { name: { en: 'Curiosity', fr: 'Curiosité' }, icon: 'Search', colour: '#abcdef' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ key: 'curiosity', colour: '#ABCDEF', active: true, position: 6 });
    const bad = await as('admin', 'PUT', '/kudos/values/Bad Key', { name: { en: 'x', fr: 'x' }, icon: 'Search', colour: '#abcdef' });
    expect(bad.status).toBe(400);
    expect((await as('admin', 'DELETE', '/kudos/values/curiosity')).status).toBe(204);
    expect((await as('ana', 'GET', '/kudos/values')).body.items.some((x: { key: string }) => x.key === 'curiosity')).toBe(false);
    expect((await as('admin', 'GET', '/kudos/values?all=true')).body.items.find((x: { key: string }) => x.key === 'curiosity')).toMatchObject({ active: false });
    const before = await kudosCount();
    const refused = await give('ana', { recipients: [upn('ben')], valueKey: 'curiosity' });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('KUDOS_VALUE_UNKNOWN');
    expect(await kudosCount()).toBe(before);
  });

  test('giving: to several people, notified with their manager, idempotent; never to oneself or a former employee', async () => {
    const before = await kudosCount();
    const self = await give('ana', { recipients: [upn('ben'), upn('ana')] });
    expect([self.status, self.body.code]).toEqual([400, 'KUDOS_SELF']);
    const former = await give('ana', { recipients: [id.dan] });
    expect([former.status, former.body.code]).toEqual([403, 'FORMER_EMPLOYEE']);
    const nobody = await give('ana', { recipients: ['nobody@hexagone.example'] });
    expect(nobody.status).toBe(404);
    expect(await kudosCount()).toBe(before);

    const key = { 'idempotency-key': 'kudos-ana-1-xyz' };
    const r = await give('ana', { recipients: [upn('ben'), id.fay], message: '  Great demo for the client  ' }, key);
    expect(r.status).toBe(201);
    expect(r.body.kudos).toMatchObject({ giver: { id: id.ana }, message: 'Great demo for the client', visibility: 'public', value: { key: 'teamwork' }, canDelete: true });
    expect(r.body.kudos.recipients.map((x: { id: string }) => x.id).sort()).toEqual([id.ben, id.fay].sort());
    const again = await give('ana', { recipients: [upn('ben'), id.fay], message: '  Great demo for the client  ' }, key);
    expect(again.body.kudos.id).toBe(r.body.kudos.id);
    expect(await kudosCount()).toBe(before + 1);

    expect((await notifications('ben'))[0]).toMatchObject({ kind: 'kudos_received', data: { kudosId: r.body.kudos.id } });
    expect((await notifications('fay'))[0]).toMatchObject({ kind: 'kudos_received' });
    const boss = (await notifications('boss')).filter((n) => n.kind === 'kudos_to_report');
    expect(boss).toHaveLength(1);
    expect((boss[0]!.data.reportIds as string[]).sort()).toEqual([id.ben, id.fay].sort());
    expect((await notifications('ana')).some((n) => n.kind.startsWith('kudos'))).toBe(false);
    // First kudos received: overall and per-value badges.
    expect(r.body.badges.filter((b: { personId: string }) => b.personId === id.ben).map((b: { scope: string; threshold: number }) => `${b.scope}:${b.threshold}`)).toEqual([
      'kudos:1',
      'teamwork:1',
    ]);
    // Everyone reads a public kudos.
    expect((await as('outsider', 'GET', `/kudos/${r.body.kudos.id}`)).status).toBe(200);
    expect((await as('outsider', 'GET', `/kudos/${r.body.kudos.id}`)).body.canDelete).toBe(false);
  });

  test('private kudos: only the giver, the recipients and their managers see it', async () => {
    const r = await give('ana', { recipients: [upn('ben')], visibility: 'private', message: 'Between us: thanks' });
    expect(r.status).toBe(201);
    const kid = r.body.kudos.id as string;
    for (const who of ['ana', 'ben', 'boss'] as const) expect((await as(who, 'GET', `/kudos/${kid}`)).status).toBe(200);
    for (const who of ['fay', 'outsider', 'admin', 'rdboss'] as const) {
      expect((await as(who, 'GET', `/kudos/${kid}`)).status).toBe(404);
      const page = await as(who, 'GET', '/kudos?limit=100');
      expect(page.body.items.some((k: { id: string }) => k.id === kid)).toBe(false);
      const wall = await as(who, 'GET', '/kudos/walls/departments/Sales?limit=100');
      expect(wall.body.items.some((k: { id: string }) => k.id === kid)).toBe(false);
    }
    expect((await as('boss', 'GET', '/kudos/walls/departments/sales?limit=100')).body.items.some((k: { id: string }) => k.id === kid)).toBe(true);
    expect((await notifications('boss'))[0]).toMatchObject({ kind: 'kudos_to_report', data: { kudosId: kid } });
  });

  test('community kudos: its readers see it on the community wall; others do not; the giver must take part', async () => {
    const c = await db.query<{ id: string }>(
      "insert into communities (tenant_id, slug, name, kind, visibility) values ($1, 'sales-club', 'Sales club', 'interest', 'private') returning id",
      [tenant],
    );
    const cid = c.rows[0]!.id;
    for (const who of ['ana', 'ben'] as const) {
      await db.query("insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'member', 'active')", [tenant, cid, id[who]]);
    }
    const missing = await give('ana', { recipients: [upn('ben')], visibility: 'community' });
    expect(missing.status).toBe(400);
    const notMember = await give('outsider', { recipients: [upn('ben')], visibility: 'community', communityId: cid });
    expect(notMember.status).toBe(403);
    const r = await give('ana', { recipients: [upn('ben')], visibility: 'community', communityId: cid, valueKey: 'customer' });
    expect(r.status).toBe(201);
    expect(r.body.kudos.community).toEqual({ id: cid, name: 'Sales club' });
    const wall = await as('ben', 'GET', `/kudos/walls/communities/${cid}`);
    expect(wall.body.items.map((k: { id: string }) => k.id)).toEqual([r.body.kudos.id]);
    expect((await as('outsider', 'GET', `/kudos/walls/communities/${cid}`)).status).toBe(403);
    expect((await as('outsider', 'GET', `/kudos/${r.body.kudos.id}`)).status).toBe(404);
    // The manager does not read the community: not notified of a kudos they may not see.
    expect((await notifications('boss')).some((n) => n.data.kudosId === r.body.kudos.id)).toBe(false);
  });

  test('walls are keyset paged without loss or repetition; deleting hides a kudos', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await give('rdboss', { recipients: [upn('gus')], message: `Paging ${i}`, valueKey: 'kindness' });
      expect(r.status).toBe(201);
      ids.push(r.body.kudos.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Res = await as('outsider', 'GET', `/kudos/walls/departments/R%26D?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((k: { id: string }) => k.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    expect((await as('outsider', 'GET', '/kudos?cursor=not-a-cursor')).status).toBe(400);
    expect((await as('outsider', 'DELETE', `/kudos/${ids[0]}`)).status).toBe(403);
    expect((await as('rdboss', 'DELETE', `/kudos/${ids[0]}`)).status).toBe(204);
    expect((await as('gus', 'GET', `/kudos/${ids[0]}`)).status).toBe(404);
  });

  test('milestone badges at 10 kudos received, overall and per value', async () => {
    for (let i = 0; i < 8; i++) {
      const k = await db.query<{ id: string }>(
        "insert into kudos (tenant_id, giver_id, value_key, message, visibility, created_at) values ($1, $2, 'innovation', 'old', 'public', now() - interval '2 days') returning id",
        [tenant, id.outsider],
      );
      await db.query('insert into kudos_recipients (tenant_id, kudos_id, recipient_id) values ($1, $2, $3)', [tenant, k.rows[0]!.id, id.gus]);
    }
    // gus has 2 kindness (one deleted) + 8 innovation: the next innovation kudos is the 10th.
    const r = await give('ana', { recipients: [upn('gus')], valueKey: 'innovation' });
    expect(r.status).toBe(201);
    const got = r.body.badges.map((b: { scope: string; threshold: number }) => `${b.scope}:${b.threshold}`);
    expect(got).toEqual(['innovation:1', 'kudos:10']);
    const next = await give('ben', { recipients: [upn('gus')], valueKey: 'innovation' });
    expect(next.body.badges.map((b: { scope: string; threshold: number }) => `${b.scope}:${b.threshold}`)).toEqual(['innovation:10']);
    const badges = await as('outsider', 'GET', `/people/${id.gus}/badges`);
    expect(badges.body.items.map((b: { scope: string; threshold: number }) => `${b.scope}:${b.threshold}`)).toEqual([
      'kudos:1',
      'kudos:10',
      'innovation:1',
      'innovation:10',
      'kindness:1',
    ]);
  });

  test('daily cap per giver (tenant setting), message screening, rate limits keep nothing', async () => {
    expect((await setSettings({ dailyCap: 2 })).body).toMatchObject({ dailyCap: 2 });
    expect((await as('ana', 'PUT', '/recognition/settings', { dailyCap: 50 })).status).toBe(403);
    expect((await as('ana', 'GET', '/recognition/settings')).status).toBe(403);
    expect((await give('capper', { recipients: [upn('ben')] })).status).toBe(201);
    expect((await give('capper', { recipients: [upn('fay')] })).status).toBe(201);
    const before = await kudosCount();
    const capped = await give('capper', { recipients: [upn('gus')] });
    expect([capped.status, capped.body.code]).toEqual([429, 'KUDOS_DAILY_CAP']);
    expect(await kudosCount()).toBe(before);
    await setSettings({ dailyCap: 10 });

    await db.query("insert into keyword_rules (tenant_id, kind, pattern, action) values ($1, 'term', 'idiot', 'block')", [tenant]);
    const blocked = await give('capper', { recipients: [upn('ben')], message: 'Thanks, you idiot' });
    expect([blocked.status, blocked.body.code]).toEqual([400, 'CONTENT_BLOCKED']);
    expect(await kudosCount()).toBe(before);
    const empty = await give('capper', { recipients: [upn('ben')], message: '   ' });
    expect(empty.status).toBe(400);
  });

  test('opt-out: nobody can give them kudos; their kudos are hidden from others; absent from walls, badges and leaderboards', async () => {
    const r = await give('ana', { recipients: [upn('eve')], message: 'Before the opt-out' });
    expect(r.status).toBe(201);
    const both = await give('ana', { recipients: [upn('eve'), upn('gus')], message: 'Both of you' });
    expect(both.status).toBe(201);
    expect((await as('eve', 'PUT', '/me/recognition', { optedOut: true, publicRanking: true })).body).toMatchObject({ optedOut: true, publicRanking: true });
    const refused = await give('ben', { recipients: [upn('eve')] });
    expect([refused.status, refused.body.code]).toEqual([403, 'KUDOS_RECOGNITION_OFF']);
    expect(refused.body.detail).toContain('Eve');
    // Hidden from others, still seen by Eve herself.
    expect((await as('outsider', 'GET', `/kudos/${r.body.kudos.id}`)).status).toBe(404);
    expect((await as('ana', 'GET', `/kudos/${r.body.kudos.id}`)).status).toBe(404);
    expect((await as('eve', 'GET', `/kudos/${r.body.kudos.id}`)).status).toBe(200);
    // A kudos shared with someone else stays, without her name.
    const shared = await as('outsider', 'GET', `/kudos/${both.body.kudos.id}`);
    expect(shared.body.recipients.map((x: { id: string }) => x.id)).toEqual([id.gus]);
    for (const url of ['/kudos?limit=100', '/kudos/walls/departments/R%26D?limit=100', `/kudos?receivedBy=${id.eve}`]) {
      const page = await as('outsider', 'GET', url);
      expect(page.body.items.some((k: { recipients: { id: string }[] }) => k.recipients.some((x) => x.id === id.eve))).toBe(false);
    }
    expect((await as('outsider', 'GET', `/people/${id.eve}/badges`)).body.items).toEqual([]);
    expect((await as('eve', 'GET', `/people/${id.eve}/badges`)).body.items.length).toBeGreaterThan(0);
    const people = await as('outsider', 'GET', '/leaderboards/people?limit=100');
    expect(people.body.entries.some((e: { person: { id: string } }) => e.person.id === id.eve)).toBe(false);
    const teams = await as('outsider', 'GET', '/leaderboards/groups?by=team');
    expect(teams.body.entries.find((e: { key: string }) => e.key === id.rdboss).people).toBe(2); // chloe and gus, not eve
    await as('eve', 'PUT', '/me/recognition', { optedOut: false });
    expect((await as('outsider', 'GET', `/kudos/${r.body.kudos.id}`)).status).toBe(200);
  });

  test('recognition switched off for a country or an office: no kudos to or from there, hidden from walls', async () => {
    const r = await give('ana', { recipients: [upn('chloe')], message: 'Danke' });
    expect(r.status).toBe(201);
    expect((await setSettings({ disabledCountries: ['germany'], disabledOffices: ['Lyon'] })).status).toBe(200);
    const to = await give('ana', { recipients: [upn('chloe')] });
    expect([to.status, to.body.code]).toEqual([403, 'KUDOS_RECOGNITION_OFF']);
    const from = await give('chloe', { recipients: [upn('ana')] });
    expect([from.status, from.body.code]).toEqual([403, 'KUDOS_RECOGNITION_OFF']);
    expect((await as('chloe', 'GET', '/me/recognition')).body).toMatchObject({ switchedOffByRule: true, optedOut: false });
    expect((await as('outsider', 'GET', `/kudos/${r.body.kudos.id}`)).status).toBe(404);
    const wall = await as('rdboss', 'GET', '/kudos/walls/departments/R%26D?limit=100');
    expect(wall.body.items.some((k: { id: string }) => k.id === r.body.kudos.id)).toBe(false);
    const teams = await as('outsider', 'GET', '/leaderboards/groups?by=team');
    expect(teams.body.entries.find((e: { key: string }) => e.key === id.rdboss).people).toBe(2); // eve and gus
    // Offices too.
    await db.query("update people set office = 'Lyon' where tenant_id = $1 and id = $2", [tenant, id.fay]);
    expect((await give('ana', { recipients: [upn('fay')] })).status).toBe(403);
    await db.query('update people set office = null where tenant_id = $1 and id = $2', [tenant, id.fay]);
    await setSettings({ disabledCountries: [], disabledOffices: [] });
    expect((await as('outsider', 'GET', `/kudos/${r.body.kudos.id}`)).status).toBe(200);
  });

  test('my score: presence x level x activity with its inputs; leaderboards by team and department, individuals opt-in only', async () => {
    await db.query("insert into posts (tenant_id, author_id, kind, body, created_at) values ($1, $2, 'discussion', 'hello', now() - interval '1 day')", [tenant, id.ben]);
    const s = await as('ben', 'GET', '/me/score');
    expect(s.status).toBe(200);
    expect(s.body.formula).toContain('presence x level x activity');
    expect(s.body.parameters).toMatchObject({ windowDays: 30, halfLifeDays: 30 });
    // A post yesterday, kudos given today.
    expect(s.body.inputs).toMatchObject({ posts: 1, activeDays: 2, kudosGiven: 1 });
    expect(s.body.inputs.kudosReceived).toBeGreaterThanOrEqual(3);
    const { presence, level, activity } = s.body.factors;
    expect(presence).toBeCloseTo(2 / 30, 4);
    expect(level).toBeCloseTo(1 + Math.log2(1 + s.body.inputs.kudosReceived + 3 * s.body.inputs.acceptedAnswers + s.body.inputs.postsWithReactions), 3);
    expect(activity).toBeGreaterThan(3 * 0.5 ** (1 / 30) - 0.01);
    expect(s.body.score).toBeCloseTo(presence * level * activity, 1);
    const nobody = await as('admin', 'GET', '/me/score');
    expect(nobody.body.score).toBe(0);

    // Individuals appear only after opting in.
    // (Eve opted in earlier, when she came back to recognition.)
    const ids = async () => (await as('outsider', 'GET', '/leaderboards/people')).body.entries.map((e: { person: { id: string } }) => e.person.id);
    expect(await ids()).toEqual([id.eve]);
    await as('ben', 'PUT', '/me/recognition', { publicRanking: true });
    const board = await as('outsider', 'GET', '/leaderboards/people');
    expect(board.body.entries[0]).toEqual({ rank: 1, person: { id: id.ben, displayName: 'Ben', department: 'Sales' }, score: s.body.score });
    expect(await ids()).toEqual([id.ben, id.eve]);
    await as('ben', 'PUT', '/me/recognition', { publicRanking: false });
    expect(await ids()).toEqual([id.eve]);
    expect((await as('outsider', 'GET', `/leaderboards/people?managerId=${id.boss}`)).body.entries).toEqual([]);

    // Departments: Sales has boss, ana, ben, fay (dan left); small groups show no score.
    const depts = await as('outsider', 'GET', '/leaderboards/groups?by=department');
    expect(depts.body.minGroupSize).toBe(3);
    const sales = depts.body.entries.find((e: { key: string }) => e.key === 'Sales');
    expect(sales).toMatchObject({ people: 4, rank: 1 });
    expect(sales.averageScore).toBeGreaterThan(0);
    expect(depts.body.entries.find((e: { key: string }) => e.key === 'IT')).toMatchObject({ people: 1, averageScore: null, rank: null });
    const teams = await as('outsider', 'GET', '/leaderboards/groups?by=team&department=Sales');
    expect(teams.body.entries).toEqual([expect.objectContaining({ key: id.boss, name: 'Boss', people: 3 })]);
  });

  test('kudos in the home feed: recent kudos close to the viewer, first page only', async () => {
    const r = await give('fay', { recipients: [upn('ben')], message: 'For the home feed' });
    expect(r.status).toBe(201);
    const viewer = { tenantId: tenant, personId: id.ana, roles: [] };
    const page = await readFeed(db, viewer, { kind: 'home' });
    expect(page.kudos?.[0]?.id).toBe(r.body.kudos.id);
    const far = await readFeed(db, { tenantId: tenant, personId: id.outsider, roles: [] }, { kind: 'home' });
    expect(far.kudos?.some((k) => k.id === r.body.kudos.id)).toBe(false);
    const h = await as('boss', 'GET', '/kudos/highlights');
    expect(h.body.items[0].id).toBe(r.body.kudos.id);
    const home = await as('ana', 'GET', '/feeds/home');
    expect(home.status).toBe(200);
    expect(home.body.kudos[0].id).toBe(r.body.kudos.id);
  });

  test('the OpenAPI document describes the recognition API', async () => {
    const res = await ruche.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    for (const path of ['/api/v1/kudos', '/api/v1/kudos/values/{key}', '/api/v1/me/score', '/api/v1/leaderboards/groups', '/api/v1/recognition/settings', '/api/v1/kudos/walls/departments/{department}']) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.components.schemas.Kudos).toBeDefined();
    expect(doc.components.schemas.ContributionScore).toBeDefined();
  });
});
