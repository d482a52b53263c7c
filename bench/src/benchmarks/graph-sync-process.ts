/**
 * The Ruche side of the graph-sync benchmark, in a process of its own: it holds what
 * `ruche sync` holds (core, the database client or the embedded database) and nothing of the
 * benchmark runner, so its peak resident memory is the sync's. Options come as JSON in argv[2];
 * log lines and the result go back over IPC.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createGraphClient, migrate, openPglite, openPostgres, staticTokenProvider, syncDirectory, type Db } from '@ruche/core';

export interface GraphSyncProcessOptions {
  /** A PostgreSQL database, or else the data folder of an embedded one. */
  databaseUrl?: string;
  dataDir?: string;
  graphUrl: string;
}

export interface GraphSyncProcessResult {
  database: string;
  wallMs: number;
  finishingMs: number;
  peakRssBytes: number;
  retryAfterWaitMs: number;
  pages: number;
  people: number;
  skills: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as GraphSyncProcessOptions;
const log = (message: string) => process.send?.({ log: message });

async function main(): Promise<GraphSyncProcessResult> {
  const db: Db = options.databaseUrl ? await openPostgres({ connectionString: options.databaseUrl, max: 8 }) : await openPglite(options.dataDir);
  try {
    await migrate(db);
    const database = await db.version();
    log(`database: ${database}`);
    const tenantId = randomUUID();
    await db.query(`insert into tenants (id, name) values ($1, 'Graph sync benchmark')`, [tenantId]);
    const graph = createGraphClient({ tokenProvider: staticTokenProvider('bench'), baseUrl: options.graphUrl, tenantId, maxConcurrency: 16 });
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 20);
    const t0 = performance.now();
    let finishingAt = 0;
    let lastLog = 0;
    const result = await syncDirectory(db, graph, tenantId, {
      pageSize: 999,
      onProgress: (p) => {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        if (p.phase === 'finishing') finishingAt = performance.now();
        if (p.phase === 'people' && performance.now() - lastLog > 5000) {
          lastLog = performance.now();
          const rss = Math.round(process.memoryUsage.rss() / 1024 / 1024);
          log(`${p.done} people, ${Math.round(p.perSecond)}/s, Retry-After waits ${(p.retryAfterWaitMs / 1000).toFixed(0)} s, ${rss} MB resident`);
        }
      },
    });
    const wallMs = performance.now() - t0;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const people = await db.query<{ n: number }>('select count(*)::int as n from people where tenant_id = $1', [tenantId]);
    const skills = await db.query<{ n: number }>("select count(*)::int as n from person_skills where tenant_id = $1 and source = 'directory'", [tenantId]);
    return {
      database,
      wallMs,
      finishingMs: wallMs - (finishingAt - t0),
      peakRssBytes: peakRss,
      retryAfterWaitMs: result.graph.retryAfterWaitMs,
      pages: result.pages,
      people: people.rows[0]!.n,
      skills: skills.rows[0]!.n,
    };
  } finally {
    await db.close();
  }
}

main().then(
  (result) => process.send?.({ result }, () => process.exit(0)),
  (error: unknown) => {
    process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
  },
);
