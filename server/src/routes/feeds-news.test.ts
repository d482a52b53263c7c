import { createTestTenant, testDatabases } from '@ruche/core/testing';
import { type Db, readFeed } from '@ruche/core';
import { type Social, type Who, socialFixture } from './posts-testing.js';

interface HomePage {
  items: { id: string; createdAt: string }[];
  news?: { pageId: string; title: string; siteName: string; webUrl: string; publishedAt: string; kind: string }[];
  nextCursor: string | null;
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe.each(testDatabases())('SharePoint news in the home feed on $name', ({ open }) => {
  let db: Db;
  let s: Social;

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
  });
  afterAll(async () => {
    await s.close();
    await db.close();
  });

  const addNews = (tenant: string, pageId: string, publishedAt: string, site = 'contoso.sharepoint.com,site-1,web-1') =>
    db.query(
      `insert into sharepoint_news (tenant_id, site_id, page_id, title, description, web_url, author_name, published_at)
       values ($1, $2, $3, $4, $5, $6, 'Claire Dubois', $7)`,
      [tenant, site, pageId, `News ${pageId}`, `About ${pageId}`, `https://contoso.sharepoint.com/sites/Communication/SitePages/${pageId}.aspx`, publishedAt],
    );

  /** Every page of the viewer's home feed, as one list of post ids and news page ids in page order. */
  async function walk(who: Who, limit: number): Promise<{ order: string[]; pages: HomePage[] }> {
    const order: string[] = [];
    const pages: HomePage[] = [];
    let cursor: string | null = null;
    do {
      const r: { status: number; body: HomePage } = await s.as(who, 'GET', `/feeds/home?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      pages.push(r.body);
      const entries = [
        ...r.body.items.map((p) => ({ key: p.id, at: p.createdAt })),
        ...(r.body.news ?? []).map((n) => ({ key: `news:${n.pageId}`, at: n.publishedAt })),
      ];
      // Within a page, posts and news come in the feed's order: newest first.
      entries.sort((a, b) => b.at.localeCompare(a.at));
      order.push(...entries.map((e) => e.key));
      expect(r.body.items.length + (r.body.news?.length ?? 0)).toBeLessThanOrEqual(limit);
      cursor = r.body.nextCursor;
    } while (cursor);
    return { order, pages };
  }

  test('news take their place among posts, page after page, for everyone of the tenant and no one else', async () => {
    const cid = await s.community('public');
    const posts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await s.as('camille', 'POST', '/posts', { communityId: cid, kind: 'discussion', title: `p${i}`, body: `p${i}` });
      expect(r.status).toBe(201);
      posts.push(r.body.id as string);
    }
    // Posts 50, 40, 30, 20 minutes ago; news 45, 35 (two at the same instant) and 5 minutes ago.
    for (const [i, id] of posts.entries()) {
      await db.query('update posts set created_at = $3 where tenant_id = $1 and id = $2', [s.tenant, id, minutesAgo(50 - 10 * i)]);
    }
    await addNews(s.tenant, 'n45', minutesAgo(45));
    const tie = minutesAgo(35);
    await addNews(s.tenant, 'n35a', tie);
    await addNews(s.tenant, 'n35b', tie, 'contoso.sharepoint.com,site-2,web-2');
    await addNews(s.tenant, 'n05', minutesAgo(5));
    const other = await createTestTenant(db, 'Elsewhere');
    await addNews(other, 'foreign', minutesAgo(1));

    // camille follows the community (member); her home feed merges both kinds.
    const expected = ['news:n05', posts[3]!, posts[2]!, 'news:n35a', 'news:n35b', posts[1]!, 'news:n45', posts[0]!];
    const whole = await walk('camille', 100);
    const sortTies = (list: string[]) => list.map((x) => (x === 'news:n35a' || x === 'news:n35b' ? 'news:n35' : x));
    expect(sortTies(whole.order)).toEqual(sortTies(expected));
    expect(whole.order.filter((x) => x.startsWith('news:')).sort()).toEqual(['news:n05', 'news:n35a', 'news:n35b', 'news:n45']);
    const first = whole.pages[0]!.news!.find((n) => n.pageId === 'n05')!;
    expect(first).toMatchObject({
      kind: 'sharepoint_news',
      title: 'News n05',
      siteName: 'Communication',
      webUrl: 'https://contoso.sharepoint.com/sites/Communication/SitePages/n05.aspx',
    });

    // Paged one, two and three at a time (a page may end on a news item, or between the two tied ones): the same list, nothing lost or repeated.
    for (const limit of [1, 2, 3]) {
      const paged = await walk('camille', limit);
      expect(paged.order).toEqual(whole.order);
    }

    // Someone who follows nothing still gets the organisation's news; another tenant's never.
    const outsider = await walk('outsider', 100);
    expect(outsider.order.filter((x) => x.startsWith('news:')).sort()).toEqual(['news:n05', 'news:n35a', 'news:n35b', 'news:n45']);
    expect(outsider.order).not.toContain('news:foreign');
    const stranger = await db.query<{ id: string }>("insert into people (tenant_id, upn, display_name) values ($1, 'x@elsewhere.example', 'X') returning id", [other]);
    const elsewhere = await readFeed(db, { tenantId: other, personId: stranger.rows[0]!.id, roles: [] }, { kind: 'home' }, { news: true });
    expect(elsewhere.news!.map((n) => n.pageId)).toEqual(['foreign']);
    expect(elsewhere.items).toEqual([]);

    // Other feeds carry no news; the top order ranks news with the same formula (no reactions, no comments).
    const community = await s.as('camille', 'GET', `/feeds/communities/${cid}`);
    expect(community.body.news).toBeUndefined();
    const top = await s.as('outsider', 'GET', '/feeds/home?order=top&limit=100');
    expect(top.status).toBe(200);
    const topNews = (top.body as HomePage).news!.map((n) => n.pageId);
    expect([...topNews].sort()).toEqual(['n05', 'n35a', 'n35b', 'n45']);
    expect(topNews[0]).toBe('n05');
  });
});
