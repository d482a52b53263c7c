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
import { browserAvailable, launchChromium, seriousViolations, startLocalRuche, type LocalRuche } from '../e2e/browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const spfx = path.join(root, 'spfx-webparts');
const assets = path.join(spfx, 'release/assets');
const built = existsSync(path.join(spfx, 'sharepoint/solution/ruche.sppkg')) && existsSync(assets);
const required = process.env.CI === 'true' || process.env.RUCHE_REQUIRE_SPFX === '1';
if (!built && !required) console.warn('SharePoint web part browser tests skipped: run `npm run build:sharepoint` first');
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

  async function openHarness(
    token: string,
    locale: string,
    options: { experts?: string; person?: string; community?: string; department?: string } = {},
  ): Promise<void> {
    const query = new URLSearchParams({
      token,
      locale,
      experts: options.experts ?? '',
      person: options.person ?? '',
      community: options.community ?? '',
      department: options.department ?? '',
    });
    await page.goto(`${ruche.url}/spfx-harness/index.html?${query.toString()}`);
  }

  /** Serious or critical axe-core violations inside the given web parts' sections. */
  async function violationsIn(selectors: string[]): Promise<unknown[]> {
    await seriousViolations(page); // loads axe-core into the page
    return (await page.evaluate(
      `axe.run({ include: ${JSON.stringify(selectors.map((s) => [s]))}, exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] })
         .then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target) })))`,
    )) as unknown[];
  }

  async function demoPeople(): Promise<{ id: string; upn: string; displayName: string; department: string | null }[]> {
    return ((await (await fetch(`${ruche.url}/api/v1/dev/people`)).json()) as { items: { id: string; upn: string; displayName: string; department: string | null }[] }).items;
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
      // Each web part's own code is a chunk that the bundle loads from beside itself.
      const chunk = /^chunk\.[\w-]+_[0-9a-f]+\.js$/.test(name) && existsSync(path.join(assets, name)) ? path.join(assets, name) : undefined;
      const file = name === 'strings.js' ? asset(locale.toLowerCase().startsWith('fr') ? 'RucheWebPartStrings_fr-fr' : 'RucheWebPartStrings_en-us') : (files[name] ?? chunk);
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
    expect(exportNames).toEqual({
      FeedWebPart: 'a',
      CommunitiesWebPart: 'b',
      AnnouncementsWebPart: 'c',
      PeopleCardWebPart: 'd',
      ExpertsWebPart: 'e',
      KudosWallWebPart: 'f',
      LeaderboardWebPart: 'g',
    });
  });

  test("the feed scoped to a department shows its org unit's posts, whatever the case and accents; an unknown department is said", async () => {
    const people = await demoPeople();
    const token = await tokenFor(people[2]!.upn);
    await openHarness(token, 'en-US', { department: 'DIRECTION GENERALE' });
    const feed = page.locator('#deptfeed');
    await feed.getByRole('heading', { level: 2, name: 'Department' }).waitFor();
    const open = feed.getByRole('link', { name: /Open in Ruche/ });
    await open.waitFor();
    const href = (await open.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^${ruche.url}/tabs/communities/`));
    const ref = decodeURIComponent(href.slice(href.lastIndexOf('/') + 1));
    const community = (await (
      await fetch(`${ruche.url}/api/v1/communities/${encodeURIComponent(ref)}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { name: string; kind: string };
    expect(community).toMatchObject({ name: 'Direction Générale', kind: 'org_unit' });
    await feed.getByRole('list', { name: 'Department' }).getByRole('listitem').first().waitFor();
    expect(await feed.getByRole('list', { name: 'Department' }).getByRole('listitem').count()).toBeLessThanOrEqual(2);

    await openHarness(token, 'fr-FR', { department: 'Nulle part' });
    await page.locator('#deptfeed').getByText('Aucun service nommé Nulle part n’a d’espace dans Ruche.').waitFor();
  });

  test('in English: feed, communities, announcements and people card render from the API through the AadHttpClient stand-in', async () => {
    const people = await demoPeople();
    const someone = people[1]!;
    const colleague = people[3]!;
    await openHarness(await tokenFor(someone.upn), 'en-US', { person: colleague.upn.toUpperCase() });
    const feed = page.locator('#feed');
    await feed.getByRole('heading', { level: 2, name: 'Feed' }).waitFor();
    await feed.getByRole('list', { name: 'Feed' }).getByRole('listitem').first().waitFor();
    expect(await feed.getByRole('list', { name: 'Feed' }).getByRole('listitem').count()).toBeLessThanOrEqual(3);
    const communities = page.locator('#communities');
    await communities.getByRole('searchbox').or(communities.getByRole('textbox')).first().waitFor();
    await communities.getByRole('link').nth(1).waitFor();
    await page.locator('#announcements').getByText(/No announcement for you|I have read it/).first().waitFor();
    await page.locator('#people').getByText(someone.displayName).first().waitFor();
    await page.locator('#people').getByRole('heading', { name: 'My profile', exact: true }).waitFor();
    // The people card set to a colleague by user name (any case): their profile, not the visitor's.
    const person = page.locator('#person');
    await person.getByRole('heading', { name: colleague.displayName }).first().waitFor();
    expect(await person.getByRole('heading', { name: 'My profile', exact: true }).count()).toBe(0);
    expect(await person.getByRole('link', { name: /Open in Ruche/ }).getAttribute('href')).toBe(`${ruche.url}/tabs/people/${colleague.id}`);
    expect(await violationsIn(['#person'])).toEqual([]);
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
    const people = await demoPeople();
    // The first demo person is a communicator; publish to the organisation as them.
    const publisher = await tokenFor(people[0]!.upn);
    const published = await fetch(`${ruche.url}/api/v1/announcements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/json', 'idempotency-key': 'spfx-harness-announcement-1' },
      body: JSON.stringify({ title: 'Nouvelle charte télétravail', body: 'Merci de lire la charte.', mustRead: true, targets: [{ type: 'organisation' }] }),
    });
    expect(published.status).toBe(201);
    await openHarness(await tokenFor(people[2]!.upn), 'fr-FR');
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
  test('the kudos wall: kudos given from the web part appear on the organisation wall; the leaderboard ranks departments', async () => {
    const people = await demoPeople();
    const giver = people[4]!;
    const colleague = people[5]!;
    await openHarness(await tokenFor(giver.upn), 'en-US');
    const kudos = page.locator('#kudos');
    await kudos.getByRole('heading', { level: 2, name: 'Kudos', exact: true }).waitFor();
    await kudos.getByRole('combobox', { name: 'To' }).fill(colleague.displayName.split(' ')[0]!);
    // The suggestions open in a popover on the page's body (a Fluent portal).
    await page.getByRole('listbox', { name: 'To' }).getByRole('option', { name: new RegExp(colleague.displayName) }).first().click();
    await kudos.getByRole('radio').first().check();
    const thanks = `Thanks from the intranet page, ${Date.now()}`;
    await kudos.getByRole('textbox', { name: 'Message' }).fill(thanks);
    await kudos.getByRole('button', { name: 'Send kudos' }).click();
    await kudos.getByText(`Kudos sent to ${colleague.displayName}.`).waitFor();
    const wall = kudos.getByRole('list', { name: 'Kudos', exact: true });
    await wall.getByText(thanks).waitFor();
    expect(await wall.getByRole('listitem').count()).toBeLessThanOrEqual(4);
    // Saved on the server: the organisation wall of another visitor shows it too.
    const other = await tokenFor(people[6]!.upn);
    const seen = (await (await fetch(`${ruche.url}/api/v1/kudos?limit=10`, { headers: { authorization: `Bearer ${other}` } })).json()) as { items: { message: string }[] };
    expect(seen.items.map((k) => k.message)).toContain(thanks);

    // The leaderboard (in a strong section): departments ranked, at most the count set.
    const board = page.locator('#leaderboard');
    const departments = board.getByRole('table', { name: 'Departments', exact: true });
    await departments.getByRole('row').nth(1).waitFor();
    expect(await departments.getByRole('row').count()).toBeLessThanOrEqual(1 + 5);
    // Nobody is named there who did not opt in: no person link in the department ranking.
    expect(await board.getByRole('link', { name: /^(?!Open in Ruche)/ }).count()).toBe(0);
    expect(await violationsIn(['#kudos', '#leaderboard'])).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("the leaderboard's community health, in French, for a community's owner; a visitor who may not see it is told why", async () => {
    const people = await demoPeople();
    let owner: { upn: string; slug: string; name: string } | null = null;
    for (const p of people.slice(0, 30)) {
      const token = await tokenFor(p.upn);
      const profile = (await (await fetch(`${ruche.url}/api/v1/people/${p.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        communities: { slug: string; name: string; role: string }[] | null;
      };
      const run = (profile.communities ?? []).find((c) => c.role === 'owner');
      if (run) {
        owner = { upn: p.upn, slug: run.slug, name: run.name };
        break;
      }
    }
    expect(owner).not.toBeNull();
    await openHarness(await tokenFor(owner!.upn), 'fr-FR', { community: owner!.slug });
    const board = page.locator('#leaderboard');
    const health = board.getByRole('region', { name: `Santé de ${owner!.name}` });
    await health.getByText(/^(En croissance|Stable|En baisse|En sommeil)$/).waitFor();
    await health.getByText('Action suggérée').waitFor();
    await health.getByText('Membres', { exact: true }).waitFor();

    // A member who runs nothing there sees why, not an error.
    const profileOfMember = async (p: { id: string; upn: string }) => {
      const token = await tokenFor(p.upn);
      const profile = (await (await fetch(`${ruche.url}/api/v1/people/${p.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        communities: { slug: string; role: string }[] | null;
      };
      return (profile.communities ?? []).some((c) => c.slug === owner!.slug && (c.role === 'owner' || c.role === 'moderator'));
    };
    let outsider: { id: string; upn: string } | undefined;
    for (const p of people.filter((x) => x.upn !== owner!.upn).slice(0, 10)) {
      if (!(await profileOfMember(p))) {
        outsider = p;
        break;
      }
    }
    expect(outsider).toBeDefined();
    await openHarness(await tokenFor(outsider!.upn), 'en-US', { community: owner!.slug });
    await board.getByText('You may not see the insights of this community.').waitFor();
    // The ranking above it still shows.
    await board.getByRole('table', { name: 'Departments', exact: true }).getByRole('row').nth(1).waitFor();
    expect(errors).toEqual([]);
  });
});
