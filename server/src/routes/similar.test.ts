import { testDatabases } from '@ruche/core/testing';
import { type Db, refreshSimilarProfiles, sendSimilarWorkDigests } from '@ruche/core';
import { type Social, type Who, socialFixture } from './posts-testing.js';

type Work = { source: { department: string | null }; posts: { id: string; department: string; sharedTerms: string[] }[]; communities: { id: string; department: string }[] };

describe.each(testDatabases())('similar work elsewhere API on $name', ({ open }) => {
  let db: Db;
  let s: Social;
  const c = {} as Record<'sales' | 'rd' | 'secret' | 'lunch', string>;
  const p = {} as Record<'sales' | 'rd' | 'secret' | 'salesTwin' | 'lunch' | 'hidden', string>;
  let n = 0;

  const community = async (visibility: string, name: string, description: string, members: [Who, string][]) => {
    n++;
    const r = await db.query<{ id: string }>(
      "insert into communities (tenant_id, slug, name, description, kind, visibility) values ($1, $2, $3, $4, 'interest', $5) returning id",
      [s.tenant, `sim-${n}`, name, description, visibility],
    );
    for (const [who, role] of members) {
      await db.query("insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, $4, 'active')", [s.tenant, r.rows[0]!.id, s.id[who], role]);
    }
    return r.rows[0]!.id;
  };
  const post = async (communityId: string, author: Who, title: string, body: string, hidden = false) => {
    const r = await db.query<{ id: string }>(
      "insert into posts (tenant_id, community_id, author_id, kind, title, body, body_html, hidden_at) values ($1, $2, $3, 'discussion', $4, $5, $5, $6) returning id",
      [s.tenant, communityId, s.id[author], title, body, hidden ? new Date() : null],
    );
    return r.rows[0]!.id;
  };

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
    const depts: Partial<Record<Who, string>> = { camille: 'Sales', owner: 'Sales', requester: 'Sales', lea: 'R&D', moderator: 'R&D', outsider: 'Operations', admin: 'IT' };
    for (const [who, dept] of Object.entries(depts)) {
      await db.query('update people set department = $3 where tenant_id = $1 and id = $2', [s.tenant, s.id[who as Who], dept]);
    }
    c.sales = await community('public', 'Billing platform', 'Billing systems of the sales team', [['camille', 'moderator'], ['owner', 'owner'], ['requester', 'member']]);
    c.rd = await community('public', 'Cloud platform engineers', 'Kubernetes clusters, Azure AKS and Terraform', [['lea', 'owner'], ['moderator', 'member']]);
    c.secret = await community('secret', 'Kubernetes task force', 'Kubernetes AKS Terraform migration', [['moderator', 'owner'], ['lea', 'member'], ['owner', 'member']]);
    c.lunch = await community('public', 'Lunch club', 'Where to eat', [['lea', 'owner'], ['moderator', 'member']]);
    p.sales = await post(c.sales, 'camille', 'Migration Kubernetes des clusters de facturation', 'Nous migrons les clusters Kubernetes de facturation vers Azure AKS avec Terraform.');
    p.rd = await post(c.rd, 'lea', 'Kubernetes cluster migration to Azure AKS', 'Our team migrates Kubernetes clusters to Azure AKS with Terraform modules.');
    p.secret = await post(c.secret, 'moderator', 'Secret plan: Kubernetes AKS migration', 'Terraform modules for the Kubernetes clusters migration to Azure AKS.');
    p.hidden = await post(c.rd, 'moderator', 'Kubernetes AKS Terraform clusters migration (hidden)', 'Kubernetes clusters Azure AKS Terraform.', true);
    p.salesTwin = await post(c.sales, 'owner', 'Kubernetes clusters migration to AKS', 'Same department: Kubernetes clusters, Azure AKS, Terraform.');
    p.lunch = await post(c.lunch, 'lea', 'Team lunch on Friday', 'Pizza or sushi this Friday?');
  });
  afterAll(async () => {
    await s.close();
    await db.close();
  });

  const similar = async (who: Who, url: string) => {
    const r = await s.as(who, 'GET', url);
    expect(r.status).toBe(200);
    return r.body as Work;
  };
  const ids = (xs: { id: string }[]) => xs.map((x) => x.id);

  test('a post: similar posts and communities of other departments only, with the words they share', async () => {
    const w = await similar('camille', `/posts/${p.sales}/similar`);
    expect(w.source.department).toBe('Sales');
    expect(w.posts[0]!.id).toBe(p.rd);
    expect(w.posts[0]!.department).toBe('R&D');
    expect(w.posts[0]!.sharedTerms).toEqual(expect.arrayContaining(['kubernetes', 'aks', 'terraform']));
    expect(ids(w.posts)).not.toContain(p.salesTwin); // same department
    expect(ids(w.posts)).not.toContain(p.sales);
    expect(ids(w.posts)).not.toContain(p.lunch); // unrelated
    expect(ids(w.communities)).toContain(c.rd);
    expect(ids(w.communities)).not.toContain(c.lunch);
    expect(w.communities.every((x) => x.department !== 'Sales')).toBe(true);
  });

  test("a secret community's post, and a hidden post, never show to a non-member", async () => {
    for (const who of ['camille', 'outsider'] as const) {
      const w = await similar(who, `/posts/${p.sales}/similar`);
      expect(ids(w.posts)).not.toContain(p.secret);
      expect(ids(w.posts)).not.toContain(p.hidden);
      expect(ids(w.communities)).not.toContain(c.secret);
      const byCommunity = await similar(who, `/communities/${c.sales}/similar`);
      expect(ids(byCommunity.posts)).not.toContain(p.secret);
      expect(ids(byCommunity.communities)).not.toContain(c.secret);
    }
    // A member of the secret community sees it.
    const member = await similar('owner', `/posts/${p.sales}/similar`);
    expect(ids(member.posts)).toContain(p.secret);
    expect(ids(member.communities)).toContain(c.secret);
    // The moderator of the community of the hidden post sees it.
    expect(ids((await similar('lea', `/posts/${p.sales}/similar`)).posts)).toContain(p.hidden);
  });

  test('a community (by id or slug): posts and communities of other departments', async () => {
    const w = await similar('outsider', `/communities/${c.rd}/similar`);
    expect(w.source.department).toBe('R&D');
    expect(ids(w.communities)).toContain(c.sales);
    expect(ids(w.posts)).toEqual(expect.arrayContaining([p.sales, p.salesTwin]));
    expect(ids(w.posts)).not.toContain(p.rd); // its own post
    const bySlug = await similar('outsider', '/communities/sim-2/similar');
    expect(bySlug.communities).toEqual(w.communities);
  });

  test('what the viewer may not read or see is not found; bad input refused', async () => {
    expect((await s.as('camille', 'GET', `/posts/${p.secret}/similar`)).status).toBe(404);
    expect((await s.as('outsider', 'GET', `/communities/${c.secret}/similar`)).status).toBe(404);
    expect((await s.as('outsider', 'GET', '/posts/not-a-post/similar')).status).toBe(404);
    const bad = await s.as('camille', 'GET', `/posts/${p.sales}/similar?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect((await s.as('camille', 'GET', `/posts/${p.sales}/similar?limit=21`)).status).toBe(400);
    expect((await s.as(null, 'GET', `/posts/${p.sales}/similar`)).status).toBe(401);
    expect((await similar('camille', `/posts/${p.sales}/similar?limit=1`)).posts).toHaveLength(1);
  });

  test('the managers digest: one notification per manager and week, only what each may see', async () => {
    const now = new Date();
    const first = await sendSimilarWorkDigests(db, s.tenant, now);
    expect(first.notified).toBeGreaterThan(0);
    const digest = async (who: Who) =>
      (await db.query<{ data: { period: string; entries: { communityId: string; similarPosts: { id: string }[]; similarCommunities: { id: string }[] }[] } }>(
        "select data from notifications where tenant_id = $1 and person_id = $2 and kind = 'similar_work_digest'",
        [s.tenant, s.id[who]],
      )).rows;
    const camille = await digest('camille');
    expect(camille).toHaveLength(1);
    const entry = camille[0]!.data.entries.find((e) => e.communityId === c.sales)!;
    expect(ids(entry.similarPosts)).toContain(p.rd);
    const everything = JSON.stringify(camille[0]!.data);
    expect(everything).not.toContain(p.secret);
    expect(everything).not.toContain(c.secret);
    expect(everything).not.toContain(p.hidden);
    // The owner of the billing community is a member of the secret one: it may show to them.
    expect(JSON.stringify((await digest('owner'))[0]!.data)).toContain(c.secret);
    // A second run in the same week sends nothing more.
    const second = await sendSimilarWorkDigests(db, s.tenant, now);
    expect(second.notified).toBe(0);
    expect(await digest('camille')).toHaveLength(1);
    // The notification shows in camille's inbox.
    const inbox = await s.as('camille', 'GET', '/notifications');
    expect(inbox.body.items.some((x: { kind: string }) => x.kind === 'similar_work_digest')).toBe(true);
  });

  test("a private community's post titles describe it only to its members", async () => {
    const guild = await community('private', 'Platform guild', 'A guild of the engineering department', [['lea', 'owner'], ['moderator', 'member']]);
    await post(guild, 'lea', 'Billing Kubernetes clusters on Azure AKS', 'Terraform for the billing clusters.');
    await refreshSimilarProfiles(db, s.tenant);
    // Members read its posts, so its recent titles count.
    const owner = await similar('lea', `/communities/${c.sales}/similar`);
    expect(ids(owner.communities)).toContain(guild);
    // Others see the community but only its name and description: nothing in common.
    for (const who of ['camille', 'outsider'] as const) {
      expect(ids((await similar(who, `/communities/${c.sales}/similar`)).communities)).not.toContain(guild);
    }
    const bySource = await similar('outsider', `/communities/${guild}/similar`);
    expect(ids(bySource.communities)).not.toContain(c.sales);
  });

  test('words are weighed from counts kept beside the posts, brought up to date by the refresh', async () => {
    const count = async (word: string) =>
      (await db.query<{ posts: number }>('select posts from similar_word_frequencies where tenant_id = $1 and lexeme = $2', [s.tenant, word])).rows[0]?.posts ?? 0;
    await refreshSimilarProfiles(db, s.tenant);
    const kubernetes = await count('kubernetes');
    expect(kubernetes).toBe((await db.query<{ n: number }>("select count(*)::int as n from posts where tenant_id = $1 and deleted_at is null and search @@ 'kubernetes'::tsquery", [s.tenant])).rows[0]!.n);
    // A new subject in two departments: found once the refresh has counted it and re-profiled the communities.
    const quantumRd = await post(c.lunch, 'lea', 'Quantum lattice cryptography', 'Post-quantum lattice cryptography for our certificates.');
    const quantumSales = await post(c.sales, 'camille', 'Lattice cryptography for invoices', 'Signing invoices with post-quantum lattice cryptography.');
    expect(await count('lattice')).toBe(0);
    const report = await refreshSimilarProfiles(db, s.tenant);
    expect(report.posts).toBe(2);
    expect(report.communities).toBeGreaterThanOrEqual(2);
    expect(await count('lattice')).toBe(2);
    const again = await refreshSimilarProfiles(db, s.tenant);
    expect(again).toEqual({ posts: 0, communities: 0 });
    expect(await count('lattice')).toBe(2);
    const w = await similar('outsider', `/posts/${quantumSales}/similar`);
    expect(w.posts[0]!.id).toBe(quantumRd);
    expect(w.posts[0]!.sharedTerms).toEqual(expect.arrayContaining(['lattice', 'cryptography']));
    // Posts dated before the watermark (an import) are not counted one by one: once the counts drift, they are counted again.
    await db.query(
      `insert into posts (tenant_id, community_id, author_id, kind, title, body, body_html, created_at)
       select $1, $2, $3, 'discussion', 'Imported lattice note ' || i, 'Lattice', 'Lattice', now() - interval '30 days' from generate_series(1, 60) i`,
      [s.tenant, c.lunch, s.id.lea],
    );
    await refreshSimilarProfiles(db, s.tenant);
    expect(await count('lattice')).toBe(62);
    const total = (await db.query<{ n: number }>('select count(*)::int as n from posts where tenant_id = $1 and deleted_at is null', [s.tenant])).rows[0]!.n;
    expect((await db.query<{ posts: number }>('select posts from similar_word_counts where tenant_id = $1', [s.tenant])).rows[0]!.posts).toBe(total);
  });
});
