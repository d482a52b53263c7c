import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { testDatabases } from '@ruche/core/testing';
import { type Db, createCommunity, createPost, refreshExpertiseEvidence } from '@ruche/core';
import { type BotWorld, type Json, activity, cardText, count, createWorld, post } from './harness.js';

const manifest = JSON.parse(readFileSync(new URL('../../manifest/appPackage/manifest.json', import.meta.url), 'utf8')) as Json;

describe.each(testDatabases())('message extensions on $name', ({ open }) => {
  let db: Db;
  let world: BotWorld;
  beforeAll(async () => {
    db = await open();
    world = await createWorld(db);
    await createPost(db, world.people.ana!.viewer, { communityId: world.communities.data!, kind: 'discussion', title: 'Kafka retention guide', body: 'How we tune #kafka retention and compaction' });
    await createPost(db, world.people.ana!.viewer, { communityId: world.communities.data!, kind: 'discussion', body: 'Another note on #kafka partitions' });
    const secret = await createCommunity(db, world.people.dan!.viewer, { name: 'Board room', kind: 'project', visibility: 'private' });
    await createPost(db, world.people.dan!.viewer, { communityId: secret.id, kind: 'discussion', title: 'Retention bonuses', body: 'Confidential retention plan' });
    await refreshExpertiseEvidence(db, world.tenant);
  });
  afterAll(async () => {
    await world.close();
    await db.close();
  });

  const invoke = (who: string, name: string, value: Json, options: Json = {}) =>
    post(world, activity(world, who, { type: 'invoke', name, value }, { conversation: { id: 'a:compose', conversationType: 'personal', tenantId: world.tenant }, ...options }));
  const query = (who: string, commandId: string, q: string, options: Json = {}) =>
    invoke(who, 'composeExtension/query', { commandId, parameters: [{ name: 'query', value: q }], queryOptions: { skip: 0, count: 25 } }, options);
  const messagePayload = (author: string, html: string) => {
    const p = world.people[author]!;
    return { id: randomUUID(), body: { contentType: 'html', content: html }, from: { user: { id: `29:${p.oid}`, aadObjectId: p.oid, displayName: p.name } } };
  };

  test('the command ids handled are those the manifest declares', () => {
    const ids = manifest.composeExtensions[0].commands.map((c: Json) => `${c.type}:${c.id}`);
    expect(ids).toEqual(['query:findExpert', 'query:findPost', 'action:giveKudos', 'action:shareToCommunity']);
  });

  test('find an expert: results with the reason, inserted as cards with their evidence', async () => {
    const r = await query('ben', 'findExpert', 'kafka');
    expect(r.status).toBe(200);
    const result = r.body.composeExtension;
    expect(result.type).toBe('result');
    expect(result.attachments.length).toBeGreaterThan(0);
    const first = result.attachments[0];
    expect(first.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(first.preview.content.title).toBe('Ana Martin');
    expect(cardText(first.content)).toMatch(/Posts/);
    const fr = await query('ben', 'findExpert', 'kafka', { locale: 'fr-FR' });
    expect(cardText(fr.body.composeExtension.attachments[0].content)).toContain('Messages');
    const none = await query('ben', 'findExpert', 'zzzz quux');
    expect(none.body.composeExtension).toEqual({ type: 'message', text: 'Nothing found.' });
  });

  test('find a post: only posts the searcher may read, as post cards', async () => {
    const r = await query('ben', 'findPost', 'retention');
    const attachments = r.body.composeExtension.attachments;
    expect(attachments).toHaveLength(1);
    expect(cardText(attachments[0].content)).toContain('Kafka retention guide');
    const member = await query('dan', 'findPost', 'retention');
    expect(member.body.composeExtension.attachments).toHaveLength(2);
    const empty = await query('ben', 'findPost', '');
    expect(empty.body.composeExtension.attachments).toEqual([]);
  });

  test('Give kudos from a message: the author pre-filled in the form; submit gives kudos once (retries too)', async () => {
    const payload = messagePayload('chloe', '<p>I fixed the <b>build</b> for everyone</p>');
    const open1 = await invoke('ben', 'composeExtension/fetchTask', { commandId: 'giveKudos', commandContext: 'message', messagePayload: payload });
    expect(open1.status).toBe(200);
    const form = open1.body.task.value.card.content;
    expect(open1.body.task.type).toBe('continue');
    expect(cardText(form)).toContain('Chloé Lefèvre');
    const submit = form.actions[0];
    expect(submit.data.recipientId).toBe(world.people.chloe!.id);
    const before = await count(db, 'select count(*)::int as n from kudos where tenant_id = $1', [world.tenant]);
    const id = randomUUID();
    const value = { commandId: 'giveKudos', commandContext: 'message', messagePayload: payload, data: { ...submit.data, valueKey: 'teamwork', message: 'Thanks for fixing the build' } };
    const done = await post(world, activity(world, 'ben', { type: 'invoke', name: 'composeExtension/submitAction', value }, { id }));
    expect(done.body.composeExtension.type).toBe('result');
    expect(cardText(done.body.composeExtension.attachments[0].content)).toContain('Thanks for fixing the build');
    const retry = await post(world, activity(world, 'ben', { type: 'invoke', name: 'composeExtension/submitAction', value }, { id }));
    expect(retry.status).toBe(200);
    expect(await count(db, 'select count(*)::int as n from kudos where tenant_id = $1', [world.tenant])).toBe(before + 1);
  });

  test('Give kudos: an author Ruche does not know, and a refused submit (own message), get friendly cards', async () => {
    const stranger = { id: randomUUID(), body: { contentType: 'html', content: 'hi' }, from: { user: { id: '29:x', aadObjectId: randomUUID(), displayName: 'Nobody Known' } } };
    const r = await invoke('ben', 'composeExtension/fetchTask', { commandId: 'giveKudos', commandContext: 'message', messagePayload: stranger });
    expect(cardText(r.body.task.value.card.content)).toContain('The author of this message is not in Ruche');
    const self = await invoke('ben', 'composeExtension/submitAction', {
      commandId: 'giveKudos',
      data: { recipientId: world.people.ben!.id, valueKey: 'teamwork', message: 'me' },
    });
    expect(self.body.task.type).toBe('continue');
    expect(cardText(self.body.task.value.card.content)).toContain('You cannot give kudos to yourself');
  });

  test('Share to a community: the message text pre-filled; submit posts it into the chosen community', async () => {
    const payload = messagePayload('ana', '<p>Release notes:<br>faster &amp; safer</p>');
    const open1 = await invoke('chloe', 'composeExtension/fetchTask', { commandId: 'shareToCommunity', commandContext: 'message', messagePayload: payload }, { locale: 'fr-FR' });
    const form = open1.body.task.value.card.content;
    expect(open1.body.task.value.title).toBe('Partager dans une communauté');
    const choice = form.body.find((b: Json) => b.id === 'communityId');
    expect(choice.choices.map((c: Json) => c.title)).toEqual(['Data engineering']);
    const text = form.body.find((b: Json) => b.id === 'text');
    expect(text.value).toBe('Release notes:\nfaster & safer');
    const done = await invoke('chloe', 'composeExtension/submitAction', { commandId: 'shareToCommunity', data: { communityId: world.communities.data, text: text.value } }, { locale: 'fr-FR' });
    expect(cardText(done.body.composeExtension.attachments[0].content)).toContain('faster & safer');
    const saved = await db.query<{ body: string; author_id: string }>('select body, author_id from posts where tenant_id = $1 order by created_at desc limit 1', [world.tenant]);
    expect(saved.rows[0]).toEqual({ body: 'Release notes:\nfaster & safer', author_id: world.people.chloe!.id });
    // Someone who is a member of no community is told so.
    const none = await invoke('eve', 'composeExtension/fetchTask', { commandId: 'shareToCommunity', commandContext: 'message', messagePayload: payload });
    expect(cardText(none.body.task.value.card.content)).toContain('You are not a member of any community you can post in');
    // Sharing into a community where one may not post is refused by the policy, nothing saved.
    const before = await count(db, 'select count(*)::int as n from posts where tenant_id = $1', [world.tenant]);
    const refused = await invoke('eve', 'composeExtension/submitAction', { commandId: 'shareToCommunity', data: { communityId: world.communities.data, text: 'x' } });
    expect(cardText(refused.body.task.value.card.content)).toContain('Only members can post');
    expect(await count(db, 'select count(*)::int as n from posts where tenant_id = $1', [world.tenant])).toBe(before);
  });

  test('an unknown person using an extension gets the friendly card', async () => {
    const r = await post(world, activity(world, 'ana', { type: 'invoke', name: 'composeExtension/query', value: { commandId: 'findPost', parameters: [{ name: 'query', value: 'kafka' }] } }, { stranger: true }));
    expect(r.body.composeExtension.text).toContain('Your account is not in Ruche yet');
  });
});
