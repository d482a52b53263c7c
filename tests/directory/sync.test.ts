/** Directory sync against the local Graph simulator, on PGlite and PostgreSQL. */
import { createTestTenant, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { createGraphClient, staticTokenProvider, type GraphClient, type GraphClientOptions } from '../../core/src/graph/index.js';
import { getDirectorySyncState, syncDirectory, type SyncDirectoryOptions } from '../../core/src/directory/index.js';
import { RucheError } from '../../core/src/errors.js';
import { startGraphSimulator, type GraphSimulator } from '../graph/simulator/index.js';

const userCount = 240;
const pageSize = 40;

function makeClient(sim: GraphSimulator, overrides: Partial<GraphClientOptions> = {}): GraphClient {
  return createGraphClient({
    tokenProvider: staticTokenProvider('sim-token'),
    baseUrl: sim.url,
    tenantId: `sim-${Math.random()}`,
    sleep: async () => undefined,
    random: () => 0.5,
    ...overrides,
  });
}

interface PersonSnapshot {
  entra_oid: string;
  upn: string;
  mail: string | null;
  display_name: string;
  given_name: string | null;
  surname: string | null;
  job_title: string | null;
  department: string | null;
  office: string | null;
  country: string | null;
  preferred_language: string | null;
  manager_oid: string | null;
  is_former_employee: boolean;
  skills: string | null;
}

async function snapshot(db: Db, tenantId: string): Promise<PersonSnapshot[]> {
  const r = await db.query<PersonSnapshot>(
    `select p.entra_oid, p.upn, p.mail, p.display_name, p.given_name, p.surname, p.job_title, p.department, p.office, p.country,
       p.preferred_language, m.entra_oid as manager_oid, p.is_former_employee,
       (select string_agg(s.skill || ':' || coalesce(s.proficiency, '') || ':' || s.source, ',' order by s.skill, s.source)
          from person_skills s where s.tenant_id = p.tenant_id and s.person_id = p.id) as skills
     from people p left join people m on m.tenant_id = p.tenant_id and m.id = p.manager_id
     where p.tenant_id = $1 order by p.entra_oid`,
    [tenantId],
  );
  return r.rows;
}

/** What the simulator says the directory is, in the snapshot's shape (skills aside). */
function expected(sim: GraphSimulator): Array<Omit<PersonSnapshot, 'skills'>> {
  const t = sim.tenant;
  const out: Array<Omit<PersonSnapshot, 'skills'>> = [];
  for (const i of t.userIndexes()) {
    const u = t.user(i)!;
    const manager = t.managerIndex(i);
    out.push({
      entra_oid: u.id,
      upn: u.userPrincipalName,
      mail: u.mail,
      display_name: u.displayName ?? u.userPrincipalName,
      given_name: u.givenName,
      surname: u.surname,
      job_title: u.jobTitle,
      department: u.department,
      office: u.officeLocation,
      country: u.country,
      preferred_language: u.preferredLanguage,
      manager_oid: manager === null ? null : t.userIdOf(manager),
      is_former_employee: !u.accountEnabled,
    });
  }
  return out.sort((a, b) => a.entra_oid.localeCompare(b.entra_oid));
}

const withoutSkills = (rows: PersonSnapshot[]) => rows.map(({ skills: _skills, ...rest }) => rest);

for (const database of testDatabases()) {
  describe(`directory sync (${database.name})`, () => {
    let db: Db;
    let sim: GraphSimulator;

    beforeAll(async () => {
      db = await database.open();
    });
    afterAll(async () => {
      await db.close();
    });
    beforeEach(async () => {
      sim = await startGraphSimulator({ users: userCount, seed: 7 });
    });
    afterEach(async () => {
      await sim.close();
    });

    const sync = (tenantId: string, client = makeClient(sim), options: SyncDirectoryOptions = {}) =>
      syncDirectory(db, client, tenantId, { pageSize, ...options });

    test('a full sync stores every user as a person, with managers, former employees and directory skills', async () => {
      const tenant = await createTestTenant(db);
      const progress: Array<{ done: number; phase: string }> = [];
      const result = await sync(tenant, undefined, { onProgress: (p) => void progress.push({ done: p.done, phase: p.phase }) });
      expect(result.roundKind).toBe('full');
      expect(result.changes).toBe(userCount);
      const people = await snapshot(db, tenant);
      expect(withoutSkills(people)).toEqual(expected(sim));
      expect(people.some((p) => p.is_former_employee)).toBe(true);
      // Skills: exactly the simulator's, marked 'directory'.
      const i = [...sim.tenant.userIndexes()].find((k) => sim.tenant.skills(k).length > 1)!;
      const person = people.find((p) => p.entra_oid === sim.tenant.userIdOf(i))!;
      const skills = sim.tenant
        .skills(i)
        .map((s) => `${s.displayName}:${s.proficiency}:directory`)
        .sort();
      expect(person.skills!.split(',').sort()).toEqual(skills);
      // Progress: after every page, then finishing and completed.
      expect(progress.filter((p) => p.phase === 'people').map((p) => p.done)).toEqual([40, 80, 120, 160, 200, 240]);
      expect(progress.at(-1)!.phase).toBe('completed');
      const state = await getDirectorySyncState(db, tenant);
      expect(state).toMatchObject({ status: 'completed', hasDeltaLink: true, resumable: false, done: userCount, pages: 6 });
    });

    test('converges to the same people whether or not faults are injected', async () => {
      const clean = await createTestTenant(db);
      await sync(clean);
      const faulty = await createTestTenant(db);
      sim.setFaults({
        throttleRate: 0.1,
        retryAfterSeconds: 1,
        unavailableRate: 0.05,
        gatewayTimeoutRate: 0.03,
        hangRate: 0.02,
        batchItemThrottleRate: 0.1,
        failPages: [{ path: '/users/delta', page: 2, status: 503 }],
      });
      const client = makeClient(sim, { timeoutMs: 300, retry: { maxRetries: 8 } });
      const result = await sync(faulty, client);
      expect(sim.stats.injected).toBeGreaterThan(0);
      expect(result.graph.retries).toBeGreaterThan(0);
      expect(result.graph.retryAfterWaitMs).toBeGreaterThan(0);
      expect(await snapshot(db, faulty)).toEqual(await snapshot(db, clean));
    });

    test('a person known by UPN alone is adopted, and a former employee gives up a UPN the directory gives someone else', async () => {
      const tenant = await createTestTenant(db);
      const t = sim.tenant;
      const imported = t.user(3)!.userPrincipalName;
      const reused = t.user(4)!.userPrincipalName;
      // Imported from an HR file before Graph was configured: no object id.
      const csv = await db.query<{ id: string }>(
        `insert into people (tenant_id, upn, display_name, directory_source) values ($1, upper($2), 'From the HR file', 'csv') returning id`,
        [tenant, imported],
      );
      // Someone who left, whose UPN the directory has given to a newcomer.
      const former = await db.query<{ id: string }>(
        `insert into people (tenant_id, entra_oid, upn, display_name, is_former_employee, directory_source)
         values ($1, gen_random_uuid(), $2, 'Left long ago', true, 'graph') returning id`,
        [tenant, reused],
      );
      await sync(tenant);
      const people = await db.query<{ id: string; entra_oid: string | null; upn: string; is_former_employee: boolean }>(
        'select id, entra_oid, upn, is_former_employee from people where tenant_id = $1 and id = any($2::uuid[])',
        [tenant, [csv.rows[0]!.id, former.rows[0]!.id]],
      );
      const byId = new Map(people.rows.map((p) => [p.id, p]));
      expect(byId.get(csv.rows[0]!.id)).toMatchObject({ entra_oid: t.userIdOf(3), upn: imported });
      expect(byId.get(former.rows[0]!.id)).toMatchObject({ upn: `${reused}#former-${former.rows[0]!.id}`, is_former_employee: true });
      const newcomer = await db.query<{ upn: string }>('select upn from people where tenant_id = $1 and entra_oid = $2', [tenant, t.userIdOf(4)]);
      expect(newcomer.rows).toEqual([{ upn: reused }]);
      expect(withoutSkills(await snapshot(db, tenant)).filter((p) => p.entra_oid !== byId.get(former.rows[0]!.id)!.entra_oid)).toEqual(expected(sim));
    });

    test('managers read through batched lookups match the expanded delta', async () => {
      const tenant = await createTestTenant(db);
      await sync(tenant, undefined, { managers: 'batch' });
      expect(withoutSkills(await snapshot(db, tenant))).toEqual(expected(sim));
    });

    test('a second run fetches only changes: updates, disabled, deleted and new users', async () => {
      const tenant = await createTestTenant(db);
      await sync(tenant);
      sim.resetStats();
      const quiet = await sync(tenant);
      expect(quiet).toMatchObject({ roundKind: 'incremental', changes: 0, pages: 1 });
      expect(sim.stats.requests).toBe(1);

      const t = sim.tenant;
      t.updateUser(5, { department: 'Legal', jobTitle: 'Counsel', officeLocation: 'Berlin', country: 'DE', preferredLanguage: 'de-DE' });
      t.disableUser(6);
      t.deleteUser(7);
      t.deleteUser(9, true);
      t.setManager(10, 3);
      t.setSkills(5, [{ displayName: 'Contract law', proficiency: 'expert' }]);
      const newcomer = t.addUser({ displayName: 'Nina Newcomer', userPrincipalName: 'nina.newcomer@contoso.example', department: 'Legal' });
      t.setManager(newcomer, 5);
      // Someone's own declared skill is never touched by the directory.
      await db.query(
        `insert into person_skills (tenant_id, person_id, skill, source) select $1, id, 'Knitting', 'declared' from people where tenant_id = $1 and entra_oid = $2`,
        [tenant, t.userIdOf(5)],
      );
      sim.resetStats();
      const round = await sync(tenant);
      expect(round.roundKind).toBe('incremental');
      expect(round.changes).toBe(6); // 5, 6, 7, 9, 10, newcomer
      expect(sim.stats.requests).toBeLessThan(5); // one delta page and one skills batch
      const people = await snapshot(db, tenant);
      const byOid = new Map(people.map((p) => [p.entra_oid, p]));
      expect(byOid.get(t.userIdOf(5))).toMatchObject({ department: 'Legal', job_title: 'Counsel', office: 'Berlin', country: 'DE', preferred_language: 'de-DE' });
      expect(byOid.get(t.userIdOf(5))!.skills).toBe('Contract law:expert:directory,Knitting::declared');
      expect(byOid.get(t.userIdOf(6))!.is_former_employee).toBe(true);
      expect(byOid.get(t.userIdOf(7))!.is_former_employee).toBe(true);
      expect(byOid.get(t.userIdOf(9))!.is_former_employee).toBe(true);
      expect(byOid.get(t.userIdOf(10))!.manager_oid).toBe(t.userIdOf(3));
      expect(byOid.get(newcomer)).toMatchObject({ upn: 'nina.newcomer@contoso.example', manager_oid: t.userIdOf(5), is_former_employee: false });
      // Deleted users keep their row (their content stays); the live ones match the directory.
      expect(people).toHaveLength(userCount + 1);
      const live = withoutSkills(people).filter((p) => p.entra_oid !== t.userIdOf(7) && p.entra_oid !== t.userIdOf(9));
      // The reports of deleted users have no manager any more, as in Entra.
      expect(live).toEqual(expected(sim));
    });

    test('an expired delta link starts a full round again', async () => {
      const tenant = await createTestTenant(db);
      await sync(tenant);
      sim.tenant.updateUser(3, { jobTitle: 'Chief of Staff' });
      sim.expireDeltaTokens();
      const round = await sync(tenant);
      expect(round).toMatchObject({ roundKind: 'full', changes: userCount });
      expect(withoutSkills(await snapshot(db, tenant))).toEqual(expected(sim));
    });

    test('resuming after an abort mid-sync loses nothing, and the next run completes from where it stopped', async () => {
      const reference = await createTestTenant(db);
      await sync(reference);
      const tenant = await createTestTenant(db);
      let pages = 0;
      await expect(
        sync(tenant, undefined, {
          onProgress: (p) => {
            if (p.phase === 'people' && ++pages === 2) throw new Error('killed');
          },
        }),
      ).rejects.toThrow('killed');
      const stopped = await getDirectorySyncState(db, tenant);
      expect(stopped).toMatchObject({ status: 'failed', resumable: true, hasDeltaLink: false, done: 80, lastError: 'killed' });

      const requested: string[] = [];
      const off = sim.onExchange((x) => {
        if (!x.viaBatch && x.path.includes('delta')) requested.push(x.query.$skiptoken ? 'next' : 'first');
      });
      const resumed = await sync(tenant);
      off();
      expect(resumed.resumed).toBe(true);
      expect(requested[0]).toBe('next'); // continued from the stored page position
      expect(requested).not.toContain('first');
      expect(await getDirectorySyncState(db, tenant)).toMatchObject({ status: 'completed', done: userCount, hasDeltaLink: true });
      expect(await snapshot(db, tenant)).toEqual(await snapshot(db, reference));
    });

    test('one run at a time per tenant', async () => {
      const tenant = await createTestTenant(db);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let claimed!: () => void;
      const running = new Promise<void>((resolve) => (claimed = resolve));
      const first = sync(tenant, undefined, {
        onProgress: async () => {
          claimed();
          await gate;
        },
      });
      await running;
      await expect(sync(tenant)).rejects.toMatchObject({ code: 'DIRECTORY_SYNC_RUNNING' });
      expect(RucheError).toBeDefined();
      release();
      await first;
      expect((await getDirectorySyncState(db, tenant)).status).toBe('completed');
    });
  });
}
