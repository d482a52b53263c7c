/**
 * The bot's proactive jobs on the job queue: a notification wakes the tenant's drain at
 * once (NOTIFY from the outbox trigger) and reaches the person's chat; the weekly digest job
 * queues and sends each person's digest once per week; a meetup match comes with its
 * "we met" / "skip" buttons.
 */
import { randomUUID } from 'node:crypto';
import { createTestTenant, postgresTestUrl, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { createLogger } from '../../core/src/log.js';
import { createJobQueue, registerRucheJobs, type JobQueue } from '../../core/src/jobs/index.js';
import { notify } from '../../core/src/notifications/index.js';
import { createCommunity } from '../../core/src/communities/index.js';
import { createPost } from '../../core/src/posts/index.js';
import { digestWeekOf, saveConversationReference } from '../../core/src/bot/index.js';
import { TeamsProactiveSender, renderProactiveMessage } from '../../bot/src/proactive/index.js';
import { startProactiveConnector, type ProactiveConnector } from './proactive-connector.js';
import { startWorker } from '../../server/src/worker.js';
import { localConfig } from '../../server/src/testing.js';

const logger = createLogger({ level: 'silent' });

async function waitFor(what: string, check: () => boolean | Promise<boolean>, boundMs = 30_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let connector: ProactiveConnector;
beforeAll(async () => {
  connector = await startProactiveConnector();
});
afterAll(async () => {
  await connector.close();
});

describe.each(testDatabases())('bot proactive jobs on $name', ({ name, open }) => {
  let db: Db;
  let queue: JobQueue;
  const url = name === 'postgres' ? postgresTestUrl() : undefined;

  beforeAll(async () => {
    db = await open();
    queue = createJobQueue({ db, ...(url ? { connectionString: url } : {}), logger });
    await queue.start();
    await registerRucheJobs(queue, db, { proactive: { sender: new TeamsProactiveSender(), render: renderProactiveMessage }, publicUrl: 'https://ruche.test' });
  });
  afterAll(async () => {
    await queue.stop({ graceful: false });
    await db.close();
  });

  async function person(tenant: string, name: string, language: string | null = null): Promise<{ personId: string; conversationId: string }> {
    const oid = randomUUID();
    const r = await db.query<{ id: string }>('insert into people (tenant_id, upn, display_name, entra_oid, preferred_language) values ($1, $2, $3, $4, $5) returning id', [
      tenant,
      `${name.toLowerCase()}-${oid.slice(0, 8)}@org.test`,
      name,
      oid,
      language,
    ]);
    const conversationId = `a:${oid}`;
    await saveConversationReference(db, tenant, { entraOid: oid, conversationId, conversationType: 'personal', serviceUrl: connector.url, botId: '28:ruche-bot' });
    return { personId: r.rows[0]!.id, conversationId };
  }

  test('the worker of a local install (bot without a registration) drains the bot outbox, with no token', async () => {
    // The queue of this suite stops working first, so that only the worker's handlers run.
    await queue.stop({ graceful: true, timeoutMs: 5_000 });
    const worker = await startWorker(url ? localConfig({ DATABASE_URL: url }) : localConfig(), { logger, db });
    try {
      const t = await createTestTenant(db);
      const ana = await person(t, 'Ana');
      const ben = await person(t, 'Ben');
      await notify(db, { tenantId: t, personId: ana.personId, kind: 'meetup_matched', data: { matchId: randomUUID(), colleagueId: ben.personId } });
      await waitFor('the message', () => connector.delivered.some((d) => d.conversationId === ana.conversationId));
      expect(connector.delivered.find((d) => d.conversationId === ana.conversationId)!.authorization).toBeUndefined();
      const schedules = await db.query<{ name: string }>(`select name from pgboss.schedule where name like 'bot.%' order by name`);
      expect(schedules.rows.map((r) => r.name)).toEqual(['bot.deliver', 'bot.digest']);
    } finally {
      await worker.close();
      queue = createJobQueue({ db, ...(url ? { connectionString: url } : {}), logger });
      await queue.start();
      await registerRucheJobs(queue, db, { proactive: { sender: new TeamsProactiveSender(), render: renderProactiveMessage }, publicUrl: 'https://ruche.test' });
    }
  });

  test('a notification reaches the chat through the queue; a meetup match carries its buttons', async () => {
    const t = await createTestTenant(db);
    const ana = await person(t, 'Ana', 'fr-FR');
    const ben = await person(t, 'Ben');
    const matchId = randomUUID();
    await notify(db, { tenantId: t, personId: ana.personId, kind: 'meetup_matched', data: { matchId, colleagueId: ben.personId } });
    await waitFor('the meetup message', () => connector.delivered.some((d) => d.conversationId === ana.conversationId));
    const delivered = connector.delivered.find((d) => d.conversationId === ana.conversationId)!;
    expect(delivered.activity.summary).toBe('Nouvelle rencontre : vous avez été mis en relation avec Ben');
    const card = delivered.activity.attachments![0]!.content as { actions: { type: string; verb?: string; data?: { matchId?: string } }[] };
    expect(card.actions.filter((a) => a.type === 'Action.Execute').map((a) => [a.verb, a.data?.matchId])).toEqual([
      ['ruche.meetup.met', matchId],
      ['ruche.meetup.skip', matchId],
    ]);
    await waitFor('the row recorded', async () => (await db.query<{ state: string }>('select state from bot_outbox where tenant_id = $1', [t])).rows[0]?.state === 'sent');
  });

  test('the weekly digest job queues and sends one digest per person and week', async () => {
    const t = await createTestTenant(db);
    const owner = await person(t, 'Owner');
    const reader = await person(t, 'Reader');
    const viewer = { tenantId: t, personId: owner.personId, roles: [] };
    const community = await createCommunity(db, viewer, { name: 'Makers', kind: 'interest', visibility: 'public' });
    await db.query('insert into memberships (tenant_id, community_id, person_id) values ($1, $2, $3)', [t, community.id, reader.personId]);
    await createPost(db, viewer, { communityId: community.id, kind: 'discussion', title: '3D printer booked', body: 'Friday' });
    const weekStart = digestWeekOf(new Date());
    await queue.enqueue('bot.digest', { weekStart });
    await waitFor('the digest', () => connector.delivered.some((d) => d.conversationId === reader.conversationId));
    // The job again (a retry, a second instance's schedule): nothing more is queued or sent.
    const again = (await queue.enqueue('bot.digest', { weekStart }, { singletonKey: 'again' }))!;
    await waitFor('the second run', async () => (await db.query<{ state: string }>(`select state::text as state from pgboss.job where name = 'bot.digest' and id = $1`, [again])).rows[0]?.state === 'completed');
    await waitFor('the drain to finish', async () => (await db.query<{ n: number }>(`select count(*)::int as n from bot_outbox where tenant_id = $1 and state = 'pending'`, [t])).rows[0]!.n === 0);
    const toReader = connector.delivered.filter((d) => d.conversationId === reader.conversationId);
    expect(toReader).toHaveLength(1);
    expect(JSON.stringify(toReader[0]!.activity)).toContain('3D printer booked');
    const rows = await db.query<{ n: number }>(`select count(*)::int as n from bot_outbox where tenant_id = $1 and kind = 'digest'`, [t]);
    expect(rows.rows[0]!.n).toBe(1);
  });
});
