import type { Queryable } from '../store/db.js';

/** One line of the audit log: who did what to what, with the details that explain it. */
export interface AuditEntry {
  tenantId: string;
  /** Null for actions of the system itself (directory sync). */
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  data?: Record<string, unknown>;
}

/** Writes an audit line; call it inside the transaction of the action it records. */
export async function recordAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query(
    'insert into audit_log (tenant_id, actor_id, action, target_type, target_id, data) values ($1, $2, $3, $4, $5, $6)',
    [e.tenantId, e.actorId, e.action, e.targetType, e.targetId, JSON.stringify(e.data ?? {})],
  );
}
