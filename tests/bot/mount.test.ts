import { randomUUID } from 'node:crypto';
import { testDatabases, createTestTenant } from '@ruche/core/testing';
import { type Db, loadConfig } from '@ruche/core';
import { createFakeEntra, localConfig, testApp } from '../../server/src/testing.js';

const appId = randomUUID();

describe('bot settings', () => {
  test('local mode without a registration: the bot accepts unauthenticated activities', () => {
    expect(localConfig().bot).toEqual({ credential: { kind: 'none' }, allowUnauthenticated: true });
  });
  test('a registration with a secret, or with a managed identity', () => {
    expect(localConfig({ BOT_APP_ID: appId, BOT_APP_SECRET: 's3cret' }).bot).toEqual({
      appId,
      credential: { kind: 'secret', secret: 's3cret' },
      allowUnauthenticated: false,
    });
    const tenant = randomUUID();
    expect(localConfig({ BOT_APP_ID: appId, BOT_TENANT_ID: tenant, BOT_MANAGED_IDENTITY_CLIENT_ID: 'system' }).bot).toEqual({
      appId,
      tenantId: tenant,
      credential: { kind: 'managed-identity', managedIdentityClientId: 'system' },
      allowUnauthenticated: false,
    });
  });
  test('outside local mode without a registration, no bot', async () => {
    const entra = await createFakeEntra();
    expect(entra.config().bot).toBeUndefined();
    expect(entra.config({ BOT_APP_ID: appId, BOT_APP_SECRET: 'x' }).bot?.allowUnauthenticated).toBe(false);
  });
  test('bad settings are refused with the variable named', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', BOT_APP_SECRET: 'x' })).toThrow(/BOT_APP_ID: required when any BOT_\* variable is set/);
    expect(() => loadConfig({ NODE_ENV: 'test', BOT_APP_ID: 'not-a-guid' })).toThrow(/BOT_APP_ID/);
    expect(() => loadConfig({ NODE_ENV: 'test', BOT_APP_ID: appId, BOT_APP_SECRET: 'x', BOT_MANAGED_IDENTITY_CLIENT_ID: 'system' })).toThrow(/either BOT_APP_SECRET or BOT_MANAGED_IDENTITY_CLIENT_ID/);
  });
});

describe.each(testDatabases())('bot endpoint on $name', ({ open }) => {
  let db: Db;
  let tenant: string;
  beforeAll(async () => {
    db = await open();
    tenant = await createTestTenant(db);
  });
  afterAll(async () => {
    await db.close();
  });

  const message = () => ({
    type: 'message',
    id: randomUUID(),
    text: 'help',
    serviceUrl: 'http://127.0.0.1:9/',
    channelId: 'msteams',
    from: { id: '29:x', aadObjectId: randomUUID() },
    recipient: { id: '28:bot' },
    conversation: { id: 'a:x', conversationType: 'personal', tenantId: tenant },
  });

  test('with a registration, an activity without a Bot Framework token is refused (401), even in local mode', async () => {
    const ruche = await testApp(db, localConfig({ BOT_APP_ID: appId, BOT_APP_SECRET: 'x' }), tenant);
    try {
      const r = await ruche.app.inject({ method: 'POST', url: '/api/messages', payload: message() });
      expect(r.statusCode).toBe(401);
    } finally {
      await ruche.app.close();
    }
  });

  test('production without a registration: no bot endpoint; the API is unaffected', async () => {
    const entra = await createFakeEntra();
    const ruche = await testApp(db, entra.config(), tenant, entra);
    try {
      expect((await ruche.app.inject({ method: 'POST', url: '/api/messages', payload: message() })).statusCode).toBe(404);
      expect((await ruche.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json().paths['/api/messages']).toBeUndefined();
    } finally {
      await ruche.app.close();
    }
  });

  test('a production registration validates tokens: no token, 401', async () => {
    const entra = await createFakeEntra();
    const ruche = await testApp(db, entra.config({ BOT_APP_ID: appId, BOT_APP_SECRET: 'x' }), tenant, entra);
    try {
      const r = await ruche.app.inject({ method: 'POST', url: '/api/messages', payload: message() });
      expect(r.statusCode).toBe(401);
      const forged = await ruche.app.inject({ method: 'POST', url: '/api/messages', payload: message(), headers: { authorization: 'Bearer not.a.token' } });
      expect(forged.statusCode).toBe(401);
    } finally {
      await ruche.app.close();
    }
  });
});
