import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '@ruche/core';
import { problemFor, problemSchema, sendProblem } from '../http/problem.js';

export interface HealthState {
  closing: boolean;
}

export function healthRoutes(app: FastifyInstance, db: Db, state: HealthState): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process answers',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' as const }),
  );
  r.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: the database answers and the process is not shutting down',
        response: { 200: z.object({ status: z.literal('ready'), database: z.string() }), 503: problemSchema },
      },
      logLevel: 'warn',
    },
    async (request, reply) => {
      if (state.closing) return sendProblem(reply, problemFor('NOT_READY', request, 'Shutting down'));
      if (!(await db.ping())) return sendProblem(reply, problemFor('NOT_READY', request, 'The database does not answer'));
      return { status: 'ready' as const, database: db.kind };
    },
  );
}
