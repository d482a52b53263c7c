import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { round, type Benchmark } from '../benchmark.js';
import type { GraphSyncProcessOptions, GraphSyncProcessResult } from './graph-sync-process.js';

const users = 100_000;
/** The benchmark's own database on the PostgreSQL server, made again before every run. */
const DATABASE = 'ruche_graph_bench';
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

/** Runs the sync in its own process (graph-sync-process.ts) and waits for its result. */
function runSync(options: GraphSyncProcessOptions, log: (message: string) => void): Promise<GraphSyncProcessResult> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'graph-sync-process.js');
  const child = fork(script, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (message: { log?: string; result?: GraphSyncProcessResult; error?: string }) => {
      if (message.log !== undefined) log(message.log);
      if (message.result) {
        settled = true;
        resolve(message.result);
      }
      if (message.error !== undefined) {
        settled = true;
        reject(new Error(`graph sync process failed: ${message.error}`));
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`graph sync process exited with ${code}`));
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
 * throttled with Retry-After: 1 s): users delta pages of 999, managers from $expand, profile
 * skills through $batch, org-unit communities at the end. Wall time and the peak resident
 * memory of the process that syncs (graph-sync-process.ts: Ruche alone, not the benchmark
 * runner) while syncing; the time spent waiting on Retry-After is reported apart. Measured on
 * PostgreSQL, as a company of that size runs Ruche, in the database `ruche_graph_bench` (made
 * empty for each run); on the embedded database (PGlite, inside the syncing process) only when
 * no PostgreSQL server is reachable. The result names the database.
 */
export const graphSync: Benchmark = {
  name: 'graph-sync',
  description: 'directory sync of 100,000 users through the Graph simulator with 5% of requests throttled',
  async run({ workDir, log }) {
    const databaseUrl = await freshPostgresDatabase(log);
    const dataDir = databaseUrl ? undefined : await mkdtemp(path.join(workDir, 'data-'));
    const { child, url: graphUrl } = await startSimulator();
    try {
      const options: GraphSyncProcessOptions = { databaseUrl, dataDir, graphUrl };
      const result = await runSync(options, log);
      const stats = await ask<{ requests: number; injected: number }>(child, 'stats', 'stats');
      if (result.people !== users) throw new Error(`expected ${users} people, found ${result.people}`);
      log(
        `${result.people} people, ${result.skills} skills, ${result.pages} delta pages, ${stats.requests} HTTP requests ` +
          `(${stats.injected} throttled), finishing steps (managers, org units) ${Math.round(result.finishingMs)} ms`,
      );
      return {
        database: databaseUrl ? `${result.database} (${DATABASE})` : result.database,
        metrics: {
          sync_100k_wall_s: round(result.wallMs / 1000),
          sync_100k_peak_rss_mb: round(result.peakRssBytes / 1024 / 1024, 1),
          sync_retry_after_wait_s: round(result.retryAfterWaitMs / 1000),
        },
      };
    } finally {
      child.send({ type: 'close' });
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  },
};
