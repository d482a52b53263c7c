/** SharePoint intranet news: fetched from the configured sites through the Graph simulator, served read-only by GET /news, on PGlite and PostgreSQL. */
import { createTestTenant, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { createGraphClient, staticTokenProvider, type GraphClient } from '../../core/src/graph/index.js';
import { fetchSharePointNews } from '../../core/src/news/index.js';
import { loadConfig } from '../../core/src/config.js';
import { localConfig, testApp } from '../../server/src/testing.js';
import type { RucheApp } from '../../server/src/app.js';
import { startGraphSimulator, type GraphSimulator } from './simulator/index.js';

test('SHAREPOINT_NEWS_SITES is read as a list of site ids with the Graph settings', () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    GRAPH_TENANT_ID: '11111111-2222-3333-4444-555555555555',
    GRAPH_ACCESS_TOKEN: 'sim',
    SHAREPOINT_NEWS_SITES: 'contoso.sharepoint.com,a,b , other',
  });
  expect(config.graph?.newsSites).toEqual(['contoso.sharepoint.com', 'a', 'b', 'other']);
  expect(loadConfig({ NODE_ENV: 'test', GRAPH_TENANT_ID: '11111111-2222-3333-4444-555555555555', GRAPH_ACCESS_TOKEN: 'sim' }).graph?.newsSites).toEqual([]);
});

for (const database of testDatabases()) {
  describe(`SharePoint news (${database.name})`, () => {
    let db: Db;
    let sim: GraphSimulator;
    let client: GraphClient;
    let tenant: string;
    let ruche: RucheApp;

    beforeAll(async () => {
      db = await database.open();
      sim = await startGraphSimulator({ users: 30, seed: 9, sites: 2, record: true });
      client = createGraphClient({ tokenProvider: staticTokenProvider('sim'), baseUrl: sim.url, tenantId: `sim-${Math.random()}`, sleep: async () => undefined });
      tenant = await createTestTenant(db);
      await db.query("insert into people (tenant_id, upn, display_name) values ($1, 'reader@local.example', 'Rita Reader')", [tenant]);
      ruche = await testApp(db, localConfig(), tenant);
    });
    afterAll(async () => {
      await ruche.app.close();
      await sim.close();
      await db.close();
    });

    const siteIds = () => sim.tenant.sites.map((s) => s.id);
    const newsOf = () =>
      sim.tenant.sites
        .flatMap((s) => s.pages.filter((p) => p.promotionKind === 'newsPost' && p.publishingState.level === 'published'))
        .map((p) => p.title)
        .sort();
    const stored = async () =>
      (await db.query<{ title: string }>('select title from sharepoint_news where tenant_id = $1 order by title', [tenant])).rows.map((r) => r.title);

    test('a fetch stores the published news posts of each site; changes and unpromoted pages follow; unknown sites are reported', async () => {
      const first = await fetchSharePointNews(db, client, tenant, [...siteIds(), 'unknown.sharepoint.com,x,y']);
      expect(first.sites).toBe(2);
      expect(first.missingSites).toEqual(['unknown.sharepoint.com,x,y']);
      expect(newsOf().length).toBeGreaterThan(1);
      expect(await stored()).toEqual(newsOf());
      // Nothing changed: nothing written.
      expect(await fetchSharePointNews(db, client, tenant, siteIds())).toMatchObject({ stored: 0, removed: 0 });
      // An edited news post, one no longer promoted as news, a plain page promoted.
      const pages = sim.tenant.sites[0]!.pages;
      const edited = pages.find((p) => p.promotionKind === 'newsPost')!;
      edited.title = 'Edited: the new canteen opens';
      edited.lastModifiedDateTime = new Date().toISOString();
      const demoted = pages.find((p) => p.promotionKind === 'newsPost' && p !== edited)!;
      demoted.promotionKind = 'page';
      const promoted = pages.find((p) => p.promotionKind === 'page' && p !== demoted)!;
      promoted.promotionKind = 'newsPost';
      const again = await fetchSharePointNews(db, client, tenant, siteIds());
      expect(again).toMatchObject({ stored: 2, removed: 1 });
      expect(await stored()).toEqual(newsOf());
      // A site taken out of the configuration: its news go.
      const onlySecond = await fetchSharePointNews(db, client, tenant, [siteIds()[1]!]);
      expect(onlySecond.removed).toBe(sim.tenant.sites[0]!.pages.filter((p) => p.promotionKind === 'newsPost').length);
      await fetchSharePointNews(db, client, tenant, siteIds());
    });

    test("each site's display name is read once per fetch and stored with its news; a renamed site's news follow", async () => {
      await fetchSharePointNews(db, client, tenant, siteIds());
      sim.recording.length = 0;
      await fetchSharePointNews(db, client, tenant, [...siteIds(), 'unknown.sharepoint.com,x,y']);
      const siteReads = sim.recording.filter((x) => x.method === 'GET' && /^\/sites\/[^/]+$/.test(x.path));
      expect(siteReads.map((x) => decodeURIComponent(x.path.slice('/sites/'.length))).sort()).toEqual([...siteIds(), 'unknown.sharepoint.com,x,y'].sort());
      expect(siteReads.every((x) => x.query.$select === 'displayName,webUrl')).toBe(true);
      const names = async () =>
        (await db.query<{ site_id: string; site_name: string | null }>('select distinct site_id, site_name from sharepoint_news where tenant_id = $1 order by site_id', [tenant])).rows;
      expect(await names()).toEqual(
        sim.tenant.sites.map((site) => ({ site_id: site.id, site_name: site.displayName })).sort((a, b) => (a.site_id < b.site_id ? -1 : 1)),
      );
      // A renamed site: its news carry the new name at the next fetch, nothing else is written.
      const renamed = sim.tenant.sites[1]!;
      renamed.displayName = 'Vie du site de Lyon';
      const news = renamed.pages.filter((p) => p.promotionKind === 'newsPost').length;
      expect(await fetchSharePointNews(db, client, tenant, siteIds())).toMatchObject({ stored: news, removed: 0 });
      expect((await names()).find((x) => x.site_id === renamed.id)?.site_name).toBe('Vie du site de Lyon');
      // A site that loses its display name: its news fall back on the name its address gives.
      renamed.displayName = '  ';
      await fetchSharePointNews(db, client, tenant, siteIds());
      expect((await names()).find((x) => x.site_id === renamed.id)?.site_name).toBeNull();
      const { listNews } = await import('../../core/src/news/index.js');
      const reader = (await db.query<{ id: string }>("select id from people where tenant_id = $1 and upn = 'reader@local.example'", [tenant])).rows[0]!.id;
      const listed = (await listNews(db, { tenantId: tenant, personId: reader, roles: [] }, { limit: 100 })).items;
      expect(new Set(listed.filter((x) => x.siteId === renamed.id).map((x) => x.siteName))).toEqual(new Set(['site1']));
      renamed.displayName = 'Vie du site de Lyon';
      await fetchSharePointNews(db, client, tenant, siteIds());
    });

    test('GET /news lists them newest first with links back, page by page; bad cursors are refused', async () => {
      const token = await ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: 'reader@local.example' } });
      const headers = { authorization: `Bearer ${(token.json() as { access_token: string }).access_token}` };
      expect((await ruche.app.inject({ method: 'GET', url: '/api/v1/news' })).statusCode).toBe(401);
      const seen: Array<{ title: string; publishedAt: string; webUrl: string; kind: string; siteName: string }> = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/news?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const r = await ruche.app.inject({ method: 'GET', url, headers });
        expect(r.statusCode).toBe(200);
        const body = r.json() as { items: typeof seen; nextCursor: string | null };
        expect(body.items.length).toBeLessThanOrEqual(2);
        seen.push(...body.items);
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen.map((n) => n.title).sort()).toEqual(newsOf());
      expect(seen.every((n) => n.kind === 'sharepoint_news' && n.webUrl.startsWith('https://'))).toBe(true);
      const displayNames = new Set(sim.tenant.sites.map((site) => site.displayName));
      expect(seen.every((n) => displayNames.has(n.siteName))).toBe(true);
      // The home feed's news carry the same display names.
      const home = await ruche.app.inject({ method: 'GET', url: '/api/v1/feeds/home?limit=5', headers });
      expect(home.statusCode).toBe(200);
      const homeNews = (home.json() as { news?: Array<{ siteName: string }> }).news ?? [];
      expect(homeNews.length).toBeGreaterThan(0);
      expect(homeNews.every((n) => displayNames.has(n.siteName))).toBe(true);
      const times = seen.map((n) => n.publishedAt);
      expect([...times].sort().reverse()).toEqual(times);
      const bad = await ruche.app.inject({ method: 'GET', url: '/api/v1/news?cursor=garbage', headers });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      // Another organisation sees none of them.
      const other = await createTestTenant(db);
      const { listNews } = await import('../../core/src/news/index.js');
      expect((await listNews(db, { tenantId: other, personId: '00000000-0000-0000-0000-000000000000', roles: [] })).items).toEqual([]);
    });
  });
}
