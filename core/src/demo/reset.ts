/** Removing a demo tenant, and telling whether one is loaded. */
import type { Db, Queryable } from '../store/db.js';

/**
 * Tables in an order where every table comes before those it references. Tables added by
 * later migrations are found in the catalogue and emptied first.
 */
const ORDER = [
  'notifications', 'idempotency_keys', 'audit_log', 'acknowledgements', 'endorsements', 'kudos_recipients', 'kudos',
  'reactions', 'mentions', 'post_topics', 'follows', 'comments', 'posts', 'memberships', 'communities', 'person_skills',
  'topics', 'people',
];

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Deletes every row of the tenant, in every table, then the tenant itself, so the
 * generator can run again. When the session may skip triggers (a superuser, as in the
 * embedded database), foreign-key checks are skipped for the duration of the transaction:
 * all rows of the tenant go, so nothing can be left dangling, and row-by-row checks on
 * millions of rows are avoided.
 */
export async function resetDemo(db: Db, tenantId: string): Promise<void> {
  const tables = await db.query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema() and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
      order by c.table_name`,
  );
  const present = new Set(tables.rows.map((r) => r.table_name));
  const known = ORDER.filter((t) => present.has(t));
  const others = [...present].filter((t) => !ORDER.includes(t));
  await db.transaction(async (tx) => {
    const su = await tx.query<{ su: string }>("select current_setting('is_superuser') as su");
    if (su.rows[0]?.su === 'on') await tx.query("set local session_replication_role = 'replica'");
    else await clearCycles(tx, tenantId, present);
    for (const table of [...others, ...known]) {
      await tx.query(`delete from ${quoteIdent(table)} where tenant_id = $1`, [tenantId]);
    }
    await tx.query('delete from tenants where id = $1', [tenantId]);
  });
}

/** Breaks the references between rows of the same tables (posts and comments, managers). */
async function clearCycles(tx: Queryable, tenantId: string, present: Set<string>): Promise<void> {
  if (present.has('posts')) {
    await tx.query('update posts set accepted_comment_id = null where tenant_id = $1 and accepted_comment_id is not null', [tenantId]);
  }
  if (present.has('comments')) {
    await tx.query('update comments set parent_id = null where tenant_id = $1 and parent_id is not null', [tenantId]);
  }
  if (present.has('people')) {
    await tx.query('update people set manager_id = null where tenant_id = $1 and manager_id is not null', [tenantId]);
  }
}

/** True when the tenant holds a completely generated demo. */
export async function isDemoLoaded(db: Db, tenantId: string): Promise<boolean> {
  const r = await db.query<{ loaded: boolean }>(
    `select coalesce(t.settings #>> '{demo,status}' = 'loaded', false)
            and exists (select 1 from people p where p.tenant_id = t.id) as loaded
       from tenants t where t.id = $1`,
    [tenantId],
  );
  return r.rows[0]?.loaded ?? false;
}
