import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import { createTestTenant, testDatabases } from '../testing/databases.js';
import { ideaStatuses } from '../posts/model.js';
import { DEMO_TENANT_ID, demoId, generateDemo, isDemoLoaded, renderDemoMarkdown, resetDemo, type DemoSummary } from './index.js';

const now = new Date('2025-06-15T14:30:00Z');
const small = { people: 120, seed: 7, now } as const;

async function count(db: Db, sql: string, params: unknown[]): Promise<number> {
  const r = await db.query<{ n: number }>(sql, params);
  return r.rows[0]!.n;
}

/** Every table with a tenant_id column, and how many rows the tenant has in each. */
async function rowsByTable(db: Db, tenantId: string): Promise<Record<string, number>> {
  const tables = await db.query<{ table_name: string }>(
    "select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'tenant_id' order by table_name",
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    out[table_name] = await count(db, `select count(*)::int as n from "${table_name}" where tenant_id = $1`, [tenantId]);
  }
  out.tenants = await count(db, 'select count(*)::int as n from tenants where id = $1', [tenantId]);
  return out;
}

function comparable(s: DemoSummary): unknown {
  const { tenantId: _t, durationMs: _d, signInAs, mustReadPostIds: _m, shyExperts, ...rest } = s;
  return { ...rest, signInAs: signInAs.upn, shyExperts: shyExperts.map((x) => x.topic) };
}

describe('renderDemoMarkdown', () => {
  test('escapes everything and keeps only paragraphs, bold, http(s) links, mentions and topics', () => {
    const id = '0b8f6c1e-1111-8222-9333-444455556666';
    const html = renderDemoMarkdown(
      `Hello <script>alert(1)</script> **bold** [ok](https://a.example/x?a=1&b=2) [bad](javascript:alert(1))\n\n@[Zoë D'Almeida](person:${id}) #kubernetes`,
    );
    expect(html).toBe(
      '<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; <strong>bold</strong> <a href="https://a.example/x?a=1&amp;b=2" rel="noopener noreferrer">ok</a> [bad](javascript:alert(1))</p>\n' +
        `<p><span class="mention" data-mention-type="person" data-mention-id="${id}">@Zoë D&#39;Almeida</span> <span class="topic" data-topic="kubernetes">#kubernetes</span></p>`,
    );
    expect(renderDemoMarkdown('[x](https://e.example/"onmouseover="a)')).not.toContain('"onmouseover');
    expect(renderDemoMarkdown('Merci pour le partage !')).toBe('<p>Merci pour le partage !</p>');
    expect(renderDemoMarkdown("C'est <b>")).toBe('<p>C&#39;est &lt;b&gt;</p>');
  });
});

describe.each(testDatabases())('demo organisation on $name', ({ open }) => {
  let db: Db;
  let a: string;
  let b: string;
  let sa: DemoSummary;
  let sb: DemoSummary;
  beforeAll(async () => {
    db = await open();
    a = randomUUID();
    b = randomUUID();
    sa = await generateDemo(db, { ...small, tenantId: a });
    sb = await generateDemo(db, { ...small, tenantId: b });
  }, 120_000);
  afterAll(async () => {
    await resetDemo(db, a);
    await resetDemo(db, b);
    await db.close();
  });

  test('the same seed and options give the same organisation in two tenants', async () => {
    expect(comparable(sb)).toEqual(comparable(sa));
    const people = async (t: string) =>
      (
        await db.query(
          `select p.upn, p.display_name, p.job_title, p.department, p.office, p.preferred_language, p.roles, m.upn as manager
             from people p left join people m on m.tenant_id = p.tenant_id and m.id = p.manager_id
            where p.tenant_id = $1 order by p.upn`,
          [t],
        )
      ).rows;
    expect(await people(b)).toEqual(await people(a));
    expect(await rowsByTable(db, b)).toEqual(await rowsByTable(db, a));
    // Ids are derived from tenant, seed, kind and index.
    expect(sa.signInAs.personId).toBe(demoId(a, 7, 'person', 0));
    expect(sa.signInAs).toMatchObject({ upn: 'camille.martin@hexagone.example', displayName: 'Camille Martin' });
  });

  test('the summary counts what is in the database', async () => {
    const t = await rowsByTable(db, a);
    expect(t).toMatchObject({
      people: sa.counts.people, person_skills: sa.counts.personSkills, topics: sa.counts.topics,
      communities: sa.counts.communities, memberships: sa.counts.memberships, follows: sa.counts.follows,
      posts: sa.counts.posts, comments: sa.counts.comments, reactions: sa.counts.reactions, mentions: sa.counts.mentions,
      post_topics: sa.counts.postTopics, kudos: sa.counts.kudos, kudos_recipients: sa.counts.kudosRecipients,
      endorsements: sa.counts.endorsements, acknowledgements: sa.counts.acknowledgements, tenants: 1,
    });
    expect(sa.counts.people).toBe(120);
    expect(sa.counts.posts).toBe(1200);
    expect(sa.counts.comments / sa.counts.posts).toBeGreaterThan(1.1);
    expect(sa.counts.comments / sa.counts.posts).toBeLessThan(2);
    expect(sa.counts.reactions / sa.counts.posts).toBeGreaterThan(2);
    expect(sa.counts.reactions / sa.counts.posts).toBeLessThan(4);
    expect(await isDemoLoaded(db, a)).toBe(true);
  });

  test('the org chart has one CEO, no cycle, and every department is 4 to 6 levels deep', async () => {
    expect(await count(db, 'select count(*)::int as n from people where tenant_id = $1 and manager_id is null', [a])).toBe(1);
    const chains = await db.query<{ department: string; depth: number; cycle: boolean }>(
      `with recursive chain(start_id, id, manager_id, depth, path, cycle) as (
         select id, id, manager_id, 1, array[id], false from people where tenant_id = $1
         union all
         select c.start_id, p.id, p.manager_id, c.depth + 1, c.path || p.id, p.id = any(c.path)
           from chain c join people p on p.tenant_id = $1 and p.id = c.manager_id
          where not c.cycle and c.depth < 20)
       select s.department, max(c.depth)::int as depth, bool_or(c.cycle) as cycle
         from chain c join people s on s.tenant_id = $1 and s.id = c.start_id
        where c.manager_id is null or c.cycle
        group by s.department`,
      [a],
    );
    expect(chains.rows).toHaveLength(sa.departments.length);
    for (const row of chains.rows) {
      expect(row.cycle).toBe(false);
      expect(row.depth).toBeGreaterThanOrEqual(4);
      expect(row.depth).toBeLessThanOrEqual(6);
    }
  });

  test('people are believable: unique ASCII UPNs, languages that match offices, roles', async () => {
    const people = await db.query<{ upn: string; display_name: string; office: string; country: string; preferred_language: string; roles: string[] }>(
      'select upn, display_name, office, country, preferred_language, roles from people where tenant_id = $1',
      [a],
    );
    const upns = people.rows.map((p) => p.upn);
    expect(new Set(upns).size).toBe(upns.length);
    for (const u of upns) expect(u).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+\d*@hexagone\.example$/);
    expect(people.rows.some((p) => /[éèëïöüçà]/i.test(p.display_name))).toBe(true);
    const languages: Record<string, string> = { FR: 'fr-FR', BE: 'fr-FR', CA: 'fr-CA', GB: 'en-GB', DE: 'en-GB', US: 'en-US' };
    for (const p of people.rows) expect(p.preferred_language).toBe(languages[p.country]);
    expect(new Set(people.rows.map((p) => p.country)).size).toBeGreaterThanOrEqual(4);
    const withRole = (r: string) => people.rows.filter((p) => p.roles.includes(r)).length;
    expect(withRole('admin')).toBe(1);
    expect(withRole('hr')).toBeGreaterThanOrEqual(2);
    expect(withRole('communicator')).toBeGreaterThanOrEqual(2);
    const camille = people.rows.find((p) => p.upn === 'camille.martin@hexagone.example')!;
    expect(camille.roles).toEqual(expect.arrayContaining(['admin', 'communicator']));
    expect(await count(db, "select count(distinct person_id)::int as n from person_skills where tenant_id = $1 and source = 'declared'", [a])).toBe(120);
  });

  test('every kind of community and post is present, with coherent memberships', async () => {
    const kinds = await db.query<{ kind: string; visibility: string; is_official: boolean; restricted_posting: boolean }>(
      'select kind, visibility, is_official, restricted_posting from communities where tenant_id = $1',
      [a],
    );
    expect(new Set(kinds.rows.map((k) => k.kind))).toEqual(new Set(['org_unit', 'interest', 'profession', 'project']));
    expect(new Set(kinds.rows.map((k) => k.visibility))).toEqual(new Set(['public', 'private', 'secret']));
    expect(kinds.rows.filter((k) => k.visibility === 'secret').length).toBeLessThanOrEqual(2);
    expect(kinds.rows.filter((k) => k.restricted_posting && k.is_official)).toHaveLength(1);
    // Each department's org unit has exactly the department's people as members.
    const orgUnits = await db.query<{ department: string; members: number; people: number }>(
      `select c.org_unit->>'department' as department,
              (select count(*)::int from memberships m where m.tenant_id = c.tenant_id and m.community_id = c.id and m.state = 'active') as members,
              (select count(*)::int from people p where p.tenant_id = c.tenant_id and p.department = c.org_unit->>'department') as people
         from communities c where c.tenant_id = $1 and c.kind = 'org_unit' and c.org_unit ? 'department'`,
      [a],
    );
    expect(orgUnits.rows).toHaveLength(sa.departments.length);
    for (const o of orgUnits.rows) expect(o.members).toBe(o.people);
    expect(await count(db, "select count(*)::int as n from memberships where tenant_id = $1 and state = 'requested'", [a])).toBeGreaterThan(0);
    expect(await count(db, "select count(distinct role)::int as n from memberships where tenant_id = $1", [a])).toBe(4);
    // Members follow their communities.
    expect(
      await count(
        db,
        `select count(*)::int as n from memberships m where m.tenant_id = $1 and m.state = 'active' and not exists (
           select 1 from follows f where f.tenant_id = m.tenant_id and f.follower_id = m.person_id and f.target_type = 'community' and f.target_id = m.community_id)`,
        [a],
      ),
    ).toBe(0);
    for (const kind of ['discussion', 'question', 'announcement', 'idea', 'poll', 'event']) {
      expect(sa.postsByKind[kind as keyof typeof sa.postsByKind]).toBeGreaterThan(0);
    }
    // Nobody posts where they are not an active member, and restricted channels only carry their leaders' posts.
    expect(
      await count(
        db,
        `select count(*)::int as n from posts p where p.tenant_id = $1 and not exists (
           select 1 from memberships m where m.tenant_id = p.tenant_id and m.community_id = p.community_id and m.person_id = p.author_id and m.state = 'active')`,
        [a],
      ),
    ).toBe(0);
    expect(
      await count(
        db,
        `select count(*)::int as n from posts p join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
          where p.tenant_id = $1 and c.restricted_posting and not exists (
           select 1 from memberships m where m.tenant_id = p.tenant_id and m.community_id = p.community_id
              and m.person_id = p.author_id and m.role in ('owner', 'moderator'))`,
        [a],
      ),
    ).toBe(0);
  });

  test('content is consistent: answers, replies, reactions, dates, kind data, must-reads', async () => {
    // Idea statuses are the ones the posts API knows.
    const statuses = await db.query<{ status: string }>(
      "select distinct data->>'status' as status from posts where tenant_id = $1 and kind = 'idea'",
      [a],
    );
    expect(statuses.rows.length).toBeGreaterThan(0);
    for (const { status } of statuses.rows) expect(ideaStatuses).toContain(status);
    // Accepted answers are comments of their own question.
    expect(
      await count(
        db,
        `select count(*)::int as n from posts p join comments c on c.tenant_id = p.tenant_id and c.id = p.accepted_comment_id
          where p.tenant_id = $1 and (c.post_id <> p.id or p.kind <> 'question' or c.parent_id is not null)`,
        [a],
      ),
    ).toBe(0);
    const q = await db.query<{ questions: number; accepted: number }>(
      "select count(*)::int as questions, count(accepted_comment_id)::int as accepted from posts where tenant_id = $1 and kind = 'question'",
      [a],
    );
    const share = q.rows[0]!.accepted / q.rows[0]!.questions;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.75);
    // Replies are one level deep, on the same post, after their parent.
    expect(
      await count(
        db,
        `select count(*)::int as n from comments r join comments p on p.tenant_id = r.tenant_id and p.id = r.parent_id
          where r.tenant_id = $1 and (p.parent_id is not null or p.post_id <> r.post_id or r.created_at < p.created_at)`,
        [a],
      ),
    ).toBe(0);
    expect(await count(db, 'select count(*)::int as n from comments where tenant_id = $1 and parent_id is not null', [a])).toBeGreaterThan(0);
    // Reactions: one per person and item (the primary key), on items that exist, never by their author.
    expect(
      await count(
        db,
        `select count(*)::int as n from reactions r where r.tenant_id = $1 and not exists (
           select 1 from posts p where r.target_type = 'post' and p.tenant_id = r.tenant_id and p.id = r.target_id and p.author_id <> r.person_id
           union all
           select 1 from comments c where r.target_type = 'comment' and c.tenant_id = r.tenant_id and c.id = r.target_id and c.author_id <> r.person_id)`,
        [a],
      ),
    ).toBe(0);
    expect(await count(db, 'select count(distinct kind)::int as n from reactions where tenant_id = $1', [a])).toBe(6);
    // Dates sit in the window; last activity is the last comment.
    const window = await db.query<{ min: Date; max: Date; bad: number }>(
      `select min(created_at) as min, max(created_at) as max,
              count(*) filter (where last_activity_at <> greatest(created_at, coalesce(
                 (select max(c.created_at) from comments c where c.tenant_id = p.tenant_id and c.post_id = p.id), created_at)))::int as bad
         from posts p where tenant_id = $1`,
      [a],
    );
    expect(new Date(window.rows[0]!.min).getTime()).toBeGreaterThanOrEqual(Date.parse(sa.from));
    expect(new Date(window.rows[0]!.max).getTime()).toBeLessThan(Date.parse(sa.to));
    expect(window.rows[0]!.bad).toBe(0);
    expect(await count(db, 'select count(*)::int as n from comments where tenant_id = $1 and created_at >= $2', [a, sa.to])).toBe(0);
    // Kind-specific data.
    const data = await db.query<{ kind: string; data: Record<string, unknown> }>(
      "select kind, data from posts where tenant_id = $1 and kind in ('idea', 'poll', 'event')",
      [a],
    );
    for (const { kind, data: d } of data.rows) {
      if (kind === 'idea') expect(d).toEqual({ status: expect.any(String), votes: expect.any(Number) });
      if (kind === 'poll') {
        expect(Array.isArray(d.options) && (d.options as unknown[]).length >= 2).toBe(true);
        expect(typeof d.multiple).toBe('boolean');
        expect(Number.isNaN(Date.parse(String(d.closesAt)))).toBe(false);
      }
      if (kind === 'event') {
        expect(Date.parse(String(d.endsAt))).toBeGreaterThan(Date.parse(String(d.startsAt)));
        expect(typeof d.place === 'string' || typeof d.onlineUrl === 'string').toBe(true);
        expect(d.capacity).toEqual(expect.any(Number));
      }
    }
    // HTML is inert, mentions and topics have their rows.
    expect(await count(db, "select count(*)::int as n from posts where tenant_id = $1 and (body_html like '%<script%' or body_html ~ 'href=\"(?!https?://)')", [a])).toBe(0);
    expect(await count(db, "select count(*)::int as n from mentions where tenant_id = $1 and source_type = 'comment'", [a])).toBeGreaterThan(0);
    expect(
      await count(
        db,
        `select count(*)::int as n from mentions m join posts p on p.tenant_id = m.tenant_id and p.id = m.source_id
          where m.tenant_id = $1 and m.source_type = 'post' and position(m.mentioned_id::text in p.body) = 0`,
        [a],
      ),
    ).toBe(0);
    expect(await count(db, 'select count(distinct topic_id)::int as n from post_topics where tenant_id = $1', [a])).toBeGreaterThan(20);
    // Must-read announcements in the restricted channel, acknowledged (version 1) by part of the company.
    const mustReads = await db.query<{ id: string; acks: number }>(
      `select p.id, (select count(*)::int from acknowledgements k where k.tenant_id = p.tenant_id and k.post_id = p.id and k.version = 1) as acks
         from posts p where p.tenant_id = $1 and p.is_must_read and p.kind = 'announcement'`,
      [a],
    );
    expect(mustReads.rows.length).toBeGreaterThanOrEqual(3);
    expect(mustReads.rows.map((m) => m.id).sort()).toEqual([...sa.mustReadPostIds].sort());
    for (const m of mustReads.rows) expect(m.acks).toBeGreaterThan(0);
    expect(await count(db, 'select count(*)::int as n from acknowledgements where tenant_id = $1', [a])).toBeLessThan(mustReads.rows.length * 120);
    // Kudos: values from the catalogue, mostly public.
    const kudos = await db.query<{ value_key: string; visibility: string }>('select value_key, visibility from kudos where tenant_id = $1', [a]);
    expect(new Set(kudos.rows.map((k) => k.value_key))).toEqual(new Set(['teamwork', 'customer', 'innovation', 'courage', 'kindness']));
    expect(kudos.rows.filter((k) => k.visibility === 'public').length / kudos.rows.length).toBeGreaterThan(0.7);
    expect(sa.counts.endorsements).toBeGreaterThan(0);
    expect(
      await count(
        db,
        `select count(*)::int as n from endorsements e where e.tenant_id = $1 and not exists (
           select 1 from person_skills s where s.tenant_id = e.tenant_id and s.person_id = e.person_id and s.skill = e.skill)`,
        [a],
      ),
    ).toBe(0);
  });

  test('shy experts have no declared skill for their topic but strong evidence for it', async () => {
    expect(sa.shyExperts.length).toBeGreaterThanOrEqual(2);
    const stored = await db.query<{ personId: string; topic: string; topicSlug: string; topicId: string }>(
      'select person_id as "personId", topic, topic_slug as "topicSlug", topic_id as "topicId" from demo_shy_experts where tenant_id = $1 order by position',
      [a],
    );
    expect(stored.rows).toEqual(sa.shyExperts);
    for (const { personId, topic, topicId } of sa.shyExperts) {
      expect(
        await count(db, "select count(*)::int as n from person_skills where tenant_id = $1 and person_id = $2 and source = 'declared' and lower(skill) = lower($3)", [a, personId, topic]),
      ).toBe(0);
      const accepted = await count(
        db,
        `select count(*)::int as n from posts p
           join comments c on c.tenant_id = p.tenant_id and c.id = p.accepted_comment_id
           join post_topics t on t.tenant_id = p.tenant_id and t.post_id = p.id
          where p.tenant_id = $1 and p.kind = 'question' and c.author_id = $2 and t.topic_id = $3`,
        [a, personId, topicId],
      );
      expect(accepted).toBeGreaterThanOrEqual(3);
      const kudos = await count(
        db,
        `select count(*)::int as n from kudos k join kudos_recipients r on r.tenant_id = k.tenant_id and r.kudos_id = k.id
          where k.tenant_id = $1 and r.recipient_id = $2 and k.message like '%' || $3 || '%'`,
        [a, personId, topic],
      );
      expect(kudos).toBeGreaterThanOrEqual(1);
      const written = await count(
        db,
        `select count(*)::int as n from posts p join post_topics t on t.tenant_id = p.tenant_id and t.post_id = p.id
          where p.tenant_id = $1 and p.author_id = $2 and t.topic_id = $3`,
        [a, personId, topicId],
      );
      expect(written).toBeGreaterThanOrEqual(1);
    }
  });

  test('one tenant’s demo leaves other tenants alone; reset removes everything and a new run works', async () => {
    const other = await createTestTenant(db, 'Someone else');
    await db.query("insert into people (tenant_id, upn, display_name) values ($1, 'camille.martin@hexagone.example', 'Not Camille')", [other]);
    const c = randomUUID();
    await expect(generateDemo(db, { ...small, tenantId: c, people: 10 })).rejects.toThrow(/people/);
    await generateDemo(db, { ...small, tenantId: c });
    await expect(generateDemo(db, { ...small, tenantId: c })).rejects.toThrow(/resetDemo/);
    const before = await rowsByTable(db, c);
    await resetDemo(db, c);
    const after = await rowsByTable(db, c);
    for (const n of Object.values(after)) expect(n).toBe(0);
    expect(await isDemoLoaded(db, c)).toBe(false);
    // The other tenants are untouched.
    expect(await count(db, 'select count(*)::int as n from people where tenant_id = $1', [other])).toBe(1);
    expect(await rowsByTable(db, a)).toEqual(await rowsByTable(db, b));
    const again = await generateDemo(db, { ...small, tenantId: c });
    expect(await rowsByTable(db, c)).toEqual(before);
    expect(comparable(again)).toEqual(comparable(sa));
    await resetDemo(db, c);
    await db.query('delete from people where tenant_id = $1', [other]);
    await db.query('delete from tenants where id = $1', [other]);
  }, 120_000);

  test('the default demo (300 people) loads in the default tenant in a few seconds', async () => {
    const wasThere = await db.query('select 1 from tenants where id = $1', [DEMO_TENANT_ID]);
    if (wasThere.rowCount > 0) await resetDemo(db, DEMO_TENANT_ID);
    const steps = new Set<string>();
    const started = performance.now();
    const s = await generateDemo(db, { now, onProgress: (step) => steps.add(step) });
    const ms = performance.now() - started;
    console.info(`default demo loaded in ${Math.round(ms)} ms on ${db.kind}: ${JSON.stringify(s.counts)}`);
    expect(s.tenantId).toBe(DEMO_TENANT_ID);
    expect(s.counts.people).toBe(300);
    expect(s.counts.posts).toBe(3000);
    expect(s.shyExperts.length).toBeGreaterThanOrEqual(5);
    expect([...steps]).toEqual(expect.arrayContaining(['people', 'communities', 'posts', 'kudos', 'done']));
    expect(ms).toBeLessThan(30_000);
    const tenant = await db.query<{ name: string }>('select name from tenants where id = $1', [DEMO_TENANT_ID]);
    expect(tenant.rows[0]!.name).toBe('Ruche Demo — Hexagone Industries');
    await resetDemo(db, DEMO_TENANT_ID);
  }, 120_000);
});
