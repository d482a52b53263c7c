import { createTestTenant, testDatabases } from '../testing/index.js';
import type { Db } from '../store/db.js';
import { importPeopleCsv } from './csv-import.js';

const header = 'upn,display_name,given_name,surname,job_title,department,office,country,preferred_language,manager_upn,extra';

const good = [
  'ceo@hr.example,Claire Boss,Claire,Boss,CEO,Executive,Paris,FR,fr-FR,,x',
  'ana@hr.example,Ana Lima,Ana,Lima,Engineer,Engineering,Lyon,FR,fr-FR,ceo@hr.example,x',
  // Quoted field with a comma, and a manager defined further down the file.
  'bob@hr.example,"Bob, Jr.",Bob,Junior,Analyst,Finance,London,GB,en-GB,zoe@hr.example,x',
  'zoe@hr.example,Zoé Durand,Zoé,Durand,Head of Finance,Finance,London,GB,en-GB,ceo@hr.example,x',
];

const bad = [
  'not-an-address,Someone,,,,,,,,,x', // line 6: bad upn
  'ana@hr.example,Ana Again,,,,,,,,,x', // line 7: duplicate
  'eve@hr.example,,Eve,,,,,,,,x', // line 8: missing display name
  'fay@hr.example,Fay,,,,,,,english,,x', // line 9: bad language tag
  'gus@hr.example,Gus,,,,,,,,gus@hr.example,x', // line 10: own manager
  'hal@hr.example,Hal,too,many,columns,here,a,b,c,d,e,f,g', // line 11: column count
  'ida@hr.example,Ida,,,,,,,,nobody@hr.example,x', // line 12: good row, unknown manager
];

for (const database of testDatabases()) {
  describe(`CSV import (${database.name})`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await database.open();
    });
    afterAll(async () => {
      await db.close();
    });

    const people = async (tenant: string) =>
      (
        await db.query<{ upn: string; display_name: string; department: string | null; manager: string | null; directory_source: string }>(
          `select p.upn, p.display_name, p.department, m.upn as manager, p.directory_source
           from people p left join people m on m.tenant_id = p.tenant_id and m.id = p.manager_id
           where p.tenant_id = $1 order by p.upn`,
          [tenant],
        )
      ).rows;

    test('imports good rows, reports bad rows with their line number, resolves managers after all rows', async () => {
      const tenant = await createTestTenant(db);
      const csv = `\uFEFF${[header, ...good, ...bad].join('\r\n')}\r\n`;
      const result = await importPeopleCsv(db, tenant, csv, { batchSize: 2, orgUnitCommunities: false });
      expect(result.imported).toBe(5);
      expect(result.created).toBe(5);
      expect(result.ignoredColumns).toEqual(['extra']);
      expect(result.errors.map((e) => e.line)).toEqual([6, 7, 8, 9, 10, 11]);
      expect(result.errors[0]!.reason).toMatch(/upn/);
      expect(result.errors[1]).toMatchObject({ upn: 'ana@hr.example', reason: expect.stringMatching(/earlier line/) });
      expect(result.errors[2]!.reason).toMatch(/display_name/);
      expect(result.errors[3]!.reason).toMatch(/preferred_language/);
      expect(result.errors[4]!.reason).toMatch(/themself/);
      expect(result.unresolvedManagers).toEqual([{ upn: 'ida@hr.example', managerUpn: 'nobody@hr.example' }]);
      expect(await people(tenant)).toEqual([
        { upn: 'ana@hr.example', display_name: 'Ana Lima', department: 'Engineering', manager: 'ceo@hr.example', directory_source: 'csv' },
        { upn: 'bob@hr.example', display_name: 'Bob, Jr.', department: 'Finance', manager: 'zoe@hr.example', directory_source: 'csv' },
        { upn: 'ceo@hr.example', display_name: 'Claire Boss', department: 'Executive', manager: null, directory_source: 'csv' },
        { upn: 'ida@hr.example', display_name: 'Ida', department: null, manager: null, directory_source: 'csv' },
        { upn: 'zoe@hr.example', display_name: 'Zoé Durand', department: 'Finance', manager: 'ceo@hr.example', directory_source: 'csv' },
      ]);
    });

    test('a later file updates people by UPN, leaves absent columns unchanged and keeps what was saved', async () => {
      const tenant = await createTestTenant(db);
      await importPeopleCsv(db, tenant, [header, ...good].join('\n'), { orgUnitCommunities: false });
      const second = await importPeopleCsv(
        db,
        tenant,
        ['UPN,Display_Name,manager_upn,account_enabled', 'ANA@hr.example,Ana Lima-Souza,zoe@hr.example,true', 'bob@hr.example,Bob,,false', 'bad,,,maybe'].join('\n'),
        { orgUnitCommunities: false },
      );
      expect(second).toMatchObject({ imported: 2, created: 0, updated: 2 });
      expect(second.errors).toEqual([{ line: 4, upn: 'bad', reason: expect.stringMatching(/upn.*display_name.*account_enabled/s) }]);
      const rows = await people(tenant);
      expect(rows.find((r) => r.upn.toLowerCase() === 'ana@hr.example')).toMatchObject({ display_name: 'Ana Lima-Souza', department: 'Engineering', manager: 'zoe@hr.example' });
      expect(rows.find((r) => r.upn === 'bob@hr.example')).toMatchObject({ department: 'Finance', manager: null });
      const former = await db.query<{ upn: string }>('select upn from people where tenant_id = $1 and is_former_employee', [tenant]);
      expect(former.rows).toEqual([{ upn: 'bob@hr.example' }]);
      expect(rows).toHaveLength(4);
    });

    test('a file without the required columns is refused before anything is written', async () => {
      const tenant = await createTestTenant(db);
      await expect(importPeopleCsv(db, tenant, 'email,name\na@b.example,A\n', { orgUnitCommunities: false })).rejects.toMatchObject({
        code: 'CSV_INVALID',
        message: expect.stringMatching(/upn, display_name/),
      });
      await expect(importPeopleCsv(db, tenant, '', { orgUnitCommunities: false })).rejects.toMatchObject({ code: 'CSV_INVALID' });
      expect(await people(tenant)).toEqual([]);
    });
  });
}
