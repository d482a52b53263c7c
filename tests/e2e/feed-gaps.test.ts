import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchChromium, seriousViolations, startLocalRuche, type LocalRuche } from './browser.js';
import { apiAs, signInAs, tokenFor, type DemoPerson } from './newcomer-helpers.js';

const suite = browserAvailable() ? describe : describe.skip;

// A 1x1 transparent PNG.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const hostileName = '"><img src=x onerror=alert(1)>.txt';

/**
 * A community whose posting is restricted, in two windows: its owner has the composer on the
 * community page and posts from it, a member has none; files attached to a post show as a
 * thumbnail and a download link (a name made of markup stays text); a reaction given in one
 * window moves the count in the other, for the post and for a comment.
 */
suite('the community page: composer, attached files and live reaction counts', () => {
  let ruche: LocalRuche;
  let browser: Browser;
  let ownerContext: BrowserContext;
  let memberContext: BrowserContext;
  let ownerPage: Page;
  let memberPage: Page;
  let owner: DemoPerson;
  let member: DemoPerson;
  let communityId: string;
  let postId: string;
  const errors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    ruche = await startLocalRuche(40);
    const people = (await (await fetch(`${ruche.url}/api/v1/dev/people`)).json()) as { items: DemoPerson[] };
    owner = people.items[7]!;
    member = people.items[8]!;
    const asOwner = apiAs(ruche.url, await tokenFor(ruche.url, owner.upn));
    const asMember = apiAs(ruche.url, await tokenFor(ruche.url, member.upn));
    const created = await asOwner('POST', '/api/v1/communities', {
      name: 'Site plans review',
      description: 'Drawings of the new site, reviewed by the project team.',
      kind: 'project',
      visibility: 'public',
      restrictedPosting: true,
    });
    expect(created.status).toBe(201);
    communityId = ((await created.json()) as { id: string }).id;
    expect([200, 201]).toContain((await asMember('POST', `/api/v1/communities/${communityId}/join`)).status);

    const post = await asOwner('POST', '/api/v1/posts', { communityId, kind: 'discussion', title: 'Drawings for review', body: 'The plans are attached.' });
    expect(post.status).toBe(201);
    postId = ((await post.json()) as { id: string }).id;
    const ownerToken = await tokenFor(ruche.url, owner.upn);
    const ids: string[] = [];
    for (const [n, [name, type, bytes]] of [
      ['site plan.png', 'image/png', png],
      [hostileName, 'text/plain', Buffer.from('notes for the review\n')],
    ].entries() as IterableIterator<[number, readonly [string, string, Buffer]]>) {
      const up = await fetch(`${ruche.url}/api/v1/attachments?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ownerToken}`, 'content-type': type, 'idempotency-key': `feed-gaps-upload-${n}` },
        body: bytes,
      });
      expect(up.status).toBe(201);
      ids.push(((await up.json()) as { id: string }).id);
    }
    expect((await asOwner('PUT', `/api/v1/posts/${postId}/attachments`, { attachmentIds: ids })).status).toBe(200);

    browser = await launchChromium();
    ownerContext = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-GB', acceptDownloads: true });
    memberContext = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-GB', acceptDownloads: true });
    ownerPage = await ownerContext.newPage();
    memberPage = await memberContext.newPage();
    for (const p of [ownerPage, memberPage]) {
      p.on('pageerror', (e) => errors.push(e.message));
      p.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await ruche?.close();
  });

  const card = (p: Page) => p.locator(`[data-post-card="${postId}"]`);

  test('the owner has the composer on the community page; a member of a restricted community is told why not', async () => {
    await signInAs(ownerPage, ruche.url, owner.displayName);
    await ownerPage.goto(`${ruche.url}/tabs/communities/${communityId}`);
    await ownerPage.getByRole('heading', { level: 1, name: 'Site plans review' }).waitFor();
    await ownerPage.getByRole('heading', { level: 2, name: 'Start a post' }).waitFor();

    await signInAs(memberPage, ruche.url, member.displayName);
    await memberPage.goto(`${ruche.url}/tabs/communities/${communityId}`);
    await memberPage.getByRole('heading', { level: 1, name: 'Site plans review' }).waitFor();
    await card(memberPage).waitFor();
    await memberPage.getByText('only owners and moderators start posts').waitFor();
    expect(await memberPage.getByRole('button', { name: 'Write a post…' }).count()).toBe(0);
    expect(await seriousViolations(memberPage)).toEqual([]);
  });

  test('attached files: a thumbnail with its name as alt text, a download link with the size; a name made of markup stays text', async () => {
    const thumb = card(memberPage).getByRole('img', { name: 'site plan.png' });
    await thumb.waitFor();
    // The image was fetched with the reader's token and decoded (the 1x1 picture).
    await memberPage.waitForFunction(
      `(() => { const img = document.querySelector('[data-post-card="${postId}"] img[alt="site plan.png"]'); return !!img && img.complete && img.naturalWidth === 1; })()`,
    );
    const files = card(memberPage).getByRole('list', { name: 'Attached files' });
    const link = files.getByRole('button', { name: /^Download .*onerror=alert\(1\).*\(21 byte/ });
    await link.waitFor();
    // The markup in the name is shown as text: no element was made from it.
    expect(await card(memberPage).locator('img').count()).toBe(1);
    expect(await card(memberPage).locator('img[src="x"]').count()).toBe(0);
    const [download] = await Promise.all([memberPage.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toContain('onerror=alert(1)');
    const saved = await download.path();
    expect(await readFile(saved, 'utf8')).toBe('notes for the review\n');
    expect(dialogs).toEqual([]);
    expect(await seriousViolations(memberPage)).toEqual([]);
  });

  test('a reaction given in one window moves the count in the other, which keeps its own reaction', async () => {
    await card(ownerPage).getByText('0 reactions').waitFor();
    await card(memberPage).getByRole('button', { name: 'React with “Like”' }).click();
    await card(memberPage).getByText('1 reaction').waitFor();
    // Live, without reloading: the owner sees the member's reaction counted, and has none of their own.
    await card(ownerPage).getByText('1 reaction').waitFor();
    expect(await card(ownerPage).getByRole('button', { name: 'React with “Like”' }).getAttribute('aria-pressed')).toBe('false');
    // The owner reacts too: both windows count two; the member's own reaction stays pressed.
    await card(ownerPage).getByRole('button', { name: 'React with “Like”' }).click();
    await card(memberPage).getByText('2 reactions').waitFor();
    expect(await card(memberPage).getByRole('button', { name: 'Remove your reaction “Like”' }).getAttribute('aria-pressed')).toBe('true');
    // The member takes theirs back: the owner's window follows.
    await card(memberPage).getByRole('button', { name: 'Remove your reaction “Like”' }).click();
    await card(ownerPage).getByText('1 reaction').waitFor();
    expect(await card(ownerPage).getByRole('button', { name: 'Remove your reaction “Like”' }).getAttribute('aria-pressed')).toBe('true');
  });

  test('a like given to a comment in one window moves its count in the other, which keeps its own like', async () => {
    const asOwner = apiAs(ruche.url, await tokenFor(ruche.url, owner.upn));
    const created = await asOwner('POST', `/api/v1/posts/${postId}/comments`, { body: 'Page 3 shows the new loading bay.' });
    expect(created.status).toBe(201);
    const commentId = ((await created.json()) as { id: string }).id;
    const count = (p: Page) => p.locator(`[data-comment-reactions="${commentId}"]`);
    const like = (p: Page) => card(p).getByRole('button', { name: `Like the comment of ${owner.displayName}` });
    const unlike = (p: Page) => card(p).getByRole('button', { name: `Remove your like from the comment of ${owner.displayName}` });
    for (const p of [ownerPage, memberPage]) {
      await card(p).getByRole('button', { name: /^Show comments/ }).click();
      await count(p).getByText('0 reactions').waitFor();
    }
    await like(memberPage).click();
    await count(memberPage).getByText('1 reaction').waitFor();
    expect(await unlike(memberPage).getAttribute('aria-pressed')).toBe('true');
    // Live, without reloading: the owner sees the like counted and has not liked it.
    await count(ownerPage).getByText('1 reaction').waitFor();
    expect(await like(ownerPage).getAttribute('aria-pressed')).toBe('false');
    await like(ownerPage).click();
    await count(memberPage).getByText('2 reactions').waitFor();
    expect(await unlike(memberPage).getAttribute('aria-pressed')).toBe('true');
    await unlike(memberPage).click();
    await count(ownerPage).getByText('1 reaction').waitFor();
    expect(await unlike(ownerPage).getAttribute('aria-pressed')).toBe('true');
    // The post's own count did not move with the comment's.
    expect(await card(ownerPage).getByText('1 reaction', { exact: true }).count()).toBe(2);
    expect(await seriousViolations(memberPage)).toEqual([]);
  });

  test('the menu of other reactions, loaded on first use, works from the keyboard and gives the focus back', async () => {
    const more = card(memberPage).getByRole('button', { name: 'More reactions' });
    await more.focus();
    await memberPage.keyboard.press('Enter');
    await memberPage.getByRole('menu').waitFor();
    // The focus is on the first reaction; the next one is chosen with the arrow keys.
    await memberPage.locator('[role="menuitem"]:focus').waitFor();
    await memberPage.keyboard.press('ArrowDown');
    await memberPage.keyboard.press('Enter');
    await card(memberPage).getByRole('button', { name: 'Remove your reaction “Celebrate”' }).waitFor();
    await card(memberPage).locator('button[aria-label="More reactions"]:focus').waitFor();
    await card(ownerPage).getByText('2 reactions').waitFor();
    // Opened again: Escape closes it, the focus back on its button.
    await memberPage.keyboard.press('Enter');
    await memberPage.getByRole('menuitem', { name: 'Remove your reaction “Celebrate”' }).waitFor();
    await memberPage.locator('[role="menuitem"]:focus').waitFor();
    // Once the buttons' colour transitions are over, the open menu and the card pass axe.
    await memberPage.waitForTimeout(500);
    expect(await seriousViolations(memberPage)).toEqual([]);
    await memberPage.keyboard.press('Escape');
    await memberPage.getByRole('menu').waitFor({ state: 'detached' });
    await card(memberPage).locator('button[aria-label="More reactions"]:focus').waitFor();
  });

  test('the owner posts from the community page, without choosing the community; the post shows on top', async () => {
    await ownerPage.getByRole('button', { name: 'Write a post…' }).click();
    await ownerPage.getByRole('textbox', { name: 'Title' }).waitFor();
    expect(await ownerPage.getByRole('combobox', { name: 'Community' }).count()).toBe(0);
    await ownerPage.getByRole('textbox', { name: 'Title' }).fill('Review on Thursday');
    await ownerPage.getByRole('textbox', { name: 'Message' }).fill('We go through the drawings together.');
    await ownerPage.getByRole('button', { name: 'Post', exact: true }).click();
    const feed = ownerPage.getByRole('list', { name: 'Posts' });
    await feed.getByRole('heading', { name: 'Review on Thursday' }).waitFor();
    const first = feed.getByRole('listitem').first();
    await first.getByRole('heading', { name: 'Review on Thursday' }).waitFor();
    expect(errors).toEqual([]);
  });
});
