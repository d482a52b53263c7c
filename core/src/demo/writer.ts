/**
 * Batched inserts for the demo generator: one parameterised statement per batch, every
 * column passed as one array parameter and expanded by unnest(). Values are never
 * concatenated into SQL.
 */
import type { Queryable } from '../store/db.js';

export type ColumnType = 'uuid' | 'text' | 'int' | 'bool' | 'timestamptz' | 'jsonb' | 'text[]';

type Value = string | number | boolean | null;

const ARRAY_TYPE: Record<ColumnType, string> = {
  uuid: 'uuid[]',
  text: 'text[]',
  int: 'int4[]',
  bool: 'bool[]',
  // Passed as milliseconds since the epoch (cheaper to make than ISO text).
  timestamptz: 'float8[]',
  jsonb: 'text[]',
  // A list is passed as one comma-joined text (unnest would flatten a two-dimensional array).
  'text[]': 'text[]',
};

function selectExpression(name: string, type: ColumnType): string {
  switch (type) {
    case 'timestamptz':
      return `to_timestamp(t.${name} / 1000.0)`;
    case 'jsonb':
      return `t.${name}::jsonb`;
    case 'text[]':
      return `coalesce(string_to_array(nullif(t.${name}, ''), ','), '{}')`;
    default:
      return `t.${name}`;
  }
}

export class RowBuffer {
  private data: Value[][];
  readonly sql: string;

  constructor(
    readonly table: string,
    private readonly columns: readonly (readonly [string, ColumnType])[],
    /** Appended to the insert (e.g. "on conflict do nothing"). */
    suffix = '',
  ) {
    this.data = columns.map(() => []);
    const names = columns.map(([n]) => n);
    const params = columns.map(([, t], i) => `$${i + 2}::${ARRAY_TYPE[t]}`);
    this.sql =
      `insert into ${table} (tenant_id, ${names.join(', ')}) ` +
      `select $1::uuid, ${columns.map(([n, t]) => selectExpression(n, t)).join(', ')} ` +
      `from unnest(${params.join(', ')}) as t(${names.join(', ')}) ${suffix}`.trimEnd();
  }

  push(...values: Value[]): void {
    for (let i = 0; i < this.data.length; i++) this.data[i]!.push(values[i] ?? null);
  }

  get length(): number {
    return this.data[0]?.length ?? 0;
  }

  /** Takes the buffered rows out, leaving the buffer empty (for writing while generating more). */
  take(): PendingRows {
    const rows = new PendingRows(this.sql, this.data, this.length);
    this.data = this.columns.map(() => []);
    return rows;
  }
}

export class PendingRows {
  constructor(
    private readonly sql: string,
    private readonly data: Value[][],
    readonly length: number,
  ) {}

  async write(q: Queryable, tenantId: string): Promise<number> {
    if (this.length === 0) return 0;
    await q.query(this.sql, [tenantId, ...this.data]);
    return this.length;
  }
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
