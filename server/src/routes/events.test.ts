import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { createTestTenant, freshPostgresSchema, testDatabases } from '@ruche/core/testing';
import { type Db, createLogger, migrate, openPostgres } from '@ruche/core';
import { buildApp, type RucheApp } from '../app.js';
import { localConfig } from '../testing.js';
import { type Social, type Who, socialFixture } from './posts-testing.js';

interface SseEvent {
  id?: string;
  event: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked by the assertions
}

/** A minimal EventSource over node:http: collects events and waits for the one wanted. */
class Stream {
  events: SseEvent[] = [];
  ended = false;
  private waiters: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  private endWaiters: (() => void)[] = [];
  private buffer = '';
  private constructor(private readonly res: IncomingMessage) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.feed(chunk));
    res.on('end', () => this.end());
    res.on('close', () => this.end());
    res.on('error', () => this.end());
  }

  static open(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; stream: Stream; body?: string }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(`${base}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, stream: new Stream(res), body }));
          return;
        }
        resolve({ status: 200, stream: new Stream(res) });
      });
      req.on('error', reject);
      req.end();
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let i: number;
    while ((i = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 2);
      const e: Partial<SseEvent> & { raw?: string } = {};
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const [k, ...rest] = line.split(': ');
        const v = rest.join(': ');
        if (k === 'id') e.id = v;
        if (k === 'event') e.event = v;
        if (k === 'data') data += v;
      }
      if (!e.event) continue;
      const ev: SseEvent = { ...(e.id ? { id: e.id } : {}), event: e.event, data: data ? JSON.parse(data) : null };
      this.events.push(ev);
      for (const w of [...this.waiters]) {
        if (w.match(ev)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(ev);
        }
      }
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.endWaiters) w();
  }

  next(match: (e: SseEvent) => boolean): Promise<SseEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  closed(): Promise<void> {
    return this.ended ? Promise.resolve() : new Promise((r) => this.endWaiters.push(r));
  }

  close(): void {
    this.res.destroy();
  }
}

describe.each(testDatabases())('live updates (SSE) on $name', ({ name, open }) => {
  let db: Db;
  let s: Social;
  let base: string;
  const streams: Stream[] = [];

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
    await s.ruche.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = s.ruche.app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => {
    for (const st of streams) st.close();
    await s.close();
    await db.close();
  });

  const tokens = new Map<Who, string>();
  const token = async (who: Who) => {
    if (!tokens.has(who)) {
      const t = await s.ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: s.upn(who) } });
      tokens.set(who, t.json().access_token);
    }
    return tokens.get(who)!;
  };
  /** Each app signs its own development tokens. */
  const tokenFrom = async (app: RucheApp, who: Who) =>
    (await app.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: s.upn(who) } })).json().access_token as string;
  const connect = async (who: Who, at = base, headers: Record<string, string> = {}, bearer?: string) => {
    const r = await Stream.open(at, '/api/v1/events', { authorization: `Bearer ${bearer ?? (await token(who))}`, ...headers });
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: undefined });
    streams.push(r.stream);
    await r.stream.next((e) => e.event === 'ready');
    return r.stream;
  };
  const post = async (who: Who, communityId: string, body: string) => {
    const r = await s.as(who, 'POST', '/posts', { communityId, kind: 'discussion', body });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const postEvent = (id: string) => (e: SseEvent) => e.event === 'post' && e.data.id === id;

  test('a post in a private community reaches the member but not the non-member; comments and notifications follow', async () => {
    const priv = await s.community('private');
    const pub = await s.community('public');
    await s.db.query("insert into memberships (tenant_id, community_id, person_id) values ($1, $2, $3)", [s.tenant, pub, s.id.outsider]);
    const camille = await connect('camille');
    const outsider = await connect('outsider');

    const secretPost = await post('lea', priv, 'members only: the plan');
    const seen = await camille.next(postEvent(secretPost));
    expect(seen.data).toMatchObject({ id: secretPost, body: 'members only: the plan' });
    // Events reach each connection in order: once the outsider has the later public post, the private one was never sent.
    const publicPost = await post('lea', pub, 'for everyone');
    await outsider.next(postEvent(publicPost));
    await camille.next(postEvent(publicPost));
    expect(JSON.stringify(outsider.events)).not.toContain(secretPost);
    expect(JSON.stringify(outsider.events)).not.toContain('the plan');

    // A comment on a post Camille may read, and her notification with the unread count.
    const mine = await post('camille', priv, 'my question');
    const c = await s.as('lea', 'POST', `/posts/${mine}/comments`, { body: 'my reply' });
    const ce = await camille.next((e) => e.event === 'comment' && e.data.id === c.body.id);
    expect(ce.data).toMatchObject({ postId: mine, body: 'my reply' });
    const ne = await camille.next((e) => e.event === 'notification' && e.data.notification.data.commentId === c.body.id);
    expect(ne.data).toMatchObject({ notification: { kind: 'reply' }, unreadCount: expect.any(Number) });
    const r = await s.as('camille', 'POST', '/notifications/read', { all: true });
    await camille.next((e) => e.event === 'unread' && e.data.unreadCount === 0);
    expect(r.body.unreadCount).toBe(0);
    // The outsider heard none of it.
    const marker = await post('lea', pub, 'marker');
    await outsider.next(postEvent(marker));
    expect(outsider.events.some((e) => e.event === 'comment' || e.event === 'notification')).toBe(false);
  });

  test('new reaction counts reach the readers of the item, never a non-member of a private community, and name no one', async () => {
    const priv = await s.community('private');
    const pub = await s.community('public');
    await s.db.query('insert into memberships (tenant_id, community_id, person_id) values ($1, $2, $3)', [s.tenant, pub, s.id.outsider]);
    const camille = await connect('camille');
    const outsider = await connect('outsider');
    const reactionTo = (id: string, total: number) => (e: SseEvent) => e.event === 'reaction' && e.data.targetId === id && e.data.total === total;

    const secret = await post('camille', priv, 'members only: reactions');
    expect((await s.as('lea', 'PUT', `/posts/${secret}/reaction`, { kind: 'celebrate' })).status).toBe(200);
    const seen = await camille.next(reactionTo(secret, 1));
    expect(seen.data).toEqual({
      targetType: 'post',
      targetId: secret,
      postId: secret,
      counts: { like: 0, celebrate: 1, love: 0, insightful: 0, funny: 0, support: 0 },
      total: 1,
    });
    expect(JSON.stringify(seen.data)).not.toContain(s.id.lea);
    // Another kind replaces Léa's reaction; removing it brings the count back to zero.
    await s.as('lea', 'PUT', `/posts/${secret}/reaction`, { kind: 'love' });
    expect((await camille.next((e) => e.event === 'reaction' && e.data.targetId === secret && e.data.counts.love === 1)).data.counts.celebrate).toBe(0);
    await s.as('lea', 'DELETE', `/posts/${secret}/reaction`);
    await camille.next(reactionTo(secret, 0));
    // A reaction to a comment carries the post it belongs to.
    const c = await s.as('lea', 'POST', `/posts/${secret}/comments`, { body: 'a comment to like' });
    await s.as('moderator', 'PUT', `/comments/${c.body.id}/reaction`, { kind: 'insightful' });
    const onComment = await camille.next(reactionTo(c.body.id, 1));
    expect(onComment.data).toMatchObject({ targetType: 'comment', postId: secret, counts: { insightful: 1 } });

    // The outsider hears reactions in the public community; in order, so the private ones were never sent.
    const open = await post('lea', pub, 'for everyone to react to');
    await s.as('camille', 'PUT', `/posts/${open}/reaction`, { kind: 'like' });
    expect((await outsider.next(reactionTo(open, 1))).data.counts.like).toBe(1);
    await camille.next(reactionTo(open, 1));
    const heard = JSON.stringify(outsider.events);
    expect(heard).not.toContain(secret);
    expect(heard).not.toContain(c.body.id);
    expect(outsider.events.filter((e) => e.event === 'reaction')).toHaveLength(1);
  });

  test('Last-Event-ID resumes the events missed while disconnected', async () => {
    const pub = await s.community('public');
    const lea = await connect('lea');
    const camille = await connect('camille');
    const first = await post('owner', pub, 'first');
    const got = await camille.next(postEvent(first));
    camille.close();
    const missed = await post('owner', pub, 'missed');
    await lea.next(postEvent(missed)); // the hub has heard it
    const again = await connect('camille', base, { 'last-event-id': got.id! });
    expect(again.events[0]).toMatchObject({ event: 'ready', data: { resumed: true } });
    await again.next(postEvent(missed));
    const fresh = await connect('camille', base, { 'last-event-id': 'nonsense.1' });
    expect(fresh.events[0]).toMatchObject({ event: 'ready', data: { resumed: false } });
  });

  test('EventSource may pass ?access_token=, which never reaches the request log; other paths refuse it', async () => {
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await buildApp({ config: localConfig(), db, logger: createLogger({ level: 'info', destination: capture }), localTenantId: s.tenant });
    await logged.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = logged.app.server.address();
    const at = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    try {
      const t = await tokenFrom(logged, 'camille');
      const ok = await Stream.open(at, `/api/v1/events?access_token=${encodeURIComponent(t)}`, {});
      expect(ok.status).toBe(200);
      streams.push(ok.stream);
      await ok.stream.next((e) => e.event === 'ready');
      const refused = await Stream.open(at, `/api/v1/notifications?access_token=${encodeURIComponent(t)}`, {});
      expect(refused.status).toBe(401);
      const none = await Stream.open(at, '/api/v1/events', {});
      expect(none.status).toBe(401);
      const log = lines.join('');
      expect(log).toContain('/api/v1/events');
      expect(log).not.toContain(t);
      expect(log).not.toContain('access_token=');
    } finally {
      await logged.app.close();
    }
  });

  test('an event published through one app instance reaches a client of another on the same database; closing ends streams', async () => {
    // Two server instances: on PostgreSQL two pools and two listener connections on one schema; on PGlite one database in process.
    let fresh: Awaited<ReturnType<typeof freshPostgresSchema>>;
    let dbA: Db = db;
    let dbB: Db = db;
    if (name === 'postgres') {
      fresh = await freshPostgresSchema();
      dbA = await openPostgres({ connectionString: fresh!.url, max: 2 });
      await migrate(dbA);
      dbB = await openPostgres({ connectionString: fresh!.url, max: 2 });
    }
    const tenant = await createTestTenant(dbA);
    const ids: Record<string, string> = {};
    for (const who of ['ana', 'ben']) {
      const r = await dbA.query<{ id: string }>('insert into people (tenant_id, upn, display_name) values ($1, $2, $3) returning id', [tenant, `${who}@x.example`, who]);
      ids[who] = r.rows[0]!.id;
    }
    const c = await dbA.query<{ id: string }>("insert into communities (tenant_id, slug, name, kind, visibility) values ($1, 'club', 'Club', 'interest', 'public') returning id", [tenant]);
    const club = c.rows[0]!.id;
    for (const who of ['ana', 'ben']) await dbA.query('insert into memberships (tenant_id, community_id, person_id) values ($1, $2, $3)', [tenant, club, ids[who]]);
    const silent = createLogger({ level: 'silent' });
    const one = await buildApp({ config: localConfig(), db: dbA, logger: silent, localTenantId: tenant });
    const two = await buildApp({ config: localConfig(), db: dbB, logger: silent, localTenantId: tenant });
    await two.app.listen({ port: 0, host: '127.0.0.1' });
    const addr = two.app.server.address();
    const at = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const tokenOf = async (app: RucheApp, upn: string) =>
      (await app.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: upn } })).json().access_token as string;
    try {
      const onTwo = await Stream.open(at, '/api/v1/events', { authorization: `Bearer ${await tokenOf(two, 'ben@x.example')}` });
      expect(onTwo.status).toBe(200);
      await onTwo.stream.next((e) => e.event === 'ready');
      const r = await one.app.inject({
        method: 'POST',
        url: '/api/v1/posts',
        headers: { authorization: `Bearer ${await tokenOf(one, 'ana@x.example')}` },
        payload: { communityId: club, kind: 'discussion', body: 'from instance one' },
      });
      expect(r.statusCode).toBe(201);
      expect((await onTwo.stream.next(postEvent(r.json().id))).data.body).toBe('from instance one');
      // Graceful shutdown ends the open streams.
      await two.app.close();
      await onTwo.stream.closed();
      expect(onTwo.stream.ended).toBe(true);
    } finally {
      await one.app.close();
      await two.app.close();
      if (fresh) {
        await dbA.close();
        await dbB.close();
        await fresh.drop();
      }
    }
  });
});
