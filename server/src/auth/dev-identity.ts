import { exportJWK, generateKeyPair, jwtVerify, SignJWT, createLocalJWKSet, type JWK } from 'jose';
import { RucheError } from '@ruche/core';
import { mapJoseError, rejectMalformed, type TokenVerifier } from './tokens.js';

/**
 * The development identity provider of local mode: it signs short-lived tokens for demo
 * people with a key made at start-up and never written anywhere. It only exists when the
 * configuration says local mode (no tenant configured, not production).
 */
export interface DevIdentityProvider extends TokenVerifier {
  readonly issuer: string;
  readonly audience: string;
  issue(person: { tenantId: string; personId: string; upn: string; name: string }): Promise<{ token: string; expiresIn: number }>;
}

const lifetimeSeconds = 8 * 60 * 60;

export async function createDevIdentityProvider(publicUrl: string): Promise<DevIdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'ruche-dev', alg: 'ES256', use: 'sig' };
  const keys = createLocalJWKSet({ keys: [jwk] });
  const issuer = `${publicUrl}/dev`;
  const audience = 'api://ruche-local';
  return {
    issuer,
    audience,
    async issue(person) {
      const token = await new SignJWT({
        tid: person.tenantId,
        oid: person.personId,
        preferred_username: person.upn,
        name: person.name,
        scp: 'access_as_user',
      })
        .setProtectedHeader({ alg: 'ES256', kid: 'ruche-dev', typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(person.personId)
        .setIssuedAt()
        .setExpirationTime(`${lifetimeSeconds}s`)
        .sign(privateKey);
      return { token, expiresIn: lifetimeSeconds };
    },
    async verify(token) {
      rejectMalformed(token);
      try {
        const { payload } = await jwtVerify(token, keys, {
          algorithms: ['ES256'],
          issuer,
          audience,
          requiredClaims: ['exp', 'tid', 'oid'],
        });
        return {
          tenantId: String(payload.tid),
          subjectId: String(payload.oid),
          kind: 'dev',
          ...(typeof payload.preferred_username === 'string' ? { upn: payload.preferred_username } : {}),
          ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
          scopes: String(payload.scp ?? '').split(' ').filter(Boolean),
          expiresAt: Number(payload.exp) * 1000,
        };
      } catch (err) {
        if (err instanceof RucheError) throw err;
        return mapJoseError(err);
      }
    },
  };
}
