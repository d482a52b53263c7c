import { testDatabases } from '@ruche/core/testing';
import { generateDemo, refreshExpertiseEvidence, findExperts, type Db } from '@ruche/core';
import { randomUUID } from 'node:crypto';
import { type Social, socialFixture } from './posts-testing.js';

type Hit = { person: { id: string }; undeclared: boolean; why: string; evidence: { acceptedAnswers: number; endorsements: number; posts: number; kudos: number } };

describe.each(testDatabases())('experts API on $name', ({ open }) => {
  let db: Db;
  let s: Social;
  let topic: string;

  const post = async (communityId: string, author: string, title: string, accepted?: string) => {
    const p = await db.query<{ id: string }>(
      "insert into posts (tenant_id, community_id, author_id, kind, title, body) values ($1, $2, $3, 'question', $4, $4) returning id",
      [s.tenant, communityId, author, title],
    );
    const id = p.rows[0]!.id;
    await db.query('insert into post_topics (tenant_id, post_id, topic_id) values ($1, $2, $3)', [s.tenant, id, topic]);
    if (accepted) {
      const c = await db.query<{ id: string }>(
        "insert into comments (tenant_id, post_id, author_id, body, body_html) values ($1, $2, $3, 'Réponse', 'Réponse') returning id",
        [s.tenant, id, accepted],
      );
      await db.query('update posts set accepted_comment_id = $3 where tenant_id = $1 and id = $2', [s.tenant, id, c.rows[0]!.id]);
    }
  };

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
    const t = await db.query<{ id: string }>("insert into topics (tenant_id, slug, name) values ($1, 'kubernetes', 'Kubernetes') returning id", [s.tenant]);
    topic = t.rows[0]!.id;
    const pub = await s.community('public');
    const priv = await s.community('private');
    // Léa declared it; moderator answered three questions in public (shy); owner only in a private community.
    await s.as('lea', 'PATCH', '/me/profile', { skills: ['Kubernetes'], languages: ['fr'] });
    for (let i = 0; i < 3; i++) await post(pub, s.id.camille, `Question pods ${i}`, s.id.moderator);
    for (let i = 0; i < 4; i++) await post(priv, s.id.camille, `Question privée ${i}`, s.id.owner);
    await db.query("update people set office = 'Lyon', preferred_language = 'fr-FR' where tenant_id = $1 and id = $2", [s.tenant, s.id.moderator]);
    await s.as('camille', 'POST', `/people/${s.id.lea}/skills/Kubernetes/endorsement`);
    const k = await db.query<{ id: string }>(
      "insert into kudos (tenant_id, giver_id, message, visibility) values ($1, $2, 'Merci pour ton aide sur Kubernetes !', 'public') returning id",
      [s.tenant, s.id.camille],
    );
    await db.query('insert into kudos_recipients (tenant_id, kudos_id, recipient_id) values ($1, $2, $3)', [s.tenant, k.rows[0]!.id, s.id.moderator]);
    await refreshExpertiseEvidence(db, s.tenant);
  });
  afterAll(async () => {
    await s.close();
    await db.close();
  });

  const search = async (who: 'outsider' | 'camille', q: string, extra = '') => {
    const r = await s.as(who, 'GET', `/experts?q=${encodeURIComponent(q)}${extra}`);
    expect(r.status).toBe(200);
    return r.body.items as Hit[];
  };

  test('ranked by evidence with explanations; typos tolerated; the shy expert first', async () => {
    const items = await search('outsider', 'kubernets');
    expect(items[0]!.person.id).toBe(s.id.moderator);
    expect(items[0]!.undeclared).toBe(true);
    expect(items[0]!.evidence).toMatchObject({ acceptedAnswers: 3, kudos: 1 });
    expect(items[0]!.why).toContain('3 accepted answers in #kubernetes');
    const lea = items.find((x) => x.person.id === s.id.lea)!;
    expect(lea.why).toContain('endorsed by 1 colleague');
    expect(lea.undeclared).toBe(false);
  });

  test('nothing from a private community counts for a non-member viewer', async () => {
    const outsider = await search('outsider', 'kubernetes');
    expect(outsider.some((x) => x.person.id === s.id.owner)).toBe(false);
    const member = await search('camille', 'kubernetes');
    const owner = member.find((x) => x.person.id === s.id.owner)!;
    expect(owner.evidence.acceptedAnswers).toBe(4);
    expect(member[0]!.person.id).toBe(s.id.owner);
  });

  test('filters by office, department and language; bad input is refused', async () => {
    expect((await search('outsider', 'kubernetes', '&office=lyon')).map((x) => x.person.id)).toEqual([s.id.moderator]);
    expect((await search('outsider', 'kubernetes', '&language=fr')).map((x) => x.person.id).sort()).toEqual([s.id.lea, s.id.moderator].sort());
    expect(await search('outsider', 'kubernetes', '&department=nowhere')).toEqual([]);
    expect((await s.as('outsider', 'GET', '/experts?q=')).status).toBe(400);
    expect((await s.as(null, 'GET', '/experts?q=x')).status).toBe(401);
  });
});

describe.each(testDatabases())('shy experts of the demo organisation on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  test('the evidence ranking finds the planted shy experts; declared skills alone do not', async () => {
    const tenantId = randomUUID();
    const demo = await generateDemo(db, { tenantId, people: 120, days: 30 });
    await refreshExpertiseEvidence(db, tenantId);
    const viewer = { tenantId, personId: demo.signInAs.personId, roles: [] };
    let evidence = 0;
    let declared = 0;
    for (const x of demo.shyExperts) {
      if ((await findExperts(db, viewer, { q: x.topic })).items.some((h) => h.person.id === x.personId)) evidence++;
      if ((await findExperts(db, viewer, { q: x.topic, ranking: 'declared' })).items.some((h) => h.person.id === x.personId)) declared++;
    }
    expect(demo.shyExperts.length).toBeGreaterThanOrEqual(2);
    expect(evidence / demo.shyExperts.length).toBeGreaterThanOrEqual(0.9);
    expect(declared).toBe(0);
  }, 120_000);
});
