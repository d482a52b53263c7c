import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createGraphClient, migrate, openPglite, openPostgres, staticTokenProvider, syncDirectory, type Db } from '@ruche/core';
import { round, type Benchmark } from '../benchmark.js';

const users = 100_000;
/** 5% of Graph requests answered 429 with Retry-After: 1 (seconds). */
const faults = { throttleRate: 0.05, retryAfterSeconds: 1 };

function startSimulator(): Promise<{ child: ChildProcess; url: string }> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'graph-simulator-process.js');
  const child = fork(script, [JSON.stringify({ users, seed: 1, faults })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Graph simulator exited with ${code}`)));
    child.once('message', (message: { url: string }) => resolve({ child, url: message.url }));
  });
}

function ask<T>(child: ChildProcess, type: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: Record<string, unknown>) => {
      if (key in message) {
        child.off('message', listener);
        resolve(message[key] as T);
      }
    };
    child.on('message', listener);
    child.send({ type });
  });
}

/**
 * Directory sync of 100,000 users from the Graph simulator (in its own process, 5% of requests
 * throttled with Retry-After: 1 s): users delta pages of 999, managers from $expand, profile
 * skills through $batch, org-unit communities at the end. Wall time and the peak resident
 * memory of this process (Ruche with its embedded database) while syncing; the time spent
 * waiting on Retry-After is reported apart.
 */
export const graphSync: Benchmark = {
  name: 'graph-sync',
  description: 'directory sync of 100,000 users through the Graph simulator with 5% of requests throttled',
  async run({ workDir, log }) {
    const url = process.env.RUCHE_BENCH_DATABASE_URL;
    const dataDir = url ? undefined : await mkdtemp(path.join(workDir, 'data-'));
    const db: Db = url ? await openPostgres({ connectionString: url, max: 8 }) : await openPglite(dataDir);
    const { child, url: graphUrl } = await startSimulator();
    try {
      await migrate(db);
      const tenantId = randomUUID();
      await db.query(`insert into tenants (id, name) values ($1, 'Graph sync benchmark')`, [tenantId]);
      const graph = createGraphClient({ tokenProvider: staticTokenProvider('bench'), baseUrl: graphUrl, tenantId, maxConcurrency: 16 });
      global.gc?.();
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 20);
      const t0 = performance.now();
      let finishingAt = 0;
      let lastLog = 0;
      const result = await syncDirectory(db, graph, tenantId, {
        pageSize: 999,
        onProgress: (p) => {
          peakRss = Math.max(peakRss, process.memoryUsage().rss);
          if (p.phase === 'finishing') finishingAt = performance.now();
          if (p.phase === 'people' && performance.now() - lastLog > 5000) {
            lastLog = performance.now();
            log(`${p.done} people, ${Math.round(p.perSecond)}/s, Retry-After waits ${(p.retryAfterWaitMs / 1000).toFixed(0)} s`);
          }
        },
      });
      const wallMs = performance.now() - t0;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const stats = await ask<{ requests: number; injected: number }>(child, 'stats', 'stats');
      const people = await db.query<{ n: number }>('select count(*)::int as n from people where tenant_id = $1', [tenantId]);
      const skills = await db.query<{ n: number }>("select count(*)::int as n from person_skills where tenant_id = $1 and source = 'directory'", [tenantId]);
      if (people.rows[0]!.n !== users) throw new Error(`expected ${users} people, found ${people.rows[0]!.n}`);
      log(
        `${people.rows[0]!.n} people, ${skills.rows[0]!.n} skills, ${result.pages} delta pages, ${stats.requests} HTTP requests ` +
          `(${stats.injected} throttled), finishing steps (managers, org units) ${Math.round(wallMs - (finishingAt - t0))} ms`,
      );
      return {
        database: await db.version(),
        metrics: {
          sync_100k_wall_s: round(wallMs / 1000),
          sync_100k_peak_rss_mb: round(peakRss / 1024 / 1024, 1),
          sync_retry_after_wait_s: round(result.graph.retryAfterWaitMs / 1000),
        },
      };
    } finally {
      child.send({ type: 'close' });
      await db.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  },
};
