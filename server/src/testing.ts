import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { type Config, type Db, createLogger, loadConfig } from '@ruche/core';
import { buildApp, type RucheApp } from './app.js';

/** Helpers for tests of the HTTP host, exported so other packages test the same way. */

export const silentLogger = createLogger({ level: 'silent' });

export function localConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', RUCHE_DEMO: 'off', PORT: '0', ...overrides });
}

/** A stand-in for Entra ID: an RSA key pair that signs tokens shaped like Entra's. */
export interface FakeEntra {
  clientId: string;
  tenantId: string;
  keys: ReturnType<typeof createLocalJWKSet>;
  config(overrides?: Record<string, string>): Config;
  token(claims?: JWTPayload, options?: { expiresIn?: string | number; issuer?: string; audience?: string }): Promise<string>;
}

export async function createFakeEntra(): Promise<FakeEntra> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const clientId = randomUUID();
  const tenantId = randomUUID();
  return {
    clientId,
    tenantId,
    keys: createLocalJWKSet({ keys: [jwk] }),
    config(overrides = {}) {
      return loadConfig({
        NODE_ENV: 'test',
        PORT: '0',
        ENTRA_CLIENT_ID: clientId,
        ENTRA_APP_ID_URI: `api://ruche.example/${clientId}`,
        ENTRA_ALLOWED_TENANTS: tenantId,
        ...overrides,
      });
    },
    async token(claims = {}, options = {}) {
      const tid = (claims.tid as string | undefined) ?? tenantId;
      return new SignJWT({ tid, oid: randomUUID(), scp: 'access_as_user', name: 'Test Person', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key', typ: 'JWT' })
        .setIssuer(options.issuer ?? `https://login.microsoftonline.com/${tid}/v2.0`)
        .setAudience(options.audience ?? clientId)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '1h')
        .sign(privateKey);
    },
  };
}

/** Builds the app on an open database without listening (use app.inject). */
export async function testApp(db: Db, config: Config, localTenantId: string, entra?: FakeEntra): Promise<RucheApp> {
  return buildApp({ config, db, logger: silentLogger, localTenantId, ...(entra ? { entraKeys: entra.keys } : {}) });
}
