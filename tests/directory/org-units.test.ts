/**
 * The set-wise org-unit step of directory sync gives what the communities module's
 * per-community syncOrgUnitCommunities gives: same communities, memberships, follows and
 * audit lines, step by step through moves, departures, subtrees and hand-named roles.
 */
import { createTestTenant, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { createCommunity, syncOrgUnitCommunities, type OrgUnitSyncOptions, type OrgUnitSyncReport } from '../../core/src/communities/index.js';
import { syncOrgUnitMemberships } from '../../core/src/directory/index.js';

type OrgUnitStep = (db: Db, tenantId: string, options?: OrgUnitSyncOptions) => Promise<OrgUnitSyncReport>;

describe.each(testDatabases())('set-wise org-unit communities on $name', ({ open }) => {
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

  /** Everything the step writes, with people and communities by name so that two tenants compare. */
  async function picture(t: string) {
    const names = new Map((await db.query<{ id: string; display_name: string }>('select id, display_name from people where tenant_id = $1', [t])).rows.map((r) => [r.id, r.display_name]));
    const memberships = await db.query<{ c: string; p: string; role: string; state: string }>(
      `select c.name as c, p.display_name as p, m.role, m.state from memberships m
       join communities c on c.tenant_id = m.tenant_id and c.id = m.community_id
       join people p on p.tenant_id = m.tenant_id and p.id = m.person_id
       where m.tenant_id = $1 order by 1, 2`,
      [t],
    );
    const follows = await db.query<{ c: string; p: string }>(
      `select c.name as c, p.display_name as p from follows f
       join communities c on c.tenant_id = f.tenant_id and c.id = f.target_id
       join people p on p.tenant_id = f.tenant_id and p.id = f.follower_id
       where f.tenant_id = $1 and f.target_type = 'community' order by 1, 2`,
      [t],
    );
    const audit = await db.query<{ c: string; data: { added?: string[]; removed?: string[] } }>(
      `select c.name as c, a.data from audit_log a join communities c on c.tenant_id = a.tenant_id and c.id::text = a.target_id
       where a.tenant_id = $1 and a.action = 'community.org_sync' order by a.id`,
      [t],
    );
    const communities = await db.query('select name, slug, kind, visibility, is_official, org_unit is not null as managed from communities where tenant_id = $1 order by name', [t]);
    return {
      communities: communities.rows,
      memberships: memberships.rows.map((r) => `${r.c}/${r.p}:${r.role}:${r.state}`),
      follows: follows.rows.map((r) => `${r.c}/${r.p}`),
      // One line per community and run; the order of communities within a run is not part of the contract.
      audit: audit.rows
        .map((r) => JSON.stringify({ c: r.c, added: (r.data.added ?? []).map((id) => names.get(id)).sort(), removed: (r.data.removed ?? []).map((id) => names.get(id)).sort() }))
        .sort(),
    };
  }

  /** The same story told to one org-unit step; returns its reports and what it wrote after each step. */
  async function story(step: OrgUnitStep) {
    const t = await createTestTenant(db);
    const ceo = await person(t, 'Ceo', 'Direction');
    const ana = await person(t, 'Ana', 'Ventes', ceo);
    const ben = await person(t, 'Ben', 'Ventes', ana);
    const cleo = await person(t, 'Cléo', 'Ressources humaines', ceo);
    const dan = await person(t, 'Dan', 'Ventes', ben);
    const eve = await person(t, 'Eve', 'Achats', ana);
    await person(t, 'Nobody', null);
    await person(t, 'Blank', '  ');
    const admin = await person(t, 'Admin', 'IT', null, ['admin']);
    const trace: unknown[] = [];
    const record = async (report: OrgUnitSyncReport) => trace.push({ report, picture: await picture(t) });

    await record(await step(db, t, { managerSubtrees: [ana] }));
    await record(await step(db, t));
    // Moves, departures, a hand-named moderator, a ban, a pending request and a cycle in the chain.
    await db.query("update people set department = 'Ressources humaines' where tenant_id = $1 and id = $2", [t, ben]);
    await db.query('update people set is_former_employee = true where tenant_id = $1 and id = $2', [t, cleo]);
    const ventes = (await db.query<{ id: string }>("select id from communities where tenant_id = $1 and name = 'Ventes'", [t])).rows[0]!.id;
    await db.query("insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'moderator', 'active')", [t, ventes, eve]);
    await db.query("insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'member', 'requested')", [t, ventes, ceo]);
    await db.query("update memberships set state = 'banned' where tenant_id = $1 and community_id = $2 and person_id = $3", [t, ventes, dan]);
    await db.query('update people set manager_id = $3 where tenant_id = $1 and id = $2', [t, ana, dan]);
    await record(await step(db, t));
    // A subtree community made by hand; the walk fills it.
    const adminViewer = { tenantId: t, personId: admin, roles: ['admin'] };
    await createCommunity(db, adminViewer, { name: 'Everyone under Ceo', kind: 'org_unit', visibility: 'private', orgUnit: { managerId: ceo, subtree: true } });
    await record(await step(db, t, { departments: false }));
    await record(await step(db, t));
    return trace;
  }

  test('gives the same communities, memberships, follows and audit as the per-community step', async () => {
    const expected = await story(syncOrgUnitCommunities);
    const actual = await story(syncOrgUnitMemberships);
    expect(actual).toEqual(expected);
    // And it did something: people moved, left, and the walk stopped on the cycle.
    const last = actual.at(-1) as { report: OrgUnitSyncReport; picture: { memberships: string[] } };
    expect(last.report).toMatchObject({ added: 0, removed: 0 });
    expect(last.picture.memberships).toContain('Ventes/Eve:moderator:active');
    expect(last.picture.memberships).toContain('Ventes/Dan:member:banned');
    expect(last.picture.memberships).toContain('Ressources humaines/Ben:member:active');
    expect(last.picture.memberships.filter((m) => m.startsWith('Ressources humaines/'))).toEqual(['Ressources humaines/Ben:member:active']);
  });
});
