/**
 * The catalogue of Ruche's background jobs: one entry per queue, with the type of its data
 * and its queue settings. To add a job, add its data type to `JobTypes` and its settings to
 * `jobCatalogue` (the compiler refuses one without the other), then work it in
 * `registerRucheJobs` (ruche-jobs.ts).
 *
 * Rules for every job:
 * - Names are static (`module.action`); tenant ids and every other piece of tenant data go
 *   in `data`, never in the name. A singletonKey may hold ids (e.g. `tenantId:communityId`)
 *   but no personal data.
 * - Data is plain JSON.
 * - Handlers are idempotent: a job may run more than once (retry after a failure, expiry
 *   after a crash, a graceful stop that timed out).
 */
export interface JobTypes {
  /** Forgets Idempotency-Key records older than `olderThanHours` (all tenants). */
  'idempotency.purge': { olderThanHours: number };
  /** Asks newcomers to the audience of must-read announcements and sends the reminders due (all tenants). */
  'announcements.remind': Record<string, never>;
  /** Recomputes the expertise evidence per topic that the expert finder reads (all tenants). */
  'expertise.refresh': Record<string, never>;
  /** Asks managers to verify biographies whose verification expired (all tenants). */
  'people.verifications': Record<string, never>;
  /** Deletes uploads never attached to a post, older than `olderThanHours` (all tenants). */
  'files.purge': { olderThanHours: number };
  /** Sends a tenant's pending Teams activity-feed notifications; without tenantId, queues one per tenant with pending rows. */
  'teams.deliver': { tenantId?: string };
  /** Pushes a tenant's pending search-connector updates; without tenantId, queues one per tenant with pending rows. */
  'connector.push': { tenantId?: string };
  /** Runs the meetup round of the current period for every tenant with people opted in (idempotent per round). */
  'meetups.round': Record<string, never>;
  /** Sends community managers this week's digest of similar work in other departments (idempotent per week). */
  'similar.digest': Record<string, never>;
  /** Counts new posts' words and refreshes changed communities' word profiles for similar work (idempotent). */
  'similar.profiles': Record<string, never>;
  /** Sends a tenant's pending proactive bot messages; without tenantId, queues one per tenant with pending rows. */
  'bot.deliver': { tenantId?: string };
  /** Queues the weekly bot digest of `weekStart` (a Monday; default: last week) for every tenant (idempotent per person and week). */
  'bot.digest': { weekStart?: string };
  /** Fetches the news of the configured SharePoint sites (SHAREPOINT_NEWS_SITES) for the Graph tenant. */
  'news.fetch': Record<string, never>;
  /** One /groups/delta round for the groups linked to communities, then the community changes queued for them. */
  'groups.sync': Record<string, never>;
}

/** Queue settings; an enqueue may override the retry settings. */
export interface QueueDefinition {
  /**
   * `short` (the default): at most one job per singletonKey waiting to run; `stately`: also
   * at most one running per key (e.g. a sync that must never run twice at once for a tenant).
   */
  policy?: 'short' | 'stately';
  /** Retries after the first attempt (default 2). */
  retryLimit?: number;
  /** Seconds before a retry (at least 1; default 10). */
  retryDelay?: number;
  /** Exponential backoff with jitter: delay x 2^n (default true). */
  retryBackoff?: boolean;
  /** A running job not finished after this many seconds is failed (then retried); default 900. */
  expireInSeconds?: number;
}

export type JobCatalogue<J> = { readonly [N in keyof J]: QueueDefinition };

export const jobCatalogue = {
  'idempotency.purge': { policy: 'short', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 },
  'announcements.remind': { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 1800 },
  'expertise.refresh': { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 1800 },
  'people.verifications': { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 900 },
  'files.purge': { policy: 'short', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 900 },
  // Stately: one drain per tenant at a time (singletonKey = tenant), so the throttle is per tenant.
  'teams.deliver': { policy: 'stately', retryLimit: 10, retryDelay: 30, retryBackoff: true, expireInSeconds: 1800 },
  'connector.push': { policy: 'stately', retryLimit: 10, retryDelay: 30, retryBackoff: true, expireInSeconds: 1800 },
  'meetups.round': { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 1800 },
  'similar.digest': { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 },
  'similar.profiles': { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 },
  // Stately: one drain per tenant at a time (singletonKey = tenant), so the throttle is per tenant.
  'bot.deliver': { policy: 'stately', retryLimit: 10, retryDelay: 30, retryBackoff: true, expireInSeconds: 1800 },
  'bot.digest': { policy: 'stately', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 },
  'news.fetch': { policy: 'stately', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 900 },
  'groups.sync': { policy: 'stately', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 1800 },
} as const satisfies JobCatalogue<JobTypes>;
