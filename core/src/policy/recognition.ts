/**
 * Recognition: who may see a kudos, who may give one to whom, who manages values and
 * recognition settings. Part of the one policy (re-exported by policy/index.ts).
 *
 * A person is "excluded from recognition" when they opted out, or when recognition is
 * switched off for their country or office (works-council and privacy rules, tenant
 * settings). Nobody may give them kudos, they appear on no wall or leaderboard, and the
 * kudos they received are hidden from everyone but themselves.
 */
import { type CommunityFacts, type Viewer, canOnCommunity, isTenantAdmin, sqlCommunityReadable } from './policy.js';

export type KudosVisibility = 'public' | 'community' | 'private';

export interface KudosRecipientFacts {
  personId: string;
  managerId: string | null;
  /** Excluded from recognition (opt-out, country or office switched off). */
  excluded: boolean;
}

export interface KudosFacts {
  tenantId: string;
  giverId: string;
  visibility: KudosVisibility;
  /** The community of a 'community' kudos (with the viewer's membership). */
  community: CommunityFacts | null;
  recipients: KudosRecipientFacts[];
  deleted: boolean;
}

/** The recipients of a kudos the viewer is shown: excluded people only to themselves. */
export function visibleKudosRecipients(viewer: Viewer, k: KudosFacts): KudosRecipientFacts[] {
  return k.recipients.filter((r) => !r.excluded || r.personId === viewer.personId);
}

export type KudosAction = 'read' | 'delete';

/**
 * - read: public kudos by every employee; community kudos by the community's readers;
 *   private kudos only by the giver, the recipients and the recipients' managers. The
 *   giver and recipients always read it. It must name at least one recipient the viewer
 *   is shown (see visibleKudosRecipients).
 * - delete: the giver, or a tenant admin (moderation).
 */
export function canOnKudos(viewer: Viewer, action: KudosAction, k: KudosFacts): boolean {
  if (viewer.tenantId !== k.tenantId || k.deleted) return false;
  if (visibleKudosRecipients(viewer, k).length === 0) return false;
  const involved = k.giverId === viewer.personId || k.recipients.some((r) => r.personId === viewer.personId);
  let read: boolean;
  switch (k.visibility) {
    case 'public':
      read = true;
      break;
    case 'community':
      read = involved || (k.community !== null && canOnCommunity(viewer, 'read', k.community));
      break;
    case 'private':
      read = involved || k.recipients.some((r) => r.managerId === viewer.personId);
      break;
  }
  if (action === 'read') return read;
  return read && (k.giverId === viewer.personId || isTenantAdmin(viewer));
}

export interface KudosGiftFacts {
  tenantId: string;
  /** The giver is excluded from recognition by a country or office rule. */
  giverSwitchedOff: boolean;
  recipient: { personId: string; formerEmployee: boolean; excluded: boolean };
}

export type KudosRefusal = 'self' | 'former_employee' | 'recognition_off' | 'giver_recognition_off' | 'other_tenant';

/** Why `viewer` may not give kudos to this recipient, or null when they may. */
export function kudosRefusal(viewer: Viewer, f: KudosGiftFacts): KudosRefusal | null {
  if (viewer.tenantId !== f.tenantId) return 'other_tenant';
  if (f.giverSwitchedOff) return 'giver_recognition_off';
  if (f.recipient.personId === viewer.personId) return 'self';
  if (f.recipient.formerEmployee) return 'former_employee';
  if (f.recipient.excluded) return 'recognition_off';
  return null;
}

/** Posting a kudos to a community: whoever may comment there (readers, not banned, not archived). */
export function canGiveKudosInCommunity(viewer: Viewer, c: CommunityFacts): boolean {
  return canOnCommunity(viewer, 'comment', c);
}

export type RecognitionTenantAction = 'manage_values' | 'manage_settings';

/** Company values and recognition settings (daily cap, switched-off countries and offices): tenant admins and HR. */
export function canOnRecognition(viewer: Viewer, _action: RecognitionTenantAction, tenantId: string): boolean {
  return viewer.tenantId === tenantId && (isTenantAdmin(viewer) || viewer.roles.includes('hr'));
}

/**
 * SQL: person `p` (a people alias) is excluded from recognition. `countries` and `offices`
 * are placeholders of text[] of lower-cased names switched off by the tenant.
 */
export function sqlRecognitionExcluded(p: string, countries: string, offices: string): string {
  return `(lower(coalesce(${p}.country, '')) = any(${countries}::text[]) or lower(coalesce(${p}.office, '')) = any(${offices}::text[])
    or exists (select 1 from recognition_preferences rx where rx.tenant_id = ${p}.tenant_id and rx.person_id = ${p}.id and rx.opted_out))`;
}

/**
 * SQL form of canOnKudos(viewer, 'read', k) for kudos `k`: `viewer` and `admin` as in the
 * community predicates; `countries` and `offices` as in sqlRecognitionExcluded.
 */
export function sqlKudosReadable(k: string, viewer: string, admin: string, countries: string, offices: string): string {
  return `(${k}.deleted_at is null
    and exists (select 1 from kudos_recipients kr0 join people kp0 on kp0.tenant_id = kr0.tenant_id and kp0.id = kr0.recipient_id
      where kr0.tenant_id = ${k}.tenant_id and kr0.kudos_id = ${k}.id
        and (kp0.id = ${viewer} or not ${sqlRecognitionExcluded('kp0', countries, offices)}))
    and (${k}.visibility = 'public' or ${k}.giver_id = ${viewer}
      or exists (select 1 from kudos_recipients kr1 join people kp1 on kp1.tenant_id = kr1.tenant_id and kp1.id = kr1.recipient_id
        where kr1.tenant_id = ${k}.tenant_id and kr1.kudos_id = ${k}.id
          and (kr1.recipient_id = ${viewer} or (${k}.visibility = 'private' and kp1.manager_id = ${viewer})))
      or (${k}.visibility = 'community' and exists (select 1 from communities kc where kc.tenant_id = ${k}.tenant_id and kc.id = ${k}.community_id
        and ${sqlCommunityReadable('kc', viewer, admin)}))))`;
}

/**
 * SQL: the id of the kudos that earned badge `b` (kudos_badges alias), shown only to those
 * who may read that kudos (sqlKudosReadable), else null: a badge earned by a kudos in a
 * private or secret community never points at it for others.
 */
export function sqlBadgeKudosId(b: string, viewer: string, admin: string, countries: string, offices: string): string {
  return `(case when ${b}.kudos_id is not null and exists (select 1 from kudos bk where bk.tenant_id = ${b}.tenant_id and bk.id = ${b}.kudos_id
    and ${sqlKudosReadable('bk', viewer, admin, countries, offices)}) then ${b}.kudos_id end)`;
}
