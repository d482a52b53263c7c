/** Reading the audit log: tenant administrators only, filtered, newest first, keyset-paged. */
import type { Queryable } from '../store/db.js';
import { type Viewer, canOnTenant } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { type Page, decodeCursor, encodeCursor } from '../pagination.js';
import { isUuid } from '../people/people.js';

export interface AuditLogEntry {
  id: string;
  actor: { id: string; displayName: string } | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown>;
  createdAt: string;
}

export interface AuditLogFilter {
  actorId?: string | undefined;
  /** An exact action ("moderation.hide") or a prefix ending with a dot ("moderation."). */
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

function date(field: string, value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new RucheError('VALIDATION_FAILED', `${field} must be an ISO date-time`);
  return d;
}

export async function listAuditLog(db: Queryable, viewer: Viewer, filter: AuditLogFilter = {}): Promise<Page<AuditLogEntry>> {
  if (!canOnTenant(viewer, 'read_audit', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Only tenant administrators read the audit log');
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const after = decodeCursor(filter.cursor, ['string']);
  if (after && !/^\d{1,19}$/.test(String(after[0]))) throw new RucheError('INVALID_CURSOR');
  const params: unknown[] = [viewer.tenantId];
  const where = ['l.tenant_id = $1'];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filter.actorId !== undefined) {
    if (!isUuid(filter.actorId)) throw new RucheError('VALIDATION_FAILED', 'actor must be a person id');
    add((n) => `l.actor_id = ${n}::uuid`, filter.actorId);
  }
  if (filter.action) {
    if (filter.action.endsWith('.')) add((n) => `starts_with(l.action, ${n})`, filter.action);
    else add((n) => `l.action = ${n}`, filter.action);
  }
  if (filter.targetType) add((n) => `l.target_type = ${n}`, filter.targetType);
  if (filter.targetId) add((n) => `l.target_id = ${n}`, filter.targetId);
  if (filter.since) add((n) => `l.created_at >= ${n}::timestamptz`, date('since', filter.since));
  if (filter.until) add((n) => `l.created_at < ${n}::timestamptz`, date('until', filter.until));
  if (after) add((n) => `l.id < ${n}::bigint`, String(after[0]));
  params.push(limit + 1);
  const r = await db.query<{
    id: string;
    actor_id: string | null;
    actor_name: string | null;
    action: string;
    target_type: string | null;
    target_id: string | null;
    data: Record<string, unknown>;
    created_at: Date;
  }>(
    `select l.id::text as id, l.actor_id, a.display_name as actor_name, l.action, l.target_type, l.target_id, l.data, l.created_at
     from audit_log l left join people a on a.tenant_id = l.tenant_id and a.id = l.actor_id
     where ${where.join(' and ')}
     order by l.id desc limit $${params.length}`,
    params,
  );
  const more = r.rows.length > limit;
  const rows = more ? r.rows.slice(0, limit) : r.rows;
  const last = rows[rows.length - 1];
  return {
    items: rows.map((x) => ({
      id: x.id,
      actor: x.actor_id ? { id: x.actor_id, displayName: x.actor_name ?? '' } : null,
      action: x.action,
      targetType: x.target_type,
      targetId: x.target_id,
      data: x.data ?? {},
      createdAt: x.created_at.toISOString(),
    })),
    nextCursor: more && last ? encodeCursor([last.id]) : null,
  };
}
