import { testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import { type Social, socialFixture } from './posts-testing.js';

describe.each(testDatabases())('governance API on $name', ({ open }) => {
  let db: Db;
  let s: Social;
  let pub: string;
  let other: string;

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
    pub = await s.community('public', { name: 'Town square' });
    other = await s.community('public', { name: 'Elsewhere' });
  });
  afterAll(async () => {
    await s.close();
    await db.close();
  });

  const post = async (who: Parameters<Social['as']>[0], body: string, communityId = pub) => {
    const r = await s.as(who, 'POST', '/posts', { communityId, kind: 'discussion', title: 'T', body });
    return r;
  };
  const auditCount = async (action: string, targetId: string) =>
    (await db.query<{ n: number }>('select count(*)::int as n from audit_log where tenant_id = $1 and action = $2 and target_id = $3', [s.tenant, action, targetId]))
      .rows[0]!.n;

  test('report -> queue -> hide: the author still sees it, others do not; restore brings it back', async () => {
    const p = await post('camille', 'Something questionable');
    expect(p.status).toBe(201);
    const id = p.body.id as string;
    const rep = await s.as('lea', 'POST', `/posts/${id}/reports`, { reason: 'harassment', details: 'rude' });
    expect(rep.status).toBe(201);
    expect(rep.body).toMatchObject({ target: { type: 'post', id }, reason: 'harassment', state: 'open' });
    // One open report per person per item; others may report too.
    expect((await s.as('lea', 'POST', `/posts/${id}/reports`, { reason: 'spam' })).body.code).toBe('REPORT_ALREADY_OPEN');
    expect((await s.as('outsider', 'POST', `/posts/${id}/reports`, { reason: 'spam' })).status).toBe(201);
    expect((await s.as('camille', 'POST', `/posts/${id}/reports`, { reason: 'spam' })).status).toBe(403);
    expect((await s.as('owner', 'POST', `/posts/${id}/reports`, { reason: 'other' })).body.code).toBe('VALIDATION_FAILED');

    const queue = await s.as('moderator', 'GET', `/communities/${pub}/moderation/queue`);
    expect(queue.status).toBe(200);
    const entry = queue.body.items.find((i: { target: { id: string } }) => i.target.id === id);
    expect(entry).toMatchObject({ reportCount: 2, reasons: ['harassment', 'spam'], author: { id: s.id.camille }, hidden: false });
    expect(JSON.stringify(entry)).not.toContain(s.id.lea); // reporters stay anonymous

    const hide = await s.as('moderator', 'POST', '/moderation/actions', { target: { type: 'post', id }, action: 'hide', note: 'tone' });
    expect(hide.status).toBe(200);
    expect(hide.body).toMatchObject({ hidden: true, deleted: false, resolvedReports: 2 });
    expect((await s.as('camille', 'GET', `/posts/${id}`)).body.hidden).toBe(true);
    expect((await s.as('lea', 'GET', `/posts/${id}`)).status).toBe(404);
    expect((await s.as('outsider', 'GET', `/posts/${id}`)).status).toBe(404);
    expect((await s.as('moderator', 'GET', `/posts/${id}`)).status).toBe(200);
    const after = await s.as('moderator', 'GET', `/communities/${pub}/moderation/queue`);
    expect(after.body.items.some((i: { target: { id: string } }) => i.target.id === id)).toBe(false);
    expect(await auditCount('moderation.hide', id)).toBe(1);
    const told = await db.query<{ data: Record<string, unknown> }>(
      "select data from notifications where tenant_id = $1 and person_id = $2 and kind = 'moderation_outcome' and data->'item'->>'id' = $3",
      [s.tenant, s.id.camille, id],
    );
    expect(told.rows[0]!.data).toMatchObject({ outcome: 'hidden', note: 'tone' });

    const restore = await s.as('owner', 'POST', '/moderation/actions', { target: { type: 'post', id }, action: 'restore' });
    expect(restore.body).toMatchObject({ hidden: false, deleted: false });
    expect((await s.as('lea', 'GET', `/posts/${id}`)).status).toBe(200);
    expect(await auditCount('moderation.restore', id)).toBe(1);
  });

  test('comments: report, delete (soft, audited), restore; dismiss and warn', async () => {
    const p = await post('camille', 'Thread');
    const c = await s.as('lea', 'POST', `/posts/${p.body.id}/comments`, { body: 'a reply' });
    const cid = c.body.id as string;
    expect((await s.as('camille', 'POST', `/comments/${cid}/reports`, { reason: 'off_topic' })).status).toBe(201);
    const del = await s.as('moderator', 'POST', '/moderation/actions', { target: { type: 'comment', id: cid }, action: 'delete' });
    expect(del.body).toMatchObject({ deleted: true, resolvedReports: 1 });
    const listed = async () => ((await s.as('outsider', 'GET', `/posts/${p.body.id}/comments`)).body.items as { id: string }[]).some((x) => x.id === cid);
    expect(await listed()).toBe(false);
    expect(await auditCount('moderation.delete', cid)).toBe(1);
    expect((await s.as('moderator', 'POST', '/moderation/actions', { target: { type: 'comment', id: cid }, action: 'restore' })).body.deleted).toBe(false);
    expect(await listed()).toBe(true);

    expect((await s.as('owner', 'POST', `/comments/${cid}/reports`, { reason: 'spam' })).status).toBe(201);
    const dismiss = await s.as('moderator', 'POST', '/moderation/actions', { target: { type: 'comment', id: cid }, action: 'dismiss' });
    expect(dismiss.body).toMatchObject({ deleted: false, hidden: false, resolvedReports: 1 });
    const warn = await s.as('moderator', 'POST', '/moderation/actions', { target: { type: 'comment', id: cid }, action: 'warn', note: 'be kind' });
    expect(warn.status).toBe(200);
    const n = await db.query<{ n: number }>(
      "select count(*)::int as n from notifications where tenant_id = $1 and person_id = $2 and kind = 'moderation_outcome' and data->>'outcome' = 'warning'",
      [s.tenant, s.id.lea],
    );
    expect(n.rows[0]!.n).toBe(1);
  });

  test('community moderators cannot act on other communities; members cannot moderate; admins can', async () => {
    const mine = await s.community('public', { name: 'Mine' });
    // Make "moderator" a plain member of a fresh community where "lea" moderates.
    await db.query("update memberships set role = 'member' where tenant_id = $1 and community_id = $2 and person_id = $3", [s.tenant, mine, s.id.moderator]);
    await db.query("update memberships set role = 'moderator' where tenant_id = $1 and community_id = $2 and person_id = $3", [s.tenant, mine, s.id.lea]);
    const p = await post('camille', 'In mine', mine);
    const id = p.body.id as string;
    await s.as('owner', 'POST', `/posts/${id}/reports`, { reason: 'spam' });
    const act = (who: Parameters<Social['as']>[0], action = 'hide') => s.as(who, 'POST', '/moderation/actions', { target: { type: 'post', id }, action });
    expect((await act('moderator')).status).toBe(403);
    expect((await act('outsider')).status).toBe(403);
    expect((await s.as('moderator', 'GET', `/communities/${mine}/moderation/queue`)).status).toBe(403);
    const tenantWide = await s.as('moderator', 'GET', '/moderation/queue?limit=100');
    expect(tenantWide.body.items.some((i: { target: { id: string } }) => i.target.id === id)).toBe(false);
    const leaQueue = await s.as('lea', 'GET', '/moderation/queue?limit=100');
    expect(leaQueue.body.items.some((i: { target: { id: string } }) => i.target.id === id)).toBe(true);
    // A secret community's items do not exist for outsiders.
    const secret = await s.community('secret');
    const sp = await post('camille', 'secret stuff', secret);
    expect((await s.as('outsider', 'POST', '/moderation/actions', { target: { type: 'post', id: sp.body.id }, action: 'hide' })).status).toBe(404);
    expect((await s.as('outsider', 'POST', `/posts/${sp.body.id}/reports`, { reason: 'spam' })).status).toBe(404);
    expect((await act('admin')).status).toBe(200);
  });

  test('ban from the community through the moderation action', async () => {
    const c = await s.community('public');
    const p = await post('lea', 'to be banned', c);
    const r = await s.as('moderator', 'POST', '/moderation/actions', { target: { type: 'post', id: p.body.id }, action: 'ban', note: 'repeated abuse' });
    expect(r.status).toBe(200);
    const m = await db.query<{ state: string }>('select state from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [s.tenant, c, s.id.lea]);
    expect(m.rows[0]!.state).toBe('banned');
    expect(await auditCount('moderation.ban', p.body.id)).toBe(1);
    expect((await post('lea', 'again', c)).status).toBe(403);
  });

  test('tenant-wide queue for admins, grouped per item, keyset paged', async () => {
    const ids: string[] = [];
    for (const community of [pub, other, pub]) {
      const p = await post('camille', 'page me', community);
      ids.push(p.body.id);
      await s.as('lea', 'POST', `/posts/${p.body.id}/reports`, { reason: 'spam' });
      await s.as('owner', 'POST', `/posts/${p.body.id}/reports`, { reason: 'hate' });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { target: { id: string }; reportCount: number }[]; nextCursor: string | null } } = await s.as(
        'admin',
        'GET',
        `/moderation/queue?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      for (const i of page.body.items) {
        seen.push(i.target.id);
        if (ids.includes(i.target.id)) expect(i.reportCount).toBe(2);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
    expect((await s.as('camille', 'GET', '/moderation/queue')).body.items).toEqual([]);
    expect((await s.as('admin', 'GET', '/moderation/queue?cursor=nonsense')).status).toBe(400);
  });

  test('keyword rules: block refuses with CONTENT_BLOCKED (accents and case folded), flag saves and queues', async () => {
    expect((await s.as('moderator', 'POST', '/admin/keyword-rules', { kind: 'term', pattern: 'connerie', action: 'block' })).status).toBe(403);
    const block = await s.as('admin', 'POST', '/admin/keyword-rules', { kind: 'term', pattern: 'connerie', action: 'block', language: 'fr' });
    expect(block.status).toBe(201);
    const flag = await s.as('admin', 'POST', '/admin/keyword-rules', { kind: 'regex', pattern: 'arnaqu(e|eur)s?', action: 'flag' });
    expect(flag.status).toBe(201);
    expect((await s.as('admin', 'POST', '/admin/keyword-rules', { kind: 'regex', pattern: '(a)\\1', action: 'flag' })).body.code).toBe('KEYWORD_RULE_INVALID');
    expect((await s.as('admin', 'POST', '/admin/keyword-rules', { kind: 'regex', pattern: 'x'.repeat(201), action: 'flag' })).body.code).toBe(
      'KEYWORD_RULE_INVALID',
    );
    expect((await s.as('admin', 'POST', '/admin/keyword-rules', { kind: 'regex', pattern: 'a*', action: 'flag' })).body.code).toBe('KEYWORD_RULE_INVALID');

    const before = await db.query<{ n: number }>('select count(*)::int as n from posts where tenant_id = $1', [s.tenant]);
    const refused = await post('camille', 'Quelle Connérie !');
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('CONTENT_BLOCKED');
    expect(refused.body.type).toBe('urn:ruche:problem:content-blocked');
    expect((await post('camille', 'CONNERIE')).body.code).toBe('CONTENT_BLOCKED');
    expect((await post('camille', 'connerie')).body.code).toBe('CONTENT_BLOCKED');
    expect((await post('camille', 'les conneries du lundi')).status).toBe(201); // whole words only
    const after = await db.query<{ n: number }>('select count(*)::int as n from posts where tenant_id = $1', [s.tenant]);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);

    // Edits are screened too, and a refused edit keeps what was saved.
    const ok = await post('camille', 'clean text');
    const edit = await s.as('camille', 'PATCH', `/posts/${ok.body.id}`, { body: 'une vraie connérie' });
    expect(edit.body.code).toBe('CONTENT_BLOCKED');
    expect((await s.as('camille', 'GET', `/posts/${ok.body.id}`)).body).toMatchObject({ body: 'clean text', version: 1 });
    const c = await s.as('lea', 'POST', `/posts/${ok.body.id}/comments`, { body: 'fine' });
    expect((await s.as('lea', 'PATCH', `/comments/${c.body.id}`, { body: 'Connérie' })).body.code).toBe('CONTENT_BLOCKED');
    expect((await s.as('lea', 'POST', `/posts/${ok.body.id}/comments`, { body: 'CONNÉRIE' })).body.code).toBe('CONTENT_BLOCKED');

    const flagged = await post('camille', 'Attention aux ARNAQUÉURS');
    expect(flagged.status).toBe(201);
    const fc = await s.as('lea', 'POST', `/posts/${ok.body.id}/comments`, { body: 'une arnaque' });
    expect(fc.status).toBe(201);
    const queue = await s.as('moderator', 'GET', `/communities/${pub}/moderation/queue?limit=100`);
    const items = queue.body.items as { target: { id: string }; reasons: string[] }[];
    expect(items.find((i) => i.target.id === flagged.body.id)?.reasons).toEqual(['keyword']);
    expect(items.find((i) => i.target.id === fc.body.id)?.reasons).toEqual(['keyword']);

    const rules = await s.as('admin', 'GET', '/admin/keyword-rules');
    expect(rules.body.items).toHaveLength(2);
    expect((await s.as('admin', 'DELETE', `/admin/keyword-rules/${block.body.id}`)).status).toBe(204);
    expect((await post('camille', 'Quelle Connérie !')).status).toBe(201);
    expect(await auditCount('keyword_rule.delete', block.body.id)).toBe(1);
    await s.as('admin', 'DELETE', `/admin/keyword-rules/${flag.body.id}`);
  });

  test('only tenant admins read the audit log; filters and paging', async () => {
    for (const who of ['camille', 'moderator', 'owner'] as const) expect((await s.as(who, 'GET', '/admin/audit')).status).toBe(403);
    const all = await s.as('admin', 'GET', '/admin/audit?action=moderation.&limit=2');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    for (const e of all.body.items) expect(e.action.startsWith('moderation.')).toBe(true);
    const next = await s.as('admin', 'GET', `/admin/audit?action=moderation.&limit=2&cursor=${all.body.nextCursor}`);
    expect(Number(next.body.items[0].id)).toBeLessThan(Number(all.body.items[1].id));
    const byActor = await s.as('admin', 'GET', `/admin/audit?actor=${s.id.moderator}&action=moderation.hide`);
    expect(byActor.body.items.length).toBeGreaterThan(0);
    for (const e of byActor.body.items) expect(e).toMatchObject({ action: 'moderation.hide', actor: { id: s.id.moderator } });
    // Another tenant's admin sees none of it.
    const elsewhere = await socialFixture(db);
    const foreign = await elsewhere.as('admin', 'GET', '/admin/audit?limit=200');
    expect(foreign.body.items.some((e: { actor: { id: string } | null }) => e.actor?.id === s.id.moderator)).toBe(false);
    await elsewhere.close();
  });

  test('export holds the person\'s items and nothing of others\' private content; admins export anyone', async () => {
    const secret = await s.community('secret', { name: 'Hidden club' });
    const mine = await post('lea', 'my own words');
    const theirs = await post('camille', 'private thoughts of camille', secret);
    await s.as('lea', 'POST', `/posts/${theirs.body.id}/comments`, { body: 'lea answers' });
    await s.as('lea', 'PUT', `/posts/${theirs.body.id}/reaction`, { kind: 'like' });
    const r = await s.as('lea', 'GET', '/me/export');
    expect(r.status).toBe(200);
    expect(r.body.profile).toMatchObject({ id: s.id.lea, displayName: 'Léa Roux' });
    expect(r.body.posts.some((p: { id: string }) => p.id === mine.body.id)).toBe(true);
    expect(r.body.comments.some((c: { body: string }) => c.body === 'lea answers')).toBe(true);
    expect(r.body.reactions.some((x: { targetId: string }) => x.targetId === theirs.body.id)).toBe(true);
    expect(r.body.memberships.length).toBeGreaterThan(0);
    for (const key of ['follows', 'notifications', 'acknowledgements', 'kudosGiven', 'kudosReceived']) expect(Array.isArray(r.body[key])).toBe(true);
    expect(JSON.stringify(r.body)).not.toContain('private thoughts of camille');
    expect(r.body.posts.every((p: { id: string }) => p.id !== theirs.body.id)).toBe(true);

    expect((await s.as('camille', 'GET', `/admin/people/${s.id.lea}/export`)).status).toBe(403);
    const byAdmin = await s.as('admin', 'GET', `/admin/people/${s.id.lea}/export`);
    expect(byAdmin.body.profile.id).toBe(s.id.lea);
    const audit = await db.query<{ n: number }>(
      "select count(*)::int as n from audit_log where tenant_id = $1 and action = 'person.export' and target_id = $2",
      [s.tenant, s.id.lea],
    );
    expect(audit.rows[0]!.n).toBe(2);
  });

  test('erasure removes personal data, keeps others\' threads coherent, is idempotent and audited without personal data', async () => {
    const t = await socialFixture(db);
    try {
      const c = await t.community('public');
      await t.db.query("update people set mail = 'camille@x.example', biography = 'Loves bees', job_title = 'Engineer', preferred_language = 'fr-FR' where tenant_id = $1 and id = $2", [
        t.tenant,
        t.id.camille,
      ]);
      await t.db.query("insert into person_skills (tenant_id, person_id, skill, source) values ($1, $2, 'apiculture', 'declared')", [t.tenant, t.id.camille]);
      await t.db.query("insert into follows (tenant_id, follower_id, target_type, target_id) values ($1, $2, 'person', $3), ($1, $3, 'person', $2)", [
        t.tenant,
        t.id.camille,
        t.id.lea,
      ]);
      const p = await t.as('camille', 'POST', '/posts', { communityId: c, kind: 'discussion', title: 'Bees', body: 'by camille' });
      const leaComment = await t.as('lea', 'POST', `/posts/${p.body.id}/comments`, { body: 'lea on camille' });
      await t.as('camille', 'POST', `/posts/${p.body.id}/comments`, { body: 'camille replies', parentId: leaComment.body.id });
      const leaPost = await t.as('lea', 'POST', '/posts', { communityId: c, kind: 'discussion', title: 'Lea', body: 'by lea' });
      const camilleTop = await t.as('camille', 'POST', `/posts/${leaPost.body.id}/comments`, { body: 'camille top comment' });
      await t.as('lea', 'POST', `/posts/${leaPost.body.id}/comments`, { body: 'lea replies to camille', parentId: camilleTop.body.id });

      const erased = await t.as('camille', 'POST', '/me/erase', {});
      expect(erased.status).toBe(200);
      expect(erased.body).toMatchObject({ personId: t.id.camille, mode: 'anonymise', alreadyErased: false, displayName: 'Ancien collaborateur' });
      const row = await t.db.query<Record<string, unknown>>('select * from people where tenant_id = $1 and id = $2', [t.tenant, t.id.camille]);
      expect(row.rows[0]).toMatchObject({ display_name: 'Ancien collaborateur', mail: null, biography: null, job_title: null, is_former_employee: true });
      expect(String(row.rows[0]!.upn)).not.toContain('camille');
      for (const [table, col] of [
        ['person_skills', 'person_id'],
        ['memberships', 'person_id'],
        ['notifications', 'person_id'],
      ] as const) {
        const n = await t.db.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1 and ${col} = $2`, [t.tenant, t.id.camille]);
        expect({ table, n: n.rows[0]!.n }).toEqual({ table, n: 0 });
      }
      const f = await t.db.query<{ n: number }>('select count(*)::int as n from follows where tenant_id = $1 and (follower_id = $2 or target_id = $2)', [t.tenant, t.id.camille]);
      expect(f.rows[0]!.n).toBe(0);
      // The erased person can no longer sign in; content stays under the former-employee name.
      expect((await t.as('camille', 'GET', '/me')).status).toBe(403);
      const seen = await t.as('lea', 'GET', `/posts/${p.body.id}`);
      expect(seen.body.author).toMatchObject({ id: t.id.camille, displayName: 'Ancien collaborateur' });
      const thread = await t.as('lea', 'GET', `/posts/${p.body.id}/comments`);
      expect(thread.body.items[0].body).toBe('lea on camille');
      expect(thread.body.items[0].replies[0]).toMatchObject({ body: 'camille replies', author: { displayName: 'Ancien collaborateur' } });
      const audit = await t.db.query<{ data: unknown }>("select data from audit_log where tenant_id = $1 and action = 'person.erase'", [t.tenant]);
      expect(audit.rows).toHaveLength(1);
      expect(JSON.stringify(audit.rows[0]!.data)).not.toMatch(/camille|bees|Engineer/i);

      // Admin: mode delete removes the content too; others' replies keep their thread.
      expect((await t.as('lea', 'POST', `/admin/people/${t.id.camille}/erase`, { mode: 'delete' })).status).toBe(403);
      const del = await t.as('admin', 'POST', `/admin/people/${t.id.camille}/erase`, { mode: 'delete' });
      expect(del.body).toMatchObject({ alreadyErased: true, mode: 'delete' });
      expect((await t.as('lea', 'GET', `/posts/${p.body.id}`)).status).toBe(404);
      const kept = await t.as('lea', 'GET', `/posts/${leaPost.body.id}/comments`);
      expect(kept.body.items[0]).toMatchObject({ deleted: true, body: '', author: null });
      expect(kept.body.items[0].replies[0].body).toBe('lea replies to camille');
      const text = await t.db.query<{ n: number }>(
        "select count(*)::int as n from comments where tenant_id = $1 and author_id = $2 and body <> ''",
        [t.tenant, t.id.camille],
      );
      expect(text.rows[0]!.n).toBe(0);
      const again = await t.as('admin', 'POST', `/admin/people/${t.id.camille}/erase`, { mode: 'delete' });
      expect(again.body).toMatchObject({ alreadyErased: true, counts: {} });
      const audits = await t.db.query<{ n: number }>("select count(*)::int as n from audit_log where tenant_id = $1 and action = 'person.erase'", [t.tenant]);
      expect(audits.rows[0]!.n).toBe(2);
    } finally {
      await t.close();
    }
  });

  test('rate limits answer 429 with Retry-After, save nothing extra, and keep what was saved', async () => {
    const t = await socialFixture(db);
    try {
      const c = await t.community('public');
      expect((await t.as('camille', 'PATCH', '/admin/rate-limits', { comment: { burst: 2, perHour: 1 } })).status).toBe(403);
      const set = await t.as('admin', 'PATCH', '/admin/rate-limits', { comment: { burst: 2, perHour: 1 }, reaction: { burst: 1, perHour: 1 }, report: { burst: 1, perHour: 2 } });
      expect(set.status).toBe(200);
      expect(set.body.comment).toEqual({ burst: 2, perHour: 1 });
      const p = await t.as('lea', 'POST', '/posts', { communityId: c, kind: 'discussion', title: 'x', body: 'y' });
      expect((await t.as('camille', 'POST', `/posts/${p.body.id}/comments`, { body: 'one' })).status).toBe(201);
      expect((await t.as('camille', 'POST', `/posts/${p.body.id}/comments`, { body: 'two' })).status).toBe(201);
      const third = await t.as('camille', 'POST', `/posts/${p.body.id}/comments`, { body: 'three' });
      expect(third.status).toBe(429);
      expect(third.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(third.body.code).toBe('RATE_LIMITED');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(3000);
      const rows = await t.db.query<{ body: string }>('select body from comments where tenant_id = $1 and author_id = $2 order by created_at', [t.tenant, t.id.camille]);
      expect(rows.rows.map((r) => r.body)).toEqual(['one', 'two']);
      // Someone else is not affected; posts have their own bucket.
      expect((await t.as('lea', 'POST', `/posts/${p.body.id}/comments`, { body: 'lea' })).status).toBe(201);
      expect((await t.as('camille', 'PUT', `/posts/${p.body.id}/reaction`, { kind: 'like' })).status).toBe(200);
      const r2 = await t.as('camille', 'PUT', `/posts/${p.body.id}/reaction`, { kind: 'love' });
      expect(r2.status).toBe(429);
      expect(r2.headers['retry-after']).toBeDefined();
      expect((await t.as('camille', 'GET', `/posts/${p.body.id}`)).body.viewerReaction).toBe('like');
      expect((await t.as('camille', 'POST', `/posts/${p.body.id}/reports`, { reason: 'spam' })).status).toBe(201);
      const rep = await t.as('owner', 'POST', `/posts/${p.body.id}/reports`, { reason: 'spam' });
      expect(rep.status).toBe(201);
      const c2 = await t.as('owner', 'POST', `/comments/${rows.rows.length ? (await t.as('lea', 'GET', `/posts/${p.body.id}/comments`)).body.items[0].id : ''}/reports`, { reason: 'spam' });
      expect(c2.status).toBe(429);
      expect((await t.as('admin', 'GET', '/admin/rate-limits')).body.post).toEqual({ burst: 10, perHour: 60 });
    } finally {
      await t.close();
    }
  });
});
