import path from 'node:path';
import { loadConfig } from './config.js';

describe('configuration', () => {
  test('defaults: local mode on PGlite, port 3978 on loopback, demo and local sign-in on', () => {
    const c = loadConfig({});
    expect(c.local).toBe(true);
    expect(c.port).toBe(3978);
    expect(c.host).toBe('127.0.0.1');
    expect(c.database).toEqual({ kind: 'pglite', dataDir: path.resolve('.ruche/data') });
    expect(c.demo).toEqual({ enabled: true, people: 300 });
    expect(c.devSignIn).toBe(true);
    expect(c.publicUrl).toBe('http://localhost:3978');
  });

  test('DATABASE_URL switches to PostgreSQL; PORT, HOST and RUCHE_DATA_DIR are honoured', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://127.0.0.1:5432/test', PORT: '8080', HOST: '0.0.0.0' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://127.0.0.1:5432/test', poolMax: 10 });
    expect(c.port).toBe(8080);
    expect(c.host).toBe('0.0.0.0');
    expect(loadConfig({ RUCHE_DATA_DIR: '/tmp/x' }).database).toEqual({ kind: 'pglite', dataDir: '/tmp/x' });
  });

  test.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be a postgres/],
    [{ ENTRA_ALLOWED_TENANTS: 'contoso' }, /ENTRA_ALLOWED_TENANTS/],
    [{ ENTRA_CLIENT_ID: 'not-a-guid' }, /ENTRA_CLIENT_ID: must be a GUID/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ NODE_ENV: 'production' }, /ENTRA_CLIENT_ID: required outside local mode/],
    [
      { NODE_ENV: 'production', ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555', ENTRA_ALLOWED_TENANTS: '11111111-2222-3333-4444-555555555555' },
      /DATABASE_URL: required in production/,
    ],
  ])('%j fails with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  test('a configured tenant leaves local mode: no demo, no local sign-in, listens on all interfaces', () => {
    const c = loadConfig({
      ENTRA_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      ENTRA_APP_ID_URI: 'api://ruche.contoso.com/11111111-2222-3333-4444-555555555555',
      ENTRA_ALLOWED_TENANTS: 'AAAAAAAA-2222-3333-4444-555555555555, bbbbbbbb-2222-3333-4444-555555555555',
      CORS_ORIGINS: 'https://contoso.sharepoint.com',
    });
    expect(c.local).toBe(false);
    expect(c.devSignIn).toBe(false);
    expect(c.demo.enabled).toBe(false);
    expect(c.host).toBe('0.0.0.0');
    expect(c.auth.allowedTenants).toEqual(['aaaaaaaa-2222-3333-4444-555555555555', 'bbbbbbbb-2222-3333-4444-555555555555']);
    expect(c.auth.audiences).toEqual([
      '11111111-2222-3333-4444-555555555555',
      'api://ruche.contoso.com/11111111-2222-3333-4444-555555555555',
    ]);
    expect(c.corsOrigins).toEqual(['https://contoso.sharepoint.com']);
  });
});
