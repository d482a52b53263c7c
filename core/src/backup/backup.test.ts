import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Db } from '../store/db.js';
import { openPglite } from '../store/pglite.js';
import { openPostgres } from '../store/postgres.js';
import { migrate } from '../store/migrate.js';
import { freshPostgresSchema, postgresTestUrl, testDatabases } from '../testing/databases.js';
import { generateDemo } from '../demo/index.js';
import { readFeed } from '../feed/index.js';
import { searchPeople, searchPosts } from '../search/index.js';
import type { Viewer } from '../policy/policy.js';
import { isRucheError } from '../errors.js';
import { backupDatabase, isDatabaseEmpty, restoreDatabase } from './backup.js';

const tenantId = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

/** Every table of the schema, each row as PostgreSQL renders it, ordered. */
async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const tables = await db.query<{ name: string }>(
    "select relname as name from pg_class where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p') order by relname",
  );
  const out: Record<string, string[]> = {};
  for (const { name } of tables.rows) {
    out[name] = (await db.query<{ r: string }>(`select t::text as r from "${name}" t order by 1`)).rows.map((x) => x.r);
  }
  return out;
}

async function sequences(db: Db): Promise<Record<string, string>> {
  const names = await db.query<{ name: string }>("select relname as name from pg_class where relnamespace = current_schema()::regnamespace and relkind = 'S' order by relname");
  const out: Record<string, string> = {};
  for (const { name } of names.rows) {
    const r = await db.query<{ v: string }>(`select last_value::text || '/' || is_called::text as v from "${name}"`);
    out[name] = r.rows[0]!.v;
  }
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isRucheError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error('expected an error');
}

/** An empty database of the same kind: a new in-memory PGlite, or a new PostgreSQL schema. */
async function emptyDatabase(kind: 'pglite' | 'postgres'): Promise<Db> {
  if (kind === 'pglite') return openPglite();
  const fresh = (await freshPostgresSchema())!;
  const db = await openPostgres({ connectionString: fresh.url, max: 2 });
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      await fresh.drop();
    },
  });
}

for (const database of testDatabases()) {
  describe(`backup and restore (${database.name})`, () => {
    let source: Db;
    let dir: string;
    let file: string;
    let viewer: Viewer;
    const opened: Db[] = [];

    beforeAll(async () => {
      source = await database.open();
      dir = await mkdtemp(path.join(tmpdir(), 'ruche-backup-'));
      file = path.join(dir, 'ruche.backup.gz');
      const summary = await generateDemo(source, { tenantId, people: 80, seed: 11, now: new Date('2026-03-02T09:15:00.123456Z') });
      viewer = { tenantId, personId: summary.signInAs.personId, roles: [] };
      // Values a careless copy would lose: microseconds, a bigint beyond 2^53, quotes and newlines, a notification that fed the outboxes.
      await source.query("update people set biography = E'Line one\\nline \"two\" \\\\ ok', updated_at = '2026-01-02 03:04:05.678901+00' where tenant_id = $1 and id = $2", [
        tenantId,
        viewer.personId,
      ]);
      await source.query("insert into notifications (tenant_id, person_id, kind, data) values ($1, $2, 'mention', '{\"big\": 9007199254740993}')", [
        tenantId,
        viewer.personId,
      ]);
    }, 180_000);

    afterAll(async () => {
      for (const db of opened) await db.close().catch(() => undefined);
      await source.close();
      await rm(dir, { recursive: true, force: true });
    });

    test('a restore into an empty database gives back every row and sequence, and the app works on it', async () => {
      const progress: string[] = [];
      const backup = await backupDatabase(source, file, { onProgress: (p) => progress.push(p.table) });
      expect(backup.counts.people).toBeGreaterThanOrEqual(80);
      expect(backup.counts.posts).toBeGreaterThan(0);
      expect(progress).toContain('posts');

      const target = await emptyDatabase(database.name);
      opened.push(target);
      expect(await isDatabaseEmpty(target)).toBe(true);
      const restored = await restoreDatabase(target, file);
      expect(restored.counts).toEqual(backup.counts);
      expect(restored.rows).toBe(backup.rows);

      expect(await snapshot(target)).toEqual(await snapshot(source));
      expect(await sequences(target)).toEqual(await sequences(source));
      // Nothing more to migrate: the schema is the one of this version.
      expect((await migrate(target)).applied).toEqual([]);

      // Through core: the same home feed, people search (trigram) and post search (generated tsvector).
      const feed = async (db: Db) => (await readFeed(db, viewer, { kind: 'home' }, { limit: 20 })).items.map((i) => i.id);
      expect(await feed(target)).toEqual(await feed(source));
      expect((await feed(target)).length).toBeGreaterThan(0);
      const people = async (db: Db) => (await searchPeople(db, viewer, { q: 'ma' })).items.map((p) => p.id);
      expect(await people(target)).toEqual(await people(source));
      const posts = async (db: Db) => (await searchPosts(db, viewer, { q: 'kubernetes' })).items.map((p) => p.id);
      expect(await posts(target)).toEqual(await posts(source));

      // Identity columns continue after the restored values.
      const next = async (db: Db) =>
        (await db.query<{ id: number }>("insert into audit_log (tenant_id, action) values ($1, 'test') returning id", [tenantId])).rows[0]!.id;
      expect(await next(target)).toBe(await next(source));
    }, 180_000);

    test('refuses a database that holds data, and leaves it as it was', async () => {
      const before = await snapshot(source);
      expect(await codeOf(restoreDatabase(source, file))).toMatch(/^RESTORE_TARGET_NOT_EMPTY/);
      expect(await snapshot(source)).toEqual(before);
    }, 60_000);

    test('a damaged, truncated or foreign file is refused and the target stays empty', async () => {
      const bytes = gunzipSync(await readFile(file)).toString('utf8').split('\n');
      const truncated = path.join(dir, 'truncated.gz');
      await writeFile(truncated, gzipSync(bytes.slice(0, Math.floor(bytes.length / 2)).join('\n')));
      const cut = path.join(dir, 'cut.gz');
      const whole = await readFile(file);
      await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.7)));
      const foreign = path.join(dir, 'foreign.gz');
      await writeFile(foreign, gzipSync('{"hello": "world"}\n'));
      const plain = path.join(dir, 'plain.json');
      await writeFile(plain, '{"format": "ruche-backup"}');
      const counted = path.join(dir, 'counted.gz');
      const withoutOneRow = [...bytes];
      withoutOneRow.splice(bytes.findIndex((l) => l === '{"table":"people"}') + 1, 1);
      await writeFile(counted, gzipSync(withoutOneRow.join('\n')));

      const target = await emptyDatabase(database.name);
      opened.push(target);
      expect(await codeOf(restoreDatabase(target, truncated))).toMatch(/^BACKUP_INVALID: .*truncated/);
      expect(await codeOf(restoreDatabase(target, cut))).toMatch(/^BACKUP_INVALID/);
      expect(await codeOf(restoreDatabase(target, foreign))).toMatch(/^BACKUP_INVALID: .* is not a Ruche backup/);
      expect(await codeOf(restoreDatabase(target, plain))).toMatch(/^BACKUP_INVALID/);
      expect(await codeOf(restoreDatabase(target, counted))).toMatch(/^BACKUP_INVALID: .*table people should have/);
      expect(await codeOf(restoreDatabase(target, path.join(dir, 'missing.gz')))).toMatch(/^BACKUP_INVALID: Cannot read/);
      expect(await isDatabaseEmpty(target)).toBe(true);
      // The good file still restores into it afterwards.
      await restoreDatabase(target, file);
      expect((await target.query<{ n: number }>('select count(*)::int as n from people')).rows[0]!.n).toBe(
        (await source.query<{ n: number }>('select count(*)::int as n from people')).rows[0]!.n,
      );
    }, 180_000);

    (database.name === 'postgres' ? test : test.skip)('a role that may not hold back triggers gets a clear refusal', async () => {
      const target = await emptyDatabase('postgres');
      opened.push(target);
      const schema = (await target.query<{ s: string }>('select current_schema() as s')).rows[0]!.s;
      const role = `ruche_plain_${schema.slice(-8)}`;
      await target.exec(`create role ${role} login; grant all on schema ${schema} to ${role}`);
      try {
        const url = new URL(postgresTestUrl()!);
        url.username = role;
        url.searchParams.set('options', `-c search_path=${schema},public`);
        const plain = await openPostgres({ connectionString: url.toString(), max: 1 });
        try {
          expect(await codeOf(restoreDatabase(plain, file))).toMatch(/^RESTORE_NOT_PERMITTED: The database refused session_replication_role/);
          expect(await isDatabaseEmpty(plain)).toBe(true);
        } finally {
          await plain.close();
        }
      } finally {
        await target.exec(`drop owned by ${role} cascade; drop role ${role}`);
      }
    }, 60_000);

    test('refuses a backup made by a newer Ruche', async () => {
      const lines = gunzipSync(await readFile(file)).toString('utf8').split('\n');
      const header = JSON.parse(lines[0]!) as { migrations: { version: number; name: string; checksum: string }[] };
      header.migrations.push({ version: 999, name: '999_future', checksum: 'x' });
      const newer = path.join(dir, 'newer.gz');
      await writeFile(newer, gzipSync([JSON.stringify(header), ...lines.slice(1)].join('\n')));
      const target = await emptyDatabase(database.name);
      opened.push(target);
      expect(await codeOf(restoreDatabase(target, newer))).toMatch(/^BACKUP_INVALID: The backup was made by a newer or different version of Ruche \(migration 999_future\)/);
    }, 60_000);
  });
}

describe('a backup of the embedded database restores into PostgreSQL', () => {
  const run = freshPostgresSchemaAvailable() ? test : test.skip;
  run('same rows after moving from PGlite to PostgreSQL', async () => {
    const source = await openPglite();
    const target = await emptyDatabase('postgres');
    const dir = await mkdtemp(path.join(tmpdir(), 'ruche-backup-'));
    try {
      await migrate(source);
      await generateDemo(source, { tenantId, people: 40, seed: 5, now: new Date('2026-03-02T09:15:00Z') });
      const file = path.join(dir, 'moved.gz');
      await backupDatabase(source, file);
      await restoreDatabase(target, file);
      expect(await snapshot(target)).toEqual(await snapshot(source));
    } finally {
      await source.close();
      await target.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

function freshPostgresSchemaAvailable(): boolean {
  return testDatabases().some((d) => d.name === 'postgres');
}
