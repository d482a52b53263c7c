import type { Browser, Page } from 'playwright-core';
import { DEMO_TENANT_ID } from '@ruche/core';
import { browserAvailable, launchChromium, seriousViolations, startLocalRuche, type LocalRuche } from './browser.js';

const suite = browserAvailable() ? describe : describe.skip;

interface DemoPerson {
  id: string;
  upn: string;
  displayName: string;
}

/** SharePoint news in the home feed of the tabs, in Chromium: a read-only card linking back, in English and French. */
suite('SharePoint news cards in the home feed (Chromium)', () => {
  let ruche: LocalRuche;
  let browser: Browser;
  let person: DemoPerson;
  const title = `Plant open day ${Date.now()}`;
  const webUrl = 'https://contoso.sharepoint.com/sites/Communication/SitePages/Plant-open-day.aspx';

  beforeAll(async () => {
    ruche = await startLocalRuche(40);
    browser = await launchChromium();
    const people = ((await (await fetch(`${ruche.url}/api/v1/dev/people`)).json()) as { items: DemoPerson[] }).items;
    person = people[3]!;
    await ruche.server.db.query(
      `insert into sharepoint_news (tenant_id, site_id, site_name, page_id, title, description, web_url, author_name, published_at)
       values ($1, 'contoso.sharepoint.com,site-1,web-1', 'Communication & Events', 'page-1', $2, $3, $4, 'Claire Dubois', now() + interval '1 minute')`,
      [DEMO_TENANT_ID, title, 'Visit the <b>plant</b> with your family.', webUrl],
    );
    // A news item of a site whose display name is not known yet: the name its address gives.
    await ruche.server.db.query(
      `insert into sharepoint_news (tenant_id, site_id, page_id, title, web_url, published_at)
       values ($1, 'contoso.sharepoint.com,site-2,web-2', 'page-2', $2, 'https://contoso.sharepoint.com/sites/PlantLyon/SitePages/Safety.aspx', now() + interval '30 seconds')`,
      [DEMO_TENANT_ID, `Safety week ${Date.now()}`],
    );
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await ruche?.close();
  });

  async function homeAs(locale: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale });
    const page = await context.newPage();
    const res = await fetch(`${ruche.url}/api/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: person.upn }) });
    const token = ((await res.json()) as { access_token: string }).access_token;
    await page.goto(`${ruche.url}/signin`);
    await page.evaluate(
      ([t, p]) => {
        const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
        storage.setItem('ruche.token', t!);
        storage.setItem('ruche.person', p!);
      },
      [token, JSON.stringify({ id: person.id, displayName: person.displayName })],
    );
    await page.goto(`${ruche.url}/tabs/home`);
    return page;
  }

  test('the news card shows the news as text, its site and a link back that opens apart', async () => {
    const page = await homeAs('en-GB');
    const card = page.locator('[data-news-card]').first();
    await card.waitFor();
    await card.getByRole('heading', { name: title }).waitFor();
    expect(await card.textContent()).toContain('Visit the <b>plant</b> with your family.');
    expect(await card.textContent()).toContain('from Communication & Events');
    expect(await page.locator('[data-news-card]').nth(1).textContent()).toContain('from PlantLyon');
    const link = card.getByRole('link', { name: 'Open in SharePoint' });
    expect(await link.getAttribute('href')).toBe(webUrl);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect((await link.getAttribute('rel'))!.split(' ')).toContain('noopener');
    // Read-only: no reaction or comment controls on it.
    expect(await card.getByRole('button').count()).toBe(0);
    // The newest item of the feed: the news published after every demo post comes first.
    expect(await page.getByRole('list', { name: 'Feed' }).getByRole('listitem').first().locator('[data-news-card]').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  test('in French, chosen in the display settings', async () => {
    const page = await homeAs('en-GB');
    await page.getByRole('button', { name: 'Display settings' }).click();
    await page.getByRole('menuitemradio', { name: 'Français' }).click();
    await page.keyboard.press('Escape');
    const card = page.locator('[data-news-card]').first();
    await card.getByRole('link', { name: 'Ouvrir dans SharePoint' }).waitFor();
    expect(await card.textContent()).toContain('de Communication & Events');
    await page.context().close();
  });
});
