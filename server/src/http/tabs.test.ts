import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '@ruche/core';
import { testDatabases } from '@ruche/core/testing';
import { buildApp, type RucheApp } from '../app.js';
import { localConfig, silentLogger } from '../testing.js';

const indexHtml = '<!doctype html><html><head><script type="module" src="/tabs/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

describe.each(testDatabases())('the tabs served at /tabs/ on $name', ({ open }) => {
  let db: Db;
  let dir: string;
  let withTabs: RucheApp;
  let withoutTabs: RucheApp;

  beforeAll(async () => {
    db = await open();
    dir = await mkdtemp(path.join(tmpdir(), 'ruche-tabs-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), indexHtml);
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log("tabs");');
    const base = { config: localConfig(), db, logger: silentLogger, localTenantId: '00000000-0000-4000-8000-000000000000' };
    withTabs = await buildApp({ ...base, tabsDir: dir });
    withoutTabs = await buildApp({ ...base, tabsDir: path.join(dir, 'missing') });
  });
  afterAll(async () => {
    await withTabs.app.close();
    await withoutTabs.app.close();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('/ opens the tabs when they are built; /tabs goes to the home page', async () => {
    const root = await withTabs.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/tabs/home');
    const tabs = await withTabs.app.inject({ method: 'GET', url: '/tabs' });
    expect(tabs.headers.location).toBe('/tabs/home');
  });

  test('every page of the app (and a deep link) answers the index, never cached, under the CSP', async () => {
    for (const url of ['/tabs/home', '/tabs/communities', '/tabs/communities/data-science']) {
      const r = await withTabs.app.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body).toBe(indexHtml);
      expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    }
  });

  test('hashed assets are served with a long immutable cache', async () => {
    const r = await withTabs.app.inject({ method: 'GET', url: '/tabs/assets/index-abc123.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/javascript/);
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.body).toBe('console.log("tabs");');
  });

  test('a missing asset is a 404 problem, not the index', async () => {
    const r = await withTabs.app.inject({ method: 'GET', url: '/tabs/assets/index-old999.js' });
    expect(r.statusCode).toBe(404);
    expect(r.body).not.toBe(indexHtml);
  });

  test('the sign-in page and the API stay where they were', async () => {
    const signin = await withTabs.app.inject({ method: 'GET', url: '/signin' });
    expect(signin.statusCode).toBe(200);
    const me = await withTabs.app.inject({ method: 'GET', url: '/api/v1/me' });
    expect(me.statusCode).toBe(401);
    expect(me.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  test('without a build, / goes to the sign-in page and /tabs/ is not served', async () => {
    const root = await withoutTabs.app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/signin');
    const home = await withoutTabs.app.inject({ method: 'GET', url: '/tabs/home' });
    expect(home.statusCode).toBe(404);
  });
});
