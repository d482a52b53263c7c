/**
 * Org-unit communities derived from the directory: one per department, and one per
 * manager subtree asked for, whose membership follows the org chart. Run after each
 * directory sync; running it twice changes nothing.
 */
import type { Db, Queryable } from '../store/db.js';
import { recordAudit } from './audit.js';
import { freeSlug, withSlugRetry } from './communities.js';
import type { OrgUnit } from './model.js';

export interface OrgUnitSyncOptions {
  /** Create a community for every department that has none yet (default true). */
  departments?: boolean;
  /** Managers (person ids) whose whole subtree gets a community if it has none yet. */
  managerSubtrees?: readonly string[];
}

export interface OrgUnitSyncReport {
  /** Org-unit communities whose membership was brought in line. */
  communities: number;
  created: number;
  /** Memberships added or activated, and removed. */
  added: number;
  removed: number;
}

interface OrgCommunity {
  id: string;
  org_unit: OrgUnit;
}

/** The current employees an org unit is made of. */
async function peopleOf(q: Queryable, tenantId: string, unit: OrgUnit): Promise<string[]> {
  if ('department' in unit) {
    const r = await q.query<{ id: string }>(
      'select id from people where tenant_id = $1 and department = $2 and not is_former_employee',
      [tenantId, unit.department],
    );
    return r.rows.map((x) => x.id);
  }
  // `union` (not `union all`) stops on a cycle in the manager chain.
  const r = await q.query<{ id: string }>(
    `with recursive tree(id) as (
       select id from people where tenant_id = $1 and id = $2
       union
       select p.id from people p join tree t on p.manager_id = t.id where p.tenant_id = $1)
     select t.id from tree t join people p on p.tenant_id = $1 and p.id = t.id where not p.is_former_employee`,
    [tenantId, unit.managerId],
  );
  return r.rows.map((x) => x.id);
}

/**
 * Creates the org-unit community of `unit` (public, official, audited as created by the
 * directory) unless it exists. Returns whether it created one.
 */
export async function createOrgUnitCommunity(db: Db, tenantId: string, name: string, unit: OrgUnit): Promise<boolean> {
  return withSlugRetry(() =>
    db.transaction(async (tx) => {
      const exists = await tx.query('select 1 from communities where tenant_id = $1 and kind = $2 and org_unit = $3::jsonb', [
        tenantId,
        'org_unit',
        JSON.stringify(unit),
      ]);
      if (exists.rowCount > 0) return false;
      const slug = await freeSlug(tx, tenantId, name);
      const r = await tx.query<{ id: string }>(
        `insert into communities (tenant_id, slug, name, kind, visibility, is_official, org_unit)
         values ($1, $2, $3, 'org_unit', 'public', true, $4) returning id`,
        [tenantId, slug, name, JSON.stringify(unit)],
      );
      await recordAudit(tx, {
        tenantId,
        actorId: null,
        action: 'community.create',
        targetType: 'community',
        targetId: r.rows[0]!.id,
        data: { name, kind: 'org_unit', orgUnit: unit, source: 'directory' },
      });
      return true;
    }),
  );
}

/**
 * Brings one org-unit community in line with the directory: people of the unit become
 * active members (and follow it); people who left the unit lose their membership, except
 * owners and moderators named by hand who are still employed; former employees always go.
 * Bans stay.
 */
async function syncMembers(db: Db, tenantId: string, c: OrgCommunity): Promise<{ added: number; removed: number }> {
  return db.transaction(async (tx) => {
    await tx.query('select 1 from communities where tenant_id = $1 and id = $2 for update', [tenantId, c.id]);
    const desired = await peopleOf(tx, tenantId, c.org_unit);
    const managerId = 'managerId' in c.org_unit ? c.org_unit.managerId : null;
    const added = await tx.query<{ person_id: string }>(
      `insert into memberships (tenant_id, community_id, person_id, role, state)
       select $1, $2, x, case when x = $4::uuid then 'owner' else 'member' end, 'active' from unnest($3::uuid[]) as x
       on conflict (tenant_id, community_id, person_id) do update set state = 'active', updated_at = now()
         where memberships.state in ('requested', 'invited')
       returning person_id`,
      [tenantId, c.id, desired, managerId],
    );
    const removed = await tx.query<{ person_id: string }>(
      `delete from memberships m using people p
       where m.tenant_id = $1 and m.community_id = $2 and p.tenant_id = m.tenant_id and p.id = m.person_id
         and not (m.person_id = any($3::uuid[]))
         and (p.is_former_employee
           or (m.state <> 'banned' and not (m.state = 'active' and m.role in ('owner', 'moderator'))))
       returning m.person_id`,
      [tenantId, c.id, desired],
    );
    const addedIds = added.rows.map((r) => r.person_id);
    const removedIds = removed.rows.map((r) => r.person_id);
    if (addedIds.length > 0) {
      await tx.query(
        `insert into follows (tenant_id, follower_id, target_type, target_id)
         select $1, x, 'community', $2 from unnest($3::uuid[]) as x on conflict do nothing`,
        [tenantId, c.id, addedIds],
      );
    }
    if (removedIds.length > 0) {
      await tx.query(
        `delete from follows where tenant_id = $1 and target_type = 'community' and target_id = $2 and follower_id = any($3::uuid[])`,
        [tenantId, c.id, removedIds],
      );
    }
    if (addedIds.length > 0 || removedIds.length > 0) {
      await recordAudit(tx, {
        tenantId,
        actorId: null,
        action: 'community.org_sync',
        targetType: 'community',
        targetId: c.id,
        data: { added: addedIds, removed: removedIds },
      });
    }
    return { added: addedIds.length, removed: removedIds.length };
  });
}

export async function syncOrgUnitCommunities(db: Db, tenantId: string, options: OrgUnitSyncOptions = {}): Promise<OrgUnitSyncReport> {
  let created = 0;
  const before = await db.query<{ n: number }>("select count(*)::int as n from communities where tenant_id = $1 and kind = 'org_unit'", [tenantId]);
  if (options.departments !== false) {
    const departments = await db.query<{ department: string }>(
      `select distinct department from people
       where tenant_id = $1 and not is_former_employee and department is not null and btrim(department) <> ''
       order by department`,
      [tenantId],
    );
    for (const { department } of departments.rows) await createOrgUnitCommunity(db, tenantId, department, { department });
  }
  for (const managerId of options.managerSubtrees ?? []) {
    const m = await db.query<{ display_name: string }>(
      'select display_name from people where tenant_id = $1 and id = $2 and not is_former_employee',
      [tenantId, managerId],
    );
    const name = m.rows[0]?.display_name;
    if (name) await createOrgUnitCommunity(db, tenantId, `Team of ${name}`, { managerId, subtree: true });
  }
  const all = await db.query<OrgCommunity>(
    "select id, org_unit from communities where tenant_id = $1 and kind = 'org_unit' and org_unit is not null order by id",
    [tenantId],
  );
  created = all.rowCount - Number(before.rows[0]?.n ?? 0);
  let added = 0;
  let removed = 0;
  for (const c of all.rows) {
    const r = await syncMembers(db, tenantId, c);
    added += r.added;
    removed += r.removed;
  }
  return { communities: all.rowCount, created, added, removed };
}
