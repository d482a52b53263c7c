/**
 * PostgreSQL array literals built once, for the set-wise statements that pass whole columns as
 * array parameters (`unnest($2::uuid[], $3::text[], ...)`). node-postgres turns a JavaScript
 * array into its literal by repeated string concatenation, again for every statement it is
 * given to: for a directory page of 1,000 people that was most of what the sync allocated.
 * A literal made here is passed as text, cast by the statement (`$2::text[]`), on PostgreSQL
 * and PGlite alike.
 */

/** Element types a literal holds: strings are quoted and escaped, null is NULL. */
export type ArrayElement = string | number | boolean | null | undefined;

const needsEscape = /["\\]/;

function element(value: ArrayElement): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Not a finite number in an array literal: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return needsEscape.test(value) ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `"${value}"`;
}

/**
 * The literal of a one-dimensional array, e.g. ['a', null, 'b"c'] -> {"a",NULL,"b\"c"}. The
 * braces go on the first and last elements so that join() returns one flat string (not a
 * concatenation the client would copy again before sending it).
 */
export function arrayLiteral(values: readonly ArrayElement[]): string {
  if (values.length === 0) return '{}';
  const parts = values.map(element);
  parts[0] = `{${parts[0]}`;
  parts[parts.length - 1] = `${parts[parts.length - 1]}}`;
  return parts.join(',');
}
