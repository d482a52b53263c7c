import { createTestTenant, testDatabases } from '../testing/databases.js';
import type { Db } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { syncOrgUnitCommunities } from './org-units.js';
import { createCommunity, joinCommunity, leaveCommunity, listMembers } from './index.js';

describe.each(testDatabases())('org-unit communities follow the directory on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  async function person(tenant: string, name: string, department: string | null, managerId: string | null = null, roles: string[] = []) {
    const r = await db.query<{ id: string }>(
      'insert into people (tenant_id, upn, display_name, department, manager_id, roles) values ($1, $2, $3, $4, $5, $6) returning id',
      [tenant, `${name}@org.test`, name, department, managerId, roles],
    );
    return r.rows[0]!.id;
  }
  const membersOf = async (tenant: string, communityId: string) =>
    (
      await db.query<{ display_name: string; role: string; state: string }>(
        `select p.display_name, m.role, m.state from memberships m join people p on p.tenant_id = m.tenant_id and p.id = m.person_id
         where m.tenant_id = $1 and m.community_id = $2 order by p.display_name`,
        [tenant, communityId],
      )
    ).rows.map((r) => `${r.display_name}:${r.role}:${r.state}`);
  const communityOf = async (tenant: string, orgUnit: object) =>
    (await db.query<{ id: string; name: string; slug: string; is_official: boolean }>(
      "select id, name, slug, is_official from communities where tenant_id = $1 and kind = 'org_unit' and org_unit = $2::jsonb",
      [tenant, JSON.stringify(orgUnit)],
    )).rows[0]!;
  const followers = async (tenant: string, communityId: string) =>
    (
      await db.query<{ display_name: string }>(
        `select p.display_name from follows f join people p on p.tenant_id = f.tenant_id and p.id = f.follower_id
         where f.tenant_id = $1 and f.target_type = 'community' and f.target_id = $2 order by 1`,
        [tenant, communityId],
      )
    ).rows.map((r) => r.display_name);

  test('one community per department; people moved, gone and former employees; idempotent', async () => {
    const t = await createTestTenant(db);
    const ceo = await person(t, 'Ceo', 'Direction');
    const ana = await person(t, 'Ana', 'Ventes', ceo);
    const ben = await person(t, 'Ben', 'Ventes', ana);
    const cleo = await person(t, 'Cléo', 'Ressources humaines', ceo);
    await person(t, 'Nobody', null);

    const first = await syncOrgUnitCommunities(db, t);
    expect(first).toMatchObject({ communities: 3, created: 3, added: 4, removed: 0 });
    const ventes = await communityOf(t, { department: 'Ventes' });
    const rh = await communityOf(t, { department: 'Ressources humaines' });
    expect(rh).toMatchObject({ name: 'Ressources humaines', slug: 'ressources-humaines', is_official: true });
    expect(await membersOf(t, ventes.id)).toEqual(['Ana:member:active', 'Ben:member:active']);
    expect(await followers(t, ventes.id)).toEqual(['Ana', 'Ben']);

    const auditBefore = (await db.query<{ n: number }>('select count(*)::int as n from audit_log where tenant_id = $1', [t])).rows[0]!.n;
    expect(await syncOrgUnitCommunities(db, t)).toEqual({ communities: 3, created: 0, added: 0, removed: 0 });
    expect((await db.query<{ n: number }>('select count(*)::int as n from audit_log where tenant_id = $1', [t])).rows[0]!.n).toBe(auditBefore);

    // Ben moves from sales to HR; Cléo leaves the company.
    await db.query("update people set department = 'Ressources humaines' where tenant_id = $1 and id = $2", [t, ben]);
    await db.query('update people set is_former_employee = true where tenant_id = $1 and id = $2', [t, cleo]);
    const moved = await syncOrgUnitCommunities(db, t);
    expect(moved).toMatchObject({ created: 0, added: 1, removed: 2 });
    expect(await membersOf(t, ventes.id)).toEqual(['Ana:member:active']);
    expect(await membersOf(t, rh.id)).toEqual(['Ben:member:active']);
    expect(await followers(t, ventes.id)).toEqual(['Ana']);
    expect(await followers(t, rh.id)).toEqual(['Ben']);
    const log = await db.query<{ data: { added: string[]; removed: string[] } }>(
      "select data from audit_log where tenant_id = $1 and action = 'community.org_sync' and target_id = $2 order by id desc limit 1",
      [t, rh.id],
    );
    expect(log.rows[0]!.data).toEqual({ added: [ben], removed: [cleo] });
    expect(await syncOrgUnitCommunities(db, t)).toMatchObject({ added: 0, removed: 0 });

    // Manual leave and join are refused with a clear error.
    const anaViewer: Viewer = { tenantId: t, personId: ana, roles: [] };
    await expect(leaveCommunity(db, anaViewer, ventes.id)).rejects.toMatchObject({ code: 'COMMUNITY_ORG_UNIT_MANAGED' });
    await expect(joinCommunity(db, anaViewer, rh.id)).rejects.toBeInstanceOf(RucheError);
    await expect(joinCommunity(db, anaViewer, rh.id)).rejects.toMatchObject({ code: 'COMMUNITY_ORG_UNIT_MANAGED' });
  });

  test('a manager subtree community follows reporting lines; hand-named moderators stay', async () => {
    const t = await createTestTenant(db);
    const boss = await person(t, 'Boss', 'A');
    const mid = await person(t, 'Mid', 'B', boss);
    const leaf = await person(t, 'Leaf', 'C', mid);
    const other = await person(t, 'Other', 'D');
    const admin = await person(t, 'Admin', 'E', null, ['admin']);
    const report = await syncOrgUnitCommunities(db, t, { departments: false, managerSubtrees: [mid] });
    expect(report).toMatchObject({ communities: 1, created: 1, added: 2 });
    const team = await communityOf(t, { managerId: mid, subtree: true });
    expect(team.name).toBe('Team of Mid');
    expect(await membersOf(t, team.id)).toEqual(['Leaf:member:active', 'Mid:owner:active']);

    // An admin creates one for the boss by hand; the sync fills it.
    const adminViewer: Viewer = { tenantId: t, personId: admin, roles: ['admin'] };
    const whole = await createCommunity(db, adminViewer, { name: 'Everyone under Boss', kind: 'org_unit', visibility: 'private', orgUnit: { managerId: boss, subtree: true } });
    await db.query("insert into memberships (tenant_id, community_id, person_id, role) values ($1, $2, $3, 'moderator')", [t, whole.id, other]);
    await syncOrgUnitCommunities(db, t, { departments: false });
    expect(await membersOf(t, whole.id)).toEqual(['Admin:owner:active', 'Boss:owner:active', 'Leaf:member:active', 'Mid:member:active', 'Other:moderator:active']);

    // Leaf moves under Other: out of both subtrees.
    await db.query('update people set manager_id = $3 where tenant_id = $1 and id = $2', [t, leaf, other]);
    await syncOrgUnitCommunities(db, t, { departments: false });
    expect(await membersOf(t, team.id)).toEqual(['Mid:owner:active']);
    const page = await listMembers(db, adminViewer, whole.id);
    expect(page.items.map((m) => m.displayName)).toEqual(['Admin', 'Boss', 'Mid', 'Other']);
  });
});
