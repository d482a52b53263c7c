import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserAvailable, launchChromium, navLink, seriousViolations, startLocalRuche, type LocalRuche } from './browser.js';
import { apiAs, signInAs, tokenFor, type DemoPerson } from './newcomer-helpers.js';

const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.ruche/screenshots');
const suite = browserAvailable() ? describe : describe.skip;

/**
 * A newcomer's path in two browser windows: they sign in, read the home feed, post with a
 * mention and a topic (chosen from the suggestions with the keyboard), a colleague signed in
 * elsewhere sees the post arrive live and answers, the newcomer reacts and comments,
 * acknowledges a must-read announcement, gives kudos and finds an expert for a subject with
 * the reasons why. axe-core checks each page reached.
 */
suite('a newcomer on the home page, with a colleague in a second window', () => {
  let ruche: LocalRuche;
  let browser: Browser;
  let newcomerContext: BrowserContext;
  let colleagueContext: BrowserContext;
  let page: Page;
  let colleaguePage: Page;
  let newcomer: DemoPerson;
  let colleague: DemoPerson;
  let community: { id: string; name: string };
  let topic: { name: string; slug: string };
  const announcementTitle = 'Safety week: the new badge rules';
  const postTitle = 'Hello from a newcomer';
  const errors: string[] = [];

  beforeAll(async () => {
    ruche = await startLocalRuche(60);
    const people = (await (await fetch(`${ruche.url}/api/v1/dev/people`)).json()) as { items: DemoPerson[] };
    // The first demo person is a communicator: they publish a must-read announcement to everyone.
    const publisher = apiAs(ruche.url, await tokenFor(ruche.url, people.items[0]!.upn));
    const published = await publisher('POST', '/api/v1/announcements', {
      title: announcementTitle,
      body: 'Please read the new rules before Monday.',
      mustRead: true,
      targets: [{ type: 'organisation' }],
    });
    expect(published.status).toBe(201);

    newcomer = people.items[5]!;
    colleague = people.items[6]!;
    const asNewcomer = apiAs(ruche.url, await tokenFor(ruche.url, newcomer.upn));
    const asColleague = apiAs(ruche.url, await tokenFor(ruche.url, colleague.upn));
    // A public community both belong to, so that the colleague's feed receives the newcomer's post live.
    const directory = (await (await asNewcomer('GET', '/api/v1/communities?limit=100&sort=name')).json()) as {
      items: { id: string; name: string; visibility: string; archived: boolean; restrictedPosting: boolean }[];
    };
    const open = directory.items.find((c) => c.visibility === 'public' && !c.archived && !c.restrictedPosting);
    expect(open).toBeDefined();
    community = { id: open!.id, name: open!.name };
    for (const join of [asNewcomer, asColleague]) {
      const r = await join('POST', `/api/v1/communities/${community.id}/join`);
      expect([200, 409]).toContain(r.status);
    }
    // A topic that already exists in the demo, to be picked from the suggestions.
    const topics = (await (await asNewcomer('GET', '/api/v1/search?type=topics&q=a&limit=20')).json()) as {
      topics: { items: { name: string; slug: string }[] };
    };
    const known = topics.topics.items.find((t) => /^[\p{L}\p{N}]{3,}$/u.test(t.name));
    expect(known).toBeDefined();
    topic = known!;

    browser = await launchChromium();
    newcomerContext = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-GB' });
    colleagueContext = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-GB' });
    page = await newcomerContext.newPage();
    colleaguePage = await colleagueContext.newPage();
    for (const p of [page, colleaguePage]) p.on('pageerror', (e) => errors.push(e.message));
    await mkdir(shots, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await ruche?.close();
  });

  async function expectAccessible(p: Page, name: string) {
    await p.screenshot({ path: path.join(shots, `newcomer-${name}.png`), fullPage: false });
    expect({ page: name, violations: await seriousViolations(p) }).toEqual({ page: name, violations: [] });
  }

  test('the newcomer signs in and reads the home feed, with the announcement to read on top', async () => {
    await signInAs(page, ruche.url, newcomer.displayName);
    await page.getByRole('heading', { level: 1, name: 'Home' }).waitFor();
    const toRead = page.getByRole('list', { name: 'To read' });
    await toRead.getByRole('heading', { name: announcementTitle }).waitFor();
    await toRead.getByText('Must read').first().waitFor();
    const feed = page.getByRole('list', { name: 'Feed' });
    await feed.getByRole('listitem').first().waitFor();
    await page.getByRole('heading', { level: 2, name: 'Start a post' }).waitFor();
    await expectAccessible(page, 'home');
    // The composer loads on request, so that the home feed shows with less code.
    await page.getByRole('button', { name: 'Write a post…' }).click();
    // Focus moves to its first field once the person's communities are known.
    await page.getByRole('combobox', { name: 'Community' }).and(page.locator(':focus')).waitFor();
  });

  test('a colleague opens their home page in a second window', async () => {
    await signInAs(colleaguePage, ruche.url, colleague.displayName);
    await colleaguePage.getByRole('list', { name: 'Feed' }).getByRole('listitem').first().waitFor();
  });

  test('the newcomer posts with a mention and a topic chosen from the suggestions, with the keyboard', async () => {
    await page.getByRole('combobox', { name: 'Community' }).selectOption(community.id);
    await page.getByRole('textbox', { name: 'Title' }).fill(postTitle);
    const body = page.getByRole('textbox', { name: 'Message' });
    await body.click();
    await body.pressSequentially('Glad to join! Thanks ');
    // @ and the start of the colleague's name: the people suggestions open.
    await body.pressSequentially(`@${colleague.displayName.split(' ')[0]!.slice(0, 4)}`);
    const suggestions = page.getByRole('listbox', { name: 'Suggestions' });
    await suggestions.getByRole('option', { name: new RegExp(colleague.displayName) }).first().waitFor();
    await expectAccessible(page, 'composer-suggestions');
    // Move with the arrows until the colleague is the active option, then Enter.
    for (let i = 0; i < 10; i++) {
      const active = await body.getAttribute('aria-activedescendant');
      const text = active ? await page.locator(`#${active}`).innerText() : '';
      if (text.includes(colleague.displayName)) break;
      await body.press('ArrowDown');
    }
    await body.press('Enter');
    await suggestions.waitFor({ state: 'detached' });
    expect(await body.inputValue()).toMatch(new RegExp(`@\\[${colleague.displayName}\\]\\(person:[0-9a-f-]{36}\\) $`));
    await body.pressSequentially(`for the welcome. #${topic.name.slice(0, 3)}`);
    await suggestions.getByRole('option', { name: new RegExp(`#${topic.name}`, 'i') }).first().waitFor();
    for (let i = 0; i < 10; i++) {
      const active = await body.getAttribute('aria-activedescendant');
      const text = active ? await page.locator(`#${active}`).innerText() : '';
      if (text.toLowerCase().startsWith(`#${topic.name.toLowerCase()}`)) break;
      await body.press('ArrowDown');
    }
    await body.press('Enter');
    expect(await body.inputValue()).toContain(`#${topic.name} `);
    // Escape closes the suggestions without choosing.
    await body.pressSequentially('@zz');
    await body.press('Escape');
    await body.press('Backspace');
    await body.press('Backspace');
    await body.press('Backspace');

    // The preview shows the mention as it will read.
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('region', { name: 'Preview' }).getByText(`@${colleague.displayName}`).waitFor();

    // Attachments go through the attachments API: a refused type says why; an accepted file is listed.
    const files = page.locator('input[type=file]');
    await files.setInputFiles({ name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ not really a program') });
    await page.getByRole('alert').filter({ hasText: 'tool.exe was not attached: Files of type application/x-msdownload are not accepted' }).waitFor();
    await files.setInputFiles({ name: 'welcome-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('What I learnt on my first day.') });
    await page.getByRole('list', { name: 'Attached files' }).getByText(/welcome-notes\.txt/).waitFor();

    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.getByText(`Posted in ${community.name}.`).waitFor();
    expect(await body.inputValue()).toBe('');
    const mine = page.getByRole('list', { name: 'Feed' }).getByRole('listitem').filter({ has: page.getByRole('heading', { name: postTitle }) });
    await mine.first().waitFor();
    await mine.first().locator('.mention', { hasText: `@${colleague.displayName}` }).waitFor();
    await mine.first().getByText(`#${topic.name}`, { exact: false }).first().waitFor();
    // The uploaded file is attached to the new post.
    const postId = await mine.first().locator('[data-post-card]').getAttribute('data-post-card');
    const asNewcomer = apiAs(ruche.url, await tokenFor(ruche.url, newcomer.upn));
    const attached = (await (await asNewcomer('GET', `/api/v1/posts/${postId}/attachments`)).json()) as { items: { name: string }[] };
    expect(attached.items.map((a) => a.name)).toEqual(['welcome-notes.txt']);
  });

  test('the colleague sees the post arrive live, behind a "new posts" button, and comments on it', async () => {
    const fresh = colleaguePage.getByRole('button', { name: /Show \d+ new posts?/ });
    await fresh.waitFor({ timeout: 15_000 });
    await fresh.click();
    const card = colleaguePage
      .getByRole('list', { name: 'Feed' })
      .getByRole('listitem')
      .filter({ has: colleaguePage.getByRole('heading', { name: postTitle }) })
      .first();
    await card.waitFor();
    await card.getByRole('button', { name: /Show comments/ }).click();
    await card.getByRole('textbox', { name: 'Your comment' }).fill('Welcome aboard!');
    await card.getByRole('button', { name: 'Send' }).click();
    await card.getByText('Welcome aboard!').waitFor();
    await expectAccessible(colleaguePage, 'colleague-live');

    // Coming back later: the post is new since the previous visit, and a divider marks where that visit ended.
    await colleaguePage.reload();
    const feed = colleaguePage.getByRole('list', { name: 'Feed' });
    const again = feed.getByRole('listitem').filter({ has: colleaguePage.getByRole('heading', { name: postTitle }) }).first();
    await again.getByText('New', { exact: true }).waitFor();
    await feed.getByRole('separator', { name: 'Before your last visit' }).waitFor();
  });

  test('the newcomer sees the comment count grow live, reacts and answers', async () => {
    const card = page
      .getByRole('list', { name: 'Feed' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: postTitle }) })
      .first();
    await card.getByRole('button', { name: 'Show comments (1)' }).waitFor({ timeout: 15_000 });
    await card.getByRole('button', { name: 'React with “Like”' }).click();
    await card.getByRole('button', { name: 'Remove your reaction “Like”' }).waitFor();
    await card.getByText('1 reaction').waitFor();
    await card.getByRole('button', { name: 'Show comments (1)' }).click();
    await card.getByText('Welcome aboard!').waitFor();
    await card.getByRole('button', { name: `Reply to ${colleague.displayName}` }).click();
    await card.getByRole('textbox', { name: 'Your reply' }).fill('Thank you!');
    await card.getByRole('button', { name: 'Send' }).first().click();
    // Once saved, the reply form closes (the reply may be heard live before the answer comes back).
    await card.getByRole('textbox', { name: 'Your reply' }).waitFor({ state: 'detached' });
    await card.getByText('Thank you!').waitFor();
    // A reaction the server refuses comes back, with a message (the post is gone).
    const asNewcomer = apiAs(ruche.url, await tokenFor(ruche.url, newcomer.upn));
    const postId = await card.locator('[data-post-card]').getAttribute('data-post-card');
    expect((await asNewcomer('DELETE', `/api/v1/posts/${postId}`)).status).toBe(204);
    await card.getByRole('button', { name: 'Remove your reaction “Like”' }).click();
    await card.getByText(/Your change was not saved/).waitFor();
    await card.getByRole('button', { name: 'Remove your reaction “Like”' }).waitFor();
    await card.getByText('1 reaction').waitFor();
  });

  test('a poll, an event and a question act from their cards', async () => {
    const feed = page.getByRole('list', { name: 'Feed' });
    const cardOf = (title: string) => feed.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) }).first();
    const asNewcomer = apiAs(ruche.url, await tokenFor(ruche.url, newcomer.upn));
    const asColleague = apiAs(ruche.url, await tokenFor(ruche.url, colleague.upn));

    // A poll from the composer: results stay hidden until the newcomer votes.
    await page.getByRole('combobox', { name: 'Community' }).selectOption(community.id);
    await page.getByRole('combobox', { name: 'Kind of post' }).selectOption('poll');
    await page.getByRole('textbox', { name: 'Title' }).fill('Where shall we have lunch?');
    await page.getByRole('textbox', { name: 'Option 1' }).fill('Canteen');
    await page.getByRole('textbox', { name: 'Option 2' }).fill('Food truck');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const poll = cardOf('Where shall we have lunch?');
    await poll.getByText('Results show once you have voted or when the poll closes.').waitFor();
    await poll.getByRole('radio', { name: 'Food truck' }).check();
    await poll.getByRole('button', { name: 'Vote' }).click();
    const results = poll.getByRole('list', { name: 'Results' });
    await results.getByText('Food truck (your choice)').waitFor();
    await results.getByText('1 vote, 100%').waitFor();

    // An event with one place: the newcomer takes it; the colleague joins the waiting list and
    // moves up when the newcomer changes to "maybe".
    await page.getByRole('combobox', { name: 'Kind of post' }).selectOption('event');
    await page.getByRole('textbox', { name: 'Title' }).fill('Welcome coffee');
    await page.getByRole('textbox', { name: 'Place' }).fill('Cafeteria, second floor');
    await page.getByRole('spinbutton', { name: /Places/ }).fill('1');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    const event = cardOf('Welcome coffee');
    await event.getByText('0 of 1 places taken').waitFor();
    await event.getByRole('button', { name: 'Yes' }).click();
    await event.getByText('You are going.').waitFor();
    await event.getByText('1 of 1 places taken').waitFor();
    const eventId = await event.locator('[data-post-card]').getAttribute('data-post-card');
    const waiting = (await (await asColleague('PUT', `/api/v1/posts/${eventId}/rsvp`, { response: 'yes' })).json()) as {
      event: { viewerRsvp: { status: string; waitingPosition: number } };
    };
    expect(waiting.event.viewerRsvp).toMatchObject({ status: 'waiting', waitingPosition: 1 });
    await event.getByRole('button', { name: 'Maybe' }).click();
    await event.getByText('You might come.').waitFor();
    await event.getByText('1 of 1 places taken').waitFor();
    const moved = (await (await asColleague('GET', `/api/v1/posts/${eventId}`)).json()) as { event: { viewerRsvp: { status: string } } };
    expect(moved.event.viewerRsvp.status).toBe('going');

    // A question posted elsewhere arrives live; the colleague's answer too; the asker accepts it.
    const asked = await asNewcomer('POST', '/api/v1/posts', {
      communityId: community.id,
      kind: 'question',
      title: 'Where is the badge office?',
      body: 'I need a badge for the new site.',
    });
    expect(asked.status).toBe(201);
    const questionId = ((await asked.json()) as { id: string }).id;
    await page.getByRole('button', { name: 'Show 1 new post' }).click();
    const question = cardOf('Where is the badge office?');
    await question.waitFor();
    expect((await asColleague('POST', `/api/v1/posts/${questionId}/comments`, { body: 'Building B, ground floor.' })).status).toBe(201);
    await question.getByRole('button', { name: 'Show comments (1)' }).click();
    await question.getByText('Building B, ground floor.').waitFor();
    await question.getByRole('button', { name: 'Accept as the answer' }).click();
    await question.getByText('Answered', { exact: true }).waitFor();
    await question.getByText('Accepted answer', { exact: true }).waitFor();
    const accepted = (await (await asNewcomer('GET', `/api/v1/posts/${questionId}`)).json()) as { question: { acceptedCommentId: string | null } };
    expect(accepted.question.acceptedCommentId).not.toBeNull();
    await expectAccessible(page, 'card-actions');
  });

  test('in a community they run, the newcomer votes for an idea and sets its status', async () => {
    const asNewcomer = apiAs(ruche.url, await tokenFor(ruche.url, newcomer.upn));
    const asColleague = apiAs(ruche.url, await tokenFor(ruche.url, colleague.upn));
    const created = await asNewcomer('POST', '/api/v1/communities', { name: 'Newcomers’ ideas', kind: 'interest', visibility: 'public' });
    expect(created.status).toBe(201);
    const club = (await created.json()) as { id: string };
    expect((await asColleague('POST', `/api/v1/communities/${club.id}/join`)).status).toBe(200);
    const idea = await asColleague('POST', '/api/v1/posts', {
      communityId: club.id,
      kind: 'idea',
      title: 'A buddy for every newcomer',
      body: 'Each newcomer gets a colleague to ask anything during the first month.',
    });
    expect(idea.status).toBe(201);
    const ideaId = ((await idea.json()) as { id: string }).id;
    await page.getByRole('button', { name: 'Show 1 new post' }).click();
    const card = page.getByRole('list', { name: 'Feed' }).getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'A buddy for every newcomer' }) }).first();
    await card.getByText('Status: New').waitFor();
    await card.getByRole('button', { name: 'Vote for this idea · 0 votes' }).click();
    await card.getByRole('button', { name: 'Vote for this idea · 1 vote', pressed: true }).waitFor();
    await card.getByRole('button', { name: 'Change the status' }).click();
    await card.getByRole('combobox', { name: 'Status' }).selectOption('under_review');
    await card.getByRole('textbox', { name: 'A word for the author and the voters' }).fill('We look at it with HR this month.');
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText('Status: Under review').waitFor();
    await card.getByText('We look at it with HR this month.').waitFor();
    await expectAccessible(page, 'idea-status');
    const stored = (await (await asColleague('GET', `/api/v1/posts/${ideaId}`)).json()) as { idea: { status: string; votes: number } };
    expect(stored.idea).toMatchObject({ status: 'under_review', votes: 1 });
  });

  test('a refused post keeps what was typed and shows the server’s reason', async () => {
    await page.getByRole('combobox', { name: 'Kind of post' }).selectOption('question');
    await page.getByRole('textbox', { name: 'Title' }).fill('');
    const body = page.getByRole('textbox', { name: 'Message' });
    await body.fill('A question without a title');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: /needs a title/ }).first().waitFor();
    expect(await body.inputValue()).toBe('A question without a title');
  });

  test('the newcomer acknowledges the must-read announcement', async () => {
    const toRead = page.getByRole('list', { name: 'To read' });
    await toRead.getByRole('button', { name: `I have read it: “${announcementTitle}”` }).click();
    await toRead.getByText(/^Read on /).waitFor();
    await expectAccessible(page, 'home-acknowledged');
    // Back on the home page later, nothing is left to acknowledge.
    await page.reload();
    await page.getByRole('list', { name: 'Feed' }).getByRole('listitem').first().waitFor();
    expect(await page.getByRole('list', { name: 'To read' }).count()).toBe(0);
  });

  test('the newcomer thanks the colleague with kudos', async () => {
    await navLink(page, 'Kudos').click();
    await page.getByRole('heading', { level: 1, name: 'Kudos' }).waitFor();
    const picker = page.getByRole('combobox', { name: 'To' });
    await picker.fill(colleague.displayName.split(' ')[0]!);
    await page.getByRole('listbox', { name: 'To' }).getByRole('option', { name: new RegExp(colleague.displayName) }).first().click();
    await page.getByRole('radio', { name: 'Teamwork' }).check();
    const thanks = 'Thank you for the warm welcome on my first day!';
    await page.getByRole('textbox', { name: 'Message' }).fill(thanks);
    await page.getByRole('button', { name: 'Send kudos' }).click();
    await page.getByText(`Kudos sent to ${colleague.displayName}.`).waitFor();
    await page.getByRole('list', { name: 'Kudos wall' }).getByText(thanks).waitFor();
    await expectAccessible(page, 'kudos');
  });

  test('the newcomer finds an expert for a subject and reads why', async () => {
    await navLink(page, 'Experts').click();
    await page.getByRole('heading', { level: 1, name: 'Experts' }).waitFor();
    await page.getByRole('searchbox', { name: 'Who knows about…' }).fill('communication');
    await page.getByRole('button', { name: 'Find experts' }).click();
    const first = page.getByRole('list', { name: 'Experts for "communication"' }).getByRole('listitem').first();
    await first.getByText('Why this person:').waitFor();
    const why = await first.locator('p').first().innerText();
    expect(why.replace('Why this person:', '').trim().length).toBeGreaterThan(5);
    await expectAccessible(page, 'experts');
  });

  test('no script error in either window along the way', () => {
    expect(errors).toEqual([]);
  });
});
