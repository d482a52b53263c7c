/**
 * Org-unit communities after a directory sync or CSV import, computed set-wise: the same
 * rules as the communities module's syncOrgUnitCommunities (one community per department,
 * one per manager subtree asked for; people of the unit become active members and follow
 * it; people who left lose their membership except owners and moderators named by hand who
 * are still employed; former employees always go; bans stay), but each community's
 * membership is brought in line by one statement: a department by a join, a subtree by one
 * recursive walk down the manager chain, the people who left by an anti-join. At 100,000
 * people this replaces arrays of member ids compared element by element.
 */
import { createOrgUnitCommunity, type OrgUnitSyncOptions, type OrgUnitSyncReport } from '../communities/index.js';
import type { Db } from '../store/db.js';

/**
 * The wanted membership of every org-unit community of the tenant: (community_id, person_id,
 * role). `union` (not `union all`) in the walk stops on a cycle in the manager chain.
 */
const desiredSql = `
  units as (
    select id, org_unit from communities where tenant_id = $1 and id = $2 and kind = 'org_unit' and org_unit is not null),
  tree(community_id, manager_id, person_id) as (
    select u.id, (u.org_unit ->> 'managerId')::uuid, p.id
    from units u join people p on p.tenant_id = $1 and p.id = (u.org_unit ->> 'managerId')::uuid
    where u.org_unit ? 'managerId'
    union
    select t.community_id, t.manager_id, p.id from tree t join people p on p.tenant_id = $1 and p.manager_id = t.person_id),
  desired(community_id, person_id, role) as (
    select u.id, p.id, 'member'
    from units u join people p on p.tenant_id = $1 and p.department = u.org_unit ->> 'department' and not p.is_former_employee
    where u.org_unit ? 'department'
    union all
    select t.community_id, t.person_id, case when t.person_id = t.manager_id then 'owner' else 'member' end
    from tree t join people p on p.tenant_id = $1 and p.id = t.person_id
    where not p.is_former_employee)`;

/** Creates the missing org-unit communities, then brings each one's membership in line with one statement. */
export async function syncOrgUnitMemberships(db: Db, tenantId: string, options: OrgUnitSyncOptions = {}): Promise<OrgUnitSyncReport> {
  let created = 0;
  if (options.departments !== false) {
    const departments = await db.query<{ department: string }>(
      `select distinct department from people
       where tenant_id = $1 and not is_former_employee and department is not null and btrim(department) <> ''
       order by department`,
      [tenantId],
    );
    for (const { department } of departments.rows) if (await createOrgUnitCommunity(db, tenantId, department, { department })) created++;
  }
  for (const managerId of options.managerSubtrees ?? []) {
    const m = await db.query<{ display_name: string }>(
      'select display_name from people where tenant_id = $1 and id = $2 and not is_former_employee',
      [tenantId, managerId],
    );
    const name = m.rows[0]?.display_name;
    if (name && (await createOrgUnitCommunity(db, tenantId, `Team of ${name}`, { managerId, subtree: true }))) created++;
  }
  // One transaction per community, as a membership change takes: the embedded database's
  // memory grows with the largest statement, so a tenant is not done in one. On PostgreSQL two
  // communities are brought in line at a time (different rows, no lock between them), so the
  // server's cores share the work; the embedded database has one connection anyway.
  const units = await db.query<{ id: string }>(
    "select id from communities where tenant_id = $1 and kind = 'org_unit' and org_unit is not null order by id",
    [tenantId],
  );
  let added = 0;
  let removed = 0;
  const syncUnit = async (id: string) => {
    const r = await db.transaction(async (tx) => {
      await tx.query('select 1 from communities where tenant_id = $1 and id = $2 for update', [tenantId, id]);
      return tx.query<{ added: number; removed: number }>(
        `with recursive ${desiredSql},
         added as (
           insert into memberships (tenant_id, community_id, person_id, role, state)
           select $1, d.community_id, d.person_id, d.role, 'active' from desired d
           on conflict (tenant_id, community_id, person_id) do update set state = 'active', updated_at = now()
             where memberships.state in ('requested', 'invited')
           returning community_id, person_id),
         removed as (
           delete from memberships m using units u, people p
           where m.tenant_id = $1 and m.community_id = u.id and p.tenant_id = $1 and p.id = m.person_id
             and not exists (select 1 from desired d where d.community_id = m.community_id and d.person_id = m.person_id)
             and (p.is_former_employee or (m.state <> 'banned' and not (m.state = 'active' and m.role in ('owner', 'moderator'))))
           returning m.community_id, m.person_id),
         followed as (
           insert into follows (tenant_id, follower_id, target_type, target_id)
           select $1, a.person_id, 'community', a.community_id from added a
           on conflict do nothing),
         unfollowed as (
           delete from follows f using removed r
           where f.tenant_id = $1 and f.target_type = 'community' and f.target_id = r.community_id and f.follower_id = r.person_id),
         changes as (
           select community_id, person_id, true as is_added from added
           union all
           select community_id, person_id, false from removed),
         audited as (
           insert into audit_log (tenant_id, actor_id, action, target_type, target_id, data)
           select $1, null, 'community.org_sync', 'community', c.community_id::text,
             jsonb_build_object(
               'added', coalesce(jsonb_agg(c.person_id) filter (where c.is_added), '[]'::jsonb),
               'removed', coalesce(jsonb_agg(c.person_id) filter (where not c.is_added), '[]'::jsonb))
           from changes c group by c.community_id)
         select (select count(*) from added)::int as added, (select count(*) from removed)::int as removed`,
        [tenantId, id],
      );
    });
    added += r.rows[0]!.added;
    removed += r.rows[0]!.removed;
  };
  const queue = units.rows.map((row) => row.id);
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) await syncUnit(id);
  };
  await Promise.all(Array.from({ length: db.kind === 'postgres' ? 2 : 1 }, worker));
  return { communities: units.rowCount, created, added, removed };
}
