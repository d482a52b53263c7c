/**
 * Every web part rendered by the production bundle in Chromium, on a stand-in SharePoint page
 * (spfx-webparts/harness) served on the local Ruche server's origin, with a stand-in SPFx
 * context whose AadHttpClient adds a local-mode token. Needs the SPFx build (release/assets).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { browserAvailable, launchChromium, startLocalRuche, type LocalRuche } from '../e2e/browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const spfx = path.join(root, 'spfx-webparts');
const assets = path.join(spfx, 'release/assets');
const built = existsSync(path.join(spfx, 'sharepoint/solution/ruche.sppkg')) && existsSync(assets);
const required = process.env.CI === 'true' || process.env.RUCHE_REQUIRE_SPFX === '1';
if (!built && !required) console.warn('SharePoint web part browser tests skipped: run `npm ci && npm run build` in spfx-webparts first');
const suite = (built || required) && browserAvailable() ? describe : describe.skip;

function asset(prefix: string): string {
  const name = readdirSync(assets).find((f) => f.startsWith(prefix) && f.endsWith('.js') && !f.endsWith('.LICENSE.txt'));
  if (!name) throw new Error(`no ${prefix}*.js in ${assets}`);
  return path.join(assets, name);
}

suite('the SharePoint web parts in Chromium (local harness)', () => {
  let ruche: LocalRuche;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  async function tokenFor(upn: string): Promise<string> {
    const r = await fetch(`${ruche.url}/api/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: upn }) });
    return ((await r.json()) as { access_token: string }).access_token;
  }

  async function openHarness(token: string, locale: string, experts = ''): Promise<void> {
    await page.goto(`${ruche.url}/spfx-harness/index.html?token=${encodeURIComponent(token)}&locale=${locale}&experts=${encodeURIComponent(experts)}`);
  }

  beforeAll(async () => {
    ruche = await startLocalRuche(60);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    page.on('pageerror', (e) => errors.push(e.message));
    const files: Record<string, string> = {
      'index.html': path.join(spfx, 'harness/index.html'),
      'harness.js': path.join(spfx, 'harness/harness.js'),
      'react.js': path.join(spfx, 'node_modules/react/umd/react.production.min.js'),
      'react-dom.js': path.join(spfx, 'node_modules/react-dom/umd/react-dom.production.min.js'),
      'bundle.js': asset('ruche-web-parts_'),
    };
    // The harness is served on the API's own origin, as SharePoint would be allowed by CORS.
    await page.route(`${ruche.url}/spfx-harness/**`, async (route) => {
      const url = new URL(route.request().url());
      const name = url.pathname.slice('/spfx-harness/'.length);
      const locale = new URL(page.url() || url.href).searchParams.get('locale') ?? 'en-US';
      const file = name === 'strings.js' ? asset(locale.toLowerCase().startsWith('fr') ? 'RucheWebPartStrings_fr-fr' : 'RucheWebPartStrings_en-us') : files[name];
      if (!file) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ status: 200, contentType: name.endsWith('.html') ? 'text/html' : 'text/javascript', body: readFileSync(file) });
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ruche?.close();
  });

  test('the harness mounts the components the package declares, by their export names', async () => {
    const zip = await JSZip.loadAsync(readFileSync(path.join(spfx, 'sharepoint/solution/ruche.sppkg')));
    const exportNames: Record<string, string> = {};
    for (const f of zip.file(/WebPart_[0-9a-f-]+\.xml$/)) {
      const m = /ComponentManifest="([^"]*)"/.exec(await f.async('string'));
      const manifest = JSON.parse(m![1]!.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')) as { alias: string; loaderConfig: { exportName: string } };
      exportNames[manifest.alias] = manifest.loaderConfig.exportName;
    }
    expect(exportNames).toEqual({ FeedWebPart: 'a', CommunitiesWebPart: 'b', AnnouncementsWebPart: 'c', PeopleCardWebPart: 'd', ExpertsWebPart: 'e' });
  });

  test('in English: feed, communities, announcements and people card render from the API through the AadHttpClient stand-in', async () => {
    const people = (await (await fetch(`${ruche.url}/api/v1/dev/people`)).json()) as { items: { upn: string; displayName: string }[] };
    const someone = people.items[1]!;
    await openHarness(await tokenFor(someone.upn), 'en-US');
    const feed = page.locator('#feed');
    await feed.getByRole('heading', { level: 2, name: 'Feed' }).waitFor();
    await feed.getByRole('list', { name: 'Feed' }).getByRole('listitem').first().waitFor();
    expect(await feed.getByRole('list', { name: 'Feed' }).getByRole('listitem').count()).toBeLessThanOrEqual(3);
    const communities = page.locator('#communities');
    await communities.getByRole('searchbox').or(communities.getByRole('textbox')).first().waitFor();
    await communities.getByRole('link').nth(1).waitFor();
    await page.locator('#announcements').getByText(/No announcement for you|I have read it/).first().waitFor();
    await page.locator('#people').getByText(someone.displayName).first().waitFor();
    // The expert finder: no subject set, a search by hand.
    const experts = page.locator('#experts');
    await experts.getByText(/Type a subject/).waitFor();
    await experts.getByRole('searchbox').fill('communication');
    await experts.getByRole('button', { name: 'Find experts' }).click();
    await experts.getByRole('list', { name: 'Experts for "communication"' }).getByRole('listitem').first().waitFor();
    const calls = (await page.evaluate('window.rucheHarness.calls')) as { resource: string; configuration: string }[];
    expect(calls.length).toBeGreaterThan(3);
    expect(new Set(calls.map((c) => `${c.resource} ${c.configuration}`))).toEqual(new Set(['api://ruche-harness aad-v1']));
    expect(errors).toEqual([]);
  });

  test('in French, a must-read announcement is acknowledged from the web part in a strong section', async () => {
    const people = (await (await fetch(`${ruche.url}/api/v1/dev/people`)).json()) as { items: { upn: string }[] };
    // The first demo person is a communicator; publish to the organisation as them.
    const publisher = await tokenFor(people.items[0]!.upn);
    const published = await fetch(`${ruche.url}/api/v1/announcements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/json', 'idempotency-key': 'spfx-harness-announcement-1' },
      body: JSON.stringify({ title: 'Nouvelle charte télétravail', body: 'Merci de lire la charte.', mustRead: true, targets: [{ type: 'organisation' }] }),
    });
    expect(published.status).toBe(201);
    await openHarness(await tokenFor(people.items[2]!.upn), 'fr-FR');
    const section = page.locator('#announcements');
    await section.getByRole('heading', { name: 'Nouvelle charte télétravail' }).waitFor();
    await section.getByText('À lire').first().waitFor();
    await section.getByRole('button', { name: 'J’ai lu' }).click();
    await section.getByText(/^Lu le /).waitFor();
    await page.locator('#feed').getByRole('link', { name: /Ouvrir dans Ruche/ }).waitFor();
    // The strong section: the web part's own background stays the section's.
    const background = await section.evaluate("getComputedStyle(document.querySelector('#announcements .fui-FluentProvider')).backgroundColor");
    expect(background).toBe('rgba(0, 0, 0, 0)');
    expect(errors).toEqual([]);
  });
});
