import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type Db,
  RucheError,
  claimIdempotencyKey,
  completeIdempotencyKey,
  releaseIdempotencyKey,
} from '@ruche/core';

const keyPattern = /^[A-Za-z0-9._:-]{8,200}$/;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** POST routes that create something honour the Idempotency-Key header. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    idempotency?: { tenantId: string; personId: string; key: string };
  }
}

/**
 * Honours `Idempotency-Key` on routes marked `config: { idempotent: true }`: a retried
 * request returns the first response instead of creating a second thing. Register inside
 * the authenticated scope (keys belong to a person).
 */
export function registerIdempotency(api: FastifyInstance, db: Db): void {
  api.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.routeOptions.config.idempotent) return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !keyPattern.test(key)) {
      throw new RucheError('VALIDATION_FAILED', 'Idempotency-Key must be 8 to 200 characters: letters, digits, . _ : -');
    }
    const principal = request.principal;
    if (!principal) return;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const scope = { tenantId: principal.tenantId, personId: principal.personId, key };
    const claim = await claimIdempotencyKey(db, { ...scope, requestHash });
    if (claim.state === 'replay') {
      reply.header('idempotent-replayed', 'true');
      return reply.code(claim.status).send(claim.response);
    }
    request.idempotency = scope;
  });

  api.addHook('onSend', async (request, reply, payload) => {
    const scope = request.idempotency;
    if (!scope) return payload;
    request.idempotency = undefined;
    if (reply.statusCode >= 200 && reply.statusCode < 300) {
      const body = typeof payload === 'string' ? (JSON.parse(payload) as unknown) : null;
      await completeIdempotencyKey(db, scope, reply.statusCode, body);
    } else {
      await releaseIdempotencyKey(db, scope);
    }
    return payload;
  });
}
