/** The stored state of directory sync per tenant and resource: delta link, position, progress. */
import { RucheError } from '../errors.js';
import type { Queryable } from '../store/db.js';

export type SyncResource = 'users' | 'groups';
export type SyncStatus = 'idle' | 'running' | 'completed' | 'failed';

export interface DirectorySyncState {
  tenantId: string;
  resource: SyncResource;
  status: SyncStatus;
  /** True when a stored delta link exists: the next round fetches only changes. */
  hasDeltaLink: boolean;
  /** True when a round was interrupted and the next run resumes it. */
  resumable: boolean;
  roundKind: 'full' | 'incremental' | null;
  startedAt: string | null;
  updatedAt: string;
  finishedAt: string | null;
  lastCompletedAt: string | null;
  pages: number;
  done: number;
  total: number | null;
  former: number;
  perSecond: number | null;
  /** Seconds left at the current pace, when the total is known. */
  secondsLeft: number | null;
  lastError: string | null;
}

export interface SyncStateRow {
  tenant_id: string;
  resource: SyncResource;
  delta_link: string | null;
  next_link: string | null;
  pending_delta_link: string | null;
  status: SyncStatus;
  run_id: string | null;
  lease_until: Date | string | null;
  round_kind: 'full' | 'incremental' | null;
  started_at: Date | string | null;
  updated_at: Date | string;
  finished_at: Date | string | null;
  pages: number;
  done: number;
  total: number | null;
  former: number;
  per_second: number | null;
  last_error: string | null;
  last_completed_at: Date | string | null;
  last_full_count: number | null;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

export function toSyncState(r: SyncStateRow): DirectorySyncState {
  const perSecond = r.per_second === null ? null : Number(r.per_second);
  const secondsLeft =
    r.status === 'running' && r.total !== null && perSecond !== null && perSecond > 0 ? Math.max(0, (r.total - r.done) / perSecond) : null;
  return {
    tenantId: r.tenant_id,
    resource: r.resource,
    status: r.status,
    hasDeltaLink: r.delta_link !== null,
    resumable: r.next_link !== null || r.pending_delta_link !== null,
    roundKind: r.round_kind,
    startedAt: iso(r.started_at),
    updatedAt: iso(r.updated_at)!,
    finishedAt: iso(r.finished_at),
    lastCompletedAt: iso(r.last_completed_at),
    pages: r.pages,
    done: r.done,
    total: r.total,
    former: r.former,
    perSecond,
    secondsLeft,
    lastError: r.last_error,
  };
}

/** The state of a tenant's sync, or an idle state when it never ran. */
export async function getDirectorySyncState(db: Queryable, tenantId: string, resource: SyncResource = 'users'): Promise<DirectorySyncState> {
  const r = await db.query<SyncStateRow>('select * from directory_sync_state where tenant_id = $1 and resource = $2', [tenantId, resource]);
  if (r.rows[0]) return toSyncState(r.rows[0]);
  return toSyncState({
    tenant_id: tenantId,
    resource,
    delta_link: null,
    next_link: null,
    pending_delta_link: null,
    status: 'idle',
    run_id: null,
    lease_until: null,
    round_kind: null,
    started_at: null,
    updated_at: new Date(0),
    finished_at: null,
    pages: 0,
    done: 0,
    total: null,
    former: 0,
    per_second: null,
    last_error: null,
    last_completed_at: null,
    last_full_count: null,
  });
}

/**
 * Claims the sync of a tenant for one run: refused while another run holds an unexpired
 * lease. A round interrupted earlier keeps its counters (the run resumes it); otherwise
 * the counters start again and the round is full (no delta link) or incremental.
 */
export async function claimSync(
  db: Queryable,
  tenantId: string,
  resource: SyncResource,
  runId: string,
  leaseSeconds: number,
  expectedTotal: number | undefined,
): Promise<SyncStateRow> {
  await db.query('insert into directory_sync_state (tenant_id, resource) values ($1, $2) on conflict do nothing', [tenantId, resource]);
  const r = await db.query<SyncStateRow>(
    `update directory_sync_state s set
       status = 'running', run_id = $3, lease_until = now() + make_interval(secs => $4), started_at = now(), updated_at = now(),
       finished_at = null, last_error = null, per_second = null,
       round_kind = case when s.next_link is null and s.pending_delta_link is null
                         then (case when s.delta_link is null then 'full' else 'incremental' end) else s.round_kind end,
       pages = case when s.next_link is null and s.pending_delta_link is null then 0 else s.pages end,
       done = case when s.next_link is null and s.pending_delta_link is null then 0 else s.done end,
       former = case when s.next_link is null and s.pending_delta_link is null then 0 else s.former end,
       total = case when s.next_link is null and s.pending_delta_link is null
                    then (case when s.delta_link is null then coalesce($5::int, s.last_full_count) else null end) else s.total end
     where s.tenant_id = $1 and s.resource = $2 and (s.status <> 'running' or s.lease_until is null or s.lease_until < now())
     returning *`,
    [tenantId, resource, runId, leaseSeconds, expectedTotal ?? null],
  );
  const row = r.rows[0];
  if (!row) throw new RucheError('DIRECTORY_SYNC_RUNNING', 'A directory sync of this organisation is already running');
  return row;
}
