import { randomUUID } from 'node:crypto';
import { testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import { BOT_ID, type BotWorld, type Json, activity, botMention, cardText, count, createWorld, post, say } from './harness.js';

describe.each(testDatabases())('bot in teams, installation and conversation references on $name', ({ open }) => {
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

  const channel = (teamId: string, teamName: string, channelId = `19:${randomUUID()}@thread.tacv2`): Json => ({
    conversation: { id: channelId, conversationType: 'channel', tenantId: world.tenant, isGroup: true },
    channelData: { tenant: { id: world.tenant }, team: { id: teamId, name: teamName }, channel: { id: channelId } },
  });
  const reference = async (conversationId: string) =>
    (await db.query<{ conversation_type: string; person_id: string | null; team_id: string | null; service_url: string }>(
      'select conversation_type, person_id, team_id, service_url from bot_conversations where tenant_id = $1 and conversation_id = $2',
      [world.tenant, conversationId],
    )).rows[0];

  test('personal install saves the conversation reference; every message refreshes it; uninstall removes it', async () => {
    const conv = { id: `a:${randomUUID()}`, conversationType: 'personal', tenantId: world.tenant };
    const installed = await post(world, activity(world, 'eve', { type: 'installationUpdate', action: 'add' }, { conversation: conv }));
    expect(installed.status).toBe(200);
    expect(await reference(conv.id)).toMatchObject({ conversation_type: 'personal', person_id: world.people.eve!.id, service_url: world.connector.url });
    await db.query('update bot_conversations set service_url = $3 where tenant_id = $1 and conversation_id = $2', [world.tenant, conv.id, 'https://old.example']);
    await say(world, 'eve', 'help', { conversation: conv });
    expect((await reference(conv.id))?.service_url).toBe(world.connector.url);
    await post(world, activity(world, 'eve', { type: 'installationUpdate', action: 'remove' }, { conversation: conv }));
    expect(await reference(conv.id)).toBeUndefined();
  });

  test('adding the bot to a team creates a community linked to the team (once, despite both install events)', async () => {
    const teamId = `19:${randomUUID()}@thread.tacv2`;
    const place = channel(teamId, 'Platform Guild');
    const before = await count(db, 'select count(*)::int as n from communities where tenant_id = $1', [world.tenant]);
    const sentBefore = world.connector.sent.length;
    const [a, b] = await Promise.all([
      post(world, activity(world, 'ana', { type: 'installationUpdate', action: 'add' }, place)),
      post(world, activity(world, 'ana', { type: 'conversationUpdate', membersAdded: [{ id: BOT_ID }] }, { ...place, channelData: { ...place.channelData, eventType: 'teamMemberAdded' } })),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    // Concurrent requests: what the connector received in all.
    const said = world.connector.sent.slice(sentBefore).map((x) => cardText(x.body.attachments[0].content));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('I created the community Platform Guild for this team');
    expect(await count(db, 'select count(*)::int as n from communities where tenant_id = $1', [world.tenant])).toBe(before + 1);
    expect(await count(db, 'select count(*)::int as n from bot_team_communities where tenant_id = $1 and team_id = $2', [world.tenant, teamId])).toBe(1);
    expect((await reference(place.conversation.id))?.team_id).toBe(teamId);

    // "@Ruche post ..." in any channel of the team posts into the linked community.
    const m = botMention();
    const other = channel(teamId, 'Platform Guild');
    const r = await say(world, 'ana', `${m.text} post Weekly sync notes are up`, { ...other, entities: [m.entity] });
    expect(cardText(r.cards[0])).toContain('Posted in Platform Guild');
    expect(r.replies[0].conversation.id).toBe(other.conversation.id);
    // A phrase after "in" that names no community stays in the text.
    const s = await say(world, 'ana', `${m.text} post Our offsite was great in Lyon`, { ...other, entities: [m.entity] });
    expect(cardText(s.cards[0])).toContain('Posted in Platform Guild');
    const last = await db.query<{ body: string }>('select body from posts where tenant_id = $1 order by created_at desc limit 1', [world.tenant]);
    expect(last.rows[0]!.body).toBe('Our offsite was great in Lyon');
    // Naming another community still works from the channel.
    const elsewhere = await say(world, 'ana', `${m.text} post Cross-post in Data engineering`, { ...other, entities: [m.entity] });
    expect(cardText(elsewhere.cards[0])).toContain('Posted in Data engineering');
  });

  test('a team named like an existing community is linked to it (French greeting)', async () => {
    const teamId = `19:${randomUUID()}@thread.tacv2`;
    const r = await post(world, activity(world, 'chloe', { type: 'installationUpdate', action: 'add' }, { ...channel(teamId, 'data engineering'), locale: 'fr-FR' }));
    expect(cardText(r.cards[0])).toContain('Cette équipe publie désormais dans la communauté Data engineering');
    const linked = await db.query<{ community_id: string }>('select community_id from bot_team_communities where tenant_id = $1 and team_id = $2', [world.tenant, teamId]);
    expect(linked.rows[0]!.community_id).toBe(world.communities.data);
  });

  test('a team not linked yet: post in a channel asks for a community', async () => {
    const teamId = `19:${randomUUID()}@thread.tacv2`;
    const m = botMention();
    const r = await say(world, 'ben', `${m.text} post hello`, { ...channel(teamId, 'Unlinked'), entities: [m.entity] });
    expect(cardText(r.cards[0])).toContain('In which community?');
  });

  test('removing the bot from a team forgets the channel reference', async () => {
    const teamId = `19:${randomUUID()}@thread.tacv2`;
    const place = channel(teamId, 'Short lived');
    await post(world, activity(world, 'dan', { type: 'installationUpdate', action: 'add' }, place));
    expect(await reference(place.conversation.id)).toBeDefined();
    await post(world, activity(world, 'dan', { type: 'conversationUpdate', membersRemoved: [{ id: BOT_ID }] }, place));
    expect(await reference(place.conversation.id)).toBeUndefined();
  });
});
