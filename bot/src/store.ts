/** The bot's own tables (migration 016): activities already handled, and teams linked to communities. */
import type { Db, Queryable } from '@ruche/core';

/**
 * Claims an activity before its command runs. False when the activity was seen already (a
 * Teams retry, or the same activity arriving twice at once): the caller then does nothing.
 */
export async function claimActivity(db: Queryable, tenantId: string, activityId: string, kind: string): Promise<boolean> {
  const r = await db.query<{ activity_id: string }>(
    `insert into bot_activities (tenant_id, activity_id, kind) values ($1, $2, $3)
     on conflict (tenant_id, activity_id) do nothing returning activity_id`,
    [tenantId, activityId, kind],
  );
  return r.rows.length === 1;
}

export async function finishActivity(db: Queryable, tenantId: string, activityId: string): Promise<void> {
  await db.query(`update bot_activities set state = 'done' where tenant_id = $1 and activity_id = $2`, [tenantId, activityId]);
}

/** Forgets a claim whose command failed before saving anything, so that a retry runs it. */
export async function releaseActivity(db: Queryable, tenantId: string, activityId: string): Promise<void> {
  await db.query('delete from bot_activities where tenant_id = $1 and activity_id = $2', [tenantId, activityId]);
}

/** Teams retries within minutes; claims older than this are purged. */
export const ACTIVITY_RETENTION_HOURS = 48;

export async function purgeActivities(db: Queryable, now = new Date()): Promise<number> {
  const r = await db.query<{ n: number }>(
    `with gone as (delete from bot_activities where received_at < $1 returning 1) select count(*)::int as n from gone`,
    [new Date(now.getTime() - ACTIVITY_RETENTION_HOURS * 3_600_000)],
  );
  return r.rows[0]?.n ?? 0;
}

export interface TeamLink {
  teamId: string;
  communityId: string;
}

export async function teamCommunity(db: Queryable, tenantId: string, teamId: string): Promise<string | undefined> {
  const r = await db.query<{ community_id: string }>('select community_id from bot_team_communities where tenant_id = $1 and team_id = $2', [tenantId, teamId]);
  return r.rows[0]?.community_id;
}

export async function linkTeam(db: Db, tenantId: string, link: TeamLink & { teamName?: string; linkedBy?: string }): Promise<void> {
  await db.query(
    `insert into bot_team_communities (tenant_id, team_id, community_id, team_name, linked_by) values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, team_id) do update set community_id = excluded.community_id, team_name = excluded.team_name,
       linked_by = excluded.linked_by, linked_at = now()`,
    [tenantId, link.teamId, link.communityId, link.teamName ?? null, link.linkedBy ?? null],
  );
}
