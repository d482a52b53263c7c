/**
 * The error catalogue of core. Every error Ruche raises on purpose carries one of these
 * codes; the HTTP host maps the kind to a status and the code to a stable problem type.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export const errorCatalogue = {
  CONFIG_INVALID: { kind: 'internal', title: 'The configuration is invalid' },
  STORE_OPEN_FAILED: { kind: 'unavailable', title: 'The database cannot be opened' },
  STORE_BAD_CHANNEL: { kind: 'internal', title: 'Invalid notification channel' },
  MIGRATION_FAILED: { kind: 'internal', title: 'A database migration failed' },
  VALIDATION_FAILED: { kind: 'invalid', title: 'The request is not valid' },
  MALFORMED_BODY: { kind: 'invalid', title: 'The request body cannot be parsed' },
  BODY_TOO_LARGE: { kind: 'payload_too_large', title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { kind: 'unsupported_media_type', title: 'The content type is not supported' },
  ROUTE_NOT_FOUND: { kind: 'not_found', title: 'No such resource' },
  METHOD_NOT_ALLOWED: { kind: 'invalid', title: 'Method not allowed' },
  AUTH_MISSING: { kind: 'unauthorized', title: 'Authentication is required' },
  AUTH_INVALID: { kind: 'unauthorized', title: 'The access token is not valid' },
  AUTH_EXPIRED: { kind: 'unauthorized', title: 'The access token has expired' },
  AUTH_TENANT_NOT_ALLOWED: { kind: 'forbidden', title: 'This organisation is not allowed' },
  AUTH_SCOPE_MISSING: { kind: 'forbidden', title: 'The access token lacks the required scope' },
  DEV_AUTH_DISABLED: { kind: 'not_found', title: 'Local sign-in is not available' },
  PERSON_NOT_FOUND: { kind: 'not_found', title: 'No such person' },
  FORBIDDEN: { kind: 'forbidden', title: 'You are not allowed to do this' },
  NOT_FOUND: { kind: 'not_found', title: 'No such resource' },
  INVALID_CURSOR: { kind: 'invalid', title: 'The pagination cursor is not valid' },
  PRECONDITION_FAILED: { kind: 'precondition_failed', title: 'The resource changed since you read it' },
  FORMER_EMPLOYEE: { kind: 'forbidden', title: 'This account belongs to a former employee' },
  IDEMPOTENCY_KEY_REUSED: { kind: 'conflict', title: 'The idempotency key was used for another request' },
  IDEMPOTENCY_IN_PROGRESS: { kind: 'conflict', title: 'A request with this idempotency key is in progress' },
  RATE_LIMITED: { kind: 'rate_limited', title: 'Too many requests' },
  NOT_READY: { kind: 'unavailable', title: 'The service is not ready' },
  INTERNAL: { kind: 'internal', title: 'Internal error' },
  ATTACHMENT_TOO_LARGE: { kind: 'payload_too_large', title: 'The file is too large' },
  ATTACHMENT_TYPE_REFUSED: { kind: 'unsupported_media_type', title: 'This type of file is not accepted' },
  ATTACHMENT_LIMIT: { kind: 'invalid', title: 'Too many files on this post' },
  ATTACHMENT_ELSEWHERE: { kind: 'conflict', title: 'This file is attached to another post' },
  COMMUNITY_LAST_OWNER: { kind: 'conflict', title: 'A community needs at least one owner' },
  COMMUNITY_ORG_UNIT_MANAGED: { kind: 'conflict', title: 'Membership of an org-unit community follows the directory' },
  COMMUNITY_ALREADY_MEMBER: { kind: 'conflict', title: 'This person is already a member of the community' },
  COMMUNITY_BANNED: { kind: 'forbidden', title: 'This person is banned from the community' },
  COMMUNITY_NO_REQUEST: { kind: 'not_found', title: 'No pending request to join from this person' },
  COMMUNITY_NO_INVITATION: { kind: 'not_found', title: 'No pending invitation to this community' },
  COMMUNITY_NOT_MEMBER: { kind: 'not_found', title: 'This person is not a member of the community' },
  CONTENT_TOO_LONG: { kind: 'invalid', title: 'The text is too long' },
  CONTENT_INVALID: { kind: 'invalid', title: 'The content is not valid' },
  POST_KIND_MISMATCH: { kind: 'invalid', title: 'This action does not apply to this kind of post' },
  POLL_CLOSED: { kind: 'conflict', title: 'This poll is closed' },
  DIRECTORY_SYNC_RUNNING: { kind: 'conflict', title: 'A directory sync is already running' },
  DIRECTORY_SYNC_FAILED: { kind: 'unavailable', title: 'The directory sync failed' },
  GRAPH_NOT_CONFIGURED: { kind: 'unavailable', title: 'Microsoft Graph is not configured for this organisation' },
  CSV_INVALID: { kind: 'invalid', title: 'The CSV file cannot be imported' },
  GROUP_NOT_FOUND: { kind: 'not_found', title: 'No such Microsoft 365 group' },
  GROUP_ALREADY_LINKED: { kind: 'conflict', title: 'This group or community is already linked' },
  GROUP_LINK_NOT_FOUND: { kind: 'not_found', title: 'This community is not linked to a group' },
  PHOTO_NOT_FOUND: { kind: 'not_found', title: 'This person has no photo' },
  JOBS_UNKNOWN_QUEUE: { kind: 'internal', title: 'No such background job' },
  JOBS_NOT_STARTED: { kind: 'unavailable', title: 'The background job queue is not running' },
  ANNOUNCEMENT_NOT_IN_AUDIENCE: { kind: 'forbidden', title: 'This announcement is not addressed to you' },
  ANNOUNCEMENT_NOT_MUST_READ: { kind: 'conflict', title: 'This announcement does not ask for acknowledgement' },
  ANNOUNCEMENT_TARGET_INVALID: { kind: 'invalid', title: 'The announcement target is not valid' },
  CONTENT_BLOCKED: { kind: 'invalid', title: 'This text contains words that are not allowed here' },
  REPORT_ALREADY_OPEN: { kind: 'conflict', title: 'You already reported this item; moderators will look at it' },
  KEYWORD_RULE_INVALID: { kind: 'invalid', title: 'The keyword rule is not valid' },
  MODERATION_NOT_APPLICABLE: { kind: 'conflict', title: 'This moderation action does not apply to this item' },
  KUDOS_SELF: { kind: 'invalid', title: 'You cannot give kudos to yourself' },
  KUDOS_RECOGNITION_OFF: { kind: 'forbidden', title: 'Recognition is switched off for this person' },
  KUDOS_DAILY_CAP: { kind: 'rate_limited', title: 'You reached the number of kudos you may give today' },
  KUDOS_VALUE_UNKNOWN: { kind: 'invalid', title: 'No such company value' },
  ENDORSEMENT_SELF: { kind: 'forbidden', title: 'You cannot endorse your own skills' },
  BIOGRAPHY_EMPTY: { kind: 'conflict', title: 'There is no biography to verify' },
  TENANT_NOT_FOUND: { kind: 'not_found', title: 'No such organisation' },
  BACKUP_INVALID: { kind: 'invalid', title: 'The backup file cannot be read' },
  RESTORE_TARGET_NOT_EMPTY: { kind: 'conflict', title: 'A backup is restored only into an empty database' },
  RESTORE_NOT_PERMITTED: { kind: 'forbidden', title: 'The database role may not restore a backup' },
} as const satisfies Record<string, { kind: ErrorKind; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface RucheErrorOptions {
  cause?: unknown;
  /** Safe, user-facing details (never secrets): e.g. the invalid fields. */
  details?: Record<string, unknown>;
}

export class RucheError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly title: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options: RucheErrorOptions = {}) {
    super(message ?? errorCatalogue[code].title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RucheError';
    this.code = code;
    this.kind = errorCatalogue[code].kind;
    this.title = errorCatalogue[code].title;
    this.details = options.details;
  }
}

export function isRucheError(err: unknown): err is RucheError {
  return err instanceof RucheError;
}
