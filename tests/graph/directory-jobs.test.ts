/** The news.fetch and groups.sync jobs on the job queue, against the Graph simulator, on PGlite and PostgreSQL. */
import { createTestTenant, postgresTestUrl, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { createLogger } from '../../core/src/log.js';
import { createJobQueue, registerRucheJobs, type JobQueue } from '../../core/src/jobs/index.js';
import { createGraphClient, staticTokenProvider } from '../../core/src/graph/index.js';
import { syncDirectory } from '../../core/src/directory/index.js';
import { createCommunity } from '../../core/src/communities/index.js';
import { linkGroup } from '../../core/src/groups/index.js';
import { startGraphSimulator, type GraphSimulator } from './simulator/index.js';

const logger = createLogger({ level: 'silent' });

async function waitFor(what: string, check: () => boolean | Promise<boolean>, boundMs = 30_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(testDatabases())('Graph directory jobs on $name', ({ name, open }) => {
  let db: Db;
  let queue: JobQueue;
  let sim: GraphSimulator;
  let tenant: string;
  const url = name === 'postgres' ? postgresTestUrl() : undefined;

  beforeAll(async () => {
    db = await open();
    sim = await startGraphSimulator({ users: 40, seed: 21, groups: 2, sites: 1 });
    tenant = await createTestTenant(db);
    const graphClient = createGraphClient({ tokenProvider: staticTokenProvider('sim'), baseUrl: sim.url, tenantId: tenant, sleep: async () => undefined });
    await syncDirectory(db, graphClient, tenant, { pageSize: 20, skills: false, orgUnitCommunities: false });
    queue = createJobQueue({ db, ...(url ? { connectionString: url } : {}), logger });
    await queue.start();
    await registerRucheJobs(queue, db, {
      graph: { tenantId: tenant, baseUrl: sim.url, maxConcurrency: 4, newsSites: [sim.tenant.sites[0]!.id], credential: { kind: 'static-token', token: 'sim' } },
      graphClient,
      publicUrl: 'https://ruche.test',
    });
  });
  afterAll(async () => {
    await queue.stop({ graceful: true });
    await sim.close();
    await db.close();
  });

  test('news.fetch stores the configured site news (queued at start)', async () => {
    const expected = sim.tenant.sites[0]!.pages.filter((p) => p.promotionKind === 'newsPost').length;
    await waitFor('news stored', async () => {
      const r = await db.query<{ n: number }>('select count(*)::int as n from sharepoint_news where tenant_id = $1', [tenant]);
      return r.rows[0]!.n === expected;
    });
  });

  test('groups.sync sends a join of a community linked both ways to its group', async () => {
    const adminId = (await db.query<{ id: string }>('select id from people where tenant_id = $1 and entra_oid = $2', [tenant, sim.tenant.userIdOf(30)])).rows[0]!.id;
    const admin = { tenantId: tenant, personId: adminId, roles: ['admin'] };
    const client = createGraphClient({ tokenProvider: staticTokenProvider('sim'), baseUrl: sim.url, tenantId: `${tenant}-t`, sleep: async () => undefined });
    const community = await createCommunity(db, admin, { name: 'Both ways', kind: 'project', visibility: 'public' });
    await linkGroup(db, client, admin, community.id, { groupId: sim.tenant.groupIdOf(1), direction: 'both' });
    const newcomer = [...sim.tenant.userIndexes()].find((i) => !sim.tenant.isMember(1, i) && sim.tenant.user(i)!.accountEnabled && i !== 30)!;
    const personId = (await db.query<{ id: string }>('select id from people where tenant_id = $1 and entra_oid = $2', [tenant, sim.tenant.userIdOf(newcomer)])).rows[0]!.id;
    await db.query("insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'member', 'active')", [tenant, community.id, personId]);
    await queue.enqueue('groups.sync', {});
    await waitFor('the newcomer added to the group', () => sim.tenant.isMember(1, newcomer));
    await waitFor('the group round completed', async () => {
      const r = await db.query<{ status: string }>("select status from directory_sync_state where tenant_id = $1 and resource = 'groups'", [tenant]);
      return r.rows[0]?.status === 'completed';
    });
  });
});
