import { createTestTenant, testDatabases } from '../testing/databases.js';
import type { Db } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { createCommunity } from '../communities/index.js';
import { createPost, deletePost } from '../posts/index.js';
import { teamsActivityTypes } from '../teams/index.js';
import { proactiveNotificationKinds } from '../bot/index.js';
import {
  channelKinds,
  getNotificationSettings,
  listNotifications,
  markNotificationsRead,
  notify,
  notificationKinds,
  notifyMany,
  unreadNotificationCount,
  updateNotificationSettings,
} from './index.js';

describe.each(testDatabases())('notifications on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  async function person(tenant: string, name: string, roles: string[] = []): Promise<Viewer> {
    const r = await db.query<{ id: string }>(
      'insert into people (tenant_id, upn, display_name, roles) values ($1, $2, $3, $4) returning id',
      [tenant, `${name.toLowerCase()}@org.test`, name, roles],
    );
    return { tenantId: tenant, personId: r.rows[0]!.id, roles };
  }

  test('notify records, skips self, honours settings; notifyMany notifies each once', async () => {
    const t = await createTestTenant(db);
    const [ana, ben, cleo] = [await person(t, 'Ana'), await person(t, 'Ben'), await person(t, 'Cleo')];
    expect(await notify(db, { tenantId: t, personId: ana.personId, kind: 'reply', data: {}, actorId: ana.personId })).toBeNull();
    expect(await notify(db, { tenantId: t, personId: ana.personId, kind: 'reply', data: {}, actorId: ben.personId })).toEqual(expect.any(String));
    await updateNotificationSettings(db, ben, { reply: { in_app: false } });
    expect((await getNotificationSettings(db, ben)).reply).toEqual({ in_app: false });
    expect((await getNotificationSettings(db, ben)).mention).toEqual({ in_app: true, teams: true, bot: true });
    const ids = await notifyMany(db, {
      tenantId: t,
      personIds: [ana.personId, ben.personId, cleo.personId, cleo.personId],
      kind: 'reply',
      data: {},
      actorId: cleo.personId,
    });
    expect(ids).toHaveLength(1); // Ana only: Ben turned replies off, Cleo acted
    expect(await unreadNotificationCount(db, ana)).toBe(2);
    expect(await unreadNotificationCount(db, ben)).toBe(0);
    expect((await listNotifications(db, ana)).items.map((n) => n.actors[0]?.displayName)).toEqual(['Cleo', 'Ben']);
    await expect(updateNotificationSettings(db, ben, { nope: { in_app: true } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  test('Teams and bot switches exist only for the kinds those channels carry; in-app off keeps them', async () => {
    const t = await createTestTenant(db);
    const [ana, ben] = [await person(t, 'Ana'), await person(t, 'Ben')];
    await expect(updateNotificationSettings(db, ana, { reply: { teams: false } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'reply.teams' },
    });
    expect((await getNotificationSettings(db, ana)).reply).toEqual({ in_app: true });
    const settings = await updateNotificationSettings(db, ana, { mention: { in_app: false, bot: false } });
    expect(settings.mention).toEqual({ in_app: false, teams: true, bot: false });
    // Recorded for the Teams activity feed, not shown in Ruche.
    const id = await notify(db, { tenantId: t, personId: ana.personId, kind: 'mention', data: {}, actorId: ben.personId });
    expect(id).toEqual(expect.any(String));
    const row = await db.query<{ channels: string[] }>('select channels from notifications where tenant_id = $1 and id = $2', [t, id]);
    expect(row.rows[0]!.channels).toEqual(['teams']);
    expect(await unreadNotificationCount(db, ana)).toBe(0);
    await updateNotificationSettings(db, ana, { mention: { teams: false } });
    expect(await notify(db, { tenantId: t, personId: ana.personId, kind: 'mention', data: {}, actorId: ben.personId })).toBeNull();
  });

  test('the channels carry the kinds their deliveries send', () => {
    expect([...channelKinds.teams].sort()).toEqual(Object.keys(teamsActivityTypes).sort());
    expect([...channelKinds.bot].sort()).toEqual([...proactiveNotificationKinds].sort());
    expect(channelKinds.in_app).toEqual(notificationKinds);
  });

  test('grouped notifications update in place: count, last actors, unread again', async () => {
    const t = await createTestTenant(db);
    const [ana, ben, cleo] = [await person(t, 'Ana'), await person(t, 'Ben'), await person(t, 'Cleo')];
    const n = { tenantId: t, personId: ana.personId, kind: 'reaction' as const, groupKey: 'post:x', data: {} };
    const first = await notify(db, { ...n, actorId: ben.personId });
    await markNotificationsRead(db, ana, { all: true });
    expect(await notify(db, { ...n, actorId: cleo.personId })).toBe(first);
    expect(await notify(db, { ...n, actorId: cleo.personId })).toBeNull(); // the same actor again: no flood
    const page = await listNotifications(db, ana);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id: first, count: 2, read: false, actors: [{ displayName: 'Cleo' }, { displayName: 'Ben' }] });
  });

  test('read/unread, paging unread first, and items the person can no longer read are not shown', async () => {
    const t = await createTestTenant(db);
    const [ana, ben] = [await person(t, 'Ana'), await person(t, 'Ben')];
    const club = await createCommunity(db, ben, { name: 'Club', kind: 'interest', visibility: 'public' });
    const post = await createPost(db, ben, { communityId: club.id, kind: 'discussion', body: 'hello' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await notify(db, { tenantId: t, personId: ana.personId, kind: 'reply', data: { postId: post.id }, actorId: ben.personId }))!);
    }
    expect(await markNotificationsRead(db, ana, { ids: [ids[0]!, ids[1]!] })).toBe(3);
    const seen: { id: string; read: boolean }[] = [];
    let cursor: string | undefined;
    do {
      const page = await listNotifications(db, ana, { order: 'unread_first', limit: 2, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.map((n) => n.read)).toEqual([false, false, false, true, true]);
    expect(new Set(seen.map((n) => n.id)).size).toBe(5);
    await deletePost(db, ben, post.id);
    expect(await unreadNotificationCount(db, ana)).toBe(0);
    expect((await listNotifications(db, ana)).items).toEqual([]);
  });
});
