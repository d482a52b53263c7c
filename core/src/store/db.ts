/**
 * The one database interface of Ruche. Two adapters implement it: PGlite (embedded,
 * the default) and PostgreSQL through a connection pool. Both speak the same SQL.
 */
export type SqlParam = string | number | boolean | null | Date | readonly unknown[] | Record<string, unknown>;

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlParam[] | readonly unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export type DbKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Runs `fn` in a transaction; it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding a cluster-wide advisory lock, so that one instance at a time does
   * it (e.g. loading the demo organisation). `fn` may use the Db freely meanwhile.
   */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel; resolves to a function that unsubscribes. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** Answers whether the database can be reached (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** A short description for logs and benchmark environments, e.g. "postgresql 15.20". */
  version(): Promise<string>;
}

export function isValidChannel(channel: string): boolean {
  return /^[a-z_][a-z0-9_]{0,62}$/.test(channel);
}
