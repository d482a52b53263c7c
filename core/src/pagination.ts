import { RucheError } from './errors.js';

/**
 * Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded.
 * Feeds never use OFFSET; the next page starts strictly after this key.
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, shape: readonly ('string' | 'number' | 'date')[]): (string | number)[] | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RucheError('INVALID_CURSOR');
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length) throw new RucheError('INVALID_CURSOR');
  parsed.forEach((v, i) => {
    const kind = shape[i];
    const ok =
      kind === 'number'
        ? typeof v === 'number' && Number.isFinite(v)
        : kind === 'date'
          ? typeof v === 'string' && !Number.isNaN(Date.parse(v))
          : typeof v === 'string';
    if (!ok) throw new RucheError('INVALID_CURSOR');
  });
  return parsed as (string | number)[];
}

/** Fetch limit+1 rows, then call this: it trims the extra row and builds the next cursor. */
export function pageOf<R, T>(rows: R[], limit: number, keyOf: (row: R) => (string | number | null)[], map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
