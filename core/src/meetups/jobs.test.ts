import type { Db } from '../store/db.js';
import { createLogger } from '../log.js';
import { createTestTenant, postgresTestUrl, testDatabases } from '../testing/databases.js';
import { createJobQueue } from '../jobs/queue.js';
import { MEETUPS_ROUND_CRON, SIMILAR_DIGEST_CRON, registerRucheJobs } from '../jobs/ruche-jobs.js';

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

// The background jobs of meetups and of the similar-work digest: scheduled, and idempotent.
describe.each(testDatabases())('meetup and similar-work jobs on $name', ({ name: dbName, open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  test('scheduled; a round runs once per period however often the job runs; one digest per week', async () => {
    const url = dbName === 'postgres' ? postgresTestUrl() : undefined;
    const q = createJobQueue({ db, ...(url ? { connectionString: url } : {}), logger });
    await q.start();
    try {
      await registerRucheJobs(q, db);
      const schedules = await db.query<{ name: string; cron: string }>(
        "select name, cron from pgboss.schedule where name in ('meetups.round', 'similar.digest') order by name",
      );
      expect(schedules.rows).toEqual([{ name: 'meetups.round', cron: MEETUPS_ROUND_CRON }, { name: 'similar.digest', cron: SIMILAR_DIGEST_CRON }]);

      const tenant = await createTestTenant(db);
      const people = await db.query<{ id: string }>(
        `insert into people (tenant_id, upn, display_name, department) values
           ($1, 'a@x.test', 'A', 'Sales'), ($1, 'b@x.test', 'B', 'R&D'), ($1, 'c@x.test', 'C', 'Sales'), ($1, 'd@x.test', 'D', 'R&D')
         returning id`,
        [tenant],
      );
      for (const p of people.rows) await db.query('insert into meetup_preferences (tenant_id, person_id, enabled) values ($1, $2, true)', [tenant, p.id]);
      for (let run = 0; run < 2; run++) await completed(db, 'meetups.round', (await q.enqueue('meetups.round', {}))!);
      const rounds = await db.query<{ n: number; matches: number; notes: number }>(
        `select (select count(*)::int from meetup_rounds where tenant_id = $1) as n,
                (select count(*)::int from meetup_matches where tenant_id = $1) as matches,
                (select count(*)::int from notifications where tenant_id = $1 and kind = 'meetup_matched') as notes`,
        [tenant],
      );
      expect(rounds.rows[0]).toEqual({ n: 1, matches: 2, notes: 4 });

      const community = await db.query<{ id: string }>(
        "insert into communities (tenant_id, slug, name, kind, visibility) values ($1, 'billing', 'Billing', 'interest', 'public') returning id",
        [tenant],
      );
      await db.query("insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'owner', 'active')", [tenant, community.rows[0]!.id, people.rows[0]!.id]);
      await db.query(
        "insert into posts (tenant_id, community_id, author_id, kind, title, body) values ($1, $2, $3, 'discussion', 'Invoice OCR in SAP', 'Invoice OCR pilot in SAP')",
        [tenant, community.rows[0]!.id, people.rows[0]!.id],
      );
      await db.query(
        "insert into posts (tenant_id, author_id, kind, title, body) values ($1, $2, 'discussion', 'OCR of invoices into SAP', 'We read invoices with OCR into SAP')",
        [tenant, people.rows[1]!.id],
      );
      for (let run = 0; run < 2; run++) await completed(db, 'similar.digest', (await q.enqueue('similar.digest', {}))!);
      const digests = await db.query<{ n: number }>("select count(*)::int as n from notifications where tenant_id = $1 and kind = 'similar_work_digest'", [tenant]);
      expect(digests.rows[0]!.n).toBe(1);
    } finally {
      await q.stop();
    }
  }, 90_000);
});
