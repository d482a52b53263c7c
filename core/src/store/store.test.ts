import { randomUUID } from 'node:crypto';
import { migrate, readMigrations } from './migrate.js';
import { openPostgres } from './postgres.js';
import { testDatabases, freshPostgresSchema, createTestTenant } from '../testing/databases.js';
import type { Db } from './db.js';

describe.each(testDatabases())('store on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  test('migrations run twice change nothing', async () => {
    const before = await db.query<{ version: number; checksum: string }>(
      'select version, checksum from schema_migrations order by version',
    );
    const tablesBefore = await db.query<{ n: number }>(
      "select count(*)::int as n from information_schema.columns where table_schema = current_schema()",
    );
    const report = await migrate(db);
    expect(report.applied).toEqual([]);
    expect(report.alreadyApplied).toBe((await readMigrations()).length);
    const after = await db.query('select version, checksum from schema_migrations order by version');
    const tablesAfter = await db.query<{ n: number }>(
      "select count(*)::int as n from information_schema.columns where table_schema = current_schema()",
    );
    expect(after.rows).toEqual(before.rows);
    expect(tablesAfter.rows[0]!.n).toBe(tablesBefore.rows[0]!.n);
  });

  test('a changed migration is refused with a clear error', async () => {
    const migrations = await readMigrations();
    const tampered = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'x' } : m));
    await expect(migrate(db, tampered)).rejects.toThrow(/changed after it was applied/);
  });

  test('a transaction rolls back when its function throws and keeps what was saved', async () => {
    const tenant = await createTestTenant(db);
    await db.query("insert into people (tenant_id, upn, display_name) values ($1, 'a@x.test', 'A')", [tenant]);
    await expect(
      db.transaction(async (tx) => {
        await tx.query("insert into people (tenant_id, upn, display_name) values ($1, 'b@x.test', 'B')", [tenant]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const r = await db.query<{ upn: string }>('select upn from people where tenant_id = $1', [tenant]);
    expect(r.rows.map((x) => x.upn)).toEqual(['a@x.test']);
  });

  test('full-text search folds accents and case, for French and English', async () => {
    const tenant = await createTestTenant(db);
    const p = await db.query<{ id: string }>(
      "insert into people (tenant_id, upn, display_name) values ($1, 'h@x.test', 'Hélène Dupré') returning id",
      [tenant],
    );
    const author = p.rows[0]!.id;
    await db.query(
      "insert into posts (tenant_id, author_id, kind, title, body) values ($1, $2, 'discussion', 'Réunion d''équipe', 'Ordre du jour: sécurité')",
      [tenant, author],
    );
    const hit = await db.query(
      "select id from posts where tenant_id = $1 and search @@ plainto_tsquery('ruche', 'securite reunion')",
      [tenant],
    );
    expect(hit.rowCount).toBe(1);
    const byName = await db.query<{ display_name: string }>(
      "select display_name from people where tenant_id = $1 and ruche_fold(display_name) % ruche_fold('helene dupre')",
      [tenant],
    );
    expect(byName.rows[0]?.display_name).toBe('Hélène Dupré');
  });

  test('rows of one tenant are invisible to a query scoped by another', async () => {
    const a = await createTestTenant(db);
    const b = await createTestTenant(db);
    await db.query("insert into people (tenant_id, upn, display_name) values ($1, 'same@x.test', 'In A')", [a]);
    await db.query("insert into people (tenant_id, upn, display_name) values ($1, 'same@x.test', 'In B')", [b]);
    const r = await db.query<{ display_name: string }>(
      'select display_name from people where tenant_id = $1 and lower(upn) = $2',
      [b, 'same@x.test'],
    );
    expect(r.rows).toEqual([{ display_name: 'In B' }]);
  });

  test('LISTEN/NOTIFY delivers payloads and unsubscribes', async () => {
    const channel = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const got: string[] = [];
    const arrived = new Promise<void>((resolve) => {
      void db.listen(channel, (payload) => {
        got.push(payload);
        resolve();
      }).then((unlisten) => {
        stop = unlisten;
        return db.notify(channel, 'hello');
      });
    });
    let stop: (() => Promise<void>) | undefined;
    await arrived;
    expect(got).toEqual(['hello']);
    await stop?.();
  });

  test('withLock runs one holder at a time', async () => {
    const events: string[] = [];
    const holder = (name: string) =>
      db.withLock(424242, async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 20));
        events.push(`${name} out`);
      });
    await Promise.all([holder('a'), holder('b')]);
    expect([events.slice(0, 2), events.slice(2)].map((pair) => pair[0]!.split(' ')[0] === pair[1]!.split(' ')[0])).toEqual([true, true]);
  });

  test('ping answers and version names the engine', async () => {
    expect(await db.ping()).toBe(true);
    expect(await db.version()).toMatch(/postgresql \d+/);
  });
});

describe('migrations on a fresh PostgreSQL schema', () => {
  test('instances migrating at the same time do not race', async () => {
    const fresh = await freshPostgresSchema();
    if (!fresh) {
      console.warn('skipped: no PostgreSQL configured (RUCHE_TEST_DATABASE_URL)');
      return;
    }
    const dbs = await Promise.all([0, 1, 2].map(() => openPostgres({ connectionString: fresh.url, max: 2 })));
    try {
      const reports = await Promise.all(dbs.map((d) => migrate(d)));
      const appliedCounts = reports.map((r) => r.applied.length).sort();
      const total = (await readMigrations()).length;
      expect(appliedCounts).toEqual([0, 0, total]);
      const rows = await dbs[0]!.query<{ n: number }>('select count(*)::int as n from schema_migrations');
      expect(rows.rows[0]!.n).toBe(total);
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
      await fresh.drop();
    }
  });
});
