import { randomUUID } from 'node:crypto';
import type PgBoss from 'pg-boss';
import type { Db, Queryable } from '../store/db.js';
import { withDefaultUser } from '../store/postgres.js';
import type { Logger } from '../log.js';
import { RucheError } from '../errors.js';
import { jobCatalogue, type JobCatalogue, type JobTypes, type QueueDefinition } from './catalogue.js';

/**
 * The jobs port: a PostgreSQL-backed queue (pg-boss 10) on the same database as the rest of
 * Ruche. On PostgreSQL it has its own small pool (the connection string); on PGlite it
 * runs through the Db itself (pg-boss's `db` option). Its tables live in their own schema
 * (`pgboss` by default), created and upgraded by the library at start: no migration of ours.
 */
export type JobData = object;

export interface JobContext {
  /** The job id (stable across retries). */
  id: string;
  name: string;
  /** 1 for the first run, 2 for the first retry... */
  attempt: number;
  logger: Logger;
}

/** Handlers must be idempotent: a job can run more than once. Throwing fails the attempt. */
export type JobHandler<D> = (data: D, context: JobContext) => Promise<void>;

export interface EnqueueOptions {
  /** While a job with this key waits to run, another enqueue with the same key is dropped (returns null). */
  singletonKey?: string;
  /** Not before this time, or this many seconds from now. */
  startAfter?: Date | number;
  /** Override the queue's retry settings for this job. */
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  /**
   * Enqueue inside the caller's transaction (the `tx` of Db.transaction): the job exists only
   * if that transaction commits. Required when enqueueing inside a transaction on PGlite,
   * whose one connection is held by the transaction.
   */
  tx?: Queryable;
}

export interface WorkOptions {
  /** Jobs fetched at a time by one poller (default 1); each runs its handler on its own. */
  batchSize?: number;
  /** Pollers for this queue in this process (default 1). */
  concurrency?: number;
  /** How often an idle poller looks for work (default 2 s, at least 0.5). */
  pollingIntervalSeconds?: number;
}

export interface StopOptions {
  /** Wait for running handlers (default true); otherwise their jobs are failed and retried later. */
  graceful?: boolean;
  /** How long a graceful stop waits before failing what still runs (default 30 s). */
  timeoutMs?: number;
}

export interface JobQueue<J extends { [K in keyof J]: JobData } = JobTypes> {
  start(): Promise<void>;
  stop(options?: StopOptions): Promise<void>;
  /** Returns the job id, or null when a job with the same singletonKey already waits. */
  enqueue<N extends keyof J & string>(name: N, data: J[N], options?: EnqueueOptions): Promise<string | null>;
  work<N extends keyof J & string>(name: N, handler: JobHandler<J[N]>, options?: WorkOptions): Promise<void>;
  /** Runs `name` with `data` on a cron schedule (UTC), once per tick across all instances. */
  schedule<N extends keyof J & string>(name: N, cron: string, data: J[N]): Promise<void>;
  unschedule<N extends keyof J & string>(name: N): Promise<void>;
  /** Jobs waiting to run (created or waiting for a retry), in one queue or all of ours. */
  queueDepth(name?: keyof J & string): Promise<number>;
}

export interface JobQueueOptions<J> {
  /**
   * Ruche's database. On PGlite the queue runs through it; on PostgreSQL it serialises queue
   * creation between instances, and `connectionString` gives pg-boss its own pool.
   */
  db: Db;
  /** PostgreSQL: pg-boss opens its own pool on this server (the DATABASE_URL). */
  connectionString?: string;
  logger: Logger;
  /** The queues this process may use; Ruche's catalogue by default. */
  queues?: JobCatalogue<J>;
  /** Where pg-boss keeps its tables (default `pgboss`). */
  schema?: string;
  /** False for an API-only process: it enqueues, but runs no maintenance and no cron. */
  processing?: boolean;
  /** Connections of pg-boss's own pool (default 4). */
  poolMax?: number;
  /** Test knobs: faster cron and maintenance. */
  cronMonitorIntervalSeconds?: number;
  cronWorkerIntervalSeconds?: number;
  maintenanceIntervalSeconds?: number;
}

const DEFAULTS: Required<Omit<QueueDefinition, 'policy'>> = {
  retryLimit: 2,
  retryDelay: 10,
  retryBackoff: true,
  expireInSeconds: 900,
};

/** Advisory lock key under which instances create the queues. */
const QUEUE_CREATION_LOCK = 727_465_010;

/** The smallest retry delay: a failed job never comes back in the same second. */
const MIN_RETRY_DELAY = 1;

/**
 * pg-boss talks to the database through `executeSql(text, values)`. This adapter sends it
 * to one of Ruche's Queryables. pg-boss also sends a few scripts of several statements
 * without parameters (schema creation, migrations, maintenance, each wrapped in
 * BEGIN ... COMMIT under an advisory lock); PGlite's `query` uses the extended protocol,
 * which refuses more than one statement, so those go through `exec` (the simple protocol).
 * If such a script fails halfway, its transaction is rolled back so that PGlite's single
 * connection is not left inside an aborted transaction.
 */
export function pgBossDb(q: Queryable): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      try {
        return await q.query(text, values ?? []);
      } catch (err) {
        if ((values?.length ?? 0) > 0 || !/multiple commands/.test((err as Error).message ?? '')) throw err;
        try {
          await q.exec(text);
        } catch (scriptErr) {
          await q.exec('rollback').catch(() => undefined);
          throw scriptErr;
        }
        return { rows: [], rowCount: 0 };
      }
    },
  };
}

function retryOptions(o: { retryLimit?: number; retryDelay?: number; retryBackoff?: boolean }) {
  return {
    ...(o.retryLimit !== undefined ? { retryLimit: o.retryLimit } : {}),
    ...(o.retryDelay !== undefined ? { retryDelay: Math.max(MIN_RETRY_DELAY, o.retryDelay) } : {}),
    ...(o.retryBackoff !== undefined ? { retryBackoff: o.retryBackoff } : {}),
  };
}

function errorOutput(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export function createJobQueue<J extends { [K in keyof J]: JobData } = JobTypes>(options: JobQueueOptions<J>): JobQueue<J> {
  const catalogue = (options.queues ?? jobCatalogue) as JobCatalogue<J>;
  const processing = options.processing ?? true;
  const logger = options.logger.child({ component: 'jobs' });
  /** pg-boss, loaded and made at start(): processes that never start the queue do without it. */
  let boss: PgBoss | undefined;
  async function makeBoss(): Promise<PgBoss> {
    const { default: PgBossClass } = await import('pg-boss');
    const made = new PgBossClass({
      ...(options.connectionString
        ? { connectionString: withDefaultUser(options.connectionString), max: options.poolMax ?? 4, application_name: 'ruche-jobs' }
        : { db: pgBossDb(options.db) }),
      schema: options.schema ?? 'pgboss',
      supervise: processing,
      schedule: processing,
      migrate: true,
      ...(options.cronMonitorIntervalSeconds ? { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds } : {}),
      ...(options.cronWorkerIntervalSeconds ? { cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds } : {}),
      ...(options.maintenanceIntervalSeconds ? { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds } : {}),
    });
    made.on('error', (err) => logger.error({ err }, 'job queue error'));
    return made;
  }

  let state: 'new' | 'started' | 'stopped' = 'new';
  /** Pollers per queue, to wake them when this process enqueues. */
  const workerIds = new Map<string, string[]>();

  function known(name: string): QueueDefinition {
    const def = (catalogue as Record<string, QueueDefinition | undefined>)[name];
    if (!def) throw new RucheError('JOBS_UNKNOWN_QUEUE', `No job named "${name}" in the catalogue`);
    return def;
  }

  function started(): PgBoss {
    if (state !== 'started' || !boss) throw new RucheError('JOBS_NOT_STARTED', 'The job queue is not started');
    return boss;
  }

  return {
    async start() {
      if (state === 'started') return;
      if (state === 'stopped') throw new RucheError('JOBS_NOT_STARTED', 'A stopped job queue cannot start again');
      const b = (boss ??= await makeBoss());
      await b.start();
      try {
        // Instances starting together on an empty database would deadlock creating the same
        // queue (each one creates a partition of pg-boss's job table): one at a time.
        await options.db.withLock(QUEUE_CREATION_LOCK, async () => {
          const existing = new Map((await b.getQueues()).map((q) => [q.name, q]));
          for (const [name, def] of Object.entries(catalogue) as [string, QueueDefinition][]) {
            const settings = {
              name,
              policy: def.policy ?? 'short',
              retryLimit: def.retryLimit ?? DEFAULTS.retryLimit,
              retryDelay: Math.max(MIN_RETRY_DELAY, def.retryDelay ?? DEFAULTS.retryDelay),
              retryBackoff: def.retryBackoff ?? DEFAULTS.retryBackoff,
              expireInSeconds: def.expireInSeconds ?? DEFAULTS.expireInSeconds,
            };
            const current = existing.get(name);
            if (!current) await b.createQueue(name, settings);
            else if (
              current.policy !== settings.policy ||
              current.retryLimit !== settings.retryLimit ||
              current.retryDelay !== settings.retryDelay ||
              current.retryBackoff !== settings.retryBackoff ||
              current.expireInSeconds !== settings.expireInSeconds
            ) {
              // The catalogue changed since the queue was created: new jobs follow it.
              await b.updateQueue(name, settings);
            }
          }
        });
      } catch (err) {
        await b.stop({ graceful: false, close: true }).catch(() => undefined);
        state = 'stopped';
        throw err;
      }
      state = 'started';
      logger.debug({ queues: Object.keys(catalogue).length, processing }, 'job queue started');
    },

    async stop(stopOptions = {}) {
      if (state !== 'started' || !boss) {
        state = 'stopped';
        return;
      }
      state = 'stopped';
      const graceful = stopOptions.graceful ?? true;
      await boss.stop({ graceful, wait: true, timeout: stopOptions.timeoutMs ?? 30_000, close: true });
      logger.debug({ graceful }, 'job queue stopped');
    },

    async enqueue(name, data, enqueueOptions = {}) {
      const boss = started();
      known(name);
      const { singletonKey, startAfter, tx } = enqueueOptions;
      const id = randomUUID();
      const sent = await boss.send(name, data, {
        id,
        // The queues use the `short` policy, which keys on singletonKey: a job without one
        // gets its own id as key, so that it never collides with another.
        singletonKey: singletonKey ?? id,
        ...(startAfter !== undefined ? { startAfter: startAfter instanceof Date ? startAfter : Math.max(0, Math.round(startAfter)) } : {}),
        ...retryOptions(enqueueOptions),
        ...(tx ? { db: pgBossDb(tx) } : {}),
      } as PgBoss.SendOptions);
      if (sent && !tx && startAfter === undefined) {
        for (const w of workerIds.get(name) ?? []) boss.notifyWorker(w);
      }
      return sent;
    },

    async work(name, handler, workOptions = {}) {
      const boss = started();
      known(name);
      if (!processing) throw new RucheError('JOBS_NOT_STARTED', 'This process does not run jobs (RUCHE_ROLE=api)');
      const concurrency = Math.max(1, workOptions.concurrency ?? 1);
      const opts = {
        batchSize: Math.max(1, workOptions.batchSize ?? 1),
        includeMetadata: true as const,
        ...(workOptions.pollingIntervalSeconds ? { pollingIntervalSeconds: workOptions.pollingIntervalSeconds } : {}),
      };
      // Runs each job of a batch on its own. Successes are completed here (awaited, so a
      // graceful stop returns after they are recorded); a failure is thrown so that pg-boss
      // fails exactly the jobs still active (the failed ones) and schedules their retry.
      const onBatch = async (jobs: PgBoss.JobWithMetadata<J[typeof name]>[]) => {
        const failures: { id: string; err: Error }[] = [];
        const done: string[] = [];
        for (const job of jobs) {
          const context: JobContext = {
            id: job.id,
            name,
            attempt: job.retryCount + 1,
            logger: logger.child({ job: name, jobId: job.id, attempt: job.retryCount + 1 }),
          };
          try {
            await handler(job.data, context);
            done.push(job.id);
          } catch (err) {
            const e = errorOutput(err);
            const final = job.retryCount >= job.retryLimit;
            context.logger[final ? 'error' : 'warn']({ err: e }, final ? 'job failed for good' : 'job failed; it will be retried');
            failures.push({ id: job.id, err: e });
          }
        }
        if (done.length > 0) await boss.complete(name, done);
        if (failures.length === 1) throw failures[0]!.err;
        if (failures.length > 1) throw new Error(failures.map((f) => `${f.id}: ${f.err.message}`).join('; '));
      };
      const ids: string[] = [];
      for (let i = 0; i < concurrency; i++) ids.push(await boss.work(name, opts, onBatch));
      workerIds.set(name, [...(workerIds.get(name) ?? []), ...ids]);
    },

    async schedule(name, cron, data) {
      const boss = started();
      known(name);
      await boss.schedule(name, cron, data, { tz: 'UTC' });
    },

    async unschedule(name) {
      const boss = started();
      known(name);
      await boss.unschedule(name);
    },

    async queueDepth(name) {
      const boss = started();
      if (name !== undefined) known(name);
      const names = name === undefined ? Object.keys(catalogue) : [name];
      let total = 0;
      for (const n of names) total += await boss.getQueueSize(n);
      return total;
    },
  };
}
