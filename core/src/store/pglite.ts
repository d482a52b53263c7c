import { mkdir } from 'node:fs/promises';
import { PGlite, parse as pgliteParse, protocol } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { Db, Queryable, QueryResult } from './db.js';
import { isValidChannel } from './db.js';
import { RucheError } from '../errors.js';

type PGliteTx = Pick<PGlite, 'query' | 'exec'>;

/** A PGlite result as the store's: rowCount is the rows of a query, the rows touched by a write. */
function resultOf<T>(r: { rows: unknown[]; fields: unknown[]; affectedRows?: number }): QueryResult<T> {
  return { rows: r.rows as T[], rowCount: r.fields.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
}

function wrap(q: PGliteTx): Queryable {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
      return resultOf<T>(await q.query<T>(sql, params as unknown[]));
    },
    async exec(sql: string): Promise<void> {
      await q.exec(sql);
    },
  };
}

const { serialize } = protocol;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Statements with parameters outside transactions run in one exchange with the embedded
 * database (parse, bind, describe, execute, sync) instead of the six of PGlite's query(),
 * each exchange costing about as much as a small statement. The parameter types a
 * statement's values are serialised with are asked once per statement text (at most
 * `maxKnown`; others go through query()). The statement stays unnamed, so that it is
 * planned for its values at each run, as on PostgreSQL (store/postgres.ts).
 */
class OneExchangeStatements {
  private readonly paramTypes = new Map<string, number[]>();
  constructor(
    private readonly pg: PGlite,
    private readonly maxKnown = 1000,
  ) {}

  eligible(sql: string, params: readonly unknown[]): boolean {
    return params.length > 0 && (this.paramTypes.has(sql) || this.paramTypes.size < this.maxKnown);
  }

  /** Runs `sql` with the database to itself, as PGlite's own query() does. */
  async run<T>(sql: string, params: readonly unknown[]): Promise<QueryResult<T>> {
    const pg = this.pg;
    const result = await pg._runExclusiveTransaction(() =>
      pg._runExclusiveQuery(async () => {
        let types = this.paramTypes.get(sql);
        if (!types) {
          const described = await pg.execProtocol(concat([serialize.parse({ text: sql }), serialize.describe({ type: 'S' }), serialize.sync()]), {
            syncToFs: false,
          });
          types = pgliteParse.parseDescribeStatementResults(described.messages);
          this.paramTypes.set(sql, types);
        }
        const values = params.map((v, i) => {
          if (v === null || v === undefined) return null;
          const serializer = pg.serializers[types[i]!];
          return serializer ? serializer(v) : String(v);
        });
        const ran = await pg.execProtocol(
          concat([
            serialize.parse({ text: sql }),
            serialize.bind({ values }),
            serialize.describe({ type: 'P' }),
            serialize.execute({}),
            serialize.sync(),
          ]),
          { syncToFs: false },
        );
        return pgliteParse.parseResults(ran.messages, pg.parsers)[0]!;
      }),
    );
    await pg.syncToFs();
    return resultOf<T>(result);
  }
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
  const oneExchange = new OneExchangeStatements(pg);
  let lockQueue: Promise<unknown> = Promise.resolve();
  return {
    kind: 'pglite',
    query: (sql, params = []) => (oneExchange.eligible(sql, params) ? oneExchange.run(sql, params) : base.query(sql, params)),
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
