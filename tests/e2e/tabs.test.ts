import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchChromium, navLink, seriousViolations, startLocalRuche, type LocalRuche } from './browser.js';

const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.ruche/screenshots');
const suite = browserAvailable() ? describe : describe.skip;

/**
 * A newcomer in a plain browser: signs in as a demo person, finds the shell, browses and
 * joins a community, reads its page and their profile, then switches to French and to the
 * dark theme. axe-core checks every page.
 */
suite('the tabs in Chromium', () => {
  let ruche: LocalRuche;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    ruche = await startLocalRuche(60);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await mkdir(shots, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ruche?.close();
  });

  async function expectAccessible(name: string) {
    await page.screenshot({ path: path.join(shots, `${name}.png`) });
    expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
  }

  test('without a token, the tabs send the person to the sign-in page, which brings them back', async () => {
    await page.goto(`${ruche.url}/`);
    await page.waitForURL(/\/signin\?next=%2Ftabs%2Fhome/);
    await expectAccessible('signin');
    const people = (await (await fetch(`${ruche.url}/api/v1/dev/people`)).json()) as { items: { displayName: string }[] };
    const someone = people.items[0]!.displayName;
    await page.getByRole('button', { name: new RegExp(someone) }).click();
    await page.waitForURL(/\/tabs\/home$/);
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    for (const tab of ['Home', 'Communities', 'Kudos', 'Experts', 'Me', 'Insights']) {
      await navLink(page, tab).waitFor();
    }
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    // The navigation is made of links (real addresses); the page shown is the current one.
    expect(await navLink(page, 'Home').getAttribute('aria-current')).toBe('page');
    expect(await navLink(page, 'Kudos').getAttribute('href')).toBe('/tabs/kudos');
    expect(await navLink(page, 'Kudos').getAttribute('aria-current')).toBeNull();
    await page.getByRole('img', { name: `Signed in as ${someone}` }).waitFor();
  });

  test('the home feed shows posts with reactions and comments', async () => {
    const feed = page.getByRole('list', { name: 'Feed' });
    await feed.getByRole('listitem').first().waitFor();
    const first = feed.getByRole('listitem').first();
    await first.getByRole('button', { name: /Show comments/ }).click();
    await first.getByRole('textbox', { name: 'Your comment' }).waitFor();
    await expectAccessible('home');
  });

  test('the communities directory searches, filters by kind and pages', async () => {
    await navLink(page, 'Communities').click();
    await page.waitForURL(/\/tabs\/communities$/);
    await page.getByRole('heading', { level: 1, name: 'Communities' }).waitFor();
    const list = page.getByRole('list', { name: 'Communities' });
    await list.getByRole('listitem').first().waitFor();
    await expectAccessible('communities');

    await page.getByRole('combobox', { name: 'Kind' }).selectOption('org_unit');
    // Every community listed is then an organisation one (the list is replaced once the server answers).
    // Polled from the test (a string predicate would be eval'd in the page, which the tabs' CSP forbids).
    for (let tries = 0; ; tries++) {
      const texts = await list.getByRole('listitem').allTextContents();
      if (texts.length > 0 && texts.every((text) => text.includes('Organisation'))) break;
      if (tries > 150) throw new Error(`communities not filtered by kind: ${texts.join(' | ')}`);
      await page.waitForTimeout(100);
    }
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('');
    await page.getByRole('searchbox', { name: 'Search communities' }).fill('zzzzqqqq');
    await page.getByText('No community matches “zzzzqqqq”.').waitFor();
    await page.getByRole('searchbox', { name: 'Search communities' }).fill('');
    await list.getByRole('listitem').first().waitFor();
  });

  test('joining a public community turns its button into "Leave", and its page lists the new member', async () => {
    const list = page.getByRole('list', { name: 'Communities' });
    const join = list.getByRole('button', { name: /^Join / }).first();
    await join.waitFor();
    const label = (await join.getAttribute('aria-label')) ?? '';
    const name = label.replace(/^Join /, '');
    await join.click();
    await page.getByText(`You joined ${name}.`).waitFor();
    await list.getByRole('button', { name: `Leave ${name}` }).waitFor();

    await list.getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.getByRole('button', { name: `Leave ${name}` }).waitFor();
    const me = await page.evaluate('JSON.parse(localStorage.getItem("ruche.person")).displayName');
    await page.getByRole('list', { name: 'Members' }).getByText(String(me), { exact: true }).waitFor();
    await expectAccessible('community');

    // A deep link to the community opens it directly.
    await page.goto(page.url());
    await page.getByRole('heading', { level: 1, name }).waitFor();
  });

  test('the profile card shows the signed-in person', async () => {
    await navLink(page, 'Me').click();
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    await page.getByText('Department').waitFor();
    await expectAccessible('me');
    for (const section of ['Kudos', 'Experts', 'Insights']) {
      await navLink(page, section).click();
      await page.getByRole('heading', { level: 1, name: section }).waitFor();
      await expectAccessible(section.toLowerCase());
    }
  });

  test('switching to French translates the shell and the pages, and is remembered', async () => {
    await navLink(page, 'Home').click();
    await page.getByRole('button', { name: 'Display settings' }).click();
    await page.getByRole('menuitemradio', { name: 'Français' }).click();
    await page.keyboard.press('Escape');
    await navLink(page, 'Accueil').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Accueil' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
    await page.reload();
    await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
    await navLink(page, 'Communautés').click();
    await page.getByRole('heading', { level: 1, name: 'Communautés' }).waitFor();
    await page.getByRole('list', { name: 'Communautés' }).getByRole('listitem').first().waitFor();
    await expectAccessible('communities-fr');
  });

  test('switching to the dark theme repaints the app, with no accessibility regression', async () => {
    const background = () =>
      page.locator('main').evaluate((el) => {
        const g = globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } };
        return g.getComputedStyle((el as { parentElement: unknown }).parentElement).backgroundColor;
      });
    const light = await background();
    await page.getByRole('button', { name: 'Réglages d’affichage' }).click();
    await page.getByRole('menuitemradio', { name: 'Sombre' }).click();
    await page.keyboard.press('Escape');
    // A locator rather than a string predicate: the tabs' Content Security Policy forbids eval while it polls.
    await page.locator('[data-theme="dark"]').first().waitFor({ state: 'attached' });
    const dark = await background();
    expect(dark).not.toBe(light);
    const [r, g, b] = dark.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeLessThan(200); // a dark colour
    await navLink(page, 'Accueil').click();
    await page.getByRole('list', { name: 'Fil' }).getByRole('listitem').first().waitFor();
    await expectAccessible('home-fr-dark');
  });

  test('a rejected token sends the person back to the sign-in page', async () => {
    await page.evaluate('localStorage.setItem("ruche.token", "not-a-token")');
    await page.goto(`${ruche.url}/tabs/me`);
    await page.waitForURL(/\/signin\?next=%2Ftabs%2Fme/);
  });

  test('no script error happened in any page', () => {
    expect(errors).toEqual([]);
  });
});
