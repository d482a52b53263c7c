/**
 * Per-person rate limits: a token bucket per person and action stored in PostgreSQL, so
 * that the limit holds across server instances. One statement takes a token atomically;
 * when the bucket is empty nothing is written and RATE_LIMITED carries the seconds to wait.
 * Limits come from the tenant's settings (`rateLimits.<action>.burst` and `.perHour`) or
 * the defaults below.
 */
import type { Db, Queryable } from '../store/db.js';
import { type Viewer, canOnTenant } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { recordAudit } from '../communities/audit.js';

export type RateAction = 'post' | 'comment' | 'reaction' | 'report' | 'kudos';
export const rateActions: readonly RateAction[] = ['post', 'comment', 'reaction', 'report', 'kudos'];

export interface RateLimit {
  /** Requests allowed at once (the bucket's capacity). */
  burst: number;
  /** Sustained rate: tokens added per hour. */
  perHour: number;
}

export const defaultRateLimits: Readonly<Record<RateAction, RateLimit>> = {
  post: { burst: 10, perHour: 60 },
  comment: { burst: 30, perHour: 300 },
  reaction: { burst: 60, perHour: 1200 },
  report: { burst: 10, perHour: 30 },
  kudos: { burst: 10, perHour: 30 },
};

const LIMIT_MAX = 1_000_000;

/**
 * Whether the built-in defaults apply to tenants that set no limit of their own. They do,
 * except under test runners (NODE_ENV=test) or with RUCHE_RATE_LIMIT_DEFAULTS=off, so that
 * suites creating content in bursts are not throttled; limits a tenant sets always apply.
 */
export function rateLimitDefaultsActive(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.RUCHE_RATE_LIMIT_DEFAULTS !== 'off' && (env.NODE_ENV !== 'test' || env.RUCHE_RATE_LIMIT_DEFAULTS === 'on');
}

/** Takes one token for `action`; throws RATE_LIMITED (details.retryAfterSeconds) when none is left. */
export async function consumeRateLimit(q: Queryable, viewer: Viewer, action: RateAction): Promise<void> {
  const d = defaultRateLimits[action];
  if (!rateLimitDefaultsActive()) {
    const own = await q.query<{ set: boolean }>("select (settings #> array['rateLimits', $2::text]) is not null as set from tenants where id = $1", [
      viewer.tenantId,
      action,
    ]);
    if (!own.rows[0]?.set) return;
  }
  const taken = await q.query<{ tokens: number }>(
    `with cfg as (
       select greatest(1, coalesce((t.settings #>> array['rateLimits', $3::text, 'burst'])::float8, $4::float8)) as cap,
              greatest(0.001, coalesce((t.settings #>> array['rateLimits', $3::text, 'perHour'])::float8, $5::float8)) / 3600.0 as rate
       from tenants t where t.id = $1)
     insert into rate_limit_buckets as b (tenant_id, person_id, action, tokens, capacity, per_second, updated_at)
     select $1, $2, $3, cfg.cap - 1, cfg.cap, cfg.rate, now() from cfg
     on conflict (tenant_id, person_id, action) do update set
       tokens = least(excluded.capacity, b.tokens + greatest(0, extract(epoch from (now() - b.updated_at))) * excluded.per_second) - 1,
       capacity = excluded.capacity, per_second = excluded.per_second, updated_at = greatest(now(), b.updated_at)
     where least(excluded.capacity, b.tokens + greatest(0, extract(epoch from (now() - b.updated_at))) * excluded.per_second) >= 1
     returning tokens`,
    [viewer.tenantId, viewer.personId, action, d.burst, d.perHour],
  );
  if (taken.rows.length > 0) return;
  const b = await q.query<{ available: number; per_second: number }>(
    `select least(capacity, tokens + greatest(0, extract(epoch from (now() - updated_at))) * per_second)::float8 as available, per_second
     from rate_limit_buckets where tenant_id = $1 and person_id = $2 and action = $3`,
    [viewer.tenantId, viewer.personId, action],
  );
  const row = b.rows[0];
  const retryAfterSeconds = row ? Math.max(1, Math.ceil((1 - Number(row.available)) / Number(row.per_second))) : 1;
  throw new RucheError('RATE_LIMITED', `Too many ${action === 'reaction' ? 'reactions' : `${action}s`} in a short time; try again in ${retryAfterSeconds} s`, {
    details: { action, retryAfterSeconds },
  });
}

/** The limits in force in the viewer's tenant (tenant admins). */
export async function getRateLimits(q: Queryable, viewer: Viewer): Promise<Record<RateAction, RateLimit>> {
  if (!canOnTenant(viewer, 'manage_rate_limits', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Only tenant administrators manage rate limits');
  return limitsOf(q, viewer.tenantId);
}

async function limitsOf(q: Queryable, tenantId: string): Promise<Record<RateAction, RateLimit>> {
  const r = await q.query<{ limits: Partial<Record<RateAction, Partial<RateLimit>>> | null }>(
    "select settings->'rateLimits' as limits from tenants where id = $1",
    [tenantId],
  );
  const saved = r.rows[0]?.limits ?? {};
  return Object.fromEntries(rateActions.map((a) => [a, { ...defaultRateLimits[a], ...(saved[a] ?? {}) }])) as Record<RateAction, RateLimit>;
}

/** Changes some limits of the viewer's tenant (tenant admins); audited. */
export async function setRateLimits(db: Db, viewer: Viewer, changes: Partial<Record<RateAction, Partial<RateLimit>>>): Promise<Record<RateAction, RateLimit>> {
  if (!canOnTenant(viewer, 'manage_rate_limits', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Only tenant administrators manage rate limits');
  for (const [action, limit] of Object.entries(changes)) {
    if (!rateActions.includes(action as RateAction)) throw new RucheError('VALIDATION_FAILED', `Unknown action ${action}`);
    for (const [k, v] of Object.entries(limit ?? {})) {
      if ((k !== 'burst' && k !== 'perHour') || typeof v !== 'number' || !Number.isFinite(v) || v < 1 || v > LIMIT_MAX) {
        throw new RucheError('VALIDATION_FAILED', `${action}.${k} must be a number between 1 and ${LIMIT_MAX}`);
      }
    }
  }
  return db.transaction(async (tx) => {
    const current = await limitsOf(tx, viewer.tenantId);
    const next = Object.fromEntries(rateActions.map((a) => [a, { ...current[a], ...(changes[a] ?? {}) }]));
    await tx.query("update tenants set settings = jsonb_set(settings, '{rateLimits}', $2::jsonb, true) where id = $1", [viewer.tenantId, JSON.stringify(next)]);
    await recordAudit(tx, { tenantId: viewer.tenantId, actorId: viewer.personId, action: 'rate_limits.set', targetType: 'tenant', targetId: viewer.tenantId, data: { changes } });
    return next as Record<RateAction, RateLimit>;
  });
}
