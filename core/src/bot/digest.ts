/**
 * The weekly digest in the bot's chat: for each person who has the bot and has not turned
 * the digest off, what happened last week in their communities, the kudos they received and
 * the must-read announcements they still have to acknowledge. One outbox row per person and
 * week (unique index), so queueing a week twice queues nothing more; the proactive drain
 * sends it.
 */
import type { Db } from '../store/db.js';
import { RucheError } from '../errors.js';
import { viewerOfPerson } from '../notifications/notify.js';
import { getPost } from '../posts/posts.js';
import { getKudos, type KudosView } from '../recognition/kudos.js';
import type { PostView } from '../posts/model.js';
import type { DigestContent } from './proactive.js';

/** Monday 00:00 UTC of the week that contains `at`, as yyyy-mm-dd. */
export function digestWeekOf(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - day);
  return d.toISOString().slice(0, 10);
}

/** The week before the one that contains `at` (what a Monday-morning digest is about). */
export function previousDigestWeek(at: Date): string {
  return digestWeekOf(new Date(at.getTime() - 7 * 86_400_000));
}

export interface DigestQueueReport {
  /** Digests queued now. */
  queued: number;
  /** Already queued for this week (a second run). */
  already: number;
  /** People with nothing to tell this week. */
  empty: number;
  /** People who turned the digest (or the bot) off. */
  optedOut: number;
}

const weekPattern = /^\d{4}-\d{2}-\d{2}$/;

/** What the week held for one person (read as them, through the policy), or undefined when there is nothing to tell. */
export async function digestContentFor(db: Db, tenantId: string, personId: string, weekStart: string): Promise<DigestContent | undefined> {
  const viewer = await viewerOfPerson(db, tenantId, personId);
  if (!viewer) return undefined;
  const from = new Date(`${weekStart}T00:00:00Z`);
  const to = new Date(from.getTime() + 7 * 86_400_000);
  const activity = await db.query<{ id: string; name: string; new_posts: number }>(
    `select c.id, c.name, count(p.id)::int as new_posts
       from memberships m
       join communities c on c.tenant_id = m.tenant_id and c.id = m.community_id and c.archived_at is null
       join posts p on p.tenant_id = c.tenant_id and p.community_id = c.id
        and p.created_at >= $3 and p.created_at < $4 and p.deleted_at is null and p.hidden_at is null
      where m.tenant_id = $1 and m.person_id = $2 and m.state = 'active'
      group by c.id, c.name
      order by new_posts desc, c.name
      limit 5`,
    [tenantId, personId, from, to],
  );
  const posts: PostView[] = [];
  if (activity.rows.length > 0) {
    const top = await db.query<{ id: string }>(
      `select p.id from posts p
        where p.tenant_id = $1 and p.community_id = any($2::uuid[]) and p.created_at >= $3 and p.created_at < $4
          and p.deleted_at is null and p.hidden_at is null and p.author_id <> $5
        order by p.last_activity_at desc, p.id limit 5`,
      [tenantId, activity.rows.map((c) => c.id), from, to, personId],
    );
    for (const p of top.rows) {
      const post = await readable(() => getPost(db, viewer, p.id));
      if (post) posts.push(post);
    }
  }
  const received = await db.query<{ id: string; total: number }>(
    `select k.id, count(*) over ()::int as total
       from kudos_recipients r
       join kudos k on k.tenant_id = r.tenant_id and k.id = r.kudos_id and k.deleted_at is null and k.created_at >= $3 and k.created_at < $4
      where r.tenant_id = $1 and r.recipient_id = $2
      order by k.created_at desc, k.id limit 3`,
    [tenantId, personId, from, to],
  );
  const kudos: KudosView[] = [];
  for (const k of received.rows) {
    const view = await readable(() => getKudos(db, viewer, k.id));
    if (view) kudos.push(view);
  }
  const pending = await db.query<{ n: number }>(
    `select count(*)::int as n
       from announcement_requests r
       join announcements an on an.tenant_id = r.tenant_id and an.post_id = r.post_id and an.ack_version = r.version
       join posts p on p.tenant_id = r.tenant_id and p.id = r.post_id and p.is_must_read and p.deleted_at is null and p.hidden_at is null
      where r.tenant_id = $1 and r.person_id = $2
        and not exists (select 1 from acknowledgements k where k.tenant_id = r.tenant_id and k.post_id = r.post_id and k.person_id = r.person_id and k.version = r.version)`,
    [tenantId, personId],
  );
  const pendingAnnouncements = pending.rows[0]?.n ?? 0;
  if (posts.length === 0 && kudos.length === 0 && pendingAnnouncements === 0) return undefined;
  return {
    weekStart,
    communities: activity.rows.map((c) => ({ id: c.id, name: c.name, newPosts: c.new_posts })),
    posts,
    kudos,
    kudosTotal: received.rows[0]?.total ?? 0,
    pendingAnnouncements,
  };
}

async function readable<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof RucheError && (err.code === 'NOT_FOUND' || err.code === 'FORBIDDEN')) return undefined;
    throw err;
  }
}

/**
 * Queues the digest of `weekStart` (a Monday, yyyy-mm-dd) for every person of the tenant who
 * has a personal conversation with the bot and has not turned it off. Idempotent per person
 * and week.
 */
export async function queueWeeklyDigests(db: Db, tenantId: string, weekStart: string): Promise<DigestQueueReport> {
  if (!weekPattern.test(weekStart) || digestWeekOf(new Date(`${weekStart}T00:00:00Z`)) !== weekStart) {
    throw new RangeError(`A digest week starts on a Monday (yyyy-mm-dd): ${weekStart}`);
  }
  const report: DigestQueueReport = { queued: 0, already: 0, empty: 0, optedOut: 0 };
  const people = await db.query<{ id: string; opted_out: boolean; queued: boolean }>(
    `select p.id,
            exists (select 1 from notification_settings s where s.tenant_id = p.tenant_id and s.person_id = p.id
                      and s.channel = 'bot' and s.kind in ('digest', '*') and not s.enabled) as opted_out,
            exists (select 1 from bot_outbox o where o.tenant_id = p.tenant_id and o.person_id = p.id and o.digest_week = $2::date) as queued
       from people p
      where p.tenant_id = $1 and not p.is_former_employee
        and exists (select 1 from bot_conversations c where c.tenant_id = p.tenant_id and c.conversation_type = 'personal'
                      and (c.person_id = p.id or (c.person_id is null and c.entra_oid = p.entra_oid)))
      order by p.id`,
    [tenantId, weekStart],
  );
  for (const person of people.rows) {
    if (person.opted_out) {
      report.optedOut++;
      continue;
    }
    if (person.queued) {
      report.already++;
      continue;
    }
    const content = await digestContentFor(db, tenantId, person.id, weekStart);
    if (!content) {
      report.empty++;
      continue;
    }
    const r = await db.query(
      `insert into bot_outbox (tenant_id, person_id, kind, digest_week, payload) values ($1, $2, 'digest', $3::date, $4::jsonb)
       on conflict do nothing`,
      [tenantId, person.id, weekStart, JSON.stringify(content)],
    );
    if (r.rowCount > 0) report.queued++;
    else report.already++;
  }
  if (report.queued > 0) await db.notify('ruche_bot_outbox', tenantId);
  return report;
}

/** Tenants where someone has a personal conversation with the bot (for the weekly digest job). */
export async function tenantsWithBotConversations(db: Db): Promise<string[]> {
  const r = await db.query<{ tenant_id: string }>(`select distinct tenant_id from bot_conversations where conversation_type = 'personal' order by tenant_id`);
  return r.rows.map((x) => x.tenant_id);
}
