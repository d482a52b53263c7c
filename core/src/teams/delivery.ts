/**
 * Teams activity-feed delivery: drains a tenant's `teams_outbox` (filled by a trigger on
 * notifications, see migration 013) in id order, throttled, through Graph
 * sendActivityNotification.
 *
 * Delivery guarantee. Graph's sendActivityNotification has no idempotency key, so no sender
 * can make the HTTP call and its record atomic. The drain does this instead:
 *  1. claim: a batch of pending rows gets a lease (owner = this run, until = now + lease),
 *     in one UPDATE ... FOR UPDATE SKIP LOCKED, so two drains never hold the same row;
 *  2. send each row, with `chainId` = the row id (stable across attempts);
 *  3. record it sent at once (UPDATE ... where lease_owner = this run), before the next send.
 * A crash between 2 and 3 leaves at most the rows in flight (one per drain) sent but not
 * recorded; their lease expires and the next drain sends them again with the same chainId.
 * Teams replaces an activity that has the chainId of a previous one, so the person sees
 * one notification: at-least-once on the wire, deduplicated by chainId, exactly once in the
 * feed. Rows never claimed stay pending and are sent in order by the next drain: nobody is
 * skipped.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { ActivityNotification, GraphClient } from '../graph/index.js';
import { GraphErrorCodes, isRucheGraphError, sendActivityNotification } from '../graph/index.js';
import { personMayRead } from '../notifications/notify.js';
import { Throttle, realClock, type ThrottleRate, type ThrottleClock } from './throttle.js';

/** Notification kinds delivered to Teams, and their activity type in the app manifest. */
export const teamsActivityTypes = {
  mention: 'mention',
  kudos_received: 'kudosReceived',
  acknowledgement_requested: 'acknowledgementRequested',
  acknowledgement_reminder: 'acknowledgementRequested',
  meetup_matched: 'meetupMatched',
} as const satisfies Record<string, string>;

/**
 * Default limits, below Graph's: 2 activities per second per recipient (burst 2), and 20
 * per second for the whole tenant (burst 20). The Graph client still honours any 429 and
 * Retry-After it meets on top of these.
 */
export const defaultTeamsLimits: { tenant: ThrottleRate; perUser: ThrottleRate } = {
  tenant: { perSecond: 20, burst: 20 },
  perUser: { perSecond: 2, burst: 2 },
};

export interface TeamsDeliveryOptions {
  /** App-only Graph client of this tenant. */
  graph: GraphClient;
  /** Ruche's public URL, for links back when no Teams app id is known. */
  publicUrl: string;
  limits?: { tenant?: ThrottleRate; perUser?: ThrottleRate };
  /** Rows claimed at once (default 50). */
  batchSize?: number;
  /** Seconds a claim holds its rows (default 120); renewed while the batch is being sent. */
  leaseSeconds?: number;
  /** Attempts before a row is given up as failed (default 8). */
  maxAttempts?: number;
  /** Stop after this many sends (default: until the outbox is empty). */
  maxSends?: number;
  clock?: ThrottleClock;
  /** Test hook, called after each successful send and before it is recorded (a throw here is a crash). */
  afterSend?: (row: { id: string; personId: string }) => void | Promise<void>;
}

export interface TeamsDeliveryReport {
  sent: number;
  failed: number;
  skipped: number;
  /** Milliseconds waited on the throttle. */
  throttledMs: number;
}

interface OutboxRow {
  id: string;
  notification_id: string;
  person_id: string;
  entra_oid: string;
  kind: string;
  attempts: number;
}

/** Turns Teams delivery on for a tenant (Graph configured for it). */
export async function enableTeamsDelivery(db: Db, tenantId: string, options: { teamsAppId?: string } = {}): Promise<void> {
  await db.query(
    `insert into teams_delivery_tenants (tenant_id, teams_app_id) values ($1, $2)
     on conflict (tenant_id) do update set teams_app_id = excluded.teams_app_id`,
    [tenantId, options.teamsAppId ?? null],
  );
}

/** Turns it off: no more outbox rows; pending ones are dropped. */
export async function disableTeamsDelivery(db: Db, tenantId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('delete from teams_delivery_tenants where tenant_id = $1', [tenantId]);
    await tx.query(`update teams_outbox set state = 'skipped', last_error = 'delivery turned off' where tenant_id = $1 and state = 'pending'`, [tenantId]);
  });
}

/** Tenants with rows waiting (for the periodic sweep). */
export async function tenantsWithPendingTeamsDeliveries(db: Db): Promise<string[]> {
  const r = await db.query<{ tenant_id: string }>(
    `select t.tenant_id from teams_delivery_tenants t
      where exists (select 1 from teams_outbox o where o.tenant_id = t.tenant_id and o.state = 'pending')`,
  );
  return r.rows.map((x) => x.tenant_id);
}

/** A person's Teams switch: per kind, or '*' for every kind (on by default). */
export async function setTeamsNotifications(db: Db, tenantId: string, personId: string, enabled: boolean, kind: keyof typeof teamsActivityTypes | '*' = '*'): Promise<void> {
  await db.query(
    `insert into notification_settings (tenant_id, person_id, kind, channel, enabled) values ($1, $2, $3, 'teams', $4)
     on conflict (tenant_id, person_id, kind, channel) do update set enabled = excluded.enabled, updated_at = now()`,
    [tenantId, personId, kind, enabled],
  );
}

async function claim(db: Db, tenantId: string, owner: string, now: number, leaseSeconds: number, limit: number): Promise<OutboxRow[]> {
  const r = await db.query<OutboxRow>(
    `update teams_outbox o set lease_owner = $2, lease_until = $3::timestamptz + make_interval(secs => $4), attempts = o.attempts + 1
      where o.tenant_id = $1 and o.id in (
        select id from teams_outbox
         where tenant_id = $1 and state = 'pending' and (lease_until is null or lease_until < $3::timestamptz)
         order by id limit $5
         for update skip locked)
      returning o.id::text as id, o.notification_id, o.person_id, o.entra_oid, o.kind, o.attempts`,
    [tenantId, owner, new Date(now), leaseSeconds, limit],
  );
  return r.rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

async function finish(db: Db, tenantId: string, row: OutboxRow, owner: string, state: 'sent' | 'failed' | 'skipped', error?: string): Promise<void> {
  await db.query(
    `update teams_outbox set state = $4, sent_at = case when $4 = 'sent' then now() else sent_at end,
            last_error = $5, lease_owner = null, lease_until = null
      where tenant_id = $1 and id = $2::bigint and lease_owner = $3`,
    [tenantId, row.id, owner, state, error ?? null],
  );
}

interface Rendered {
  activity: ActivityNotification;
  /** The item the notification is about, checked through the policy before sending. */
  item?: { type: 'post' | 'comment'; id: string };
}

async function displayName(db: Db, tenantId: string, personId: unknown): Promise<string | undefined> {
  if (typeof personId !== 'string') return undefined;
  const r = await db.query<{ display_name: string }>('select display_name from people where tenant_id = $1 and id = $2', [tenantId, personId]);
  return r.rows[0]?.display_name;
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** Builds the activity of an outbox row from its notification, or undefined when there is nothing to say any more. */
async function render(db: Db, tenantId: string, row: OutboxRow, links: { publicUrl: string; teamsAppId: string | null }): Promise<Rendered | undefined> {
  const n = (
    await db.query<{ kind: string; data: Record<string, unknown>; actor_ids: string[] }>(
      'select kind, data, actor_ids from notifications where tenant_id = $1 and id = $2',
      [tenantId, row.notification_id],
    )
  ).rows[0];
  const activityType = teamsActivityTypes[row.kind as keyof typeof teamsActivityTypes];
  if (!n || !activityType) return undefined;
  const data = n.data ?? {};
  const actor = (await displayName(db, tenantId, n.actor_ids?.[0])) ?? 'Ruche';
  const postId = typeof data.postId === 'string' ? data.postId : undefined;
  const commentId = typeof data.commentId === 'string' ? data.commentId : undefined;
  const post = postId
    ? (
        await db.query<{ title: string; body: string; community: string | null }>(
          `select p.title, p.body, c.name as community from posts p left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
            where p.tenant_id = $1 and p.id = $2 and p.deleted_at is null`,
          [tenantId, postId],
        )
      ).rows[0]
    : undefined;
  if (postId && !post) return undefined;
  const subEntity = postId ? `post:${postId}` : row.kind === 'kudos_received' ? 'kudos' : row.kind === 'meetup_matched' ? 'meetups' : 'home';
  const tab = row.kind === 'kudos_received' ? 'kudos' : 'home';
  const webUrl = links.teamsAppId
    ? `https://teams.microsoft.com/l/entity/${encodeURIComponent(links.teamsAppId)}/${tab}?context=${encodeURIComponent(JSON.stringify({ subEntityId: subEntity }))}`
    : `${links.publicUrl}/tabs/${tab}${postId ? `?post=${encodeURIComponent(postId)}` : ''}`;
  const title = post ? clip(post.title || post.body, 80) || 'Ruche' : 'Ruche';
  const base = {
    topic: { source: 'text' as const, value: title, webUrl },
    activityType,
    chainId: Number(row.id),
    ...(links.teamsAppId ? { teamsAppId: links.teamsAppId } : {}),
  };
  const item = commentId ? { type: 'comment' as const, id: commentId } : postId ? { type: 'post' as const, id: postId } : undefined;
  switch (activityType) {
    case 'mention': {
      const community = post?.community ?? 'Ruche';
      return {
        item,
        activity: { ...base, previewText: { content: `${actor} mentioned you in ${community}` }, templateParameters: [{ name: 'author', value: actor }, { name: 'community', value: community }] },
      };
    }
    case 'acknowledgementRequested':
      return {
        item,
        activity: {
          ...base,
          previewText: { content: `${actor} asks you to read and acknowledge: ${title}` },
          templateParameters: [{ name: 'author', value: actor }, { name: 'announcement', value: title }],
        },
      };
    case 'kudosReceived': {
      let reason = typeof data.message === 'string' ? data.message : typeof data.reason === 'string' ? data.reason : '';
      let giver = actor;
      if (typeof data.kudosId === 'string') {
        const k = (
          await db.query<{ message: string; giver: string }>(
            `select k.message, g.display_name as giver from kudos k join people g on g.tenant_id = k.tenant_id and g.id = k.giver_id
              where k.tenant_id = $1 and k.id = $2 and k.deleted_at is null`,
            [tenantId, data.kudosId],
          )
        ).rows[0];
        if (!k) return undefined;
        reason = k.message;
        giver = k.giver;
      }
      reason = clip(reason, 120);
      return {
        activity: {
          ...base,
          topic: { ...base.topic, value: 'Kudos' },
          previewText: { content: `${giver} gave you kudos${reason ? `: ${reason}` : ''}` },
          templateParameters: [{ name: 'giver', value: giver }, { name: 'reason', value: reason }],
        },
      };
    }
    case 'meetupMatched': {
      const colleague = (await displayName(db, tenantId, data.colleagueId ?? data.matchedPersonId ?? data.partnerId)) ?? (typeof data.colleagueName === 'string' ? data.colleagueName : 'a colleague');
      return {
        activity: {
          ...base,
          topic: { ...base.topic, value: 'Meetup' },
          previewText: { content: `You were matched with ${colleague} for a meetup` },
          templateParameters: [{ name: 'colleague', value: colleague }],
        },
      };
    }
  }
}

function isPermanent(error: unknown): boolean {
  // 4xx other than throttling: the user has no Teams licence, the app is not installed for
  // them, the user is gone... Sending again would fail the same way.
  if (!isRucheGraphError(error)) return false;
  if (error.code === GraphErrorCodes.NotFound) return true;
  const status = error.status;
  return error.code === GraphErrorCodes.HttpError && typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Drains the tenant's outbox: sends every pending row in order, throttled, and records each
 * one right after its send. Throws when Graph keeps failing (the job retries later; rows
 * not recorded are taken over when their lease expires).
 */
export async function deliverTeamsNotifications(db: Db, tenantId: string, options: TeamsDeliveryOptions): Promise<TeamsDeliveryReport> {
  const clock = options.clock ?? realClock;
  const leaseSeconds = options.leaseSeconds ?? 120;
  const batchSize = options.batchSize ?? 50;
  const maxAttempts = options.maxAttempts ?? 8;
  const throttle = new Throttle(options.limits?.tenant ?? defaultTeamsLimits.tenant, options.limits?.perUser ?? defaultTeamsLimits.perUser, clock);
  const tenant = (await db.query<{ teams_app_id: string | null }>('select teams_app_id from teams_delivery_tenants where tenant_id = $1', [tenantId])).rows[0];
  const report: TeamsDeliveryReport = { sent: 0, failed: 0, skipped: 0, throttledMs: 0 };
  if (!tenant) return report;
  const links = { publicUrl: options.publicUrl.replace(/\/+$/, ''), teamsAppId: tenant.teams_app_id };
  const owner = randomUUID();
  for (;;) {
    let claimedAt = clock.now();
    const rows = await claim(db, tenantId, owner, claimedAt, leaseSeconds, batchSize);
    if (rows.length === 0) break;
    for (const [index, row] of rows.entries()) {
      if (options.maxSends !== undefined && report.sent >= options.maxSends) {
        await db.query('update teams_outbox set lease_owner = null, lease_until = null where tenant_id = $1 and lease_owner = $2', [tenantId, owner]);
        report.throttledMs = throttle.waitedMs;
        return report;
      }
      const rendered = await render(db, tenantId, row, links);
      if (!rendered || (rendered.item && !(await personMayRead(db, tenantId, row.person_id, rendered.item)))) {
        await finish(db, tenantId, row, owner, 'skipped', rendered ? 'no longer readable' : 'nothing to notify');
        report.skipped++;
        continue;
      }
      await throttle.acquire(row.person_id);
      if ((clock.now() - claimedAt) / 1000 > leaseSeconds / 2) {
        // A long wait on the throttle: renew the lease of the rows still to send.
        claimedAt = clock.now();
        await db.query(
          `update teams_outbox set lease_until = $3::timestamptz + make_interval(secs => $4)
            where tenant_id = $1 and lease_owner = $2 and state = 'pending' and id = any($5::bigint[])`,
          [tenantId, owner, new Date(claimedAt), leaseSeconds, rows.slice(index).map((r) => r.id)],
        );
      }
      try {
        await sendActivityNotification(options.graph, row.entra_oid, rendered.activity);
      } catch (error) {
        if (isPermanent(error) || row.attempts >= maxAttempts) {
          await finish(db, tenantId, row, owner, 'failed', error instanceof Error ? error.message.slice(0, 500) : String(error));
          report.failed++;
          continue;
        }
        // Transient (Graph's retries exhausted): leave this row and the rest to a later run,
        // in order; the leases expire and the next drain takes them over.
        await db.query(`update teams_outbox set last_error = $3 where tenant_id = $1 and id = $2::bigint`, [
          tenantId,
          row.id,
          error instanceof Error ? error.message.slice(0, 500) : String(error),
        ]);
        throw error;
      }
      await options.afterSend?.({ id: row.id, personId: row.person_id });
      await finish(db, tenantId, row, owner, 'sent');
      report.sent++;
    }
  }
  report.throttledMs = throttle.waitedMs;
  return report;
}
