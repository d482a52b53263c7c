/** Creating notifications where the facts happen: settings honoured, no self-notification, grouping in place. */
import type { Queryable } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { loadCommentFor, loadPostFor } from '../posts/facts.js';
import { publishLive } from '../live/events.js';
import { type NewNotification, type NotificationChannel, channelsOf, notificationKinds } from './model.js';

/** The channels on which `personId` wants notifications of `kind` (all that carry it, by default). */
async function enabledChannels(db: Queryable, tenantId: string, personId: string, kind: NewNotification['kind']): Promise<NotificationChannel[]> {
  const r = await db.query<{ channel: string; enabled: boolean }>(
    'select channel, enabled from notification_settings where tenant_id = $1 and person_id = $2 and kind = $3',
    [tenantId, personId, kind],
  );
  const off = new Set(r.rows.filter((x) => !x.enabled).map((x) => x.channel));
  return channelsOf(kind).filter((c) => !off.has(c));
}

/**
 * Notifies one person. Returns the notification id, or null when nothing was recorded: the
 * person caused it, turned this kind off, or (grouped) the same actor was already counted.
 * Call it inside the transaction that records the fact; the live event is sent at commit.
 */
export async function notify(db: Queryable, n: NewNotification): Promise<string | null> {
  if (!notificationKinds.includes(n.kind)) throw new RucheError('INTERNAL', `Unknown notification kind ${n.kind}`);
  const actorId = n.actorId ?? null;
  if (actorId !== null && actorId === n.personId) return null;
  const channels = await enabledChannels(db, n.tenantId, n.personId, n.kind);
  if (channels.length === 0) return null;
  const data = JSON.stringify(n.data);
  const actors = actorId ? [actorId] : [];
  let id: string | undefined;
  if (n.groupKey) {
    const r = await db.query<{ id: string }>(
      `insert into notifications (tenant_id, person_id, kind, group_key, group_day, data, actor_ids, channels)
       values ($1, $2, $3, $4, (now() at time zone 'UTC')::date, $5, $6::uuid[], $7::text[])
       on conflict (tenant_id, person_id, kind, group_key, group_day) do update set
         data = excluded.data,
         actor_ids = case when $8::uuid is null then notifications.actor_ids
                          else array_prepend($8::uuid, array_remove(notifications.actor_ids, $8::uuid)) end,
         count = notifications.count + 1,
         channels = excluded.channels,
         read_at = null,
         updated_at = now()
       where $8::uuid is null or not ($8::uuid = any(notifications.actor_ids))
       returning id`,
      [n.tenantId, n.personId, n.kind, n.groupKey, data, actors, channels, actorId],
    );
    id = r.rows[0]?.id;
  } else {
    const r = await db.query<{ id: string }>(
      `insert into notifications (tenant_id, person_id, kind, data, actor_ids, channels)
       values ($1, $2, $3, $4, $5::uuid[], $6::text[]) returning id`,
      [n.tenantId, n.personId, n.kind, data, actors, channels],
    );
    id = r.rows[0]?.id;
  }
  if (!id) return null;
  await publishLive(db, { type: 'notification', tenantId: n.tenantId, personId: n.personId, notificationId: id });
  return id;
}

/** Notifies several people of the same fact (each once, in order). */
export async function notifyMany(
  db: Queryable,
  n: Omit<NewNotification, 'personId'> & { personIds: readonly string[] },
): Promise<string[]> {
  const { personIds, ...rest } = n;
  const ids: string[] = [];
  for (const personId of new Set(personIds)) {
    const id = await notify(db, { ...rest, personId });
    if (id) ids.push(id);
  }
  return ids;
}

/** The policy viewer of a person (to decide what they may read), or undefined for a former employee or an unknown id. */
export async function viewerOfPerson(db: Queryable, tenantId: string, personId: string): Promise<Viewer | undefined> {
  const r = await db.query<{ roles: string[] }>(
    'select roles from people where tenant_id = $1 and id = $2 and not is_former_employee',
    [tenantId, personId],
  );
  const row = r.rows[0];
  return row ? { tenantId, personId, roles: row.roles } : undefined;
}

/** Whether a person may read a post or comment, asked of the policy (e.g. before notifying a mention). */
export async function personMayRead(
  db: Queryable,
  tenantId: string,
  personId: string,
  item: { type: 'post' | 'comment'; id: string },
): Promise<boolean> {
  const viewer = await viewerOfPerson(db, tenantId, personId);
  if (!viewer) return false;
  try {
    if (item.type === 'post') await loadPostFor(db, viewer, item.id, 'read');
    else await loadCommentFor(db, viewer, item.id, 'read');
    return true;
  } catch (err) {
    if (err instanceof RucheError && (err.code === 'NOT_FOUND' || err.code === 'FORBIDDEN')) return false;
    throw err;
  }
}

/**
 * Notifies each mentioned person who may read the item (a mention in a private community
 * never reaches a non-member), except the author.
 */
export async function notifyMentions(
  db: Queryable,
  tenantId: string,
  actorId: string,
  item: { type: 'post' | 'comment'; id: string; postId: string },
  personIds: readonly string[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const personId of new Set(personIds)) {
    if (personId === actorId) continue;
    if (!(await personMayRead(db, tenantId, personId, item))) continue;
    const data = item.type === 'post' ? { postId: item.postId } : { postId: item.postId, commentId: item.id };
    const id = await notify(db, { tenantId, personId, kind: 'mention', data, actorId });
    if (id) ids.push(id);
  }
  return ids;
}
