import { randomUUID } from 'node:crypto';
import { type CommunityFacts, type ContentFacts, type Viewer, canModerateContent, canOnContent, canOnTenant } from './policy.js';

describe('governance decisions', () => {
  const tenantId = randomUUID();
  const person: Viewer = { tenantId, personId: randomUUID(), roles: [] };
  const admin: Viewer = { ...person, roles: ['admin'] };
  const otherAdmin: Viewer = { tenantId: randomUUID(), personId: randomUUID(), roles: ['admin'] };
  const community = (membership: CommunityFacts['membership']): CommunityFacts => ({
    tenantId,
    visibility: 'public',
    archived: false,
    restrictedPosting: false,
    membership,
  });
  const item = (c: CommunityFacts | null, extra: Partial<ContentFacts> = {}): ContentFacts => ({
    authorId: randomUUID(),
    hidden: false,
    deleted: false,
    community: c,
    ...extra,
  });

  test('only tenant admins of the same tenant administer the tenant', () => {
    for (const action of ['read_audit', 'manage_keyword_rules', 'manage_rate_limits'] as const) {
      expect(canOnTenant(admin, action, tenantId)).toBe(true);
      expect(canOnTenant(person, action, tenantId)).toBe(false);
      expect(canOnTenant(otherAdmin, action, tenantId)).toBe(false);
    }
  });

  test('moderators and admins moderate items even when deleted; members and other tenants do not', () => {
    const mod = community({ role: 'moderator', state: 'active' });
    const owner = community({ role: 'owner', state: 'active' });
    const member = community({ role: 'member', state: 'active' });
    expect(canModerateContent(person, item(mod, { deleted: true }))).toBe(true);
    expect(canOnContent(person, 'moderate', item(mod, { deleted: true }))).toBe(false);
    expect(canModerateContent(person, item(owner))).toBe(true);
    expect(canModerateContent(person, item(member))).toBe(false);
    expect(canModerateContent(person, item(community(null)))).toBe(false);
    expect(canModerateContent(admin, item(community(null)))).toBe(true);
    expect(canModerateContent(admin, item(null))).toBe(true);
    expect(canModerateContent(person, item(null))).toBe(false);
    expect(canModerateContent(otherAdmin, item(community(null)))).toBe(false);
  });
});
