import { randomUUID } from 'node:crypto';
import { testDatabases } from '@ruche/core/testing';
import { type Db, publishAnnouncement } from '@ruche/core';
import { type BotWorld, activity, actionsOf, cardText, count, createWorld, mention, post, press, say } from './harness.js';

describe.each(testDatabases())('bot idempotency on $name', ({ open }) => {
  let db: Db;
  let world: BotWorld;
  beforeAll(async () => {
    db = await open();
    world = await createWorld(db);
  });
  afterAll(async () => {
    await world.close();
    await db.close();
  });

  const posts = () => count(db, 'select count(*)::int as n from posts where tenant_id = $1', [world.tenant]);
  const kudos = () => count(db, 'select count(*)::int as n from kudos where tenant_id = $1', [world.tenant]);

  test('a retried post (same activity id) creates one post and one reply', async () => {
    const before = await posts();
    const id = randomUUID();
    const first = await say(world, 'ana', 'post Retried post in Data engineering', { id });
    expect(first.cards).toHaveLength(2);
    const retry = await say(world, 'ana', 'post Retried post in Data engineering', { id });
    expect(retry.status).toBe(200);
    expect(retry.replies).toHaveLength(0);
    expect(await posts()).toBe(before + 1);
    const state = await db.query<{ state: string; kind: string }>('select state, kind from bot_activities where tenant_id = $1 and activity_id = $2', [world.tenant, id]);
    expect(state.rows[0]).toEqual({ state: 'done', kind: 'message.post' });
  });

  test('two deliveries of the same kudos at once: one kudos', async () => {
    const before = await kudos();
    const m = mention(world, 'ben');
    const body = activity(world, 'ana', { type: 'message', text: `kudos ${m.text} for the retry test`, entities: [m.entity] });
    const sentBefore = world.connector.sent.length;
    const [a, b] = await Promise.all([post(world, body), post(world, body)]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(await kudos()).toBe(before + 1);
    expect(world.connector.sent.length - sentBefore).toBe(1);
  });

  test('the same activity id in another organisation is another activity', async () => {
    const id = randomUUID();
    await db.query('insert into tenants (id, name) values ($1, $2)', [randomUUID(), 'Other']);
    const other = (await db.query<{ id: string }>("select id from tenants where name = 'Other'")).rows[0]!.id;
    await db.query('insert into bot_activities (tenant_id, activity_id, kind) values ($1, $2, $3)', [other, id, 'message.post']);
    const before = await posts();
    await say(world, 'ana', 'post Same id elsewhere in Data engineering', { id });
    expect(await posts()).toBe(before + 1);
  });

  test('a core refusal is an answer: the retry gets nothing and still nothing is saved', async () => {
    const before = await posts();
    const id = randomUUID();
    const first = await say(world, 'eve', 'post not a member in Data engineering', { id });
    expect(cardText(first.cards[0])).toContain('Only members can post');
    const retry = await say(world, 'eve', 'post not a member in Data engineering', { id });
    expect(retry.replies).toHaveLength(0);
    expect(await posts()).toBe(before);
  });

  test('an unexpected failure releases the claim: the retry runs the command (nothing lost, nothing doubled)', async () => {
    const before = await posts();
    const id = randomUUID();
    // The community's posts table refuses rows for a moment (as a database failover would).
    await db.exec(`create or replace function bot_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'database unavailable'; end $$`);
    await db.exec('create trigger bot_test_refuse before insert on posts for each row execute function bot_test_refuse()');
    try {
      const failed = await say(world, 'ana', 'post After the failover in Data engineering', { id });
      expect(failed.status).toBe(200);
      expect(cardText(failed.cards[0])).toContain('Something went wrong on our side. Nothing was saved');
      expect(await count(db, 'select count(*)::int as n from bot_activities where tenant_id = $1 and activity_id = $2', [world.tenant, id])).toBe(0);
    } finally {
      await db.exec('drop trigger bot_test_refuse on posts');
    }
    const retry = await say(world, 'ana', 'post After the failover in Data engineering', { id });
    expect(cardText(retry.cards[0])).toContain('Posted in Data engineering');
    expect(await posts()).toBe(before + 1);
  });

  test('a retried Acknowledge press renders the card again without acknowledging twice', async () => {
    await publishAnnouncement(db, world.people.dan!.viewer, { title: 'Retry policy', targets: [{ type: 'organisation' }] });
    const list = await say(world, 'chloe', 'announcements');
    const [ack] = actionsOf(list.cards[1]);
    const id = randomUUID();
    const acknowledgedAt = async () =>
      (await db.query<{ at: string }>('select acknowledged_at::text as at from acknowledgements where tenant_id = $1 and person_id = $2', [world.tenant, world.people.chloe!.id])).rows.map((r) => r.at);
    const first = await press(world, 'chloe', ack, { id });
    expect(cardText(first.body.value)).toContain('Acknowledged on');
    const once = await acknowledgedAt();
    expect(once).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 20));
    const retry = await press(world, 'chloe', ack, { id });
    expect(cardText(retry.body.value)).toContain('Acknowledged on');
    expect(await acknowledgedAt()).toEqual(once);
  });
});
