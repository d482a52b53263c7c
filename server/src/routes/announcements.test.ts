import { testDatabases, createTestTenant } from '@ruche/core/testing';
import { type Db, audienceSql, sendAcknowledgementReminders, sqlAnnouncementsTargeting } from '@ruche/core';
import type { RucheApp } from '../app.js';
import { localConfig, testApp } from '../testing.js';

/**
 * The organisation of these tests (department, manager):
 *   ceo (Direction) -> mia (Ventes) -> zoe (Ventes) -> noe (Ventes)
 *   ceo -> eli (Ingénierie) -> ana (Ingénierie)
 *   com (Communication, communicator), adm (Direction, tenant admin), former (Ventes, former employee)
 *   evil (Ventes): a display name that starts with "=", for the CSV.
 */
type Who = 'ceo' | 'mia' | 'zoe' | 'noe' | 'eli' | 'ana' | 'com' | 'adm' | 'former' | 'evil';

interface Result {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by the assertions themselves
  body: any;
  text: string;
  headers: Record<string, unknown>;
}

describe.each(testDatabases())('announcements API on $name', ({ open }) => {
  let db: Db;
  let ruche: RucheApp;
  let tenant: string;
  const id = {} as Record<Who, string>;
  const tokens = new Map<Who, string>();
  let privateCommunity: string;
  let publicCommunity: string;

  const as = async (p: Who, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<Result> => {
    if (!tokens.has(p)) {
      const t = await ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: `${p}@hexagone.example` } });
      tokens.set(p, t.json().access_token);
    }
    const r = await ruche.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: { ...headers, authorization: `Bearer ${tokens.get(p)}` },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    let body: unknown = null;
    try {
      body = r.body ? r.json() : null;
    } catch {
      body = null;
    }
    return { status: r.statusCode, body, text: r.body, headers: r.headers };
  };

  const person = async (p: Who, name: string, department: string, manager: Who | null, roles: string[] = [], former = false) => {
    const r = await db.query<{ id: string }>(
      `insert into people (tenant_id, upn, display_name, department, manager_id, roles, is_former_employee)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [tenant, `${p}@hexagone.example`, name, department, manager ? id[manager] : null, roles, former],
    );
    id[p] = r.rows[0]!.id;
  };

  const community = async (visibility: 'public' | 'private', members: [Who, string][]) => {
    const r = await db.query<{ id: string }>(
      `insert into communities (tenant_id, slug, name, kind, visibility) values ($1, $2, $3, 'project', $4) returning id`,
      [tenant, `c-${Math.random().toString(36).slice(2, 10)}`, `Projet ${visibility}`, visibility],
    );
    for (const [p, role] of members) {
      await db.query(`insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, $4, 'active')`, [
        tenant,
        r.rows[0]!.id,
        id[p],
        role,
      ]);
    }
    return r.rows[0]!.id;
  };

  const publish = (p: Who, payload: Record<string, unknown>) => as(p, 'POST', '/announcements', { title: 'Annonce', body: 'Texte', ...payload });
  const pendingIds = async (p: Who) => ((await as(p, 'GET', '/announcements?pending=true')).body.items as { post: { id: string } }[]).map((x) => x.post.id);
  const notificationsOf = async (kind: string, postId: string) => {
    const r = await db.query<{ person_id: string }>(
      `select person_id from notifications where tenant_id = $1 and kind = $2 and data->>'postId' = $3 order by person_id`,
      [tenant, kind, postId],
    );
    return r.rows.map((x) => x.person_id).sort();
  };
  const ids = (...ps: Who[]) => ps.map((p) => id[p]).sort();

  beforeAll(async () => {
    db = await open();
    tenant = await createTestTenant(db, 'Hexagone');
    await person('ceo', 'Hélène Directrice', 'Direction', null);
    await person('mia', 'Mia Vendeuse', 'Ventes', 'ceo');
    await person('zoe', 'Zoé Lefèvre', 'Ventes', 'mia');
    await person('noe', 'Noé Durand', 'Ventes', 'zoe');
    await person('eli', 'Éli Ingénieur', 'Ingénierie', 'ceo');
    await person('ana', 'Ana, "la" Dev', 'Ingénierie', 'eli');
    await person('com', 'Côme Communicant', 'Communication', 'ceo', ['communicator']);
    await person('adm', 'Adèle Admin', 'Direction', 'ceo', ['admin']);
    await person('former', 'Ancien Vendeur', 'Ventes', 'mia', [], true);
    await person('evil', '=HYPERLINK("http://x")', 'Ventes', 'mia');
    privateCommunity = await community('private', [
      ['eli', 'owner'],
      ['ana', 'member'],
      ['zoe', 'member'],
    ]);
    publicCommunity = await community('public', [
      ['mia', 'moderator'],
      ['noe', 'member'],
    ]);
    ruche = await testApp(db, localConfig(), tenant);
  });
  afterAll(async () => {
    await ruche.app.close();
    await db.close();
  });

  test('a department: its people are asked, others read it without the acknowledge button', async () => {
    const r = await publish('com', { title: 'Nouvelle grille tarifaire', targets: [{ type: 'department', department: 'Ventes' }] });
    expect(r.status).toBe(201);
    const postId = r.body.post.id;
    expect(r.body).toMatchObject({ mustRead: true, version: 1, reminderDays: 3, targets: [{ type: 'department', department: 'Ventes' }] });
    expect(r.body.post).toMatchObject({ kind: 'announcement', community: null, title: 'Nouvelle grille tarifaire' });
    expect(r.body.canSeeReport).toBe(true);
    // Asked: the current employees of Ventes, not the former one, not the author.
    expect(await notificationsOf('acknowledgement_requested', postId)).toEqual(ids('mia', 'zoe', 'noe', 'evil'));
    for (const p of ['mia', 'zoe', 'noe'] as const) expect(await pendingIds(p)).toContain(postId);
    for (const p of ['eli', 'ana', 'ceo'] as const) expect(await pendingIds(p)).not.toContain(postId);

    const mine = await as('zoe', 'GET', `/announcements/${postId}`);
    expect(mine.status).toBe(200);
    expect(mine.body.acknowledgement).toEqual({ required: true, acknowledged: false, acknowledgedAt: null, acknowledgedVersion: null });
    expect(mine.body.canSeeReport).toBe(false);
    const theirs = await as('eli', 'GET', `/announcements/${postId}`);
    expect(theirs.status).toBe(200);
    expect(theirs.body.acknowledgement).toBeNull();

    // Outside the audience: refused, nothing recorded.
    const refused = await as('eli', 'POST', `/announcements/${postId}/acknowledge`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ANNOUNCEMENT_NOT_IN_AUDIENCE');

    const ack = await as('zoe', 'POST', `/announcements/${postId}/acknowledge`);
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgement).toMatchObject({ required: true, acknowledged: true, acknowledgedVersion: 1 });
    const again = await as('zoe', 'POST', `/announcements/${postId}/acknowledge`);
    expect(again.status).toBe(200);
    const rows = await db.query<{ person_id: string; version: number }>(
      'select person_id, version from acknowledgements where tenant_id = $1 and post_id = $2 order by person_id',
      [tenant, postId],
    );
    expect(rows.rows.filter((x) => x.person_id !== id.com)).toEqual([{ person_id: id.zoe, version: 1 }]);
    expect(await pendingIds('zoe')).not.toContain(postId);
    const all = await as('zoe', 'GET', '/announcements');
    expect(all.body.items.map((x: { post: { id: string } }) => x.post.id)).toContain(postId);
  });

  test("a manager's team, with or without the subtree", async () => {
    const team = await publish('com', { targets: [{ type: 'manager', managerId: id.ceo }] });
    expect(team.status).toBe(201);
    expect(await notificationsOf('acknowledgement_requested', team.body.post.id)).toEqual(ids('ceo', 'mia', 'eli', 'adm'));
    const subtree = await publish('com', { targets: [{ type: 'manager', managerId: id.mia, subtree: true }] });
    expect(subtree.status).toBe(201);
    expect(subtree.body.targets).toEqual([{ type: 'manager', manager: { id: id.mia, displayName: 'Mia Vendeuse' }, subtree: true }]);
    expect(await notificationsOf('acknowledgement_requested', subtree.body.post.id)).toEqual(ids('mia', 'zoe', 'noe', 'evil'));
    expect(await pendingIds('noe')).toContain(subtree.body.post.id);
    expect(await pendingIds('noe')).not.toContain(team.body.post.id);
    expect(await pendingIds('eli')).toContain(team.body.post.id);
    expect(await pendingIds('ana')).not.toContain(team.body.post.id);
  });

  test('the whole organisation: everyone is asked and finds it in their home feed; only communicators and admins publish it', async () => {
    const r = await publish('com', { title: 'Accord télétravail', targets: [{ type: 'organisation' }] });
    expect(r.status).toBe(201);
    const postId = r.body.post.id;
    expect(await notificationsOf('acknowledgement_requested', postId)).toEqual(ids('ceo', 'mia', 'zoe', 'noe', 'eli', 'ana', 'adm', 'evil'));
    const home = await as('ana', 'GET', '/feeds/home');
    expect(home.status).toBe(200);
    expect(home.body.items.map((x: { id: string }) => x.id)).toContain(postId);

    for (const payload of [{ targets: [{ type: 'organisation' }] }, { targets: [{ type: 'department', department: 'Ventes' }] }]) {
      const refused = await publish('zoe', payload);
      expect(refused.status).toBe(403);
    }
    // A community moderator announces inside their community only.
    const outside = await publish('mia', { communityId: publicCommunity, targets: [{ type: 'organisation' }] });
    expect(outside.status).toBe(403);
    const admin = await publish('adm', { targets: [{ type: 'department', department: 'Ingénierie' }] });
    expect(admin.status).toBe(201);
    const unknown = await publish('com', { targets: [{ type: 'department', department: 'Nulle part' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('ANNOUNCEMENT_TARGET_INVALID');
    const none = await publish('com', { targets: [] });
    expect(none.status).toBe(400);
    const count = await db.query<{ n: number }>("select count(*)::int as n from posts where tenant_id = $1 and kind = 'announcement' and author_id = $2", [
      tenant,
      id.zoe,
    ]);
    expect(count.rows[0]!.n).toBe(0);
  });

  test('a public community: its moderator announces to its members; communicators may target it from the organisation level', async () => {
    const r = await publish('mia', { communityId: publicCommunity });
    expect(r.status).toBe(201);
    expect(r.body.targets).toEqual([{ type: 'community', community: { id: publicCommunity, name: 'Projet public' } }]);
    expect(await notificationsOf('acknowledgement_requested', r.body.post.id)).toEqual(ids('noe'));
    const member = await publish('noe', { communityId: publicCommunity });
    expect(member.status).toBe(403);
    const org = await publish('com', { targets: [{ type: 'community', communityId: publicCommunity }] });
    expect(org.status).toBe(201);
    const privateFromOutside = await publish('com', { targets: [{ type: 'community', communityId: privateCommunity }] });
    expect(privateFromOutside.status).toBe(403);
  });

  test('a private community: nothing of its announcement reaches non-members', async () => {
    const r = await publish('eli', { communityId: privateCommunity, title: 'Secret de fabrication' });
    expect(r.status).toBe(201);
    const postId = r.body.post.id;
    expect(await notificationsOf('acknowledgement_requested', postId)).toEqual(ids('ana', 'zoe'));
    expect(await pendingIds('ana')).toContain(postId);
    for (const p of ['noe', 'com', 'mia'] as const) {
      for (const [method, url] of [
        ['GET', `/announcements/${postId}`],
        ['POST', `/announcements/${postId}/acknowledge`],
        ['POST', `/announcements/${postId}/view`],
        ['GET', `/announcements/${postId}/report`],
        ['GET', `/announcements/${postId}/report.csv`],
        ['PATCH', `/announcements/${postId}`],
      ] as const) {
        const res = await as(p, method, url, method === 'PATCH' ? { title: 'x' } : undefined);
        expect({ p, url, status: res.status }).toEqual({ p, url, status: 404 });
        expect(res.text).not.toContain('Secret de fabrication');
      }
      const list = await as(p, 'GET', '/announcements');
      expect(list.text).not.toContain(postId);
      const home = await as(p, 'GET', '/feeds/home');
      expect(home.text).not.toContain(postId);
    }
    // The communicator is not a member: no report for them either; the owner sees it.
    const report = await as('eli', 'GET', `/announcements/${postId}/report`);
    expect(report.status).toBe(200);
    expect(report.body.totals.audience).toBe(3);
  });

  test('a material edit asks again; a minor one does not', async () => {
    const r = await publish('com', { title: 'Consignes de sécurité', body: 'Port du casque obligatoire.', targets: [{ type: 'department', department: 'Ingénierie' }] });
    const postId = r.body.post.id;
    await as('ana', 'POST', `/announcements/${postId}/acknowledge`);

    const minor = await as('com', 'PATCH', `/announcements/${postId}`, { body: 'Port du casque\n   obligatoire.  ' });
    expect(minor.status).toBe(200);
    expect(minor.body.version).toBe(1);
    expect(minor.body.post.version).toBe(2);
    const anaMinor = await as('ana', 'GET', `/announcements/${postId}`);
    expect(anaMinor.body.acknowledgement).toMatchObject({ acknowledged: true, acknowledgedVersion: 1 });

    const settings = await as('com', 'PATCH', `/announcements/${postId}`, { reminderDays: 5 });
    expect(settings.body).toMatchObject({ version: 1, reminderDays: 5 });

    const material = await as('com', 'PATCH', `/announcements/${postId}`, { body: 'Port du casque et des lunettes obligatoire.' }, { 'if-match': '"2"' });
    expect(material.status).toBe(200);
    expect(material.body.version).toBe(2);
    const anaMaterial = await as('ana', 'GET', `/announcements/${postId}`);
    expect(anaMaterial.body.acknowledgement).toMatchObject({ acknowledged: false, acknowledgedVersion: 1 });
    expect(await pendingIds('ana')).toContain(postId);
    const asked = await db.query<{ person_id: string }>(
      'select person_id from announcement_requests where tenant_id = $1 and post_id = $2 and version = 2 order by person_id',
      [tenant, postId],
    );
    expect(asked.rows.map((x) => x.person_id).sort()).toEqual(ids('eli', 'ana'));

    const declared = await as('com', 'PATCH', `/announcements/${postId}`, { material: true });
    expect(declared.body.version).toBe(3);

    const stale = await as('com', 'PATCH', `/announcements/${postId}`, { title: 'Autre' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    const notAuthor = await as('adm', 'PATCH', `/announcements/${postId}`, { title: 'Autre' });
    expect(notAuthor.status).toBe(403);

    // The generic post edit follows the same rule.
    const generic = await as('com', 'PATCH', `/posts/${postId}`, { title: 'Consignes de sécurité (mises à jour)' });
    expect(generic.status).toBe(200);
    expect((await as('ana', 'GET', `/announcements/${postId}`)).body.version).toBe(4);

    const ack = await as('ana', 'POST', `/announcements/${postId}/acknowledge`);
    expect(ack.body.acknowledgement).toMatchObject({ acknowledged: true, acknowledgedVersion: 4 });
    const versions = await db.query<{ version: number }>(
      'select version from acknowledgements where tenant_id = $1 and post_id = $2 and person_id = $3 order by version',
      [tenant, postId, id.ana],
    );
    expect(versions.rows.map((x) => x.version)).toEqual([1, 4]);
  });

  test('reminders after N days go once per interval to those who have not acknowledged, and newcomers are asked', async () => {
    const t0 = new Date();
    const r = await publish('com', { title: 'Formation obligatoire', targets: [{ type: 'department', department: 'Ingénierie' }], reminderDays: 2, maxReminders: 2 });
    const postId = r.body.post.id;
    await as('ana', 'POST', `/announcements/${postId}/acknowledge`);
    const day = (n: number) => new Date(t0.getTime() + n * 86_400_000 + 60_000);
    const remindedOf = () => notificationsOf('acknowledgement_reminder', postId);

    expect((await sendAcknowledgementReminders(db, tenant, day(1))).reminded).toBe(0);
    await sendAcknowledgementReminders(db, tenant, day(2));
    expect(await remindedOf()).toEqual(ids('eli'));
    await sendAcknowledgementReminders(db, tenant, day(2));
    await sendAcknowledgementReminders(db, tenant, day(3));
    const count = async () =>
      (await db.query<{ n: number }>(
        `select coalesce(sum(count), 0)::int as n from notifications where tenant_id = $1 and kind = 'acknowledgement_reminder' and data->>'postId' = $2`,
        [tenant, postId],
      )).rows[0]!.n;
    expect(await count()).toBe(1);
    const requests = async () =>
      (await db.query<{ person_id: string; reminders: number }>(
        'select person_id, reminders from announcement_requests where tenant_id = $1 and post_id = $2 order by person_id',
        [tenant, postId],
      )).rows;
    expect((await requests()).find((x) => x.person_id === id.eli)?.reminders).toBe(1);

    // A newcomer in the department: in the audience now, asked at the next sweep, reminded from then on.
    const newcomer = await db.query<{ id: string }>(
      `insert into people (tenant_id, upn, display_name, department, manager_id) values ($1, 'new@hexagone.example', 'Nina Nouvelle', 'Ingénierie', $2) returning id`,
      [tenant, id.eli],
    );
    const nina = newcomer.rows[0]!.id;
    const swept = await sendAcknowledgementReminders(db, tenant, day(4));
    expect(swept.asked).toBeGreaterThanOrEqual(1);
    expect((await notificationsOf('acknowledgement_requested', postId))).toContain(nina);
    expect((await requests()).find((x) => x.person_id === id.eli)?.reminders).toBe(2);
    expect((await requests()).find((x) => x.person_id === nina)?.reminders).toBe(0);
    await sendAcknowledgementReminders(db, tenant, day(6));
    expect((await requests()).find((x) => x.person_id === nina)?.reminders).toBe(1);
    // At most maxReminders per version.
    await sendAcknowledgementReminders(db, tenant, day(30));
    expect((await requests()).find((x) => x.person_id === id.eli)?.reminders).toBe(2);
    expect((await requests()).find((x) => x.person_id === id.ana)?.reminders).toBe(0);
  });

  test('the report counts audience, views and acknowledgements per department, and exports a safe CSV', async () => {
    const r = await publish('com', {
      title: 'Inventaire annuel',
      targets: [
        { type: 'department', department: 'Ventes' },
        { type: 'manager', managerId: id.eli, subtree: true },
      ],
    });
    const postId = r.body.post.id;
    await as('zoe', 'GET', `/announcements/${postId}`);
    await as('noe', 'POST', `/announcements/${postId}/view`);
    await as('ana', 'POST', `/announcements/${postId}/acknowledge`);
    await as('mia', 'POST', `/announcements/${postId}/acknowledge`);
    await as('eli', 'GET', `/announcements/${postId}`);
    const nina = await db.query<{ id: string }>("select id from people where tenant_id = $1 and upn = 'new@hexagone.example'", [tenant]);
    const inEngineering = nina.rowCount > 0 ? 3 : 2;

    const report = await as('com', 'GET', `/announcements/${postId}/report`);
    expect(report.status).toBe(200);
    expect(report.body.totals).toEqual({ audience: 4 + inEngineering, viewed: 5, acknowledged: 2, acknowledgedEarlierVersion: 0 });
    const ventes = report.body.byDepartment.find((x: { department: string }) => x.department === 'Ventes');
    expect(ventes).toEqual({ department: 'Ventes', audience: 4, viewed: 3, acknowledged: 1, acknowledgedEarlierVersion: 0 });
    const inge = report.body.byDepartment.find((x: { department: string }) => x.department === 'Ingénierie');
    expect(inge).toEqual({ department: 'Ingénierie', audience: inEngineering, viewed: 2, acknowledged: 1, acknowledgedEarlierVersion: 0 });

    for (const p of ['zoe', 'eli'] as const) expect((await as(p, 'GET', `/announcements/${postId}/report`)).status).toBe(403);
    expect((await as('adm', 'GET', `/announcements/${postId}/report`)).status).toBe(200);

    const csv = await as('com', 'GET', `/announcements/${postId}/report.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.text.slice(1).split('\r\n');
    expect(lines[0]).toBe('Name,Email,Department,Viewed at,Status,Acknowledged version,Acknowledged at');
    expect(lines).toHaveLength(1 + 4 + inEngineering + 1);
    expect(lines[lines.length - 1]).toBe('');
    expect(csv.text).toContain('"\'=HYPERLINK(""http://x"")",evil@hexagone.example,Ventes,,pending,,');
    expect(csv.text).toContain('"Ana, ""la"" Dev",ana@hexagone.example,Ingénierie,');
    const zoe = lines.find((l) => l.startsWith('Zoé Lefèvre,'))!;
    expect(zoe).toMatch(/^Zoé Lefèvre,zoe@hexagone\.example,Ventes,\d{4}-\d\d-\d\dT[^,]+,pending,,$/);
    const mia = lines.find((l) => l.startsWith('Mia Vendeuse,'))!;
    expect(mia).toMatch(/,acknowledged,1,\d{4}-/);
    expect(csv.text).not.toContain('Ancien Vendeur');
    expect((await as('zoe', 'GET', `/announcements/${postId}/report.csv`)).status).toBe(403);
  });

  test('the OpenAPI document describes the announcement routes', async () => {
    const r = await ruche.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.paths['/api/v1/announcements'].post).toBeDefined();
    expect(doc.paths['/api/v1/announcements/{announcementId}/acknowledge'].post).toBeDefined();
    expect(doc.paths['/api/v1/announcements/{announcementId}/report.csv'].get).toBeDefined();
    expect(doc.components.schemas.Announcement).toBeDefined();
  });

  test('the two forms of the audience rule agree: who an announcement is for, and what is for whom', async () => {
    const posts = await db.query<{ post_id: string }>('select post_id from announcements where tenant_id = $1', [tenant]);
    const people = await db.query<{ id: string }>('select id from people where tenant_id = $1', [tenant]);
    expect(posts.rowCount).toBeGreaterThan(5);
    const forWhom = new Map<string, string[]>();
    for (const p of people.rows) {
      const r = await db.query<{ post_id: string }>(`select post_id from (${sqlAnnouncementsTargeting('$1', '$2')}) x`, [tenant, p.id]);
      for (const x of r.rows) forWhom.set(x.post_id, [...(forWhom.get(x.post_id) ?? []), p.id]);
    }
    for (const { post_id } of posts.rows) {
      const r = await db.query<{ id: string }>(`select id from (${audienceSql('$1', '$2')}) a`, [tenant, post_id]);
      expect({ post_id, audience: r.rows.map((x) => x.id).sort() }).toEqual({ post_id, audience: (forWhom.get(post_id) ?? []).sort() });
    }
  });
});
