/** Microsoft 365 groups linked to communities, membership both ways, against the Graph simulator, on PGlite and PostgreSQL. */
import { createTestTenant, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { createGraphClient, staticTokenProvider, type GraphClient } from '../../core/src/graph/index.js';
import { syncDirectory } from '../../core/src/directory/index.js';
import { createCommunity } from '../../core/src/communities/index.js';
import { getGroupLink, linkGroup, pushGroupMemberships, syncLinkedGroups, unlinkGroup } from '../../core/src/groups/index.js';
import type { Viewer } from '../../core/src/policy/index.js';
import { startGraphSimulator, type GraphSimulator } from '../graph/simulator/index.js';

function makeClient(sim: GraphSimulator): GraphClient {
  return createGraphClient({ tokenProvider: staticTokenProvider('sim-token'), baseUrl: sim.url, tenantId: `sim-${Math.random()}`, sleep: async () => undefined });
}

for (const database of testDatabases()) {
  describe(`groups linked to communities (${database.name})`, () => {
    let db: Db;
    let sim: GraphSimulator;
    let client: GraphClient;
    let tenantId: string;

    beforeAll(async () => {
      db = await database.open();
    });
    afterAll(async () => {
      await db.close();
    });
    beforeEach(async () => {
      sim = await startGraphSimulator({ users: 100, seed: 11, groups: 4 });
      client = makeClient(sim);
      tenantId = await createTestTenant(db);
      await syncDirectory(db, client, tenantId, { pageSize: 50, skills: false, orgUnitCommunities: false });
    });
    afterEach(async () => {
      await sim.close();
    });

    const personOf = async (userIndex: number) =>
      (await db.query<{ id: string }>('select id from people where tenant_id = $1 and entra_oid = $2', [tenantId, sim.tenant.userIdOf(userIndex)])).rows[0]!.id;
    const viewerOf = async (userIndex: number, roles: string[] = []): Promise<Viewer> => ({ tenantId, personId: await personOf(userIndex), roles });
    const memberOids = async (communityId: string) =>
      (
        await db.query<{ oid: string }>(
          `select p.entra_oid as oid from memberships m join people p on p.tenant_id = m.tenant_id and p.id = m.person_id
           where m.tenant_id = $1 and m.community_id = $2 and m.state = 'active' order by 1`,
          [tenantId, communityId],
        )
      ).rows.map((r) => r.oid);
    const liveGroupMembers = (g: number, ownerIndex?: number) => {
      const ids = sim.tenant
        .members(g)
        .filter((i) => sim.tenant.user(i)!.accountEnabled)
        .map((i) => sim.tenant.userIdOf(i));
      if (ownerIndex !== undefined) ids.push(sim.tenant.userIdOf(ownerIndex));
      return [...new Set(ids)].sort();
    };

    test('a tenant admin links a group: its members join the community; changes in the group follow through /groups/delta', async () => {
      const admin = await viewerOf(50, ['admin']);
      const community = await createCommunity(db, admin, { name: 'Guild of makers', kind: 'interest', visibility: 'public' });
      const g = 1;
      const groupId = sim.tenant.groupIdOf(g);
      const link = await linkGroup(db, client, admin, community.id, { groupId, direction: 'from_group' });
      expect(link).toMatchObject({ communityId: community.id, groupId, direction: 'from_group', pendingChanges: 0 });
      expect(link.groupMembers).toBe(sim.tenant.members(g).length);
      // The admin (creator and owner) stays, the group's current employees join.
      expect(await memberOids(community.id)).toEqual([...new Set([...liveGroupMembers(g), sim.tenant.userIdOf(50)])].sort());
      const linked = await db.query('select linked_group_id from communities where tenant_id = $1 and id = $2', [tenantId, community.id]);
      expect(linked.rows[0]).toEqual({ linked_group_id: groupId });

      // First groups round (full), then a change in the group, then an incremental round.
      expect(await syncLinkedGroups(db, client, tenantId)).toMatchObject({ roundKind: 'full' });
      const joining = [...sim.tenant.userIndexes()].find((i) => !sim.tenant.isMember(g, i) && sim.tenant.user(i)!.accountEnabled && i !== 50)!;
      const leaving = sim.tenant.members(g).find((i) => sim.tenant.user(i)!.accountEnabled && i !== 50)!;
      sim.tenant.addMember(g, joining);
      sim.tenant.removeMember(g, leaving);
      const second = await syncLinkedGroups(db, client, tenantId);
      expect(second).toMatchObject({ roundKind: 'incremental', membersAdded: 1, membersRemoved: 1, pushed: 0 });
      const members = await memberOids(community.id);
      expect(members).toContain(sim.tenant.userIdOf(joining));
      expect(members).not.toContain(sim.tenant.userIdOf(leaving));
      expect(members).toContain(sim.tenant.userIdOf(50));

      // from_group: leaving the community does not touch the group.
      await db.query('delete from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [tenantId, community.id, await personOf(joining)]);
      expect(await pushGroupMemberships(db, client, tenantId)).toEqual({ done: 0, failed: 0 });
      expect(sim.tenant.isMember(g, joining)).toBe(true);
    });

    test('both ways: joining the community adds the person to the group, leaving removes them, once', async () => {
      const admin = await viewerOf(50, ['admin']);
      const community = await createCommunity(db, admin, { name: 'Project Atlas', kind: 'project', visibility: 'public' });
      const g = 2;
      const groupId = sim.tenant.groupIdOf(g);
      await linkGroup(db, client, admin, community.id, { groupId, direction: 'both' });
      // Linking does not send the group's own members back to it.
      expect((await getGroupLink(db, admin, community.id))!.pendingChanges).toBe(0);
      const newcomer = [...sim.tenant.userIndexes()].find((i) => !sim.tenant.isMember(g, i) && sim.tenant.user(i)!.accountEnabled && i !== 50)!;
      const leaver = sim.tenant.members(g).find((i) => sim.tenant.user(i)!.accountEnabled && i !== 50)!;
      await db.query(`insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'member', 'active')`, [
        tenantId,
        community.id,
        await personOf(newcomer),
      ]);
      await db.query('delete from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [tenantId, community.id, await personOf(leaver)]);
      expect((await getGroupLink(db, admin, community.id))!.pendingChanges).toBe(2);
      const result = await syncLinkedGroups(db, client, tenantId);
      expect(result).toMatchObject({ pushed: 2, pushFailed: 0 });
      expect(sim.tenant.isMember(g, newcomer)).toBe(true);
      expect(sim.tenant.isMember(g, leaver)).toBe(false);
      // Sent once: nothing left, and the next round does not undo the community's own change.
      expect(await pushGroupMemberships(db, client, tenantId)).toEqual({ done: 0, failed: 0 });
      await syncLinkedGroups(db, client, tenantId);
      const members = await memberOids(community.id);
      expect(members).toContain(sim.tenant.userIdOf(newcomer));
      expect(members).not.toContain(sim.tenant.userIdOf(leaver));
    });

    test('who may link: a community owner only for a group they own; unknown groups and double links are refused; unlink keeps members', async () => {
      const g = 3;
      const groupOwner = sim.tenant.owners(g)[0]!;
      const owner = await viewerOf(groupOwner);
      const community = await createCommunity(db, owner, { name: 'Owners club', kind: 'interest', visibility: 'private' });
      const other = await viewerOf(60);
      const otherCommunity = await createCommunity(db, other, { name: 'Not theirs', kind: 'interest', visibility: 'public' });
      // The owner of a community who does not own the group: refused, nothing saved.
      await expect(linkGroup(db, client, other, otherCommunity.id, { groupId: sim.tenant.groupIdOf(g), direction: 'both' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect(await getGroupLink(db, other, otherCommunity.id)).toBeNull();
      // Someone who is neither owner nor moderator of the community does not see its link.
      const plain = await viewerOf(61);
      await expect(getGroupLink(db, plain, community.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(linkGroup(db, client, owner, community.id, { groupId: '00000000-0000-0000-0000-000000000000', direction: 'both' })).rejects.toMatchObject({
        code: 'GROUP_NOT_FOUND',
      });
      await expect(linkGroup(db, client, owner, community.id, { groupId: 'not-a-guid', direction: 'both' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      const link = await linkGroup(db, client, owner, community.id, { groupId: sim.tenant.groupIdOf(g), direction: 'both' });
      expect(link.direction).toBe('both');
      // The same group to a second community: refused; the same link again changes its direction.
      const admin = await viewerOf(50, ['admin']);
      await expect(linkGroup(db, client, admin, otherCommunity.id, { groupId: sim.tenant.groupIdOf(g), direction: 'both' })).rejects.toMatchObject({
        code: 'GROUP_ALREADY_LINKED',
      });
      expect((await linkGroup(db, client, owner, community.id, { groupId: sim.tenant.groupIdOf(g), direction: 'from_group' })).direction).toBe('from_group');
      const before = await memberOids(community.id);
      await unlinkGroup(db, client, owner, community.id);
      expect(await getGroupLink(db, owner, community.id)).toBeNull();
      expect(await memberOids(community.id)).toEqual(before);
      await expect(unlinkGroup(db, client, owner, community.id)).rejects.toMatchObject({ code: 'GROUP_LINK_NOT_FOUND' });
    });
  });
}
