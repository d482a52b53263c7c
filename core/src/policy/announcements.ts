/**
 * Must-read announcements: who may publish to which target, who may acknowledge, and who
 * sees reach and acknowledgement. Part of the one policy (re-exported by policy/index.ts).
 */
import { type CommunityFacts, type ContentFacts, type Viewer, canOnCommunity, canOnContent, canStartPost, isTenantAdmin } from './policy.js';

/** Communicators (people.roles contains 'communicator') speak for the organisation; tenant admins may too. */
export function isCommunicator(viewer: Viewer): boolean {
  return viewer.roles.includes('communicator') || isTenantAdmin(viewer);
}

export type AnnouncementTargetFacts =
  | { kind: 'organisation' }
  | { kind: 'department' }
  | { kind: 'manager' }
  | { kind: 'community'; community: CommunityFacts; communityId: string };

/** Where the announcement lives: organisation-wide (no community) or inside one community. */
export interface AnnouncementPlacement {
  tenantId: string;
  /** The community the announcement is posted in, or null for an organisation-level announcement. */
  community: (CommunityFacts & { id: string }) | null;
}

/**
 * Publishing an announcement to a target:
 * - inside a community: only to that community (its active members), by whoever may start
 *   an announcement there (owners, moderators, tenant admins; not in an archived community);
 * - organisation-level: communicators and tenant admins, to the whole organisation, a
 *   department, a manager's team or subtree, or a PUBLIC community they see (a private or
 *   secret community is targeted from inside it, so that its content stays members-only).
 */
export function canPublishAnnouncement(viewer: Viewer, placement: AnnouncementPlacement, target: AnnouncementTargetFacts): boolean {
  if (viewer.tenantId !== placement.tenantId) return false;
  const home = placement.community;
  if (home) {
    return target.kind === 'community' && target.communityId === home.id && canStartPost(viewer, 'announcement', home);
  }
  if (!isCommunicator(viewer)) return false;
  if (target.kind === 'community') {
    return target.community.tenantId === viewer.tenantId && target.community.visibility === 'public' && !target.community.archived
      && canOnCommunity(viewer, 'see', target.community);
  }
  return true;
}

export type AnnouncementAction = 'read' | 'acknowledge' | 'report' | 'edit';

export interface AnnouncementFacts {
  /** The post (content facts: author, hidden, deleted, community). */
  content: ContentFacts;
  mustRead: boolean;
  /** The viewer belongs to the current audience (resolved from the directory and memberships). */
  inAudience: boolean;
}

/**
 * - read: like any content (a private community's announcement stays members-only;
 *   organisation-level ones are readable by every employee of the tenant);
 * - acknowledge: a must-read announcement, by a member of its audience who may read it;
 * - report (reach and acknowledgement, CSV): its author, tenant admins, moderators of its
 *   community, and communicators who may read it;
 * - edit: its author (canOnContent 'edit').
 */
export function canOnAnnouncement(viewer: Viewer, action: AnnouncementAction, a: AnnouncementFacts): boolean {
  if (!canOnContent(viewer, 'read', a.content)) return false;
  switch (action) {
    case 'read':
      return true;
    case 'acknowledge':
      return a.mustRead && a.inAudience && !a.content.hidden;
    case 'report': {
      const c = a.content.community;
      return (
        a.content.authorId === viewer.personId ||
        isTenantAdmin(viewer) ||
        (c !== null && canOnCommunity(viewer, 'moderate', c)) ||
        viewer.roles.includes('communicator')
      );
    }
    case 'edit':
      return canOnContent(viewer, 'edit', a.content);
  }
}
