/**
 * Writes directory people in batches: one statement per step for a whole page, every column
 * passed as one array parameter and expanded by unnest(). Idempotent: writing the same page
 * twice leaves the same rows, which is what makes a resumed sync lose nothing.
 */
import { arrayLiteral } from '../store/array-literal.js';
import type { Queryable } from '../store/db.js';

/** Bits of DirectoryPersonRow.mask: which properties the source reported (absent = unchanged). */
export const PersonField = {
  upn: 1,
  mail: 2,
  displayName: 4,
  givenName: 8,
  surname: 16,
  jobTitle: 32,
  department: 64,
  office: 128,
  country: 256,
  preferredLanguage: 512,
  manager: 1024,
} as const;

export interface DirectoryPersonRow {
  /** Entra object id (Graph) — or null for a CSV row, matched by UPN. */
  entraOid: string | null;
  mask: number;
  /** The source removed the person (deleted from the directory). */
  removed: boolean;
  /** true: former employee; false: current; null: not reported in this change. */
  former: boolean | null;
  upn: string | null;
  mail: string | null;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  department: string | null;
  office: string | null;
  country: string | null;
  preferredLanguage: string | null;
  /** Manager's Entra object id (Graph) or UPN (CSV); null = no manager. */
  managerRef: string | null;
}

/** The rows as one array literal per column (see store/array-literal.ts), made once for every statement of the page. */
function columns(rows: readonly DirectoryPersonRow[]): string[] {
  return [
    arrayLiteral(rows.map((r) => r.entraOid)),
    arrayLiteral(rows.map((r) => r.mask)),
    arrayLiteral(rows.map((r) => r.removed)),
    arrayLiteral(rows.map((r) => r.former)),
    arrayLiteral(rows.map((r) => r.upn)),
    arrayLiteral(rows.map((r) => r.mail)),
    arrayLiteral(rows.map((r) => r.displayName)),
    arrayLiteral(rows.map((r) => r.givenName)),
    arrayLiteral(rows.map((r) => r.surname)),
    arrayLiteral(rows.map((r) => r.jobTitle)),
    arrayLiteral(rows.map((r) => r.department)),
    arrayLiteral(rows.map((r) => r.office)),
    arrayLiteral(rows.map((r) => r.country)),
    arrayLiteral(rows.map((r) => r.preferredLanguage)),
    arrayLiteral(rows.map((r) => r.managerRef)),
  ];
}

const source = `unnest($2::uuid[], $3::int4[], $4::bool[], $5::bool[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
    $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
  as x(oid, mask, removed, former, upn, mail, display_name, given_name, surname, job_title, department, office, country,
    preferred_language, manager_ref)`;

const setColumns = (managerColumn: 'manager_entra_oid' | 'manager_upn', managerCast: string) => `
    upn = case when x.mask & 1 <> 0 and x.upn is not null then x.upn else p.upn end,
    mail = case when x.mask & 2 <> 0 then x.mail else p.mail end,
    display_name = case when x.mask & 4 <> 0 and x.display_name is not null then x.display_name else p.display_name end,
    given_name = case when x.mask & 8 <> 0 then x.given_name else p.given_name end,
    surname = case when x.mask & 16 <> 0 then x.surname else p.surname end,
    job_title = case when x.mask & 32 <> 0 then x.job_title else p.job_title end,
    department = case when x.mask & 64 <> 0 then x.department else p.department end,
    office = case when x.mask & 128 <> 0 then x.office else p.office end,
    country = case when x.mask & 256 <> 0 then x.country else p.country end,
    preferred_language = case when x.mask & 512 <> 0 then x.preferred_language else p.preferred_language end,
    ${managerColumn} = case when x.mask & 1024 <> 0 then x.manager_ref${managerCast} else p.${managerColumn} end,
    is_former_employee = coalesce(x.former, p.is_former_employee),
    updated_at = now()`;

export interface WriteSummary {
  inserted: number;
  updated: number;
}

/**
 * Upserts a page of Graph users by Entra object id. A person already known by UPN without an
 * object id (CSV import, demo) is adopted. Removed users never known are not created.
 * The page's people (and their managers) are looked up as `entra_oid = any(array)`, an index
 * scan whatever the statistics: a join with the unnest() rows lets the planner hash the
 * tenant's whole people table for each page once it believes the page is a large share of it,
 * and a round becomes quadratic.
 * A new person whose manager is already stored gets manager_id at once: one row version
 * instead of two, so every people index (the trigram ones too) is written once; the others
 * wait for resolveManagers.
 */
export async function writeGraphPeople(tx: Queryable, tenantId: string, rows: readonly DirectoryPersonRow[]): Promise<WriteSummary> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const params = [tenantId, ...columns(rows)];
  // One lookup by UPN serves two cases. A former employee's UPN given to a newcomer: the former
  // keeps their row under a freed UPN. A person known by UPN without an object id (CSV import,
  // demo) is adopted, unless Ruche knows the object id already. The lookup goes person by
  // person through the (tenant, lower(upn)) index (LATERAL ... limit 1, the index is unique):
  // with few matches expected, a planner left to itself scans every person of the tenant for
  // each page. The two updates touch different people (a former employee whose UPN is taken
  // is never adopted).
  await tx.query(
    `with hit as (
       select x.oid, x.removed, q.id, q.entra_oid, q.is_former_employee from ${source}
       cross join lateral (
         select p.id, p.entra_oid, p.is_former_employee from people p where p.tenant_id = $1 and lower(p.upn) = lower(x.upn) limit 1) q
       where x.upn is not null),
     freed as (
       update people p set upn = p.upn || '#former-' || p.id from hit
       where p.tenant_id = $1 and p.id = hit.id and not hit.removed and hit.is_former_employee and hit.entra_oid is distinct from hit.oid)
     update people p set entra_oid = hit.oid from hit
     where p.tenant_id = $1 and p.id = hit.id and hit.entra_oid is null and not (hit.is_former_employee and not hit.removed)
       and not exists (select 1 from people o where o.tenant_id = $1 and o.entra_oid = hit.oid)`,
    params,
  );
  // One statement: the people Ruche knows by object id are updated, the others inserted (the
  // insert waits for the update's rows, so a UPN an update frees can go to a newcomer).
  const r = await tx.query<{ updated: number; inserted: number }>(
    `with updated as (
       update people p set ${setColumns('manager_entra_oid', '::uuid')}, directory_source = 'graph',
         directory_removed_at = case when x.removed then coalesce(p.directory_removed_at, now()) end
       from ${source}
       where p.tenant_id = $1 and p.entra_oid = any($2::uuid[]) and p.entra_oid = x.oid
       returning p.entra_oid),
     managers as (
       select id, entra_oid from people where tenant_id = $1 and entra_oid = any($16::uuid[]) and directory_removed_at is null),
     inserted as (
       insert into people (tenant_id, entra_oid, upn, mail, display_name, given_name, surname, job_title, department, office,
         country, preferred_language, manager_entra_oid, manager_id, is_former_employee, directory_source)
       select $1, x.oid, coalesce(x.upn, x.oid::text || '@unknown.invalid'), x.mail, coalesce(x.display_name, x.upn, x.oid::text),
         x.given_name, x.surname, x.job_title, x.department, x.office, x.country, x.preferred_language, x.manager_ref::uuid,
         m.id, coalesce(x.former, false), 'graph'
       from ${source}
       left join managers m on m.entra_oid = x.manager_ref::uuid
       where not x.removed and not exists (select 1 from updated u where u.entra_oid = x.oid)
       on conflict (tenant_id, entra_oid) where entra_oid is not null do nothing
       returning 1)
     select (select count(*) from updated)::int as updated, (select count(*) from inserted)::int as inserted`,
    params,
  );
  return { inserted: r.rows[0]!.inserted, updated: r.rows[0]!.updated };
}

/** Upserts CSV rows by UPN (case-insensitive). */
export async function writeCsvPeople(tx: Queryable, tenantId: string, rows: readonly DirectoryPersonRow[]): Promise<WriteSummary> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const params = [tenantId, ...columns(rows)];
  const updated = await tx.query(
    `update people p set ${setColumns('manager_upn', '')},
       directory_source = coalesce(p.directory_source, 'csv')
     from ${source}
     where p.tenant_id = $1 and lower(p.upn) = lower(x.upn)`,
    params,
  );
  const inserted = await tx.query(
    `insert into people (tenant_id, upn, mail, display_name, given_name, surname, job_title, department, office, country,
       preferred_language, manager_upn, is_former_employee, directory_source)
     select $1, x.upn, x.mail, coalesce(x.display_name, x.upn), x.given_name, x.surname, x.job_title, x.department, x.office,
       x.country, x.preferred_language, x.manager_ref, coalesce(x.former, false), 'csv'
     from ${source}
     where not exists (select 1 from people p where p.tenant_id = $1 and lower(p.upn) = lower(x.upn))
     on conflict do nothing`,
    params,
  );
  return { inserted: inserted.rowCount, updated: updated.rowCount };
}

/**
 * Second pass, once every person exists: manager references become manager_id. Set-based
 * over the tenant, so it is cheap to run after every round and idempotent. Returns the
 * number of people whose manager changed.
 */
export async function resolveManagers(db: Queryable, tenantId: string, by: 'graph' | 'csv'): Promise<number> {
  const refColumn = by === 'graph' ? 'manager_entra_oid' : 'manager_upn';
  // A person removed from the directory is nobody's manager any more (Entra drops the link).
  const match = by === 'graph' ? 'm.entra_oid = p.manager_entra_oid and m.directory_removed_at is null' : 'lower(m.upn) = lower(p.manager_upn)';
  const set = await db.query(
    `update people p set manager_id = m.id, updated_at = now()
     from people m
     where p.tenant_id = $1 and m.tenant_id = $1 and p.directory_source = $2 and p.${refColumn} is not null
       and ${match} and m.id <> p.id and p.manager_id is distinct from m.id`,
    [tenantId, by],
  );
  // No manager reported, or one Ruche does not know (outside the synced scope): none.
  const cleared = await db.query(
    `update people p set manager_id = null, updated_at = now()
     where p.tenant_id = $1 and p.directory_source = $2 and p.manager_id is not null
       and (p.${refColumn} is null or not exists (
         select 1 from people m where m.tenant_id = $1 and m.id = p.manager_id and ${match}))`,
    [tenantId, by],
  );
  return set.rowCount + cleared.rowCount;
}
