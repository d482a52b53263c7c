/**
 * Backup and restore of a Ruche database, the same way on PGlite and PostgreSQL.
 *
 * A backup is one gzip file of JSON lines, read in one consistent snapshot: a header (the
 * applied migrations, the tables and their columns, the sequences), then each table's rows
 * (one JSON object per line, as PostgreSQL itself renders them, so timestamps keep their
 * microseconds and numbers their digits), then an end line with the row counts. Generated
 * columns are left out (the database computes them again). The format is the same for
 * both databases, so a backup of the embedded store restores into PostgreSQL too.
 *
 * A restore goes into an empty database only: it applies the migrations the backup was
 * made with, loads every row in one transaction (triggers and foreign keys held back as
 * pg_restore does, so outboxes are not filled twice), sets every sequence, checks the
 * counts, and commits; on any error nothing is kept. Newer migrations run afterwards.
 *
 * The background job queue (pg-boss, its own schema) is not part of a backup: periodic
 * jobs are scheduled again when the worker starts.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { createGunzip, createGzip } from 'node:zlib';
import type { Db, Queryable } from '../store/db.js';
import { type Migration, migrate, readMigrations } from '../store/migrate.js';
import { RucheError } from '../errors.js';

export const BACKUP_FORMAT = 'ruche-backup';
export const BACKUP_VERSION = 1;

export interface BackupTable {
  name: string;
  /** Stored columns (generated ones excluded), in table order. */
  columns: string[];
}

export interface BackupSequence {
  name: string;
  /** As text: a bigint may exceed what a JSON number holds exactly. */
  lastValue: string;
  isCalled: boolean;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  /** The database the backup was read from, e.g. "postgresql 15.20". */
  source: string;
  migrations: { version: number; name: string; checksum: string }[];
  tables: BackupTable[];
  sequences: BackupSequence[];
}

export interface BackupSummary {
  file: string;
  tables: number;
  rows: number;
  /** Rows per table. */
  counts: Record<string, number>;
  bytes: number;
}

export interface BackupProgress {
  table: string;
  rows: number;
}

const ROWS_PER_READ = 2000;
const BYTES_PER_INSERT = 4 * 1024 * 1024;
const ROWS_PER_INSERT = 2000;

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The tables of Ruche's schema (the current schema), in name order. */
async function schemaTables(q: Queryable): Promise<BackupTable[]> {
  const r = await q.query<{ table_name: string; columns: string[] }>(
    `select c.relname as table_name,
            array(select a.attname::text from pg_attribute a
                  where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                  order by a.attnum) as columns
     from pg_class c
     where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')
     order by c.relname`,
  );
  return r.rows.map((row) => ({ name: row.table_name, columns: row.columns }));
}

async function generatedColumns(q: Queryable, table: string): Promise<string[]> {
  const r = await q.query<{ attname: string }>(
    `select a.attname::text as attname from pg_attribute a
     where a.attrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass and a.attnum > 0 and not a.attisdropped and a.attgenerated <> ''`,
    [table],
  );
  return r.rows.map((row) => row.attname);
}

async function schemaSequences(q: Queryable): Promise<BackupSequence[]> {
  const names = await q.query<{ name: string }>(
    "select c.relname as name from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relkind = 'S' order by c.relname",
  );
  const out: BackupSequence[] = [];
  for (const { name } of names.rows) {
    const v = await q.query<{ last_value: string; is_called: boolean }>(`select last_value::text as last_value, is_called from ${ident(name)}`);
    out.push({ name, lastValue: v.rows[0]!.last_value, isCalled: v.rows[0]!.is_called });
  }
  return out;
}

/** Writes lines to a gzip file, waiting when the stream asks to. */
class LineWriter {
  private readonly gzip = createGzip({ level: 6 });
  private readonly file;
  bytes = 0;
  constructor(path: string) {
    this.file = createWriteStream(path, { mode: 0o600 });
    this.gzip.pipe(this.file);
    this.file.on('error', (err) => this.gzip.destroy(err));
  }
  async write(line: string): Promise<void> {
    if (!this.gzip.write(`${line}\n`)) await once(this.gzip, 'drain');
  }
  async end(): Promise<void> {
    this.gzip.end();
    await once(this.file, 'close');
    this.bytes = this.file.bytesWritten;
  }
  destroy(): void {
    this.gzip.destroy();
    this.file.destroy();
  }
}

/**
 * Writes a backup of the whole database to `file` (gzip JSON lines). The file appears
 * only when complete: it is written beside it and renamed at the end.
 */
export async function backupDatabase(db: Db, file: string, options: { onProgress?: (p: BackupProgress) => void } = {}): Promise<BackupSummary> {
  const partial = `${file}.partial`;
  const writer = new LineWriter(partial);
  try {
    const counts: Record<string, number> = {};
    const source = await db.version();
    await db.transaction(async (tx) => {
      // One snapshot for every table, as pg_dump reads.
      await tx.exec('set transaction isolation level repeatable read, read only');
      const migrated = await tx.query<{ present: boolean }>("select to_regclass(quote_ident(current_schema()) || '.schema_migrations') is not null as present");
      if (!migrated.rows[0]!.present) throw new RucheError('BACKUP_INVALID', 'This database holds no Ruche schema: there is nothing to back up');
      const migrations = (
        await tx.query<{ version: number; name: string; checksum: string }>('select version, name, checksum from schema_migrations order by version')
      ).rows;
      const tables = await schemaTables(tx);
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        source,
        migrations,
        tables,
        sequences: await schemaSequences(tx),
      };
      await writer.write(JSON.stringify(header));
      for (const table of tables) {
        const generated = await generatedColumns(tx, table.name);
        await writer.write(JSON.stringify({ table: table.name }));
        let after = '(0,0)';
        let n = 0;
        for (;;) {
          // Read by physical position: every table, whatever its key, in batches.
          const batch = await tx.query<{ position: string; row: string }>(
            `select t.ctid::text as position, (to_jsonb(t) - $2::text[])::text as row from ${ident(table.name)} t
             where t.ctid > $1::tid order by t.ctid limit ${ROWS_PER_READ}`,
            [after, generated],
          );
          for (const r of batch.rows) await writer.write(r.row);
          n += batch.rows.length;
          if (batch.rows.length < ROWS_PER_READ) break;
          after = batch.rows[batch.rows.length - 1]!.position;
          options.onProgress?.({ table: table.name, rows: n });
        }
        counts[table.name] = n;
        options.onProgress?.({ table: table.name, rows: n });
      }
      await writer.write(JSON.stringify({ end: true, counts }));
    });
    await writer.end();
    await rename(partial, file);
    const rows = Object.values(counts).reduce((a, b) => a + b, 0);
    return { file, tables: Object.keys(counts).length, rows, counts, bytes: writer.bytes };
  } catch (err) {
    writer.destroy();
    await rm(partial, { force: true });
    throw err;
  }
}

function invalid(message: string, cause?: unknown): RucheError {
  return new RucheError('BACKUP_INVALID', message, cause === undefined ? {} : { cause });
}

/** Reads a backup file line by line (gunzipped); a corrupt or truncated file is BACKUP_INVALID. */
async function* backupLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  let failure: unknown;
  input.on('error', (err) => gunzip.destroy(err));
  gunzip.on('error', (err) => {
    failure = err;
  });
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } catch (err) {
    failure ??= err;
  } finally {
    lines.close();
    input.destroy();
  }
  if (failure) {
    const code = (failure as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw invalid(`Cannot read ${file}`, failure);
    throw invalid(`${file} is not a complete Ruche backup (gzip: ${(failure as Error).message})`, failure);
  }
}

function parseLine<T>(line: string, what: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (err) {
    throw invalid(`The backup is damaged: ${what} cannot be read`, err);
  }
}

export interface RestoreSummary {
  tables: number;
  rows: number;
  counts: Record<string, number>;
  /** The migrations the backup was made with (applied before loading). */
  migrations: number;
  source: string;
  createdAt: string;
}

/** Answers whether the database holds no Ruche data (no schema yet, or only empty tables). */
export async function isDatabaseEmpty(db: Queryable): Promise<boolean> {
  for (const t of await schemaTables(db)) {
    if (t.name === 'schema_migrations') continue;
    const r = await db.query(`select 1 from ${ident(t.name)} limit 1`);
    if (r.rows.length > 0) return false;
  }
  return true;
}

/**
 * Restores a backup into an empty database (see the top of this file). Refuses a database
 * that holds data, and a backup made by a newer Ruche than this one (upgrade first).
 */
export async function restoreDatabase(
  db: Db,
  file: string,
  options: { migrations?: Migration[]; onProgress?: (p: BackupProgress) => void } = {},
): Promise<RestoreSummary> {
  const lines = backupLines(file);
  const first = await lines.next();
  if (first.done) throw invalid(`${file} is empty`);
  const header = parseLine<BackupHeader>(first.value, 'the header');
  if (header?.format !== BACKUP_FORMAT) throw invalid(`${file} is not a Ruche backup`);
  if (header.version !== BACKUP_VERSION) throw invalid(`${file} is a Ruche backup of format ${header.version}; this version of Ruche reads format ${BACKUP_VERSION}`);

  if (!(await isDatabaseEmpty(db))) {
    throw new RucheError(
      'RESTORE_TARGET_NOT_EMPTY',
      'The database already holds data: restore into a new, empty database (or an empty RUCHE_DATA_DIR folder)',
    );
  }

  // The schema as it was when the backup was made: the same migrations, unchanged.
  const known = new Map((options.migrations ?? (await readMigrations())).map((m) => [m.version, m]));
  const wanted: Migration[] = [];
  for (const m of header.migrations) {
    const local = known.get(m.version);
    if (!local || local.checksum !== m.checksum) {
      throw invalid(`The backup was made by a newer or different version of Ruche (migration ${m.name}): restore it with that version`);
    }
    wanted.push(local);
  }
  const backupVersions = new Set(header.migrations.map((m) => m.version));
  const migrated = await db.query<{ present: boolean }>("select to_regclass(quote_ident(current_schema()) || '.schema_migrations') is not null as present");
  const appliedHere = migrated.rows[0]!.present
    ? (await db.query<{ version: number; name: string }>('select version, name from schema_migrations order by version')).rows
    : [];
  const ahead = appliedHere.filter((m) => !backupVersions.has(m.version));
  if (ahead.length > 0) {
    throw new RucheError(
      'RESTORE_TARGET_NOT_EMPTY',
      `The database was migrated past the backup (${ahead.map((m) => m.name).join(', ')}): restore into a database that was never migrated`,
    );
  }
  await migrate(db, wanted);

  const tables = new Map(header.tables.map((t) => [t.name, t]));
  const here = new Map((await schemaTables(db)).map((t) => [t.name, t]));
  for (const t of header.tables) {
    const mine = here.get(t.name);
    if (!mine || mine.columns.join(',') !== t.columns.join(',')) {
      throw invalid(`The backup's table ${t.name} does not match this schema: it was not made from these migrations`);
    }
  }

  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    // As pg_restore --disable-triggers: rows go in as they were, without firing triggers
    // (outboxes, counters) or checking foreign keys row by row; the backup was consistent.
    try {
      await tx.exec('set local session_replication_role = replica');
    } catch (err) {
      throw new RucheError(
        'RESTORE_NOT_PERMITTED',
        `The database refused session_replication_role = replica (${(err as Error).message}): run the restore as a superuser or the server's administrator login`,
        { cause: err },
      );
    }
    let table: BackupTable | undefined;
    let batch: string[] = [];
    let batchBytes = 0;
    let ended: { end: true; counts: Record<string, number> } | undefined;

    const flush = async () => {
      if (!table || batch.length === 0) return;
      const cols = table.columns.map(ident).join(', ');
      await tx.query(
        `insert into ${ident(table.name)} (${cols}) overriding system value
         select ${cols} from jsonb_populate_recordset(null::${ident(table.name)}, $1::jsonb)`,
        [`[${batch.join(',')}]`],
      );
      const done = (counts[table.name] ?? 0) + batch.length;
      counts[table.name] = done;
      options.onProgress?.({ table: table.name, rows: done });
      batch = [];
      batchBytes = 0;
    };

    for await (const line of lines) {
      if (ended) throw invalid('The backup is damaged: data after its end');
      if (line.startsWith('{"table":') || line.startsWith('{"end":')) {
        const marker = parseLine<{ table?: string; end?: true; counts?: Record<string, number> }>(line, 'a section');
        if (marker.end) {
          await flush();
          ended = { end: true, counts: marker.counts ?? {} };
          continue;
        }
        if (marker.table !== undefined && Object.keys(marker).length === 1) {
          await flush();
          table = tables.get(marker.table);
          if (!table) throw invalid(`The backup is damaged: table ${marker.table} is not in its header`);
          counts[table.name] ??= 0;
          if (table.name === 'schema_migrations') {
            // The rows of the migrations just applied are replaced by the original ones.
            await tx.query('delete from schema_migrations');
          }
          continue;
        }
      }
      if (!table) throw invalid('The backup is damaged: rows before any table');
      batch.push(line);
      batchBytes += line.length;
      if (batch.length >= ROWS_PER_INSERT || batchBytes >= BYTES_PER_INSERT) await flush();
    }
    if (!ended) throw invalid(`${file} is truncated: its end is missing`);
    for (const t of header.tables) {
      if ((ended.counts[t.name] ?? 0) !== (counts[t.name] ?? 0)) {
        throw invalid(`The backup is damaged: table ${t.name} should have ${ended.counts[t.name] ?? 0} rows, it has ${counts[t.name] ?? 0}`);
      }
    }
    for (const s of header.sequences) {
      await tx.query('select setval($1::regclass, $2::bigint, $3)', [ident(s.name), s.lastValue, s.isCalled]);
    }
  });
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  return { tables: Object.keys(counts).length, rows, counts, migrations: header.migrations.length, source: header.source, createdAt: header.createdAt };
}
