/**
 * Teams activity-feed delivery through the Graph simulator: exactly once in each person's
 * feed across a crash, in order, throttled per recipient and per tenant, and only for
 * people with an Entra id and the Teams channel on, in tenants where Graph is configured.
 */
import { createTestTenant, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { createGraphClient, staticTokenProvider, type GraphClient } from '../../core/src/graph/index.js';
import { notify } from '../../core/src/notifications/index.js';
import { deliverTeamsNotifications, enableTeamsDelivery, setTeamsNotifications, type ThrottleClock } from '../../core/src/teams/index.js';
import { GraphContract } from './contract/openapi-validator.js';
import { startGraphSimulator, type GraphSimulator, type RecordedExchange } from './simulator/index.js';

let sim: GraphSimulator;
let graph: GraphClient;
let contract: GraphContract;

beforeAll(async () => {
  contract = new GraphContract();
  sim = await startGraphSimulator({ users: 40, seed: 7, record: true });
  graph = createGraphClient({
    tokenProvider: staticTokenProvider('teams-test'),
    baseUrl: sim.url,
    tenantId: 'teams-test',
    retry: { maxRetries: 4, baseDelayMs: 1, maxDelayMs: 2 },
    sleep: async () => undefined,
  });
});

afterAll(async () => {
  await sim.close();
});

/** A virtual clock: sleeping moves time forward at once. */
function virtualClock(start = Date.now()): ThrottleClock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    advance(ms) {
      t += ms;
    },
  };
}

const notificationPath = /^\/users\/([^/]+)\/teamwork\/sendActivityNotification$/;

describe.each(testDatabases())('Teams activity-feed delivery on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  async function person(tenant: string, name: string, simIndex: number | null): Promise<string> {
    const r = await db.query<{ id: string }>(
      'insert into people (tenant_id, upn, display_name, entra_oid) values ($1, $2, $3, $4) returning id',
      [tenant, `${name.toLowerCase()}-${simIndex}@org.test`, name, simIndex === null ? null : sim.tenant.userIdOf(simIndex)],
    );
    return r.rows[0]!.id;
  }

  /** What the simulator received for these users since `from` (the simulator is shared by both databases). */
  function sentTo(oids: Set<string>, from: number) {
    return sim.tenant.notifications.slice(from).filter((n) => oids.has(n.userId));
  }

  test('a crash mid-batch: the resumed drain sends the rest, in order, and each person sees each notification once', async () => {
    const from = sim.tenant.notifications.length;
    const t = await createTestTenant(db);
    await enableTeamsDelivery(db, t, { teamsAppId: '17b65015-c25b-474c-bb32-9799e0d129a9' });
    const actor = await person(t, 'Actor', 0);
    const people = [await person(t, 'Ana', 1), await person(t, 'Ben', 2), await person(t, 'Cleo', 3), await person(t, 'Dan', 4)];
    const oids = new Set([1, 2, 3, 4].map((i) => sim.tenant.userIdOf(i)));
    const notificationIds: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const p of people) {
        const kind = (['mention', 'acknowledgement_requested', 'kudos_received'] as const)[round]!;
        notificationIds.push((await notify(db, { tenantId: t, personId: p, kind, data: { message: `thanks ${round}` }, actorId: actor }))!);
      }
    }
    const outbox = await db.query<{ n: string }>('select count(*)::text as n from teams_outbox where tenant_id = $1', [t]);
    expect(Number(outbox.rows[0]!.n)).toBe(12);

    const clock = virtualClock();
    let sends = 0;
    const crash = new Error('worker killed');
    await expect(
      deliverTeamsNotifications(db, t, {
        graph,
        publicUrl: 'https://ruche.test',
        clock,
        afterSend: () => {
          if (++sends === 5) throw crash; // the 5th notification is sent, but not recorded
        },
      }),
    ).rejects.toBe(crash);
    expect(sentTo(oids, from)).toHaveLength(5);
    const states = await db.query<{ state: string; n: string }>('select state, count(*)::text as n from teams_outbox where tenant_id = $1 group by state', [t]);
    expect(Object.fromEntries(states.rows.map((r) => [r.state, Number(r.n)]))).toEqual({ sent: 4, pending: 8 });

    // A new drain before the lease expires takes nothing (the crashed run may still be alive).
    expect((await deliverTeamsNotifications(db, t, { graph, publicUrl: 'https://ruche.test', clock })).sent).toBe(0);
    clock.advance(121_000);
    const resumed = await deliverTeamsNotifications(db, t, { graph, publicUrl: 'https://ruche.test', clock });
    expect(resumed.sent).toBe(8);
    expect((await deliverTeamsNotifications(db, t, { graph, publicUrl: 'https://ruche.test', clock })).sent).toBe(0);

    const received = sentTo(oids, from);
    // On the wire: 13 requests (the one in flight at the crash went twice, with the same chainId)...
    expect(received).toHaveLength(13);
    // ...in each person's feed (Teams replaces an activity with the same chainId): 12, one per notification.
    const feed = new Map<string, unknown>();
    for (const n of received) feed.set(`${n.userId}:${String(n.body.chainId)}`, n.body);
    expect(feed.size).toBe(12);
    const rows = await db.query<{ id: string; entra_oid: string; state: string }>('select id::text as id, entra_oid, state from teams_outbox where tenant_id = $1 order by id', [t]);
    expect(rows.rows.every((r) => r.state === 'sent')).toBe(true);
    for (const r of rows.rows) expect(feed.has(`${r.entra_oid}:${r.id}`)).toBe(true);
    // In order: chain ids never go back (the resend of the crashed row comes first).
    const chainIds = received.map((n) => Number(n.body.chainId));
    const distinctInOrder = chainIds.filter((id, i) => chainIds.indexOf(id) === i);
    expect(distinctInOrder).toEqual([...distinctInOrder].sort((a, b) => a - b));

    // The activity types and template parameters of the manifest.
    const byType = new Map(received.map((n) => [n.body.activityType as string, n.body]));
    expect([...byType.keys()].sort()).toEqual(['acknowledgementRequested', 'kudosReceived', 'mention']);
    const names = (type: string) => ((byType.get(type) as { templateParameters: { name: string }[] }).templateParameters.map((p) => p.name).sort());
    expect(names('mention')).toEqual(['author', 'community']);
    expect(names('kudosReceived')).toEqual(['giver', 'reason']);
    expect(names('acknowledgementRequested')).toEqual(['announcement', 'author']);
    expect(byType.get('mention')).toMatchObject({ teamsAppId: '17b65015-c25b-474c-bb32-9799e0d129a9', topic: { source: 'text', webUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/entity\//) } });
    expect(contract.checkAll(sim.recording.filter((e: RecordedExchange) => notificationPath.test(e.path)))).toEqual([]);
  });

  test('throttled: never more than the bucket allows per recipient and per tenant in any second', async () => {
    const t = await createTestTenant(db);
    await enableTeamsDelivery(db, t);
    const actor = await person(t, 'Actor', 10);
    const recipients: string[] = [];
    for (let i = 11; i < 17; i++) recipients.push(await person(t, `P${i}`, i));
    for (let k = 0; k < 5; k++) for (const p of recipients) await notify(db, { tenantId: t, personId: p, kind: 'mention', data: {}, actorId: actor });
    const clock = virtualClock();
    const oids = new Set(Array.from({ length: 6 }, (_, k) => sim.tenant.userIdOf(11 + k)));
    const arrivals: { at: number; user: string }[] = [];
    const stop = sim.onExchange((e) => {
      const m = notificationPath.exec(e.path);
      if (m && oids.has(decodeURIComponent(m[1]!))) arrivals.push({ at: clock.now(), user: decodeURIComponent(m[1]!) });
    });
    const limits = { tenant: { perSecond: 5, burst: 5 }, perUser: { perSecond: 1, burst: 2 } };
    const report = await deliverTeamsNotifications(db, t, { graph, publicUrl: 'https://ruche.test', clock, limits, batchSize: 7 });
    stop();
    expect(report.sent).toBe(30);
    expect(arrivals).toHaveLength(30);
    expect(report.throttledMs).toBeGreaterThan(0);
    for (const start of arrivals) {
      const inWindow = arrivals.filter((a) => a.at >= start.at && a.at < start.at + 1000);
      expect(inWindow.length).toBeLessThanOrEqual(limits.tenant.burst + limits.tenant.perSecond);
      const sameUser = inWindow.filter((a) => a.user === start.user);
      expect(sameUser.length).toBeLessThanOrEqual(limits.perUser.burst + limits.perUser.perSecond);
    }
  });

  test('only people with an Entra id and the Teams channel on, only kinds with an activity type, only where Graph is configured', async () => {
    const t = await createTestTenant(db);
    const actor = await person(t, 'Actor', 20);
    const ana = await person(t, 'Ana', 21);
    await notify(db, { tenantId: t, personId: ana, kind: 'mention', data: {}, actorId: actor });
    const count = async () => Number((await db.query<{ n: string }>('select count(*)::text as n from teams_outbox where tenant_id = $1', [t])).rows[0]!.n);
    expect(await count()).toBe(0); // Graph not configured for this tenant: channel off

    await enableTeamsDelivery(db, t);
    const noOid = await person(t, 'Local', null);
    const off = await person(t, 'Off', 22);
    const mentionsOff = await person(t, 'MentionsOff', 23);
    await setTeamsNotifications(db, t, off, false);
    await setTeamsNotifications(db, t, mentionsOff, false, 'mention');
    for (const p of [ana, noOid, off, mentionsOff]) await notify(db, { tenantId: t, personId: p, kind: 'mention', data: {}, actorId: actor });
    await notify(db, { tenantId: t, personId: ana, kind: 'reply', data: {}, actorId: actor });
    await notify(db, { tenantId: t, personId: mentionsOff, kind: 'acknowledgement_requested', data: {}, actorId: actor });
    const rows = await db.query<{ person_id: string; kind: string }>('select person_id, kind from teams_outbox where tenant_id = $1 order by id', [t]);
    expect(rows.rows).toEqual([
      { person_id: ana, kind: 'mention' },
      { person_id: mentionsOff, kind: 'acknowledgement_requested' },
    ]);
    const report = await deliverTeamsNotifications(db, t, { graph, publicUrl: 'https://ruche.test', clock: virtualClock() });
    expect(report).toMatchObject({ sent: 2, failed: 0 });
  });
});
