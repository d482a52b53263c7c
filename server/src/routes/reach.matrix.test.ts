/**
 * The authorisation matrix of everything around posts: must-read announcements
 * (acknowledgement, reach report and CSV), governance (reports, moderation queues, keyword
 * rules, audit log, personal-data export and erasure), notifications, search (posts,
 * communities, people: hits and counts), attachments, recognition (kudos, walls,
 * highlights, leaderboards, scores, badges), people profiles and experts. Every route x
 * role (none, member, moderator, owner, tenant admin, other tenant) x community
 * visibility, in one seeded tenant: a refusal never carries the content, and a list,
 * a count or a search hit names it exactly to those who may read it.
 */
import { request as httpRequest } from 'node:http';
import type { InjectOptions } from 'fastify';
import { testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import {
  createMatrixWorld,
  matrixRoles,
  matrixVisibilities,
  type MatrixCommunity,
  type MatrixRole,
  type MatrixVisibility,
  type MatrixWorld,
} from '../authorisation-matrix.js';

/** The product rules, restated (not the policy code). */
const members = new Set<MatrixRole>(['member', 'moderator', 'owner']);
const sameTenant = (w: MatrixRole) => w !== 'other_tenant';
const see = (w: MatrixRole, v: MatrixVisibility) => sameTenant(w) && (v !== 'secret' || members.has(w) || w === 'admin');
const read = (w: MatrixRole, v: MatrixVisibility) => sameTenant(w) && (v === 'public' || members.has(w) || w === 'admin');
const moderates = (w: MatrixRole) => w === 'moderator' || w === 'owner' || w === 'admin';
const admin = (w: MatrixRole) => w === 'admin';
/** 404 when the item must stay unknown, else `allowed` ? ok : 403. */
const ifRead = (ok: number, allowed: (w: MatrixRole, v: MatrixVisibility) => boolean = () => true) => (w: MatrixRole, v: MatrixVisibility) =>
  read(w, v) ? (allowed(w, v) ? ok : 403) : 404;
const adminOnly = (ok: number) => (w: MatrixRole) => (admin(w) || w === 'other_tenant' ? ok : 403);

interface Fixture {
  v: MatrixVisibility;
  /** A word found only in this community's content (post, comment, announcement, kudos, attachment name) and name. */
  marker: string;
  community: MatrixCommunity;
  post: string;
  announcement: string;
  attachment: string;
  kudos: string;
}

interface Route {
  name: string;
  request(f: Fixture, w: MatrixWorld): InjectOptions;
  expected(who: MatrixRole, v: MatrixVisibility): number;
  /** On success, whether the answer names the content (marker); exact. Omitted: it never may. */
  names?(who: MatrixRole, v: MatrixVisibility): boolean;
  /** Routes that change state run after the read-only ones, on a fresh person or item when needed. */
  mutates?: boolean;
}

const never = () => false;
/**
 * Who hears of the fixture through notifications: the mentioned (none and member), the
 * kudos recipient (member) and their manager (admin), the audience asked to acknowledge
 * (members but the author, owner); only when they may read it.
 */
const notified = (w: MatrixRole, v: MatrixVisibility) => read(w, v) && w !== 'owner';

const routes: Route[] = [
  // Must-read announcements
  {
    name: 'GET announcement',
    request: (f) => ({ method: 'GET', url: `/api/v1/announcements/${f.announcement}` }),
    expected: ifRead(200),
    names: read,
  },
  {
    name: 'GET announcements (mine)',
    request: () => ({ method: 'GET', url: '/api/v1/announcements?limit=100' }),
    expected: () => 200,
    // The audience of a community announcement: its active members.
    names: (w) => members.has(w),
  },
  {
    name: 'GET announcement report',
    request: (f) => ({ method: 'GET', url: `/api/v1/announcements/${f.announcement}/report` }),
    expected: ifRead(200, moderates),
    names: (w, v) => read(w, v) && moderates(w),
  },
  {
    name: 'GET announcement report.csv',
    request: (f) => ({ method: 'GET', url: `/api/v1/announcements/${f.announcement}/report.csv` }),
    expected: ifRead(200, moderates),
  },
  {
    name: 'POST announcement view',
    request: (f) => ({ method: 'POST', url: `/api/v1/announcements/${f.announcement}/view` }),
    expected: ifRead(204),
  },
  {
    name: 'POST announcement acknowledge',
    mutates: true,
    request: (f) => ({ method: 'POST', url: `/api/v1/announcements/${f.announcement}/acknowledge` }),
    expected: ifRead(200, (w) => members.has(w)),
    names: (w, v) => read(w, v) && members.has(w),
  },
  // Governance
  {
    name: 'GET community moderation queue',
    request: (f) => ({ method: 'GET', url: `/api/v1/communities/${f.community.id}/moderation/queue` }),
    expected: (w, v) => (!see(w, v) ? 404 : moderates(w) ? 200 : 403),
    names: (w, v) => see(w, v) && moderates(w),
  },
  {
    name: 'GET moderation queue (all I moderate)',
    request: () => ({ method: 'GET', url: '/api/v1/moderation/queue?limit=100' }),
    expected: () => 200,
    names: (w) => moderates(w),
  },
  { name: 'GET keyword rules', request: () => ({ method: 'GET', url: '/api/v1/admin/keyword-rules' }), expected: adminOnly(200) },
  { name: 'GET rate limits', request: () => ({ method: 'GET', url: '/api/v1/admin/rate-limits' }), expected: adminOnly(200) },
  { name: 'GET audit log', request: () => ({ method: 'GET', url: '/api/v1/admin/audit?limit=100' }), expected: adminOnly(200), names: admin },
  {
    name: "GET another person's data export",
    request: (_f, w) => ({ method: 'GET', url: `/api/v1/admin/people/${w.people.target.id}/export` }),
    expected: (w) => (w === 'other_tenant' ? 404 : admin(w) ? 200 : 403),
    names: admin,
  },
  // A person's own export holds their data: what they wrote (owner: the announcement), and their notifications (below).
  {
    name: 'GET my data export',
    request: () => ({ method: 'GET', url: '/api/v1/me/export' }),
    expected: () => 200,
    names: (w, v) => notified(w, v) || w === 'owner',
  },
  // Notifications
  {
    name: 'GET notifications',
    request: () => ({ method: 'GET', url: '/api/v1/notifications?limit=100' }),
    expected: () => 200,
    names: (w, v) => notified(w, v),
  },
  // Search
  {
    name: 'GET search all',
    request: (f) => ({ method: 'GET', url: `/api/v1/search?q=${f.marker}` }),
    expected: () => 200,
    names: see,
  },
  {
    name: 'GET search posts',
    request: (f) => ({ method: 'GET', url: `/api/v1/search?type=posts&q=${f.marker}` }),
    expected: () => 200,
    names: read,
  },
  {
    name: 'GET search communities',
    request: (f) => ({ method: 'GET', url: `/api/v1/search?type=communities&q=${f.marker}` }),
    expected: () => 200,
    names: see,
  },
  // Attachments
  { name: 'GET attachment content', request: (f) => ({ method: 'GET', url: `/api/v1/attachments/${f.attachment}/content` }), expected: ifRead(200), names: read },
  {
    name: 'GET post attachments',
    request: (f) => ({ method: 'GET', url: `/api/v1/posts/${f.post}/attachments` }),
    expected: ifRead(200),
    names: read,
  },
  // Recognition
  { name: 'GET kudos', request: (f) => ({ method: 'GET', url: `/api/v1/kudos/${f.kudos}` }), expected: ifRead(200), names: read },
  { name: 'GET kudos stream', request: () => ({ method: 'GET', url: '/api/v1/kudos?limit=100' }), expected: () => 200, names: read },
  {
    name: 'GET community kudos wall',
    request: (f) => ({ method: 'GET', url: `/api/v1/kudos/walls/communities/${f.community.id}?limit=100` }),
    expected: (w, v) => (!see(w, v) ? 404 : read(w, v) ? 200 : 403),
    names: read,
  },
  {
    name: 'GET department kudos wall',
    request: () => ({ method: 'GET', url: '/api/v1/kudos/walls/departments/Matrixology?limit=100' }),
    expected: () => 200,
    names: read,
  },
  {
    name: 'GET kudos highlights',
    request: () => ({ method: 'GET', url: '/api/v1/kudos/highlights?limit=20&days=7' }),
    expected: () => 200,
    // Close to the viewer: given in a community they belong to, or received by their report (admin manages the member).
    names: (w, v) => (members.has(w) || w === 'admin') && read(w, v),
  },
  { name: 'GET leaderboard groups', request: () => ({ method: 'GET', url: '/api/v1/leaderboards/groups' }), expected: () => 200, names: never },
  { name: 'GET leaderboard people', request: () => ({ method: 'GET', url: '/api/v1/leaderboards/people' }), expected: () => 200, names: never },
  { name: 'GET my score', request: () => ({ method: 'GET', url: '/api/v1/me/score' }), expected: () => 200, names: never },
  {
    name: "GET a person's badges",
    request: (_f, w) => ({ method: 'GET', url: `/api/v1/people/${w.people.member.id}/badges` }),
    expected: (w) => (sameTenant(w) ? 200 : 404),
    // The member's first badge was earned by the secret community's kudos (made first): it links it only for its readers.
    names: (w, v) => v === 'secret' && read(w, v),
  },
  // People and experts
  {
    name: 'GET profile',
    request: (_f, w) => ({ method: 'GET', url: `/api/v1/people/${w.people.target.id}` }),
    expected: (w) => (sameTenant(w) ? 200 : 404),
    // The profile lists the communities the viewer may see, and the kudos they may read.
    names: see,
  },
  {
    name: 'GET org chart',
    request: (_f, w) => ({ method: 'GET', url: `/api/v1/people/${w.people.target.id}/org-chart` }),
    expected: (w) => (sameTenant(w) ? 200 : 404),
    names: never,
  },
  { name: 'GET experts', request: (f) => ({ method: 'GET', url: `/api/v1/experts?q=${f.marker}` }), expected: () => 200, names: read },
];

const mutating: Route[] = [
  {
    name: 'POST report',
    mutates: true,
    request: (f) => ({ method: 'POST', url: `/api/v1/posts/${f.post}/reports`, payload: { reason: 'off_topic' } }),
    // The member reported it when the fixture was made: one open report per person per item.
    expected: (w, v) => (!read(w, v) ? 404 : w === 'member' ? 409 : 201),
    names: read,
  },
];

describe.each(testDatabases())('reach authorisation matrix on $name', ({ open }) => {
  let db: Db;
  let world: MatrixWorld;
  const fixtures = new Map<MatrixVisibility, Fixture>();
  let n = 0;

  async function ok(who: Parameters<MatrixWorld['as']>[0], request: InjectOptions, status: number): Promise<Record<string, unknown>> {
    const r = await world.as(who, request);
    if (r.statusCode !== status) throw new Error(`${request.method} ${request.url} as ${who}: ${r.statusCode} ${r.body}`);
    return r.body ? (r.json() as Record<string, unknown>) : {};
  }

  async function fixture(v: MatrixVisibility, valueKey: string): Promise<Fixture> {
    const marker = `Quillwort${++n}${v}`;
    const community = await world.community(v, { name: `Zephyrine ${marker}` });
    const post = await ok('target', {
      method: 'POST',
      url: '/api/v1/posts',
      payload: { communityId: community.id, title: `${marker} plan`, body: `${marker} body for @none@matrix.test and @member@matrix.test` },
    }, 201);
    const postId = post.id as string;
    await ok('target', { method: 'POST', url: `/api/v1/posts/${postId}/comments`, payload: { body: `${marker} reply` } }, 201);
    const upload = await ok('target', {
      method: 'POST',
      url: `/api/v1/attachments?name=${marker}.txt`,
      headers: { 'content-type': 'text/plain' },
      payload: `${marker} notes`,
    }, 201);
    await ok('target', { method: 'PUT', url: `/api/v1/posts/${postId}/attachments`, payload: { attachmentIds: [upload.id] } }, 200);
    const announcement = await ok('owner', {
      method: 'POST',
      url: '/api/v1/announcements',
      payload: { communityId: community.id, title: `${marker} notice`, body: `${marker} must read`, targets: [{ type: 'community', communityId: community.id }] },
    }, 201);
    const kudos = await ok('target', {
      method: 'POST',
      url: '/api/v1/kudos',
      payload: { recipients: [world.people.member.upn], valueKey, message: `${marker} thanks`, visibility: 'community', communityId: community.id },
    }, 201);
    await ok('member', { method: 'POST', url: `/api/v1/posts/${postId}/reports`, payload: { reason: 'spam' } }, 201);
    return {
      v,
      marker,
      community,
      post: postId,
      announcement: (announcement.post as { id: string }).id,
      attachment: upload.id as string,
      kudos: (kudos.kudos as { id: string }).id,
    };
  }

  beforeAll(async () => {
    db = await open();
    world = await createMatrixWorld(db);
    // Target and member share a department and a manager (admin), so that walls, highlights and org charts have them.
    await db.query("update people set department = 'Matrixology', manager_id = $2 where tenant_id = $1 and id = any($3::uuid[])", [
      world.tenantId,
      world.people.admin.id,
      [world.people.target.id, world.people.member.id],
    ]);
    const values = await ok('admin', { method: 'GET', url: '/api/v1/kudos/values' }, 200);
    const valueKey = (values.items as { key: string }[])[0]!.key;
    // Secret first: the member's first badge then links the secret community's kudos.
    for (const v of [...matrixVisibilities].reverse()) fixtures.set(v, await fixture(v, valueKey));
  });
  afterAll(async () => {
    await world.close();
    await db.close();
  });

  const cases: [string, Route, MatrixVisibility][] = [];
  for (const route of [...routes, ...mutating]) for (const v of matrixVisibilities) cases.push([`${route.name} | ${v}`, route, v]);

  /** Whether a successful answer names the fixture: its marker or one of its ids (the echoed query aside). */
  function reveals(body: string, f: Fixture): boolean {
    const text = body.replace(/"(q|query)":"[^"]*"/g, '');
    return [f.marker, f.post, f.announcement, f.kudos, f.attachment].some((x) => text.includes(x));
  }

  test.each(cases)('%s', async (_name, route, v) => {
    const f = fixtures.get(v)!;
    const got: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const who of matrixRoles) {
      const r = await world.as(who, route.request(f, world));
      const expected = route.expected(who, v);
      if (r.statusCode >= 400) {
        // A refusal says nothing about the content or the community.
        got[who] = `${r.statusCode}${r.body.includes(f.marker) ? ' names it' : ''}`;
      } else {
        got[who] = `${r.statusCode}${reveals(r.body, f) ? ' names it' : ''}`;
      }
      want[who] = `${expected}${expected < 400 && route.names?.(who, v) ? ' names it' : ''}`;
    }
    expect(got).toEqual(want);
  });

  test('search counts and hits never count what the viewer may not see', async () => {
    for (const who of matrixRoles) {
      for (const v of matrixVisibilities) {
        const f = fixtures.get(v)!;
        const r = await world.as(who, { method: 'GET', url: `/api/v1/search?q=${f.marker}` });
        const body = r.json() as { counts: { posts: number; communities: number }; posts: { items: unknown[] }; communities: { items: unknown[] } };
        expect({ who, v, counts: body.counts.posts, hits: body.posts.items.length, communities: body.counts.communities }).toEqual({
          who,
          v,
          // The post and the announcement.
          counts: read(who, v) ? 2 : 0,
          hits: read(who, v) ? 2 : 0,
          communities: see(who, v) ? 1 : 0,
        });
      }
    }
  });

  test('people search, autocomplete and counts stay inside the tenant', async () => {
    const got: Record<string, [boolean, boolean, number]> = {};
    const want: Record<string, [boolean, boolean, number]> = {};
    for (const who of matrixRoles) {
      const hits = await world.as(who, { method: 'GET', url: '/api/v1/search?type=people&q=Matrix%20target' });
      const suggest = await world.as(who, { method: 'GET', url: '/api/v1/people/autocomplete?q=Matrix%20tar' });
      const all = await world.as(who, { method: 'GET', url: '/api/v1/search?q=Matrix%20target' });
      const id = world.people.target.id;
      got[who] = [hits.body.includes(id), suggest.body.includes(id), (all.json() as { counts: { people: number } }).counts.people];
      want[who] = sameTenant(who) ? [true, true, 1] : [false, false, 0];
    }
    expect(got).toEqual(want);
  });

  test('live event stream: a post reaches the streams of its community members only, whatever the visibility', async () => {
    await world.ruche.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = world.ruche.app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    // Each role's stream, as raw text (post events carry the post id and body).
    const received = new Map<MatrixRole, string>();
    const closers: (() => void)[] = [];
    const ready: Promise<void>[] = [];
    for (const who of matrixRoles) {
      received.set(who, '');
      ready.push(
        new Promise<void>((resolve, reject) => {
          const req = httpRequest(`${base}/api/v1/events`, { headers: { accept: 'text/event-stream', authorization: world.bearer(who) } }, (res) => {
            if (res.statusCode !== 200) return reject(new Error(`${who}: events answered ${res.statusCode}`));
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              received.set(who, received.get(who)! + chunk);
              if (received.get(who)!.includes('event: ready')) resolve();
            });
            closers.push(() => res.destroy());
          });
          req.on('error', reject);
          req.end();
        }),
      );
    }
    await Promise.all(ready);
    try {
      const posts = new Map<MatrixVisibility, { id: string; marker: string }>();
      for (const v of matrixVisibilities) {
        const community = await world.community(v);
        const marker = `Streamwort${v}`;
        const r = await world.as('target', { method: 'POST', url: '/api/v1/posts', payload: { communityId: community.id, title: marker, body: `${marker} live` } });
        expect(r.statusCode).toBe(201);
        posts.set(v, { id: (r.json() as { id: string }).id, marker });
      }
      // Events reach a stream in order: once a sentinel posted last has arrived, every earlier event that was sent has too.
      const sentinel = await world.community('public');
      for (const who of ['none', 'admin'] as const) {
        await world.db.query("insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'member', 'active')", [
          world.tenantId,
          sentinel.id,
          world.people[who].id,
        ]);
      }
      const last = await world.as('target', { method: 'POST', url: '/api/v1/posts', payload: { communityId: sentinel.id, body: 'Sentinelwort' } });
      expect(last.statusCode).toBe(201);
      const deadline = Date.now() + 10_000;
      while ([...received].some(([who, text]) => who !== 'other_tenant' && !text.includes('Sentinelwort')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const got: Record<string, string[]> = {};
      const want: Record<string, string[]> = {};
      for (const who of matrixRoles) {
        const text = received.get(who)!;
        got[who] = matrixVisibilities.filter((v) => text.includes(posts.get(v)!.id) || text.includes(posts.get(v)!.marker));
        want[who] = matrixVisibilities.filter(() => members.has(who));
        if (who !== 'other_tenant') expect({ who, sentinel: text.includes('Sentinelwort') }).toEqual({ who, sentinel: true });
      }
      expect(got).toEqual(want);
    } finally {
      for (const close of closers) close();
    }
  });

  test('live event stream: reaction counts reach the readers of the post only, whatever the visibility, naming no one', async () => {
    if (!world.ruche.app.server.listening) await world.ruche.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = world.ruche.app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const received = new Map<MatrixRole, string>();
    const closers: (() => void)[] = [];
    await Promise.all(
      matrixRoles.map(
        (who) =>
          new Promise<void>((resolve, reject) => {
            received.set(who, '');
            const req = httpRequest(`${base}/api/v1/events`, { headers: { accept: 'text/event-stream', authorization: world.bearer(who) } }, (res) => {
              if (res.statusCode !== 200) return reject(new Error(`${who}: events answered ${res.statusCode}`));
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                received.set(who, received.get(who)! + chunk);
                if (received.get(who)!.includes('event: ready')) resolve();
              });
              closers.push(() => res.destroy());
            });
            req.on('error', reject);
            req.end();
          }),
      ),
    );
    /** The reaction events of a stream: target id -> data. */
    const reactionsIn = (text: string) =>
      new Map(
        text
          .split('\n\n')
          .filter((frame) => frame.split('\n').includes('event: reaction'))
          .map((frame) => JSON.parse(frame.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { targetId: string })
          .map((d) => [d.targetId, d] as const),
      );
    try {
      const posts = new Map<MatrixVisibility, string>();
      for (const v of matrixVisibilities) {
        const community = await world.community(v);
        const r = await world.as('target', { method: 'POST', url: '/api/v1/posts', payload: { communityId: community.id, body: `Reactwort${v}` } });
        expect(r.statusCode).toBe(201);
        const id = (r.json() as { id: string }).id;
        expect((await world.as('target', { method: 'PUT', url: `/api/v1/posts/${id}/reaction`, payload: { kind: 'support' } })).statusCode).toBe(200);
        posts.set(v, id);
      }
      // A reaction to a public post, last: every reader in the tenant hears it, and everything sent before it has arrived.
      const sentinel = await world.community('public');
      const last = await world.as('target', { method: 'POST', url: '/api/v1/posts', payload: { communityId: sentinel.id, body: 'Reactsentinel' } });
      const lastId = (last.json() as { id: string }).id;
      await world.as('target', { method: 'PUT', url: `/api/v1/posts/${lastId}/reaction`, payload: { kind: 'like' } });
      const deadline = Date.now() + 10_000;
      while ([...received].some(([who, text]) => who !== 'other_tenant' && !reactionsIn(text).has(lastId)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const got: Record<string, string[]> = {};
      const want: Record<string, string[]> = {};
      for (const who of matrixRoles) {
        const heard = reactionsIn(received.get(who)!);
        if (who !== 'other_tenant') expect({ who, sentinel: heard.has(lastId) }).toEqual({ who, sentinel: true });
        const heardIn = matrixVisibilities.filter((v) => heard.has(posts.get(v)!));
        got[who] = heardIn;
        want[who] = matrixVisibilities.filter((v) => read(who, v));
        for (const v of heardIn) {
          expect(heard.get(posts.get(v)!)).toEqual({
            targetType: 'post',
            targetId: posts.get(v),
            postId: posts.get(v),
            counts: { like: 0, celebrate: 0, love: 0, insightful: 0, funny: 0, support: 1 },
            total: 1,
          });
        }
        expect(JSON.stringify([...heard.values()])).not.toContain(world.people.target.id);
      }
      expect(got).toEqual(want);
    } finally {
      for (const close of closers) close();
    }
  });

  test('personal-data erasure: the person or a tenant admin; never another tenant', async () => {
    const got: Record<string, number> = {};
    for (const who of matrixRoles) {
      const p = await db.query<{ id: string }>("insert into people (tenant_id, upn, display_name) values ($1, $2, 'Erasable') returning id", [
        world.tenantId,
        `erasable-${who}@matrix.test`,
      ]);
      const r = await world.as(who, { method: 'POST', url: `/api/v1/admin/people/${p.rows[0]!.id}/erase`, payload: { mode: 'anonymise' } });
      got[who] = r.statusCode;
    }
    expect(got).toEqual({ none: 403, member: 403, moderator: 403, owner: 403, admin: 200, other_tenant: 404 });
  });
});
