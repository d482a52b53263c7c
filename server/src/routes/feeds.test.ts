import { testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import { type Social, type Who, socialFixture } from './posts-testing.js';

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((x) => x.id);

describe.each(testDatabases())('feeds API on $name', ({ open }) => {
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

  const post = async (who: Who, communityId: string, title: string, extra: Record<string, unknown> = {}) => {
    const r = await s.as(who, 'POST', '/posts', { communityId, kind: 'discussion', title, body: title, ...extra });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  /** Spreads creation times so that ordering is deterministic. */
  const age = (postId: string, minutes: number) =>
    db.query("update posts set created_at = now() - make_interval(mins => $3) where tenant_id = $1 and id = $2", [s.tenant, postId, minutes]).then(() =>
      db.query("update post_topics set created_at = p.created_at from posts p where p.tenant_id = post_topics.tenant_id and p.id = post_topics.post_id and p.id = $1", [postId]),
    );

  test('community feed: keyset pages without duplicates or gaps; a forged cursor is a 400', async () => {
    const cid = await s.community('public');
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = await post('camille', cid, `p${i}`);
      await age(id, 100 - i);
      made.push(id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: { items: { id: string }[]; nextCursor: string | null } } = await s.as(
        'outsider',
        'GET',
        `/feeds/communities/${cid}?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(r.status).toBe(200);
      seen.push(...ids(r));
      cursor = r.body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...made].reverse());
    const forged = Buffer.from(JSON.stringify(['recent', 'not a date', 'x'])).toString('base64url');
    expect((await s.as('outsider', 'GET', `/feeds/communities/${cid}?cursor=${forged}`)).body.code).toBe('INVALID_CURSOR');
    const badId = Buffer.from(JSON.stringify(['recent', '2026-01-01T00:00:00.000000Z', "1' or 1=1"])).toString('base64url');
    expect((await s.as('outsider', 'GET', `/feeds/communities/${cid}?cursor=${badId}`)).status).toBe(400);
  });

  test('each item carries author, community, counts, the viewer reaction and kind data', async () => {
    const cid = await s.community('public', { name: 'Carriers' });
    const id = await post('camille', cid, 'Item', { kind: 'idea' });
    await s.as('lea', 'PUT', `/posts/${id}/reaction`, { kind: 'love' });
    await s.as('lea', 'POST', `/posts/${id}/comments`, { body: 'c' });
    await s.as('lea', 'PUT', `/posts/${id}/idea-vote`);
    const r = await s.as('lea', 'GET', `/feeds/communities/${cid}`);
    expect(r.body.items[0]).toMatchObject({
      id,
      author: { id: s.id.camille, displayName: 'Camille Martin' },
      community: { id: cid, name: 'Carriers' },
      counts: { comments: 1, reactionsTotal: 1, reactions: { love: 1 } },
      viewerReaction: 'love',
      idea: { status: 'new', votes: 1, viewerVoted: true },
    });
  });

  test('pinned items sit on top of the first page of a community feed until they expire', async () => {
    const cid = await s.community('public');
    const a = await post('camille', cid, 'old pinned');
    await age(a, 60);
    const b = await post('camille', cid, 'newer');
    const expired = await post('camille', cid, 'expired pin');
    expect((await s.as('camille', 'PUT', `/posts/${a}/pin`, { until: future(1) })).status).toBe(403);
    const pinned = await s.as('moderator', 'PUT', `/posts/${a}/pin`, { until: future(1) });
    expect(pinned.body).toMatchObject({ pinned: true });
    await db.query("update posts set pinned_until = now() - interval '1 hour' where tenant_id = $1 and id = $2", [s.tenant, expired]);
    const first = await s.as('lea', 'GET', `/feeds/communities/${cid}`);
    expect(first.body.pinned.map((x: { id: string }) => x.id)).toEqual([a]);
    expect(ids(first)).not.toContain(a);
    expect(ids(first)).toEqual(expect.arrayContaining([b, expired]));
    await s.as('moderator', 'DELETE', `/posts/${a}/pin`);
    const after = await s.as('lea', 'GET', `/feeds/communities/${cid}`);
    expect(after.body.pinned).toEqual([]);
    expect(ids(after)).toContain(a);
  });

  test('"new since your last visit": lastVisitAt and isNew per feed', async () => {
    const cid = await s.community('public');
    const old = await post('camille', cid, 'before');
    const first = await s.as('lea', 'GET', `/feeds/communities/${cid}`);
    expect(first.body.lastVisitAt).toBeNull();
    expect(first.body.items.every((x: { isNew: boolean }) => !x.isNew)).toBe(true);
    const fresh = await post('camille', cid, 'after');
    const mine = await post('lea', cid, 'my own');
    const second = await s.as('lea', 'GET', `/feeds/communities/${cid}`);
    expect(typeof second.body.lastVisitAt).toBe('string');
    const isNew = Object.fromEntries(second.body.items.map((x: { id: string; isNew: boolean }) => [x.id, x.isNew]));
    expect(isNew).toEqual({ [old]: false, [fresh]: true, [mine]: false });
    // The next page keeps the same reference visit.
    const paged = await s.as('lea', 'GET', `/feeds/communities/${cid}?limit=1`);
    const next = await s.as('lea', 'GET', `/feeds/communities/${cid}?limit=1&cursor=${paged.body.nextCursor}`);
    expect(next.body.lastVisitAt).toBe(paged.body.lastVisitAt);
  });

  test('order=top ranks by reactions and comments with time decay, and pages', async () => {
    const cid = await s.community('public');
    const quiet = await post('camille', cid, 'quiet but new');
    const busy = await post('camille', cid, 'busy and older');
    await age(busy, 120);
    const ancient = await post('camille', cid, 'popular long ago');
    await age(ancient, 60 * 24 * 40);
    for (const who of ['lea', 'moderator', 'owner', 'outsider'] as const) {
      await s.as(who, 'PUT', `/posts/${busy}/reaction`, { kind: 'like' });
      await s.as(who, 'PUT', `/posts/${ancient}/reaction`, { kind: 'like' });
    }
    await s.as('lea', 'POST', `/posts/${busy}/comments`, { body: 'wow' });
    const top = await s.as('lea', 'GET', `/feeds/communities/${cid}?order=top`);
    expect(ids(top)).toEqual([busy, quiet]);
    const p1 = await s.as('lea', 'GET', `/feeds/communities/${cid}?order=top&limit=1`);
    const p2 = await s.as('lea', 'GET', `/feeds/communities/${cid}?order=top&limit=1&cursor=${p1.body.nextCursor}`);
    expect([...ids(p1), ...ids(p2)]).toEqual([busy, quiet]);
    expect(p2.body.nextCursor).toBeNull();
    const recent = await s.as('lea', 'GET', `/feeds/communities/${cid}`);
    expect(ids(recent)).toEqual([quiet, busy, ancient]);
    // A cursor of one order is refused by the other.
    expect((await s.as('lea', 'GET', `/feeds/communities/${cid}?cursor=${p1.body.nextCursor}`)).body.code).toBe('INVALID_CURSOR');
  });

  test('home: followed communities, people and topics, only what the viewer may read', async () => {
    const joined = await s.community('public');
    const other = await s.community('public');
    const priv = await s.community('private');
    const followedCommunity = await s.community('public');
    // The viewer is "requester": member of none (requested only), follows camille, #Jardin and one community.
    const inJoined = await post('camille', joined, 'in joined');
    await db.query("update memberships set state = 'active' where tenant_id = $1 and community_id = $2 and person_id = $3", [
      s.tenant,
      joined,
      s.id.requester,
    ]);
    const byCamilleElsewhere = await post('camille', other, 'camille elsewhere');
    const byCamillePrivate = await post('camille', priv, 'camille private');
    const topicPost = await post('lea', other, 'about #Jardin');
    const topicPrivate = await post('lea', priv, 'private #Jardin');
    const unrelated = await post('lea', other, 'unrelated');
    const inFollowed = await post('lea', followedCommunity, 'in followed community');
    const deleted = await post('camille', joined, 'deleted');
    await s.as('camille', 'DELETE', `/posts/${deleted}`);
    const hidden = await post('lea', joined, 'hidden');
    await db.query('update posts set hidden_at = now() where tenant_id = $1 and id = $2', [s.tenant, hidden]);

    expect((await s.as('requester', 'PUT', `/follows/people/${s.id.camille}`)).status).toBe(204);
    const ft = await s.as('requester', 'PUT', '/follows/topics/jardin');
    expect(ft.body).toEqual({ slug: 'jardin', name: 'Jardin' });
    await db.query("insert into follows (tenant_id, follower_id, target_type, target_id) values ($1, $2, 'community', $3)", [
      s.tenant,
      s.id.requester,
      followedCommunity,
    ]);
    const follows = await s.as('requester', 'GET', '/follows');
    expect(follows.body).toEqual({ people: [{ id: s.id.camille, displayName: 'Camille Martin' }], topics: [{ slug: 'jardin', name: 'Jardin' }] });

    const home = await s.as('requester', 'GET', '/feeds/home?limit=50');
    expect(home.status).toBe(200);
    const got = ids(home);
    expect(got).toEqual(expect.arrayContaining([inJoined, byCamilleElsewhere, topicPost, inFollowed]));
    for (const never of [byCamillePrivate, topicPrivate, unrelated, deleted, hidden]) expect(got).not.toContain(never);
    expect(new Set(got).size).toBe(got.length);
    // Paged, the same set comes back in order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { id: string }[]; nextCursor: string | null } } = await s.as(
        'requester',
        'GET',
        `/feeds/home?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...ids(r));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(got);
    // The hidden post is in its author's home feed (lea is a member of joined).
    expect(ids(await s.as('lea', 'GET', '/feeds/home?limit=100'))).toContain(hidden);

    await s.as('requester', 'DELETE', `/follows/people/${s.id.camille}`);
    await s.as('requester', 'DELETE', '/follows/topics/Jardin');
    const after = ids(await s.as('requester', 'GET', '/feeds/home?limit=50'));
    expect(after).not.toContain(byCamilleElsewhere);
    expect(after).not.toContain(topicPost);
    expect(after).toContain(inJoined);
  });

  test('topic and person feeds show only what the viewer may read; topics match by folded slug', async () => {
    const pub = await s.community('public');
    const secret = await s.community('secret');
    const open = await post('camille', pub, 'open #Économie');
    const closed = await post('camille', secret, 'closed #économie');
    const outsiderTopic = await s.as('outsider', 'GET', '/feeds/topics/Économie');
    expect(outsiderTopic.body.topic).toEqual({ slug: 'economie', name: 'Économie' });
    expect(ids(outsiderTopic)).toContain(open);
    expect(ids(outsiderTopic)).not.toContain(closed);
    const memberTopic = await s.as('lea', 'GET', '/feeds/topics/economie');
    expect(ids(memberTopic)).toEqual(expect.arrayContaining([open, closed]));
    const person = await s.as('outsider', 'GET', `/feeds/people/${s.id.camille}?limit=100`);
    expect(ids(person)).toContain(open);
    expect(ids(person)).not.toContain(closed);
    expect((await s.as('lea', 'GET', `/feeds/people/${s.id.camille}?limit=100`)).body.items.map((x: { id: string }) => x.id)).toContain(closed);
    expect((await s.as('outsider', 'GET', '/feeds/topics/nothing-here')).status).toBe(404);
    expect((await s.as('outsider', 'GET', '/feeds/people/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    // Counts on a readable post never include hidden comments of others.
    await s.as('lea', 'POST', `/posts/${open}/comments`, { body: 'visible' });
    const h = await s.as('lea', 'POST', `/posts/${open}/comments`, { body: 'to hide' });
    await db.query('update comments set hidden_at = now() where tenant_id = $1 and id = $2', [s.tenant, h.body.id]);
    const counted = (await s.as('outsider', 'GET', '/feeds/topics/economie')).body.items.find((x: { id: string }) => x.id === open);
    expect(counted.counts.comments).toBe(1);
  });

  test('posts created at the same instant are neither lost nor repeated across pages', async () => {
    const cid = await s.community('public');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(await post('camille', cid, `tie ${i} #Egalite`));
    await db.query("update posts set created_at = '2026-01-01T00:00:00Z' where tenant_id = $1 and id = any($2::uuid[])", [s.tenant, made]);
    await db.query("update post_topics set created_at = '2026-01-01T00:00:00Z' where tenant_id = $1 and post_id = any($2::uuid[])", [s.tenant, made]);
    await s.as('owner', 'PUT', '/follows/topics/egalite');
    for (const [who, url] of [
      ['outsider', '/feeds/topics/egalite'],
      ['outsider', `/feeds/communities/${cid}`],
      ['owner', '/feeds/home'],
    ] as const) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const r: { body: { items: { id: string }[]; nextCursor: string | null } } = await s.as(who, 'GET', `${url}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...ids(r));
        cursor = r.body.nextCursor;
      } while (cursor);
      const tied = seen.filter((id) => made.includes(id));
      expect({ url, tied: [...tied].sort() }).toEqual({ url, tied: [...made].sort() });
      expect(new Set(seen).size).toBe(seen.length);
    }
  });

  test('feeds need a token', async () => {
    expect((await s.as(null, 'GET', '/feeds/home')).status).toBe(401);
  });
});
