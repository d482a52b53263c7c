import type { Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';

export interface Person {
  id: string;
  tenantId: string;
  entraOid: string | null;
  upn: string;
  mail: string | null;
  displayName: string;
  jobTitle: string | null;
  department: string | null;
  office: string | null;
  country: string | null;
  preferredLanguage: string | null;
  managerId: string | null;
  roles: string[];
  isFormerEmployee: boolean;
}

interface PersonRow {
  id: string;
  tenant_id: string;
  entra_oid: string | null;
  upn: string;
  mail: string | null;
  display_name: string;
  job_title: string | null;
  department: string | null;
  office: string | null;
  country: string | null;
  preferred_language: string | null;
  manager_id: string | null;
  roles: string[];
  is_former_employee: boolean;
}

const personColumns = `id, tenant_id, entra_oid, upn, mail, display_name, job_title, department, office,
  country, preferred_language, manager_id, roles, is_former_employee`;

function toPerson(r: PersonRow): Person {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    entraOid: r.entra_oid,
    upn: r.upn,
    mail: r.mail,
    displayName: r.display_name,
    jobTitle: r.job_title,
    department: r.department,
    office: r.office,
    country: r.country,
    preferredLanguage: r.preferred_language,
    managerId: r.manager_id,
    roles: r.roles,
    isFormerEmployee: r.is_former_employee,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

export async function getPerson(db: Queryable, tenantId: string, personId: string): Promise<Person | undefined> {
  if (!isUuid(personId)) return undefined;
  const r = await db.query<PersonRow>(`select ${personColumns} from people where tenant_id = $1 and id = $2`, [
    tenantId,
    personId,
  ]);
  return r.rows[0] ? toPerson(r.rows[0]) : undefined;
}

/** Finds a person by Ruche id or by user principal name (case-insensitive). */
export async function findPersonByIdOrUpn(db: Queryable, tenantId: string, idOrUpn: string): Promise<Person | undefined> {
  const r = isUuid(idOrUpn)
    ? await db.query<PersonRow>(`select ${personColumns} from people where tenant_id = $1 and id = $2`, [tenantId, idOrUpn])
    : await db.query<PersonRow>(`select ${personColumns} from people where tenant_id = $1 and lower(upn) = lower($2)`, [
        tenantId,
        idOrUpn,
      ]);
  return r.rows[0] ? toPerson(r.rows[0]) : undefined;
}

/** The claims of a validated Entra ID access token that name a person. */
export interface IdentityClaims {
  tenantId: string;
  objectId: string;
  upn?: string;
  name?: string;
  preferredLanguage?: string;
}

/**
 * Maps a validated token to a person by tenant and Entra object id. A valid user Ruche does
 * not know yet (directory sync has not run, or they joined since) is created just in time
 * from the claims, as is their tenant.
 */
export async function findOrCreatePersonFromClaims(db: Queryable, claims: IdentityClaims): Promise<Person> {
  const existing = await db.query<PersonRow>(
    `select ${personColumns} from people where tenant_id = $1 and entra_oid = $2`,
    [claims.tenantId, claims.objectId],
  );
  if (existing.rows[0]) return toPerson(existing.rows[0]);

  await db.query('insert into tenants (id, name) values ($1, $2) on conflict (id) do nothing', [
    claims.tenantId,
    'Organisation',
  ]);
  let upn = claims.upn ?? `${claims.objectId}@unknown.invalid`;
  if (claims.upn) {
    // The directory (or a CSV import) may know this UPN already, as directory sync does:
    // a person without an Entra object id is this one; a former employee's UPN given to a
    // newcomer is freed; a current colleague holding it under another object id (the directory
    // not synchronised since) keeps it, and the newcomer gets a placeholder until the next sync.
    const holder = await db.query<{ id: string; entra_oid: string | null; is_former_employee: boolean }>(
      'select id, entra_oid, is_former_employee from people where tenant_id = $1 and lower(upn) = lower($2) limit 1',
      [claims.tenantId, claims.upn],
    );
    const h = holder.rows[0];
    if (h && h.entra_oid === null) {
      const adopted = await db.query<PersonRow>(
        `update people set entra_oid = $3, updated_at = now() where tenant_id = $1 and id = $2 and entra_oid is null
         returning ${personColumns}`,
        [claims.tenantId, h.id, claims.objectId],
      );
      if (adopted.rows[0]) return toPerson(adopted.rows[0]);
    } else if (h && h.is_former_employee) {
      await db.query(`update people set upn = upn || '#former-' || id where tenant_id = $1 and id = $2`, [claims.tenantId, h.id]);
    } else if (h) {
      upn = `${claims.objectId}@unknown.invalid`;
    }
  }
  const inserted = await db.query<PersonRow>(
    `insert into people (tenant_id, entra_oid, upn, display_name, preferred_language)
     values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, entra_oid) where entra_oid is not null do update set updated_at = people.updated_at
     returning ${personColumns}`,
    [claims.tenantId, claims.objectId, upn, claims.name ?? upn, claims.preferredLanguage ?? null],
  );
  const row = inserted.rows[0];
  if (!row) throw new RucheError('PERSON_NOT_FOUND');
  return toPerson(row);
}

export interface SignInCandidate {
  id: string;
  upn: string;
  displayName: string;
  jobTitle: string | null;
  department: string | null;
}

/** People offered by the local "sign in as" page: current employees, by department then name. */
export async function listSignInCandidates(db: Queryable, tenantId: string, limit = 1000): Promise<SignInCandidate[]> {
  const r = await db.query<{ id: string; upn: string; display_name: string; job_title: string | null; department: string | null }>(
    `select id, upn, display_name, job_title, department from people
     where tenant_id = $1 and not is_former_employee
     order by ('admin' = any(roles)) desc, department nulls first, display_name
     limit $2`,
    [tenantId, limit],
  );
  return r.rows.map((x) => ({ id: x.id, upn: x.upn, displayName: x.display_name, jobTitle: x.job_title, department: x.department }));
}
