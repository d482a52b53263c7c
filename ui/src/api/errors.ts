import type { components } from './schema.js';

type Problem = components['schemas']['Problem'];

/** An API answer that is not 2xx: carries the problem+json the server sent (RFC 9457). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Partial<Problem>;
  constructor(status: number, problem: Partial<Problem>) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

