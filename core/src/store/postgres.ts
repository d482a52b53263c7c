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
 * Session settings of every connection of the pool:
 * - Each connection plans a prepared statement once for all values
 *   (plan_cache_mode = force_generic_plan). Ruche's statements are short, index-driven and
 *   tenant-scoped, so the plan does not depend on the values, while planning them again on
 *   every run (PostgreSQL's default keeps custom plans when it estimates them cheaper)
 *   costs more than running them: twice the time of a home feed page.
 * - No JIT compilation (jit = off): it pays off for long analytical queries, and a large
 *   cost estimate of a cheap statement (the expert finder's) would make it compile for far
 *   longer than the statement runs.
 */
const sessionOptions = '-c plan_cache_mode=force_generic_plan -c jit=off';

/** The connection string with Ruche's session settings added to the `options` it may already carry. */
export function withSessionOptions(connectionString: string): string {
  const url = new URL(connectionString);
  const given = url.searchParams.get('options');
  url.searchParams.set('options', given ? `${given} ${sessionOptions}` : sessionOptions);
  return url.toString();
}

/**
 * Statements with parameters run as named prepared statements, so that each connection
 * parses and plans a statement once and PostgreSQL may keep its plan (a feed page's
 * statements cost more to plan than to run). The names are shared by every connection of
 * the pool (each prepares a statement the first time it runs it); past `maxNamed` distinct
 * texts, further ones run unnamed, so that SQL built with inlined values cannot make the
 * server keep an unbounded number of statements.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  constructor(private readonly maxNamed = 500) {}
  nameOf(sql: string): string | undefined {
    const known = this.names.get(sql);
    if (known !== undefined || this.names.size >= this.maxNamed) return known;
    const name = `ruche_${this.names.size + 1}`;
    this.names.set(sql, name);
    return name;
  }
}

function wrap(client: pg.Pool | pg.PoolClient, names: StatementNames): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      const name = params.length > 0 ? names.nameOf(sql) : undefined;
      const r = name ? await client.query({ name, text: sql, values: params as unknown[] }) : await client.query(sql, params as unknown[]);
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
  const names = new StatementNames();
  const base = wrap(pool, names);
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
        const result = await fn(wrap(client, names));
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
