import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import { openPglite } from '../store/pglite.js';
import { openPostgres } from '../store/postgres.js';
import { migrate } from '../store/migrate.js';

/**
 * Test helpers shared by every package: the same suite runs on PGlite and, when
 * RUCHE_TEST_DATABASE_URL names a server, on PostgreSQL. RUCHE_REQUIRE_POSTGRES=1 (set by
 * CI) makes a missing server a failure instead of a skip.
 */
export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** Opens a migrated database shared by the test file; isolate cases by tenant. */
  open(): Promise<Db>;
}

const postgresUrl = process.env.RUCHE_TEST_DATABASE_URL;
const postgresRequired = process.env.RUCHE_REQUIRE_POSTGRES === '1';
let skipNoticeShown = false;

export function postgresTestUrl(): string | undefined {
  if (!postgresUrl && postgresRequired) {
    throw new Error('RUCHE_REQUIRE_POSTGRES=1 but RUCHE_TEST_DATABASE_URL is not set');
  }
  return postgresUrl;
}

export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [
    {
      name: 'pglite',
      async open() {
        const db = await openPglite();
        await migrate(db);
        return db;
      },
    },
  ];
  const url = postgresTestUrl();
  if (url) {
    list.push({
      name: 'postgres',
      async open() {
        // Each open gets a schema of its own, dropped on close: suites never see each
        // other's rows or half-written migrations, and a long-lived server stays clean.
        const fresh = await freshPostgresSchema();
        const db = await openPostgres({ connectionString: fresh!.url, max: 4 });
        await migrate(db);
        const close = db.close.bind(db);
        return Object.assign(db, {
          async close() {
            await close();
            await fresh!.drop();
          },
        });
      },
    });
  } else if (!skipNoticeShown) {
    skipNoticeShown = true;
    console.warn('PostgreSQL suites skipped: set RUCHE_TEST_DATABASE_URL=postgres://... to run them.');
  }
  return list;
}

/** A connection string to a new, empty schema of the test server (for migration tests). */
export async function freshPostgresSchema(): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const url = postgresTestUrl();
  if (!url) return undefined;
  const now = Math.floor(Date.now() / 1000);
  const schema = `t_${now}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = await openPostgres({ connectionString: url, max: 1 });
  try {
    // Schemas left behind by runs that crashed more than two hours ago are dropped.
    const stale = await admin.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname ~ '^t_[0-9]+_[0-9a-f]+$' and split_part(nspname, '_', 2)::bigint < $1",
      [now - 7200],
    );
    for (const row of stale.rows) await admin.exec(`drop schema if exists ${row.nspname} cascade`);
    await admin.exec(`create schema ${schema}`);
  } finally {
    await admin.close();
  }
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return {
    url: u.toString(),
    async drop() {
      const a = await openPostgres({ connectionString: url, max: 1 });
      await a.exec(`drop schema if exists ${schema} cascade`);
      await a.close();
    },
  };
}

/** Creates a tenant with a random id: the unit of isolation between test cases. */
export async function createTestTenant(db: Db, name = 'Test organisation'): Promise<string> {
  const id = randomUUID();
  await db.query('insert into tenants (id, name) values ($1, $2)', [id, name]);
  return id;
}
