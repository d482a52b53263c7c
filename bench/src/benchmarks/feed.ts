import { fork, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEMO_TENANT_ID, migrate, openPglite, readFeed, type Queryable, type Viewer } from '@ruche/core';
import { percentile, round, type Benchmark } from '../benchmark.js';
import { PGLITE_SCALE, POSTGRES_SCALE, benchDatabaseUrl, isStaleSchema, openBenchPostgres, openPreparedPostgres, prepareDemo } from './feed-data.js';
import type { LoadReport, LoadRequest, LoadSpec } from './feed-load-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RATE = Number(process.env.FEED_BENCH_RATE ?? 300);
const SECONDS = Number(process.env.FEED_BENCH_SECONDS ?? 60);
const VIEWERS = Number(process.env.FEED_BENCH_VIEWERS ?? 2000);
const PAGE = 20;

function forkChild(script: string, args: string[]): ChildProcess {
  return fork(path.join(here, script), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

async function startServerProcess(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; version: string }> {
  const child = forkChild('feed-server-process.js', [JSON.stringify(env)]);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The server process exited with ${code}`)));
    child.once('message', (m: { url: string; version: string }) => resolve({ child, ...m }));
  });
}

async function stopServerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.removeAllListeners('exit');
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send({ type: 'stop' });
  });
}

function serverCpuMs(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const listener = (m: { cpuMs?: number }) => {
      if (typeof m.cpuMs === 'number') {
        child.off('message', listener);
        resolve(m.cpuMs);
      }
    };
    child.on('message', listener);
    child.send({ type: 'cpu' });
  });
}

async function runLoad(spec: LoadSpec): Promise<LoadReport> {
  const child = forkChild('feed-load-process.js', []);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`The load process exited with ${code}`)));
    child.once('message', (m: { report: LoadReport }) => resolve(m.report));
    child.send(spec);
  });
}

/** People who follow something (a community, person or topic), spread over the organisation. */
async function pickViewers(db: Queryable, count: number): Promise<string[]> {
  const r = await db.query<{ id: string }>(
    `select p.id from people p
     where p.tenant_id = $1 and not p.is_former_employee
       and exists (select 1 from memberships m where m.tenant_id = p.tenant_id and m.person_id = p.id and m.state = 'active')
     order by md5(p.id::text) limit $2`,
    [DEMO_TENANT_ID, count],
  );
  return r.rows.map((x) => x.id);
}

interface Page {
  personId: string;
  token: string;
  cursor: string | null;
}

/** Tokens from the development sign-in, and the cursor of each person's second page (read through the API). */
async function signInAndOpen(url: string, people: string[], log: (m: string) => void): Promise<Page[]> {
  const pages: Page[] = [];
  const t0 = performance.now();
  let index = 0;
  const worker = async () => {
    while (index < people.length) {
      const personId = people[index++]!;
      const t = await fetch(`${url}/api/v1/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ person: personId }),
      });
      if (t.status !== 200) throw new Error(`dev token for ${personId}: ${t.status} ${await t.text()}`);
      const token = ((await t.json()) as { access_token: string }).access_token;
      const f = await fetch(`${url}/api/v1/feeds/home?limit=${PAGE}`, { headers: { authorization: `Bearer ${token}` } });
      if (f.status !== 200) throw new Error(`home feed of ${personId}: ${f.status} ${await f.text()}`);
      const body = (await f.json()) as { nextCursor: string | null };
      pages.push({ personId, token, cursor: body.nextCursor });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  log(`${pages.length} people signed in, first pages read (warm-up) in ${Math.round(performance.now() - t0)} ms`);
  return pages;
}

/** First and next pages of every person, interleaved. */
function requestList(pages: Page[]): { path: string; token: string; personId: string; cursor: string | null }[] {
  const list: { path: string; token: string; personId: string; cursor: string | null }[] = [];
  for (const p of pages) {
    list.push({ path: `/api/v1/feeds/home?limit=${PAGE}`, token: p.token, personId: p.personId, cursor: null });
    if (p.cursor) {
      list.push({ path: `/api/v1/feeds/home?limit=${PAGE}&cursor=${encodeURIComponent(p.cursor)}`, token: p.token, personId: p.personId, cursor: p.cursor });
    }
  }
  // A fixed shuffle so that consecutive requests come from different people.
  let seed = 42;
  for (let i = list.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

async function loadPhase(server: ChildProcess, url: string, list: LoadRequest[], log: (m: string) => void): Promise<LoadReport & { cpuMsPerRequest: number }> {
  log(`load: ${RATE} requests/s for ${SECONDS} s over ${list.length} distinct pages (autocannon in its own process)`);
  const cpuBefore = await serverCpuMs(server);
  const report = await runLoad({ url, requests: list.map(({ path: p, token }) => ({ path: p, token })), rate: RATE, seconds: SECONDS, connections: 32 });
  await new Promise((r) => setTimeout(r, 2000));
  const cpuMsPerRequest = ((await serverCpuMs(server)) - cpuBefore) / Math.max(report.latencies.length, 1);
  const p50 = percentile(report.latencies, 50);
  const p99 = percentile(report.latencies, 99);
  log(
    `API: ${report.requests} requests, p50 ${round(p50)} ms, p99 ${round(p99)} ms, max ${round(report.latencies.at(-1) ?? NaN)} ms; ` +
      `non-2xx ${report.non2xx}, errors ${report.errors}, timeouts ${report.timeouts} (autocannon: p50 ${report.autocannon.p50}, p99 ${report.autocannon.p99}); ` +
      `server process CPU ${round(cpuMsPerRequest)} ms per request`,
  );
  return { ...report, cpuMsPerRequest };
}

/**
 * The bare SQL time of the same pages: readFeed, the function the API runs, called here with
 * every statement timed from send to result on one connection of its own (no HTTP, no pool
 * queue); a page's SQL time is the sum of its statements. Each distinct page of the load
 * (first and next pages of every person) is read once, in the order of the load.
 */
async function sqlPhase(list: { personId: string; cursor: string | null }[], log: (m: string) => void): Promise<{ times: number[]; statements: number }> {
  const db = await openBenchPostgres(1);
  const times: number[] = [];
  let statements = 0;
  try {
    for (const item of list) {
      let sql = 0;
      const timed: Queryable = {
        async query(text, params) {
          const t = performance.now();
          statements++;
          try {
            return await db.query(text, params);
          } finally {
            sql += performance.now() - t;
          }
        },
        exec: (text) => db.exec(text),
      };
      const viewer: Viewer = { tenantId: DEMO_TENANT_ID, personId: item.personId, roles: [] };
      await readFeed(timed, viewer, { kind: 'home' }, { limit: PAGE, ...(item.cursor ? { cursor: item.cursor } : {}) });
      times.push(sql);
    }
  } finally {
    await db.close();
  }
  times.sort((a, b) => a - b);
  const perPage = statements / Math.max(times.length, 1);
  log(
    `SQL: ${times.length} pages on one connection, p50 ${round(percentile(times, 50))} ms, p99 ${round(percentile(times, 99))} ms, ` +
      `${round(perPage)} statements per page`,
  );
  return { times, statements: perPage };
}

/**
 * The feed's tables as autovacuum leaves them in a running installation: freshly generated
 * data has no visibility map yet, so index-only scans would still visit the heap.
 */
async function vacuumOnce(db: Queryable, log: (m: string) => void): Promise<void> {
  const r = await db.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_user_tables where relname = 'posts' and last_vacuum is null and last_autovacuum is null",
  );
  if ((r.rows[0]?.n ?? 0) === 0) return;
  const t = performance.now();
  await db.exec('vacuum (analyze) posts, post_topics, memberships, follows, kudos, kudos_recipients, comments, reactions, people, communities');
  log(`vacuumed the generated tables in ${Math.round(performance.now() - t)} ms`);
}

async function postgresRun(log: (m: string) => void): Promise<{ metrics: Record<string, number>; version: string }> {
  const url = await benchDatabaseUrl();
  const db = await openPreparedPostgres(10, log);
  try {
    await prepareDemo(db, POSTGRES_SCALE, log);
    await vacuumOnce(db, log);
    const people = await pickViewers(db, VIEWERS);
    const server = await startServerProcess({ DATABASE_URL: url, DATABASE_POOL_MAX: '10', RUCHE_ROLE: 'api' });
    let report: LoadReport & { cpuMsPerRequest: number };
    let list: ReturnType<typeof requestList>;
    try {
      log(`server ${server.url} (${server.version}) in its own process`);
      list = requestList(await signInAndOpen(server.url, people, log));
      report = await loadPhase(server.child, server.url, list, log);
    } finally {
      await stopServerProcess(server.child);
    }
    const { times: sql, statements } = await sqlPhase(list, log);
    const apiP99 = percentile(report.latencies, 99);
    const sqlP99 = percentile(sql, 99);
    return {
      version: server.version,
      metrics: {
        home_feed_p50_ms: round(percentile(report.latencies, 50)),
        home_feed_p99_ms: round(apiP99),
        home_feed_sql_p50_ms: round(percentile(sql, 50)),
        home_feed_sql_p99_ms: round(sqlP99),
        home_feed_api_sql_ratio: round(apiP99 / sqlP99),
        home_feed_errors: report.non2xx + report.errors + report.timeouts,
        home_feed_requests: report.requests,
        home_feed_sql_statements_per_page: round(statements),
        home_feed_server_cpu_ms_per_request: round(report.cpuMsPerRequest),
      },
    };
  } finally {
    await db.close();
  }
}

async function pgliteRun(workDir: string, log: (m: string) => void): Promise<{ metrics: Record<string, number>; version: string }> {
  const dataDir = path.join(workDir, 'pglite-data');
  let db = await openPglite(dataDir);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    if (!isStaleSchema(err)) throw err;
    log(`the prepared embedded database is stale (${(err as Error).message}): creating it again`);
    await rm(dataDir, { recursive: true, force: true });
    db = await openPglite(dataDir);
  }
  let people: string[];
  try {
    await prepareDemo(db, PGLITE_SCALE, log);
    people = await pickViewers(db, VIEWERS);
  } finally {
    await db.close();
  }
  // The embedded database belongs to one process: the server's.
  const server = await startServerProcess({ RUCHE_DATA_DIR: dataDir });
  try {
    log(`server ${server.url} (${server.version}) in its own process`);
    const list = requestList(await signInAndOpen(server.url, people, log));
    const report = await loadPhase(server.child, server.url, list, log);
    return {
      version: server.version,
      metrics: {
        pglite_home_feed_p50_ms: round(percentile(report.latencies, 50)),
        pglite_home_feed_p99_ms: round(percentile(report.latencies, 99)),
        pglite_home_feed_errors: report.non2xx + report.errors + report.timeouts,
        pglite_home_feed_requests: report.requests,
        pglite_home_feed_server_cpu_ms_per_request: round(report.cpuMsPerRequest),
      },
    };
  } finally {
    await stopServerProcess(server.child);
  }
}

/**
 * Home feed, first and next pages of many people, at a fixed rate through the HTTP API:
 * PostgreSQL at 50,000 people / 1,000,000 posts / 3,000,000 reactions, then PGlite at 5,000
 * people / 100,000 posts. The demo organisation is generated once per database and reused.
 */
export const feed: Benchmark = {
  name: 'feed',
  description: `home feed pages at ${RATE} requests/s for ${SECONDS} s: PostgreSQL (1M posts) with the bare SQL time, then PGlite (100k posts)`,
  async run({ workDir, log }) {
    const only = process.env.FEED_BENCH_ONLY;
    const pg = only === 'pglite' ? undefined : await postgresRun(log);
    const lite = only === 'postgres' ? undefined : await pgliteRun(workDir, log);
    return {
      database: [pg ? pg.version : null, lite ? lite.version : null].filter(Boolean).join('; '),
      metrics: { ...(pg?.metrics ?? {}), ...(lite?.metrics ?? {}) },
    };
  },
};
