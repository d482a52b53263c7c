/**
 * Proactive messages of the bot through a local Bot Connector that throttles like Teams:
 * each notification reaches each person once across a stop and a crash of the fan-out,
 * nobody skipped, 429 Retry-After honoured, opt-outs honoured, conversations of an
 * uninstalled app cleaned up, weekly digests once per person and week, in English and French.
 */
import { randomUUID } from 'node:crypto';
import { createTestTenant, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import type { Viewer } from '../../core/src/policy/index.js';
import { notify } from '../../core/src/notifications/index.js';
import { createCommunity } from '../../core/src/communities/index.js';
import { createPost } from '../../core/src/posts/index.js';
import { giveKudos } from '../../core/src/recognition/index.js';
import { acknowledgeAnnouncement, publishAnnouncement, sendAcknowledgementReminders } from '../../core/src/announcements/index.js';
import {
  deliverProactiveMessages,
  digestWeekOf,
  queueWeeklyDigests,
  saveConversationReference,
  setBotNotifications,
  personalConversationFor,
  purgeProactiveOutbox,
  type ProactiveDeliveryOptions,
} from '../../core/src/bot/index.js';
import { TeamsProactiveSender, renderProactiveMessage } from '../../bot/src/proactive/index.js';
import { startProactiveConnector, type DeliveredActivity, type ProactiveConnector } from './proactive-connector.js';

let connector: ProactiveConnector;

beforeAll(async () => {
  connector = await startProactiveConnector({ ratePerSecond: 50 });
});

afterAll(async () => {
  await connector.close();
});

const sender = new TeamsProactiveSender();

function options(extra: Partial<ProactiveDeliveryOptions> = {}): ProactiveDeliveryOptions {
  return { sender, render: renderProactiveMessage, publicUrl: 'https://ruche.test', limits: { tenant: { perSecond: 1000, burst: 1000 } }, ...extra };
}

/** The Adaptive Card of a delivered activity. */
function cardOf(d: DeliveredActivity): { body: { text?: string }[]; actions?: { type: string; title: string; verb?: string; url?: string }[]; lang?: string } {
  const a = d.activity.attachments?.[0];
  expect(a?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return a!.content as never;
}

describe.each(testDatabases())('bot proactive messages on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => {
    connector.reset();
  });

  async function person(tenant: string, name: string, o: { language?: string; roles?: string[]; install?: boolean } = {}): Promise<Viewer & { conversationId: string }> {
    const oid = randomUUID();
    const r = await db.query<{ id: string }>(
      'insert into people (tenant_id, upn, display_name, entra_oid, preferred_language, roles) values ($1, $2, $3, $4, $5, $6) returning id',
      [tenant, `${name.toLowerCase()}-${oid.slice(0, 8)}@org.test`, name, oid, o.language ?? null, o.roles ?? []],
    );
    const conversationId = `a:${oid}`;
    if (o.install !== false) {
      await saveConversationReference(db, tenant, {
        entraOid: oid,
        conversationId,
        conversationType: 'personal',
        serviceUrl: connector.url,
        botId: '28:ruche-bot',
        tenantEntraId: tenant,
      });
    }
    return { tenantId: tenant, personId: r.rows[0]!.id, roles: o.roles ?? [], conversationId };
  }

  async function states(tenant: string): Promise<Record<string, number>> {
    const r = await db.query<{ state: string; n: number }>('select state, count(*)::int as n from bot_outbox where tenant_id = $1 group by state', [tenant]);
    return Object.fromEntries(r.rows.map((x) => [x.state, x.n]));
  }

  async function outboxIds(tenant: string): Promise<string[]> {
    const r = await db.query<{ id: string }>('select id::text as id from bot_outbox where tenant_id = $1 order by id', [tenant]);
    return r.rows.map((x) => `ruche-${tenant}-${x.id}`);
  }

  /** A tenant with `count` people who have the bot, each with one kudos notification. */
  async function kudosFanOut(count: number) {
    const t = await createTestTenant(db);
    const giver = await person(t, 'Giver');
    const people = [];
    for (let i = 0; i < count; i++) people.push(await person(t, `Person${i}`));
    for (let i = 0; i < count; i += 10) {
      await giveKudos(db, giver, { recipients: people.slice(i, i + 10).map((p) => p.personId), valueKey: 'teamwork', message: 'Thanks for the launch', visibility: 'public' });
    }
    return { t, giver, people };
  }

  test('a stopped fan-out resumes where it stopped: every person gets the message exactly once', async () => {
    const { t, people } = await kudosFanOut(24);
    expect(await states(t)).toEqual({ pending: 24 });
    const stop = new AbortController();
    connector.onDelivered(() => {
      if (connector.delivered.length === 10) stop.abort();
    });
    const first = await deliverProactiveMessages(db, t, options({ signal: stop.signal, concurrency: 4, batchSize: 8 }));
    connector.onDelivered(undefined);
    expect(first.sent).toBe(connector.delivered.length);
    expect(first.sent).toBeGreaterThanOrEqual(10);
    expect(first.sent).toBeLessThan(24);
    // What the stopped run claimed and did not send was handed back: the restart takes it at once.
    const second = await deliverProactiveMessages(db, t, options({ concurrency: 4, batchSize: 8 }));
    expect(first.sent + second.sent).toBe(24);
    expect(await states(t)).toEqual({ sent: 24 });
    const ids = connector.delivered.map((d) => d.key);
    expect(new Set(ids).size).toBe(24);
    // The activity id is the channel's (an activity sent with one is an update): the key travels in channelData.
    expect(connector.delivered.every((d) => d.activity.id === undefined)).toBe(true);
    expect([...ids].sort()).toEqual([...(await outboxIds(t))].sort());
    expect(new Set(connector.delivered.map((d) => d.conversationId))).toEqual(new Set(people.map((p) => p.conversationId)));
    expect((await deliverProactiveMessages(db, t, options())).sent).toBe(0);
  });

  test('a crash between a send and its record: the restarted drain sends the rest, in order, and resends only the row in flight with the same key', async () => {
    const { t } = await kudosFanOut(12);
    let sends = 0;
    const crash = new Error('worker killed');
    await expect(
      deliverProactiveMessages(
        db,
        t,
        options({
          concurrency: 1,
          afterSend: () => {
            if (++sends === 5) throw crash; // the 5th message reached Teams, its record did not
          },
        }),
      ),
    ).rejects.toBe(crash);
    expect(connector.delivered).toHaveLength(5);
    expect(await states(t)).toEqual({ sent: 4, pending: 8 });
    const resumed = await deliverProactiveMessages(db, t, options({ concurrency: 1 }));
    expect(resumed.sent).toBe(8);
    expect(await states(t)).toEqual({ sent: 12 });
    const ids = connector.delivered.map((d) => d.key!);
    expect(ids).toHaveLength(13);
    // The one duplicate on the wire is the row in flight at the crash, with its stable key.
    expect(ids[4]).toBe(ids[5]);
    expect(new Set(ids).size).toBe(12);
    // In order: keys never go back.
    const rowIds = [...new Set(ids)].map((id) => Number(id.split('-').pop()));
    expect(rowIds).toEqual([...rowIds].sort((a, b) => a - b));
    const recorded = await db.query<{ n: number }>('select count(*)::int as n from bot_outbox where tenant_id = $1 and activity_id is not null', [t]);
    expect(recorded.rows[0]!.n).toBe(12);
  });

  test('a drain frozen mid-send (a killed or stalled worker): after its lease, another drain takes over; the stalled one, back, sends and records nothing more', async () => {
    const { t } = await kudosFanOut(10);
    let offset = 0;
    const zombieClock = { now: () => Date.now() + offset, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
    let unfreeze!: () => void;
    const frozen = new Promise<void>((r) => (unfreeze = r));
    let sends = 0;
    const zombie = deliverProactiveMessages(
      db,
      t,
      options({
        concurrency: 1,
        clock: zombieClock,
        afterSend: async () => {
          if (++sends === 3) await frozen; // the 3rd message reached Teams; then the worker freezes
        },
      }),
    );
    await connector.waitFor(3);
    // Before the lease expires, nobody else takes the rows (the frozen drain may still be alive).
    expect((await deliverProactiveMessages(db, t, options())).sent).toBe(0);
    // Two minutes later: the lease has expired; a new drain takes over and sends the rest.
    const later = { now: () => Date.now() + 121_000, sleep: async () => undefined };
    const takeover = await deliverProactiveMessages(db, t, options({ clock: later, concurrency: 2 }));
    expect(takeover.sent).toBe(8);
    expect(await states(t)).toEqual({ sent: 10 });
    // The frozen drain comes back (its clock too): it records nothing and sends nothing more.
    offset = 121_000;
    unfreeze();
    const zombieReport = await zombie;
    expect(zombieReport.sent).toBe(2);
    expect(await states(t)).toEqual({ sent: 10 });
    const ids = connector.delivered.map((d) => d.key);
    expect(ids).toHaveLength(11); // the 3rd went twice, with the same key
    expect(new Set(ids).size).toBe(10);
    expect([...new Set(ids)].sort()).toEqual([...(await outboxIds(t))].sort());
  });

  test('429 from the connector: the drain waits for Retry-After and sends everything once', async () => {
    const slow = await startProactiveConnector({ ratePerSecond: 8, burst: 8 });
    try {
      const t = await createTestTenant(db);
      const giver = await person(t, 'Giver');
      const people = [];
      for (let i = 0; i < 12; i++) {
        const p = await person(t, `P${i}`);
        await saveConversationReference(db, t, { personId: p.personId, conversationId: p.conversationId, conversationType: 'personal', serviceUrl: slow.url, botId: '28:ruche-bot', tenantEntraId: t });
        people.push(p);
      }
      await giveKudos(db, giver, { recipients: people.map((p) => p.personId), valueKey: 'courage', message: 'Bravo', visibility: 'public' });
      const report = await deliverProactiveMessages(db, t, options({ concurrency: 2 }));
      expect(report.sent).toBe(12);
      expect(report.throttled).toBeGreaterThanOrEqual(1);
      expect(slow.throttled.get(t)).toBe(report.throttled);
      expect(slow.delivered).toHaveLength(12);
      expect(new Set(slow.delivered.map((d) => d.key)).size).toBe(12);
      // After the bucket ran dry, the next message came a Retry-After (1 s) later, not before.
      const gaps = slow.delivered.slice(1).map((d, i) => d.at - slow.delivered[i]!.at);
      expect(Math.max(...gaps)).toBeGreaterThanOrEqual(950);
    } finally {
      await slow.close();
    }
  });

  test('a 500 once is retried; an answer lost after delivery is resent with the same key', async () => {
    const { t } = await kudosFanOut(3);
    connector.failNext(500);
    const report = await deliverProactiveMessages(db, t, options({ concurrency: 1, clock: { now: () => Date.now(), sleep: async () => undefined } }));
    expect(report.sent).toBe(3);
    expect(connector.faults).toEqual([{ status: 500, conversationId: expect.any(String) }]);
    expect(connector.delivered).toHaveLength(3);

    const again = await kudosFanOut(2);
    connector.reset();
    connector.loseNextAnswer();
    const r2 = await deliverProactiveMessages(db, again.t, options({ concurrency: 1, clock: { now: () => Date.now(), sleep: async () => undefined } }));
    expect(r2.sent).toBe(2);
    const ids = connector.delivered.map((d) => d.key);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBe(ids[1]);
    expect(new Set(ids).size).toBe(2);
  });

  test('the connector crashes mid-fan-out: the drain stops with the rest pending; once it is back, the rest goes, each message once', async () => {
    const { t } = await kudosFanOut(10);
    connector.crashAfter(4);
    const fast = { now: () => Date.now(), sleep: async () => undefined };
    await expect(deliverProactiveMessages(db, t, options({ concurrency: 1, clock: fast }))).rejects.toThrow(/keeps failing \(0\)/);
    expect(connector.delivered).toHaveLength(4);
    expect(await states(t)).toEqual({ sent: 4, pending: 6 });
    connector.recover();
    expect((await deliverProactiveMessages(db, t, options({ clock: fast }))).sent).toBe(6);
    const ids = connector.delivered.map((d) => d.key);
    expect(ids).toHaveLength(10);
    expect([...ids].sort()).toEqual([...(await outboxIds(t))].sort());
  });

  test('a connector that keeps failing stops the drain; the rows stay pending for the next run', async () => {
    const { t } = await kudosFanOut(3);
    connector.failNext(503, { times: 10 });
    await expect(deliverProactiveMessages(db, t, options({ concurrency: 1, clock: { now: () => Date.now(), sleep: async () => undefined } }))).rejects.toThrow(/keeps failing \(503\)/);
    expect(await states(t)).toEqual({ pending: 3 });
    const leased = await db.query<{ n: number }>('select count(*)::int as n from bot_outbox where tenant_id = $1 and lease_owner is not null', [t]);
    expect(leased.rows[0]!.n).toBe(0);
    connector.reset();
    expect((await deliverProactiveMessages(db, t, options())).sent).toBe(3);
  });

  test('an uninstalled app (403/404): the reference is removed, the row failed, the person\'s other messages skipped, the others sent', async () => {
    const t = await createTestTenant(db);
    const giver = await person(t, 'Giver');
    const gone = await person(t, 'Gone');
    const gone404 = await person(t, 'Gone404');
    const stays = await person(t, 'Stays');
    for (let round = 0; round < 2; round++) {
      await giveKudos(db, giver, { recipients: [gone.personId, gone404.personId, stays.personId], valueKey: 'kindness', message: `Round ${round}`, visibility: 'public' });
    }
    connector.remove(gone.conversationId, 403);
    connector.remove(gone404.conversationId, 404);
    const report = await deliverProactiveMessages(db, t, options({ concurrency: 1 }));
    expect(report).toMatchObject({ sent: 2, failed: 2, skipped: 2, removed: 2 });
    expect(await personalConversationFor(db, t, gone.personId)).toBeNull();
    expect(await personalConversationFor(db, t, gone404.personId)).toBeNull();
    expect(await personalConversationFor(db, t, stays.personId)).not.toBeNull();
    expect(connector.delivered.map((d) => d.conversationId)).toEqual([stays.conversationId, stays.conversationId]);
    const failed = await db.query<{ last_error: string }>(`select last_error from bot_outbox where tenant_id = $1 and state = 'failed' order by id`, [t]);
    expect(failed.rows.map((r) => r.last_error)).toEqual([expect.stringMatching(/^conversation gone \(403\)/), expect.stringMatching(/^conversation gone \(404\)/)]);
    // No conversation any more: new notifications of these people queue nothing.
    await giveKudos(db, giver, { recipients: [gone.personId], valueKey: 'kindness', message: 'Later', visibility: 'public' });
    expect(await states(t)).toEqual({ sent: 2, failed: 2, skipped: 2 });
  });

  test('opt-outs, people without the bot and former employees get nothing; per-kind switches are honoured', async () => {
    const t = await createTestTenant(db);
    const author = await person(t, 'Author');
    const allOff = await person(t, 'AllOff');
    const kudosOff = await person(t, 'KudosOff');
    const noBot = await person(t, 'NoBot', { install: false });
    const former = await person(t, 'Former');
    await db.query('update people set is_former_employee = true where tenant_id = $1 and id = $2', [t, former.personId]);
    await setBotNotifications(db, t, allOff.personId, false);
    await setBotNotifications(db, t, kudosOff.personId, false, 'kudos_received');
    const community = await createCommunity(db, author, { name: 'Open floor', kind: 'interest', visibility: 'public' });
    const post = await createPost(db, author, { communityId: community.id, kind: 'discussion', title: 'Roadmap', body: 'What do you think?' });
    for (const p of [allOff, kudosOff, noBot, former]) {
      await notify(db, { tenantId: t, personId: p.personId, kind: 'mention', data: { postId: post.id }, actorId: author.personId });
      await notify(db, { tenantId: t, personId: p.personId, kind: 'kudos_received', data: { kudosId: randomUUID() }, actorId: author.personId });
    }
    const rows = await db.query<{ person_id: string; kind: string }>('select person_id, kind from bot_outbox where tenant_id = $1', [t]);
    expect(rows.rows).toEqual([{ person_id: kudosOff.personId, kind: 'mention' }]);
    // Turned back on: the next one goes.
    await setBotNotifications(db, t, allOff.personId, true);
    await notify(db, { tenantId: t, personId: allOff.personId, kind: 'mention', data: { postId: post.id }, actorId: author.personId });
    const report = await deliverProactiveMessages(db, t, options());
    expect(report.sent).toBe(2);
    expect(connector.delivered.map((d) => d.conversationId).sort()).toEqual([allOff.conversationId, kudosOff.conversationId].sort());
  });

  test('messages in the person\'s language: a French mention card, an English kudos card, a reminder with its Acknowledge button; unreadable items are skipped', async () => {
    const t = await createTestTenant(db);
    const comms = await person(t, 'Comms', { roles: ['communicator'] });
    const ana = await person(t, 'Ana', { language: 'fr-FR' });
    const ben = await person(t, 'Ben', { language: 'en-GB' });
    const community = await createCommunity(db, comms, { name: 'Atelier', kind: 'interest', visibility: 'public' });
    const secret = await createCommunity(db, comms, { name: 'Comité', kind: 'project', visibility: 'secret' });
    const post = await createPost(db, comms, { communityId: community.id, kind: 'discussion', title: 'Nouvelle ligne', body: 'Vos idées ?' });
    const hidden = await createPost(db, comms, { communityId: secret.id, kind: 'discussion', title: 'Confidentiel', body: 'x' });
    await notify(db, { tenantId: t, personId: ana.personId, kind: 'mention', data: { postId: post.id }, actorId: comms.personId });
    await notify(db, { tenantId: t, personId: ana.personId, kind: 'mention', data: { postId: hidden.id }, actorId: comms.personId });
    await giveKudos(db, ana, { recipients: [ben.personId], valueKey: 'innovation', message: 'Great prototype', visibility: 'public' });
    const published = new Date(Date.now() - 4 * 86_400_000);
    const announcement = await publishAnnouncement(db, comms, { title: 'Safety rules', body: 'Please read.', targets: [{ type: 'organisation' }] }, published);
    await sendAcknowledgementReminders(db, t, new Date());
    const report = await deliverProactiveMessages(db, t, options({ concurrency: 1, teamsAppId: '17b65015-c25b-474c-bb32-9799e0d129a9' }));
    expect(report.skipped).toBe(1);
    const toAna = connector.delivered.filter((d) => d.conversationId === ana.conversationId);
    const toBen = connector.delivered.filter((d) => d.conversationId === ben.conversationId);
    const mention = toAna.find((d) => String(d.activity.summary).includes('mentionné'))!;
    expect(mention.activity).toMatchObject({ type: 'message', locale: 'fr-FR', summary: 'Comms vous a mentionné dans Atelier' });
    const mentionCard = cardOf(mention);
    expect(mentionCard.lang).toBe('fr');
    expect(JSON.stringify(mentionCard)).toContain('Nouvelle ligne');
    expect(mentionCard.actions?.at(-1)).toMatchObject({ type: 'Action.OpenUrl', title: 'Ouvrir dans Ruche', url: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/entity\/17b65015/) });
    expect(JSON.stringify(connector.delivered)).not.toContain('Confidentiel');
    const kudos = toBen.find((d) => String(d.activity.summary).startsWith('You received kudos'))!;
    expect(kudos.activity).toMatchObject({ locale: 'en-US', summary: 'You received kudos from Ana' });
    expect(JSON.stringify(cardOf(kudos))).toContain('Great prototype');
    const reminders = connector.delivered.filter((d) => String(d.activity.summary).match(/Safety rules/));
    expect(reminders.map((d) => d.conversationId).sort()).toEqual([ana.conversationId, ben.conversationId].sort());
    const frReminder = reminders.find((d) => d.conversationId === ana.conversationId)!;
    expect(frReminder.activity.summary).toBe('Rappel : merci de lire et de confirmer la lecture de « Safety rules »');
    expect(cardOf(frReminder).actions?.some((a) => a.type === 'Action.Execute' && a.verb === 'ruche.announcement.acknowledge')).toBe(true);
    // A reminder acknowledged before it went out says nothing.
    connector.reset();
    // Four days later (reminder notifications are grouped per day: the first ones are from another day now).
    await db.query(`update notifications set group_day = group_day - 4 where tenant_id = $1 and kind = 'acknowledgement_reminder'`, [t]);
    await sendAcknowledgementReminders(db, t, new Date(Date.now() + 4 * 86_400_000));
    expect(await db.query(`select count(*)::int as n from bot_outbox where tenant_id = $1 and state = 'pending'`, [t])).toMatchObject({ rows: [{ n: 2 }] });
    await acknowledgeAnnouncement(db, ben, announcement.post.id);
    expect(await deliverProactiveMessages(db, t, options())).toMatchObject({ sent: 1, skipped: 1 });
    expect(connector.delivered.map((d) => d.conversationId)).toEqual([ana.conversationId]);
  });

  test('weekly digest: once per person and week, nothing for a quiet week or an opt-out, in the person\'s language', async () => {
    const t = await createTestTenant(db);
    const owner = await person(t, 'Owner');
    const ana = await person(t, 'Ana', { language: 'fr' });
    const ben = await person(t, 'Ben');
    const quiet = await person(t, 'Quiet');
    const optedOut = await person(t, 'OptedOut');
    await setBotNotifications(db, t, optedOut.personId, false, 'digest');
    const community = await createCommunity(db, owner, { name: 'Data engineering', kind: 'profession', visibility: 'public' });
    for (const p of [ana, ben, optedOut]) await db.query(`insert into memberships (tenant_id, community_id, person_id) values ($1, $2, $3)`, [t, community.id, p.personId]);
    await createPost(db, owner, { communityId: community.id, kind: 'discussion', title: 'Pipeline v2 is live', body: 'Details inside' });
    await createPost(db, owner, { communityId: community.id, kind: 'question', title: 'Which scheduler?', body: 'Airflow or Dagster?' });
    await giveKudos(db, owner, { recipients: [ben.personId], valueKey: 'teamwork', message: 'Thanks for the migration', visibility: 'public' });
    connector.reset();
    await db.query(`update bot_outbox set state = 'skipped' where tenant_id = $1`, [t]);
    const week = digestWeekOf(new Date());
    const first = await queueWeeklyDigests(db, t, week);
    expect(first).toEqual({ queued: 2, already: 0, empty: 2, optedOut: 1 });
    expect(await queueWeeklyDigests(db, t, week)).toEqual({ queued: 0, already: 2, empty: 2, optedOut: 1 });
    const report = await deliverProactiveMessages(db, t, options());
    expect(report.sent).toBe(2);
    expect(connector.delivered.map((d) => d.conversationId).sort()).toEqual([ana.conversationId, ben.conversationId].sort());
    const toAna = connector.delivered.find((d) => d.conversationId === ana.conversationId)!;
    expect(toAna.activity.summary).toMatch(/^Semaine du /);
    const anaCard = JSON.stringify(cardOf(toAna));
    expect(anaCard).toContain('Data engineering : 2 nouveaux messages');
    expect(anaCard).toContain('Pipeline v2 is live');
    const benCard = JSON.stringify(cardOf(connector.delivered.find((d) => d.conversationId === ben.conversationId)!));
    expect(benCard).toContain('You received 1 kudos this week');
    expect(benCard).toContain('Thanks for the migration');
    expect(connector.delivered.some((d) => d.conversationId === quiet.conversationId || d.conversationId === optedOut.conversationId)).toBe(false);
    // A second run of the week's job sends nothing more.
    await queueWeeklyDigests(db, t, week);
    expect((await deliverProactiveMessages(db, t, options())).sent).toBe(0);
    await expect(queueWeeklyDigests(db, t, '2026-11-24')).rejects.toThrow(/Monday/);
    // Done rows are forgotten after the retention; pending ones never.
    await db.query(`update bot_outbox set sent_at = now() - interval '40 days', created_at = now() - interval '40 days' where tenant_id = $1`, [t]);
    await db.query(`insert into bot_outbox (tenant_id, person_id, kind, digest_week, created_at) values ($1, $2, 'digest', '2020-01-06', now() - interval '40 days')`, [t, quiet.personId]);
    expect(await purgeProactiveOutbox(db, 30)).toBeGreaterThanOrEqual(2);
    expect(await states(t)).toEqual({ pending: 1 });
  });
});
