import { testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import { type Social, type Who, socialFixture } from './posts-testing.js';

describe.each(testDatabases())('notifications API on $name', ({ open }) => {
  let db: Db;
  let s: Social;

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
  });
  afterAll(async () => {
    await s.close();
    await db.close();
  });

  const list = async (who: Who, query = '') => (await s.as(who, 'GET', `/notifications${query}`)).body as { items: { id: string; kind: string; data: Record<string, string>; count: number; read: boolean; actors: { displayName: string }[] }[]; nextCursor: string | null };
  const unread = async (who: Who) => (await s.as(who, 'GET', '/notifications/unread-count')).body.unreadCount as number;
  const readAll = (who: Who) => s.as(who, 'POST', '/notifications/read', { all: true });
  const post = async (who: Who, communityId: string, body: string, kind = 'discussion') => {
    const r = await s.as(who, 'POST', '/posts', { communityId, kind, title: kind === 'discussion' ? '' : 'A title', body });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };

  test('mentions (only of people who may read the item), replies, reactions grouped, accepted answers; never oneself', async () => {
    const priv = await s.community('private');
    for (const who of ['camille', 'lea', 'outsider'] as const) await readAll(who);
    // Léa (member) and the outsider are mentioned in a private community: only Léa is told.
    const p = await post('camille', priv, `Hello @${s.upn('lea')} and @${s.upn('outsider')} and myself @${s.upn('camille')}`, 'question');
    expect((await list('lea')).items[0]).toMatchObject({ kind: 'mention', data: { postId: p }, actors: [{ displayName: 'Camille Martin' }] });
    expect(await unread('outsider')).toBe(0);
    expect(await unread('camille')).toBe(0);

    // A reply notifies the post author; a reply to a comment also its author; not the replier.
    const c1 = await s.as('lea', 'POST', `/posts/${p}/comments`, { body: 'an answer' });
    expect(c1.status).toBe(201);
    expect((await list('camille')).items[0]).toMatchObject({ kind: 'reply', data: { postId: p, commentId: c1.body.id } });
    const c2 = await s.as('moderator', 'POST', `/posts/${p}/comments`, { body: 'me too', parentId: c1.body.id });
    expect((await list('lea')).items[0]).toMatchObject({ kind: 'reply', data: { commentId: c2.body.id } });
    await s.as('camille', 'POST', `/posts/${p}/comments`, { body: 'thanks' });
    expect((await list('camille')).items.filter((n) => n.kind === 'reply')).toHaveLength(2);

    // Reactions: one notification per item and day, counted, updated in place.
    await readAll('camille');
    for (const who of ['lea', 'moderator', 'owner', 'lea'] as const) {
      expect((await s.as(who, 'PUT', `/posts/${p}/reaction`, { kind: who === 'lea' ? 'like' : 'love' })).status).toBe(200);
    }
    await s.as('camille', 'PUT', `/posts/${p}/reaction`, { kind: 'like' });
    const reactions = (await list('camille')).items.filter((n) => n.kind === 'reaction');
    expect(reactions).toHaveLength(1);
    expect(reactions[0]).toMatchObject({ count: 3, read: false, data: { postId: p } });
    expect(reactions[0]!.actors.map((a) => a.displayName)).toEqual(['Owner Person', 'Moderator Person', 'Léa Roux']);
    expect(await unread('camille')).toBe(1);

    // Accepted answer.
    expect((await s.as('camille', 'PUT', `/posts/${p}/accepted-answer`, { commentId: c1.body.id })).status).toBe(200);
    expect((await list('lea')).items[0]).toMatchObject({ kind: 'answer_accepted', data: { postId: p, commentId: c1.body.id } });
  });

  test('join requests reach owners and moderators; invitations reach the invitee', async () => {
    const priv = await s.community('private');
    await s.db.query('delete from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [s.tenant, priv, s.id.outsider]);
    expect((await s.as('outsider', 'POST', `/communities/${priv}/requests`)).status).toBeLessThan(300);
    for (const who of ['owner', 'moderator'] as const) {
      expect((await list(who)).items[0]).toMatchObject({ kind: 'join_request', data: { communityId: priv, requesterId: s.id.outsider } });
    }
    expect((await list('camille')).items.some((n) => n.kind === 'join_request')).toBe(false);
    const secret = await s.community('secret');
    await s.db.query('delete from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [s.tenant, secret, s.id.requester]);
    const inv = await s.as('owner', 'POST', `/communities/${secret}/invitations`, { person: s.upn('requester') });
    expect(inv.status).toBe(201);
    expect((await list('requester')).items[0]).toMatchObject({ kind: 'invitation', data: { communityId: secret } });
  });

  test('settings are honoured; read/unread; a notification of an item no longer readable is not shown', async () => {
    const priv = await s.community('private');
    const settings = await s.as('lea', 'GET', '/notifications/settings');
    expect(settings.body.reply).toEqual({ in_app: true });
    const put = await s.as('lea', 'PUT', '/notifications/settings', { reply: { in_app: false } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ reply: { in_app: false }, mention: { in_app: true } });
    expect((await s.as('lea', 'PUT', '/notifications/settings', { nope: { in_app: false } })).status).toBe(400);
    expect((await s.as('lea', 'GET', '/notifications/settings')).body.reply).toEqual({ in_app: false });
    await readAll('lea');
    const p = await post('lea', priv, 'my post');
    await s.as('camille', 'POST', `/posts/${p}/comments`, { body: 'a reply' });
    expect(await unread('lea')).toBe(0);
    await s.as('lea', 'PUT', '/notifications/settings', { reply: { in_app: true } });

    // Read some, then all.
    await readAll('camille');
    const q = await post('camille', priv, 'question');
    for (const who of ['lea', 'moderator', 'owner'] as const) await s.as(who, 'POST', `/posts/${q}/comments`, { body: `from ${who}` });
    const mine = await list('camille', '?limit=2');
    expect(mine.items).toHaveLength(2);
    expect(mine.nextCursor).not.toBeNull();
    const r1 = await s.as('camille', 'POST', '/notifications/read', { ids: [mine.items[0]!.id] });
    expect(r1.body.unreadCount).toBe(2);
    const unreadFirst = await list('camille', '?order=unread_first');
    expect(unreadFirst.items.slice(0, 2).every((n) => !n.read)).toBe(true);
    expect((await s.as('camille', 'POST', '/notifications/read', { ids: ['not-an-id'] })).status).toBe(400);
    // Someone else's ids change nothing.
    await s.as('lea', 'POST', '/notifications/read', { ids: unreadFirst.items.map((n) => n.id) });
    expect(await unread('camille')).toBe(2);

    // Camille leaves the private community: the notifications about its posts disappear.
    await s.db.query('delete from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [s.tenant, priv, s.id.camille]);
    expect(await unread('camille')).toBe(0);
    expect((await list('camille')).items.some((n) => n.data.postId === q)).toBe(false);
    // A hidden post's notifications are hidden, except from its author (who still reads it).
    await s.db.query('insert into memberships (tenant_id, community_id, person_id) values ($1, $2, $3)', [s.tenant, priv, s.id.camille]);
    expect(await unread('camille')).toBe(2);
    const leaComment = (await s.as('lea', 'GET', `/posts/${q}/comments`)).body.items.find((c: { author: { id: string } }) => c.author.id === s.id.lea).id;
    await readAll('lea');
    await s.as('moderator', 'POST', `/posts/${q}/comments`, { body: 'indeed', parentId: leaComment });
    expect(await unread('lea')).toBe(1);
    await s.db.query('update posts set hidden_at = now() where tenant_id = $1 and id = $2', [s.tenant, q]);
    expect(await unread('lea')).toBe(0);
    expect((await list('lea')).items.some((n) => n.data.postId === q)).toBe(false);
    expect(await unread('camille')).toBe(3);
  });

  test('unauthenticated calls are refused', async () => {
    expect((await s.as(null, 'GET', '/notifications')).status).toBe(401);
    expect((await s.as(null, 'GET', '/notifications/unread-count')).status).toBe(401);
  });
});
