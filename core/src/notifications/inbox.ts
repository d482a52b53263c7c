/** A person's notifications: list (keyset), unread count, mark read, settings. */
import type { Queryable } from '../store/db.js';
import { type Viewer, isTenantAdmin, sqlCommunityModerator, sqlCommunityReadable, sqlCommunityVisible } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { type Page, decodeCursor, encodeCursor } from '../pagination.js';
import { isUuid } from '../people/people.js';
import { publishLive } from '../live/events.js';
import {
  type NotificationChannel,
  type NotificationData,
  type NotificationKind,
  type NotificationOrder,
  type NotificationSettings,
  type NotificationView,
  channelsOf,
  notificationChannels,
  notificationKinds,
} from './model.js';

/**
 * From `notifications n`, the joins to what a notification refers to. $2 is the viewer's
 * person id, $3 the admin flag. The predicate below hides a notification whose post,
 * comment or community the viewer may no longer read or see (left a private community,
 * item deleted or hidden) — the same rules as the policy, in SQL.
 */
const joins = `left join posts p on p.tenant_id = n.tenant_id and p.id = (n.data->>'postId')::uuid
  left join communities pc on pc.tenant_id = p.tenant_id and pc.id = p.community_id
  left join comments cm on cm.tenant_id = n.tenant_id and cm.id = (n.data->>'commentId')::uuid
  left join communities nc on nc.tenant_id = n.tenant_id and nc.id = (n.data->>'communityId')::uuid`;

const contentVisible = (i: string): string =>
  `(${i}.deleted_at is null and (${i}.hidden_at is null or ${i}.author_id = $2 or
     (case when p.community_id is null then $3 else ${sqlCommunityModerator('pc', '$2', '$3')} end)))`;

const shown = `'in_app' = any(n.channels)
  and (n.data->>'postId' is null or (p.id is not null and ${contentVisible('p')}
       and (p.community_id is null or ${sqlCommunityReadable('pc', '$2', '$3')})))
  and (n.data->>'commentId' is null or (cm.id is not null and ${contentVisible('cm')}))
  and (n.data->>'communityId' is null or (nc.id is not null and ${sqlCommunityVisible('nc', '$2', '$3')}))`;

interface Row {
  id: string;
  kind: NotificationKind;
  data: NotificationData;
  count: number;
  actor_ids: string[];
  read_at: Date | null;
  created_at: Date;
  updated_at: Date;
  updated_key: string;
  unread: number;
}

const columns = `n.id, n.kind, n.data, n.count, n.actor_ids, n.read_at, n.created_at, n.updated_at,
  to_char(n.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as updated_key,
  (n.read_at is null)::int as unread`;

async function views(db: Queryable, viewer: Viewer, rows: Row[]): Promise<NotificationView[]> {
  const actorIds = [...new Set(rows.flatMap((r) => r.actor_ids.slice(0, 3)))];
  const names = new Map<string, string>();
  if (actorIds.length > 0) {
    const r = await db.query<{ id: string; display_name: string }>(
      'select id, display_name from people where tenant_id = $1 and id = any($2::uuid[])',
      [viewer.tenantId, actorIds],
    );
    for (const p of r.rows) names.set(p.id, p.display_name);
  }
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    data: r.data ?? {},
    count: r.count,
    actors: r.actor_ids
      .slice(0, 3)
      .filter((id) => names.has(id))
      .map((id) => ({ id, displayName: names.get(id)! })),
    read: r.read_at !== null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}

export interface NotificationListOptions {
  order?: NotificationOrder;
  unreadOnly?: boolean;
  limit?: number;
  cursor?: string;
}

/** The viewer's notifications, newest first or unread first, keyset-paged; only those whose item they may still see. */
export async function listNotifications(db: Queryable, viewer: Viewer, options: NotificationListOptions = {}): Promise<Page<NotificationView>> {
  const order = options.order ?? 'newest';
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const params: unknown[] = [viewer.tenantId, viewer.personId, isTenantAdmin(viewer)];
  let after = '';
  if (order === 'unread_first') {
    const key = decodeCursor(options.cursor, ['number', 'date', 'string']);
    if (key) {
      if (!isUuid(String(key[2]))) throw new RucheError('INVALID_CURSOR');
      params.push(key[0], key[1], key[2]);
      after = 'and ((n.read_at is null)::int, n.updated_at, n.id) < ($4::int, $5::timestamptz, $6::uuid)';
    }
  } else {
    const key = decodeCursor(options.cursor, ['date', 'string']);
    if (key) {
      if (!isUuid(String(key[1]))) throw new RucheError('INVALID_CURSOR');
      params.push(key[0], key[1]);
      after = 'and (n.updated_at, n.id) < ($4::timestamptz, $5::uuid)';
    }
  }
  const orderBy = order === 'unread_first' ? '(n.read_at is null) desc, n.updated_at desc, n.id desc' : 'n.updated_at desc, n.id desc';
  const r = await db.query<Row>(
    `select ${columns} from notifications n ${joins}
     where n.tenant_id = $1 and n.person_id = $2 ${options.unreadOnly ? 'and n.read_at is null' : ''} ${after} and ${shown}
     order by ${orderBy} limit ${limit + 1}`,
    params,
  );
  const more = r.rows.length > limit;
  const kept = more ? r.rows.slice(0, limit) : r.rows;
  const last = kept[kept.length - 1];
  const nextCursor =
    more && last ? encodeCursor(order === 'unread_first' ? [last.unread, last.updated_key, last.id] : [last.updated_key, last.id]) : null;
  return { items: await views(db, viewer, kept), nextCursor };
}

/** One notification of the viewer, if they may still see it. */
export async function getNotification(db: Queryable, viewer: Viewer, id: string): Promise<NotificationView | undefined> {
  if (!isUuid(id)) return undefined;
  const r = await db.query<Row>(
    `select ${columns} from notifications n ${joins} where n.tenant_id = $1 and n.person_id = $2 and n.id = $4 and ${shown}`,
    [viewer.tenantId, viewer.personId, isTenantAdmin(viewer), id],
  );
  return (await views(db, viewer, r.rows))[0];
}

/** How many unread notifications the viewer would see. */
export async function unreadNotificationCount(db: Queryable, viewer: Viewer): Promise<number> {
  const r = await db.query<{ n: number }>(
    `select count(*)::int as n from notifications n ${joins}
     where n.tenant_id = $1 and n.person_id = $2 and n.read_at is null and ${shown}`,
    [viewer.tenantId, viewer.personId, isTenantAdmin(viewer)],
  );
  return r.rows[0]?.n ?? 0;
}

/** Marks some (ids) or all of the viewer's notifications read; returns the new unread count. Ids of others are ignored. */
export async function markNotificationsRead(
  db: Queryable,
  viewer: Viewer,
  which: { ids: readonly string[] } | { all: true },
): Promise<number> {
  if ('all' in which) {
    await db.query('update notifications set read_at = now() where tenant_id = $1 and person_id = $2 and read_at is null', [
      viewer.tenantId,
      viewer.personId,
    ]);
  } else {
    const ids = which.ids.filter(isUuid);
    if (ids.length !== which.ids.length) throw new RucheError('VALIDATION_FAILED', 'ids must be notification ids', { details: { field: 'ids' } });
    if (ids.length > 0) {
      await db.query(
        'update notifications set read_at = now() where tenant_id = $1 and person_id = $2 and id = any($3::uuid[]) and read_at is null',
        [viewer.tenantId, viewer.personId, ids],
      );
    }
  }
  await publishLive(db, { type: 'unread', tenantId: viewer.tenantId, personId: viewer.personId });
  return unreadNotificationCount(db, viewer);
}

/** The viewer's settings: every kind and channel, on unless turned off. */
export async function getNotificationSettings(db: Queryable, viewer: Viewer): Promise<NotificationSettings> {
  const r = await db.query<{ kind: string; channel: string; enabled: boolean }>(
    'select kind, channel, enabled from notification_settings where tenant_id = $1 and person_id = $2',
    [viewer.tenantId, viewer.personId],
  );
  const out = Object.fromEntries(
    notificationKinds.map((k) => [k, Object.fromEntries(channelsOf(k).map((c) => [c, true]))]),
  ) as NotificationSettings;
  for (const row of r.rows) {
    const kind = out[row.kind as NotificationKind];
    if (kind && row.channel in kind) kind[row.channel as keyof typeof kind] = row.enabled;
  }
  return out;
}

/** Changes some of the viewer's settings (kinds and channels not given keep their value). */
export async function updateNotificationSettings(
  db: Queryable,
  viewer: Viewer,
  changes: Partial<Record<string, Partial<Record<string, boolean>>>>,
): Promise<NotificationSettings> {
  const rows: [string, string, boolean][] = [];
  for (const [kind, channels] of Object.entries(changes)) {
    if (!notificationKinds.includes(kind as NotificationKind)) {
      throw new RucheError('VALIDATION_FAILED', `Unknown notification kind ${kind}`, { details: { field: kind } });
    }
    for (const [channel, enabled] of Object.entries(channels ?? {})) {
      if (!(notificationChannels as readonly string[]).includes(channel) || typeof enabled !== 'boolean') {
        throw new RucheError('VALIDATION_FAILED', `Unknown channel ${channel}`, { details: { field: `${kind}.${channel}` } });
      }
      if (!channelsOf(kind as NotificationKind).includes(channel as NotificationChannel)) {
        throw new RucheError('VALIDATION_FAILED', `Notifications of kind ${kind} are not sent to ${channel}`, {
          details: { field: `${kind}.${channel}` },
        });
      }
      rows.push([kind, channel, enabled]);
    }
  }
  for (const [kind, channel, enabled] of rows) {
    await db.query(
      `insert into notification_settings (tenant_id, person_id, kind, channel, enabled) values ($1, $2, $3, $4, $5)
       on conflict (tenant_id, person_id, kind, channel) do update set enabled = excluded.enabled, updated_at = now()`,
      [viewer.tenantId, viewer.personId, kind, channel, enabled],
    );
  }
  return getNotificationSettings(db, viewer);
}
