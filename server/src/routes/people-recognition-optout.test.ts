import { testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import { type Social, socialFixture } from './posts-testing.js';

// A profile shows no kudos count for a person excluded from recognition (opt-out, or a
// country or office where recognition is switched off), except to the person themselves.
describe.each(testDatabases())('profile kudos counts and recognition opt-outs on $name', ({ open }) => {
  let db: Db;
  let s: Social;

  beforeAll(async () => {
    db = await open();
    s = await socialFixture(db);
    await db.query("update people set country = 'Germany', office = 'Berlin' where tenant_id = $1 and id = $2", [s.tenant, s.id.moderator]);
    for (const who of ['lea', 'moderator', 'owner'] as const) {
      const k = await db.query<{ id: string }>(
        "insert into kudos (tenant_id, giver_id, message, visibility) values ($1, $2, 'Merci', 'public') returning id",
        [s.tenant, s.id.camille],
      );
      await db.query('insert into kudos_recipients (tenant_id, kudos_id, recipient_id) values ($1, $2, $3)', [s.tenant, k.rows[0]!.id, s.id[who]]);
    }
  });
  afterAll(async () => {
    await s.close();
    await db.close();
  });

  const profile = async (viewer: 'outsider' | 'lea' | 'moderator' | 'admin', subject: 'lea' | 'moderator' | 'owner') => {
    const r = await s.as(viewer, 'GET', `/people/${s.id[subject]}`);
    expect(r.status).toBe(200);
    return r.body as { kudosReceived: number | null; hiddenFields: string[] };
  };

  test('counts shown while recognition is on', async () => {
    expect((await profile('outsider', 'lea')).kudosReceived).toBe(1);
    expect((await profile('outsider', 'moderator')).kudosReceived).toBe(1);
  });

  test('a person who opted out shows no kudos count to others, their own to themselves', async () => {
    expect((await s.as('lea', 'PUT', '/me/recognition', { optedOut: true })).status).toBe(200);
    const seen = await profile('outsider', 'lea');
    expect(seen.kudosReceived).toBeNull();
    expect(seen.hiddenFields).toContain('kudos');
    expect((await profile('admin', 'lea')).kudosReceived).toBeNull();
    expect((await profile('lea', 'lea')).kudosReceived).toBe(1);
    expect((await s.as('lea', 'PUT', '/me/recognition', { optedOut: false })).status).toBe(200);
    expect((await profile('outsider', 'lea')).kudosReceived).toBe(1);
  });

  test('recognition switched off for a country or an office hides the count', async () => {
    expect((await s.as('admin', 'PUT', '/recognition/settings', { disabledCountries: ['germany'] })).status).toBe(200);
    expect((await profile('outsider', 'moderator')).kudosReceived).toBeNull();
    expect((await profile('moderator', 'moderator')).kudosReceived).toBe(1);
    expect((await profile('outsider', 'owner')).kudosReceived).toBe(1);
    expect((await s.as('admin', 'PUT', '/recognition/settings', { disabledCountries: [], disabledOffices: ['BERLIN'] })).status).toBe(200);
    expect((await profile('outsider', 'moderator')).kudosReceived).toBeNull();
    expect((await s.as('admin', 'PUT', '/recognition/settings', { disabledOffices: [] })).status).toBe(200);
    expect((await profile('outsider', 'moderator')).kudosReceived).toBe(1);
  });
});
