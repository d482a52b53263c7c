/**
 * What the operator's `ruche` commands do about people: export and erase a person's data
 * (the governance functions of core, called as a tenant administrator), and grant the
 * tenant administrator role. The command line is trusted like the database it opens: it
 * acts as the operator of the installation, recorded in the audit log as OPERATOR_ACTOR_ID.
 */
import {
  type Db,
  type ErasureMode,
  type ErasureResult,
  type PersonalDataExport,
  type Queryable,
  type Viewer,
  RucheError,
  canOnPerson,
  erasePerson,
  exportPersonalData,
  isUuid,
  recordAudit,
} from '@ruche/core';

/** The actor of audit lines written by the operator's command line (no person of the organisation). */
export const OPERATOR_ACTOR_ID = '00000000-0000-0000-0000-000000000000';

/** The operator as a viewer: a tenant administrator of `tenantId` who is nobody in the directory. */
export function operatorViewer(tenantId: string): Viewer {
  return { tenantId, personId: OPERATOR_ACTOR_ID, roles: ['admin'] };
}

/** Checks that the organisation exists; returns its id in the stored (lower-case) form. */
export async function requireTenant(db: Queryable, tenantId: string): Promise<string> {
  const id = tenantId.trim().toLowerCase();
  if (!isUuid(id)) throw new RucheError('TENANT_NOT_FOUND', `"${tenantId}" is not a tenant id (a GUID)`);
  const r = await db.query<{ id: string }>('select id from tenants where id = $1', [id]);
  if (!r.rows[0]) throw new RucheError('TENANT_NOT_FOUND', `No organisation with tenant id ${id} in this database`);
  return id;
}

export interface PersonRef {
  id: string;
  upn: string;
  displayName: string;
  roles: string[];
  isFormerEmployee: boolean;
}

/**
 * Finds a person of the tenant by Ruche id, Entra object id or user principal name (the
 * UPN case-insensitively). A GUID is looked up as both ids: a Ruche id first.
 */
export async function findPerson(db: Queryable, tenantId: string, ref: string): Promise<PersonRef> {
  const key = ref.trim();
  if (key.length === 0) throw new RucheError('PERSON_NOT_FOUND', 'Give the person as an id, an Entra object id or a user principal name');
  const columns = 'id, upn, display_name, roles, is_former_employee';
  const r = isUuid(key)
    ? await db.query<{ id: string; upn: string; display_name: string; roles: string[]; is_former_employee: boolean }>(
        `select ${columns} from people where tenant_id = $1 and (id = $2 or entra_oid = $2) order by (id = $2) desc limit 1`,
        [tenantId, key.toLowerCase()],
      )
    : await db.query<{ id: string; upn: string; display_name: string; roles: string[]; is_former_employee: boolean }>(
        `select ${columns} from people where tenant_id = $1 and lower(upn) = lower($2)`,
        [tenantId, key],
      );
  const row = r.rows[0];
  if (!row) throw new RucheError('PERSON_NOT_FOUND', `No person "${key}" in organisation ${tenantId} (give an id, an Entra object id or a user principal name)`);
  return { id: row.id, upn: row.upn, displayName: row.display_name, roles: row.roles, isFormerEmployee: row.is_former_employee };
}

/** `ruche export-person`: everything Ruche holds about the person (core's export, audited). */
export async function exportPerson(db: Db, tenantId: string, ref: string): Promise<{ person: PersonRef; data: PersonalDataExport }> {
  const tenant = await requireTenant(db, tenantId);
  const person = await findPerson(db, tenant, ref);
  return { person, data: await exportPersonalData(db, operatorViewer(tenant), person.id) };
}

/** `ruche erase-person`: core's erasure (anonymise, or delete the person's content too). */
export async function erasePersonData(db: Db, tenantId: string, ref: string, mode: ErasureMode): Promise<{ person: PersonRef; result: ErasureResult }> {
  if (mode !== 'anonymise' && mode !== 'delete') throw new RucheError('VALIDATION_FAILED', '--mode is anonymise or delete');
  const tenant = await requireTenant(db, tenantId);
  const person = await findPerson(db, tenant, ref);
  return { person, result: await erasePerson(db, operatorViewer(tenant), person.id, { mode }) };
}

export interface TenantAdminGrant {
  person: PersonRef;
  /** False when the person already was a tenant administrator (nothing changed). */
  granted: boolean;
}

/**
 * `ruche create-tenant-admin`: adds 'admin' to the person's tenant-wide roles, the role
 * the policy reads (isTenantAdmin). Idempotent; refused for former employees; audited.
 */
export async function grantTenantAdmin(db: Db, tenantId: string, ref: string): Promise<TenantAdminGrant> {
  const tenant = await requireTenant(db, tenantId);
  const operator = operatorViewer(tenant);
  return db.transaction(async (tx) => {
    const person = await findPerson(tx, tenant, ref);
    if (!canOnPerson(operator, 'administer', { tenantId: tenant, personId: person.id })) throw new RucheError('FORBIDDEN');
    if (person.isFormerEmployee) {
      throw new RucheError('FORMER_EMPLOYEE', `${person.upn} is a former employee: a tenant administrator must be a current member of the organisation`);
    }
    const r = await tx.query<{ roles: string[] }>(
      `update people set roles = array_append(roles, 'admin'), updated_at = now()
       where tenant_id = $1 and id = $2 and not ('admin' = any(roles)) returning roles`,
      [tenant, person.id],
    );
    const updated = r.rows[0];
    if (!updated) return { person, granted: false };
    await recordAudit(tx, {
      tenantId: tenant,
      actorId: OPERATOR_ACTOR_ID,
      action: 'person.role_grant',
      targetType: 'person',
      targetId: person.id,
      data: { role: 'admin', via: 'cli' },
    });
    return { person: { ...person, roles: updated.roles }, granted: true };
  });
}
