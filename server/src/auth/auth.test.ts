import { randomUUID } from 'node:crypto';
import { createTestTenant, testDatabases } from '@ruche/core/testing';
import { loadConfig, type Db } from '@ruche/core';
import { createFakeEntra, localConfig, testApp, type FakeEntra } from '../testing.js';
import type { RucheApp } from '../app.js';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe.each(testDatabases())('Entra ID access tokens on $name', ({ open }) => {
  let db: Db;
  let entra: FakeEntra;
  let ruche: RucheApp;

  beforeAll(async () => {
    db = await open();
    entra = await createFakeEntra();
    ruche = await testApp(db, entra.config(), randomUUID(), entra);
  });
  afterAll(async () => {
    await ruche.app.close();
    await db.close();
  });

  const me = (authorization?: string) =>
    ruche.app.inject({ method: 'GET', url: '/api/v1/me', headers: authorization ? { authorization } : {} });

  test('a valid token is accepted and an unknown user is created just in time from its claims', async () => {
    const oid = randomUUID();
    const token = await entra.token({ oid, name: 'Zoë Lefèvre', preferred_username: 'zoe.lefevre@contoso.example' });
    const r = await me(`Bearer ${token}`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ displayName: 'Zoë Lefèvre', upn: 'zoe.lefevre@contoso.example' });
    const again = await me(`Bearer ${token}`);
    expect(again.json().id).toBe(r.json().id);
    const rows = await db.query('select id from people where tenant_id = $1 and entra_oid = $2', [entra.tenantId, oid]);
    expect(rows.rowCount).toBe(1);
  });

  test('signing in with a UPN Ruche already knows: an imported person is adopted, a former one frees it, a current one keeps it', async () => {
    const imported = await db.query<{ id: string }>(
      "insert into people (tenant_id, upn, display_name) values ($1, 'imported@contoso.example', 'Imported') on conflict do nothing returning id",
      [entra.tenantId],
    );
    const token = await entra.token({ oid: randomUUID(), preferred_username: 'Imported@contoso.example', name: 'Imported' });
    const adopted = await me(`Bearer ${token}`);
    expect(adopted.statusCode).toBe(200);
    expect(adopted.json().id).toBe(imported.rows[0]!.id);

    await db.query(
      "insert into people (tenant_id, entra_oid, upn, display_name, is_former_employee) values ($1, $2, 'reused@contoso.example', 'Former', true)",
      [entra.tenantId, randomUUID()],
    );
    const newcomer = await me(`Bearer ${await entra.token({ oid: randomUUID(), preferred_username: 'reused@contoso.example', name: 'Newcomer' })}`);
    expect(newcomer.statusCode).toBe(200);
    expect(newcomer.json()).toMatchObject({ upn: 'reused@contoso.example', displayName: 'Newcomer' });

    await db.query("insert into people (tenant_id, entra_oid, upn, display_name) values ($1, $2, 'held@contoso.example', 'Holder')", [
      entra.tenantId,
      randomUUID(),
    ]);
    const oid = randomUUID();
    const other = await me(`Bearer ${await entra.token({ oid, preferred_username: 'held@contoso.example', name: 'Other' })}`);
    expect(other.statusCode).toBe(200);
    expect(other.json()).toMatchObject({ upn: `${oid}@unknown.invalid`, displayName: 'Other' });
  });

  test('the App ID URI is accepted as audience, and v1 issuers too', async () => {
    const t1 = await entra.token({}, { audience: `api://ruche.example/${entra.clientId}` });
    expect((await me(`Bearer ${t1}`)).statusCode).toBe(200);
    const t2 = await entra.token({}, { issuer: `https://sts.windows.net/${entra.tenantId}/` });
    expect((await me(`Bearer ${t2}`)).statusCode).toBe(200);
  });

  test("a SharePoint web part's token (AadHttpClient: v1, App ID URI audience) is accepted from an allowed SharePoint origin", async () => {
    const sharePoint = await testApp(db, entra.config({ CORS_ORIGINS: 'https://contoso.sharepoint.com' }), randomUUID(), entra);
    try {
      // SharePoint Online Client Extensibility Web Application Principal asks for the API's scope.
      const token = await entra.token(
        { ver: '1.0', appid: '08e18876-6177-487e-b8b5-cf950c1e598c', upn: 'ines.moreau@contoso.example', name: 'Inès Moreau' },
        { issuer: `https://sts.windows.net/${entra.tenantId}/`, audience: `api://ruche.example/${entra.clientId}` },
      );
      const preflight = await sharePoint.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/me',
        headers: { origin: 'https://contoso.sharepoint.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://contoso.sharepoint.com');
      const r = await sharePoint.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { origin: 'https://contoso.sharepoint.com', authorization: `Bearer ${token}` },
      });
      expect(r.statusCode).toBe(200);
      expect(r.headers['access-control-allow-origin']).toBe('https://contoso.sharepoint.com');
      expect(r.json()).toMatchObject({ upn: 'ines.moreau@contoso.example' });
      const elsewhere = await sharePoint.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/me',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await sharePoint.app.close();
    }
  });

  test('a token expired less than 5 minutes ago is still accepted (clock skew)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await entra.token({}, { expiresIn: now - 120 });
    expect((await me(`Bearer ${token}`)).statusCode).toBe(200);
  });

  const rejections: [string, () => Promise<string | undefined>, number, string][] = [
    ['no token', async () => undefined, 401, 'AUTH_MISSING'],
    ['a malformed token', async () => 'Bearer not-a-jwt', 401, 'AUTH_INVALID'],
    ['a header that is not Bearer', async () => `Basic ${Buffer.from('a:b').toString('base64')}`, 401, 'AUTH_INVALID'],
    [
      'alg: none',
      async () => {
        const header = b64url({ alg: 'none', typ: 'JWT' });
        const now = Math.floor(Date.now() / 1000);
        const payload = b64url({
          tid: entra.tenantId,
          oid: randomUUID(),
          scp: 'access_as_user',
          aud: entra.clientId,
          iss: `https://login.microsoftonline.com/${entra.tenantId}/v2.0`,
          exp: now + 3600,
        });
        return `Bearer ${header}.${payload}.`;
      },
      401,
      'AUTH_INVALID',
    ],
    [
      'a wrong signature',
      async () => {
        const other = await createFakeEntra();
        return `Bearer ${await other.token({ tid: entra.tenantId }, { audience: entra.clientId })}`;
      },
      401,
      'AUTH_INVALID',
    ],
    [
      'a tampered payload',
      async () => {
        const [h, , s] = (await entra.token()).split('.');
        const now = Math.floor(Date.now() / 1000);
        const forged = b64url({ tid: entra.tenantId, oid: randomUUID(), scp: 'access_as_user', aud: entra.clientId, exp: now + 60 });
        return `Bearer ${h}.${forged}.${s}`;
      },
      401,
      'AUTH_INVALID',
    ],
    [
      'an expired token (beyond the skew)',
      async () => `Bearer ${await entra.token({}, { expiresIn: Math.floor(Date.now() / 1000) - 600 })}`,
      401,
      'AUTH_EXPIRED',
    ],
    ['the wrong audience', async () => `Bearer ${await entra.token({}, { audience: randomUUID() })}`, 401, 'AUTH_INVALID'],
    [
      'the wrong issuer',
      async () => `Bearer ${await entra.token({}, { issuer: 'https://login.microsoftonline.com/common/v2.0' })}`,
      401,
      'AUTH_INVALID',
    ],
    [
      "an issuer of another tenant than the token's",
      async () => `Bearer ${await entra.token({}, { issuer: `https://login.microsoftonline.com/${randomUUID()}/v2.0` })}`,
      401,
      'AUTH_INVALID',
    ],
    ['a tenant not allowed', async () => `Bearer ${await entra.token({ tid: randomUUID() })}`, 403, 'AUTH_TENANT_NOT_ALLOWED'],
    ['a missing scope', async () => `Bearer ${await entra.token({ scp: 'User.Read' })}`, 403, 'AUTH_SCOPE_MISSING'],
    ['an app-only token (no scp)', async () => `Bearer ${await entra.token({ scp: undefined, roles: ['x'] })}`, 403, 'AUTH_SCOPE_MISSING'],
  ];

  test.each(rejections)('rejects %s', async (_name, make, status, code) => {
    const r = await me(await make());
    expect(r.statusCode).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.json()).toMatchObject({ status, code });
    if (status === 401) expect(r.headers['www-authenticate']).toBe('Bearer');
  });

  test('a former employee is refused even with a valid token', async () => {
    const oid = randomUUID();
    await db.query('insert into tenants (id, name) values ($1, $2) on conflict do nothing', [entra.tenantId, 'Contoso']);
    await db.query(
      "insert into people (tenant_id, entra_oid, upn, display_name, is_former_employee) values ($1, $2, 'gone@contoso.example', 'Gone', true)",
      [entra.tenantId, oid],
    );
    const r = await me(`Bearer ${await entra.token({ oid })}`);
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('FORMER_EMPLOYEE');
  });

  test('development tokens are refused outside local mode', async () => {
    const t = await ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: 'x@y.z' } });
    expect(t.statusCode).toBe(404);
    expect(t.json()).toMatchObject({ code: 'DEV_AUTH_DISABLED' });
    expect(t.json().detail).toMatch(/tenant is configured/);
    const signin = await ruche.app.inject({ method: 'GET', url: '/signin' });
    expect(signin.statusCode).toBe(404);
  });
});

describe('production mode', () => {
  test('refuses development tokens, and a token from a local-mode server is not valid there', async () => {
    const [first] = testDatabases();
    const db = await first!.open();
    const tenant = await createTestTenant(db);
    await db.query("insert into people (tenant_id, upn, display_name) values ($1, 'a@demo.example', 'A')", [tenant]);
    const local = await testApp(db, localConfig(), tenant);
    const entra = await createFakeEntra();
    const prod = await testApp(
      db,
      entra.config({ NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:5432/test' }),
      tenant,
      entra,
    );
    try {
      const issued = await local.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: 'a@demo.example' } });
      const devToken = issued.json().access_token as string;
      const refused = await prod.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: 'a@demo.example' } });
      expect(refused.statusCode).toBe(404);
      expect(refused.json().detail).toMatch(/production/);
      const me = await prod.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${devToken}` } });
      expect(me.statusCode).toBe(401);
      const openapi = await prod.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(Object.keys(openapi.json().paths)).not.toContain('/api/v1/dev/token');
    } finally {
      await local.app.close();
      await prod.app.close();
      await db.close();
    }
  });

  test('asking for local sign-in in production is a clear start-up error', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', RUCHE_DEV_SIGNIN: 'on' })).toThrow(/ENTRA_CLIENT_ID/);
    const entraEnv = {
      NODE_ENV: 'production',
      ENTRA_CLIENT_ID: randomUUID(),
      ENTRA_ALLOWED_TENANTS: randomUUID(),
      DATABASE_URL: 'postgres://db.example/ruche',
    };
    expect(() => loadConfig({ ...entraEnv, RUCHE_DEV_SIGNIN: 'on' })).toThrow(/RUCHE_DEV_SIGNIN.*production/);
    expect(() => loadConfig({ ...entraEnv, NODE_ENV: 'development', RUCHE_DEV_SIGNIN: 'on' })).toThrow(
      /RUCHE_DEV_SIGNIN.*tenant is configured/,
    );
    expect(loadConfig(entraEnv).devSignIn).toBe(false);
  });
});
