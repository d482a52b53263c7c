/**
 * The audience of an announcement, resolved from its targets, the directory and the
 * memberships each time it is needed, so that it follows the org chart as it changes.
 * Two forms that encode the same rule (the tests check they agree):
 * - audienceSql: the people an announcement is for (reports, requests, reminders);
 * - sqlAnnouncementsTargeting: the announcements a person is in the audience of (their
 *   "to acknowledge" list, the home feed).
 *
 * Rules: current employees only (not former employees); organisation = everyone;
 * department = people.department equal to the target's (exact, as org-unit communities);
 * manager = the manager and their direct reports, or with subtree the manager and everyone
 * under them; community = its active members.
 */

/**
 * SQL selecting `id` of the people in the audience of announcement `post` (placeholders or
 * expressions of the tenant id and the post id).
 */
export function audienceSql(tenant: string, post: string): string {
  return `with recursive aud_t as (
      select kind, department, manager_id, subtree, community_id from announcement_targets
      where tenant_id = ${tenant} and post_id = ${post}),
    aud_sub(id) as (
      select manager_id from aud_t where kind = 'manager' and subtree
      union
      select p.id from people p join aud_sub s on p.manager_id = s.id where p.tenant_id = ${tenant})
    select ap.id from people ap
    where ap.tenant_id = ${tenant} and not ap.is_former_employee and (
      exists (select 1 from aud_t where aud_t.kind = 'organisation')
      or ap.department in (select aud_t.department from aud_t where aud_t.kind = 'department')
      or ap.id in (select aud_sub.id from aud_sub)
      or exists (select 1 from aud_t where aud_t.kind = 'manager' and not aud_t.subtree
                   and (ap.id = aud_t.manager_id or ap.manager_id = aud_t.manager_id))
      or exists (select 1 from aud_t join memberships am on am.community_id = aud_t.community_id
                 where aud_t.kind = 'community' and am.tenant_id = ${tenant} and am.person_id = ap.id and am.state = 'active'))`;
}

/** SQL selecting `post_id` of the announcements whose audience includes person `person`. */
export function sqlAnnouncementsTargeting(tenant: string, person: string): string {
  return `with recursive tg_me as (
      select id, department, manager_id from people where tenant_id = ${tenant} and id = ${person} and not is_former_employee),
    tg_chain(id) as (
      select manager_id from tg_me where manager_id is not null
      union
      select p.manager_id from people p join tg_chain c on p.id = c.id where p.tenant_id = ${tenant} and p.manager_id is not null)
    select distinct t.post_id from announcement_targets t cross join tg_me
    where t.tenant_id = ${tenant} and (
      t.kind = 'organisation'
      or (t.kind = 'department' and t.department = tg_me.department)
      or (t.kind = 'manager' and (t.manager_id = tg_me.id or t.manager_id = tg_me.manager_id
                                  or (t.subtree and t.manager_id in (select tg_chain.id from tg_chain))))
      or (t.kind = 'community' and exists (
            select 1 from memberships m where m.tenant_id = ${tenant} and m.community_id = t.community_id
              and m.person_id = tg_me.id and m.state = 'active')))`;
}
