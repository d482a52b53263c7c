/**
 * Asking the audience to acknowledge, and reminding those who have not.
 *
 * - askAudience: every person of the current audience who has no request for the current
 *   version gets one (asked_at = now) and an 'acknowledgement_requested' notification. It
 *   runs at publication, after a material edit, and in every reminder sweep, so that people
 *   who join a target later are asked too.
 * - sendAcknowledgementReminders: for each request of the current version not acknowledged,
 *   whose person is still in the audience, a reminder is due when
 *   now >= asked_at + (reminders + 1) x reminder_days and reminders < max_reminders. The
 *   counter moves with a conditional update, so a sweep run twice (or by two workers)
 *   reminds each person once per interval and version.
 */
import type { Db, Queryable } from '../store/db.js';
import { notifyMany } from '../notifications/index.js';
import { audienceSql } from './audience.js';

export async function askAudience(q: Queryable, tenantId: string, postId: string, now: Date): Promise<string[]> {
  // The author knows what they wrote: their acknowledgement of each version is implied.
  await q.query(
    `insert into acknowledgements (tenant_id, post_id, person_id, version, acknowledged_at)
     select p.tenant_id, p.id, p.author_id, an.ack_version, $3 from posts p
     join announcements an on an.tenant_id = p.tenant_id and an.post_id = p.id
     where p.tenant_id = $1 and p.id = $2
     on conflict do nothing`,
    [tenantId, postId, now],
  );
  const r = await q.query<{ person_id: string; version: number; author_id: string }>(
    `insert into announcement_requests (tenant_id, post_id, person_id, version, asked_at)
     select $1, $2, aud.id, an.ack_version, $3
     from (${audienceSql('$1', '$2')}) aud
     cross join announcements an
     where an.tenant_id = $1 and an.post_id = $2
       and not exists (select 1 from acknowledgements k where k.tenant_id = $1 and k.post_id = $2 and k.person_id = aud.id
                         and k.version = an.ack_version)
     on conflict do nothing
     returning person_id, version, (select author_id from posts where tenant_id = $1 and id = $2) as author_id`,
    [tenantId, postId, now],
  );
  const first = r.rows[0];
  if (!first) return [];
  const personIds = r.rows.map((x) => x.person_id);
  await notifyMany(q, {
    tenantId,
    personIds,
    kind: 'acknowledgement_requested',
    groupKey: `announcement:${postId}`,
    data: { postId, version: first.version },
    actorId: first.author_id,
  });
  return personIds;
}

export interface ReminderReport {
  /** People newly asked (they joined a target since the last sweep). */
  asked: number;
  /** Reminders sent. */
  reminded: number;
}

/**
 * The periodic sweep of one tenant (the 'announcements.remind' job calls it): asks newcomers
 * and sends the reminders that are due at `now`. Idempotent.
 */
export async function sendAcknowledgementReminders(db: Db, tenantId: string, now = new Date()): Promise<ReminderReport> {
  const open = await db.query<{ post_id: string }>(
    `select an.post_id from announcements an join posts p on p.tenant_id = an.tenant_id and p.id = an.post_id
     where an.tenant_id = $1 and p.is_must_read and p.deleted_at is null and p.hidden_at is null
     order by an.post_id`,
    [tenantId],
  );
  let asked = 0;
  let reminded = 0;
  for (const { post_id: postId } of open.rows) {
    await db.transaction(async (tx) => {
      asked += (await askAudience(tx, tenantId, postId, now)).length;
      const due = await tx.query<{ person_id: string; version: number; reminders: number; author_id: string }>(
        `update announcement_requests r set reminders = r.reminders + 1, last_reminded_at = $3
         from announcements an, posts p
         where r.tenant_id = $1 and r.post_id = $2
           and an.tenant_id = r.tenant_id and an.post_id = r.post_id and r.version = an.ack_version
           and p.tenant_id = r.tenant_id and p.id = r.post_id
           and r.reminders < an.max_reminders
           and $3::timestamptz >= r.asked_at + (r.reminders + 1) * an.reminder_days * interval '1 day'
           and not exists (select 1 from acknowledgements k where k.tenant_id = r.tenant_id and k.post_id = r.post_id
                             and k.person_id = r.person_id and k.version = r.version)
           and r.person_id in (${audienceSql('$1', '$2')})
         returning r.person_id, r.version, r.reminders, p.author_id`,
        [tenantId, postId, now],
      );
      for (const row of due.rows) {
        await notifyMany(tx, {
          tenantId,
          personIds: [row.person_id],
          kind: 'acknowledgement_reminder',
          groupKey: `announcement:${postId}`,
          data: { postId, version: row.version, reminder: row.reminders },
          actorId: row.author_id,
        });
      }
      reminded += due.rows.length;
    });
  }
  return { asked, reminded };
}

/** Tenants with must-read announcements, for the job that sweeps them all. */
export async function tenantsWithAnnouncements(db: Queryable): Promise<string[]> {
  const r = await db.query<{ tenant_id: string }>('select distinct tenant_id from announcements order by tenant_id');
  return r.rows.map((x) => x.tenant_id);
}
