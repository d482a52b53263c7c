import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createLogger, loadConfig } from '@ruche/core';
import { startServer, type RunningServer } from '@ruche/server';

/** Helpers of the browser suites: Debian's Chromium, a fresh local server, axe-core. */

export const chromiumPath = process.env.RUCHE_CHROMIUM ?? '/usr/bin/chromium';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Browser suites run when Chromium is installed. Without it they skip with a message on a
 * developer's machine, and fail in CI (where .ci/run installs it).
 */
export function browserAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI) throw new Error(`Chromium is required in CI and missing at ${chromiumPath} (apt-get install -y chromium)`);
  console.warn(`Browser tests skipped: no Chromium at ${chromiumPath}. Install it with: apt-get install -y chromium`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A link of the shell's main navigation (English or French), by its exact name. */
export function navLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: /^(Main navigation|Navigation principale)$/ }).getByRole('link', { name, exact: true });
}

export interface LocalRuche {
  server: RunningServer;
  url: string;
  close(): Promise<void>;
}

/** Builds the tabs if they are stale, and starts a local server on a fresh PGlite folder with a small demo organisation. */
export async function startLocalRuche(people = 60): Promise<LocalRuche> {
  execFileSync(process.execPath, [path.join(root, 'tabs/scripts/build.mjs')], { cwd: root, stdio: 'pipe' });
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ruche-e2e-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    RUCHE_DATA_DIR: dataDir,
    RUCHE_DEMO: 'auto',
    RUCHE_DEMO_PEOPLE: String(people),
    LOG_LEVEL: 'silent',
  });
  const server = await startServer(config, { logger: createLogger({ level: 'silent' }) });
  const url = server.url.replace('localhost', '127.0.0.1');
  return {
    server,
    url,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (evaluated in the page, so the CSP stays as served) and returns serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe !== "undefined"');
  if (!loaded) await page.evaluate(await axeSource);
  const violations = (await page.evaluate(
    // Tabster's focus sentinels (<i data-tabster-dummy tabindex=0 aria-hidden>, how Fluent UI
    // keeps focus in its menus and groupers) are a documented false positive of aria-hidden-focus.
    `axe.run({ exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
       id: v.id, impact: v.impact, help: v.help,
       nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
     })))`,
  )) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
