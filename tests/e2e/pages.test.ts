import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchChromium, seriousViolations, startLocalRuche, type LocalRuche } from './browser.js';

const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.ruche/screenshots');
const suite = browserAvailable() ? describe : describe.skip;

interface DemoPerson {
  id: string;
  upn: string;
  displayName: string;
  department: string | null;
}

/**
 * Every page of the tabs beyond Home and Communities, in Chromium against a local server:
 * kudos (give, wall, leaderboards, score), experts (find, why, endorse), profiles (anyone's,
 * editing one's own), notifications (bell, mark read, deep link), moderation (a reported
 * post hidden by a tenant admin, a keyword rule), settings; axe-core on every page.
 */
suite('the pages of the tabs in Chromium', () => {
  let ruche: LocalRuche;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let people: DemoPerson[];
  let giver: DemoPerson;
  let receiver: DemoPerson;
  let admin: DemoPerson;
  const message = `Thanks for the onboarding checklist ${Date.now()}`;
  const errors: string[] = [];

  async function tokenOf(person: DemoPerson): Promise<string> {
    const res = await fetch(`${ruche.url}/api/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: person.upn }) });
    return ((await res.json()) as { access_token: string }).access_token;
  }

  /** Signs in as a demo person the way the sign-in page does (token and person in local storage). */
  async function signInAs(person: DemoPerson): Promise<void> {
    const token = await tokenOf(person);
    await page.goto(`${ruche.url}/signin`);
    await page.evaluate(
      ([t, p]) => {
        const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
        storage.setItem('ruche.token', t!);
        storage.setItem('ruche.person', p!);
      },
      [token, JSON.stringify({ id: person.id, displayName: person.displayName })],
    );
  }

  async function open(pathname: string): Promise<void> {
    await page.goto(`${ruche.url}/tabs${pathname}`);
  }

  async function expectAccessible(name: string) {
    await page.screenshot({ path: path.join(shots, `page-${name}.png`), fullPage: true });
    expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
  }

  beforeAll(async () => {
    ruche = await startLocalRuche(60);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await mkdir(shots, { recursive: true });
    people = ((await (await fetch(`${ruche.url}/api/v1/dev/people`)).json()) as { items: DemoPerson[] }).items;
    admin = people[0]!; // sign-in candidates list tenant admins first
    giver = people[5]!;
    receiver = people.find((p) => p.id !== giver.id && p.id !== admin.id && p.department && p.displayName.split(' ').length >= 2)!;
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await ruche?.close();
  });

  test('kudos: give kudos with the people picker and a company value, then read it on the wall', async () => {
    await signInAs(giver);
    await open('/kudos');
    await page.getByRole('heading', { level: 1, name: 'Kudos' }).waitFor();
    await expectAccessible('kudos');

    // Sending an empty form says what is missing and sends nothing.
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await page.getByText('Choose at least one person.').waitFor();
    await page.getByText('Write a few words of thanks.').waitFor();

    const picker = page.getByRole('combobox', { name: 'To' });
    await picker.fill(receiver.displayName.split(' ')[0]!);
    await page.getByRole('listbox', { name: 'To' }).getByRole('option', { name: new RegExp(receiver.displayName) }).first().click();
    await page.getByRole('listbox', { name: 'Chosen people' }).getByText(receiver.displayName).waitFor();
    await page.getByRole('radio', { name: 'Teamwork' }).check();
    await page.getByRole('textbox', { name: 'Message' }).fill(message);
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await page.getByText(`Kudos sent to ${receiver.displayName}.`).waitFor();
    const wall = page.getByRole('list', { name: 'Kudos wall' });
    await wall.getByText(message).waitFor();

    // The wall is read from the server too (not only the sent card).
    await page.reload();
    await page.getByRole('list', { name: 'Kudos wall' }).getByText(message).waitFor();
    await expectAccessible('kudos-wall');
  });

  test('kudos: leaderboards by team or department, and my contribution score explained', async () => {
    await page.getByRole('tab', { name: 'Leaderboards' }).click();
    await page.getByRole('heading', { name: 'Teams and departments' }).waitFor();
    await page.getByRole('table', { name: 'Teams and departments' }).waitFor();
    await page.getByRole('combobox', { name: 'Rank' }).selectOption('department');
    await page.getByRole('columnheader', { name: 'Department' }).waitFor();
    await page.getByRole('heading', { name: 'People who chose to be ranked' }).waitFor();
    await expectAccessible('kudos-leaderboards');

    await page.getByRole('tab', { name: 'My contribution score' }).click();
    await page.getByRole('heading', { level: 2, name: 'My contribution score' }).waitFor();
    for (const factor of ['Presence', 'Level', 'Activity', 'Kudos given']) await page.getByText(factor, { exact: true }).first().waitFor();
    await page.getByText(/score = presence x level x activity/).waitFor();
    await expectAccessible('kudos-score');
  });

  test('experts: find people for a subject, read why, filter, endorse a skill', async () => {
    await open('/experts');
    await page.getByRole('heading', { level: 1, name: 'Experts' }).waitFor();
    await page.getByRole('searchbox', { name: 'Who knows about…' }).fill('communication');
    await page.getByRole('button', { name: 'Find experts' }).click();
    const results = page.getByRole('list', { name: 'Experts for "communication"' });
    await results.getByRole('listitem').first().waitFor();
    await results.getByRole('listitem').first().getByText('Why this person:').waitFor();
    const why = await results.getByRole('listitem').first().locator('p').first().innerText();
    expect(why.replace('Why this person:', '').trim().length).toBeGreaterThan(5);
    await expectAccessible('experts');

    const endorse = results.getByRole('button', { name: /^Endorse / }).first();
    if (await endorse.count()) {
      await endorse.click();
      await page.waitForFunction(() => !!(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('button[aria-pressed="true"]'));
    }

    // A filter narrows (or empties) the results, and says so.
    await page.getByRole('textbox', { name: 'Office' }).fill('zzzz-no-office');
    await page.getByRole('button', { name: 'Find experts' }).click();
    await page.getByText('Nobody found for "communication"').waitFor();
  });

  test('profiles: anyone\'s profile with org chart and skills; my own, edited', async () => {
    await open(`/people/${receiver.id}`);
    await page.getByRole('heading', { level: 1, name: receiver.displayName }).waitFor();
    await page.getByRole('heading', { name: 'Organisation chart' }).waitFor();
    await page.getByRole('heading', { name: 'Skills' }).waitFor();
    await page.getByRole('heading', { name: /Kudos received/ }).waitFor();
    await page.getByText(message).waitFor();
    await expectAccessible('profile');

    await open('/me');
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor();
    await page.getByRole('heading', { name: 'Edit my profile' }).waitFor();
    const topic = `Onboarding ${Date.now() % 1000}`;
    await page.getByRole('textbox', { name: 'Ask me about' }).fill(topic);
    await page.getByRole('button', { name: 'Save my profile' }).click();
    await page.getByText('Your profile is saved.').waitFor();
    await page.reload();
    await page.getByText(topic).first().waitFor();
    await expectAccessible('me');
  });

  test('notifications: the bell counts the kudos received; the list marks it read and links to the item', async () => {
    await signInAs(receiver);
    await open('/home');
    const bell = page.getByRole('link', { name: /^Notifications: \d+ unread$/ });
    await bell.waitFor();
    await bell.click();
    await page.waitForURL(/\/tabs\/notifications$/);
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const item = page.getByRole('listitem').filter({ hasText: `${giver.displayName} gave you kudos` }).first();
    await item.waitFor();
    await expectAccessible('notifications');
    await item.getByRole('button', { name: /^Mark read: / }).click();
    await item.getByRole('button', { name: /^Mark read: / }).waitFor({ state: 'detached' });
    // Read on the server: a reload keeps it read.
    await page.reload();
    const again = page.getByRole('listitem').filter({ hasText: `${giver.displayName} gave you kudos` }).first();
    await again.waitFor();
    expect(await again.getByRole('button', { name: /^Mark read: / }).count()).toBe(0);
    await again.getByRole('link').click();
    await page.waitForURL(/\/tabs\/kudos$/);
  });

  test('settings: recognition privacy, field privacy and notification settings', async () => {
    await open('/settings');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    const ranking = page.getByRole('switch', { name: 'Appear by name in public leaderboards' });
    await ranking.waitFor();
    const before = await ranking.isChecked();
    await ranking.click();
    await page.getByText('Saved.').first().waitFor();
    await page.reload();
    await page.getByRole('switch', { name: 'Appear by name in public leaderboards' }).waitFor();
    expect(await page.getByRole('switch', { name: 'Appear by name in public leaderboards' }).isChecked()).toBe(!before);
    await page.getByRole('switch', { name: 'Kudos received: In Ruche' }).waitFor();
    await page.getByRole('switch', { name: 'Never name me in insights' }).waitFor();
    const meetups = page.getByRole('switch', { name: 'Take part in meetups' });
    const wasOn = await meetups.isChecked();
    await meetups.click();
    await page.getByText('Saved.').first().waitFor();
    await page.reload();
    await page.getByRole('switch', { name: 'Take part in meetups' }).waitFor();
    expect(await page.getByRole('switch', { name: 'Take part in meetups' }).isChecked()).toBe(!wasOn);
    await page.getByRole('combobox', { name: 'Biography' }).waitFor();
    await expectAccessible('settings');
  });

  test('moderation: a tenant admin hides a reported post and adds a keyword rule', async () => {
    // Someone reports a post of the home feed.
    const token = await tokenOf(giver);
    const feed = (await (await fetch(`${ruche.url}/api/v1/feeds/home?limit=5`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: string }[] };
    const postId = feed.items[0]!.id;
    const report = await fetch(`${ruche.url}/api/v1/posts/${postId}/reports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `report-${postId}` },
      body: JSON.stringify({ reason: 'spam', details: 'Advertises a product' }),
    });
    expect(report.status).toBeLessThan(300);

    await signInAs(admin);
    await open('/moderation');
    await page.getByRole('heading', { level: 1, name: 'Moderation' }).waitFor();
    const card = page.getByRole('listitem').filter({ hasText: 'Advertises a product' }).first();
    await card.waitFor();
    await expectAccessible('moderation');
    await card.getByRole('textbox', { name: 'Reason given to the author' }).fill('Advertising is not allowed here');
    await card.getByRole('button', { name: 'Hide', exact: true }).click();
    await card.getByText(/^Hidden; \d+ reports? resolved\.$/).waitFor();
    await card.getByRole('button', { name: 'Restore' }).waitFor();

    const pattern = `forbiddenword${Date.now() % 10000}`;
    await page.getByRole('textbox', { name: 'Term or pattern' }).fill(pattern);
    await page.getByRole('button', { name: 'Add the rule' }).click();
    await page.getByRole('list', { name: 'Keyword rules' }).getByText(pattern).waitFor();
    await page.getByRole('button', { name: `Remove the rule “${pattern}”` }).click();
    await page.getByRole('list', { name: 'Keyword rules' }).getByText(pattern).waitFor({ state: 'detached' });

    // The shell's menu offers moderation to a tenant admin.
    await page.getByRole('button', { name: 'Your space' }).click();
    await page.getByRole('menuitem', { name: 'Moderation' }).waitFor();
    await page.keyboard.press('Escape');
  });

  test('a post opens on its own page (deep links and notifications)', async () => {
    const token = await tokenOf(admin);
    const feed = (await (await fetch(`${ruche.url}/api/v1/feeds/home?limit=1`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { id: string }[] };
    await open(`/posts/${feed.items[0]!.id}`);
    await page.getByRole('heading', { level: 1, name: 'Post' }).waitFor();
    await page.locator('[data-post-card]').first().waitFor();
    await expectAccessible('post');
    await open('/posts/00000000-0000-4000-8000-000000000000');
    await page.getByText('This post does not exist, was removed, or you may not read it.').waitFor();
  });

  test('insights: a tenant admin reads a community\'s health, reach and activity charts, and the organisation\'s connectors and meetups', async () => {
    await open('/insights');
    await page.getByRole('heading', { level: 1, name: 'Insights' }).waitFor();
    await page.getByRole('heading', { name: 'Community insights' }).waitFor();
    await page.getByText('Suggested action').waitFor();
    await page.getByText('Members', { exact: true }).waitFor();
    // The chart library is loaded on demand and draws SVG.
    await page.locator('figure[aria-labelledby="activity-chart-title"] svg').first().waitFor();
    await page.getByRole('heading', { name: 'Across the organisation' }).waitFor();
    await page.getByRole('heading', { name: 'Meetups' }).waitFor();
    await expectAccessible('insights');
    // Another community of the list.
    const select = page.getByRole('combobox', { name: 'Community' });
    const second = await select.locator('option').nth(1).getAttribute('value');
    if (second) {
      await select.selectOption(second);
      await page.getByText('Suggested action').waitFor();
    }
  });

  test('insights: a person who runs no community and has no organisation role is told so', async () => {
    const plain = people.find((p) => p.id !== admin.id && p.id !== giver.id && p.id !== receiver.id && p.department)!;
    const token = await tokenOf(plain);
    const me = (await (await fetch(`${ruche.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { roles: string[] };
    const profile = (await (await fetch(`${ruche.url}/api/v1/people/${plain.id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { communities: { role: string }[] | null };
    const runs = (profile.communities ?? []).some((c) => c.role === 'owner' || c.role === 'moderator');
    await signInAs(plain);
    await open('/insights');
    await page.getByRole('heading', { level: 1, name: 'Insights' }).waitFor();
    if (!runs && me.roles.length === 0) await page.getByText('No insights for you').waitFor();
    else await page.getByRole('heading', { name: /Community insights|Across the organisation/ }).first().waitFor();
    await expectAccessible('insights-plain');
  });

  test('no script error happened in any page', () => {
    expect(errors).toEqual([]);
  });
});
