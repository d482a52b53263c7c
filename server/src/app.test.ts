import { createTestTenant, testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import { localConfig, testApp } from './testing.js';
import type { InjectOptions } from 'fastify';
import type { RucheApp } from './app.js';

describe.each(testDatabases())('HTTP host on $name', ({ open }) => {
  let db: Db;
  let ruche: RucheApp;
  let tenant: string;

  beforeAll(async () => {
    db = await open();
    tenant = await createTestTenant(db, 'Local');
    await db.query(
      "insert into people (tenant_id, upn, display_name, department) values ($1, 'camille.martin@demo.example', 'Camille Martin', 'IT')",
      [tenant],
    );
    ruche = await testApp(db, localConfig(), tenant);
  });
  afterAll(async () => {
    await ruche.app.close();
    await db.close();
  });

  const inject = (options: InjectOptions | string) => ruche.app.inject(options);

  test('GET /healthz and /readyz answer', async () => {
    const h = await inject({ method: 'GET', url: '/healthz' });
    expect(h.statusCode).toBe(200);
    expect(h.json()).toEqual({ status: 'ok' });
    const r = await inject({ method: 'GET', url: '/readyz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ready' });
  });

  test('readiness turns 503 problem while shutting down', async () => {
    ruche.health.closing = true;
    try {
      const r = await inject({ method: 'GET', url: '/readyz' });
      expect(r.statusCode).toBe(503);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    } finally {
      ruche.health.closing = false;
    }
  });

  test('the OpenAPI 3.1 document describes the routes from their schemas', async () => {
    const r = await inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/me'].get).toBeDefined();
    expect(doc.paths['/api/v1/dev/token'].post.requestBody).toBeDefined();
    expect(doc.components.schemas.Problem).toBeDefined();
    expect(doc.components.securitySchemes.bearer.scheme).toBe('bearer');
  });

  test('a dev token signs in a demo person, and /me answers who they are', async () => {
    const t = await inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: 'Camille.Martin@demo.example' } });
    expect(t.statusCode).toBe(200);
    const { access_token } = t.json();
    const me = await inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${access_token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ displayName: 'Camille Martin', department: 'IT' });
  });

  test('the sign-in page lists demo people', async () => {
    const page = await inject({ method: 'GET', url: '/signin' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const people = await inject({ method: 'GET', url: '/api/v1/dev/people' });
    expect(people.json().items.map((p: { upn: string }) => p.upn)).toContain('camille.martin@demo.example');
  });

  test('an unknown person gets a 404 problem', async () => {
    const r = await inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: 'nobody@demo.example' } });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'PERSON_NOT_FOUND', status: 404 });
  });

  describe('bad requests get problem+json with the right 4xx, never a 500', () => {
    const cases: [string, InjectOptions, number, string][] = [
      [
        'malformed JSON',
        { method: 'POST', url: '/api/v1/dev/token', headers: { 'content-type': 'application/json' }, payload: '{"person": ' },
        400,
        'MALFORMED_BODY',
      ],
      [
        'an oversized body',
        {
          method: 'POST',
          url: '/api/v1/dev/token',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ person: 'x'.repeat(2 * 1024 * 1024) }),
        },
        413,
        'BODY_TOO_LARGE',
      ],
      ['an unknown route', { method: 'GET', url: '/api/v1/no-such-thing' }, 404, 'ROUTE_NOT_FOUND'],
      [
        'a wrong content type',
        { method: 'POST', url: '/api/v1/dev/token', headers: { 'content-type': 'text/plain' }, payload: 'person=x' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'a body that fails validation',
        { method: 'POST', url: '/api/v1/dev/token', payload: { person: 42 } },
        400,
        'VALIDATION_FAILED',
      ],
      ['an empty JSON body', { method: 'POST', url: '/api/v1/dev/token', headers: { 'content-type': 'application/json' }, payload: '' }, 400, 'MALFORMED_BODY'],
    ];
    test.each(cases)('%s', async (_name, request, status, code) => {
      const r = await inject(request);
      expect(r.statusCode).toBe(status);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = r.json();
      expect(body).toMatchObject({ status, code, type: expect.stringMatching(/^urn:ruche:problem:/) });
      expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
    });
  });

  test('every response carries a request id, and an incoming one is kept', async () => {
    const r = await inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-12345678' } });
    expect(r.headers['x-request-id']).toBe('abc-12345678');
    const r2 = await inject({ method: 'GET', url: '/healthz' });
    expect(r2.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('security headers: frame-ancestors lets Teams, Office and SharePoint frame Ruche', async () => {
    const r = await inject({ method: 'GET', url: '/signin' });
    const csp = String(r.headers['content-security-policy']);
    const ancestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1] ?? '';
    expect(ancestors).toContain('https://teams.microsoft.com');
    expect(ancestors).toContain('https://*.sharepoint.com');
    expect(ancestors).toContain('https://*.office.com');
    expect(ancestors).toContain('http://localhost:*');
    expect(r.headers['x-frame-options']).toBeUndefined();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  test('CORS: an origin that is not configured gets no CORS grant', async () => {
    const r = await inject({ method: 'OPTIONS', url: '/api/v1/me', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS with configured origins', () => {
  test('a configured origin is allowed, another is not', async () => {
    const [first] = testDatabases();
    const db = await first!.open();
    const tenant = await createTestTenant(db);
    const { app } = await testApp(db, localConfig({ CORS_ORIGINS: 'https://contoso.sharepoint.com' }), tenant);
    try {
      const ok = await app.inject({
        method: 'OPTIONS',
        url: '/api/v1/me',
        headers: { origin: 'https://contoso.sharepoint.com', 'access-control-request-method': 'GET' },
      });
      expect(ok.headers['access-control-allow-origin']).toBe('https://contoso.sharepoint.com');
      const no = await app.inject({
        method: 'OPTIONS',
        url: '/api/v1/me',
        headers: { origin: 'https://other.example', 'access-control-request-method': 'GET' },
      });
      expect(no.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
      await db.close();
    }
  });
});
