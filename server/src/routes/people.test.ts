import { testDatabases } from '@ruche/core/testing';
import { requestExpiredBiographyVerifications, type Db } from '@ruche/core';
import { type Social, socialFixture } from './posts-testing.js';

describe.each(testDatabases())('people API on $name', ({ open }) => {
  let db: Db;
  let s: Social;

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
    // owner -> moderator -> camille; camille manages lea; hr is 'requester'.
    const set = (who: string, manager: string | null) =>
      db.query('update people set manager_id = $3 where tenant_id = $1 and id = $2', [s.tenant, who, manager]);
    await set(s.id.moderator, s.id.owner);
    await set(s.id.camille, s.id.moderator);
    await set(s.id.lea, s.id.camille);
    await db.query("update people set roles = '{hr}', office = 'Paris', department = 'RH' where tenant_id = $1 and id = $2", [s.tenant, s.id.requester]);
  });
  afterAll(async () => {
    await s.close();
    await db.close();
  });

  test('profile: directory fields, manager chain to the top, direct reports; org chart paged', async () => {
    const r = await s.as('outsider', 'GET', `/people/${s.id.camille}`);
    expect(r.status).toBe(200);
    expect(r.body.displayName).toBe('Camille Martin');
    expect(r.body.managerChain.map((x: { id: string }) => x.id)).toEqual([s.id.moderator, s.id.owner]);
    expect(r.body.directReports.map((x: { id: string }) => x.id)).toEqual([s.id.lea]);
    expect(r.body.directReportCount).toBe(1);
    expect(r.body.fieldPrivacy).toBeNull();
    const chart = await s.as('outsider', 'GET', `/people/${s.id.owner}/org-chart?limit=1`);
    expect(chart.status).toBe(200);
    expect(chart.body.reports.items.map((x: { id: string }) => x.id)).toEqual([s.id.moderator]);
    expect((await s.as('outsider', 'GET', '/people/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await s.as('outsider', 'GET', '/people/not-a-uuid')).status).toBe(404);
  });

  test('own edits; per-field privacy (manager and HR see "manager" fields, nobody else); bad input keeps saved data', async () => {
    const ok = await s.as('lea', 'PATCH', '/me/profile', {
      skills: ['Kubernetes', 'PostgreSQL'], askMeAbout: ['Helm charts'], languages: ['fr', 'en'], biography: 'SRE depuis 2015.',
      fieldPrivacy: { languages: 'manager', biography: 'private' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.fieldPrivacy).toEqual({ languages: 'manager', biography: 'private' });
    expect(ok.body.skills.map((x: { name: string }) => x.name).sort()).toEqual(['Kubernetes', 'PostgreSQL']);
    const other = (await s.as('outsider', 'GET', `/people/${s.id.lea}`)).body;
    expect(other.languages).toBeNull();
    expect(other.biography).toBeNull();
    expect(other.askMeAbout).toEqual(['Helm charts']);
    expect(other.hiddenFields.sort()).toEqual(['biography', 'languages']);
    const manager = (await s.as('camille', 'GET', `/people/${s.id.lea}`)).body;
    expect(manager.languages).toEqual(['fr', 'en']);
    expect(manager.biography).toBeNull();
    const hr = (await s.as('requester', 'GET', `/people/${s.id.lea}`)).body;
    expect(hr.languages).toEqual(['fr', 'en']);
    const bad = await s.as('lea', 'PATCH', '/me/profile', { skills: ['x'.repeat(81)], biography: 'lost' });
    expect(bad.status).toBe(400);
    const bad2 = await s.as('lea', 'PATCH', '/me/profile', { skills: ['   '], fieldPrivacy: { languages: 'nobody' } });
    expect(bad2.status).toBe(400);
    const self = (await s.as('lea', 'GET', `/people/${s.id.lea}`)).body;
    expect(self.biography).toBe('SRE depuis 2015.');
    expect(self.skills.map((x: { name: string }) => x.name).sort()).toEqual(['Kubernetes', 'PostgreSQL']);
  });

  test('biography verified by the manager or HR, cleared by an edit, expires after 12 months and asks the manager again', async () => {
    await s.as('lea', 'PATCH', '/me/profile', { biography: 'Bio v1', fieldPrivacy: { biography: 'everyone' } });
    expect((await s.as('lea', 'POST', `/people/${s.id.lea}/biography/verification`)).status).toBe(403);
    expect((await s.as('outsider', 'POST', `/people/${s.id.lea}/biography/verification`)).status).toBe(403);
    const v = await s.as('camille', 'POST', `/people/${s.id.lea}/biography/verification`);
    expect(v.status).toBe(200);
    expect(v.body.status).toBe('verified');
    expect(v.body.verifiedBy.id).toBe(s.id.camille);
    expect((await s.as('requester', 'POST', `/people/${s.id.lea}/biography/verification`)).status).toBe(200);
    await s.as('lea', 'PATCH', '/me/profile', { biography: 'Bio v2' });
    expect((await s.as('outsider', 'GET', `/people/${s.id.lea}`)).body.biographyVerification.status).toBe('unverified');
    await s.as('camille', 'POST', `/people/${s.id.lea}/biography/verification`);
    await db.query("update people set biography_verified_at = now() - interval '13 months' where tenant_id = $1 and id = $2", [s.tenant, s.id.lea]);
    expect((await s.as('outsider', 'GET', `/people/${s.id.lea}`)).body.biographyVerification.status).toBe('expired');
    expect(await requestExpiredBiographyVerifications(db, s.tenant)).toBe(1);
    expect(await requestExpiredBiographyVerifications(db, s.tenant)).toBe(0);
    const n = await db.query<{ n: number }>(
      "select count(*)::int as n from notifications where tenant_id = $1 and person_id = $2 and kind = 'biography_verification'",
      [s.tenant, s.id.camille],
    );
    expect(n.rows[0]!.n).toBe(1);
    expect((await s.as('camille', 'POST', `/people/${s.id.lea}/biography/verification`)).body.status).toBe('verified');
  });

  test('endorsements: counted per skill, idempotent, withdrawn, never of oneself', async () => {
    const url = `/people/${s.id.lea}/skills/kubernetes/endorsement`;
    expect((await s.as('camille', 'POST', url)).status).toBe(201);
    const again = await s.as('camille', 'POST', url);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ skill: 'Kubernetes', endorsements: 1, endorsedByViewer: true });
    expect((await s.as('outsider', 'POST', url)).body.endorsements).toBe(2);
    expect((await s.as('lea', 'POST', url)).status).toBe(403);
    const k = (await s.as('camille', 'GET', `/people/${s.id.lea}`)).body.skills.find((x: { name: string }) => x.name === 'Kubernetes');
    expect(k).toMatchObject({ sources: ['declared', 'endorsed'], endorsements: 2, endorsedByViewer: true });
    expect((await s.as('outsider', 'DELETE', url)).body.endorsements).toBe(1);
  });

  test('communities and kudos counted only as far as the viewer may see them; inferred skills from visible evidence', async () => {
    const secret = await s.community('secret');
    const pub = await s.community('public');
    const names = (r: { body: { communities: { id: string }[] } }) => r.body.communities.map((c) => c.id);
    expect(names(await s.as('outsider', 'GET', `/people/${s.id.lea}`))).toContain(pub);
    expect(names(await s.as('outsider', 'GET', `/people/${s.id.lea}`))).not.toContain(secret);
    expect(names(await s.as('camille', 'GET', `/people/${s.id.lea}`))).toContain(secret);
    const kudos = async (visibility: string, communityId: string | null) => {
      const k = await db.query<{ id: string }>(
        'insert into kudos (tenant_id, giver_id, message, visibility, community_id) values ($1, $2, $3, $4, $5) returning id',
        [s.tenant, s.id.owner, 'Merci', visibility, communityId],
      );
      await db.query('insert into kudos_recipients (tenant_id, kudos_id, recipient_id) values ($1, $2, $3)', [s.tenant, k.rows[0]!.id, s.id.lea]);
    };
    await kudos('public', null);
    await kudos('private', null);
    await kudos('community', secret);
    expect((await s.as('outsider', 'GET', `/people/${s.id.lea}`)).body.kudosReceived).toBe(1);
    expect((await s.as('camille', 'GET', `/people/${s.id.lea}`)).body.kudosReceived).toBe(3); // manager and member
    expect((await s.as('lea', 'GET', `/people/${s.id.lea}`)).body.kudosReceived).toBe(3);
  });
});
