/**
 * Proactive messages of the Teams bot: drains a tenant's `bot_outbox` (notification rows
 * from a trigger on notifications, weekly digests from the digest job; migration 015) in id
 * order, throttled, into each person's personal conversation with the bot.
 *
 * Same delivery design as the Teams activity feed (teams/delivery.ts):
 *  1. claim: a batch of pending rows gets a lease (owner = this run) in one
 *     UPDATE ... FOR UPDATE SKIP LOCKED, so two drains never hold the same row;
 *  2. send each row through the ProactiveSender, the row's stable key in the activity
 *     (channelData.ruche.outboxId);
 *  3. record it sent at once, before its worker takes the next row.
 * A crash between 2 and 3 leaves at most the rows in flight (`concurrency` of them) sent
 * but not recorded; their lease expires and the next drain sends them again with the same
 * key. Rows never claimed stay pending and go in order with the next drain: nobody
 * is skipped. A graceful stop (`signal`) sends nothing more, records what is in flight and
 * hands the rest of the batch back at once.
 *
 * The Bot Connector's 429 pauses the whole drain for its Retry-After; 403/404 (the app was
 * uninstalled, the conversation is gone) removes the conversation reference and marks the
 * row failed; 5xx and network errors are retried a few times, then the drain stops and the
 * job retries later.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { getPost } from '../posts/posts.js';
import { getComment } from '../posts/comments.js';
import { getKudos } from '../recognition/kudos.js';
import { getAnnouncement } from '../announcements/announcements.js';
import type { PostView } from '../posts/model.js';
import type { KudosView } from '../recognition/kudos.js';
import type { AnnouncementView } from '../announcements/model.js';
import { Throttle, realClock, type ThrottleClock, type ThrottleRate } from '../teams/throttle.js';
import { conversationColumns, removeConversationReference, toConversationReference, type ConversationReference } from './conversations.js';

/** Notification kinds that become proactive messages (the trigger of migration 015 lists the same). */
export const proactiveNotificationKinds = ['mention', 'kudos_received', 'acknowledgement_reminder', 'meetup_matched'] as const;
export type ProactiveKind = (typeof proactiveNotificationKinds)[number] | 'digest';

/** The language of a message: the person's preferred language when it is French, English otherwise. */
export type ProactiveLanguage = 'en' | 'fr';

/** An activity to post into a conversation (Bot Framework Activity, the fields Ruche sends). */
export interface ProactiveActivity {
  type: 'message';
  text?: string;
  textFormat?: 'markdown' | 'plain' | 'xml';
  summary?: string;
  locale?: string;
  attachments?: { contentType: string; content: unknown }[];
  channelData?: Record<string, unknown>;
}

export type ProactiveSendResult =
  | { ok: true; activityId?: string }
  | {
      ok: false;
      /** HTTP status of the Bot Connector's answer; 0 when it could not be reached. */
      status: number;
      error: string;
      /** From Retry-After on a 429 or 503. */
      retryAfterMs?: number;
    };

/** Posts activities into conversations (implemented on the Teams SDK's API client in bot/src/proactive). */
export interface ProactiveSender {
  send(ref: ConversationReference, activity: ProactiveActivity): Promise<ProactiveSendResult>;
}

interface Base {
  /** Outbox row id (stable). */
  outboxId: string;
  language: ProactiveLanguage;
  recipientName: string;
  /** Where to open the thing in Ruche (Teams deep link or the web tab). */
  link: string;
}

/** What a weekly digest tells (computed when it is queued, as the person saw it then). */
export interface DigestContent {
  /** Monday (UTC, yyyy-mm-dd) of the week the digest is about. */
  weekStart: string;
  /** The person's communities with new posts that week, most active first. */
  communities: { id: string; name: string; newPosts: number }[];
  /** The top posts of those communities the person may read. */
  posts: PostView[];
  /** Kudos received that week (the latest ones) and how many in all. */
  kudos: KudosView[];
  kudosTotal: number;
  /** Must-read announcements still to acknowledge. */
  pendingAnnouncements: number;
}

/** What a proactive message is about, with the views (read as the recipient, through the policy) the bot words it from. */
export type ProactiveNotification = Base &
  (
    | { kind: 'mention'; actorName: string; post: PostView; commentId?: string; commentExcerpt?: string }
    | { kind: 'kudos_received'; kudos: KudosView }
    | { kind: 'acknowledgement_reminder'; announcement: AnnouncementView; reminder: number }
    | { kind: 'meetup_matched'; matchId: string | null; colleague: { displayName: string; jobTitle: string | null; department: string | null } }
    | ({ kind: 'digest' } & DigestContent)
  );

/** Words a notification as an activity (bot/src/proactive: Adaptive Cards in English and French). */
export type ProactiveRenderer = (notification: ProactiveNotification) => ProactiveActivity;

/**
 * Teams allows about 50 requests per second per app and tenant: the drain stays below at 40
 * (burst 40). One conversation takes at most 7 messages at once, then one a second (Teams:
 * 7 per second and 60 per 30 seconds per conversation).
 */
export const defaultProactiveLimits: { tenant: ThrottleRate; perConversation: ThrottleRate } = {
  tenant: { perSecond: 40, burst: 40 },
  perConversation: { perSecond: 1, burst: 7 },
};

export interface ProactiveDeliveryOptions {
  sender: ProactiveSender;
  render: ProactiveRenderer;
  /** Ruche's public URL, for links when no Teams app id is known. */
  publicUrl: string;
  /** The Teams app id (manifest id), for deep links into the personal app. */
  teamsAppId?: string;
  limits?: { tenant?: ThrottleRate; perConversation?: ThrottleRate };
  /** Sends in flight at once (default 8: the Bot Connector answers in 50-200 ms). */
  concurrency?: number;
  /** Rows claimed at once (default 200). */
  batchSize?: number;
  /** Seconds a claim holds its rows (default 120); renewed while the batch is being sent. */
  leaseSeconds?: number;
  /** Attempts before a row is given up as failed (default 8). */
  maxAttempts?: number;
  /** Tries of one row on 5xx or network errors within a run (default 3) before the run stops. */
  transientTries?: number;
  /** Stop after this many sends (default: until the outbox is empty). */
  maxSends?: number;
  /** Graceful stop: nothing more is sent; rows in flight are recorded; the rest is handed back. */
  signal?: AbortSignal;
  clock?: ThrottleClock;
  /** Test hook, called after each successful send and before it is recorded (a throw here is a crash). */
  afterSend?: (row: { id: string; personId: string }) => void | Promise<void>;
}

export interface ProactiveDeliveryReport {
  /** Messages sent and recorded by this run. */
  sent: number;
  failed: number;
  skipped: number;
  /** 429 answers of the Bot Connector. */
  throttled: number;
  /** Conversation references removed (403/404). */
  removed: number;
  /** Milliseconds waited on the throttle and on Retry-After. */
  waitedMs: number;
}

interface OutboxRow {
  id: string;
  person_id: string;
  kind: ProactiveKind;
  notification_id: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  display_name: string;
  preferred_language: string | null;
  conversation_id: string | null;
  tenant_id: string;
  conversation_type: ConversationReference['conversationType'];
  entra_oid: string | null;
  service_url: string;
  bot_id: string;
  team_id: string | null;
  channel_id: string | null;
  tenant_entra_id: string | null;
  updated_at: string;
  c_person_id: string | null;
  roles: string[];
  is_former_employee: boolean;
  n_data: Record<string, unknown> | null;
  n_actor_ids: string[] | null;
}

/** A person's bot switch: per kind ('digest' for the weekly digest), or '*' for every kind (on by default). */
export async function setBotNotifications(db: Queryable, tenantId: string, personId: string, enabled: boolean, kind: ProactiveKind | '*' = '*'): Promise<void> {
  await db.query(
    `insert into notification_settings (tenant_id, person_id, kind, channel, enabled) values ($1, $2, $3, 'bot', $4)
     on conflict (tenant_id, person_id, kind, channel) do update set enabled = excluded.enabled, updated_at = now()`,
    [tenantId, personId, kind, enabled],
  );
}

/** Whether a person gets this kind of proactive message (their 'bot' channel switches). */
export async function botNotificationsEnabled(db: Queryable, tenantId: string, personId: string, kind: ProactiveKind): Promise<boolean> {
  const r = await db.query<{ off: boolean }>(
    `select exists (select 1 from notification_settings where tenant_id = $1 and person_id = $2 and channel = 'bot'
                      and kind in ($3, '*') and not enabled) as off`,
    [tenantId, personId, kind],
  );
  return !r.rows[0]?.off;
}

/** Tenants with proactive messages waiting (for the periodic sweep). */
export async function tenantsWithPendingProactiveMessages(db: Db): Promise<string[]> {
  const r = await db.query<{ tenant_id: string }>(`select distinct tenant_id from bot_outbox where state = 'pending'`);
  return r.rows.map((x) => x.tenant_id);
}

/** Forgets outbox rows done (sent, failed, skipped) more than `olderThanDays` ago (all tenants); returns how many. */
export async function purgeProactiveOutbox(db: Db, olderThanDays = 30): Promise<number> {
  const r = await db.query(
    `delete from bot_outbox where state <> 'pending' and coalesce(sent_at, created_at) < now() - make_interval(days => $1)`,
    [olderThanDays],
  );
  return r.rowCount;
}

async function claim(db: Db, tenantId: string, owner: string, now: number, leaseSeconds: number, limit: number): Promise<OutboxRow[]> {
  const r = await db.query<OutboxRow>(
    `with claimed as (
       update bot_outbox o set lease_owner = $2, lease_until = $3::timestamptz + make_interval(secs => $4)
        where o.tenant_id = $1 and o.id in (
          select id from bot_outbox
           where tenant_id = $1 and state = 'pending' and (lease_until is null or lease_until < $3::timestamptz)
           order by id limit $5
           for update skip locked)
        returning o.id, o.person_id, o.kind, o.notification_id, o.payload, o.attempts)
     select cl.id::text as id, cl.person_id, cl.kind, cl.notification_id, cl.payload, cl.attempts,
            p.display_name, p.preferred_language, p.roles, p.is_former_employee, n.data as n_data, n.actor_ids as n_actor_ids,
            ${conversationColumns}, c.person_id as c_person_id
       from claimed cl
       join people p on p.tenant_id = $1 and p.id = cl.person_id
       left join notifications n on n.tenant_id = $1 and n.id = cl.notification_id
       left join lateral (
         select * from bot_conversations c
          where c.tenant_id = $1 and c.conversation_type = 'personal'
            and (c.person_id = p.id or (c.person_id is null and c.entra_oid = p.entra_oid))
          order by c.person_id nulls last, c.updated_at desc limit 1) c on true
      order by cl.id`,
    [tenantId, owner, new Date(now), leaseSeconds, limit],
  );
  return r.rows;
}

async function finish(
  db: Db,
  tenantId: string,
  row: OutboxRow,
  owner: string,
  state: 'sent' | 'failed' | 'skipped',
  extra: { error?: string; activityId?: string; attempted?: boolean } = {},
): Promise<boolean> {
  const r = await db.query(
    `update bot_outbox set state = $4, sent_at = case when $4 = 'sent' then now() else sent_at end,
            attempts = attempts + $7, last_error = $5, activity_id = $6, lease_owner = null, lease_until = null
      where tenant_id = $1 and id = $2::bigint and lease_owner = $3`,
    [tenantId, row.id, owner, state, extra.error ?? null, extra.activityId ?? null, extra.attempted ? 1 : 0],
  );
  // False when another drain took the row over meanwhile (this one stalled past its lease).
  return r.rowCount > 0;
}

function languageOf(preferred: string | null): ProactiveLanguage {
  return preferred && /^fr\b/i.test(preferred) ? 'fr' : 'en';
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

export interface ProactiveLinks {
  publicUrl: string;
  teamsAppId?: string | undefined;
}

/** A link into Ruche's personal app: a Teams deep link with the app id, the web tab otherwise. */
export function proactiveLink(links: ProactiveLinks, target: { tab: 'home' | 'kudos' | 'announcements' | 'meetups'; postId?: string }): string {
  const publicUrl = links.publicUrl.replace(/\/+$/, '');
  if (links.teamsAppId) {
    const subEntityId = target.postId ? `post:${target.postId}` : target.tab;
    const entity = target.tab === 'kudos' ? 'kudos' : 'home';
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(links.teamsAppId)}/${entity}?context=${encodeURIComponent(JSON.stringify({ subEntityId }))}`;
  }
  const tab = target.tab === 'kudos' ? 'kudos' : 'home';
  return `${publicUrl}/tabs/${tab}${target.postId ? `?post=${encodeURIComponent(target.postId)}` : ''}`;
}

async function displayName(db: Queryable, tenantId: string, personId: unknown): Promise<string | undefined> {
  if (typeof personId !== 'string' || !/^[0-9a-f-]{36}$/i.test(personId)) return undefined;
  const r = await db.query<{ display_name: string }>('select display_name from people where tenant_id = $1 and id = $2', [tenantId, personId]);
  return r.rows[0]?.display_name;
}

/** Runs a read as the recipient; undefined when the policy hides the thing from them now (deleted, no longer readable). */
async function readable<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof RucheError && (err.code === 'NOT_FOUND' || err.code === 'FORBIDDEN')) return undefined;
    throw err;
  }
}

/** The message of an outbox row, or undefined when there is nothing to say any more (item deleted, no longer readable, already acknowledged). */
async function describe(db: Db, tenantId: string, row: OutboxRow, links: ProactiveLinks): Promise<ProactiveNotification | undefined> {
  const language = languageOf(row.preferred_language);
  const base = { outboxId: row.id, language, recipientName: row.display_name };
  if (row.kind === 'digest') {
    const content = row.payload as unknown as DigestContent;
    return { ...base, kind: 'digest', link: proactiveLink(links, { tab: 'home' }), ...content };
  }
  // The recipient as the policy's viewer (read with the row at claim time), and the notification.
  if (row.is_former_employee || row.n_data === null) return undefined;
  const viewer: Viewer = { tenantId, personId: row.person_id, roles: row.roles ?? [] };
  const n = { data: row.n_data, actor_ids: row.n_actor_ids ?? [] };
  const data = n.data ?? {};
  const postId = typeof data.postId === 'string' ? data.postId : undefined;
  const commentId = typeof data.commentId === 'string' ? data.commentId : undefined;
  switch (row.kind) {
    case 'mention': {
      if (!postId) return undefined;
      const post = await readable(() => getPost(db, viewer, postId));
      if (!post) return undefined;
      let commentExcerpt: string | undefined;
      if (commentId) {
        const comment = await readable(() => getComment(db, viewer, commentId));
        if (!comment) return undefined;
        commentExcerpt = clip(comment.body, 280);
      }
      const actorName = (await displayName(db, tenantId, n.actor_ids?.[0])) ?? post.author.displayName;
      return {
        ...base,
        kind: 'mention',
        link: proactiveLink(links, { tab: 'home', postId }),
        actorName,
        post,
        ...(commentId ? { commentId } : {}),
        ...(commentExcerpt !== undefined ? { commentExcerpt } : {}),
      };
    }
    case 'acknowledgement_reminder': {
      if (!postId) return undefined;
      const announcement = await readable(() => getAnnouncement(db, viewer, postId, { recordView: false }));
      // Acknowledged (or no longer asked) since the reminder was queued: nothing to say.
      if (!announcement?.acknowledgement?.required || announcement.acknowledgement.acknowledged) return undefined;
      return {
        ...base,
        kind: 'acknowledgement_reminder',
        link: proactiveLink(links, { tab: 'announcements', postId }),
        announcement,
        reminder: typeof data.reminder === 'number' ? data.reminder : 1,
      };
    }
    case 'kudos_received': {
      if (typeof data.kudosId !== 'string') return undefined;
      const kudosId = data.kudosId;
      const kudos = await readable(() => getKudos(db, viewer, kudosId));
      if (!kudos) return undefined;
      return { ...base, kind: 'kudos_received', link: proactiveLink(links, { tab: 'kudos' }), kudos };
    }
    case 'meetup_matched': {
      const colleagueId = data.colleagueId ?? data.matchedPersonId ?? data.partnerId;
      const colleague =
        typeof colleagueId === 'string' && /^[0-9a-f-]{36}$/i.test(colleagueId)
          ? (
              await db.query<{ display_name: string; job_title: string | null; department: string | null }>(
                'select display_name, job_title, department from people where tenant_id = $1 and id = $2 and not is_former_employee',
                [tenantId, colleagueId],
              )
            ).rows[0]
          : undefined;
      if (!colleague) return undefined;
      return {
        ...base,
        kind: 'meetup_matched',
        link: proactiveLink(links, { tab: 'meetups' }),
        matchId: typeof data.matchId === 'string' ? data.matchId : null,
        colleague: { displayName: colleague.display_name, jobTitle: colleague.job_title, department: colleague.department },
      };
    }
  }
  return undefined;
}

/**
 * The key of an outbox row, sent in `channelData.ruche.outboxId`: stable across attempts,
 * unique across tenants. The Bot Connector has no idempotency key (the activity id is the
 * channel's, and an activity sent with an id is an update), so it identifies a resend.
 */
export function proactiveMessageKey(tenantId: string, rowId: string): string {
  return `ruche-${tenantId}-${rowId}`;
}

class DrainStopped extends Error {}

/**
 * Drains the tenant's proactive outbox: sends every pending row in order, throttled, and
 * records each one right after its send. Throws when the Bot Connector keeps failing (the
 * job retries later; the rows not sent are handed back).
 */
export async function deliverProactiveMessages(db: Db, tenantId: string, options: ProactiveDeliveryOptions): Promise<ProactiveDeliveryReport> {
  const clock = options.clock ?? realClock;
  const leaseSeconds = options.leaseSeconds ?? 120;
  const batchSize = options.batchSize ?? 200;
  const maxAttempts = options.maxAttempts ?? 8;
  const transientTries = options.transientTries ?? 3;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const throttle = new Throttle(options.limits?.tenant ?? defaultProactiveLimits.tenant, options.limits?.perConversation ?? defaultProactiveLimits.perConversation, clock);
  const links: ProactiveLinks = { publicUrl: options.publicUrl, teamsAppId: options.teamsAppId };
  const report: ProactiveDeliveryReport = { sent: 0, failed: 0, skipped: 0, throttled: 0, removed: 0, waitedMs: 0 };
  const owner = randomUUID();
  let pausedUntil = 0;
  let failure: unknown;
  let started = 0;
  const stopped = () => failure !== undefined || options.signal?.aborted === true || (options.maxSends !== undefined && started >= options.maxSends);

  const gone = new Set<string>();
  const sendRow = async (row: OutboxRow, renew: (id: string) => Promise<boolean>): Promise<void> => {
    if (!row.conversation_id || gone.has(row.conversation_id)) {
      await finish(db, tenantId, row, owner, 'skipped', { error: 'no personal conversation with the bot' });
      report.skipped++;
      return;
    }
    const ref = toConversationReference({ ...row, conversation_id: row.conversation_id, person_id: row.c_person_id });
    const notification = await describe(db, tenantId, row, links);
    if (!notification) {
      await finish(db, tenantId, row, owner, 'skipped', { error: 'nothing to notify' });
      report.skipped++;
      return;
    }
    const rendered = options.render(notification);
    const activity: ProactiveActivity = { ...rendered, channelData: { ...rendered.channelData, ruche: { outboxId: proactiveMessageKey(tenantId, row.id) } } };
    let transient = 0;
    for (;;) {
      if (stopped()) throw new DrainStopped();
      if (pausedUntil > clock.now()) {
        const wait = pausedUntil - clock.now();
        report.waitedMs += wait;
        await clock.sleep(wait);
        continue;
      }
      await throttle.acquire(ref.conversationId);
      if (stopped()) throw new DrainStopped();
      // Still ours? A drain that stalled past its lease (a frozen process) must not send what another drain took over.
      if (!(await renew(row.id))) return;
      started++;
      const result = await options.sender.send(ref, activity);
      if (result.ok) {
        await options.afterSend?.({ id: row.id, personId: row.person_id });
        if (await finish(db, tenantId, row, owner, 'sent', { attempted: true, ...(result.activityId ? { activityId: result.activityId } : {}) })) report.sent++;
        return;
      }
      started--;
      if (result.status === 429) {
        report.throttled++;
        pausedUntil = Math.max(pausedUntil, clock.now() + (result.retryAfterMs ?? 1000));
        continue;
      }
      if (result.status === 403 || result.status === 404) {
        // The app was uninstalled or the conversation is gone: forget it; the person's other rows are skipped.
        gone.add(ref.conversationId);
        await removeConversationReference(db, tenantId, ref.conversationId);
        report.removed++;
        await finish(db, tenantId, row, owner, 'failed', { attempted: true, error: `conversation gone (${result.status}): ${result.error}`.slice(0, 500) });
        report.failed++;
        return;
      }
      const retryable = result.status === 0 || result.status === 401 || result.status === 408 || result.status >= 500;
      if (!retryable || row.attempts + 1 >= maxAttempts) {
        await finish(db, tenantId, row, owner, 'failed', { attempted: true, error: `${result.status}: ${result.error}`.slice(0, 500) });
        report.failed++;
        return;
      }
      if (++transient >= transientTries) {
        await db.query('update bot_outbox set attempts = attempts + 1, last_error = $3 where tenant_id = $1 and id = $2::bigint', [
          tenantId,
          row.id,
          `${result.status}: ${result.error}`.slice(0, 500),
        ]);
        throw Object.assign(new Error(`The Bot Connector keeps failing (${result.status}): ${result.error}`), { status: result.status });
      }
      const backoff = result.retryAfterMs ?? 500 * 2 ** (transient - 1);
      report.waitedMs += backoff;
      await clock.sleep(backoff);
    }
  };

  try {
    for (;;) {
      if (stopped()) break;
      let claimedAt = clock.now();
      const rows = await claim(db, tenantId, owner, claimedAt, leaseSeconds, batchSize);
      if (rows.length === 0) break;
      let next = 0;
      let held = new Set(rows.map((r) => r.id));
      /**
       * Whether the row is still this drain's. Past half the lease (a long wait on the throttle
       * or Retry-After, or a stall), the lease of the rows still held is renewed, and rows taken
       * over by another drain meanwhile (their lease expired) are let go.
       */
      const renew = async (id: string): Promise<boolean> => {
        if ((clock.now() - claimedAt) / 1000 > leaseSeconds / 2) {
          const at = clock.now();
          const r = await db.query<{ id: string }>(
            `update bot_outbox set lease_until = $3::timestamptz + make_interval(secs => $4)
              where tenant_id = $1 and lease_owner = $2 and state = 'pending' returning id::text as id`,
            [tenantId, owner, new Date(at), leaseSeconds],
          );
          held = new Set(r.rows.map((x) => x.id));
          claimedAt = at;
        }
        return held.has(id);
      };
      const worker = async () => {
        while (next < rows.length && failure === undefined) {
          const row = rows[next++]!;
          try {
            await sendRow(row, renew);
          } catch (error) {
            if (error instanceof DrainStopped) return;
            failure ??= error;
            return;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
      if (failure !== undefined) break;
    }
  } finally {
    // Hand back what this run claimed and did not send (a stop, a failure): the next drain takes it at once.
    await db
      .query(`update bot_outbox set lease_owner = null, lease_until = null where tenant_id = $1 and lease_owner = $2 and state = 'pending'`, [tenantId, owner])
      .catch(() => undefined);
  }
  report.waitedMs += throttle.waitedMs;
  if (failure !== undefined) throw failure;
  return report;
}
