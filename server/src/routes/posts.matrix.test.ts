/**
 * The authorisation matrix of posts, comments, reactions and feeds: every route x role
 * (none, member, moderator, owner, tenant admin, other tenant, and the banned, the
 * requester and the invitee) x community visibility x hidden or not. Refusals never carry
 * the post, and feeds never list what the role may not read.
 */
import type { InjectOptions } from 'fastify';
import { testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import {
  createMatrixWorld,
  matrixRoles,
  matrixVisibilities,
  type MatrixCommunity,
  type MatrixExtra,
  type MatrixRole,
  type MatrixVisibility,
  type MatrixWorld,
} from '../authorisation-matrix.js';

type Who = MatrixRole | Extract<MatrixExtra, 'banned' | 'requester' | 'invitee'>;
const whos: readonly Who[] = [...matrixRoles, 'banned', 'requester', 'invitee'];

/** The product rules, restated. */
const members = new Set<Who>(['member', 'moderator', 'owner']);
const seeCommunity = (w: Who, v: MatrixVisibility) =>
  w !== 'other_tenant' && (v !== 'secret' || members.has(w) || w === 'admin' || w === 'invitee');
const readCommunity = (w: Who, v: MatrixVisibility) =>
  w !== 'other_tenant' && w !== 'banned' && (v === 'public' || members.has(w) || w === 'admin');
const moderates = (w: Who) => w === 'moderator' || w === 'owner' || w === 'admin';
const readPost = (w: Who, v: MatrixVisibility, hidden: boolean) => readCommunity(w, v) && (!hidden || moderates(w));

interface Fixture {
  /** A word found only in this post and its comment. */
  marker: string;
  community: MatrixCommunity;
  post: string;
  comment: string;
  topic: string;
  hidden: boolean;
}

interface Route {
  name: string;
  mutates?: boolean;
  request(f: Fixture, w: MatrixWorld): InjectOptions;
  expected(who: Who, v: MatrixVisibility, hidden: boolean): number;
}

const ifRead = (ok: number, allowed: (w: Who) => boolean = () => true) => (w: Who, v: MatrixVisibility, h: boolean) =>
  readPost(w, v, h) ? (allowed(w) ? ok : 403) : 404;

const routes: Route[] = [
  { name: 'GET post', request: (f) => ({ method: 'GET', url: `/api/v1/posts/${f.post}` }), expected: ifRead(200) },
  { name: 'GET comments', request: (f) => ({ method: 'GET', url: `/api/v1/posts/${f.post}/comments` }), expected: ifRead(200) },
  { name: 'GET reactions', request: (f) => ({ method: 'GET', url: `/api/v1/posts/${f.post}/reactions` }), expected: ifRead(200) },
  { name: 'GET revisions', request: (f) => ({ method: 'GET', url: `/api/v1/posts/${f.post}/revisions` }), expected: ifRead(200) },
  { name: 'GET comment reactions', request: (f) => ({ method: 'GET', url: `/api/v1/comments/${f.comment}/reactions` }), expected: ifRead(200) },
  {
    name: 'POST comment',
    mutates: true,
    request: (f) => ({ method: 'POST', url: `/api/v1/posts/${f.post}/comments`, payload: { body: 'matrix comment' } }),
    // Hidden posts take no new comments, even from moderators.
    expected: (w, v, h) => (readPost(w, v, h) ? (h ? 403 : 201) : 404),
  },
  {
    name: 'PUT reaction',
    mutates: true,
    request: (f) => ({ method: 'PUT', url: `/api/v1/posts/${f.post}/reaction`, payload: { kind: 'like' } }),
    expected: (w, v, h) => (readPost(w, v, h) ? (h ? 403 : 200) : 404),
  },
  {
    name: 'PUT comment reaction',
    mutates: true,
    request: (f) => ({ method: 'PUT', url: `/api/v1/comments/${f.comment}/reaction`, payload: { kind: 'like' } }),
    expected: (w, v, h) => (readPost(w, v, h) ? (h ? 403 : 200) : 404),
  },
  {
    name: 'PATCH post (not the author)',
    mutates: true,
    request: (f) => ({ method: 'PATCH', url: `/api/v1/posts/${f.post}`, payload: { title: 'taken over' } }),
    expected: ifRead(200, () => false),
  },
  { name: 'DELETE post', mutates: true, request: (f) => ({ method: 'DELETE', url: `/api/v1/posts/${f.post}` }), expected: ifRead(204, moderates) },
  {
    name: 'DELETE comment',
    mutates: true,
    request: (f) => ({ method: 'DELETE', url: `/api/v1/comments/${f.comment}` }),
    expected: ifRead(204, moderates),
  },
  {
    name: 'PUT pin',
    mutates: true,
    request: (f) => ({ method: 'PUT', url: `/api/v1/posts/${f.post}/pin`, payload: { until: new Date(Date.now() + 86_400_000).toISOString() } }),
    expected: ifRead(200, moderates),
  },
  {
    name: 'POST post in the community',
    mutates: true,
    request: (f) => ({ method: 'POST', url: '/api/v1/posts', payload: { communityId: f.community.id, title: 'New', body: 'x' } }),
    expected: (w, v) => (!seeCommunity(w, v) ? 404 : members.has(w) ? 201 : 403),
  },
  {
    name: 'GET community feed',
    request: (f) => ({ method: 'GET', url: `/api/v1/feeds/communities/${f.community.id}` }),
    expected: (w, v) => (!seeCommunity(w, v) ? 404 : readCommunity(w, v) ? 200 : 403),
  },
];

/** Feeds answer 200 (or 404 for another tenant's person or topic) and list the post only to those who may read it. */
const feeds: { name: string; url(f: Fixture, w: MatrixWorld): string; status(w: Who): number; lists(w: Who, v: MatrixVisibility, h: boolean): boolean }[] = [
  { name: 'home feed', url: () => '/api/v1/feeds/home?limit=100', status: () => 200, lists: (w, v, h) => members.has(w) && readPost(w, v, h) },
  {
    name: 'person feed',
    url: (_f, w) => `/api/v1/feeds/people/${w.people.target.id}?limit=100`,
    status: (w) => (w === 'other_tenant' ? 404 : 200),
    lists: readPost,
  },
  { name: 'topic feed', url: (f) => `/api/v1/feeds/topics/${f.topic}?limit=100`, status: (w) => (w === 'other_tenant' ? 404 : 200), lists: readPost },
];

describe.each(testDatabases())('posts authorisation matrix on $name', ({ open }) => {
  let db: Db;
  let world: MatrixWorld;
  /** Feeds are checked in a tenant of their own, holding only the shared posts. */
  let feedWorld: MatrixWorld;
  const shared = new Map<string, Fixture>();
  const feedShared = new Map<string, Fixture>();
  let n = 0;

  async function fixture(v: MatrixVisibility, hidden: boolean, w: MatrixWorld = world): Promise<Fixture> {
    const world = w;
    const community = await world.community(v);
    const topic = `matrix${++n}`;
    const marker = `Quartzite${n}x`;
    const p = await db.query<{ id: string }>(
      `insert into posts (tenant_id, community_id, author_id, kind, title, body, body_html, hidden_at)
       values ($1, $2, $3, 'discussion', $6, $4, $6, $5) returning id`,
      [world.tenantId, community.id, world.people.target.id, `${marker} #${topic}`, hidden ? new Date() : null, marker],
    );
    const post = p.rows[0]!.id;
    const t = await db.query<{ id: string }>('insert into topics (tenant_id, slug, name) values ($1, $2, $2) returning id', [world.tenantId, topic]);
    await db.query(
      'insert into post_topics (tenant_id, post_id, topic_id, created_at) select tenant_id, id, $3, created_at from posts where tenant_id = $1 and id = $2',
      [world.tenantId, post, t.rows[0]!.id],
    );
    await db.query(
      "insert into post_revisions (tenant_id, post_id, version, title, body, body_html, edited_by) values ($1, $2, 1, $4, 'x', 'x', $3)",
      [world.tenantId, post, world.people.target.id, marker],
    );
    const c = await db.query<{ id: string }>(
      `insert into comments (tenant_id, post_id, author_id, body, body_html) values ($1, $2, $3, $4, $4) returning id`,
      [world.tenantId, post, world.people.target.id, `${marker} reply`],
    );
    await db.query("insert into reactions (tenant_id, target_type, target_id, person_id, kind) values ($1, 'post', $2, $3, 'like')", [
      world.tenantId,
      post,
      world.people.target.id,
    ]);
    return { marker, community, post, comment: c.rows[0]!.id, topic, hidden };
  }

  beforeAll(async () => {
    db = await open();
    world = await createMatrixWorld(db);
    feedWorld = await createMatrixWorld(db);
    for (const v of matrixVisibilities) {
      for (const h of [false, true]) {
        shared.set(`${v}/${h}`, await fixture(v, h));
        feedShared.set(`${v}/${h}`, await fixture(v, h, feedWorld));
      }
    }
  });
  afterAll(async () => {
    await world.close();
    await feedWorld.close();
    await db.close();
  });

  const cases: [string, Route, MatrixVisibility, boolean][] = [];
  for (const route of routes) for (const v of matrixVisibilities) for (const h of [false, true]) cases.push([`${route.name} | ${v}${h ? ' hidden' : ''}`, route, v, h]);

  test.each(cases)('%s', async (_name, route, v, hidden) => {
    const got: Record<string, number> = {};
    const want: Record<string, number> = {};
    // A mutating route gets a fresh post after each request that changed something.
    let f = route.mutates ? await fixture(v, hidden) : shared.get(`${v}/${hidden}`)!;
    for (const who of whos) {
      const r = await world.as(who, route.request(f, world));
      got[who] = r.statusCode;
      want[who] = route.expected(who, v, hidden);
      if (r.statusCode >= 400) {
        expect(r.body).not.toContain(f.marker);
        expect(r.body).not.toContain(f.community.name);
      } else if (route.mutates) {
        f = await fixture(v, hidden);
      }
    }
    expect(got).toEqual(want);
  });

  const feedCases: [string, (typeof feeds)[number], MatrixVisibility, boolean][] = [];
  for (const feed of feeds) for (const v of matrixVisibilities) for (const h of [false, true]) feedCases.push([`${feed.name} | ${v}${h ? ' hidden' : ''}`, feed, v, h]);

  test.each(feedCases)('%s', async (_name, feed, v, hidden) => {
    const f = feedShared.get(`${v}/${hidden}`)!;
    const got: Record<string, [number, boolean]> = {};
    const want: Record<string, [number, boolean]> = {};
    for (const who of whos) {
      const r = await feedWorld.as(who, { method: 'GET', url: feed.url(f, feedWorld) });
      got[who] = [r.statusCode, r.body.includes(f.post)];
      want[who] = [feed.status(who), feed.lists(who, v, hidden)];
      if (!feed.lists(who, v, hidden)) expect(r.body).not.toContain(f.marker);
    }
    expect(got).toEqual(want);
  });
});
