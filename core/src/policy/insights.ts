/**
 * Insights and meetups: who may see a community's insights, the organisation-wide insights
 * (connectors across departments, meetup statistics), who manages meetup settings, and
 * which people may be named in insights. Part of the one policy (re-exported by policy/index.ts).
 */
import { type CommunityFacts, type Viewer, canOnCommunity, isTenantAdmin, sqlCommunityModerator, sqlCommunityReadable } from './policy.js';
import { sqlRecognitionExcluded } from './recognition.js';

/** A community's insights (health, engagement, reach, interactions, CSV): its owners and moderators, and tenant admins. */
export function canSeeCommunityInsights(viewer: Viewer, c: CommunityFacts): boolean {
  return viewer.tenantId === c.tenantId && canOnCommunity(viewer, 'moderate', c);
}

export type OrganisationInsightAction = 'read' | 'manage_meetups';

/**
 * - read: organisation-wide insights (connectors across departments, meetup statistics):
 *   tenant admins, communicators and HR.
 * - manage_meetups: the meetup cadence and repeat rule: tenant admins and HR.
 */
export function canOnOrganisationInsights(viewer: Viewer, action: OrganisationInsightAction, tenantId: string): boolean {
  if (viewer.tenantId !== tenantId) return false;
  if (isTenantAdmin(viewer) || viewer.roles.includes('hr')) return true;
  return action === 'read' && viewer.roles.includes('communicator');
}

/** A meetup match is seen and answered ("did you meet?") by its two people only. */
export function canOnMeetupMatch(viewer: Viewer, match: { tenantId: string; personA: string; personB: string }): boolean {
  return viewer.tenantId === match.tenantId && (match.personA === viewer.personId || match.personB === viewer.personId);
}

/**
 * SQL: person `p` may be named in insights (e.g. as a connector): not a former employee,
 * not opted out of insights, not excluded from recognition (`countries` and `offices` as
 * in sqlRecognitionExcluded).
 */
export function sqlNamedInInsights(p: string, countries: string, offices: string): string {
  return `(not ${p}.is_former_employee and not ${sqlRecognitionExcluded(p, countries, offices)}
    and not exists (select 1 from insight_preferences ix where ix.tenant_id = ${p}.tenant_id and ix.person_id = ${p}.id and ix.opted_out))`;
}

/**
 * SQL: post `i` (with its community `c`, left-joined: organisation-wide posts have none) is
 * readable by the viewer. Same rule as canOnContent(viewer, 'read', ...).
 */
export function sqlPostReadable(i: string, c: string, viewer: string, admin: string): string {
  return `(${i}.deleted_at is null and case when ${i}.community_id is null
      then (${i}.hidden_at is null or ${i}.author_id = ${viewer} or ${admin})
      else (${c}.id is not null and ${sqlCommunityReadable(c, viewer, admin)}
        and (${i}.hidden_at is null or ${i}.author_id = ${viewer} or ${sqlCommunityModerator(c, viewer, admin)})) end)`;
}
