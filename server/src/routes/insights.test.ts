import { testDatabases } from '@ruche/core/testing';
import { type Db, healthOf, suggestedActionFor } from '@ruche/core';
import { type Social, type Who, socialFixture } from './posts-testing.js';

const DAY = 86_400_000;

describe('community health', () => {
  test('status from the activity of the last 28 days against the 28 before, and the suggested action', () => {
    expect(healthOf(0, 10)).toBe('dormant');
    expect(healthOf(10, 4)).toBe('growing');
    expect(healthOf(2, 1)).toBe('stable'); // too little to call it growth
    expect(healthOf(3, 10)).toBe('declining');
    expect(healthOf(9, 10)).toBe('stable');
    expect(suggestedActionFor('dormant', 3)).toBe('revive_or_archive');
    expect(suggestedActionFor('stable', 2)).toBe('answer_questions');
    expect(suggestedActionFor('declining', 0)).toBe('start_conversation');
    expect(suggestedActionFor('growing', 0)).toBe('recognise_contributors');
    expect(suggestedActionFor('stable', 0)).toBe('invite_members');
  });
});

describe.each(testDatabases())('insights API on $name', ({ open }) => {
  let db: Db;
  let s: Social;
  let community: string;
  let quiet: string;
  let secret: string;
  let announcement: string;

  const post = async (communityId: string, author: Who, daysAgo: number, kind = 'discussion') => {
    const at = new Date(Date.now() - daysAgo * DAY);
    const r = await db.query<{ id: string }>(
      "insert into posts (tenant_id, community_id, author_id, kind, title, body, created_at) values ($1, $2, $3, $4, 'Title', 'Body', $5) returning id",
      [s.tenant, communityId, s.id[author], kind, at],
    );
    return { id: r.rows[0]!.id, at };
  };
  const comment = async (postId: string, author: Who, at: Date) => {
    await db.query("insert into comments (tenant_id, post_id, author_id, body, body_html, created_at) values ($1, $2, $3, 'Answer', 'Answer', $4)", [s.tenant, postId, s.id[author], at]);
  };

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
    const depts: Partial<Record<Who, string>> = { camille: 'Sales', owner: 'Sales', lea: 'R&D', moderator: 'Operations', outsider: 'IT', admin: 'IT', banned: 'Legal' };
    for (const [who, dept] of Object.entries(depts)) {
      await db.query('update people set department = $3 where tenant_id = $1 and id = $2', [s.tenant, s.id[who as Who], dept]);
    }
    community = await s.community('public', { name: 'Billing' });
    quiet = await s.community('public', { name: 'Quiet' });
    secret = await s.community('secret', { name: 'Hidden' });
    // Recent activity: 4 posts (one a question answered by Léa after 2 hours, one left unanswered), before: 1 post.
    await post(community, 'camille', 1);
    await post(community, 'lea', 3);
    const q1 = await post(community, 'camille', 10, 'question');
    await comment(q1.id, 'lea', new Date(q1.at.getTime() + 2 * 3600_000));
    const q2 = await post(community, 'owner', 5, 'question');
    await comment(q2.id, 'owner', new Date(q2.at.getTime() + 3600_000));
    await post(community, 'owner', 40);
    await post(quiet, 'lea', 45);
    // Léa (R&D) reacts to Camille (Sales) and Camille mentions the moderator (Operations): Camille bridges departments.
    const p = await post(community, 'camille', 2);
    await db.query("insert into reactions (tenant_id, target_type, target_id, person_id, kind) values ($1, 'post', $2, $3, 'like')", [s.tenant, p.id, s.id.lea]);
    await db.query("insert into mentions (tenant_id, source_type, source_id, mentioned_type, mentioned_id) values ($1, 'post', $2, 'person', $3)", [s.tenant, p.id, s.id.moderator]);
    await comment(p.id, 'owner', new Date());
    // An announcement of the community, acknowledged by Camille.
    const a = await s.as('owner', 'POST', '/announcements', { communityId: community, title: 'New billing rules', body: 'Read this', mustRead: true });
    expect(a.status).toBe(201);
    announcement = a.body.post.id;
    expect((await s.as('camille', 'POST', `/announcements/${announcement}/acknowledge`)).status).toBeLessThan(300);
  });
  afterAll(async () => {
    await s.close();
    await db.close();
  });

  test('owners, moderators and tenant admins see the insights; members and outsiders do not; a secret community stays hidden', async () => {
    for (const who of ['owner', 'moderator', 'admin'] as const) expect((await s.as(who, 'GET', `/communities/${community}/insights`)).status).toBe(200);
    expect((await s.as('camille', 'GET', `/communities/${community}/insights`)).status).toBe(403);
    expect((await s.as('outsider', 'GET', `/communities/${community}/insights`)).status).toBe(403);
    expect((await s.as('outsider', 'GET', `/communities/${secret}/insights`)).status).toBe(404);
    expect((await s.as('outsider', 'GET', `/communities/${secret}/insights.csv`)).status).toBe(404);
    expect((await s.as('camille', 'GET', `/communities/${community}/insights.csv`)).status).toBe(403);
    expect((await s.as('owner', 'GET', '/communities/no-such-community/insights')).status).toBe(404);
  });

  test('engagement, questions, health with a suggested action in English and French', async () => {
    const i = (await s.as('moderator', 'GET', `/communities/${community}/insights`)).body;
    expect(i.members).toBe(4); // camille, lea, moderator, owner (banned and requested are not members)
    expect(i.activeMembers30d).toBe(3); // camille, lea, owner
    expect(i.engagementRate).toBe(0.75);
    expect(i.postsPerWeek).toBe(1.5); // 6 posts (the announcement included) over 4 weeks
    expect(i.postsPerWeekBefore).toBe(0.25);
    expect(i.medianHoursToFirstAnswer).toBe(2);
    expect(i.unansweredQuestions).toBe(1);
    expect(i.health).toBe('growing');
    expect(i.suggestedAction.code).toBe('answer_questions');
    expect(i.suggestedAction.fr).toContain('questions');
    const q = (await s.as('owner', 'GET', `/communities/${quiet}/insights`)).body;
    expect(q.health).toBe('dormant');
    expect(q.suggestedAction.code).toBe('revive_or_archive');
    expect(q.activeMembers30d).toBe(0);
    expect(q.medianHoursToFirstAnswer).toBeNull();
  });

  test('announcement reach and acknowledgement per department, from the announcements report', async () => {
    const i = (await s.as('owner', 'GET', `/communities/${community}/insights`)).body;
    expect(i.announcements.items).toHaveLength(1);
    const report = (await s.as('owner', 'GET', `/announcements/${announcement}/report`)).body;
    expect(i.announcements.items[0].byDepartment).toEqual(report.byDepartment);
    const sales = i.announcements.byDepartment.find((d: { department: string }) => d.department === 'Sales');
    expect(sales).toMatchObject({ acknowledged: 2 }); // Camille, and the owner who published it
    expect(i.announcements.byDepartment.reduce((n: number, d: { audience: number }) => n + d.audience, 0)).toBe(report.totals.audience);
  });

  test('interactions across departments and the connectors; opt-outs are never named', async () => {
    const i = (await s.as('owner', 'GET', `/communities/${community}/insights`)).body;
    expect(i.crossDepartment.interactions).toBe(4); // 2 replies (one within Sales), 1 reaction, 1 mention
    expect(i.crossDepartment.crossDepartmentInteractions).toBe(3);
    expect(i.crossDepartment.share).toBe(0.75);
    expect(i.crossDepartment.pairs).toEqual(expect.arrayContaining([{ departments: ['R&D', 'Sales'], interactions: 2 }]));
    expect(i.crossDepartment.connectors[0].person.id).toBe(s.id.camille);
    expect(i.crossDepartment.connectors[0].departments).toBe(2);

    expect((await s.as('camille', 'GET', '/insights/connectors')).status).toBe(403);
    const org = (await s.as('admin', 'GET', '/insights/connectors?days=30')).body;
    expect(org.days).toBe(30);
    expect(org.items[0].person.id).toBe(s.id.camille);
    expect((await s.as('admin', 'GET', '/insights/connectors?days=0')).status).toBe(400);

    expect((await s.as('camille', 'PUT', '/me/insights', { optedOut: true })).body).toEqual({ optedOut: true });
    const named = async () => (await s.as('admin', 'GET', '/insights/connectors')).body.items.map((x: { person: { id: string } }) => x.person.id);
    expect(await named()).not.toContain(s.id.camille);
    expect((await s.as('owner', 'GET', `/communities/${community}/insights`)).body.crossDepartment.connectors.map((x: { person: { id: string } }) => x.person.id)).not.toContain(s.id.camille);
    expect((await s.as('camille', 'PUT', '/me/insights', { optedOut: 'no' })).status).toBe(400);
    expect((await s.as('camille', 'GET', '/me/insights')).body).toEqual({ optedOut: true });
    await s.as('camille', 'PUT', '/me/insights', { optedOut: false });
    expect(await named()).toContain(s.id.camille);
    // Recognition opt-out is honoured too.
    await s.as('lea', 'PUT', '/me/recognition', { optedOut: true });
    expect(await named()).not.toContain(s.id.lea);
    await s.as('lea', 'PUT', '/me/recognition', { optedOut: false });
    expect(await named()).toContain(s.id.lea);
  });

  test('CSV export: figures, reach per department, department pairs; formula-safe', async () => {
    await db.query("update communities set name = '=HYPERLINK(\"x\")' where tenant_id = $1 and id = $2", [s.tenant, community]);
    const r = await s.ruche.app.inject({ method: 'GET', url: `/api/v1/communities/${community}/insights.csv`, headers: { authorization: (await token('owner')) } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    expect(r.body.charCodeAt(0)).toBe(0xfeff);
    const lines = r.body.slice(1).split('\r\n');
    expect(lines[0]).toBe('Section,Item,Department,Value');
    expect(lines).toContain('activity,members,,4');
    expect(lines).toContain('questions,unanswered_questions,,1');
    expect(lines).toContain('health,status,,growing');
    expect(lines).toContain('announcement_acknowledged,New billing rules,Sales,2');
    expect(lines).toContain('department_pair,Sales,R&D,2');
    expect(lines.find((l: string) => l.startsWith('community,name'))).toBe('community,name,,"\'=HYPERLINK(""x"")"');
  });

  async function token(who: Who): Promise<string> {
    const t = await s.ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: s.upn(who) } });
    return `Bearer ${t.json().access_token}`;
  }
});
