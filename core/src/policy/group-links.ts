/** Links between Microsoft 365 groups (or teams) and communities: who may make, change or remove them. */
import { isTenantAdmin, type CommunityFacts, type Viewer } from './policy.js';

/**
 * A tenant administrator may link any group to any community; a community owner may link a
 * group of which they are also an owner in Microsoft 365 (Graph says so), and unlink or
 * change the link of their community on the same condition.
 */
export function canLinkGroup(viewer: Viewer, c: CommunityFacts, viewerOwnsGroup: boolean): boolean {
  if (viewer.tenantId !== c.tenantId) return false;
  if (isTenantAdmin(viewer)) return true;
  return viewerOwnsGroup && c.membership?.state === 'active' && c.membership.role === 'owner' && !c.archived;
}

/** Who may read a community's link: anyone who may see the community's settings (its owners and moderators) or an administrator. */
export function canSeeGroupLink(viewer: Viewer, c: CommunityFacts): boolean {
  if (viewer.tenantId !== c.tenantId) return false;
  if (isTenantAdmin(viewer)) return true;
  return c.membership?.state === 'active' && (c.membership.role === 'owner' || c.membership.role === 'moderator');
}
