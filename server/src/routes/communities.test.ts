import { createTestTenant, testDatabases } from '@ruche/core/testing';
import { canOnCommunity, communityFacts, type Db } from '@ruche/core';
import type { InjectOptions } from 'fastify';
import { localConfig, testApp } from '../testing.js';
import type { RucheApp } from '../app.js';

describe.each(testDatabases())('community API on $name', ({ open }) => {
  let db: Db;
  let ruche: RucheApp;
  let tenant: string;
  const people: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    db = await open();
    tenant = await createTestTenant(db, 'Communities');
    ruche = await testApp(db, localConfig(), tenant);
    for (const name of ['alice', 'bob', 'carol', 'dan', 'erin', 'admin']) {
      const r = await db.query<{ id: string }>(
        'insert into people (tenant_id, upn, display_name, roles) values ($1, $2, $3, $4) returning id',
        [tenant, `${name}@c.test`, name[0]!.toUpperCase() + name.slice(1), name === 'admin' ? ['admin'] : []],
      );
      people[name] = r.rows[0]!.id;
      tokens[name] = (await ruche.devIdentity!.issue({ tenantId: tenant, personId: people[name]!, upn: `${name}@c.test`, name })).token;
    }
  });
  afterAll(async () => {
    await ruche.app.close();
    await db.close();
  });

  const as = (who: string, req: InjectOptions) =>
    ruche.app.inject({ ...req, headers: { ...(req.headers ?? {}), authorization: `Bearer ${tokens[who]}` } });
  const create = async (who: string, body: Record<string, unknown>) => {
    const r = await as(who, { method: 'POST', url: '/api/v1/communities', payload: body });
    expect({ status: r.statusCode, body: r.statusCode === 201 ? null : r.json() }).toEqual({ status: 201, body: null });
    return r.json() as { id: string; slug: string; name: string };
  };
  const audit = async (communityId: string) =>
    (
      await db.query<{ action: string; actor_id: string | null; data: Record<string, unknown> }>(
        'select action, actor_id, data from audit_log where tenant_id = $1 and target_id = $2 order by id',
        [tenant, communityId],
      )
    ).rows;

  describe('create', () => {
    test('any employee creates an interest community: owner, following, slug with accents folded, audit', async () => {
      const r = await as('alice', { method: 'POST', url: '/api/v1/communities', payload: { name: '  Équipe   Vélo & Café ', kind: 'interest', visibility: 'public', description: 'On roule' } });
      expect(r.statusCode).toBe(201);
      const c = r.json();
      expect(c).toMatchObject({
        name: 'Équipe Vélo & Café',
        slug: 'equipe-velo-and-cafe',
        kind: 'interest',
        visibility: 'public',
        isOfficial: false,
        memberCount: 1,
        membership: { role: 'owner', state: 'active' },
        following: true,
        permissions: { manage: true, moderate: true, post: true },
      });
      expect(r.headers.location).toBe(`/api/v1/communities/${c.id}`);
      const again = await create('bob', { name: 'Equipe velo & cafe', kind: 'project', visibility: 'secret' });
      expect(again.slug).toBe('equipe-velo-and-cafe-2');
      const third = await create('bob', { name: 'Équipe Vélo & Café', kind: 'project', visibility: 'public' });
      expect(third.slug).toBe('equipe-velo-and-cafe-3');
      expect((await audit(c.id)).map((a) => a.action)).toEqual(['community.create']);
      const bySlug = await as('carol', { method: 'GET', url: '/api/v1/communities/equipe-velo-and-cafe' });
      expect(bySlug.json()).toMatchObject({ id: c.id, membership: null, following: false, permissions: { join: true, manage: false } });
    });

    test.each([
      ['a name too short', { name: 'x', kind: 'interest', visibility: 'public' }, 'name'],
      ['a name without letters or digits', { name: '!!! ???', kind: 'interest', visibility: 'public' }, 'name'],
      ['an unknown kind', { name: 'Club', kind: 'club', visibility: 'public' }, 'body.kind'],
      ['an org unit on an interest community', { name: 'Club', kind: 'interest', visibility: 'public', orgUnit: { department: 'IT' } }, 'orgUnit'],
    ])('%s is refused with a clear error', async (_n, body, path) => {
      const r = await as('alice', { method: 'POST', url: '/api/v1/communities', payload: body });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(r.json().errors[0].path).toContain(path);
    });

    test('org-unit communities and the official flag are for tenant admins', async () => {
      const orgUnit = { name: 'Finance', kind: 'org_unit', visibility: 'public', orgUnit: { department: 'Finance' } };
      expect((await as('alice', { method: 'POST', url: '/api/v1/communities', payload: orgUnit })).statusCode).toBe(403);
      expect((await as('alice', { method: 'POST', url: '/api/v1/communities', payload: { name: 'News', kind: 'interest', visibility: 'public', isOfficial: true } })).statusCode).toBe(403);
      const c = await create('admin', orgUnit);
      expect(c).toMatchObject({ kind: 'org_unit', orgUnit: { department: 'Finance' } });
      const missing = await as('admin', { method: 'POST', url: '/api/v1/communities', payload: { name: 'Nothing', kind: 'org_unit', visibility: 'public' } });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().errors[0].path).toBe('orgUnit');
      expect(await create('admin', { name: 'Official news', kind: 'interest', visibility: 'public', isOfficial: true })).toMatchObject({ isOfficial: true });
    });

    test('Idempotency-Key: a retried create returns the same community and makes one row; another body is refused', async () => {
      const key = 'create-community-0001';
      const body = { name: 'Idempotent club', kind: 'interest', visibility: 'public' };
      const first = await as('alice', { method: 'POST', url: '/api/v1/communities', payload: body, headers: { 'idempotency-key': key } });
      const second = await as('alice', { method: 'POST', url: '/api/v1/communities', payload: body, headers: { 'idempotency-key': key } });
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.json().id).toBe(first.json().id);
      const rows = await db.query<{ n: number }>("select count(*)::int as n from communities where tenant_id = $1 and name = 'Idempotent club'", [tenant]);
      expect(rows.rows[0]!.n).toBe(1);
      const other = await as('alice', { method: 'POST', url: '/api/v1/communities', payload: { ...body, name: 'Another club' }, headers: { 'idempotency-key': key } });
      expect(other.statusCode).toBe(409);
      expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  test('settings: owners change them, audited; the official flag needs a tenant admin; bad input keeps what was saved', async () => {
    const c = await create('alice', { name: 'Settings club', kind: 'interest', visibility: 'public' });
    const url = `/api/v1/communities/${c.id}`;
    const ok = await as('alice', { method: 'PATCH', url, payload: { name: 'Settings club 2', visibility: 'private', restrictedPosting: true } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'Settings club 2', slug: c.slug, visibility: 'private', restrictedPosting: true });
    expect((await as('bob', { method: 'PATCH', url, payload: { description: 'x' } })).statusCode).toBe(403);
    const official = await as('alice', { method: 'PATCH', url, payload: { isOfficial: true } });
    expect(official.statusCode).toBe(403);
    expect((await as('admin', { method: 'PATCH', url, payload: { isOfficial: true } })).json().isOfficial).toBe(true);
    const bad = await as('alice', { method: 'PATCH', url, payload: { name: '?', description: 'lost?' } });
    expect(bad.statusCode).toBe(400);
    expect((await as('alice', { method: 'GET', url })).json()).toMatchObject({ name: 'Settings club 2', description: '', isOfficial: true });
    const log = await audit(c.id);
    expect(log.map((a) => a.action)).toEqual(['community.create', 'community.settings', 'community.settings']);
    expect(log[1]!.data).toMatchObject({ changes: { name: { from: 'Settings club', to: 'Settings club 2' }, visibility: { from: 'public', to: 'private' } } });
    expect(log[2]!.actor_id).toBe(people.admin);
  });

  test('archive makes a community read-only; unarchive restores it; both audited', async () => {
    const c = await create('alice', { name: 'Archive club', kind: 'interest', visibility: 'public' });
    const url = `/api/v1/communities/${c.id}`;
    expect((await as('bob', { method: 'POST', url: `${url}/archive` })).statusCode).toBe(403);
    const archived = await as('alice', { method: 'POST', url: `${url}/archive` });
    expect(archived.json()).toMatchObject({ archived: true, permissions: { post: false, join: false } });
    expect((await as('bob', { method: 'POST', url: `${url}/join` })).statusCode).toBe(403);
    expect((await as('alice', { method: 'PATCH', url, payload: { description: 'x' } })).statusCode).toBe(403);
    expect((await as('bob', { method: 'GET', url })).statusCode).toBe(200);
    const alice = { tenantId: tenant, personId: people.alice!, roles: [] };
    expect(canOnCommunity(alice, 'post', (await communityFacts(db, alice, c.id))!)).toBe(false);
    expect((await as('alice', { method: 'POST', url: `${url}/unarchive` })).json().archived).toBe(false);
    expect((await as('bob', { method: 'POST', url: `${url}/join` })).statusCode).toBe(200);
    expect((await audit(c.id)).map((a) => a.action)).toEqual(['community.create', 'community.archive', 'community.unarchive']);
  });

  test('directory: kind and mine filters, accent- and typo-tolerant search, keyset pages, membership per item, secret hidden', async () => {
    const t = await createTestTenant(db, 'Directory');
    const ids: Record<string, string> = {};
    for (const name of ['u1', 'u2']) {
      const r = await db.query<{ id: string }>("insert into people (tenant_id, upn, display_name) values ($1, $2, $2) returning id", [t, `${name}@d.test`]);
      ids[name] = r.rows[0]!.id;
    }
    const tok = async (n: string) => (await ruche.devIdentity!.issue({ tenantId: t, personId: ids[n]!, upn: `${n}@d.test`, name: n })).token;
    const u1 = await tok('u1');
    const u2 = await tok('u2');
    const req = (token: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) =>
      ruche.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    const names = ['Photographie', 'Vélo au travail', 'Marketing digital', 'Data science', 'Jardinage', 'Cuisine du monde', 'Secret santa'];
    for (const name of names) {
      const r = await req(u1, '/api/v1/communities', 'POST', { name, kind: name.startsWith('Data') ? 'profession' : 'interest', visibility: name.startsWith('Secret') ? 'secret' : 'public' });
      expect(r.statusCode).toBe(201);
    }
    await req(u2, `/api/v1/communities/jardinage/join`, 'POST');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await req(u2, `/api/v1/communities?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.statusCode).toBe(200);
      seen.push(...r.json().items.map((x: { name: string }) => x.name));
      cursor = r.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([...names].filter((n) => !n.startsWith('Secret')).sort());
    const newest: string[] = [];
    cursor = null;
    do {
      const r = await req(u2, `/api/v1/communities?sort=newest&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      newest.push(...r.json().items.map((x: { name: string }) => x.name));
      cursor = r.json().nextCursor;
    } while (cursor);
    expect(newest).toEqual(names.filter((n) => !n.startsWith('Secret')).reverse());
    expect((await req(u1, '/api/v1/communities?limit=100')).json().items).toHaveLength(7);
    const mine = (await req(u2, '/api/v1/communities?mine=true')).json().items;
    expect(mine.map((x: { name: string; membership: unknown }) => [x.name, x.membership])).toEqual([['Jardinage', { role: 'member', state: 'active' }]]);
    expect((await req(u2, '/api/v1/communities?kind=profession')).json().items.map((x: { name: string }) => x.name)).toEqual(['Data science']);
    const search = async (token: string, q: string) =>
      (await req(token, `/api/v1/communities?q=${encodeURIComponent(q)}`)).json().items.map((x: { name: string }) => x.name);
    expect(await search(u2, 'velo')).toEqual(['Vélo au travail']);
    expect(await search(u2, 'fotographie')).toEqual(['Photographie']);
    expect(await search(u2, 'marketng')).toEqual(['Marketing digital']);
    expect(await search(u2, 'secret')).toEqual([]);
    expect(await search(u1, 'secret')).toEqual(['Secret santa']);
    expect(await search(u2, '50%_')).toEqual([]);
    const ac = async (token: string, q: string) =>
      (await req(token, `/api/v1/communities/autocomplete?q=${encodeURIComponent(q)}`)).json().items.map((x: { slug: string }) => x.slug);
    expect(await ac(u2, '@jard')).toEqual(['jardinage']);
    expect(await ac(u2, 'sec')).toEqual([]);
    expect(await ac(u1, 'sec')).toEqual(['secret-santa']);
    const badCursor = await req(u2, '/api/v1/communities?cursor=nonsense');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().code).toBe('INVALID_CURSOR');
  });

  test('membership: join public, request/approve/deny private, invite/accept/decline, members paged, audit', async () => {
    const pub = await create('alice', { name: 'Open house', kind: 'interest', visibility: 'public' });
    const joined = await as('bob', { method: 'POST', url: `/api/v1/communities/${pub.id}/join` });
    expect(joined.json()).toMatchObject({ membership: { role: 'member', state: 'active' }, community: { memberCount: 2, following: true } });

    const priv = await create('alice', { name: 'Closed room', kind: 'project', visibility: 'private' });
    const url = `/api/v1/communities/${priv.id}`;
    expect((await as('bob', { method: 'POST', url: `${url}/join` })).statusCode).toBe(403);
    expect((await as('bob', { method: 'GET', url: `${url}/members` })).statusCode).toBe(403);
    const asked = await as('bob', { method: 'POST', url: `${url}/requests` });
    expect(asked.statusCode).toBe(201);
    expect(asked.json().membership).toEqual({ role: 'member', state: 'requested' });
    await as('carol', { method: 'POST', url: `${url}/requests` });
    expect((await as('bob', { method: 'GET', url: `${url}/requests` })).statusCode).toBe(403);
    const pending = await as('alice', { method: 'GET', url: `${url}/requests` });
    expect(pending.json().items.map((x: { displayName: string }) => x.displayName)).toEqual(['Bob', 'Carol']);
    const approved = await as('alice', { method: 'POST', url: `${url}/requests/${people.bob}/approve` });
    expect(approved.json()).toMatchObject({ personId: people.bob, state: 'active', role: 'member' });
    expect((await as('bob', { method: 'GET', url })).json()).toMatchObject({ following: true, permissions: { read: true, post: true } });
    expect((await as('alice', { method: 'POST', url: `${url}/requests/carol@c.test/deny`, payload: { reason: 'Not now' } })).statusCode).toBe(204);
    expect((await as('alice', { method: 'POST', url: `${url}/requests/${people.carol}/approve` })).json().code).toBe('COMMUNITY_NO_REQUEST');

    const invited = await as('alice', { method: 'POST', url: `${url}/invitations`, payload: { person: 'dan@c.test' } });
    expect(invited.statusCode).toBe(201);
    expect(invited.json()).toMatchObject({ state: 'invited' });
    expect((await as('alice', { method: 'POST', url: `${url}/invitations`, payload: { person: 'bob@c.test' } })).json().code).toBe('COMMUNITY_ALREADY_MEMBER');
    expect((await as('dan', { method: 'POST', url: `${url}/invitation/accept` })).json().membership).toEqual({ role: 'member', state: 'active' });
    await as('alice', { method: 'POST', url: `${url}/invitations`, payload: { person: people.erin } });
    expect((await as('erin', { method: 'POST', url: `${url}/invitation/decline` })).statusCode).toBe(204);
    expect((await as('erin', { method: 'POST', url: `${url}/invitation/accept` })).json().code).toBe('COMMUNITY_NO_INVITATION');

    const page1 = await as('bob', { method: 'GET', url: `${url}/members?limit=2` });
    const page2 = await as('bob', { method: 'GET', url: `${url}/members?limit=2&cursor=${page1.json().nextCursor}` });
    expect([...page1.json().items, ...page2.json().items].map((x: { displayName: string }) => x.displayName)).toEqual(['Alice', 'Bob', 'Dan']);
    expect(page2.json().nextCursor).toBeNull();
    expect((await audit(priv.id)).map((a) => a.action)).toEqual([
      'community.create',
      'community.approve',
      'community.deny',
      'community.invite',
      'community.invite',
    ]);
  });

  test('leave: unfollows; the last owner must name another owner; roles by owners; audited', async () => {
    const c = await create('alice', { name: 'Leaving club', kind: 'interest', visibility: 'public' });
    const url = `/api/v1/communities/${c.id}`;
    await as('bob', { method: 'POST', url: `${url}/join` });
    await as('carol', { method: 'POST', url: `${url}/join` });
    expect((await as('carol', { method: 'POST', url: `${url}/leave` })).statusCode).toBe(204);
    expect((await as('carol', { method: 'GET', url })).json()).toMatchObject({ membership: null, following: false });
    const refused = await as('alice', { method: 'POST', url: `${url}/leave` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'COMMUNITY_LAST_OWNER' });
    expect(refused.json().detail).toMatch(/last owner/);
    expect((await as('bob', { method: 'PUT', url: `${url}/members/${people.alice}/role`, payload: { role: 'member' } })).statusCode).toBe(403);
    expect((await as('alice', { method: 'PUT', url: `${url}/members/${people.alice}/role`, payload: { role: 'member' } })).json().code).toBe('COMMUNITY_LAST_OWNER');
    expect((await as('alice', { method: 'PUT', url: `${url}/members/${people.bob}/role`, payload: { role: 'moderator' } })).json()).toMatchObject({ role: 'moderator' });
    expect((await as('alice', { method: 'POST', url: `${url}/leave`, payload: { newOwner: 'bob@c.test' } })).statusCode).toBe(204);
    expect((await as('bob', { method: 'GET', url })).json()).toMatchObject({ membership: { role: 'owner' }, memberCount: 1 });
    const log = await audit(c.id);
    expect(log.map((a) => a.action)).toEqual(['community.create', 'community.set_role', 'community.set_role']);
    expect(log[2]!.data).toMatchObject({ personId: people.bob, from: 'moderator', to: 'owner', handover: true });
  });

  test('ban: the banned cannot rejoin, post, comment or react; a moderator cannot ban an owner; unban; audited', async () => {
    const c = await create('alice', { name: 'Ban club', kind: 'interest', visibility: 'public' });
    const url = `/api/v1/communities/${c.id}`;
    for (const p of ['bob', 'carol', 'dan']) await as(p, { method: 'POST', url: `${url}/join` });
    await as('alice', { method: 'PUT', url: `${url}/members/${people.bob}/role`, payload: { role: 'moderator' } });
    expect((await as('bob', { method: 'PUT', url: `${url}/bans/${people.alice}` })).statusCode).toBe(403);
    expect((await as('carol', { method: 'PUT', url: `${url}/bans/${people.dan}` })).statusCode).toBe(403);
    const banned = await as('bob', { method: 'PUT', url: `${url}/bans/${people.carol}`, payload: { reason: 'spam' } });
    expect(banned.json()).toMatchObject({ state: 'banned' });
    const rejoin = await as('carol', { method: 'POST', url: `${url}/join` });
    expect(rejoin.statusCode).toBe(403);
    expect(rejoin.json().code).toBe('COMMUNITY_BANNED');
    expect((await as('carol', { method: 'PUT', url: `${url}/follow` })).statusCode).toBe(403);
    const carol = { tenantId: tenant, personId: people.carol!, roles: [] };
    const facts = (await communityFacts(db, carol, c.id))!;
    for (const action of ['post', 'comment', 'react', 'read'] as const) expect(canOnCommunity(carol, action, facts)).toBe(false);
    const bannedList = await as('bob', { method: 'GET', url: `${url}/members?state=banned` });
    expect(bannedList.json().items.map((x: { personId: string }) => x.personId)).toEqual([people.carol]);
    expect((await as('bob', { method: 'DELETE', url: `${url}/bans/${people.carol}` })).statusCode).toBe(204);
    expect((await as('carol', { method: 'POST', url: `${url}/join` })).statusCode).toBe(200);
    const log = await audit(c.id);
    expect(log.map((a) => a.action)).toEqual(['community.create', 'community.set_role', 'community.ban', 'community.unban']);
    expect(log[2]).toMatchObject({ actor_id: people.bob, data: { personId: people.carol, reason: 'spam' } });
  });

  test('Idempotency-Key on request and invitation: a retry replays the first answer and audits once', async () => {
    const c = await create('alice', { name: 'Replay room', kind: 'interest', visibility: 'private' });
    const url = `/api/v1/communities/${c.id}`;
    const invite = { method: 'POST' as const, url: `${url}/invitations`, payload: { person: 'erin@c.test' }, headers: { 'idempotency-key': 'invite-erin-0001' } };
    const a = await as('alice', invite);
    const b = await as('alice', invite);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.json()).toEqual(a.json());
    expect((await audit(c.id)).filter((x) => x.action === 'community.invite')).toHaveLength(1);
    const ask = { method: 'POST' as const, url: `${url}/requests`, headers: { 'idempotency-key': 'ask-replay-0001' } };
    const r1 = await as('dan', ask);
    const r2 = await as('dan', ask);
    expect([r1.statusCode, r2.statusCode]).toEqual([201, 201]);
    expect(r2.headers['idempotent-replayed']).toBe('true');
  });

  test('follow without joining: public only; secret stays 404 for non-members', async () => {
    const pub = await create('alice', { name: 'Follow me', kind: 'interest', visibility: 'public' });
    const priv = await create('alice', { name: 'Follow not', kind: 'interest', visibility: 'private' });
    const sec = await create('alice', { name: 'Hidden garden', kind: 'interest', visibility: 'secret' });
    const f = await as('dan', { method: 'PUT', url: `/api/v1/communities/${pub.id}/follow` });
    expect(f.json()).toMatchObject({ following: true, membership: null });
    expect((await as('dan', { method: 'DELETE', url: `/api/v1/communities/${pub.id}/follow` })).json().following).toBe(false);
    expect((await as('dan', { method: 'PUT', url: `/api/v1/communities/${priv.id}/follow` })).statusCode).toBe(403);
    const hidden = await as('dan', { method: 'GET', url: `/api/v1/communities/${sec.slug}` });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).not.toContain('Hidden garden');
    await as('alice', { method: 'POST', url: `/api/v1/communities/${sec.id}/invitations`, payload: { person: 'dan@c.test' } });
    expect((await as('dan', { method: 'GET', url: `/api/v1/communities/${sec.id}` })).json()).toMatchObject({ membership: { state: 'invited' } });
    expect((await as('dan', { method: 'POST', url: `/api/v1/communities/${sec.id}/invitation/accept` })).json().membership.state).toBe('active');
  });
});
