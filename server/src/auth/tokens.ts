import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { RucheError } from '@ruche/core';

/** What a valid access token says about its bearer. */
export interface VerifiedIdentity {
  tenantId: string;
  /** Entra object id, or the Ruche person id for local development tokens. */
  subjectId: string;
  kind: 'entra' | 'dev';
  upn?: string;
  name?: string;
  scopes: string[];
  /** When the token expires (exp claim), in milliseconds since the epoch. */
  expiresAt: number;
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedIdentity>;
}

/**
 * Remembers the tokens `verifier` accepted until they expire, so that a client sending the
 * same token on every request has its signature checked once (an ECDSA or RSA check costs
 * more than the rest of a small request). A token is remembered as the exact string that
 * was verified; refused tokens are never remembered; at most `max` tokens, the oldest
 * forgotten first.
 */
export function rememberingVerifier(verifier: TokenVerifier, options: { max?: number; now?: () => number } = {}): TokenVerifier {
  const max = options.max ?? 10_000;
  const now = options.now ?? Date.now;
  const known = new Map<string, VerifiedIdentity>();
  return {
    async verify(token) {
      const hit = known.get(token);
      if (hit) {
        if (hit.expiresAt > now()) return hit;
        known.delete(token);
      }
      const identity = await verifier.verify(token);
      if (identity.expiresAt > now()) {
        if (known.size >= max) known.delete(known.keys().next().value!);
        known.set(token, identity);
      }
      return identity;
    },
  };
}

export interface EntraVerifierOptions {
  audiences: string[];
  allowedTenants: string[];
  requiredScope: string;
  authorityHost: string;
  /** The signing keys; defaults to Entra's published JWKS. Tests pass a local key set. */
  keys?: JWTVerifyGetKey;
  /** Tolerated clock skew, in seconds (default 5 minutes). */
  clockToleranceSeconds?: number;
}

const tokenShape = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function str(payload: JWTPayload, claim: string): string | undefined {
  const v = payload[claim];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function rejectMalformed(token: string): void {
  if (!tokenShape.test(token)) throw new RucheError('AUTH_INVALID', 'The access token is malformed');
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new RucheError('AUTH_INVALID', 'The access token header cannot be read');
  }
  if (!alg || alg.toLowerCase() === 'none') throw new RucheError('AUTH_INVALID', 'Unsigned tokens are refused');
}

function mapJoseError(err: unknown): never {
  if (err instanceof RucheError) throw err;
  if (err instanceof joseErrors.JWTExpired) throw new RucheError('AUTH_EXPIRED', 'The access token has expired', { cause: err });
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    throw new RucheError('AUTH_INVALID', `The access token's "${err.claim}" claim is not valid`, { cause: err });
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) {
    throw new RucheError('AUTH_INVALID', 'The access token signature is not valid', { cause: err });
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) {
    throw new RucheError('AUTH_INVALID', 'The access token algorithm is not allowed', { cause: err });
  }
  if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JOSEError) {
    throw new RucheError('AUTH_INVALID', 'The access token cannot be verified', { cause: err });
  }
  throw new RucheError('AUTH_INVALID', 'The access token cannot be verified', { cause: err });
}

/**
 * Verifies Entra ID access tokens for the API: RS256 signature against the tenant's keys,
 * audience (client id or App ID URI), issuer of the token's own tenant (v1 or v2 form),
 * an allow-list of tenants, the required delegated scope, and expiry with clock skew.
 */
export function entraTokenVerifier(options: EntraVerifierOptions): TokenVerifier {
  const keys =
    options.keys ?? createRemoteJWKSet(new URL(`${options.authorityHost}/common/discovery/v2.0/keys`), { cooldownDuration: 60_000 });
  const allowed = new Set(options.allowedTenants.map((t) => t.toLowerCase()));
  return {
    async verify(token) {
      rejectMalformed(token);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: ['RS256'],
          audience: options.audiences,
          clockTolerance: options.clockToleranceSeconds ?? 300,
          requiredClaims: ['exp', 'iss', 'aud', 'tid', 'oid'],
        }));
      } catch (err) {
        mapJoseError(err);
      }
      const tenantId = str(payload, 'tid')!.toLowerCase();
      const issuers = [`${options.authorityHost}/${tenantId}/v2.0`, `https://sts.windows.net/${tenantId}/`];
      if (!issuers.includes(str(payload, 'iss') ?? '')) {
        throw new RucheError('AUTH_INVALID', "The access token's issuer does not match its tenant");
      }
      if (!allowed.has(tenantId)) {
        throw new RucheError('AUTH_TENANT_NOT_ALLOWED', 'This organisation is not allowed to use this Ruche installation');
      }
      const scopes = (str(payload, 'scp') ?? '').split(' ').filter(Boolean);
      if (!scopes.includes(options.requiredScope)) {
        throw new RucheError('AUTH_SCOPE_MISSING', `The access token lacks the "${options.requiredScope}" scope`);
      }
      const upn = str(payload, 'preferred_username') ?? str(payload, 'upn');
      const name = str(payload, 'name');
      return {
        tenantId,
        subjectId: str(payload, 'oid')!.toLowerCase(),
        kind: 'entra',
        ...(upn ? { upn } : {}),
        ...(name ? { name } : {}),
        scopes,
        expiresAt: Number(payload.exp) * 1000,
      };
    },
  };
}

export { rejectMalformed, mapJoseError };
