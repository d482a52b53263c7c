import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { DEMO_TENANT_ID, RucheError, generateDemo, isDemoLoaded, migrate, openPostgres, resetDemo, type Db } from '@ruche/core';

/** The scale the issue asks for on PostgreSQL. */
export const POSTGRES_SCALE = { people: 50_000, communities: 2_000, posts: 1_000_000, reactions: 3_000_000 };
/** The scale on the embedded database. */
export const PGLITE_SCALE = { people: 5_000, communities: 200, posts: 100_000, reactions: 300_000 };

export type Scale = typeof POSTGRES_SCALE;

/** The server URL of RUCHE_BENCH_DATABASE_URL, pointed at its own database `ruche_bench` (created when absent). */
export async function benchDatabaseUrl(options: { recreate?: boolean } = {}): Promise<string> {
  const base = process.env.RUCHE_BENCH_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
  const url = new URL(base);
  if (!url.username) url.username = process.env.PGUSER ?? (await import('node:os')).userInfo().username;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    if (options.recreate) await admin.query('drop database if exists ruche_bench with (force)');
    const r = await admin.query('select 1 from pg_database where datname = $1', ['ruche_bench']);
    if (r.rowCount === 0) await admin.query('create database ruche_bench');
  } finally {
    await admin.end();
  }
  url.pathname = '/ruche_bench';
  return url.toString();
}

/** True when the demo tenant holds exactly this scale, completely generated. */
export async function hasScale(db: Db, scale: Scale): Promise<boolean> {
  if (!(await isDemoLoaded(db, DEMO_TENANT_ID))) return false;
  const r = await db.query<{ people: number; communities: number; posts: number; reactions: number }>(
    `select (settings #>> '{demo,summary,counts,people}')::int as people,
            (settings #>> '{demo,summary,counts,communities}')::int as communities,
            (settings #>> '{demo,summary,counts,posts}')::int as posts,
            (settings #>> '{demo,summary,counts,reactions}')::int as reactions
       from tenants where id = $1`,
    [DEMO_TENANT_ID],
  );
  const c = r.rows[0];
  // The generator writes about as many reactions as asked (duplicates of one person on one item are dropped).
  return !!c && c.people === scale.people && c.communities === scale.communities && c.posts >= scale.posts && c.reactions >= 0.98 * scale.reactions;
}

/**
 * Prepares the demo organisation at `scale` in `db` once: a later run finds it and reuses it.
 * Returns the time spent generating (0 when reused), with the time of each step.
 */
export async function prepareDemo(db: Db, scale: Scale, log: (m: string) => void): Promise<{ ms: number; steps: Record<string, number> }> {
  await migrate(db);
  if (await hasScale(db, scale)) {
    log(`reusing the prepared demo (${scale.people} people, ${scale.posts} posts)`);
    return { ms: 0, steps: {} };
  }
  return generate(db, scale, log);
}

async function generate(db: Db, scale: Scale, log: (m: string) => void): Promise<{ ms: number; steps: Record<string, number> }> {
  log(`generating the demo: ${JSON.stringify(scale)}`);
  await resetDemo(db, DEMO_TENANT_ID);
  const t0 = performance.now();
  const steps: Record<string, number> = {};
  let current = '';
  let stepStart = t0;
  let lastLog = 0;
  const summary = await generateDemo(db, {
    tenantId: DEMO_TENANT_ID,
    ...scale,
    onProgress(step, done, total) {
      const now = performance.now();
      if (step !== current) {
        if (current) steps[current] = (steps[current] ?? 0) + (now - stepStart);
        current = step;
        stepStart = now;
      }
      if (now - lastLog > 10_000) {
        lastLog = now;
        log(`  ${step} ${done}/${total} (${Math.round((now - t0) / 1000)} s)`);
      }
    },
  });
  const end = performance.now();
  if (current) steps[current] = (steps[current] ?? 0) + (end - stepStart);
  log(`generated in ${Math.round((end - t0) / 1000)} s: ${JSON.stringify(summary.counts)}`);
  log(`time per step (s): ${JSON.stringify(Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, Math.round(v / 100) / 10])))}`);
  // The state autovacuum keeps a live database in (the embedded one has none): statistics
  // fresh and the visibility map set, without which index-only scans read the table too (the
  // expert search measured 56/127 ms p50/p95 right after generating, 33/47 ms once vacuumed).
  await db.exec('vacuum (analyze)');
  return { ms: end - t0, steps };
}

export async function openBenchPostgres(max = 16): Promise<Db> {
  return openPostgres({ connectionString: await benchDatabaseUrl(), max });
}

/** True when the error says a migration already applied to the prepared data has changed since. */
export function isStaleSchema(err: unknown): boolean {
  return err instanceof RucheError && err.code === 'MIGRATION_FAILED' && /changed after it was applied/.test(err.message);
}

/**
 * Opens the benchmark database, migrated. Data prepared under migrations that have changed
 * since is stale: the database is dropped and created again (the demo is then regenerated).
 */
export async function openPreparedPostgres(max: number, log: (m: string) => void): Promise<Db> {
  const db = await openBenchPostgres(max);
  try {
    await migrate(db);
    return db;
  } catch (err) {
    await db.close();
    if (!isStaleSchema(err)) throw err;
    log(`the prepared database is stale (${(err as Error).message}): creating it again`);
    await benchDatabaseUrl({ recreate: true });
    const fresh = await openBenchPostgres(max);
    await migrate(fresh);
    return fresh;
  }
}
