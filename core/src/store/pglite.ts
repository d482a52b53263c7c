import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { Db, Queryable, QueryResult } from './db.js';
import { isValidChannel } from './db.js';
import { RucheError } from '../errors.js';

type PGliteTx = Pick<PGlite, 'query' | 'exec'>;

function wrap(q: PGliteTx): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.fields.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
    },
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
  };
}

/**
 * Opens PGlite on a data folder (created when missing), or in memory when `dataDir` is
 * undefined. The first open of a new folder runs initdb (a few seconds); reopening is fast.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir, { extensions: { pg_trgm, unaccent } });
  } catch (err) {
    throw new RucheError('STORE_OPEN_FAILED', `Cannot open the embedded database in ${dataDir ?? 'memory'}`, {
      cause: err,
    });
  }
  const base = wrap(pg);
  let lockQueue: Promise<unknown> = Promise.resolve();
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    // One embedded database belongs to one process: queueing callers in order is the lock.
    withLock(_key, fn) {
      const run = lockQueue.then(fn, fn);
      lockQueue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
    async listen(channel, onPayload) {
      if (!isValidChannel(channel)) throw new RucheError('STORE_BAD_CHANNEL', `Invalid channel ${channel}`);
      const unlisten = await pg.listen(channel, onPayload);
      return async () => {
        await unlisten();
      };
    },
    async notify(channel, payload) {
      if (!isValidChannel(channel)) throw new RucheError('STORE_BAD_CHANNEL', `Invalid channel ${channel}`);
      await pg.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async ping() {
      try {
        await pg.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
    async version() {
      const r = await pg.query<{ v: string }>("select current_setting('server_version') as v");
      return `pglite (postgresql ${r.rows[0]?.v ?? '?'})`;
    },
  };
}
