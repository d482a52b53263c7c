/**
 * Who may find an item through Microsoft Search (the Graph connector). The connector's ACL
 * must never be wider than canOnContent(viewer, 'read', item): it is derived here, from the
 * same facts, and the policy tests check the two agree.
 */
import type { CommunityVisibility } from './policy.js';

export interface SearchItemFacts {
  hidden: boolean;
  deleted: boolean;
  /** null for organisation-wide items (announcements without a community). */
  community: { visibility: CommunityVisibility; linkedGroupId: string | null } | null;
}

/**
 * - `none`: not indexed (deleted or hidden items: hidden ones are read only by their author
 *   and moderators, which the connector does not model);
 * - `everyone`: the whole tenant, except the people banned from the community (denied);
 * - `members`: the active members of the community, through the linked Entra group when the
 *   community is private and linked (its membership is kept in step by directory sync),
 *   otherwise person by person. Secret communities never go through a group: only the
 *   members Ruche knows are granted.
 * Tenant admins may read private content in Ruche, but are not granted here: the ACL may be
 * narrower than the policy, never wider.
 */
export type SearchAudience =
  | { kind: 'none' }
  | { kind: 'everyone'; denyBanned: boolean }
  | { kind: 'members'; via: 'group'; groupId: string }
  | { kind: 'members'; via: 'people' };

export function searchAudience(item: SearchItemFacts): SearchAudience {
  if (item.deleted || item.hidden) return { kind: 'none' };
  const c = item.community;
  if (!c) return { kind: 'everyone', denyBanned: false };
  switch (c.visibility) {
    case 'public':
      return { kind: 'everyone', denyBanned: true };
    case 'private':
      return c.linkedGroupId ? { kind: 'members', via: 'group', groupId: c.linkedGroupId } : { kind: 'members', via: 'people' };
    case 'secret':
      return { kind: 'members', via: 'people' };
  }
}
