import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { createLogger, loadConfig } from '@ruche/core';
import { startServer } from '@ruche/server';
import { benchRoot, round, type Benchmark } from '../benchmark.js';

const RUNS = 7;
const chromiumPath = process.env.RUCHE_CHROMIUM ?? '/usr/bin/chromium';
const repoRoot = path.resolve(benchRoot, '..');

/** Set in the page before any script: the time (ms since navigation start) the first post card of the feed is in the DOM. */
const firstItemProbe = `(() => {
  const seen = () => {
    if (window.__rucheFirstFeedItem === undefined && document.querySelector('[data-post-card]')) {
      window.__rucheFirstFeedItem = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { childList: true, subtree: true });
})()`;

/**
 * The tabs in headless Chromium against a local server on the embedded database (demo
 * organisation): gzipped JavaScript loaded before the first item of the home feed shows, and
 * the time from navigation to that item; each run in a fresh browser context (empty cache),
 * median of the runs.
 */
export const tabs: Benchmark = {
  name: 'tabs',
  description: 'home page of the tabs in headless Chromium: JavaScript before the first feed item, time to it',
  async run({ workDir, log }) {
    execFileSync(process.execPath, [path.join(repoRoot, 'tabs/scripts/build.mjs')], { cwd: repoRoot, stdio: 'pipe' });
    const dataDir = path.join(workDir, 'data');
    await mkdir(dataDir, { recursive: true });
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', RUCHE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const server = await startServer(config, { logger: createLogger({ level: 'silent' }) });
    const url = server.url.replace('localhost', '127.0.0.1');
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const people = (await (await fetch(`${url}/api/v1/dev/people`)).json()) as { items: { id: string; upn: string; displayName: string }[] };
      const person = people.items[Math.min(10, people.items.length - 1)]!;
      const tokenAnswer = await fetch(`${url}/api/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person: person.upn }) });
      const token = ((await tokenAnswer.json()) as { access_token: string }).access_token;
      const gzipped = new Map<string, number>();
      const gzipOf = async (scriptUrl: string) => {
        if (!gzipped.has(scriptUrl)) gzipped.set(scriptUrl, gzipSync(Buffer.from(await (await fetch(scriptUrl)).arrayBuffer())).length);
        return gzipped.get(scriptUrl)!;
      };

      const times: number[] = [];
      const sizes: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
        await context.addInitScript(
          ([t, p]) => {
            const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
            storage.setItem('ruche.token', t!);
            storage.setItem('ruche.person', p!);
          },
          [token, JSON.stringify({ id: person.id, displayName: person.displayName })],
        );
        await context.addInitScript(firstItemProbe);
        const page = await context.newPage();
        await page.goto(`${url}/tabs/home`);
        // A locator, not a string predicate: polling one evals it in the page, which the tabs' CSP forbids.
        await page.locator('[data-post-card]').first().waitFor({ state: 'attached', timeout: 30_000 });
        const { firstItem, scripts } = (await page.evaluate(`(() => {
          const firstItem = window.__rucheFirstFeedItem;
          const scripts = performance.getEntriesByType('resource')
            .filter((e) => /\\.m?js(\\?|$)/.test(new URL(e.name).pathname) && e.responseEnd <= firstItem)
            .map((e) => e.name);
          return { firstItem, scripts };
        })()`)) as { firstItem: number; scripts: string[] };
        let bytes = 0;
        for (const s of new Set(scripts)) bytes += await gzipOf(s);
        times.push(firstItem);
        sizes.push(bytes / 1024);
        log(`run ${run + 1}: first feed item at ${Math.round(firstItem)} ms, ${scripts.length} scripts, ${(bytes / 1024).toFixed(1)} KB gzipped`);
        await context.close();
      }
      const median = (values: number[]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return sorted[Math.floor(sorted.length / 2)]!;
      };
      return {
        database: await server.db.version(),
        metrics: { home_js_gzip_kb: round(median(sizes), 1), first_feed_item_ms: round(median(times), 0) },
      };
    } finally {
      await browser.close();
      await server.close();
    }
  },
};
