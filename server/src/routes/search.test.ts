import { testDatabases } from '@ruche/core/testing';
import { xssPayloads, type Db } from '@ruche/core';
import { type ApiResult, type Social, type Who, socialFixture } from './posts-testing.js';

type Hit = { id: string; name?: string; displayName?: string; slug?: string; highlight?: string; titleHighlight?: string };
const ids = (items: Hit[]) => items.map((x) => x.id);

describe.each(testDatabases())('search API on $name', ({ open }) => {
  let db: Db;
  let s: Social;
  let other: Social;

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
    other = await socialFixture(db);
  });
  afterAll(async () => {
    await s.close();
    await other.close();
    await db.close();
  });

  const post = async (who: Who, communityId: string, title: string, body: string, fixture: Social = s) => {
    const r = await fixture.as(who, 'POST', '/posts', { communityId, kind: 'discussion', title, body });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const search = (who: Who, q: string, type = 'all', extra = '', fixture: Social = s): Promise<ApiResult> =>
    fixture.as(who, 'GET', `/search?q=${encodeURIComponent(q)}&type=${type}${extra}`);
  const postIds = async (who: Who, q: string) => {
    const r = await search(who, q, 'posts');
    expect(r.status).toBe(200);
    return ids(r.body.posts.items);
  };

  test('French and English words with or without accents, highlights on the words found', async () => {
    const cid = await s.community('public');
    const fr = await post('camille', cid, 'Politique de sécurité', 'La sécurité des données personnelles est l’affaire de tous.');
    const plain = await post('lea', cid, 'Revue securite', 'Une revue de securite sans accents, et un café.');
    const en = await post('lea', cid, 'Quarterly meeting', 'Notes of the quarterly meeting about the roadmap.');
    expect(new Set(await postIds('outsider', 'securite'))).toEqual(new Set([fr, plain]));
    expect(new Set(await postIds('outsider', 'Sécurité'))).toEqual(new Set([fr, plain]));
    expect(await postIds('outsider', 'cafe')).toEqual([plain]);
    expect(await postIds('outsider', 'quarterly roadmap')).toEqual([en]);
    expect(await postIds('outsider', '"quarterly meeting" -roadmap')).toEqual([]);
    const r = await search('outsider', 'sécurité données', 'posts');
    const hit = r.body.posts.items.find((x: Hit) => x.id === fr);
    expect(hit.titleHighlight).toBe('Politique de <mark>sécurité</mark>');
    expect(hit.highlight).toContain('<mark>sécurité</mark>');
    expect(hit.highlight).toContain('<mark>données</mark>');
    expect(r.body.posts.items[0].id).toBe(fr);
  });

  test('people by name with typos and accents, by job title and department; @mention autocomplete', async () => {
    await db.query(`update people set job_title = 'Responsable sécurité', department = 'Informatique' where tenant_id = $1 and id = $2`, [s.tenant, s.id.lea]);
    const names = async (q: string) => (await search('outsider', q, 'people')).body.people.items.map((x: Hit) => x.displayName);
    expect(await names('Camile Martn')).toContain('Camille Martin');
    expect(await names('lea roux')).toContain('Léa Roux');
    expect(await names('Léa')).toContain('Léa Roux');
    expect(await names('securite')).toEqual(['Léa Roux']);
    expect(await names('informatique')).toEqual(['Léa Roux']);
    const auto = await s.as('outsider', 'GET', `/people/autocomplete?q=${encodeURIComponent('@cam')}`);
    expect(auto.status).toBe(200);
    expect(auto.body.items[0].displayName).toBe('Camille Martin');
    expect((await s.as('outsider', 'GET', '/people/autocomplete?q=leа')).body.items.every((x: Hit) => x.id !== s.id.camille)).toBe(true);
    await db.query('update people set is_former_employee = true where tenant_id = $1 and id = $2', [s.tenant, s.id.requester]);
    expect(ids((await s.as('camille', 'GET', '/people/autocomplete?q=requester')).body.items)).toEqual([]);
    await db.query('update people set is_former_employee = false where tenant_id = $1 and id = $2', [s.tenant, s.id.requester]);
  });

  test('a private post is invisible to non-members, in hits and counts; a hidden post only to its author and moderators', async () => {
    const priv = await s.community('private');
    const secret = await s.community('secret');
    const pub = await s.community('public');
    const inPrivate = await post('camille', priv, 'Budget zorglub', 'Le budget zorglub reste confidentiel.');
    const inSecret = await post('camille', secret, 'Plan zorglub', 'Le plan zorglub secret.');
    const hidden = await post('lea', pub, 'Zorglub caché', 'Zorglub message masqué.');
    await db.query('update posts set hidden_at = now() where tenant_id = $1 and id = $2', [s.tenant, hidden]);
    for (const who of ['outsider', 'requester', 'banned'] as const) {
      expect(await postIds(who, 'zorglub')).toEqual([]);
      expect((await search(who, 'zorglub')).body.counts.posts).toBe(0);
    }
    expect(new Set(await postIds('camille', 'zorglub'))).toEqual(new Set([inPrivate, inSecret]));
    expect(new Set(await postIds('lea', 'zorglub'))).toEqual(new Set([inPrivate, inSecret, hidden]));
    expect((await search('lea', 'zorglub')).body.counts.posts).toBe(3);
    expect(new Set(await postIds('admin', 'zorglub'))).toEqual(new Set([inPrivate, inSecret, hidden]));
    // A deleted post is gone for everyone.
    await db.query('update posts set deleted_at = now() where tenant_id = $1 and id = $2', [s.tenant, inPrivate]);
    expect(await postIds('camille', 'zorglub')).toEqual([inSecret]);
  });

  test('a secret community is invisible in search, typos and counts to non-members; members and admins find it', async () => {
    const secret = await s.community('secret', { name: 'Projet Zéphyr' });
    const priv = await s.community('private', { name: 'Cercle Zéphyr' });
    await db.query(`update communities set description = 'Le zéphyr souffle sur nos projets' where tenant_id = $1 and id = $2`, [s.tenant, priv]);
    const communityIds = async (who: Who, q: string) => ids((await search(who, q, 'communities')).body.communities.items);
    for (const q of ['zephyr', 'Zéphyr', 'projet zephir']) {
      expect(await communityIds('outsider', q)).not.toContain(secret);
      expect(await communityIds('camille', q)).toContain(secret);
      expect(await communityIds('admin', q)).toContain(secret);
    }
    expect(await communityIds('outsider', 'zephyr')).toEqual([priv]);
    expect((await search('outsider', 'zephyr')).body.counts.communities).toBe(1);
    expect((await search('camille', 'zephyr')).body.counts.communities).toBe(2);
    expect((await search('requester', 'zephyr')).body.counts.communities).toBe(1);
    const hit = (await search('outsider', 'souffle', 'communities')).body.communities.items[0];
    expect(hit.id).toBe(priv);
    expect(hit.highlight).toContain('<mark>souffle</mark>');
    // Invited people see the community, as the policy says.
    await db.query(`insert into memberships (tenant_id, community_id, person_id, state) values ($1, $2, $3, 'invited')`, [s.tenant, secret, s.id.outsider]);
    expect(await communityIds('outsider', 'zephyr')).toContain(secret);
    await db.query('delete from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [s.tenant, secret, s.id.outsider]);
  });

  test('topics for #autocomplete: only topics of posts the viewer may read', async () => {
    const pub = await s.community('public');
    const secret = await s.community('secret');
    await post('camille', pub, 'Énergie', 'On parle de #Énergie et de #Transition.');
    await post('camille', secret, 'Fusion', 'Rien à voir: #Fusionnement confidentiel.');
    const slugs = async (who: Who, q: string) => (await search(who, q, 'topics')).body.topics.items.map((x: Hit) => x.slug);
    expect(await slugs('outsider', '#ener')).toEqual(['energie']);
    expect(await slugs('outsider', 'transitoin')).toEqual(['transition']);
    expect(await slugs('outsider', 'fusion')).toEqual([]);
    expect(await slugs('camille', 'fusion')).toEqual(['fusionnement']);
    expect((await search('outsider', 'fusionnement')).body.counts.topics).toBe(0);
  });

  test('tenants are isolated', async () => {
    const theirs = await other.community('public', { name: 'Quokka lovers' });
    await post('camille', theirs, 'Quokka day', 'Quokka sightings everywhere', other);
    const mine = await search('camille', 'quokka');
    expect(mine.body.counts).toEqual({ posts: 0, communities: 0, people: 0, topics: 0 });
    expect((await search('admin', 'quokka', 'posts')).body.posts.items).toEqual([]);
    expect((await search('camille', 'quokka', 'all', '', other)).body.counts.posts).toBe(1);
    // Names of people of another tenant never appear.
    await db.query(`update people set display_name = 'Zacharie Quokkason' where tenant_id = $1 and id = $2`, [other.tenant, other.id.outsider]);
    expect((await search('camille', 'Quokkason', 'people')).body.people.items).toEqual([]);
    expect((await s.as('camille', 'GET', '/people/autocomplete?q=Quokkason')).body.items).toEqual([]);
  });

  test('XSS payloads come back inert in highlights: escaped text and <mark> only', async () => {
    const cid = await s.community('public');
    const body = xssPayloads.map((p) => `vulnérabilité ${p}`).join('\n\n');
    const id = await post('camille', cid, '<img src=x onerror=alert(1)> vulnérabilité', body);
    const r = await search('outsider', 'vulnerabilite script alert', 'posts');
    const hit = r.body.posts.items.find((x: Hit) => x.id === id);
    expect(hit).toBeDefined();
    for (const html of [hit.highlight, hit.titleHighlight]) {
      expect(html).toContain('<mark>');
      expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    }
    expect(hit.titleHighlight).toBe('&lt;img src=x onerror=<mark>alert</mark>(1)&gt; <mark>vulnérabilité</mark>');
    const p = await search('outsider', '<script>alert(1)</script>', 'all');
    expect(p.status).toBe(200);
  });

  test('keyset pages neither repeat nor skip; bad input is a 400 and saves nothing', async () => {
    const cid = await s.community('public');
    const made = new Set<string>();
    for (let i = 0; i < 7; i++) made.add(await post('lea', cid, `Kangourou ${i}`, `Le kangourou numéro ${i}${' kangourou'.repeat(i)}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: ApiResult = await search('outsider', 'kangourou', 'posts', `&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...ids(r.body.posts.items));
      cursor = r.body.posts.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen.length).toBe(7);
    expect(new Set(seen)).toEqual(made);

    const first = await search('outsider', 'kangourou', 'posts', '&limit=3');
    const next = first.body.posts.nextCursor as string;
    expect((await search('outsider', 'kangourou', 'people', `&cursor=${next}`)).body.code).toBe('INVALID_CURSOR');
    expect((await search('outsider', 'kangourou', 'all', `&cursor=${next}`)).status).toBe(400);
    const forged = Buffer.from(JSON.stringify(['posts', 1, "x' or 1=1", '2026-01-01T00:00:00.000Z'])).toString('base64url');
    expect((await search('outsider', 'kangourou', 'posts', `&cursor=${forged}`)).body.code).toBe('INVALID_CURSOR');
    expect((await search('outsider', 'x'.repeat(201), 'posts')).status).toBe(400);
    expect((await search('outsider', 'kangourou', 'everything')).status).toBe(400);
    expect((await s.as(null, 'GET', '/search?q=kangourou')).status).toBe(401);
    expect((await search('outsider', '   ', 'all')).body.counts).toEqual({ posts: 0, communities: 0, people: 0, topics: 0 });
    // Nothing was lost: every post is still there.
    expect(new Set(await postIds('outsider', 'kangourou'))).toEqual(made);
  });
});
