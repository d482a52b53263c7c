import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { createLogger, loadConfig } from '@ruche/core';
import { startServer, type RunningServer } from '@ruche/server';
import { browserAvailable, launchChromium, seriousViolations } from './browser.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const suite = browserAvailable() ? describe : describe.skip;
const teamsAppId = '3f0c6a52-9d4e-4b7a-8c1e-2a5b6d7e8f90';

/** What the stand-in Teams host tells the tab: the legacy context shape teams-js turns into app.getContext(). */
interface HostContext {
  frameContext: 'content' | 'settings';
  locale: string;
  theme: string;
  entityId: string;
  subEntityId?: string;
  channelId?: string;
  channelName?: string;
  teamId?: string;
  teamName?: string;
  groupId?: string;
  tid: string;
  loginHint: string;
  userPrincipalName: string;
}

interface HostMessage {
  func: string;
  args: unknown[];
}

/**
 * A stand-in Teams host: a page on the server's origin that frames the tab and answers the
 * teams-js postMessage protocol for initialize (runtime with pages.config, no NAA channel),
 * getContext, authentication.getAuthToken (a development token from the local sign-in) and
 * settings.setSettings; every message the tab sends is recorded in window.hostMessages.
 */
function hostPage(tabPath: string, context: HostContext, token: string): string {
  const runtime = {
    apiVersion: 4,
    isNAAChannelRecommended: false,
    isLegacyTeams: false,
    hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
    supports: { appInstallDialog: {}, pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} }, teams: { fullTrust: {} } },
  };
  const script = `
    const context = ${JSON.stringify({ ...context, hostClientType: 'web', appSessionId: 'session-1' })};
    const runtime = ${JSON.stringify(JSON.stringify(runtime))};
    const token = ${JSON.stringify(token)};
    window.hostMessages = [];
    const frame = document.getElementById('tab');
    const answer = (request, args) => frame.contentWindow.postMessage({ id: request.id, uuidAsString: request.uuidAsString, args }, location.origin);
    window.addEventListener('message', (event) => {
      if (event.source !== frame.contentWindow || !event.data || typeof event.data.func !== 'string') return;
      const request = event.data;
      window.hostMessages.push({ func: request.func, args: request.args ?? [] });
      switch (request.func) {
        case 'initialize': return answer(request, [context.frameContext, 'web', runtime, '2.58.0']);
        case 'getContext': return answer(request, [context]);
        case 'authentication.getAuthToken': return answer(request, [true, token]);
        case 'settings.setSettings': return answer(request, [true]);
      }
    });
    window.hostSave = () => frame.contentWindow.postMessage({ func: 'settings.save', args: [{}] }, location.origin);
    frame.src = ${JSON.stringify(tabPath)};
  `;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Teams (stand-in)</title></head>
<body><iframe id="tab" title="Ruche" style="width:1200px;height:850px;border:0"></iframe><script>${script}</script></body></html>`;
}

suite('the tabs inside a Teams host', () => {
  let server: RunningServer;
  let dataDir: string;
  let url: string;
  let browser: Browser;
  let context: BrowserContext;
  let token: string;
  let upn: string;
  let colleague: { id: string; displayName: string };
  let postId: string;
  let community: { id: string; slug: string; name: string };
  const errors: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(root, 'tabs/scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
    dataDir = await mkdtemp(path.join(tmpdir(), 'ruche-teams-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      RUCHE_DATA_DIR: dataDir,
      RUCHE_DEMO: 'auto',
      RUCHE_DEMO_PEOPLE: '60',
      LOG_LEVEL: 'silent',
      TEAMS_APP_ID: teamsAppId,
    });
    server = await startServer(config, { logger: createLogger({ level: 'silent' }) });
    url = server.url.replace('localhost', '127.0.0.1');

    const people = (await (await fetch(`${url}/api/v1/dev/people`)).json()) as { items: { id: string; upn: string; displayName: string }[] };
    upn = people.items[0]!.upn;
    colleague = people.items[1]!;
    const issued = await fetch(`${url}/api/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: upn }) });
    token = ((await issued.json()) as { access_token: string }).access_token;
    const auth = { authorization: `Bearer ${token}` };
    const feed = (await (await fetch(`${url}/api/v1/feeds/home?limit=5`, { headers: auth })).json()) as { items: { id: string }[] };
    postId = feed.items[0]!.id;
    const directory = (await (await fetch(`${url}/api/v1/communities?kind=interest&limit=5`, { headers: auth })).json()) as {
      items: { id: string; slug: string; name: string; visibility: string }[];
    };
    community = directory.items.find((c) => c.visibility === 'public') ?? directory.items[0]!;

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Opens the stand-in host framing tabPath; returns the host page and the tab's frame once the tab has loaded. */
  async function openInTeams(tabPath: string, hostContext: Partial<HostContext>): Promise<{ page: Page; tab: Frame }> {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    const full: HostContext = { frameContext: 'content', locale: 'en-us', theme: 'default', entityId: 'home', tid: 'local', loginHint: upn, userPrincipalName: upn, ...hostContext };
    const hostUrl = `${url}/teams-host-stand-in`;
    await page.route(hostUrl, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: hostPage(tabPath, full, token) }));
    await page.goto(hostUrl);
    const handle = await page.waitForSelector('#tab');
    const tab = (await handle.contentFrame())!;
    await tab.waitForLoadState();
    return { page, tab };
  }

  // axe-core runs inside the tab's frame (seriousViolations only evaluates scripts in what it is given).
  async function messages(page: Page): Promise<HostMessage[]> {
    return (await page.evaluate('window.hostMessages')) as HostMessage[];
  }

  test('a deep link (subPageId post:<id>) opens the post in French and the dark theme, signed in through getAuthToken', async () => {
    const { page, tab } = await openInTeams('/tabs/home', { locale: 'fr-fr', theme: 'dark', subEntityId: `post:${postId}` });
    await tab.waitForURL(new RegExp(`/tabs/posts/${postId}$`));
    await tab.getByRole('heading', { level: 1, name: 'Publication' }).waitFor();
    await tab.waitForFunction(`document.querySelector('[data-theme="dark"]') !== null`);
    expect(await tab.evaluate('document.documentElement.lang')).toBe('fr');
    // The post itself loaded: the API accepted the token the host gave.
    await tab.locator(`[data-post-card="${postId}"]`).waitFor();
    const funcs = (await messages(page)).map((m) => m.func);
    expect(funcs).toEqual(expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken']));
    // Copy link gives the Teams deep link that opens the personal app at the post.
    const copy = tab.getByRole('button', { name: 'Copier le lien' });
    const link = await copy.getAttribute('data-share-link');
    expect(link).toBe(
      `https://teams.microsoft.com/l/entity/${teamsAppId}/home?context=${encodeURIComponent(JSON.stringify({ subEntityId: `post:${postId}` }))}`,
    );
    await page.close();
  });

  test('a profile deep link (subPageId person:<id>) opens the profile', async () => {
    const { page, tab } = await openInTeams('/tabs/home', { subEntityId: `person:${colleague.id}` });
    await tab.waitForURL(new RegExp(`/tabs/people/${colleague.id}$`));
    await tab.getByRole('heading', { level: 1, name: colleague.displayName }).first().waitFor();
    const link = await tab.getByRole('button', { name: 'Copy link' }).getAttribute('data-share-link');
    expect(link).toContain(encodeURIComponent(`"subEntityId":"person:${colleague.id}"`));
    await page.close();
  });

  test('a channel tab shows the community it was configured with', async () => {
    const { page, tab } = await openInTeams(`/tabs/channel?community=${community.slug}`, {
      entityId: `community:${community.slug}`,
      channelId: '19:general@thread.tacv2',
      channelName: 'General',
      teamName: 'Design',
    });
    await tab.getByRole('heading', { level: 1, name: community.name }).waitFor();
    expect(new URL(tab.url()).pathname).toBe('/tabs/channel');
    await page.close();
  });

  test('the configuration page picks a community and saves the tab settings', async () => {
    const { page, tab } = await openInTeams('/tabs/config', { frameContext: 'settings', entityId: '', channelId: '19:general@thread.tacv2', teamName: 'Design' });
    await tab.getByRole('heading', { level: 1, name: 'Show a community in this channel' }).waitFor();
    await tab.getByRole('searchbox', { name: 'Search communities' }).fill(community.name);
    const choice = tab.getByRole('radio', { name: new RegExp(`^${community.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ·`) });
    await choice.waitFor();
    // Keyboard: focus the choice and select it with Space.
    await choice.focus();
    await tab.page().keyboard.press('Space');
    await tab.getByRole('status').filter({ hasText: `${community.name} will be shown in this tab` }).waitFor();
    await page.waitForFunction(`window.hostMessages.some((m) => m.func === 'settings.setValidityState' && m.args[0] === true)`);
    expect(await seriousViolations(tab as unknown as Page)).toEqual([]);

    await page.evaluate('window.hostSave()');
    await page.waitForFunction(`window.hostMessages.some((m) => m.func === 'settings.save.success')`);
    const saved = (await messages(page)).find((m) => m.func === 'settings.setSettings')!;
    expect(saved.args[0]).toEqual({
      entityId: `community:${community.slug}`,
      contentUrl: `${url}/tabs/channel?community=${encodeURIComponent(community.slug)}`,
      websiteUrl: `${url}/tabs/communities/${encodeURIComponent(community.slug)}`,
      suggestedDisplayName: community.name,
    });
    await page.close();
  });

  test('the configuration page creates a community for the team and saves it, in French', async () => {
    const { page, tab } = await openInTeams('/tabs/config', {
      frameContext: 'settings',
      locale: 'fr-fr',
      entityId: '',
      channelId: '19:general@thread.tacv2',
      teamId: '19:atelier@thread.tacv2',
      teamName: 'Atelier vélo',
      groupId: '0b5c1d2e-3f40-4a5b-9c6d-7e8f90a1b2c3',
    });
    await tab.getByRole('heading', { level: 1, name: 'Afficher une communauté dans ce canal' }).waitFor();
    // Save stays disabled until a community is chosen.
    expect((await messages(page)).filter((m) => m.func === 'settings.setValidityState').map((m) => m.args[0])).not.toContain(true);
    const name = tab.getByRole('textbox', { name: 'Nom' });
    expect(await name.inputValue()).toBe('Atelier vélo');
    await name.fill('');
    await tab.getByRole('button', { name: 'Créer' }).click();
    await tab.getByText('Donnez un nom à la communauté.').waitFor();

    await name.fill('Atelier vélo du canal');
    await tab.getByRole('radiogroup', { name: 'Type' }).getByRole('radio', { name: 'Centre d’intérêt' }).check();
    await tab.getByRole('radiogroup', { name: 'Visibilité' }).getByRole('radio', { name: 'Publique' }).check();
    await tab.getByRole('button', { name: 'Créer' }).click();
    // Graph is not configured locally: the community is created, the team's members are not linked, and it says so.
    await tab.getByText(/Atelier vélo du canal a été créée\..*invitez-les depuis la communauté/).waitFor();
    await page.waitForFunction(`window.hostMessages.some((m) => m.func === 'settings.setValidityState' && m.args[0] === true)`);

    await page.evaluate('window.hostSave()');
    await page.waitForFunction(`window.hostMessages.some((m) => m.func === 'settings.save.success')`);
    const saved = (await messages(page)).find((m) => m.func === 'settings.setSettings')!.args[0] as { entityId: string; suggestedDisplayName: string };
    expect(saved.suggestedDisplayName).toBe('Atelier vélo du canal');
    const ref = saved.entityId.replace(/^community:/, '');
    const created = await fetch(`${url}/api/v1/communities/${encodeURIComponent(ref)}`, { headers: { authorization: `Bearer ${token}` } });
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ name: 'Atelier vélo du canal', kind: 'interest', visibility: 'public' });
    await page.close();
  });

  test('no page error was thrown', () => {
    expect(errors).toEqual([]);
  });
});
