/**
 * Microsoft 365 groups (and the teams built on them) linked to communities.
 *
 * - A link says which group feeds which community and in which direction: 'from_group'
 *   (the group's members become members of the community) or 'both' (also, joining the
 *   community adds the person to the group through Graph, leaving removes them).
 * - Group -> community: the members of linked groups are read once at link time, then kept
 *   up to date by /groups/delta with members (the delta link is stored, so a second round
 *   reads only changes). Only changes are applied: people who joined the community on their
 *   own stay; removed group members lose a plain membership (owners, moderators and bans stay).
 * - Community -> group: a trigger queues joins and leaves of communities linked both ways
 *   (group_membership_outbox); pushGroupMemberships sends them through $batch. Changes made
 *   by the group sync are not queued back (ruche.group_sync).
 */
import { randomUUID } from 'node:crypto';
import { factsOf, loadCommunityRow } from '../communities/model.js';
import { RucheError } from '../errors.js';
import type { GraphClient } from '../graph/index.js';
import { GraphErrorCodes, groupsDeltaQuery, isRucheGraphError, listGroupMemberIds, listGroupOwnerIds, toGroupChange, updateGroupMembers } from '../graph/index.js';
import { assertOnCommunity, canLinkGroup, canSeeGroupLink, type Viewer } from '../policy/index.js';
import type { Db, Queryable } from '../store/db.js';
import { claimSync, type SyncStateRow } from '../directory/sync-state.js';

export type GroupLinkDirection = 'from_group' | 'both';

export interface GroupLink {
  communityId: string;
  groupId: string;
  groupName: string | null;
  direction: GroupLinkDirection;
  linkedBy: string | null;
  createdAt: string;
  updatedAt: string;
  lastSyncedAt: string | null;
  /** Members of the group as last read from Graph. */
  groupMembers: number;
  /** Community changes still to send to the group (direction 'both'). */
  pendingChanges: number;
}

interface LinkRow {
  community_id: string;
  group_id: string;
  group_name: string | null;
  direction: GroupLinkDirection;
  linked_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  last_synced_at: Date | string | null;
  group_members: number;
  pending_changes: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

function toLink(r: LinkRow): GroupLink {
  return {
    communityId: r.community_id,
    groupId: r.group_id,
    groupName: r.group_name,
    direction: r.direction,
    linkedBy: r.linked_by,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    lastSyncedAt: iso(r.last_synced_at),
    groupMembers: Number(r.group_members),
    pendingChanges: Number(r.pending_changes),
  };
}

async function readLink(q: Queryable, tenantId: string, communityId: string): Promise<GroupLink | null> {
  const r = await q.query<LinkRow>(
    `select l.community_id, l.group_id, l.group_name, l.direction, l.linked_by, l.created_at, l.updated_at, l.last_synced_at,
       (select count(*)::int from linked_group_members g where g.tenant_id = l.tenant_id and g.group_id = l.group_id) as group_members,
       (select count(*)::int from group_membership_outbox o where o.tenant_id = l.tenant_id and o.group_id = l.group_id and o.state = 'pending')
         as pending_changes
     from community_group_links l where l.tenant_id = $1 and l.community_id = $2`,
    [tenantId, communityId],
  );
  return r.rows[0] ? toLink(r.rows[0]) : null;
}

async function viewerOid(q: Queryable, viewer: Viewer): Promise<string | null> {
  const r = await q.query<{ entra_oid: string | null }>('select entra_oid from people where tenant_id = $1 and id = $2', [viewer.tenantId, viewer.personId]);
  return r.rows[0]?.entra_oid ?? null;
}

/** True when Graph lists the person among the group's owners. */
async function isGroupOwner(graph: GraphClient, groupId: string, oid: string | null): Promise<boolean> {
  if (!oid) return false;
  return (await listGroupOwnerIds(graph, groupId)).some((id) => id.toLowerCase() === oid.toLowerCase());
}

async function loadFacts(db: Queryable, viewer: Viewer, communityRef: string) {
  const row = await loadCommunityRow(db, viewer, communityRef);
  const facts = row ? factsOf(row) : undefined;
  assertOnCommunity(viewer, 'see', facts);
  return { row: row!, facts: facts! };
}

/** Whether the viewer may link/unlink: asks Graph about group ownership only when the policy needs it. */
async function assertMayLink(db: Db, graph: GraphClient, viewer: Viewer, facts: ReturnType<typeof factsOf>, groupId: string): Promise<void> {
  if (canLinkGroup(viewer, facts, false)) return;
  if (canLinkGroup(viewer, facts, true) && (await isGroupOwner(graph, groupId, await viewerOid(db, viewer)))) return;
  throw new RucheError('FORBIDDEN', 'Only a tenant administrator, or an owner of both the community and the group, can link them');
}

/** The link of a community, or null (owners, moderators and tenant administrators). */
export async function getGroupLink(db: Db, viewer: Viewer, communityRef: string): Promise<GroupLink | null> {
  const { row, facts } = await loadFacts(db, viewer, communityRef);
  if (!canSeeGroupLink(viewer, facts)) throw new RucheError('FORBIDDEN', 'Only the owners and moderators of the community can see its group link');
  return readLink(db, viewer.tenantId, row.id);
}

/**
 * Links a group to a community (or changes the direction of the existing link to the same
 * group), then brings the group's current members into the community.
 */
export async function linkGroup(
  db: Db,
  graph: GraphClient,
  viewer: Viewer,
  communityRef: string,
  input: { groupId: string; direction: GroupLinkDirection },
): Promise<GroupLink> {
  if (!uuidPattern.test(input.groupId)) throw new RucheError('VALIDATION_FAILED', 'groupId must be the object id (a GUID) of a Microsoft 365 group');
  const groupId = input.groupId.toLowerCase();
  const { row, facts } = await loadFacts(db, viewer, communityRef);
  let group: { id?: unknown; displayName?: unknown };
  try {
    group = await graph.get(`/groups/${groupId}?$select=id,displayName,groupTypes`);
  } catch (error) {
    if (isRucheGraphError(error, GraphErrorCodes.NotFound)) throw new RucheError('GROUP_NOT_FOUND', 'Microsoft 365 has no group with this id');
    throw error;
  }
  await assertMayLink(db, graph, viewer, facts, groupId);
  const existing = await db.query<{ community_id: string; group_id: string }>(
    'select community_id, group_id from community_group_links where tenant_id = $1 and (community_id = $2 or group_id = $3)',
    [viewer.tenantId, row.id, groupId],
  );
  if (existing.rows.some((l) => l.community_id !== row.id || l.group_id !== groupId)) {
    throw new RucheError('GROUP_ALREADY_LINKED', 'The community is linked to another group, or the group to another community: unlink first');
  }
  const members = await listGroupMemberIds(graph, groupId);
  await db.transaction(async (tx) => {
    await tx.query(
      `insert into community_group_links (tenant_id, community_id, group_id, direction, group_name, linked_by)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (tenant_id, community_id) do update set direction = excluded.direction, group_name = excluded.group_name, updated_at = now()`,
      [viewer.tenantId, row.id, groupId, input.direction, typeof group.displayName === 'string' ? group.displayName : null, viewer.personId],
    );
    await tx.query('update communities set linked_group_id = $3 where tenant_id = $1 and id = $2 and linked_group_id is distinct from $3', [
      viewer.tenantId,
      row.id,
      groupId,
    ]);
    await tx.query('delete from linked_group_members where tenant_id = $1 and group_id = $2', [viewer.tenantId, groupId]);
    await applyGroupChanges(tx, viewer.tenantId, groupId, members.filter((id) => uuidPattern.test(id)), []);
    await tx.query('update community_group_links set last_synced_at = now() where tenant_id = $1 and group_id = $2', [viewer.tenantId, groupId]);
  });
  return (await readLink(db, viewer.tenantId, row.id))!;
}

/** Removes a community's link; memberships stay as they are. */
export async function unlinkGroup(db: Db, graph: GraphClient, viewer: Viewer, communityRef: string): Promise<void> {
  const { row, facts } = await loadFacts(db, viewer, communityRef);
  const link = await readLink(db, viewer.tenantId, row.id);
  if (!link) throw new RucheError('GROUP_LINK_NOT_FOUND', 'This community is not linked to a group');
  await assertMayLink(db, graph, viewer, facts, link.groupId);
  await db.transaction(async (tx) => {
    await tx.query('delete from community_group_links where tenant_id = $1 and community_id = $2', [viewer.tenantId, row.id]);
    await tx.query('delete from linked_group_members where tenant_id = $1 and group_id = $2', [viewer.tenantId, link.groupId]);
    await tx.query("delete from group_membership_outbox where tenant_id = $1 and group_id = $2 and state = 'pending'", [viewer.tenantId, link.groupId]);
    await tx.query('update communities set linked_group_id = null where tenant_id = $1 and id = $2 and linked_group_id = $3', [
      viewer.tenantId,
      row.id,
      link.groupId,
    ]);
  });
}

/**
 * Applies membership changes of one linked group: the mirror of the group's members, then
 * the community (added: active members who follow it; removed: plain memberships go).
 * Runs with ruche.group_sync on, so the outbox trigger does not send them back to Graph.
 */
async function applyGroupChanges(tx: Queryable, tenantId: string, groupId: string, added: readonly string[], removed: readonly string[]): Promise<void> {
  await tx.query("select set_config('ruche.group_sync', 'on', true)");
  if (added.length > 0) {
    await tx.query(
      `insert into linked_group_members (tenant_id, group_id, member_oid) select $1, $2, x from unnest($3::uuid[]) as x on conflict do nothing`,
      [tenantId, groupId, added],
    );
    await tx.query(
      `with wanted as (
         select l.community_id, p.id as person_id
         from community_group_links l
         join unnest($3::uuid[]) as x(oid) on true
         join people p on p.tenant_id = $1 and p.entra_oid = x.oid and not p.is_former_employee
         where l.tenant_id = $1 and l.group_id = $2),
       joined as (
         insert into memberships (tenant_id, community_id, person_id, role, state)
         select $1, w.community_id, w.person_id, 'member', 'active' from wanted w
         on conflict (tenant_id, community_id, person_id) do update set state = 'active', updated_at = now()
           where memberships.state in ('requested', 'invited')
         returning community_id, person_id)
       insert into follows (tenant_id, follower_id, target_type, target_id)
       select $1, j.person_id, 'community', j.community_id from joined j on conflict do nothing`,
      [tenantId, groupId, added],
    );
  }
  if (removed.length > 0) {
    await tx.query('delete from linked_group_members where tenant_id = $1 and group_id = $2 and member_oid = any($3::uuid[])', [tenantId, groupId, removed]);
    await tx.query(
      `with gone as (
         delete from memberships m using community_group_links l, people p, unnest($3::uuid[]) as x(oid)
         where l.tenant_id = $1 and l.group_id = $2 and m.tenant_id = $1 and m.community_id = l.community_id
           and p.tenant_id = $1 and p.entra_oid = x.oid and m.person_id = p.id
           and m.role = 'member' and m.state in ('active', 'requested', 'invited')
         returning m.community_id, m.person_id)
       delete from follows f using gone g
       where f.tenant_id = $1 and f.target_type = 'community' and f.target_id = g.community_id and f.follower_id = g.person_id`,
      [tenantId, groupId, removed],
    );
  }
  await tx.query("select set_config('ruche.group_sync', 'off', true)");
}

export interface GroupSyncResult {
  roundKind: 'full' | 'incremental';
  pages: number;
  /** Linked groups whose membership changed in this round. */
  groupsChanged: number;
  membersAdded: number;
  membersRemoved: number;
  /** Community changes sent to linked groups (direction 'both'). */
  pushed: number;
  pushFailed: number;
}

/**
 * One /groups/delta round with members for the tenant (only changes after the first round),
 * applied to linked groups; then the queued community changes are sent to Graph. A group
 * that disappeared keeps its link (and memberships) until someone unlinks it.
 */
export async function syncLinkedGroups(db: Db, graph: GraphClient, tenantId: string, options: { pageSize?: number; leaseSeconds?: number } = {}): Promise<GroupSyncResult> {
  const runId = randomUUID();
  const leaseSeconds = options.leaseSeconds ?? 120;
  let state: SyncStateRow = await claimSync(db, tenantId, 'groups', runId, leaseSeconds, undefined);
  const result: GroupSyncResult = { roundKind: state.delta_link ? 'incremental' : 'full', pages: 0, groupsChanged: 0, membersAdded: 0, membersRemoved: 0, pushed: 0, pushFailed: 0 };
  try {
    let link = state.next_link ?? state.delta_link ?? groupsDeltaQuery({ pageSize: options.pageSize ?? 999 });
    let deltaLink: string | undefined;
    for (let restarted = false; ; ) {
      try {
        for await (const page of graph.getAll<Record<string, unknown>>(link)) {
          result.pages++;
          const linked = await db.query<{ group_id: string }>('select group_id from community_group_links where tenant_id = $1', [tenantId]);
          const linkedIds = new Set(linked.rows.map((r) => r.group_id));
          await db.transaction(async (tx) => {
            for (const raw of page.value) {
              const change = toGroupChange(raw);
              const id = change.id.toLowerCase();
              if (!linkedIds.has(id) || change.removed) continue;
              const added = change.membersAdded.filter((m) => uuidPattern.test(m)).map((m) => m.toLowerCase());
              const removed = change.membersRemoved.filter((m) => uuidPattern.test(m)).map((m) => m.toLowerCase());
              if (added.length === 0 && removed.length === 0) continue;
              await applyGroupChanges(tx, tenantId, id, added, removed);
              await tx.query('update community_group_links set last_synced_at = now() where tenant_id = $1 and group_id = $2', [tenantId, id]);
              result.groupsChanged++;
              result.membersAdded += added.length;
              result.membersRemoved += removed.length;
            }
            const r = await tx.query<SyncStateRow>(
              `update directory_sync_state set next_link = $3, pages = pages + 1, done = done + $4, updated_at = now(),
                 lease_until = now() + make_interval(secs => $5)
               where tenant_id = $1 and resource = 'groups' and run_id = $2 returning *`,
              [tenantId, runId, page.nextLink ?? null, page.value.length, leaseSeconds],
            );
            if (!r.rows[0]) throw new RucheError('DIRECTORY_SYNC_RUNNING', 'Another run took over this group sync');
            state = r.rows[0];
          });
          if (page.deltaLink !== undefined) {
            deltaLink = page.deltaLink;
            break;
          }
        }
        break;
      } catch (error) {
        if (restarted || !isRucheGraphError(error, GraphErrorCodes.DeltaTokenExpired)) throw error;
        restarted = true;
        result.roundKind = 'full';
        link = groupsDeltaQuery({ pageSize: options.pageSize ?? 999 });
      }
    }
    if (deltaLink === undefined) throw new RucheError('DIRECTORY_SYNC_FAILED', 'Graph ended the groups delta round without a delta link');
    const pushed = await pushGroupMemberships(db, graph, tenantId);
    result.pushed = pushed.done;
    result.pushFailed = pushed.failed;
    await db.query(
      `update directory_sync_state set delta_link = $3, next_link = null, pending_delta_link = null, status = 'completed',
         finished_at = now(), last_completed_at = now(), updated_at = now(), lease_until = null
       where tenant_id = $1 and resource = 'groups' and run_id = $2`,
      [tenantId, runId, deltaLink],
    );
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db
      .query(
        `update directory_sync_state set status = 'failed', last_error = $3, finished_at = now(), updated_at = now(), lease_until = null
         where tenant_id = $1 and resource = 'groups' and run_id = $2`,
        [tenantId, runId, message.slice(0, 1000)],
      )
      .catch(() => undefined);
    throw error;
  }
}

/**
 * Sends queued joins and leaves of communities linked both ways to their groups ($batch,
 * 20 per request). "Already a member" and "not a member" count as done, so a change sent
 * twice after a crash is harmless. A change refused for good is marked failed after 5 tries.
 */
export async function pushGroupMemberships(db: Db, graph: GraphClient, tenantId: string, limit = 1000): Promise<{ done: number; failed: number }> {
  const pending = await db.query<{ id: string; group_id: string; member_oid: string; operation: 'add' | 'remove' }>(
    `select o.id::text, o.group_id, o.member_oid, o.operation from group_membership_outbox o
     where o.tenant_id = $1 and o.state = 'pending'
       and exists (select 1 from community_group_links l where l.tenant_id = o.tenant_id and l.group_id = o.group_id and l.direction = 'both')
     order by o.id limit $2`,
    [tenantId, limit],
  );
  // Only the last change of a person in a group matters.
  const last = new Map<string, (typeof pending.rows)[number]>();
  for (const row of pending.rows) last.set(`${row.group_id}/${row.member_oid}`, row);
  const byGroup = new Map<string, { add: string[]; remove: string[] }>();
  for (const row of last.values()) {
    const g = byGroup.get(row.group_id) ?? { add: [], remove: [] };
    (row.operation === 'add' ? g.add : g.remove).push(row.member_oid);
    byGroup.set(row.group_id, g);
  }
  let done = 0;
  let failed = 0;
  for (const [groupId, changes] of byGroup) {
    const results = await updateGroupMembers(graph, groupId, changes);
    const ok = results.filter((r) => r.ok).map((r) => r.memberId);
    const bad = results.filter((r) => !r.ok);
    await db.transaction(async (tx) => {
      const ids = pending.rows.filter((r) => r.group_id === groupId && ok.includes(r.member_oid)).map((r) => r.id);
      if (ids.length > 0) {
        await tx.query("update group_membership_outbox set state = 'done', done_at = now() where tenant_id = $1 and id = any($2::bigint[])", [tenantId, ids]);
      }
      if (changes.add.length > 0) {
        const added = changes.add.filter((oid) => ok.includes(oid));
        await tx.query('insert into linked_group_members (tenant_id, group_id, member_oid) select $1, $2, x from unnest($3::uuid[]) as x on conflict do nothing', [
          tenantId,
          groupId,
          added,
        ]);
      }
      const removed = changes.remove.filter((oid) => ok.includes(oid));
      if (removed.length > 0) {
        await tx.query('delete from linked_group_members where tenant_id = $1 and group_id = $2 and member_oid = any($3::uuid[])', [tenantId, groupId, removed]);
      }
      for (const r of bad) {
        await tx.query(
          `update group_membership_outbox set attempts = attempts + 1, last_error = $4,
             state = case when attempts + 1 >= 5 then 'failed' else 'pending' end
           where tenant_id = $1 and group_id = $2 and member_oid = $3 and state = 'pending'`,
          [tenantId, groupId, r.memberId, `Graph answered ${r.status}`],
        );
      }
    });
    done += ok.length;
    failed += bad.length;
  }
  return { done, failed };
}
