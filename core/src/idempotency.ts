import type { Queryable } from './store/db.js';
import { RucheError } from './errors.js';

/**
 * Idempotency-Key support for requests that create something: the first request with a
 * key claims it; a repeat with the same request gets the stored response; a repeat with a
 * different request is refused.
 */
export type IdempotencyClaim =
  | { state: 'claimed' }
  | { state: 'replay'; status: number; response: unknown };

export async function claimIdempotencyKey(
  db: Queryable,
  scope: { tenantId: string; personId: string; key: string; requestHash: string },
): Promise<IdempotencyClaim> {
  const inserted = await db.query(
    `insert into idempotency_keys (tenant_id, person_id, key, request_hash) values ($1, $2, $3, $4)
     on conflict do nothing`,
    [scope.tenantId, scope.personId, scope.key, scope.requestHash],
  );
  if (inserted.rowCount === 1) return { state: 'claimed' };
  const existing = await db.query<{ request_hash: string; status: number | null; response: unknown }>(
    'select request_hash, status, response from idempotency_keys where tenant_id = $1 and person_id = $2 and key = $3',
    [scope.tenantId, scope.personId, scope.key],
  );
  const row = existing.rows[0];
  if (!row) return claimIdempotencyKey(db, scope);
  if (row.request_hash !== scope.requestHash) throw new RucheError('IDEMPOTENCY_KEY_REUSED');
  if (row.status === null) throw new RucheError('IDEMPOTENCY_IN_PROGRESS');
  return { state: 'replay', status: row.status, response: row.response };
}

export async function completeIdempotencyKey(
  db: Queryable,
  scope: { tenantId: string; personId: string; key: string },
  status: number,
  response: unknown,
): Promise<void> {
  await db.query('update idempotency_keys set status = $4, response = $5 where tenant_id = $1 and person_id = $2 and key = $3', [
    scope.tenantId,
    scope.personId,
    scope.key,
    status,
    JSON.stringify(response ?? null),
  ]);
}

/** A failed request releases its key so that the client can retry it. */
export async function releaseIdempotencyKey(db: Queryable, scope: { tenantId: string; personId: string; key: string }): Promise<void> {
  await db.query('delete from idempotency_keys where tenant_id = $1 and person_id = $2 and key = $3 and status is null', [
    scope.tenantId,
    scope.personId,
    scope.key,
  ]);
}

/** Keys older than this are forgotten by the periodic clean-up. */
export async function purgeIdempotencyKeys(db: Queryable, olderThanHours = 24): Promise<number> {
  const r = await db.query("delete from idempotency_keys where created_at < now() - make_interval(hours => $1)", [olderThanHours]);
  return r.rowCount;
}
