/**
 * The catalogue of errors raised by Ruche's Microsoft Graph layer.
 * Codes are stable: callers, logs and support notes may depend on them.
 */
export const GraphErrorCodes = {
  /** A GET on a collection was made without $select. */
  SelectRequired: 'RUCHE-GRAPH-001',
  /** Graph kept answering 429/503/504 until the retry budget was spent. */
  RetriesExhausted: 'RUCHE-GRAPH-002',
  /** No answer within the request timeout, on every attempt. */
  Timeout: 'RUCHE-GRAPH-003',
  /** Graph answered with an error status that is not retried. */
  HttpError: 'RUCHE-GRAPH-004',
  /** The resource does not exist (404). */
  NotFound: 'RUCHE-GRAPH-005',
  /** A token could not be acquired. */
  TokenAcquisition: 'RUCHE-GRAPH-006',
  /** A link returned by Graph (nextLink/deltaLink) points to a host the client does not trust. */
  UntrustedLink: 'RUCHE-GRAPH-007',
  /** A delta round ended without @odata.deltaLink. */
  DeltaLinkMissing: 'RUCHE-GRAPH-008',
  /** The delta token is no longer valid (410 / syncStateNotFound): restart with a full sync. */
  DeltaTokenExpired: 'RUCHE-GRAPH-009',
  /** The client was given invalid options or arguments. */
  InvalidArgument: 'RUCHE-GRAPH-010',
  /** The network failed on every attempt (connection refused, reset...). */
  Network: 'RUCHE-GRAPH-011',
  /** A response could not be understood (not JSON where JSON was expected, bad $batch answer). */
  BadResponse: 'RUCHE-GRAPH-012',
} as const;

export type GraphErrorCode = (typeof GraphErrorCodes)[keyof typeof GraphErrorCodes];

const defaultMessages: Record<GraphErrorCode, string> = {
  'RUCHE-GRAPH-001': 'Collection requests must pass $select',
  'RUCHE-GRAPH-002': 'Microsoft Graph is throttling or unavailable; retries exhausted',
  'RUCHE-GRAPH-003': 'Microsoft Graph did not answer in time',
  'RUCHE-GRAPH-004': 'Microsoft Graph answered with an error',
  'RUCHE-GRAPH-005': 'Microsoft Graph resource not found',
  'RUCHE-GRAPH-006': 'Could not acquire a token for Microsoft Graph',
  'RUCHE-GRAPH-007': 'Refusing to follow a link to an untrusted host',
  'RUCHE-GRAPH-008': 'Delta round ended without a deltaLink',
  'RUCHE-GRAPH-009': 'Delta token expired; a full resynchronisation is needed',
  'RUCHE-GRAPH-010': 'Invalid argument for the Graph client',
  'RUCHE-GRAPH-011': 'Network error while calling Microsoft Graph',
  'RUCHE-GRAPH-012': 'Unexpected response from Microsoft Graph',
};

export interface GraphErrorDetails {
  /** HTTP status of the last answer, when there was one. */
  status?: number;
  /** Graph's own error code (error.code in the OData error body). */
  graphCode?: string;
  /** HTTP method and path (query string removed) of the failing request. */
  method?: string;
  path?: string;
  /** Number of attempts made (1 = no retry). */
  attempts?: number;
  /** Graph's request-id header of the last answer, for support. */
  requestId?: string;
  cause?: unknown;
}

export class RucheGraphError extends Error {
  override readonly name = 'RucheGraphError';
  readonly code: GraphErrorCode;
  readonly status?: number;
  readonly graphCode?: string;
  readonly method?: string;
  readonly path?: string;
  readonly attempts?: number;
  readonly requestId?: string;

  constructor(code: GraphErrorCode, message?: string, details: GraphErrorDetails = {}) {
    super(`${code}: ${message ?? defaultMessages[code]}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.graphCode = details.graphCode;
    this.method = details.method;
    this.path = details.path;
    this.attempts = details.attempts;
    this.requestId = details.requestId;
  }
}

export function isRucheGraphError(error: unknown, code?: GraphErrorCode): error is RucheGraphError {
  return error instanceof RucheGraphError && (code === undefined || error.code === code);
}
