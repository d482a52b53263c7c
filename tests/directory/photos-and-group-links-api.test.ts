/**
 * People's photos (fetched during directory sync only when their ETag changed, served with
 * caching headers) and the group-link API, against the Graph simulator, on PGlite and PostgreSQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestTenant, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { createGraphClient, staticTokenProvider, type GraphClient } from '../../core/src/graph/index.js';
import { syncDirectory } from '../../core/src/directory/index.js';
import { localFolderFileStore, type FileStore } from '../../core/src/files/index.js';
import { localConfig, testApp } from '../../server/src/testing.js';
import type { RucheApp } from '../../server/src/app.js';
import { startGraphSimulator, type GraphSimulator } from '../graph/simulator/index.js';

for (const database of testDatabases()) {
  describe(`photos and group links through the API (${database.name})`, () => {
    let db: Db;
    let sim: GraphSimulator;
    let client: GraphClient;
    let tenant: string;
    let ruche: RucheApp;
    let filesDir: string;
    let files: FileStore;

    beforeAll(async () => {
      db = await database.open();
      sim = await startGraphSimulator({ users: 60, seed: 5, groups: 3, record: true });
      client = createGraphClient({ tokenProvider: staticTokenProvider('sim'), baseUrl: sim.url, tenantId: `sim-${Math.random()}`, sleep: async () => undefined });
      tenant = await createTestTenant(db);
      filesDir = await mkdtemp(path.join(os.tmpdir(), 'ruche-photos-'));
      files = localFolderFileStore(filesDir);
      await syncDirectory(db, client, tenant, { pageSize: 25, skills: false, orgUnitCommunities: false, photos: files });
      ruche = await testApp(db, localConfig({ GRAPH_TENANT_ID: tenant, GRAPH_BASE_URL: sim.url, GRAPH_ACCESS_TOKEN: 'sim', RUCHE_FILES_DIR: filesDir }), tenant);
    });
    afterAll(async () => {
      await ruche.app.close();
      await sim.close();
      await db.close();
      await rm(filesDir, { recursive: true, force: true });
    });

    const tokenFor = async (userIndex: number) => {
      const r = await ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: sim.tenant.user(userIndex)!.userPrincipalName } });
      expect(r.statusCode).toBe(200);
      return { authorization: `Bearer ${(r.json() as { access_token: string }).access_token}` };
    };
    const personOf = async (userIndex: number) =>
      (await db.query<{ id: string }>('select id from people where tenant_id = $1 and entra_oid = $2', [tenant, sim.tenant.userIdOf(userIndex)])).rows[0]!.id;
    const photoRequests = () => sim.recording.filter((e) => e.method === 'GET' && e.path.endsWith('/photo/$value')).length;
    const enabled = (i: number) => sim.tenant.user(i)!.accountEnabled;

    test('photos are stored during sync and served with an ETag; a person without a photo gets 404', async () => {
      const withPhoto = [...sim.tenant.userIndexes()].find((i) => enabled(i) && sim.tenant.photo(i))!;
      const without = [...sim.tenant.userIndexes()].find((i) => enabled(i) && !sim.tenant.photo(i))!;
      const stored = await db.query<{ n: number }>('select count(*)::int as n from person_photos where tenant_id = $1', [tenant]);
      const expected = [...sim.tenant.userIndexes()].filter((i) => sim.tenant.photo(i)).length;
      expect(stored.rows[0]!.n).toBe(expected);
      const headers = await tokenFor(without);
      const r = await ruche.app.inject({ method: 'GET', url: `/api/v1/people/${await personOf(withPhoto)}/photo`, headers });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('image/jpeg');
      expect(r.headers['cache-control']).toMatch(/private, max-age=\d+/);
      expect(r.rawPayload.equals(sim.tenant.photo(withPhoto)!)).toBe(true);
      const again = await ruche.app.inject({ method: 'GET', url: `/api/v1/people/${await personOf(withPhoto)}/photo`, headers: { ...headers, 'if-none-match': r.headers.etag as string } });
      expect(again.statusCode).toBe(304);
      const none = await ruche.app.inject({ method: 'GET', url: `/api/v1/people/${await personOf(without)}/photo`, headers });
      expect(none.statusCode).toBe(404);
      expect(none.headers['content-type']).toMatch(/problem\+json/);
      expect(none.json()).toMatchObject({ code: 'PHOTO_NOT_FOUND' });
      expect((await ruche.app.inject({ method: 'GET', url: `/api/v1/people/${await personOf(withPhoto)}/photo` })).statusCode).toBe(401);
    });

    test('the next sync fetches only photos whose ETag changed, and removes photos taken away', async () => {
      const candidates = [...sim.tenant.userIndexes()].filter((i) => enabled(i) && sim.tenant.photo(i));
      const [same, changed, removed] = candidates as [number, number, number];
      // All three appear in the next delta round; only one photo changed and one is gone.
      for (const i of [same, changed, removed]) sim.tenant.updateUser(i, { jobTitle: `Title ${i}` });
      const newPhoto = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('a new face'), Buffer.from([0xff, 0xd9])]);
      sim.tenant.setPhoto(changed, newPhoto);
      sim.tenant.setPhoto(removed, null);
      const before = photoRequests();
      const result = await syncDirectory(db, client, tenant, { pageSize: 25, skills: false, orgUnitCommunities: false, photos: files });
      expect(result.roundKind).toBe('incremental');
      expect(result).toMatchObject({ photosStored: 1, photosRemoved: 1 });
      expect(photoRequests() - before).toBe(1);
      const headers = await tokenFor(same);
      const r = await ruche.app.inject({ method: 'GET', url: `/api/v1/people/${await personOf(changed)}/photo`, headers });
      expect(r.rawPayload.equals(newPhoto)).toBe(true);
      expect((await ruche.app.inject({ method: 'GET', url: `/api/v1/people/${await personOf(removed)}/photo`, headers })).statusCode).toBe(404);
    });

    test('group link API: owners of both link, others are refused, the link reads back, unlink', async () => {
      const g = 1;
      const ownerIndex = sim.tenant.owners(g)[0]!;
      const owner = await tokenFor(ownerIndex);
      const created = await ruche.app.inject({
        method: 'POST',
        url: '/api/v1/communities',
        headers: { ...owner, 'idempotency-key': `c-${Math.random()}` },
        payload: { name: `Linked ${database.name}`, kind: 'interest', visibility: 'public' },
      });
      expect(created.statusCode).toBe(201);
      const ref = (created.json() as { id: string }).id;
      const stranger = await tokenFor([...sim.tenant.userIndexes()].find((i) => enabled(i) && i !== ownerIndex)!);
      const refused = await ruche.app.inject({ method: 'PUT', url: `/api/v1/communities/${ref}/group-link`, headers: stranger, payload: { groupId: sim.tenant.groupIdOf(g), direction: 'both' } });
      expect(refused.statusCode).toBe(403);
      const invalid = await ruche.app.inject({ method: 'PUT', url: `/api/v1/communities/${ref}/group-link`, headers: owner, payload: { groupId: 'nope', direction: 'sideways' } });
      expect(invalid.statusCode).toBe(400);
      expect((await ruche.app.inject({ method: 'GET', url: `/api/v1/communities/${ref}/group-link`, headers: owner })).json()).toMatchObject({ code: 'GROUP_LINK_NOT_FOUND' });
      const linked = await ruche.app.inject({ method: 'PUT', url: `/api/v1/communities/${ref}/group-link`, headers: owner, payload: { groupId: sim.tenant.groupIdOf(g), direction: 'both' } });
      expect(linked.statusCode).toBe(200);
      expect(linked.json()).toMatchObject({ groupId: sim.tenant.groupIdOf(g), direction: 'both', groupMembers: sim.tenant.members(g).length });
      const read = await ruche.app.inject({ method: 'GET', url: `/api/v1/communities/${ref}/group-link`, headers: owner });
      expect(read.json()).toMatchObject({ direction: 'both', pendingChanges: 0 });
      // A tenant administrator runs the group sync; a plain member may not.
      expect((await ruche.app.inject({ method: 'POST', url: '/api/v1/admin/group-sync', headers: stranger })).statusCode).toBe(403);
      await db.query("update people set roles = '{admin}' where tenant_id = $1 and id = $2", [tenant, await personOf(ownerIndex)]);
      const adminHeaders = await tokenFor(ownerIndex);
      const synced = await ruche.app.inject({ method: 'POST', url: '/api/v1/admin/group-sync', headers: adminHeaders });
      expect(synced.statusCode).toBe(200);
      expect(synced.json()).toMatchObject({ roundKind: 'full', pushFailed: 0 });
      const unlinked = await ruche.app.inject({ method: 'DELETE', url: `/api/v1/communities/${ref}/group-link`, headers: adminHeaders });
      expect(unlinked.statusCode).toBe(204);
      expect((await ruche.app.inject({ method: 'GET', url: `/api/v1/communities/${ref}/group-link`, headers: adminHeaders })).statusCode).toBe(404);
    });
  });
}
