import { randomUUID } from 'node:crypto';
import { testDatabases } from '@ruche/core/testing';
import { type Db, SAME_WORK_TWINS, generateDemo, getMeetupStats, getMyMeetupMatch, listConnectors, similarToPost } from '@ruche/core';

// The demo organisation shows same work elsewhere, connectors and meetups at once.
describe.each(testDatabases())('demo organisation: same work elsewhere, connectors, meetups on $name', ({ open }) => {
  let db: Db;
  afterAll(async () => {
    await db.close();
  });

  test('the planted twins find each other across departments; the first person has a meetup match; connectors are named', async () => {
    db = await open();
    const tenantId = randomUUID();
    const demo = await generateDemo(db, { tenantId, people: 120, days: 30 });
    const me = await db.query<{ roles: string[] }>('select roles from people where tenant_id = $1 and id = $2', [tenantId, demo.signInAs.personId]);
    const viewer = { tenantId, personId: demo.signInAs.personId, roles: me.rows[0]!.roles };
    let found = 0;
    for (const twin of SAME_WORK_TWINS) {
      const r = await db.query<{ id: string; title: string }>('select id, title from posts where tenant_id = $1 and title = any($2::text[]) order by title', [
        tenantId, twin.posts.map((p) => p.title),
      ]);
      if (r.rows.length < 2) continue;
      const [a, b] = r.rows;
      const w = await similarToPost(db, viewer, a!.id);
      expect(w.posts[0]!.id).toBe(b!.id);
      expect(w.posts[0]!.department).not.toBe(w.source.department);
      found++;
    }
    expect(found).toBeGreaterThanOrEqual(2);
    const match = await getMyMeetupMatch(db, viewer);
    expect(match).not.toBeNull();
    const stats = await getMeetupStats(db, viewer);
    expect(stats.rounds).toBe(1);
    expect(stats.crossDepartment).toBeGreaterThan(stats.matches / 2);
    const connectors = await listConnectors(db, viewer);
    expect(connectors.items.length).toBeGreaterThan(5);
    expect(connectors.items[0]!.departments).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
