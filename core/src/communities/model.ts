/**
 * Communities: what they are, how a row becomes a Community as a given viewer sees it, and
 * the facts the policy decides on.
 */
import type { Queryable } from '../store/db.js';
import {
  canFollowCommunity,
  canOnCommunity,
  type CommunityFacts,
  type CommunityVisibility,
  type MembershipRole,
  type MembershipState,
  type Viewer,
} from '../policy/policy.js';
import { isUuid } from '../people/people.js';
import { RucheError } from '../errors.js';

export type CommunityKind = 'org_unit' | 'interest' | 'profession' | 'project';
export const communityKinds: readonly CommunityKind[] = ['org_unit', 'interest', 'profession', 'project'];
export const communityVisibilities: readonly CommunityVisibility[] = ['public', 'private', 'secret'];
export const membershipRoles: readonly MembershipRole[] = ['owner', 'moderator', 'expert', 'member'];

/** What an org-unit community is derived from: a department, or a manager's whole subtree. */
export type OrgUnit = { department: string } | { managerId: string; subtree: true };

export interface Membership {
  role: MembershipRole;
  state: MembershipState;
}

/** What the viewer may do here, for clients to show the right buttons (the server decides again). */
export interface CommunityPermissions {
  read: boolean;
  join: boolean;
  request: boolean;
  post: boolean;
  follow: boolean;
  moderate: boolean;
  manage: boolean;
}

export interface Community {
  id: string;
  slug: string;
  name: string;
  description: string;
  kind: CommunityKind;
  visibility: CommunityVisibility;
  isOfficial: boolean;
  restrictedPosting: boolean;
  orgUnit: OrgUnit | null;
  archived: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Active members. Only ever computed for communities the viewer may see. */
  memberCount: number;
  /** The viewer's own membership, if any. */
  membership: Membership | null;
  following: boolean;
  permissions: CommunityPermissions;
}

export interface CommunityRow {
  tenant_id: string;
  id: string;
  slug: string;
  name: string;
  description: string;
  kind: CommunityKind;
  visibility: CommunityVisibility;
  is_official: boolean;
  restricted_posting: boolean;
  org_unit: OrgUnit | null;
  created_at: Date | string;
  updated_at: Date | string;
  archived_at: Date | string | null;
  m_role: MembershipRole | null;
  m_state: MembershipState | null;
}

export interface ViewedCommunityRow extends CommunityRow {
  member_count: number;
  following: boolean;
}

export const communityColumns = `c.tenant_id, c.id, c.slug, c.name, c.description, c.kind, c.visibility, c.is_official,
  c.restricted_posting, c.org_unit, c.created_at, c.updated_at, c.archived_at`;

/**
 * Columns for the viewer's membership, follow and the member count; the query must join
 * `memberships m` for the viewer and pass the viewer's id as `viewerParam`.
 */
export function viewedColumns(viewerParam: string): string {
  return `${communityColumns}, m.role as m_role, m.state as m_state,
  exists (select 1 from follows f where f.tenant_id = c.tenant_id and f.follower_id = ${viewerParam}
    and f.target_type = 'community' and f.target_id = c.id) as following,
  (select count(*)::int from memberships mc where mc.tenant_id = c.tenant_id and mc.community_id = c.id
    and mc.state = 'active') as member_count`;
}

export function viewerMembershipJoin(viewerParam: string): string {
  return `left join memberships m on m.tenant_id = c.tenant_id and m.community_id = c.id and m.person_id = ${viewerParam}`;
}

function iso(d: Date | string): string {
  return (d instanceof Date ? d : new Date(d)).toISOString();
}

export function factsOf(row: CommunityRow): CommunityFacts {
  return {
    tenantId: row.tenant_id,
    visibility: row.visibility,
    archived: row.archived_at !== null,
    restrictedPosting: row.restricted_posting,
    membership: row.m_role && row.m_state ? { role: row.m_role, state: row.m_state } : null,
  };
}

export function toCommunity(viewer: Viewer, row: ViewedCommunityRow): Community {
  const facts = factsOf(row);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    kind: row.kind,
    visibility: row.visibility,
    isOfficial: row.is_official,
    restrictedPosting: row.restricted_posting,
    orgUnit: row.org_unit,
    archived: row.archived_at !== null,
    archivedAt: row.archived_at === null ? null : iso(row.archived_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    memberCount: Number(row.member_count),
    membership: facts.membership,
    following: row.following,
    permissions: {
      read: canOnCommunity(viewer, 'read', facts),
      join: row.kind !== 'org_unit' && canOnCommunity(viewer, 'join', facts),
      request: row.kind !== 'org_unit' && canOnCommunity(viewer, 'request', facts),
      post: canOnCommunity(viewer, 'post', facts),
      follow: canFollowCommunity(viewer, facts),
      moderate: canOnCommunity(viewer, 'moderate', facts),
      manage: canOnCommunity(viewer, 'manage', facts),
    },
  };
}

/** A community named by its id or its slug. */
export function refPredicate(ref: string): { sql: string; value: string } {
  return isUuid(ref) ? { sql: 'c.id = $3::uuid', value: ref } : { sql: 'c.slug = $3', value: ref.toLowerCase() };
}

/**
 * Loads a community with the viewer's membership, for any decision. With `forUpdate` the
 * community row is locked, which serialises membership changes of one community.
 */
export async function loadCommunityRow(
  q: Queryable,
  viewer: Viewer,
  ref: string,
  options: { forUpdate?: boolean } = {},
): Promise<CommunityRow | undefined> {
  const p = refPredicate(ref);
  const r = await q.query<CommunityRow>(
    `select ${communityColumns}, m.role as m_role, m.state as m_state
     from communities c ${viewerMembershipJoin('$2')}
     where c.tenant_id = $1 and ${p.sql}
     ${options.forUpdate ? 'for update of c' : ''}`,
    [viewer.tenantId, viewer.personId, p.value],
  );
  return r.rows[0];
}

/** The facts about one community that the policy needs, as seen by the viewer (undefined when missing). */
export async function communityFacts(q: Queryable, viewer: Viewer, communityRef: string): Promise<CommunityFacts | undefined> {
  const row = await loadCommunityRow(q, viewer, communityRef);
  return row ? factsOf(row) : undefined;
}

/** The membership of a person in a community, if any. */
export async function membershipOf(
  q: Queryable,
  tenantId: string,
  communityId: string,
  personId: string,
): Promise<Membership | null> {
  const r = await q.query<Membership>(
    'select role, state from memberships where tenant_id = $1 and community_id = $2 and person_id = $3',
    [tenantId, communityId, personId],
  );
  return r.rows[0] ?? null;
}

export function invalid(path: string, message: string): RucheError {
  return new RucheError('VALIDATION_FAILED', `${path}: ${message}`, { details: { issues: [{ path, message }] } });
}
