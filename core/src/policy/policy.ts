/**
 * The one authorisation policy of Ruche. Every decision (see, read, post, comment, react,
 * moderate, manage, export) is made here; the API, the bot, live updates, notifications,
 * search and the search connector all ask it. Decisions on one resource are pure
 * functions; lists and counts use the SQL predicates below, which encode the same rules.
 */
import { RucheError } from '../errors.js';

export type CommunityVisibility = 'public' | 'private' | 'secret';
export type MembershipRole = 'owner' | 'moderator' | 'expert' | 'member';
export type MembershipState = 'active' | 'requested' | 'invited' | 'banned';

export interface Viewer {
  tenantId: string;
  personId: string;
  /** Tenant-wide roles: 'admin' (tenant administrator), 'hr', 'communicator'. */
  roles: readonly string[];
}

export interface CommunityFacts {
  tenantId: string;
  visibility: CommunityVisibility;
  archived: boolean;
  restrictedPosting: boolean;
  /** The viewer's membership in the community, if any. */
  membership: { role: MembershipRole; state: MembershipState } | null;
}

export type CommunityAction =
  | 'see' // know that it exists: lists, search, counts, mentions, autocomplete
  | 'read' // read its content
  | 'join' // become a member at once
  | 'request' // ask to join
  | 'post' // start a thread
  | 'comment'
  | 'react'
  | 'moderate' // hide, restore, delete, warn, ban, handle reports, approve requests
  | 'manage'; // settings, roles, archive

export function isTenantAdmin(viewer: Viewer): boolean {
  return viewer.roles.includes('admin');
}

function isActive(c: CommunityFacts): boolean {
  return c.membership?.state === 'active';
}

function isBanned(c: CommunityFacts): boolean {
  return c.membership?.state === 'banned';
}

function hasRole(c: CommunityFacts, ...roles: MembershipRole[]): boolean {
  return isActive(c) && roles.includes(c.membership!.role);
}

export function canOnCommunity(viewer: Viewer, action: CommunityAction, c: CommunityFacts): boolean {
  if (viewer.tenantId !== c.tenantId) return false;
  const admin = isTenantAdmin(viewer);
  const see = c.visibility !== 'secret' || isActive(c) || c.membership?.state === 'invited' || admin;
  const read = c.visibility === 'public' ? !isBanned(c) || admin : isActive(c) || admin;
  switch (action) {
    case 'see':
      return see;
    case 'read':
      return read;
    case 'join':
      return !c.archived && c.visibility === 'public' && !c.membership;
    case 'request':
      return !c.archived && c.visibility === 'private' && (!c.membership || c.membership.state === 'invited');
    case 'post':
      return !c.archived && isActive(c) && (!c.restrictedPosting || hasRole(c, 'owner', 'moderator'));
    case 'comment':
    case 'react':
      return !c.archived && read && !isBanned(c);
    case 'moderate':
      return hasRole(c, 'owner', 'moderator') || admin;
    case 'manage':
      return hasRole(c, 'owner') || admin;
  }
}

/**
 * Throws the error a caller should see when an action is refused. A community the viewer
 * may not see is reported as not found, so that its existence never leaks.
 */
export function assertOnCommunity(viewer: Viewer, action: CommunityAction, c: CommunityFacts | undefined): asserts c {
  if (!c || !canOnCommunity(viewer, 'see', c)) throw new RucheError('NOT_FOUND', 'No such community');
  if (action !== 'see' && !canOnCommunity(viewer, action, c)) {
    if (action !== 'read' && !canOnCommunity(viewer, 'read', c)) {
      throw new RucheError('FORBIDDEN', 'Only members can do this in this community');
    }
    throw new RucheError('FORBIDDEN', c.archived ? 'This community is archived (read-only)' : undefined);
  }
}

/** Content items (posts, comments) and what may be done with them. */
export interface ContentFacts {
  authorId: string;
  hidden: boolean;
  deleted: boolean;
  /** The community the item lives in; null for organisation-wide items (announcements). */
  community: CommunityFacts | null;
}

export type ContentAction = 'read' | 'comment' | 'react' | 'edit' | 'delete' | 'moderate' | 'report' | 'accept_answer';

export function canOnContent(viewer: Viewer, action: ContentAction, item: ContentFacts): boolean {
  const c = item.community;
  const admin = isTenantAdmin(viewer);
  const moderator = c ? canOnCommunity(viewer, 'moderate', c) : admin;
  const readable = c ? canOnCommunity(viewer, 'read', c) : true;
  if (item.deleted) return false;
  if (!readable) return false;
  if (item.hidden && !moderator && item.authorId !== viewer.personId) return false;
  const author = item.authorId === viewer.personId;
  switch (action) {
    case 'read':
      return true;
    case 'comment':
    case 'react':
      return !item.hidden && (c ? canOnCommunity(viewer, action, c) : true);
    case 'edit':
      return author && (!c || !c.archived);
    case 'delete':
      return author || moderator;
    case 'moderate':
      return moderator;
    case 'report':
      return !author;
    case 'accept_answer':
      return (author || moderator) && (!c || !c.archived);
  }
}

export function assertOnContent(viewer: Viewer, action: ContentAction, item: ContentFacts | undefined): asserts item {
  if (!item || !canOnContent(viewer, 'read', item)) throw new RucheError('NOT_FOUND', 'No such item');
  if (action !== 'read' && !canOnContent(viewer, action, item)) throw new RucheError('FORBIDDEN');
}

/** Decisions about people: their data export and erasure, and tenant administration. */
export type PersonAction = 'export' | 'erase' | 'administer';

export function canOnPerson(viewer: Viewer, action: PersonAction, target: { tenantId: string; personId: string }): boolean {
  if (viewer.tenantId !== target.tenantId) return false;
  const admin = isTenantAdmin(viewer);
  switch (action) {
    case 'export':
    case 'erase':
      return viewer.personId === target.personId || admin;
    case 'administer':
      return admin;
  }
}

/**
 * SQL predicates with the same rules, for lists, counts and search. `c` is the alias of
 * communities; `$viewer` and `$admin` are the placeholders of the viewer's person id and
 * admin flag. Keep them in step with canOnCommunity: the policy tests check both agree.
 */
export function sqlCommunityVisible(c: string, viewer: string, admin: string): string {
  return `(${c}.visibility <> 'secret' or ${admin} or exists (
    select 1 from memberships vm where vm.tenant_id = ${c}.tenant_id and vm.community_id = ${c}.id
      and vm.person_id = ${viewer} and vm.state in ('active', 'invited')))`;
}

export function sqlCommunityReadable(c: string, viewer: string, admin: string): string {
  return `(${admin} or exists (
      select 1 from memberships vm where vm.tenant_id = ${c}.tenant_id and vm.community_id = ${c}.id
        and vm.person_id = ${viewer} and vm.state = 'active')
    or (${c}.visibility = 'public' and not exists (
      select 1 from memberships vb where vb.tenant_id = ${c}.tenant_id and vb.community_id = ${c}.id
        and vb.person_id = ${viewer} and vb.state = 'banned')))`;
}

/**
 * SQL selecting `id` of every community of tenant `t` that viewer `v` may read: the set
 * form of sqlCommunityReadable, for statements that filter many rows by community. It is
 * built from the viewer's own memberships (their bans, their active memberships) instead of
 * a check per community. `nonPublicOnly`: only the private and secret ones.
 */
export function sqlReadableCommunityIds(t: string, viewer: string, admin: string, options: { nonPublicOnly?: boolean } = {}): string {
  const active = `select rm.community_id from memberships rm where rm.tenant_id = ${t} and rm.person_id = ${viewer} and rm.state = 'active'`;
  if (options.nonPublicOnly) {
    return `select rp.id from communities rp where rp.tenant_id = ${t} and rp.visibility <> 'public' and (${admin} or rp.id in (${active}))`;
  }
  return `select rp.id from communities rp where rp.tenant_id = ${t} and (${admin} or (rp.visibility = 'public' and rp.id not in (
      select rb.community_id from memberships rb where rb.tenant_id = ${t} and rb.person_id = ${viewer} and rb.state = 'banned')))
    union
    ${active}`;
}

/**
 * Communities: who may create which kind, and what owners, moderators and tenant admins
 * may do to other members (invite, approve, change roles, ban).
 */
export interface NewCommunityFacts {
  tenantId: string;
  kind: 'org_unit' | 'interest' | 'profession' | 'project';
  isOfficial: boolean;
}

/** Any employee creates interest, profession and project communities; org-unit ones and the official flag are for tenant admins. */
export function canCreateCommunity(viewer: Viewer, c: NewCommunityFacts): boolean {
  if (viewer.tenantId !== c.tenantId) return false;
  if (c.kind === 'org_unit' || c.isOfficial) return isTenantAdmin(viewer);
  return true;
}

/** Setting or clearing the official flag of an existing community: tenant admins only. */
export function canSetOfficial(viewer: Viewer, c: CommunityFacts): boolean {
  return viewer.tenantId === c.tenantId && isTenantAdmin(viewer);
}

/** Following without joining: whoever may read it (public for everyone but the banned; private and secret for members). */
export function canFollowCommunity(viewer: Viewer, c: CommunityFacts): boolean {
  return canOnCommunity(viewer, 'read', c);
}

export type MemberAction = 'invite' | 'approve' | 'deny' | 'list_pending' | 'set_role' | 'ban' | 'unban';

export interface MemberTarget {
  personId: string;
  membership: { role: MembershipRole; state: MembershipState } | null;
}

const roleRank: Record<MembershipRole, number> = { member: 0, expert: 0, moderator: 1, owner: 2 };

export function canOnMember(viewer: Viewer, action: MemberAction, c: CommunityFacts, target: MemberTarget): boolean {
  if (viewer.tenantId !== c.tenantId) return false;
  const admin = isTenantAdmin(viewer);
  const moderate = canOnCommunity(viewer, 'moderate', c);
  const self = target.personId === viewer.personId;
  const m = target.membership;
  switch (action) {
    case 'list_pending':
      return moderate;
    case 'invite':
      return moderate && !c.archived && m?.state !== 'active' && m?.state !== 'banned' && m?.state !== 'invited';
    case 'approve':
    case 'deny':
      return moderate && !c.archived && m?.state === 'requested';
    case 'set_role':
      return canOnCommunity(viewer, 'manage', c) && !c.archived && m?.state === 'active';
    case 'ban': {
      if (!moderate || self || m?.state === 'banned') return false;
      if (admin) return true;
      // A moderator bans members and experts; an owner also bans moderators; only a tenant admin bans an owner.
      const actorRank = roleRank[c.membership!.role];
      const targetRank = m?.state === 'active' ? roleRank[m.role] : 0;
      return targetRank < actorRank;
    }
    case 'unban':
      return moderate && m?.state === 'banned';
  }
}

/**
 * Posts: which kind a viewer may start in a community. Announcements (the top-down
 * channel) are for owners, moderators and tenant admins; every other kind follows 'post'.
 */
export type PostKind = 'discussion' | 'question' | 'announcement' | 'idea' | 'poll' | 'event';

export function canStartPost(viewer: Viewer, kind: PostKind, c: CommunityFacts): boolean {
  if (kind === 'announcement') {
    return !c.archived && canOnCommunity(viewer, 'moderate', c) && canOnCommunity(viewer, 'read', c);
  }
  return canOnCommunity(viewer, 'post', c);
}

/**
 * Mentioning a community in a post of `postCommunityId`: the author must see it, and a
 * secret community is resolved only inside itself, so that its name never reaches a reader
 * who may not see it.
 */
export function canMentionCommunity(viewer: Viewer, target: CommunityFacts & { id: string }, postCommunityId: string | null): boolean {
  if (!canOnCommunity(viewer, 'see', target)) return false;
  return target.visibility !== 'secret' || target.id === postCommunityId;
}

/** SQL form of canOnCommunity(viewer, 'moderate', c). */
export function sqlCommunityModerator(c: string, viewer: string, admin: string): string {
  return `(${admin} or exists (
    select 1 from memberships vr where vr.tenant_id = ${c}.tenant_id and vr.community_id = ${c}.id
      and vr.person_id = ${viewer} and vr.state = 'active' and vr.role in ('owner', 'moderator')))`;
}

/**
 * SQL form of canOnContent(viewer, 'read', item) for an item `i` (hidden_at, deleted_at,
 * author_id) in community `c`: lists, feeds and counts use it.
 */
export function sqlContentReadable(i: string, c: string, viewer: string, admin: string): string {
  return `(${i}.deleted_at is null and ${sqlCommunityReadable(c, viewer, admin)}
    and (${i}.hidden_at is null or ${i}.author_id = ${viewer} or ${sqlCommunityModerator(c, viewer, admin)}))`;
}

/**
 * Governance: tenant-wide administration (audit log, keyword rules, rate limits) and
 * moderation of an item whatever its state (a deleted item can be restored by whoever
 * moderates its community; tenant admins moderate organisation-wide items).
 */
export type TenantAction = 'read_audit' | 'manage_keyword_rules' | 'manage_rate_limits';

export function canOnTenant(viewer: Viewer, _action: TenantAction, tenantId: string): boolean {
  return viewer.tenantId === tenantId && isTenantAdmin(viewer);
}

export function canModerateContent(viewer: Viewer, item: ContentFacts): boolean {
  return item.community ? viewer.tenantId === item.community.tenantId && canOnCommunity(viewer, 'moderate', item.community) : isTenantAdmin(viewer);
}

/**
 * Who's-who: per-field privacy of a profile, biography verification and endorsements.
 * A field's level: 'everyone'; 'manager' (the person, their manager and HR); 'private'
 * (the person only). The person always sees their own fields.
 */
export type ProfileFieldVisibility = 'everyone' | 'manager' | 'private';

export interface ProfileSubject {
  tenantId: string;
  personId: string;
  managerId: string | null;
}

export function isHr(viewer: Viewer): boolean {
  return viewer.roles.includes('hr');
}

export function canSeeProfileField(viewer: Viewer, level: ProfileFieldVisibility, subject: ProfileSubject): boolean {
  if (viewer.tenantId !== subject.tenantId) return false;
  if (viewer.personId === subject.personId) return true;
  switch (level) {
    case 'everyone':
      return true;
    case 'manager':
      return subject.managerId === viewer.personId || isHr(viewer);
    case 'private':
      return false;
  }
}

/** A biography is verified by the person's manager or by HR, never by the person themselves. */
export function canVerifyBiography(viewer: Viewer, subject: ProfileSubject): boolean {
  if (viewer.tenantId !== subject.tenantId || viewer.personId === subject.personId) return false;
  return subject.managerId === viewer.personId || isHr(viewer);
}

/** Anyone of the organisation endorses a colleague's skill; nobody endorses themselves. */
export function canEndorse(viewer: Viewer, subject: { tenantId: string; personId: string; formerEmployee: boolean }): boolean {
  return viewer.tenantId === subject.tenantId && viewer.personId !== subject.personId && !subject.formerEmployee;
}

/**
 * SQL: kudos `k` counts as evidence of expertise for the viewer: public kudos, and
 * community kudos of a community the viewer may read. Private kudos never count as
 * evidence (they are between the giver, the recipient and the recipient's manager).
 */
export function sqlKudosEvidence(k: string, viewer: string, admin: string): string {
  return `(${k}.deleted_at is null and (${k}.visibility = 'public'
    or (${k}.visibility = 'community' and exists (select 1 from communities ke where ke.tenant_id = ${k}.tenant_id and ke.id = ${k}.community_id
      and ${sqlCommunityReadable('ke', viewer, admin)}))))`;
}

/**
 * SQL: the viewer may count kudos `k` received by `recipient` on a profile: as evidence
 * (above), or a private or community kudos the viewer gave, received, or that their report received.
 */
export function sqlKudosCountable(k: string, recipient: string, viewer: string, admin: string): string {
  return `(${sqlKudosEvidence(k, viewer, admin)} or (${k}.deleted_at is null and (${k}.giver_id = ${viewer} or ${recipient} = ${viewer}
    or (${k}.visibility = 'private' and exists (select 1 from people km where km.tenant_id = ${k}.tenant_id and km.id = ${recipient}
      and km.manager_id = ${viewer})))))`;
}
