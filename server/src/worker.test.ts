import { randomUUID } from 'node:crypto';
import { type Db, loadConfig } from '@ruche/core';
import { createTestTenant, postgresTestUrl, testDatabases } from '@ruche/core/testing';
import { startServer } from './server.js';
import { startWorker } from './worker.js';
import { localConfig, silentLogger } from './testing.js';

async function waitFor(what: string, check: () => Promise<boolean>, boundMs = 30_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function jobState(db: Db, id: string): Promise<string | undefined> {
  const r = await db.query<{ state: string }>("select state::text as state from pgboss.job where name = 'idempotency.purge' and id = $1", [id]);
  return r.rows[0]?.state;
}

async function insertKeys(db: Db): Promise<string> {
  const tenantId = await createTestTenant(db);
  await db.query(
    `insert into idempotency_keys (tenant_id, person_id, key, request_hash, created_at)
     values ($1, $2, 'old', 'h', now() - interval '30 hours'), ($1, $2, 'fresh', 'h', now())`,
    [tenantId, randomUUID()],
  );
  return tenantId;
}

async function keysOf(db: Db, tenantId: string): Promise<string[]> {
  return (await db.query<{ key: string }>('select key from idempotency_keys where tenant_id = $1 order by key', [tenantId])).rows.map((r) => r.key);
}

describe('RUCHE_ROLE', () => {
  test('defaults to all; api and worker need DATABASE_URL', () => {
    expect(localConfig().role).toBe('all');
    expect(() => localConfig({ RUCHE_ROLE: 'worker' })).toThrow(/RUCHE_ROLE: worker needs DATABASE_URL/);
    expect(() => localConfig({ RUCHE_ROLE: 'api' })).toThrow(/RUCHE_ROLE: api needs DATABASE_URL/);
    expect(() => localConfig({ RUCHE_ROLE: 'both' })).toThrow(/RUCHE_ROLE/);
    expect(localConfig({ RUCHE_ROLE: 'api', DATABASE_URL: 'postgres://127.0.0.1/x' }).role).toBe('api');
  });
});

describe.each(testDatabases())('background jobs in the server and the worker on $name', ({ name: dbName, open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  test('a worker runs the idempotency purge, and its stop leaves the database open to its owner', async () => {
    const url = dbName === 'postgres' ? postgresTestUrl() : undefined;
    const config = url ? loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, RUCHE_ROLE: 'worker' }) : localConfig();
    const worker = await startWorker(config, { logger: silentLogger, db });
    try {
      const tenantId = await insertKeys(db);
      const id = (await worker.jobs.enqueue('idempotency.purge', { olderThanHours: 24 }))!;
      await waitFor('the purge', async () => (await jobState(db, id)) === 'completed');
      expect(await keysOf(db, tenantId)).toEqual(['fresh']);
    } finally {
      await worker.close();
    }
    expect(await db.ping()).toBe(true);
  });

  if (dbName === 'postgres') {
    test('role api enqueues but runs no job', async () => {
      const config = loadConfig({ NODE_ENV: 'test', PORT: '0', RUCHE_DEMO: 'off', DATABASE_URL: postgresTestUrl()!, RUCHE_ROLE: 'api' });
      // Its own Db: closing the server closes it.
      const own = await open();
      const server = await startServer(config, { logger: silentLogger, db: own });
      try {
        const id = await server.jobs.enqueue('idempotency.purge', { olderThanHours: 24 }, { startAfter: 3600 });
        expect(await jobState(db, id!)).toBe('created');
        await expect(server.jobs.work('idempotency.purge', async () => undefined)).rejects.toMatchObject({ code: 'JOBS_NOT_STARTED' });
        await db.query("delete from pgboss.job where name = 'idempotency.purge' and id = $1", [id]);
      } finally {
        await server.close();
      }
    });
  }

  test('role all: the server starts the queue after migrations, runs jobs, and drains them on close', async () => {
    const server = await startServer(localConfig(), { logger: silentLogger, db });
    const tenantId = await insertKeys(db);
    const id = (await server.jobs.enqueue('idempotency.purge', { olderThanHours: 24 }))!;
    await waitFor('the purge', async () => (await jobState(db, id)) === 'completed');
    expect(await keysOf(db, tenantId)).toEqual(['fresh']);
    const schedule = await db.query<{ cron: string }>("select cron from pgboss.schedule where name = 'idempotency.purge'");
    expect(schedule.rows).toHaveLength(1);
    expect(await server.jobs.queueDepth('idempotency.purge')).toBeGreaterThanOrEqual(0);
    await server.close();
    await expect(server.jobs.enqueue('idempotency.purge', { olderThanHours: 24 })).rejects.toMatchObject({ code: 'JOBS_NOT_STARTED' });
    // server.close() closed the shared Db: reopen for afterAll.
    db = await open();
  });
});
