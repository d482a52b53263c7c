import type { Db } from '../store/db.js';
import { createLogger } from '../log.js';
import { createTestTenant, postgresTestUrl, testDatabases } from '../testing/databases.js';
import { createJobQueue } from '../jobs/queue.js';
import { SIMILAR_PROFILES_CRON, registerRucheJobs } from '../jobs/ruche-jobs.js';

const logger = createLogger({ level: 'silent' });

async function completed(db: Db, name: string, id: string): Promise<void> {
  const until = Date.now() + 30_000;
  for (;;) {
    const r = await db.query<{ state: string }>('select state::text as state from pgboss.job where name = $1 and id = $2', [name, id]);
    if (r.rows[0]?.state === 'completed') return;
    if (r.rows[0]?.state === 'failed') throw new Error(`${name} failed`);
    if (Date.now() > until) throw new Error(`Timed out waiting for ${name}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

// The hourly refresh of similar work's word counts and community profiles: scheduled, and idempotent.
describe.each(testDatabases())('similar.profiles job on $name', ({ name: dbName, open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  test('scheduled; counts new posts once and profiles changed communities, whatever the number of runs', async () => {
    const url = dbName === 'postgres' ? postgresTestUrl() : undefined;
    const q = createJobQueue({ db, ...(url ? { connectionString: url } : {}), logger });
    await q.start();
    try {
      await registerRucheJobs(q, db);
      const schedules = await db.query<{ cron: string }>("select cron from pgboss.schedule where name = 'similar.profiles'");
      expect(schedules.rows).toEqual([{ cron: SIMILAR_PROFILES_CRON }]);

      const tenant = await createTestTenant(db);
      const person = await db.query<{ id: string }>("insert into people (tenant_id, upn, display_name, department) values ($1, 'a@x.test', 'A', 'Sales') returning id", [tenant]);
      const community = await db.query<{ id: string }>(
        "insert into communities (tenant_id, slug, name, description, kind, visibility) values ($1, 'billing', 'Billing', 'Invoices and payments', 'interest', 'private') returning id",
        [tenant],
      );
      await db.query("insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'owner', 'active')", [tenant, community.rows[0]!.id, person.rows[0]!.id]);
      const post = (title: string) =>
        db.query("insert into posts (tenant_id, community_id, author_id, kind, title, body) values ($1, $2, $3, 'discussion', $4, $4)", [tenant, community.rows[0]!.id, person.rows[0]!.id, title]);
      await post('Invoice OCR in SAP');
      const profile = async () =>
        (await db.query<{ lexemes: string[]; public_lexemes: string[]; department: string | null }>(
          'select lexemes, public_lexemes, department from similar_community_profiles where tenant_id = $1 and community_id = $2',
          [tenant, community.rows[0]!.id],
        )).rows[0];
      const counted = async (word: string) =>
        (await db.query<{ posts: number }>('select posts from similar_word_frequencies where tenant_id = $1 and lexeme = $2', [tenant, word])).rows[0]?.posts ?? 0;

      for (let run = 0; run < 2; run++) await completed(db, 'similar.profiles', (await q.enqueue('similar.profiles', {}))!);
      expect(await counted('ocr')).toBe(1);
      const first = (await profile())!;
      expect(first.lexemes).toEqual(expect.arrayContaining(['billing', 'invoices', 'ocr', 'sap']));
      // Post titles are kept apart from what non-members may know of a private community.
      expect(first.public_lexemes).toEqual(expect.arrayContaining(['billing', 'invoices', 'payments']));
      expect(first.public_lexemes).not.toContain('ocr');
      expect(first.department).toBe('Sales');

      await post('Payment reconciliation with OCR');
      for (let run = 0; run < 2; run++) await completed(db, 'similar.profiles', (await q.enqueue('similar.profiles', {}))!);
      expect(await counted('ocr')).toBe(2);
      expect((await profile())!.lexemes).toEqual(expect.arrayContaining(['reconciliation']));
    } finally {
      await q.stop();
    }
  }, 90_000);
});
