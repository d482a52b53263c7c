import { testDatabases } from '@ruche/core/testing';
import { type Db, inertnessProblem, xssPayloads } from '@ruche/core';
import { type Social, socialFixture } from './posts-testing.js';

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe.each(testDatabases())('posts API on $name', ({ open }) => {
  let db: Db;
  let s: Social;
  let pub: string;

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
    pub = await s.community('public', { name: 'Public square' });
  });
  afterAll(async () => {
    await s.close();
    await db.close();
  });

  const create = (who: Parameters<Social['as']>[0], payload: Record<string, unknown>, headers?: Record<string, string>) =>
    s.as(who, 'POST', '/posts', { communityId: pub, kind: 'discussion', ...payload }, headers);

  test('a member starts a discussion; the body is rendered to safe HTML and stored', async () => {
    const r = await create('camille', { title: 'Hello', body: 'Some **bold** text and [a link](https://example.com)' });
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe(`/api/v1/posts/${r.body.id}`);
    expect(r.body).toMatchObject({
      kind: 'discussion',
      title: 'Hello',
      author: { id: s.id.camille, displayName: 'Camille Martin' },
      community: { id: pub, name: 'Public square' },
      version: 1,
      counts: { comments: 0, reactionsTotal: 0 },
      viewerReaction: null,
    });
    expect(r.body.bodyHtml).toContain('<strong>bold</strong>');
    const stored = await db.query<{ body_html: string }>('select body_html from posts where tenant_id = $1 and id = $2', [s.tenant, r.body.id]);
    expect(stored.rows[0]!.body_html).toBe(r.body.bodyHtml);
    const got = await s.as('outsider', 'GET', `/posts/${r.body.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"1"');
  });

  test('XSS payloads in post and comment bodies come back inert', async () => {
    const r = await create('camille', { title: 'XSS', body: xssPayloads.join('\n\n') });
    expect(r.status).toBe(201);
    expect(inertnessProblem(r.body.bodyHtml)).toBeNull();
    for (const payload of xssPayloads) {
      const c = await s.as('lea', 'POST', `/posts/${r.body.id}/comments`, { body: payload });
      expect(c.status).toBe(201);
      expect({ payload, problem: inertnessProblem(c.body.bodyHtml) }).toEqual({ payload, problem: null });
    }
    const list = await s.as('camille', 'GET', `/posts/${r.body.id}/comments?limit=100`);
    for (const c of list.body.items) expect(inertnessProblem(c.bodyHtml)).toBeNull();
    const again = await s.as('lea', 'GET', `/posts/${r.body.id}`);
    expect(inertnessProblem(again.body.bodyHtml)).toBeNull();
  });

  test('length limits give clear errors, and a refused edit keeps what was saved', async () => {
    const long = await create('camille', { title: 'Long', body: 'x'.repeat(20_001) });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ code: 'CONTENT_TOO_LONG' });
    expect(long.body.detail).toMatch(/20001 characters long; the limit is 20000/);
    const title = await create('camille', { title: 't'.repeat(201), body: 'x' });
    expect(title.body.code).toBe('CONTENT_TOO_LONG');
    const empty = await create('camille', { body: '   ' });
    expect(empty.body.code).toBe('CONTENT_INVALID');

    const ok = await create('camille', { title: 'Kept', body: 'original' });
    const bad = await s.as('camille', 'PATCH', `/posts/${ok.body.id}`, { body: 'y'.repeat(20_001) });
    expect(bad.status).toBe(400);
    const after = await s.as('camille', 'GET', `/posts/${ok.body.id}`);
    expect(after.body).toMatchObject({ body: 'original', version: 1 });
    const comment = await s.as('lea', 'POST', `/posts/${ok.body.id}/comments`, { body: 'z'.repeat(5_001) });
    expect(comment.body.code).toBe('CONTENT_TOO_LONG');
  });

  test('restricted posting, announcements, archived and banned members', async () => {
    const restricted = await s.community('public', { restrictedPosting: true });
    const post = (who: Parameters<Social['as']>[0], kind = 'discussion', communityId = restricted) =>
      s.as(who, 'POST', '/posts', { communityId, kind, title: 'T', body: 'B' });
    expect((await post('camille')).status).toBe(403);
    expect((await post('moderator')).status).toBe(201);
    expect((await post('owner')).status).toBe(201);
    expect((await post('camille', 'announcement', pub)).status).toBe(403);
    expect((await post('moderator', 'announcement', pub)).status).toBe(201);
    expect((await post('outsider', 'discussion', pub)).body.code).toBe('FORBIDDEN');
    expect((await post('requester', 'discussion', pub)).status).toBe(403);
    expect((await post('banned', 'discussion', pub)).status).toBe(403);
    const archived = await s.community('public', { archived: true });
    expect((await post('owner', 'discussion', archived)).status).toBe(403);

    const p = await create('camille', { title: 'Banned cannot', body: 'x' });
    expect((await s.as('banned', 'POST', `/posts/${p.body.id}/comments`, { body: 'hi' })).status).toBe(404);
    expect((await s.as('banned', 'PUT', `/posts/${p.body.id}/reaction`, { kind: 'like' })).status).toBe(404);
    const c = await s.as('lea', 'POST', `/posts/${p.body.id}/comments`, { body: 'hi' });
    expect((await s.as('banned', 'PUT', `/comments/${c.body.id}/reaction`, { kind: 'like' })).status).toBe(404);
    // A public community lets non-members comment and react, as the policy says.
    expect((await s.as('outsider', 'POST', `/posts/${p.body.id}/comments`, { body: 'hello' })).status).toBe(201);
  });

  test('mentions of people and communities resolve as the author may see; secret communities never leak', async () => {
    const secret = await s.community('secret', { name: 'Skunkworks' });
    const priv = await s.community('private', { name: 'Closed circle' });
    const body =
      `Hi @lea@hexagone.example and @[Someone](person:${s.id.owner}), ` +
      `see @[Circle](community:${priv}) and @[Hidden](community:${secret}) and @nobody@hexagone.example`;
    const r = await create('camille', { title: 'Mentions', body });
    expect(r.status).toBe(201);
    expect(r.body.bodyHtml).toContain(`data-mention-id="${s.id.lea}">@Léa Roux</span>`);
    expect(r.body.bodyHtml).toContain(`data-mention-id="${s.id.owner}">@Owner Person</span>`);
    expect(r.body.bodyHtml).toContain(`data-mention-id="${priv}">@Closed circle</span>`);
    expect(r.body.bodyHtml).not.toContain('Skunkworks');
    expect(r.body.bodyHtml).not.toContain(secret);
    expect(r.body.bodyHtml).toContain('@Hidden');
    const m = await db.query<{ mentioned_type: string; mentioned_id: string }>(
      'select mentioned_type, mentioned_id from mentions where tenant_id = $1 and source_type = $2 and source_id = $3 order by 1, 2',
      [s.tenant, 'post', r.body.id],
    );
    expect(m.rows).toEqual(
      expect.arrayContaining([
        { mentioned_type: 'person', mentioned_id: s.id.lea },
        { mentioned_type: 'person', mentioned_id: s.id.owner },
        { mentioned_type: 'community', mentioned_id: priv },
      ]),
    );
    expect(m.rows).toHaveLength(3);
    // An outsider cannot mention a secret community even by its id; inside itself it resolves.
    const out = await s.as('outsider', 'POST', `/posts/${r.body.id}/comments`, { body: `@[X](community:${secret})` });
    expect(out.body.bodyHtml).not.toContain('Skunkworks');
    const inside = await s.as('camille', 'POST', '/posts', { communityId: secret, title: 'in', body: `@[x](community:${secret})` });
    expect(inside.body.bodyHtml).toContain('@Skunkworks');
  });

  test('#topics are extracted with accents kept and a folded slug', async () => {
    const r = await create('camille', { title: 'Topics', body: 'About #Économie and #RH' });
    expect(r.body.topics).toEqual([
      { slug: 'rh', name: 'RH' },
      { slug: 'economie', name: 'Économie' },
    ]);
    const t = await db.query('select slug, name from topics where tenant_id = $1 and slug = $2', [s.tenant, 'economie']);
    expect(t.rows).toEqual([{ slug: 'economie', name: 'Économie' }]);
  });

  test('edit keeps a history; only the author edits; a stale If-Match is refused', async () => {
    const r = await create('camille', { title: 'v1', body: 'first #Alpha' });
    const e = await s.as('camille', 'PATCH', `/posts/${r.body.id}`, { title: 'v2', body: 'second #Beta' }, { 'if-match': '"1"' });
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({ title: 'v2', version: 2, edited: true, topics: [{ slug: 'beta', name: 'Beta' }] });
    expect(e.headers.etag).toBe('"2"');
    const stale = await s.as('camille', 'PATCH', `/posts/${r.body.id}`, { title: 'v3' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect((await s.as('lea', 'PATCH', `/posts/${r.body.id}`, { title: 'hijack' })).status).toBe(403);
    expect((await s.as('moderator', 'PATCH', `/posts/${r.body.id}`, { title: 'mod edit' })).status).toBe(403);
    const h = await s.as('lea', 'GET', `/posts/${r.body.id}/revisions`);
    expect(h.status).toBe(200);
    expect(h.body.items.map((x: { version: number; title: string }) => [x.version, x.title])).toEqual([
      [2, 'v2'],
      [1, 'v1'],
    ]);
    expect(h.body.items[1].editedBy).toEqual({ id: s.id.camille, displayName: 'Camille Martin' });
  });

  test('delete is soft and audited, by the author or a moderator', async () => {
    const a = await create('camille', { title: 'Mine', body: 'x' });
    expect((await s.as('lea', 'DELETE', `/posts/${a.body.id}`)).status).toBe(403);
    expect((await s.as('camille', 'DELETE', `/posts/${a.body.id}`)).status).toBe(204);
    expect((await s.as('camille', 'GET', `/posts/${a.body.id}`)).status).toBe(404);
    const b = await create('camille', { title: 'Moderated', body: 'x' });
    expect((await s.as('moderator', 'DELETE', `/posts/${b.body.id}`)).status).toBe(204);
    const rows = await db.query<{ deleted: boolean }>('select deleted_at is not null as deleted from posts where tenant_id = $1 and id = any($2::uuid[])', [
      s.tenant,
      [a.body.id, b.body.id],
    ]);
    expect(rows.rows).toEqual([{ deleted: true }, { deleted: true }]);
    const audit = await db.query<{ actor_id: string; target_id: string; data: { byAuthor: boolean } }>(
      "select actor_id, target_id, data from audit_log where tenant_id = $1 and action = 'post.delete' and target_id = any($2::text[]) order by id",
      [s.tenant, [a.body.id, b.body.id]],
    );
    expect(audit.rows.map((x) => [x.actor_id, x.target_id, x.data.byAuthor])).toEqual([
      [s.id.camille, a.body.id, true],
      [s.id.moderator, b.body.id, false],
    ]);
  });

  test('comments are one level deep, editable, and soft-deleted', async () => {
    const p = await create('camille', { title: 'Thread', body: 'x' });
    const top = await s.as('lea', 'POST', `/posts/${p.body.id}/comments`, { body: 'top' });
    const reply = await s.as('camille', 'POST', `/posts/${p.body.id}/comments`, { body: 'reply', parentId: top.body.id });
    const deep = await s.as('lea', 'POST', `/posts/${p.body.id}/comments`, { body: 'reply to reply', parentId: reply.body.id });
    expect(reply.body.parentId).toBe(top.body.id);
    expect(deep.body.parentId).toBe(top.body.id);
    const edited = await s.as('lea', 'PATCH', `/comments/${top.body.id}`, { body: 'top, edited' });
    expect(edited.body).toMatchObject({ body: 'top, edited', edited: true });
    expect((await s.as('camille', 'PATCH', `/comments/${top.body.id}`, { body: 'nope' })).status).toBe(403);
    let list = await s.as('outsider', 'GET', `/posts/${p.body.id}/comments`);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].replies.map((x: { body: string }) => x.body)).toEqual(['reply', 'reply to reply']);
    expect((await s.as('lea', 'DELETE', `/comments/${top.body.id}`)).status).toBe(204);
    list = await s.as('outsider', 'GET', `/posts/${p.body.id}/comments`);
    expect(list.body.items[0]).toMatchObject({ deleted: true, body: '', author: null });
    expect(list.body.items[0].replies).toHaveLength(2);
    expect((await s.as('moderator', 'DELETE', `/comments/${deep.body.id}`)).status).toBe(204);
    const count = await s.as('outsider', 'GET', `/posts/${p.body.id}`);
    expect(count.body.counts.comments).toBe(1);
    const audit = await db.query("select 1 from audit_log where tenant_id = $1 and action = 'comment.delete' and target_id = $2", [s.tenant, deep.body.id]);
    expect(audit.rowCount).toBe(1);
  });

  test('one reaction per person per item; another kind replaces it; DELETE removes it', async () => {
    const p = await create('camille', { title: 'React', body: 'x' });
    const url = `/posts/${p.body.id}/reaction`;
    expect((await s.as('lea', 'PUT', url, { kind: 'like' })).body).toMatchObject({ total: 1, viewerReaction: 'like' });
    const replaced = await s.as('lea', 'PUT', url, { kind: 'celebrate' });
    expect(replaced.body).toMatchObject({ total: 1, viewerReaction: 'celebrate', counts: { like: 0, celebrate: 1 } });
    await s.as('moderator', 'PUT', url, { kind: 'celebrate' });
    expect((await s.as('lea', 'PUT', url, { kind: 'angry' })).status).toBe(400);
    const got = await s.as('lea', 'GET', `/posts/${p.body.id}`);
    expect(got.body.counts).toMatchObject({ reactionsTotal: 2, reactions: { celebrate: 2, like: 0 } });
    expect(got.body.viewerReaction).toBe('celebrate');
    const who = await s.as('outsider', 'GET', `/posts/${p.body.id}/reactions`);
    expect(who.body.items.map((x: { person: { id: string } }) => x.person.id).sort()).toEqual([s.id.lea, s.id.moderator].sort());
    expect((await s.as('lea', 'DELETE', url)).body).toMatchObject({ total: 1, viewerReaction: null });
    const c = await s.as('lea', 'POST', `/posts/${p.body.id}/comments`, { body: 'c' });
    expect((await s.as('camille', 'PUT', `/comments/${c.body.id}/reaction`, { kind: 'insightful' })).body.counts.insightful).toBe(1);
    const list = await s.as('camille', 'GET', `/posts/${p.body.id}/comments`);
    expect(list.body.items[0]).toMatchObject({ viewerReaction: 'insightful', counts: { reactionsTotal: 1 } });
  });

  test('questions: the asker or a moderator accepts one answer, changes it, un-accepts it', async () => {
    const q = await create('camille', { kind: 'question', title: 'How?', body: 'Help' });
    expect(q.body.question).toEqual({ acceptedCommentId: null });
    const a1 = await s.as('lea', 'POST', `/posts/${q.body.id}/comments`, { body: 'Like this' });
    const a2 = await s.as('owner', 'POST', `/posts/${q.body.id}/comments`, { body: 'Or that' });
    expect((await s.as('lea', 'PUT', `/posts/${q.body.id}/accepted-answer`, { commentId: a1.body.id })).status).toBe(403);
    const acc = await s.as('camille', 'PUT', `/posts/${q.body.id}/accepted-answer`, { commentId: a1.body.id });
    expect(acc.body.question.acceptedCommentId).toBe(a1.body.id);
    const changed = await s.as('moderator', 'PUT', `/posts/${q.body.id}/accepted-answer`, { commentId: a2.body.id });
    expect(changed.body.question.acceptedCommentId).toBe(a2.body.id);
    const list = await s.as('lea', 'GET', `/posts/${q.body.id}/comments`);
    expect(list.body.items.map((c: { accepted: boolean }) => c.accepted)).toEqual([false, true]);
    const cleared = await s.as('camille', 'DELETE', `/posts/${q.body.id}/accepted-answer`);
    expect(cleared.body.question.acceptedCommentId).toBeNull();
    const other = await create('camille', { title: 'Not a question', body: 'x' });
    const wrong = await s.as('camille', 'PUT', `/posts/${other.body.id}/accepted-answer`, { commentId: a1.body.id });
    expect(wrong.body.code).toBe('POST_KIND_MISMATCH');
    const foreign = await s.as('camille', 'PUT', `/posts/${q.body.id}/accepted-answer`, { commentId: (await s.as('lea', 'POST', `/posts/${other.body.id}/comments`, { body: 'x' })).body.id });
    expect(foreign.status).toBe(404);
  });

  test('ideas: one vote per person; moderators set the status with a comment', async () => {
    const i = await create('camille', { kind: 'idea', title: 'Bikes', body: 'More bike racks' });
    expect(i.body.idea).toMatchObject({ status: 'new', votes: 0, viewerVoted: false });
    await s.as('lea', 'PUT', `/posts/${i.body.id}/idea-vote`);
    const twice = await s.as('lea', 'PUT', `/posts/${i.body.id}/idea-vote`);
    expect(twice.body.idea).toMatchObject({ votes: 1, viewerVoted: true });
    await s.as('outsider', 'PUT', `/posts/${i.body.id}/idea-vote`);
    expect((await s.as('lea', 'DELETE', `/posts/${i.body.id}/idea-vote`)).body.idea).toMatchObject({ votes: 1, viewerVoted: false });
    expect((await s.as('camille', 'PUT', `/posts/${i.body.id}/idea-status`, { status: 'accepted', comment: 'yes' })).status).toBe(403);
    const noComment = await s.as('moderator', 'PUT', `/posts/${i.body.id}/idea-status`, { status: 'accepted', comment: ' ' });
    expect(noComment.body.code).toBe('CONTENT_INVALID');
    const st = await s.as('moderator', 'PUT', `/posts/${i.body.id}/idea-status`, { status: 'under_review', comment: 'Looking into it' });
    expect(st.body.idea).toMatchObject({ status: 'under_review', statusComment: 'Looking into it', statusSetBy: s.id.moderator });
  });

  test('polls: 2..10 options, results hidden until voted or closed, no vote after closing', async () => {
    const bad1 = await create('camille', { kind: 'poll', title: 'P', poll: { options: ['only'], closesAt: future(1) } });
    expect(bad1.body.code).toBe('CONTENT_INVALID');
    const bad2 = await create('camille', { kind: 'poll', title: 'P', poll: { options: Array.from({ length: 11 }, (_, k) => `o${k}`), closesAt: future(1) } });
    expect(bad2.body.code).toBe('CONTENT_INVALID');
    const past = await create('camille', { kind: 'poll', title: 'P', poll: { options: ['a', 'b'], closesAt: future(-1) } });
    expect(past.body.code).toBe('CONTENT_INVALID');

    const p = await create('camille', { kind: 'poll', title: 'Lunch?', poll: { options: ['Pizza', 'Salad', 'Soup'], closesAt: future(2) } });
    expect(p.status).toBe(201);
    expect(p.body.poll).toMatchObject({ multiple: false, closed: false, resultsVisible: false, voters: null });
    expect(p.body.poll.options.map((o: { votes: null }) => o.votes)).toEqual([null, null, null]);
    expect((await s.as('lea', 'PUT', `/posts/${p.body.id}/poll-vote`, { optionIds: ['1', '2'] })).body.code).toBe('CONTENT_INVALID');
    expect((await s.as('lea', 'PUT', `/posts/${p.body.id}/poll-vote`, { optionIds: ['9'] })).body.code).toBe('CONTENT_INVALID');
    const v = await s.as('lea', 'PUT', `/posts/${p.body.id}/poll-vote`, { optionIds: ['1'] });
    expect(v.body.poll).toMatchObject({ resultsVisible: true, voters: 1, viewerChoices: ['1'] });
    expect(v.body.poll.options.map((o: { votes: number }) => o.votes)).toEqual([1, 0, 0]);
    const changed = await s.as('lea', 'PUT', `/posts/${p.body.id}/poll-vote`, { optionIds: ['2'] });
    expect(changed.body.poll.options.map((o: { votes: number }) => o.votes)).toEqual([0, 1, 0]);
    expect((await s.as('camille', 'GET', `/posts/${p.body.id}`)).body.poll.resultsVisible).toBe(false);

    const m = await create('camille', { kind: 'poll', title: 'Days', poll: { options: ['Mon', 'Tue', 'Wed'], multiple: true, closesAt: future(2) } });
    const mv = await s.as('lea', 'PUT', `/posts/${m.body.id}/poll-vote`, { optionIds: ['1', '3'] });
    expect(mv.body.poll.options.map((o: { votes: number }) => o.votes)).toEqual([1, 0, 1]);
    expect(mv.body.poll.voters).toBe(1);

    await db.query("update posts set data = jsonb_set(data, '{closesAt}', to_jsonb($3::text)) where tenant_id = $1 and id = $2", [
      s.tenant,
      p.body.id,
      future(-1),
    ]);
    const closed = await s.as('camille', 'GET', `/posts/${p.body.id}`);
    expect(closed.body.poll).toMatchObject({ closed: true, resultsVisible: true, voters: 1 });
    const late = await s.as('camille', 'PUT', `/posts/${p.body.id}/poll-vote`, { optionIds: ['1'] });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('POLL_CLOSED');
  });

  test('events: https links only; capacity with a waiting list promoted in order', async () => {
    const http = await create('camille', { kind: 'event', title: 'E', event: { startsAt: future(3), onlineUrl: 'http://meet.example/x' } });
    expect(http.body.code).toBe('CONTENT_INVALID');
    const js = await create('camille', { kind: 'event', title: 'E', event: { startsAt: future(3), onlineUrl: 'javascript:alert(1)' } });
    expect(js.body.code).toBe('CONTENT_INVALID');
    const nowhere = await create('camille', { kind: 'event', title: 'E', event: { startsAt: future(3) } });
    expect(nowhere.body.code).toBe('CONTENT_INVALID');
    const e = await create('camille', {
      kind: 'event',
      title: 'Meetup',
      event: { startsAt: future(3), endsAt: future(3.1), place: 'Room 4', onlineUrl: 'https://meet.example/x', capacity: 1 },
    });
    expect(e.status).toBe(201);
    expect(e.body.event).toMatchObject({ place: 'Room 4', onlineUrl: 'https://meet.example/x', capacity: 1, going: 0, waiting: 0 });
    const url = `/posts/${e.body.id}/rsvp`;
    expect((await s.as('lea', 'PUT', url, { response: 'yes' })).body.event.viewerRsvp).toEqual({ response: 'yes', status: 'going', waitingPosition: null });
    expect((await s.as('owner', 'PUT', url, { response: 'yes' })).body.event.viewerRsvp).toEqual({ response: 'yes', status: 'waiting', waitingPosition: 1 });
    const third = await s.as('moderator', 'PUT', url, { response: 'yes' });
    expect(third.body.event).toMatchObject({ going: 1, waiting: 2, viewerRsvp: { status: 'waiting', waitingPosition: 2 } });
    await s.as('outsider', 'PUT', url, { response: 'maybe' });
    // Lea cancels: the owner (first in line) moves in, the moderator moves up.
    const cancel = await s.as('lea', 'PUT', url, { response: 'no' });
    expect(cancel.body.event).toMatchObject({ going: 1, waiting: 1, maybe: 1, declined: 1, viewerRsvp: { response: 'no', status: null } });
    expect((await s.as('owner', 'GET', `/posts/${e.body.id}`)).body.event.viewerRsvp.status).toBe('going');
    expect((await s.as('moderator', 'GET', `/posts/${e.body.id}`)).body.event.viewerRsvp).toMatchObject({ status: 'waiting', waitingPosition: 1 });
    // Saying yes again puts Lea at the back of the queue.
    expect((await s.as('lea', 'PUT', url, { response: 'yes' })).body.event.viewerRsvp).toMatchObject({ status: 'waiting', waitingPosition: 2 });
    await s.as('owner', 'DELETE', url);
    expect((await s.as('moderator', 'GET', `/posts/${e.body.id}`)).body.event.viewerRsvp.status).toBe('going');
  });

  test('Idempotency-Key: a retried create makes one post and one comment', async () => {
    const key = { 'idempotency-key': `post-${Date.now()}-abcdef` };
    const before = await db.query<{ n: number }>('select count(*)::int as n from posts where tenant_id = $1', [s.tenant]);
    const a = await create('camille', { title: 'Once', body: 'x' }, key);
    const b = await create('camille', { title: 'Once', body: 'x' }, key);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body.id).toBe(a.body.id);
    const after = await db.query<{ n: number }>('select count(*)::int as n from posts where tenant_id = $1', [s.tenant]);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);
    const ckey = { 'idempotency-key': `comment-${Date.now()}-abcdef` };
    const c1 = await s.as('lea', 'POST', `/posts/${a.body.id}/comments`, { body: 'once' }, ckey);
    const c2 = await s.as('lea', 'POST', `/posts/${a.body.id}/comments`, { body: 'once' }, ckey);
    expect(c2.body.id).toBe(c1.body.id);
    expect((await s.as('lea', 'GET', `/posts/${a.body.id}`)).body.counts.comments).toBe(1);
  });

  describe('non-members never read private or secret posts through any route', () => {
    test.each(['private', 'secret'] as const)('%s community', async (visibility) => {
      const cid = await s.community(visibility);
      const p = await s.as('camille', 'POST', '/posts', { communityId: cid, kind: 'question', title: 'Inside', body: 'secret plan #Confidentiel' });
      expect(p.status).toBe(201);
      const c = await s.as('lea', 'POST', `/posts/${p.body.id}/comments`, { body: 'inside reply' });
      await s.as('lea', 'PUT', `/posts/${p.body.id}/reaction`, { kind: 'like' });
      for (const who of ['outsider', 'requester', 'banned'] as const) {
        const reads = [
          `/posts/${p.body.id}`,
          `/posts/${p.body.id}/comments`,
          `/posts/${p.body.id}/reactions`,
          `/posts/${p.body.id}/revisions`,
          `/comments/${c.body.id}/reactions`,
        ];
        for (const url of reads) {
          const r = await s.as(who, 'GET', url);
          expect({ who, url, status: r.status }).toEqual({ who, url, status: 404 });
        }
        const writes: [string, string, unknown][] = [
          ['POST', `/posts/${p.body.id}/comments`, { body: 'x' }],
          ['PUT', `/posts/${p.body.id}/reaction`, { kind: 'like' }],
          ['PUT', `/comments/${c.body.id}/reaction`, { kind: 'like' }],
          ['PATCH', `/comments/${c.body.id}`, { body: 'x' }],
          ['DELETE', `/posts/${p.body.id}`, undefined],
          ['PUT', `/posts/${p.body.id}/accepted-answer`, { commentId: c.body.id }],
        ];
        for (const [method, url, payload] of writes) {
          const r = await s.as(who, method, url, payload);
          expect({ who, method, url, status: r.status }).toEqual({ who, method, url, status: 404 });
        }
        const feeds = [`/feeds/people/${s.id.camille}`, '/feeds/topics/confidentiel', '/feeds/home'];
        for (const url of feeds) {
          const r = await s.as(who, 'GET', url);
          expect(JSON.stringify(r.body)).not.toContain(p.body.id);
        }
        const community = await s.as(who, 'GET', `/feeds/communities/${cid}`);
        expect(community.status).toBe(visibility === 'secret' ? 404 : 403);
      }
      // The admin and members do read it.
      expect((await s.as('admin', 'GET', `/posts/${p.body.id}`)).status).toBe(200);
      expect((await s.as('lea', 'GET', `/posts/${p.body.id}/comments`)).body.items).toHaveLength(1);
    });
  });

  test('hidden posts and comments: seen by their author and moderators only, never counted for others', async () => {
    const p = await create('camille', { title: 'Hidden soon', body: 'x' });
    const c = await s.as('lea', 'POST', `/posts/${p.body.id}/comments`, { body: 'hidden comment' });
    await s.as('camille', 'POST', `/posts/${p.body.id}/comments`, { body: 'visible comment' });
    await db.query('update comments set hidden_at = now() where tenant_id = $1 and id = $2', [s.tenant, c.body.id]);
    expect((await s.as('outsider', 'GET', `/posts/${p.body.id}`)).body.counts.comments).toBe(1);
    expect((await s.as('outsider', 'GET', `/posts/${p.body.id}/comments`)).body.items).toHaveLength(1);
    expect((await s.as('lea', 'GET', `/posts/${p.body.id}/comments`)).body.items).toHaveLength(2);
    expect((await s.as('moderator', 'GET', `/posts/${p.body.id}/comments`)).body.items).toHaveLength(2);
    expect((await s.as('outsider', 'GET', `/comments/${c.body.id}/reactions`)).status).toBe(404);
    await db.query('update posts set hidden_at = now() where tenant_id = $1 and id = $2', [s.tenant, p.body.id]);
    expect((await s.as('outsider', 'GET', `/posts/${p.body.id}`)).status).toBe(404);
    expect((await s.as('lea', 'GET', `/posts/${p.body.id}`)).status).toBe(404);
    expect((await s.as('camille', 'GET', `/posts/${p.body.id}`)).body.hidden).toBe(true);
    expect((await s.as('moderator', 'GET', `/posts/${p.body.id}`)).status).toBe(200);
    expect((await s.as('lea', 'GET', `/feeds/communities/${pub}?limit=100`)).body.items.map((x: { id: string }) => x.id)).not.toContain(p.body.id);
  });

  test('the OpenAPI document describes the post routes', async () => {
    const r = await s.ruche.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = r.json();
    expect(doc.paths['/api/v1/posts'].post).toBeDefined();
    expect(doc.paths['/api/v1/posts/{postId}/comments'].get).toBeDefined();
    expect(doc.components.schemas.Post).toBeDefined();
  });
});
