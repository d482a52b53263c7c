import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDb, loadConfig } from '@ruche/core';
import { round, type Benchmark } from '../benchmark.js';

const users = 100_000;
/** The benchmark's own database on the PostgreSQL server, made again before every run. */
const DATABASE = 'ruche_graph_bench';
/** 5% of Graph requests answered 429 with Retry-After: 1 (seconds). */
const faults = { throttleRate: 0.05, retryAfterSeconds: 1 };
/** The admin CLI, built by `npm run bench` (tsc -b bench builds the server it references). */
const rucheCli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../server/dist/cli/ruche.js');
/** The Entra tenant the simulated directory is read as (also the Ruche tenant the people go to). */
const TENANT = '5d1c2b7e-0a4f-4c39-9e1a-6b2f3c4d5e60';

function startSimulator(): Promise<{ child: ChildProcess; url: string }> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'graph-simulator-process.js');
  const child = fork(script, [JSON.stringify({ users, seed: 1, faults })], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Graph simulator exited with ${code}`)));
    child.once('message', (message: { url: string }) => resolve({ child, url: message.url }));
  });
}

interface CommandRun {
  wallMs: number;
  /** The kernel's high-water mark of the command's resident memory (VmHWM), in bytes. */
  peakRssBytes: number;
  stdout: string;
}

/** The resident high-water mark of a process (Linux), or undefined once it is gone. */
async function residentHighWaterMark(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return kb ? Number(kb[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `ruche <args>` (server/dist/cli/ruche.js, as an administrator does) with `env`, its
 * output passed on line by line; resolves with its wall time and the peak resident memory
 * the kernel recorded for it, read every 20 ms while it runs.
 */
function runRuche(args: string[], env: Record<string, string>, log: (message: string) => void): Promise<CommandRun> {
  const child = spawn(process.execPath, [rucheCli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = performance.now();
  let peak = 0;
  let reading = false;
  const sampler = setInterval(() => {
    if (reading || child.pid === undefined) return;
    reading = true;
    void residentHighWaterMark(child.pid).then((bytes) => {
      if (bytes !== undefined) peak = Math.max(peak, bytes);
      reading = false;
    });
  }, 20);
  let stdout = '';
  let stderr = '';
  const lines = (chunk: Buffer, keep: (text: string) => void) => {
    const text = chunk.toString('utf8');
    keep(text);
    for (const line of text.split('\n')) if (line.trim()) log(line.trim());
  };
  child.stdout.on('data', (chunk: Buffer) => lines(chunk, (t) => (stdout += t)));
  child.stderr.on('data', (chunk: Buffer) => lines(chunk, (t) => (stderr += t)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sampler);
      const wallMs = performance.now() - started;
      if (code !== 0) reject(new Error(`ruche ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      else if (peak === 0) reject(new Error('the peak resident memory of the command could not be read (/proc/<pid>/status: Linux only)'));
      else resolve({ wallMs, peakRssBytes: peak, stdout });
    });
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
 * A fresh, empty database of the benchmark's own on the PostgreSQL server
 * (RUCHE_BENCH_DATABASE_URL, default 127.0.0.1:5432), or undefined when no server answers.
 * Dropped and created again each run, so every run syncs into the same empty tables.
 */
async function freshPostgresDatabase(log: (message: string) => void): Promise<string | undefined> {
  const url = new URL(process.env.RUCHE_BENCH_DATABASE_URL ?? 'postgres://127.0.0.1:5432/postgres');
  if (!url.username) url.username = process.env.PGUSER ?? (await import('node:os')).userInfo().username;
  const given = process.env.RUCHE_BENCH_DATABASE_URL !== undefined;
  const admin = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    if (given) throw error;
    log(`no PostgreSQL server at ${url.host} (${(error as Error).message}): measuring on the embedded database (PGlite)`);
    return undefined;
  }
  try {
    await admin.query(`drop database if exists ${DATABASE} with (force)`);
    await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

/**
 * Directory sync of 100,000 users from the Graph simulator (in its own process, 5% of requests
 * throttled with Retry-After: 1 s) by the command an administrator runs, `ruche sync`, with
 * its default settings: users delta pages of 999 with managers from $expand, profile skills
 * and photos (metadata, then the bytes of new ones) through $batch, photos into the files
 * store, org-unit communities at the end. `ruche migrate` runs first, apart. Wall time from
 * the command's start to its exit, and the peak resident memory the kernel recorded for it;
 * the time spent waiting on Retry-After (the command's own count) is reported apart.
 * Measured on PostgreSQL, as a company of that size runs Ruche, in the database
 * `ruche_graph_bench` (made empty for each run); on the embedded database (PGlite, inside
 * the command) only when no PostgreSQL server is reachable. The result names the database.
 */
export const graphSync: Benchmark = {
  name: 'graph-sync',
  description: 'directory sync of 100,000 users through the Graph simulator with 5% of requests throttled',
  async run({ workDir, log }) {
    const databaseUrl = await freshPostgresDatabase(log);
    const dataDir = databaseUrl ? undefined : await mkdtemp(path.join(workDir, 'data-'));
    const filesDir = await mkdtemp(path.join(workDir, 'files-'));
    const { child, url: graphUrl } = await startSimulator();
    try {
      const env: Record<string, string> = {
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { RUCHE_DATA_DIR: dataDir! }),
        RUCHE_FILES_DIR: filesDir,
        GRAPH_TENANT_ID: TENANT,
        GRAPH_BASE_URL: graphUrl,
        GRAPH_ACCESS_TOKEN: 'graph-sync-benchmark',
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
      };
      await runRuche(['migrate'], env, log);
      const run = await runRuche(['sync'], env, log);
      const waited = /waited ([\d.]+) s on Graph's Retry-After/.exec(run.stdout);
      if (!waited) throw new Error('ruche sync did not report its Retry-After waits');
      const stats = await ask<{ requests: number; injected: number }>(child, 'stats', 'stats');
      const counted = await countSynced({ ...process.env, ...env });
      if (counted.people !== users) throw new Error(`expected ${users} people, found ${counted.people}`);
      log(
        `${counted.people} people, ${counted.skills} skills, ${counted.photos} photos, ${stats.requests} HTTP requests ` +
          `(${stats.injected} throttled)`,
      );
      return {
        database: databaseUrl ? `${counted.database} (${DATABASE})` : counted.database,
        metrics: {
          sync_100k_wall_s: round(run.wallMs / 1000),
          sync_100k_peak_rss_mb: round(run.peakRssBytes / 1024 / 1024, 1),
          sync_retry_after_wait_s: round(Number(waited[1])),
        },
      };
    } finally {
      child.send({ type: 'close' });
      await rm(filesDir, { recursive: true, force: true });
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  },
};

/** What the command left in the database (read after it exited). */
async function countSynced(env: NodeJS.ProcessEnv): Promise<{ database: string; people: number; skills: number; photos: number }> {
  const db = await openDb(loadConfig(env).database);
  try {
    const r = await db.query<{ people: number; skills: number; photos: number }>(
      `select (select count(*)::int from people where tenant_id = $1) as people,
              (select count(*)::int from person_skills where tenant_id = $1 and source = 'directory') as skills,
              (select count(*)::int from person_photos where tenant_id = $1) as photos`,
      [TENANT],
    );
    return { database: await db.version(), ...r.rows[0]! };
  } finally {
    await db.close();
  }
}
