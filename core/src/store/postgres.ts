import { userInfo } from 'node:os';
import pg from 'pg';
import type { Db, Queryable, QueryResult } from './db.js';
import { isValidChannel } from './db.js';
import { RucheError } from '../errors.js';

// Return bigint counts as numbers and timestamps as Date (the pg defaults for the rest).
pg.types.setTypeParser(20, (v) => Number(v));

export interface PostgresOptions {
  connectionString: string;
  max?: number;
}

/**
 * Session settings of every connection of the pool: no JIT compilation (jit = off). It pays
 * off for long analytical queries; a large cost estimate of a cheap statement (the expert
 * finder's) would make it compile for far longer than the statement runs.
 *
 * Statements are planned for their values at each run (unnamed statements, custom plans):
 * a plan made once for all values suits a feed page's statements but not the directory
 * sync's, whose arrays of a thousand ids and growing tables need the plan of the moment
 * (a generic plan made the 100,000-user sync twice as slow).
 */
const sessionOptions = '-c jit=off';

/** The connection string with Ruche's session settings added to the `options` it may already carry. */
function withSessionOptions(connectionString: string): string {
  const url = new URL(connectionString);
  const given = url.searchParams.get('options');
  url.searchParams.set('options', given ? `${given} ${sessionOptions}` : sessionOptions);
  return url.toString();
}

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const r = await client.query(sql, params as unknown[]);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
    },
  };
}

/**
 * A URL without a user name connects as PGUSER or the operating-system user, as psql does
 * (node-postgres would otherwise send no user at all when USER is unset).
 */
export function withDefaultUser(connectionString: string): string {
  const url = new URL(connectionString);
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username;
  return url.toString();
}

/** Opens a pool on a PostgreSQL server; LISTEN uses one dedicated connection. */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const connectionString = withSessionOptions(withDefaultUser(options.connectionString));
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
  });
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new RucheError('STORE_OPEN_FAILED', 'Cannot connect to the PostgreSQL server given by DATABASE_URL', {
      cause: err,
    });
  }
  const base = wrap(pool);
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();

  async function listenerClient(): Promise<pg.Client> {
    if (listener) return listener;
    const c = new pg.Client({ connectionString });
    await c.connect();
    c.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    c.on('error', () => undefined);
    listener = c;
    return c;
  }

  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async withLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [key]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [key]).catch(() => undefined);
        }
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      if (!isValidChannel(channel)) throw new RucheError('STORE_BAD_CHANNEL', `Invalid channel ${channel}`);
      const c = await listenerClient();
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await c.query(`listen ${channel}`);
      }
      set.add(onPayload);
      return async () => {
        const s = handlers.get(channel);
        if (!s) return;
        s.delete(onPayload);
        if (s.size === 0) {
          handlers.delete(channel);
          await c.query(`unlisten ${channel}`).catch(() => undefined);
        }
      };
    },
    async notify(channel, payload) {
      if (!isValidChannel(channel)) throw new RucheError('STORE_BAD_CHANNEL', `Invalid channel ${channel}`);
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (listener) {
        const l = listener;
        listener = undefined;
        await l.end().catch(() => undefined);
      }
      await pool.end();
    },
    async version() {
      const r = await pool.query<{ v: string }>("select current_setting('server_version') as v");
      return `postgresql ${r.rows[0]?.v ?? '?'}`;
    },
  };
}
