/**
 * Membership of communities: join, request and approval, invitation, leave, roles, bans,
 * the members list and following. Each change runs in a transaction that locks the
 * community row, so that two changes of one community never race (e.g. the last two
 * owners leaving together). Moderator and admin actions are written to the audit log.
 */
import type { Db, Queryable } from '../store/db.js';
import {
  assertOnCommunity,
  canFollowCommunity,
  canOnCommunity,
  canOnMember,
  type CommunityFacts,
  type MemberAction,
  type MembershipRole,
  type MembershipState,
  type Viewer,
} from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { notify, notifyMany } from '../notifications/notify.js';
import { decodeCursor, pageOf, type Page } from '../pagination.js';
import { findPersonByIdOrUpn, isUuid } from '../people/people.js';
import { recordAudit } from './audit.js';
import { follow, getCommunity, PAGE_MAX, unfollow } from './communities.js';
import {
  factsOf,
  invalid,
  loadCommunityRow,
  membershipOf,
  membershipRoles,
  type Community,
  type CommunityRow,
  type Membership,
} from './model.js';

interface Locked {
  row: CommunityRow;
  facts: CommunityFacts;
}

/** Loads and locks the community, and checks that the viewer may at least see it. */
async function lockCommunity(tx: Queryable, viewer: Viewer, ref: string): Promise<Locked> {
  const row = await loadCommunityRow(tx, viewer, ref, { forUpdate: true });
  const facts = row ? factsOf(row) : undefined;
  assertOnCommunity(viewer, 'see', facts);
  return { row: row!, facts };
}

function refuseOrgUnit(row: CommunityRow, what: string): void {
  if (row.kind === 'org_unit') {
    throw new RucheError('COMMUNITY_ORG_UNIT_MANAGED', `Membership of an org-unit community follows the directory: you cannot ${what} it`);
  }
}

async function setMembership(q: Queryable, tenantId: string, communityId: string, personId: string, m: Membership): Promise<void> {
  await q.query(
    `insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, $4, $5)
     on conflict (tenant_id, community_id, person_id) do update set role = excluded.role, state = excluded.state, updated_at = now()`,
    [tenantId, communityId, personId, m.role, m.state],
  );
}

async function removeMembership(q: Queryable, tenantId: string, communityId: string, personId: string): Promise<void> {
  await q.query('delete from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [tenantId, communityId, personId]);
}

async function activeOwners(q: Queryable, tenantId: string, communityId: string): Promise<string[]> {
  const r = await q.query<{ person_id: string }>(
    `select person_id from memberships where tenant_id = $1 and community_id = $2 and role = 'owner' and state = 'active'`,
    [tenantId, communityId],
  );
  return r.rows.map((x) => x.person_id);
}

/** A current employee of the viewer's tenant, by id or UPN. */
async function targetPerson(q: Queryable, viewer: Viewer, idOrUpn: string): Promise<string> {
  const p = await findPersonByIdOrUpn(q, viewer.tenantId, idOrUpn);
  if (!p || p.isFormerEmployee) throw new RucheError('PERSON_NOT_FOUND');
  return p.id;
}

function refusedMember(action: MemberAction, m: Membership | null, facts: CommunityFacts): RucheError {
  if (facts.archived && action !== 'ban' && action !== 'unban') return new RucheError('FORBIDDEN', 'This community is archived (read-only)');
  switch (action) {
    case 'invite':
      if (m?.state === 'active') return new RucheError('COMMUNITY_ALREADY_MEMBER');
      if (m?.state === 'banned') return new RucheError('COMMUNITY_BANNED', 'This person is banned from the community: unban them first');
      if (m?.state === 'invited') return new RucheError('COMMUNITY_ALREADY_MEMBER', 'This person is already invited');
      break;
    case 'approve':
    case 'deny':
      if (m?.state !== 'requested') return new RucheError('COMMUNITY_NO_REQUEST');
      break;
    case 'set_role':
      if (m?.state !== 'active') return new RucheError('COMMUNITY_NOT_MEMBER');
      break;
    case 'unban':
      if (m?.state !== 'banned') return new RucheError('COMMUNITY_NOT_MEMBER', 'This person is not banned from the community');
      break;
    case 'ban':
      if (m?.state === 'banned') return new RucheError('COMMUNITY_BANNED', 'This person is already banned');
      break;
    default:
      break;
  }
  return new RucheError('FORBIDDEN');
}

/**
 * Checks a moderator action on another person: the viewer must first be allowed the
 * community-level action (a refusal there is FORBIDDEN, or NOT_FOUND for what they may not
 * see), then the person-level rule.
 */
function assertOnMember(viewer: Viewer, action: MemberAction, facts: CommunityFacts, personId: string, m: Membership | null): void {
  const base = action === 'set_role' ? 'manage' : 'moderate';
  if (!canOnCommunity(viewer, base, facts)) {
    throw new RucheError('FORBIDDEN', base === 'manage' ? 'Only owners and tenant admins can do this' : 'Only owners and moderators can do this');
  }
  if (!canOnMember(viewer, action, facts, { personId, membership: m })) throw refusedMember(action, m, facts);
}

export interface CommunityMembershipResult {
  community: Community;
  membership: Membership | null;
}

async function result(db: Queryable, viewer: Viewer, communityId: string): Promise<CommunityMembershipResult> {
  const community = await getCommunity(db, viewer, communityId);
  return { community, membership: community.membership };
}

/** Joins a public community at once (accepting an invitation if there is one); joining follows. */
export async function joinCommunity(db: Db, viewer: Viewer, ref: string): Promise<CommunityMembershipResult> {
  const id = await db.transaction(async (tx) => {
    const { row, facts } = await lockCommunity(tx, viewer, ref);
    const m = facts.membership;
    if (m?.state === 'banned') throw new RucheError('COMMUNITY_BANNED', 'You are banned from this community');
    if (m?.state === 'active') return row.id;
    refuseOrgUnit(row, 'join');
    if (m?.state === 'invited' && !facts.archived) {
      await setMembership(tx, viewer.tenantId, row.id, viewer.personId, { role: m.role, state: 'active' });
      await follow(tx, viewer.tenantId, viewer.personId, row.id);
      return row.id;
    }
    if (!canOnCommunity(viewer, 'join', facts)) {
      if (facts.archived) throw new RucheError('FORBIDDEN', 'This community is archived (read-only)');
      if (m?.state === 'requested') throw new RucheError('FORBIDDEN', 'Your request to join is waiting for approval');
      throw new RucheError('FORBIDDEN', 'This community is private: ask to join it');
    }
    await setMembership(tx, viewer.tenantId, row.id, viewer.personId, { role: 'member', state: 'active' });
    await follow(tx, viewer.tenantId, viewer.personId, row.id);
    return row.id;
  });
  return result(db, viewer, id);
}

/**
 * Asks to join a private community; owners and moderators approve or deny. A public
 * community is joined at once, and a pending invitation is accepted.
 */
export async function requestToJoin(db: Db, viewer: Viewer, ref: string): Promise<CommunityMembershipResult> {
  const row = await loadCommunityRow(db, viewer, ref);
  const facts = row ? factsOf(row) : undefined;
  assertOnCommunity(viewer, 'see', facts);
  if (row!.visibility === 'public' || facts.membership?.state === 'invited') return joinCommunity(db, viewer, row!.id);
  const id = await db.transaction(async (tx) => {
    const { row, facts } = await lockCommunity(tx, viewer, ref);
    const m = facts.membership;
    if (m?.state === 'banned') throw new RucheError('COMMUNITY_BANNED', 'You are banned from this community');
    if (m?.state === 'active' || m?.state === 'requested') return row.id;
    refuseOrgUnit(row, 'join');
    assertOnCommunity(viewer, 'request', facts);
    await setMembership(tx, viewer.tenantId, row.id, viewer.personId, { role: 'member', state: 'requested' });
    const deciders = await tx.query<{ person_id: string }>(
      `select person_id from memberships where tenant_id = $1 and community_id = $2 and state = 'active' and role in ('owner', 'moderator')`,
      [viewer.tenantId, row.id],
    );
    await notifyMany(tx, {
      tenantId: viewer.tenantId,
      personIds: deciders.rows.map((d) => d.person_id),
      kind: 'join_request',
      data: { communityId: row.id, requesterId: viewer.personId },
      actorId: viewer.personId,
    });
    return row.id;
  });
  return result(db, viewer, id);
}

async function moderatorAction(
  db: Db,
  viewer: Viewer,
  ref: string,
  personRef: string,
  action: MemberAction,
  apply: (tx: Queryable, communityId: string, personId: string, m: Membership | null) => Promise<Record<string, unknown> | void>,
  check?: (row: CommunityRow) => void,
): Promise<{ communityId: string; personId: string }> {
  return db.transaction(async (tx) => {
    const { row, facts } = await lockCommunity(tx, viewer, ref);
    const base = action === 'set_role' ? 'manage' : 'moderate';
    if (!canOnCommunity(viewer, base, facts)) assertOnMember(viewer, action, facts, viewer.personId, null);
    check?.(row);
    const personId = await targetPerson(tx, viewer, personRef).catch(async (err: unknown) => {
      // A banned or requested former employee can still be unbanned or denied by id.
      if ((action === 'unban' || action === 'deny') && isUuid(personRef)) return personRef;
      throw err;
    });
    const m = await membershipOf(tx, viewer.tenantId, row.id, personId);
    assertOnMember(viewer, action, facts, personId, m);
    const data = (await apply(tx, row.id, personId, m)) ?? {};
    await recordAudit(tx, {
      tenantId: viewer.tenantId,
      actorId: viewer.personId,
      action: `community.${action}`,
      targetType: 'community',
      targetId: row.id,
      data: { personId, ...data },
    });
    return { communityId: row.id, personId };
  });
}

export interface MemberView {
  personId: string;
  displayName: string;
  jobTitle: string | null;
  department: string | null;
  role: MembershipRole;
  state: MembershipState;
  since: string;
}

async function memberView(q: Queryable, tenantId: string, communityId: string, personId: string): Promise<MemberView | null> {
  const r = await q.query<MemberRow>(
    `${memberSelect} where m.tenant_id = $1 and m.community_id = $2 and m.person_id = $3`,
    [tenantId, communityId, personId],
  );
  return r.rows[0] ? toMember(r.rows[0]) : null;
}

/** Approves a pending request: the person becomes an active member and follows the community. */
export async function approveRequest(db: Db, viewer: Viewer, ref: string, personRef: string): Promise<MemberView> {
  const { communityId, personId } = await moderatorAction(db, viewer, ref, personRef, 'approve', async (tx, cid, pid) => {
    await setMembership(tx, viewer.tenantId, cid, pid, { role: 'member', state: 'active' });
    await follow(tx, viewer.tenantId, pid, cid);
  });
  return (await memberView(db, viewer.tenantId, communityId, personId))!;
}

/** Denies a pending request (the person may ask again later). */
export async function denyRequest(db: Db, viewer: Viewer, ref: string, personRef: string, reason?: string): Promise<void> {
  await moderatorAction(db, viewer, ref, personRef, 'deny', async (tx, cid, pid) => {
    await removeMembership(tx, viewer.tenantId, cid, pid);
    return reason ? { reason } : {};
  });
}

/** Invites a person; they accept or decline. Inviting someone who asked to join approves them. */
export async function inviteMember(db: Db, viewer: Viewer, ref: string, personRef: string): Promise<MemberView> {
  const { communityId, personId } = await moderatorAction(
    db,
    viewer,
    ref,
    personRef,
    'invite',
    async (tx, cid, pid, m) => {
      if (m?.state === 'requested') {
        await setMembership(tx, viewer.tenantId, cid, pid, { role: 'member', state: 'active' });
        await follow(tx, viewer.tenantId, pid, cid);
        return { approvedRequest: true };
      }
      await setMembership(tx, viewer.tenantId, cid, pid, { role: 'member', state: 'invited' });
      await notify(tx, { tenantId: viewer.tenantId, personId: pid, kind: 'invitation', data: { communityId: cid }, actorId: viewer.personId });
    },
    (row) => refuseOrgUnit(row, 'invite people to'),
  );
  return (await memberView(db, viewer.tenantId, communityId, personId))!;
}

/** The invitee accepts their invitation. */
export async function acceptInvitation(db: Db, viewer: Viewer, ref: string): Promise<CommunityMembershipResult> {
  const row = await loadCommunityRow(db, viewer, ref);
  const facts = row ? factsOf(row) : undefined;
  assertOnCommunity(viewer, 'see', facts);
  if (facts.membership?.state !== 'invited') throw new RucheError('COMMUNITY_NO_INVITATION');
  return joinCommunity(db, viewer, row!.id);
}

/** The invitee declines their invitation. */
export async function declineInvitation(db: Db, viewer: Viewer, ref: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { row, facts } = await lockCommunity(tx, viewer, ref);
    if (facts.membership?.state !== 'invited') throw new RucheError('COMMUNITY_NO_INVITATION');
    await removeMembership(tx, viewer.tenantId, row.id, viewer.personId);
  });
}

/**
 * Leaves a community (or withdraws a request). The last owner must name another active
 * member as owner; org-unit communities cannot be left by hand. Leaving unfollows.
 */
export async function leaveCommunity(db: Db, viewer: Viewer, ref: string, input: { newOwner?: string } = {}): Promise<void> {
  await db.transaction(async (tx) => {
    const { row, facts } = await lockCommunity(tx, viewer, ref);
    const m = facts.membership;
    if (!m || m.state === 'invited') throw new RucheError('COMMUNITY_NOT_MEMBER', 'You are not a member of this community');
    if (m.state === 'banned') throw new RucheError('COMMUNITY_BANNED', 'You are banned from this community');
    if (m.state === 'active') refuseOrgUnit(row, 'leave');
    if (m.state === 'active' && m.role === 'owner') {
      const owners = await activeOwners(tx, viewer.tenantId, row.id);
      if (owners.filter((o) => o !== viewer.personId).length === 0) {
        if (!input.newOwner) {
          throw new RucheError('COMMUNITY_LAST_OWNER', 'You are the last owner: name another member as owner (newOwner) before you leave, or archive the community', {
            details: { issues: [{ path: 'newOwner', message: 'Name an active member to become owner' }] },
          });
        }
        const heir = await targetPerson(tx, viewer, input.newOwner).catch(() => {
          throw invalid('newOwner', 'No such person');
        });
        const hm = await membershipOf(tx, viewer.tenantId, row.id, heir);
        if (heir === viewer.personId || hm?.state !== 'active') throw invalid('newOwner', 'The new owner must be another active member');
        await setMembership(tx, viewer.tenantId, row.id, heir, { role: 'owner', state: 'active' });
        await recordAudit(tx, {
          tenantId: viewer.tenantId,
          actorId: viewer.personId,
          action: 'community.set_role',
          targetType: 'community',
          targetId: row.id,
          data: { personId: heir, from: hm.role, to: 'owner', handover: true },
        });
      }
    }
    await removeMembership(tx, viewer.tenantId, row.id, viewer.personId);
    await unfollow(tx, viewer.tenantId, viewer.personId, row.id);
  });
}

/** Changes the role of an active member (owners and tenant admins); the last owner cannot step down. */
export async function setMemberRole(db: Db, viewer: Viewer, ref: string, personRef: string, role: MembershipRole): Promise<MemberView> {
  if (!membershipRoles.includes(role)) throw invalid('role', `Must be one of: ${membershipRoles.join(', ')}`);
  const { communityId, personId } = await moderatorAction(db, viewer, ref, personRef, 'set_role', async (tx, cid, pid, m) => {
    if (m!.role === role) return { from: role, to: role };
    if (m!.role === 'owner') {
      const owners = await activeOwners(tx, viewer.tenantId, cid);
      if (owners.length <= 1) throw new RucheError('COMMUNITY_LAST_OWNER', 'Make another member owner first: a community needs at least one owner');
    }
    await setMembership(tx, viewer.tenantId, cid, pid, { role, state: 'active' });
    return { from: m!.role, to: role };
  });
  return (await memberView(db, viewer.tenantId, communityId, personId))!;
}

/** Bans a person: they lose membership and follow, and cannot rejoin, post, comment or react. */
export async function banMember(db: Db, viewer: Viewer, ref: string, personRef: string, reason?: string): Promise<MemberView> {
  const { communityId, personId } = await moderatorAction(db, viewer, ref, personRef, 'ban', async (tx, cid, pid, m) => {
    if (m?.state === 'active' && m.role === 'owner') {
      const owners = await activeOwners(tx, viewer.tenantId, cid);
      if (owners.length <= 1) throw new RucheError('COMMUNITY_LAST_OWNER', 'Make another member owner before banning the last owner');
    }
    await setMembership(tx, viewer.tenantId, cid, pid, { role: 'member', state: 'banned' });
    await unfollow(tx, viewer.tenantId, pid, cid);
    return { previous: m, ...(reason ? { reason } : {}) };
  });
  return (await memberView(db, viewer.tenantId, communityId, personId))!;
}

/** Lifts a ban: the person is no longer a member and may join or ask again. */
export async function unbanMember(db: Db, viewer: Viewer, ref: string, personRef: string): Promise<void> {
  await moderatorAction(db, viewer, ref, personRef, 'unban', async (tx, cid, pid) => {
    await removeMembership(tx, viewer.tenantId, cid, pid);
  });
}

/** Follows a community without joining it (public ones; members of others). */
export async function followCommunity(db: Db, viewer: Viewer, ref: string): Promise<Community> {
  const row = await loadCommunityRow(db, viewer, ref);
  const facts = row ? factsOf(row) : undefined;
  assertOnCommunity(viewer, 'see', facts);
  if (!canFollowCommunity(viewer, facts)) throw new RucheError('FORBIDDEN', 'Only members can follow this community');
  await follow(db, viewer.tenantId, viewer.personId, row!.id);
  return getCommunity(db, viewer, row!.id);
}

export async function unfollowCommunity(db: Db, viewer: Viewer, ref: string): Promise<Community> {
  const row = await loadCommunityRow(db, viewer, ref);
  assertOnCommunity(viewer, 'see', row ? factsOf(row) : undefined);
  await unfollow(db, viewer.tenantId, viewer.personId, row!.id);
  return getCommunity(db, viewer, row!.id);
}

interface MemberRow {
  person_id: string;
  display_name: string;
  job_title: string | null;
  department: string | null;
  role: MembershipRole;
  state: MembershipState;
  created_at: Date | string;
}

const memberSelect = `select m.person_id, p.display_name, p.job_title, p.department, m.role, m.state, m.created_at
  from memberships m join people p on p.tenant_id = m.tenant_id and p.id = m.person_id`;

function toMember(r: MemberRow): MemberView {
  return {
    personId: r.person_id,
    displayName: r.display_name,
    jobTitle: r.job_title,
    department: r.department,
    role: r.role,
    state: r.state,
    since: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
  };
}

export interface ListMembersInput {
  /** 'active' (default) for whoever may read the community; other states for moderators. */
  state?: MembershipState;
  role?: MembershipRole;
  cursor?: string;
  limit?: number;
}

/** The members of a community, by name, keyset-paginated; readable by those who may read the community. */
export async function listMembers(q: Queryable, viewer: Viewer, ref: string, input: ListMembersInput = {}): Promise<Page<MemberView>> {
  const row = await loadCommunityRow(q, viewer, ref);
  const facts = row ? factsOf(row) : undefined;
  const state = input.state ?? 'active';
  assertOnCommunity(viewer, 'read', facts);
  if (state !== 'active' && !canOnMember(viewer, 'list_pending', facts, { personId: viewer.personId, membership: facts.membership })) {
    throw new RucheError('FORBIDDEN', 'Only owners and moderators see requests, invitations and bans');
  }
  if (input.role !== undefined && !membershipRoles.includes(input.role)) throw invalid('role', `Must be one of: ${membershipRoles.join(', ')}`);
  const limit = input.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) throw invalid('limit', `Must be an integer from 1 to ${PAGE_MAX}`);
  const cursor = decodeCursor(input.cursor, ['string', 'string']);
  if (cursor && !isUuid(String(cursor[1]))) throw new RucheError('INVALID_CURSOR');
  const params: unknown[] = [viewer.tenantId, row!.id, state, input.role ?? null];
  let after = '';
  if (cursor) {
    params.push(cursor[0], cursor[1]);
    after = 'and (p.display_name, m.person_id) > ($5::text, $6::uuid)';
  }
  params.push(limit + 1);
  const r = await q.query<MemberRow>(
    `${memberSelect}
     where m.tenant_id = $1 and m.community_id = $2 and m.state = $3 and ($4::text is null or m.role = $4) ${after}
     order by p.display_name, m.person_id
     limit $${params.length}`,
    params,
  );
  return pageOf(r.rows, limit, (x) => [x.display_name, x.person_id], toMember);
}

/** Pending requests to join, for owners and moderators. */
export async function listJoinRequests(q: Queryable, viewer: Viewer, ref: string, input: { cursor?: string; limit?: number } = {}): Promise<Page<MemberView>> {
  return listMembers(q, viewer, ref, { ...input, state: 'requested' });
}
