/**
 * The interaction graph: who interacts with whom (replies, reactions, kudos, mentions,
 * shared communities), and the connectors it names, the people who bridge departments.
 * Connectors are ranked by the number of distinct OTHER departments they interact with,
 * then by their cross-department interactions. People who opted out of insights or are
 * excluded from recognition are never named (their interactions still count for others,
 * anonymously).
 */
import type { Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';
import { type Viewer, canOnOrganisationInsights, sqlNamedInInsights } from '../policy/index.js';
import { getRecognitionSettings, switchedOff } from '../recognition/settings.js';

export const CONNECTORS_LIMIT_MAX = 100;
export const INSIGHTS_WINDOW_DAYS_MAX = 365;
/** Communities up to this many active members make their members "interact" (shared community). */
export const SHARED_COMMUNITY_MAX_MEMBERS = 50;

export type InteractionKind = 'reply' | 'reaction' | 'kudos' | 'mention';

/**
 * SQL: the interactions of a tenant since a time, as directed edges (a acts towards b):
 * replies (to the post's or parent comment's author), reactions (to the author), kudos
 * (giver to each recipient; private kudos are left out), mentions (the author of the post,
 * comment or kudos to the person mentioned). `t` and `from` are placeholders; with
 * `community`, only the interactions on that community's content and kudos.
 * Columns: a, b, kind, community_id.
 */
export function interactionEdgesSql(t: string, from: string, community?: string): string {
  const inCommunity = (col: string) => (community ? ` and ${col} = ${community}` : '');
  return `
    select c.author_id as a, p.author_id as b, 'reply'::text as kind, p.community_id
      from comments c join posts p on p.tenant_id = c.tenant_id and p.id = c.post_id and p.deleted_at is null
     where c.tenant_id = ${t} and c.deleted_at is null and c.created_at >= ${from} and c.parent_id is null${inCommunity('p.community_id')}
    union all
    select c.author_id, pc.author_id, 'reply', p.community_id
      from comments c join comments pc on pc.tenant_id = c.tenant_id and pc.id = c.parent_id
      join posts p on p.tenant_id = c.tenant_id and p.id = c.post_id and p.deleted_at is null
     where c.tenant_id = ${t} and c.deleted_at is null and c.created_at >= ${from}${inCommunity('p.community_id')}
    union all
    select r.person_id, p.author_id, 'reaction', p.community_id
      from reactions r join posts p on p.tenant_id = r.tenant_id and p.id = r.target_id and p.deleted_at is null
     where r.tenant_id = ${t} and r.target_type = 'post' and r.created_at >= ${from}${inCommunity('p.community_id')}
    union all
    select r.person_id, cm.author_id, 'reaction', p.community_id
      from reactions r join comments cm on cm.tenant_id = r.tenant_id and cm.id = r.target_id and cm.deleted_at is null
      join posts p on p.tenant_id = cm.tenant_id and p.id = cm.post_id and p.deleted_at is null
     where r.tenant_id = ${t} and r.target_type = 'comment' and r.created_at >= ${from}${inCommunity('p.community_id')}
    union all
    select k.giver_id, kr.recipient_id, 'kudos', k.community_id
      from kudos k join kudos_recipients kr on kr.tenant_id = k.tenant_id and kr.kudos_id = k.id
     where k.tenant_id = ${t} and k.deleted_at is null and k.visibility <> 'private' and k.created_at >= ${from}${inCommunity('k.community_id')}
    union all
    select coalesce(mp.author_id, mcp.author_id, mk.giver_id), mn.mentioned_id, 'mention', coalesce(mp.community_id, mcpp.community_id, mk.community_id)
      from mentions mn
      left join posts mp on mn.source_type = 'post' and mp.tenant_id = mn.tenant_id and mp.id = mn.source_id and mp.deleted_at is null
      left join comments mcp on mn.source_type = 'comment' and mcp.tenant_id = mn.tenant_id and mcp.id = mn.source_id and mcp.deleted_at is null
      left join posts mcpp on mcpp.tenant_id = mcp.tenant_id and mcpp.id = mcp.post_id
      left join kudos mk on mn.source_type = 'kudos' and mk.tenant_id = mn.tenant_id and mk.id = mn.source_id and mk.deleted_at is null and mk.visibility <> 'private'
     where mn.tenant_id = ${t} and mn.mentioned_type = 'person' and mn.created_at >= ${from}
       and coalesce(mp.author_id, mcp.author_id, mk.giver_id) is not null${inCommunity('coalesce(mp.community_id, mcpp.community_id, mk.community_id)')}`;
}

export interface Connector {
  person: { id: string; displayName: string; jobTitle: string | null; department: string };
  /** Distinct other departments reached (interactions or shared communities). */
  departments: number;
  /** The departments reached, most interactions first (at most 10). */
  departmentNames: string[];
  /** Interactions with people of other departments (both directions). */
  crossDepartmentInteractions: number;
}

export interface ConnectorQuery {
  /** Interactions of the last `days` days (default 90, at most 365). */
  days?: number;
  limit?: number;
  /** Only interactions on this community's content; shared communities are then left out. */
  communityId?: string;
}

export function checkWindow(days: number | undefined): number {
  const d = days ?? 90;
  if (!Number.isInteger(d) || d < 1 || d > INSIGHTS_WINDOW_DAYS_MAX) {
    throw new RucheError('VALIDATION_FAILED', `days is an integer from 1 to ${INSIGHTS_WINDOW_DAYS_MAX}`, { details: { field: 'days' } });
  }
  return d;
}

/** The connectors of a tenant or of one community, without deciding access (callers ask the policy). */
export async function computeConnectors(db: Queryable, tenantId: string, options: ConnectorQuery, now: Date): Promise<Connector[]> {
  const days = checkWindow(options.days);
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > CONNECTORS_LIMIT_MAX) {
    throw new RucheError('VALIDATION_FAILED', `limit is an integer from 1 to ${CONNECTORS_LIMIT_MAX}`, { details: { field: 'limit' } });
  }
  const off = switchedOff(await getRecognitionSettings(db, tenantId));
  const from = new Date(now.getTime() - days * 86_400_000);
  const community = options.communityId ? '$6::uuid' : undefined;
  const shared = options.communityId
    ? ''
    : `union all
       select m.person_id as person, po.department as dept, 0 as n
         from memberships m
         join communities sc on sc.tenant_id = m.tenant_id and sc.id = m.community_id and sc.archived_at is null
          and (select count(*) from memberships mc where mc.tenant_id = sc.tenant_id and mc.community_id = sc.id and mc.state = 'active') <= ${SHARED_COMMUNITY_MAX_MEMBERS}
         join memberships m2 on m2.tenant_id = m.tenant_id and m2.community_id = m.community_id and m2.state = 'active' and m2.person_id <> m.person_id
         join people po on po.tenant_id = m2.tenant_id and po.id = m2.person_id and not po.is_former_employee
        where m.tenant_id = $1 and m.state = 'active'`;
  const r = await db.query<{ id: string; display_name: string; job_title: string | null; department: string; departments: number; interactions: number; names: string[] }>(
    `with e as (${interactionEdgesSql('$1', '$2::timestamptz', community)}),
     ed as (select a as person, b as other from e where a <> b union all select b, a from e where a <> b),
     reach as (
       select ed.person, po.department as dept, count(*)::int as n from ed
         join people po on po.tenant_id = $1 and po.id = ed.other
        group by ed.person, po.department
       ${shared}),
     per as (
       select x.person, x.dept, sum(x.n)::int as n from reach x
         join people pp on pp.tenant_id = $1 and pp.id = x.person
        where x.dept is not null and pp.department is not null and x.dept <> pp.department
        group by x.person, x.dept)
     select p.id, p.display_name, p.job_title, p.department, count(*)::int as departments, sum(per.n)::int as interactions,
            (array_agg(per.dept order by per.n desc, per.dept))[1:10] as names
       from per join people p on p.tenant_id = $1 and p.id = per.person
      where ${sqlNamedInInsights('p', '$3', '$4')}
      group by p.id, p.display_name, p.job_title, p.department
      order by departments desc, interactions desc, p.display_name, p.id
      limit $5`,
    [tenantId, from, off.countries, off.offices, limit, ...(options.communityId ? [options.communityId] : [])],
  );
  return r.rows.map((x) => ({
    person: { id: x.id, displayName: x.display_name, jobTitle: x.job_title, department: x.department },
    departments: x.departments,
    departmentNames: x.names,
    crossDepartmentInteractions: x.interactions,
  }));
}

export interface ConnectorsResult {
  days: number;
  items: Connector[];
}

/** Organisation-wide connectors across departments: tenant admins, HR and communicators (the policy decides). */
export async function listConnectors(db: Queryable, viewer: Viewer, options: Omit<ConnectorQuery, 'communityId'> = {}, now: Date = new Date()): Promise<ConnectorsResult> {
  if (!canOnOrganisationInsights(viewer, 'read', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Organisation insights are for administrators, HR and communicators');
  const days = checkWindow(options.days);
  return { days, items: await computeConnectors(db, viewer.tenantId, { ...options, days }, now) };
}

/** Pairs of people who interacted since `from` (either direction), among `people`, as "a|b" keys with a < b. */
export async function interactedPairs(db: Queryable, tenantId: string, people: readonly string[], from: Date): Promise<Set<string>> {
  const out = new Set<string>();
  if (people.length < 2) return out;
  const r = await db.query<{ a: string; b: string }>(
    `with ppl as (select distinct x as id from unnest($3::uuid[]) x),
     e as (${interactionEdgesSql('$1', '$2::timestamptz')})
     select distinct least(e.a, e.b)::text as a, greatest(e.a, e.b)::text as b
       from e join ppl pa on pa.id = e.a join ppl pb on pb.id = e.b
      where e.a <> e.b`,
    [tenantId, from, people],
  );
  for (const x of r.rows) out.add(`${x.a}|${x.b}`);
  return out;
}

export interface InsightPreferences {
  optedOut: boolean;
}

export async function getInsightPreferences(db: Queryable, viewer: Viewer): Promise<InsightPreferences> {
  const r = await db.query<{ opted_out: boolean }>('select opted_out from insight_preferences where tenant_id = $1 and person_id = $2', [viewer.tenantId, viewer.personId]);
  return { optedOut: r.rows[0]?.opted_out ?? false };
}

/** Opt out of (or back into) being named in insights, e.g. as a connector. */
export async function setInsightPreferences(db: Queryable, viewer: Viewer, changes: InsightPreferences): Promise<InsightPreferences> {
  if (typeof changes.optedOut !== 'boolean') throw new RucheError('VALIDATION_FAILED', 'optedOut is true or false', { details: { field: 'optedOut' } });
  await db.query(
    `insert into insight_preferences (tenant_id, person_id, opted_out) values ($1, $2, $3)
     on conflict (tenant_id, person_id) do update set opted_out = excluded.opted_out, updated_at = now()`,
    [viewer.tenantId, viewer.personId, changes.optedOut],
  );
  return getInsightPreferences(db, viewer);
}
