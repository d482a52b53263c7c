import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';
import { RucheError } from '../errors.js';

/** Plain SQL files named NNN_name.sql, applied in order; shipped beside src/ and dist/. */
export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

/** Any constant shared by every instance: the advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 727_465_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3,}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const sql = await readFile(path.join(dir, file), 'utf8');
    migrations.push({
      version: Number(file.slice(0, file.indexOf('_'))),
      name: file.replace(/\.sql$/, ''),
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  const seen = new Set<number>();
  for (const m of migrations) {
    if (seen.has(m.version)) throw new RucheError('MIGRATION_FAILED', `Two migrations share number ${m.version}`);
    seen.add(m.version);
  }
  return migrations;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so instances that
 * start together wait for each other instead of racing. Running it again changes nothing.
 */
export async function migrate(db: Db, migrations?: Migration[]): Promise<MigrationReport> {
  const all = migrations ?? (await readMigrations());
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const done = await tx.query<{ version: number; name: string; checksum: string }>(
      'select version, name, checksum from schema_migrations order by version',
    );
    const applied = new Map(done.rows.map((r) => [r.version, r]));
    const report: MigrationReport = { applied: [], alreadyApplied: applied.size };
    for (const m of all) {
      const previous = applied.get(m.version);
      if (previous) {
        if (previous.checksum !== m.checksum) {
          throw new RucheError(
            'MIGRATION_FAILED',
            `Migration ${m.name} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new RucheError('MIGRATION_FAILED', `Migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      report.applied.push(m.name);
    }
    return report;
  });
}
