import { randomUUID } from 'node:crypto';
import { type Db, type Viewer, canOnPerson, isRucheError } from '@ruche/core';
import { createTestTenant, testDatabases } from '@ruche/core/testing';
import { OPERATOR_ACTOR_ID, erasePersonData, exportPerson, findPerson, grantTenantAdmin } from './admin.js';

async function addPerson(db: Db, tenantId: string, upn: string, extra: { oid?: string; roles?: string[] } = {}): Promise<string> {
  const r = await db.query<{ id: string }>(
    `insert into people (tenant_id, upn, mail, display_name, entra_oid, roles, biography, preferred_language)
     values ($1, $2, $2, $3, $4, $5, 'Welder and cyclist', 'fr-FR') returning id`,
    [tenantId, upn, upn.split('@')[0]!, extra.oid ?? null, extra.roles ?? []],
  );
  return r.rows[0]!.id;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isRucheError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  throw new Error('expected an error');
}

for (const database of testDatabases()) {
  describe(`operator commands on people (${database.name})`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await database.open();
    });
    afterAll(async () => {
      await db.close();
    });

    test('finds a person by id, Entra object id or UPN (any case), and names what it could not find', async () => {
      const tenantId = await createTestTenant(db);
      const oid = randomUUID();
      const id = await addPerson(db, tenantId, 'Ines.Martin@hexagone.example', { oid });
      expect((await findPerson(db, tenantId, id)).id).toBe(id);
      expect((await findPerson(db, tenantId, oid.toUpperCase())).id).toBe(id);
      expect((await findPerson(db, tenantId, 'ines.martin@HEXAGONE.example')).id).toBe(id);
      expect(await codeOf(findPerson(db, tenantId, 'nobody@hexagone.example'))).toMatch(/^PERSON_NOT_FOUND: No person "nobody@hexagone.example"/);
      expect(await codeOf(findPerson(db, tenantId, randomUUID()))).toMatch(/^PERSON_NOT_FOUND/);
      // Another organisation's person is not found.
      const other = await createTestTenant(db);
      expect(await codeOf(findPerson(db, other, id))).toMatch(/^PERSON_NOT_FOUND/);
    });

    test('export-person returns core export of the person and audits it as the operator', async () => {
      const tenantId = await createTestTenant(db);
      const id = await addPerson(db, tenantId, 'paul.durand@hexagone.example');
      const { person, data } = await exportPerson(db, tenantId, 'paul.durand@hexagone.example');
      expect(person.id).toBe(id);
      expect(data.profile).toMatchObject({ id, upn: 'paul.durand@hexagone.example', biography: 'Welder and cyclist' });
      expect(data).toHaveProperty('posts', []);
      const audit = await db.query<{ actor_id: string; action: string; target_id: string }>(
        'select actor_id, action, target_id from audit_log where tenant_id = $1',
        [tenantId],
      );
      expect(audit.rows).toEqual([{ actor_id: OPERATOR_ACTOR_ID, action: 'person.export', target_id: id }]);
    });

    test('unknown tenants and people are clear errors and change nothing', async () => {
      const tenantId = await createTestTenant(db);
      await addPerson(db, tenantId, 'lea.petit@hexagone.example');
      expect(await codeOf(exportPerson(db, randomUUID(), 'lea.petit@hexagone.example'))).toMatch(/^TENANT_NOT_FOUND: No organisation with tenant id/);
      expect(await codeOf(exportPerson(db, 'contoso', 'lea.petit@hexagone.example'))).toMatch(/^TENANT_NOT_FOUND: "contoso" is not a tenant id/);
      expect(await codeOf(erasePersonData(db, tenantId, 'lea@hexagone.example', 'anonymise'))).toMatch(/^PERSON_NOT_FOUND/);
      expect(await codeOf(erasePersonData(db, tenantId, 'lea.petit@hexagone.example', 'shred' as 'delete'))).toMatch(/^VALIDATION_FAILED/);
      expect(await codeOf(grantTenantAdmin(db, tenantId, 'lea@hexagone.example'))).toMatch(/^PERSON_NOT_FOUND/);
      const r = await db.query<{ display_name: string; roles: string[] }>('select display_name, roles from people where tenant_id = $1', [tenantId]);
      expect(r.rows).toEqual([{ display_name: 'lea.petit', roles: [] }]);
      expect((await db.query('select 1 from audit_log where tenant_id = $1', [tenantId])).rowCount).toBe(0);
    });

    test('erase-person anonymises through core, and again changes nothing more', async () => {
      const tenantId = await createTestTenant(db);
      const id = await addPerson(db, tenantId, 'marc.roux@hexagone.example');
      const first = await erasePersonData(db, tenantId, 'marc.roux@hexagone.example', 'anonymise');
      expect(first.result).toMatchObject({ personId: id, mode: 'anonymise', alreadyErased: false, displayName: 'Ancien collaborateur' });
      const row = (await db.query<{ upn: string; biography: string | null; is_former_employee: boolean }>(
        'select upn, biography, is_former_employee from people where tenant_id = $1 and id = $2',
        [tenantId, id],
      )).rows[0]!;
      expect(row).toEqual({ upn: `former-${id}@erased.invalid`, biography: null, is_former_employee: true });
      // The UPN is gone; the id still finds the erased person.
      expect(await codeOf(erasePersonData(db, tenantId, 'marc.roux@hexagone.example', 'delete'))).toMatch(/^PERSON_NOT_FOUND/);
      const again = await erasePersonData(db, tenantId, id, 'anonymise');
      expect(again.result).toMatchObject({ alreadyErased: true, counts: {} });
      const audit = await db.query<{ actor_id: string; action: string }>('select actor_id, action from audit_log where tenant_id = $1', [tenantId]);
      expect(audit.rows).toEqual([{ actor_id: OPERATOR_ACTOR_ID, action: 'person.erase' }]);
    });

    test('erase-person --mode delete deletes the person content', async () => {
      const tenantId = await createTestTenant(db);
      const id = await addPerson(db, tenantId, 'anne.leroy@hexagone.example');
      const community = await db.query<{ id: string }>(
        "insert into communities (tenant_id, slug, name, kind, visibility, created_by) values ($1, 'soudure', 'Soudure', 'interest', 'public', $2) returning id",
        [tenantId, id],
      );
      await db.query(
        "insert into posts (tenant_id, community_id, author_id, kind, title, body, body_html) values ($1, $2, $3, 'discussion', 'Hello', 'My post', '<p>My post</p>')",
        [tenantId, community.rows[0]!.id, id],
      );
      const { result } = await erasePersonData(db, tenantId, 'anne.leroy@hexagone.example', 'delete');
      expect(result.counts.posts).toBe(1);
      const post = (await db.query<{ body: string; deleted: boolean }>('select body, deleted_at is not null as deleted from posts where tenant_id = $1', [tenantId])).rows;
      expect(post).toEqual([{ body: '', deleted: true }]);
    });

    test('create-tenant-admin grants the role the policy reads, once, by UPN or Entra object id', async () => {
      const tenantId = await createTestTenant(db);
      const oid = randomUUID();
      const id = await addPerson(db, tenantId, 'sofia.garcia@hexagone.example', { oid, roles: ['hr'] });
      const viewer = async (): Promise<Viewer> => ({
        tenantId,
        personId: id,
        roles: (await db.query<{ roles: string[] }>('select roles from people where tenant_id = $1 and id = $2', [tenantId, id])).rows[0]!.roles,
      });
      const other = { tenantId, personId: randomUUID() };
      expect(canOnPerson(await viewer(), 'administer', other)).toBe(false);

      const first = await grantTenantAdmin(db, tenantId, oid);
      expect(first).toMatchObject({ granted: true, person: { id, roles: ['hr', 'admin'] } });
      expect(canOnPerson(await viewer(), 'administer', other)).toBe(true);

      const second = await grantTenantAdmin(db, tenantId, 'SOFIA.GARCIA@hexagone.example');
      expect(second).toMatchObject({ granted: false, person: { roles: ['hr', 'admin'] } });
      expect((await viewer()).roles).toEqual(['hr', 'admin']);
      const audit = await db.query<{ actor_id: string; action: string; data: unknown }>('select actor_id, action, data from audit_log where tenant_id = $1', [tenantId]);
      expect(audit.rows).toEqual([{ actor_id: OPERATOR_ACTOR_ID, action: 'person.role_grant', data: { role: 'admin', via: 'cli' } }]);
    });

    test('create-tenant-admin refuses a former employee', async () => {
      const tenantId = await createTestTenant(db);
      const id = await addPerson(db, tenantId, 'old.timer@hexagone.example');
      await db.query('update people set is_former_employee = true where tenant_id = $1 and id = $2', [tenantId, id]);
      expect(await codeOf(grantTenantAdmin(db, tenantId, 'old.timer@hexagone.example'))).toMatch(/^FORMER_EMPLOYEE/);
      expect((await db.query<{ roles: string[] }>('select roles from people where tenant_id = $1', [tenantId])).rows[0]!.roles).toEqual([]);
    });
  });
}
