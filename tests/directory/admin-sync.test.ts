/** The admin API of directory sync: tenant administrators only; start a run, read its progress. */
import { createTestTenant, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { localConfig, testApp } from '../../server/src/testing.js';
import type { RucheApp } from '../../server/src/app.js';
import { startGraphSimulator, type GraphSimulator } from '../graph/simulator/index.js';

for (const database of testDatabases()) {
  describe(`admin directory sync API (${database.name})`, () => {
    let db: Db;
    let sim: GraphSimulator;
    let tenant: string;
    let ruche: RucheApp;
    let unconfigured: RucheApp;

    beforeAll(async () => {
      db = await database.open();
      sim = await startGraphSimulator({ users: 120, seed: 3 });
      tenant = await createTestTenant(db);
      await db.query(
        `insert into people (tenant_id, upn, display_name, roles) values
           ($1, 'admin@local.example', 'Ada Admin', '{admin}'), ($1, 'user@local.example', 'Uma User', '{}')`,
        [tenant],
      );
      ruche = await testApp(db, localConfig({ GRAPH_TENANT_ID: tenant, GRAPH_BASE_URL: sim.url, GRAPH_ACCESS_TOKEN: 'sim' }), tenant);
      unconfigured = await testApp(db, localConfig(), tenant);
    });
    afterAll(async () => {
      await ruche.app.close();
      await unconfigured.app.close();
      await sim.close();
      await db.close();
    });

    const tokenFor = async (app: RucheApp, upn: string) => {
      const r = await app.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: upn } });
      expect(r.statusCode).toBe(200);
      return { authorization: `Bearer ${(r.json() as { access_token: string }).access_token}` };
    };

    test('people who are not tenant administrators are refused', async () => {
      const headers = await tokenFor(ruche, 'user@local.example');
      const read = await ruche.app.inject({ method: 'GET', url: '/api/v1/admin/directory-sync', headers });
      expect(read.statusCode).toBe(403);
      expect(read.headers['content-type']).toMatch(/problem\+json/);
      const start = await ruche.app.inject({ method: 'POST', url: '/api/v1/admin/directory-sync', headers });
      expect(start.statusCode).toBe(403);
      const anonymous = await ruche.app.inject({ method: 'GET', url: '/api/v1/admin/directory-sync' });
      expect(anonymous.statusCode).toBe(401);
    });

    test('without Graph configured, starting is refused with GRAPH_NOT_CONFIGURED', async () => {
      const headers = await tokenFor(unconfigured, 'admin@local.example');
      const start = await unconfigured.app.inject({ method: 'POST', url: '/api/v1/admin/directory-sync', headers });
      expect(start.statusCode).toBe(503);
      expect(start.json()).toMatchObject({ code: 'GRAPH_NOT_CONFIGURED' });
    });

    test('an administrator starts a sync and follows its progress to the end', async () => {
      const headers = await tokenFor(ruche, 'admin@local.example');
      const idle = await ruche.app.inject({ method: 'GET', url: '/api/v1/admin/directory-sync', headers });
      expect(idle.statusCode).toBe(200);
      expect(idle.json()).toMatchObject({ status: 'idle', hasDeltaLink: false, done: 0 });

      const start = await ruche.app.inject({ method: 'POST', url: '/api/v1/admin/directory-sync', headers });
      expect(start.statusCode).toBe(202);
      expect(start.json()).toMatchObject({ status: 'running', roundKind: 'full' });

      let state = start.json() as { status: string; done: number; hasDeltaLink: boolean };
      for (let i = 0; i < 200 && state.status === 'running'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        state = (await ruche.app.inject({ method: 'GET', url: '/api/v1/admin/directory-sync', headers })).json();
      }
      expect(state).toMatchObject({ status: 'completed', done: 120, hasDeltaLink: true });
      const people = await db.query<{ n: number }>('select count(*)::int as n from people where tenant_id = $1 and entra_oid is not null', [tenant]);
      expect(people.rows[0]!.n).toBe(120);
    });
  });
}
