import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { type ErrorCode, type ErrorKind, errorCatalogue, isRucheError, RucheError } from '@ruche/core';
import { z } from 'zod';

/** RFC 9457 problem details, the body of every error the API returns. */
export const problemSchema = z
  .object({
    type: z.string().describe('A stable URI naming the kind of problem, e.g. urn:ruche:problem:validation-failed'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().describe('The error code from the catalogue, e.g. VALIDATION_FAILED'),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Each invalid field, for validation problems'),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

const statusByKind: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export function problemType(code: ErrorCode): string {
  return `urn:ruche:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

export function problemFor(
  code: ErrorCode,
  request: FastifyRequest,
  detail?: string,
  errors?: { path: string; message: string }[],
): Problem {
  const entry = errorCatalogue[code];
  return {
    type: problemType(code),
    title: entry.title,
    status: statusByKind[entry.kind],
    ...(detail ? { detail } : {}),
    instance: request.url.split('?')[0],
    code,
    requestId: String(request.id),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** Maps the errors Fastify raises itself to the catalogue. */
function fastifyErrorCode(err: FastifyError): ErrorCode | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'BODY_TOO_LARGE';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'UNSUPPORTED_MEDIA_TYPE' : 'MALFORMED_BODY';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'MALFORMED_BODY';
    default:
      break;
  }
  if (err instanceof SyntaxError) return 'MALFORMED_BODY';
  if (err.statusCode === 413) return 'BODY_TOO_LARGE';
  if (err.statusCode === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (err.statusCode === 429) return 'RATE_LIMITED';
  if (err.statusCode === 404) return 'ROUTE_NOT_FOUND';
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return 'MALFORMED_BODY';
  return undefined;
}

/** Every error leaves the API as problem+json; no stack trace ever reaches a client. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (isRucheError(err)) {
      const details = err.details?.issues as { variable?: string; path?: string; message: string }[] | undefined;
      const problem = problemFor(
        err.code,
        request,
        err.message,
        details?.map((d) => ({ path: d.path ?? d.variable ?? '', message: d.message })),
      );
      if (problem.status >= 500) request.log.error({ err }, 'request failed');
      return sendProblem(reply, problem);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((v) => ({
        path: `${err.validationContext ?? 'body'}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}`,
        message: v.message ?? 'invalid',
      }));
      return sendProblem(
        reply,
        problemFor('VALIDATION_FAILED', request, errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors),
      );
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
      return sendProblem(reply, problemFor('INTERNAL', request));
    }
    const code = fastifyErrorCode(err);
    if (code) {
      return sendProblem(reply, problemFor(code, request, code === 'MALFORMED_BODY' ? err.message : undefined));
    }
    request.log.error({ err }, 'unexpected error');
    return sendProblem(reply, problemFor('INTERNAL', request));
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemFor('ROUTE_NOT_FOUND', request, `No route for ${request.method} ${request.url.split('?')[0]}`)),
  );
}

export { RucheError };
