import { randomUUID } from 'node:crypto';
import { createTestTenant, testDatabases } from '../testing/index.js';
import type { Db } from '../store/db.js';
import { RucheError } from '../errors.js';
import { personalConversationFor, removeConversationReference, saveConversationReference } from './conversations.js';

describe.each(testDatabases())('bot conversation references on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  async function person(tenant: string, name: string, entraOid: string | null = randomUUID()): Promise<string> {
    const r = await db.query<{ id: string }>('insert into people (tenant_id, upn, display_name, entra_oid) values ($1, $2, $3, $4) returning id', [
      tenant,
      `${name.toLowerCase()}-${randomUUID()}@org.test`,
      name,
      entraOid,
    ]);
    return r.rows[0]!.id;
  }

  const base = { serviceUrl: 'https://smba.trafficmanager.net/emea/', botId: '28:bot-app-id', tenantEntraId: 'b7f1e1a4-0000-4000-8000-000000000001' };

  test('a personal conversation saved by Entra object id is found by person, refreshed in place, replaced by a new one', async () => {
    const t = await createTestTenant(db);
    const oid = randomUUID();
    const ana = await person(t, 'Ana', oid);
    expect(await personalConversationFor(db, t, ana)).toBeNull();
    await saveConversationReference(db, t, { ...base, entraOid: oid.toUpperCase(), conversationId: 'a:1', conversationType: 'personal' });
    expect(await personalConversationFor(db, t, ana)).toMatchObject({
      tenantId: t,
      conversationId: 'a:1',
      conversationType: 'personal',
      personId: ana,
      entraOid: oid,
      serviceUrl: base.serviceUrl,
      botId: base.botId,
      teamId: null,
      channelId: null,
      tenantEntraId: base.tenantEntraId,
    });
    // Refreshed by a later message: new service URL, same row.
    await saveConversationReference(db, t, { ...base, serviceUrl: 'https://smba.trafficmanager.net/amer/', entraOid: oid, conversationId: 'a:1', conversationType: 'personal' });
    expect((await personalConversationFor(db, t, ana))?.serviceUrl).toBe('https://smba.trafficmanager.net/amer/');
    // Reinstalled with a new conversation: the old one is gone.
    await saveConversationReference(db, t, { ...base, personId: ana, conversationId: 'a:2', conversationType: 'personal' });
    expect((await personalConversationFor(db, t, ana))?.conversationId).toBe('a:2');
    const rows = await db.query('select conversation_id from bot_conversations where tenant_id = $1', [t]);
    expect(rows.rows).toEqual([{ conversation_id: 'a:2' }]);
  });

  test('channel and group chat references are kept but are not a personal conversation', async () => {
    const t = await createTestTenant(db);
    const ben = await person(t, 'Ben');
    await saveConversationReference(db, t, { ...base, personId: ben, conversationId: '19:chan@thread.tacv2', conversationType: 'channel', teamId: '19:team@thread.tacv2', channelId: '19:chan@thread.tacv2' });
    await saveConversationReference(db, t, { ...base, personId: ben, conversationId: '19:group@thread.v2', conversationType: 'groupChat' });
    expect(await personalConversationFor(db, t, ben)).toBeNull();
    const rows = await db.query<{ conversation_type: string; team_id: string | null }>('select conversation_type, team_id from bot_conversations where tenant_id = $1 order by conversation_type', [t]);
    expect(rows.rows).toEqual([
      { conversation_type: 'channel', team_id: '19:team@thread.tacv2' },
      { conversation_type: 'groupChat', team_id: null },
    ]);
  });

  test('a reference saved before the directory knew the person is linked when they appear', async () => {
    const t = await createTestTenant(db);
    const oid = randomUUID();
    await saveConversationReference(db, t, { ...base, entraOid: oid, conversationId: 'a:early', conversationType: 'personal' });
    const late = await person(t, 'Late', oid);
    const ref = await personalConversationFor(db, t, late);
    expect(ref).toMatchObject({ conversationId: 'a:early', personId: late });
    const row = await db.query<{ person_id: string }>('select person_id from bot_conversations where tenant_id = $1', [t]);
    expect(row.rows[0]!.person_id).toBe(late);
  });

  test('removed references are forgotten; removing twice or in another tenant does nothing', async () => {
    const t = await createTestTenant(db);
    const other = await createTestTenant(db);
    const cleo = await person(t, 'Cleo');
    await saveConversationReference(db, t, { ...base, personId: cleo, conversationId: 'a:c', conversationType: 'personal' });
    await removeConversationReference(db, other, 'a:c');
    expect(await personalConversationFor(db, t, cleo)).not.toBeNull();
    await removeConversationReference(db, t, 'a:c');
    await removeConversationReference(db, t, 'a:c');
    expect(await personalConversationFor(db, t, cleo)).toBeNull();
  });

  test('references are per tenant', async () => {
    const t1 = await createTestTenant(db);
    const t2 = await createTestTenant(db);
    const oid = randomUUID();
    const inT1 = await person(t1, 'Dan', oid);
    const inT2 = await person(t2, 'Dan', oid);
    await saveConversationReference(db, t1, { ...base, entraOid: oid, conversationId: 'a:dan', conversationType: 'personal' });
    expect((await personalConversationFor(db, t1, inT1))?.personId).toBe(inT1);
    expect(await personalConversationFor(db, t2, inT2)).toBeNull();
    expect(await personalConversationFor(db, t2, inT1)).toBeNull();
  });

  test('bad input is refused with a validation error and changes nothing', async () => {
    const t = await createTestTenant(db);
    const eve = await person(t, 'Eve');
    await saveConversationReference(db, t, { ...base, personId: eve, conversationId: 'a:eve', conversationType: 'personal' });
    const bad = [
      { ...base, personId: eve, conversationId: '', conversationType: 'personal' as const },
      { ...base, personId: eve, conversationId: 'a:x', conversationType: 'meeting' as unknown as 'personal' },
      { ...base, personId: eve, conversationId: 'a:x', conversationType: 'personal' as const, serviceUrl: 'not a url' },
      { ...base, personId: eve, conversationId: 'a:x', conversationType: 'personal' as const, serviceUrl: 'ftp://example.org/' },
      { ...base, personId: eve, conversationId: 'a:x', conversationType: 'personal' as const, botId: '' },
      { ...base, entraOid: 'not-an-oid', conversationId: 'a:x', conversationType: 'personal' as const },
    ];
    for (const ref of bad) {
      const err = await saveConversationReference(db, t, ref).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RucheError);
      expect((err as RucheError).code).toBe('VALIDATION_FAILED');
    }
    const unknown = await saveConversationReference(db, t, { ...base, personId: randomUUID(), conversationId: 'a:x', conversationType: 'personal' }).catch((e: unknown) => e);
    expect((unknown as RucheError).code).toBe('PERSON_NOT_FOUND');
    expect((await personalConversationFor(db, t, eve))?.conversationId).toBe('a:eve');
    const count = await db.query<{ n: number }>('select count(*)::int as n from bot_conversations where tenant_id = $1', [t]);
    expect(count.rows[0]!.n).toBe(1);
  });
});
