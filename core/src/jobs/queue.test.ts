import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import { openPostgres } from '../store/postgres.js';
import { migrate } from '../store/migrate.js';
import { createLogger } from '../log.js';
import { freshPostgresSchema, postgresTestUrl, testDatabases, createTestTenant } from '../testing/databases.js';
import { createJobQueue, type JobQueue, type JobQueueOptions } from './queue.js';
import type { JobCatalogue } from './catalogue.js';
import { IDEMPOTENCY_PURGE_CRON, registerRucheJobs } from './ruche-jobs.js';

const logger = createLogger({ level: 'silent' });

type TestJobs = Record<string, { n: number }>;

/** Polls `check` until it returns a value other than undefined/false, within a bound. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, boundMs = 30_000): Promise<T> {
  const until = Date.now() + boundMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

const createdQueues: string[] = [];
function queueName(label: string): string {
  const name = `test.${label}.${randomUUID().slice(0, 8)}`;
  createdQueues.push(name);
  return name;
}

describe.each(testDatabases())('job queue on $name', ({ name: dbName, open }) => {
  let db: Db;
  const started: JobQueue<TestJobs>[] = [];
  const url = dbName === 'postgres' ? postgresTestUrl() : undefined;

  /** A queue on the test database: through the Db on PGlite, through its own pool on PostgreSQL. */
  async function startQueue(queues: JobCatalogue<TestJobs>, extra: Partial<JobQueueOptions<TestJobs>> = {}) {
    const q = createJobQueue<TestJobs>({ db, ...(url ? { connectionString: url } : {}), logger, queues, ...extra });
    await q.start();
    started.push(q);
    return q;
  }

  async function jobRow(name: string, id: string) {
    const r = await db.query<{ state: string; retry_count: number; retry_backoff: boolean; output: { message?: string } | null }>(
      'select state::text as state, retry_count, retry_backoff, output from pgboss.job where name = $1 and id = $2',
      [name, id],
    );
    return r.rows[0];
  }

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    for (const q of started) await q.stop({ graceful: false });
    // The test server keeps pg-boss's schema between runs: drop this file's queues (and their partitions).
    await db.query('delete from pgboss.job where name = any($1)', [createdQueues]);
    for (const name of createdQueues) await db.query('select pgboss.delete_queue(name) from pgboss.queue where name = $1', [name]);
    await db.close();
  });

  test('an enqueued job runs its handler once, with its data, and is completed', async () => {
    const name = queueName('once');
    const q = await startQueue({ [name]: {} });
    const calls: { n: number; attempt: number }[] = [];
    await q.work(name, async (data, ctx) => {
      calls.push({ n: data.n, attempt: ctx.attempt });
    }, { pollingIntervalSeconds: 0.5 });
    const id = await q.enqueue(name, { n: 42 });
    expect(id).toEqual(expect.any(String));
    await waitFor('completion', async () => (await jobRow(name, id!))?.state === 'completed');
    expect(calls).toEqual([{ n: 42, attempt: 1 }]);
    expect(await q.queueDepth(name)).toBe(0);
  });

  test('a failing handler is retried with exponential backoff, then fails for good', async () => {
    const name = queueName('fails');
    const q = await startQueue({ [name]: { retryLimit: 5 } });
    const attempts: { attempt: number; at: number }[] = [];
    await q.work(name, async (_data, ctx) => {
      attempts.push({ attempt: ctx.attempt, at: Date.now() });
      throw new Error(`boom ${ctx.attempt}`);
    }, { pollingIntervalSeconds: 0.5 });
    const id = (await q.enqueue(name, { n: 1 }, { retryLimit: 2, retryDelay: 1, retryBackoff: true }))!;
    const row = await waitFor('final failure', async () => {
      const r = await jobRow(name, id);
      return r?.state === 'failed' ? r : undefined;
    });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(row.retry_count).toBe(2);
    expect(row.retry_backoff).toBe(true);
    expect(row.output?.message).toBe('boom 3');
    // Backoff: the n-th retry waits at least retryDelay x 2^(n-1) seconds.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000 - 20);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(2000 - 20);
    expect(await q.queueDepth(name)).toBe(0);
  });

  test('a singletonKey dedupes jobs waiting to run; other keys and later runs are accepted', async () => {
    const name = queueName('single');
    const q = await startQueue({ [name]: {} });
    const first = await q.enqueue(name, { n: 1 }, { singletonKey: 'tenant-a:community-1' });
    const again = await q.enqueue(name, { n: 2 }, { singletonKey: 'tenant-a:community-1' });
    const other = await q.enqueue(name, { n: 3 }, { singletonKey: 'tenant-a:community-2' });
    const plain1 = await q.enqueue(name, { n: 4 });
    const plain2 = await q.enqueue(name, { n: 5 });
    expect(first).toEqual(expect.any(String));
    expect(again).toBeNull();
    expect(other).toEqual(expect.any(String));
    expect(plain1).not.toBeNull();
    expect(plain2).not.toBeNull();
    expect(await q.queueDepth(name)).toBe(4);
    expect(await q.queueDepth()).toBe(4);

    const seen: number[] = [];
    await q.work(name, async (data) => {
      seen.push(data.n);
    }, { pollingIntervalSeconds: 0.5, batchSize: 10 });
    await waitFor('the four jobs', async () => seen.length === 4);
    expect(seen.sort()).toEqual([1, 3, 4, 5]);
    // Once the first has run, the key is free again.
    expect(await q.enqueue(name, { n: 6 }, { singletonKey: 'tenant-a:community-1' })).toEqual(expect.any(String));
    await waitFor('the job after the first ran', async () => seen.includes(6));
  });

  test('a job enqueued in a transaction exists only if the transaction commits', async () => {
    const name = queueName('tx');
    const q = await startQueue({ [name]: {} });
    const ran: number[] = [];
    await q.work(name, async (data) => {
      ran.push(data.n);
    }, { pollingIntervalSeconds: 0.5 });

    // Rolled back: neither the business row nor the job survives.
    let rolledBackId: string | null = null;
    let tenantId = randomUUID();
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into tenants (id, name) values ($1, $2)', [tenantId, 'Rolled back']);
        rolledBackId = await q.enqueue(name, { n: 1 }, { tx });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(rolledBackId).toEqual(expect.any(String));
    expect(await jobRow(name, rolledBackId!)).toBeUndefined();
    expect((await db.query('select 1 from tenants where id = $1', [tenantId])).rowCount).toBe(0);

    // Committed: both are there and the job runs.
    tenantId = randomUUID();
    const committedId = await db.transaction(async (tx) => {
      await tx.query('insert into tenants (id, name) values ($1, $2)', [tenantId, 'Committed']);
      return q.enqueue(name, { n: 2 }, { tx });
    });
    await waitFor('the committed job', async () => (await jobRow(name, committedId!))?.state === 'completed');
    expect(ran).toEqual([2]);
    expect((await db.query('select 1 from tenants where id = $1', [tenantId])).rowCount).toBe(1);
  });

  test('a graceful stop waits for running handlers; a hard stop hands their jobs back for a retry', async () => {
    const name = queueName('stop');
    const q = createJobQueue<TestJobs>({ db, ...(url ? { connectionString: url } : {}), logger, queues: { [name]: {} } });
    await q.start();
    const release = gate();
    let handlerStarted = false;
    let handlerFinished = false;
    await q.work(name, async () => {
      handlerStarted = true;
      await release.wait;
      handlerFinished = true;
    }, { pollingIntervalSeconds: 0.5 });
    const id = (await q.enqueue(name, { n: 1 }))!;
    await waitFor('the handler to start', async () => handlerStarted);

    let finishedWhenStopped: boolean | undefined;
    const stopping = q.stop({ graceful: true, timeoutMs: 30_000 }).then(() => {
      finishedWhenStopped = handlerFinished;
    });
    // Give a stop that does not wait every chance to return early, then let the handler end.
    await new Promise((r) => setTimeout(r, 1200));
    release.open();
    await stopping;
    expect(finishedWhenStopped).toBe(true);
    expect((await jobRow(name, id))?.state).toBe('completed');
    await expect(q.enqueue(name, { n: 2 })).rejects.toMatchObject({ code: 'JOBS_NOT_STARTED' });

    // Hard stop: the running job is failed at once and comes back as a retry.
    const hard = createJobQueue<TestJobs>({ db, ...(url ? { connectionString: url } : {}), logger, queues: { [name]: {} } });
    await hard.start();
    const never = gate();
    let hardStarted = false;
    await hard.work(name, async () => {
      hardStarted = true;
      await never.wait;
    }, { pollingIntervalSeconds: 0.5 });
    const hardId = (await hard.enqueue(name, { n: 3 }))!;
    await waitFor('the second handler to start', async () => hardStarted);
    await hard.stop({ graceful: false });
    expect((await jobRow(name, hardId))?.state).toBe('retry');
    never.open();
  });

  test('schedule: a cron schedule enqueues its job, once per tick', async () => {
    const name = queueName('cron');
    const q = await startQueue({ [name]: {} }, { cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 });
    const ran: number[] = [];
    await q.work(name, async (data) => {
      ran.push(data.n);
    }, { pollingIntervalSeconds: 0.5 });
    await q.schedule(name, '* * * * *', { n: 7 });
    try {
      await waitFor('the scheduled job', async () => ran.length > 0);
      expect(ran[0]).toBe(7);
    } finally {
      await q.unschedule(name);
    }
  });

  test('the hourly idempotency purge is scheduled and deletes only expired keys', async () => {
    const q = createJobQueue({ db, ...(url ? { connectionString: url } : {}), logger });
    await q.start();
    try {
      await registerRucheJobs(q, db);
      const schedule = await db.query<{ cron: string; data: { olderThanHours: number } }>(
        "select cron, data from pgboss.schedule where name = 'idempotency.purge'",
      );
      expect(schedule.rows).toEqual([{ cron: IDEMPOTENCY_PURGE_CRON, data: { olderThanHours: 24 } }]);

      const tenantId = await createTestTenant(db);
      const personId = randomUUID();
      await db.query(
        `insert into idempotency_keys (tenant_id, person_id, key, request_hash, created_at)
         values ($1, $2, 'old', 'h', now() - interval '25 hours'), ($1, $2, 'fresh', 'h', now() - interval '1 hour')`,
        [tenantId, personId],
      );
      const id = (await q.enqueue('idempotency.purge', { olderThanHours: 24 }))!;
      await waitFor('the purge', async () => {
        const r = await db.query<{ state: string }>("select state::text as state from pgboss.job where name = 'idempotency.purge' and id = $1", [id]);
        return r.rows[0]?.state === 'completed';
      });
      const left = await db.query<{ key: string }>('select key from idempotency_keys where tenant_id = $1 order by key', [tenantId]);
      expect(left.rows.map((r) => r.key)).toEqual(['fresh']);
    } finally {
      await q.stop();
    }
  });

  test('unknown job names are refused', async () => {
    const q = await startQueue({ [queueName('known')]: {} });
    await expect(q.enqueue('not.in.catalogue', { n: 1 })).rejects.toMatchObject({ code: 'JOBS_UNKNOWN_QUEUE' });
  });

  if (dbName === 'postgres') {
    test('two queue instances on one PostgreSQL run each job once', async () => {
      const name = queueName('two');
      const a = await startQueue({ [name]: {} });
      const b = await startQueue({ [name]: {} });
      const runs = new Map<number, string[]>();
      const handler = (who: string) => async (data: { n: number }) => {
        runs.set(data.n, [...(runs.get(data.n) ?? []), who]);
        await new Promise((r) => setTimeout(r, 5));
      };
      await a.work(name, handler('a'), { pollingIntervalSeconds: 0.5, concurrency: 2, batchSize: 3 });
      await b.work(name, handler('b'), { pollingIntervalSeconds: 0.5, concurrency: 2, batchSize: 3 });
      const total = 60;
      for (let n = 0; n < total; n++) await (n % 2 === 0 ? a : b).enqueue(name, { n });
      await waitFor('every job', async () => runs.size === total && (await a.queueDepth(name)) === 0);
      // Let any duplicate delivery show itself before counting.
      await waitFor('no active job left', async () => {
        const r = await db.query<{ n: number }>("select count(*)::int as n from pgboss.job where name = $1 and state <> 'completed'", [name]);
        return r.rows[0]!.n === 0;
      });
      expect([...runs.values()].every((who) => who.length === 1)).toBe(true);
      expect(runs.size).toBe(total);
    });
  }
});

describe('job queue start-up on an empty PostgreSQL schema', () => {
  test('two instances starting together create the queue schema once, then work', async () => {
    const fresh = await freshPostgresSchema();
    if (!fresh) return;
    const jobsSchema = `jobs_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const db = await openPostgres({ connectionString: fresh.url, max: 2 });
    const name = queueName('fresh');
    const queues = { [name]: {} } as JobCatalogue<TestJobs>;
    const a = createJobQueue<TestJobs>({ db, connectionString: fresh.url, logger, queues, schema: jobsSchema });
    const b = createJobQueue<TestJobs>({ db, connectionString: fresh.url, logger, queues, schema: jobsSchema });
    try {
      await migrate(db);
      await Promise.all([a.start(), b.start()]);
      const version = await db.query<{ version: number }>(`select version from ${jobsSchema}.version`);
      expect(version.rows).toHaveLength(1);
      const ran: number[] = [];
      await b.work(name, async (data) => {
        ran.push(data.n);
      }, { pollingIntervalSeconds: 0.5 });
      await a.enqueue(name, { n: 9 });
      await waitFor('the job', async () => ran.length === 1);
      expect(ran).toEqual([9]);
    } finally {
      await a.stop();
      await b.stop();
      await db.exec(`drop schema if exists ${jobsSchema} cascade`);
      await db.close();
      await fresh.drop();
    }
  });
});
