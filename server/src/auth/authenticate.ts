import type { FastifyRequest } from 'fastify';
import { type Db, type Person, type Viewer, RucheError, findOrCreatePersonFromClaims, getPerson } from '@ruche/core';
import type { TokenVerifier } from './tokens.js';

/** Who is calling: their tenant and the person Ruche knows them as. */
export interface Principal {
  tenantId: string;
  personId: string;
  person: Person;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header) throw new RucheError('AUTH_MISSING', 'Send an access token in the Authorization header (Bearer)');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new RucheError('AUTH_INVALID', 'The Authorization header must be "Bearer <token>"');
  return match[1];
}

/** Validates the bearer token and resolves the person; sets request.principal. */
export function authenticator(db: Db, verifier: TokenVerifier) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const identity = await verifier.verify(bearerToken(request));
    const person =
      identity.kind === 'dev'
        ? await getPerson(db, identity.tenantId, identity.subjectId)
        : await findOrCreatePersonFromClaims(db, {
            tenantId: identity.tenantId,
            objectId: identity.subjectId,
            ...(identity.upn ? { upn: identity.upn } : {}),
            ...(identity.name ? { name: identity.name } : {}),
          });
    if (!person) throw new RucheError('AUTH_INVALID', 'The person named by this token no longer exists');
    if (person.isFormerEmployee) throw new RucheError('FORMER_EMPLOYEE');
    request.principal = { tenantId: person.tenantId, personId: person.id, person };
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new RucheError('AUTH_MISSING');
  return request.principal;
}

/** The caller as the policy module sees them. */
export function viewerOf(request: FastifyRequest): Viewer {
  const { tenantId, personId, person } = principalOf(request);
  return { tenantId, personId, roles: person.roles };
}
