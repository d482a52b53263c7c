import { randomUUID } from 'node:crypto';
import type { CommunityFacts, ContentFacts, Viewer } from './policy.js';
import { type AnnouncementFacts, type AnnouncementTargetFacts, canOnAnnouncement, canPublishAnnouncement, isCommunicator } from './announcements.js';

describe('announcement rules', () => {
  const tenantId = randomUUID();
  const me = randomUUID();
  const employee: Viewer = { tenantId, personId: me, roles: [] };
  const communicator: Viewer = { ...employee, roles: ['communicator'] };
  const admin: Viewer = { ...employee, roles: ['admin'] };
  const community = (visibility: CommunityFacts['visibility'], membership: CommunityFacts['membership'], archived = false): CommunityFacts => ({
    tenantId,
    visibility,
    archived,
    restrictedPosting: false,
    membership,
  });
  const org = { tenantId, community: null };
  const orgTargets: AnnouncementTargetFacts[] = [{ kind: 'organisation' }, { kind: 'department' }, { kind: 'manager' }];

  test('organisation-level targets: communicators and tenant admins only', () => {
    expect(isCommunicator(employee)).toBe(false);
    expect(isCommunicator(communicator)).toBe(true);
    expect(isCommunicator(admin)).toBe(true);
    for (const t of orgTargets) {
      expect(canPublishAnnouncement(employee, org, t)).toBe(false);
      expect(canPublishAnnouncement(communicator, org, t)).toBe(true);
      expect(canPublishAnnouncement(admin, org, t)).toBe(true);
      expect(canPublishAnnouncement({ ...communicator, tenantId: randomUUID() }, org, t)).toBe(false);
    }
  });

  test('from the organisation level, only public, live communities the viewer sees', () => {
    const id = randomUUID();
    const target = (c: CommunityFacts): AnnouncementTargetFacts => ({ kind: 'community', community: c, communityId: id });
    expect(canPublishAnnouncement(communicator, org, target(community('public', null)))).toBe(true);
    expect(canPublishAnnouncement(communicator, org, target(community('public', null, true)))).toBe(false);
    expect(canPublishAnnouncement(communicator, org, target(community('private', { role: 'owner', state: 'active' })))).toBe(false);
    expect(canPublishAnnouncement(admin, org, target(community('secret', null)))).toBe(false);
    expect(canPublishAnnouncement(employee, org, target(community('public', { role: 'owner', state: 'active' })))).toBe(false);
  });

  test('inside a community: owners, moderators and admins, to that community only', () => {
    const id = randomUUID();
    for (const [membership, allowed] of [
      [{ role: 'owner', state: 'active' }, true],
      [{ role: 'moderator', state: 'active' }, true],
      [{ role: 'member', state: 'active' }, false],
      [{ role: 'expert', state: 'active' }, false],
      [{ role: 'moderator', state: 'banned' }, false],
      [null, false],
    ] as [CommunityFacts['membership'], boolean][]) {
      const home = { ...community('private', membership), id };
      const placement = { tenantId, community: home };
      expect(canPublishAnnouncement(employee, placement, { kind: 'community', community: home, communityId: id })).toBe(allowed);
      expect(canPublishAnnouncement(communicator, placement, { kind: 'organisation' })).toBe(false);
      expect(canPublishAnnouncement(employee, placement, { kind: 'community', community: home, communityId: randomUUID() })).toBe(false);
    }
    const archived = { ...community('public', { role: 'owner', state: 'active' }, true), id };
    expect(canPublishAnnouncement(employee, { tenantId, community: archived }, { kind: 'community', community: archived, communityId: id })).toBe(false);
    const anyHome = { ...community('secret', null), id };
    expect(canPublishAnnouncement(admin, { tenantId, community: anyHome }, { kind: 'community', community: anyHome, communityId: id })).toBe(true);
  });

  const content = (extra: Partial<ContentFacts> = {}): ContentFacts => ({ authorId: randomUUID(), hidden: false, deleted: false, community: null, ...extra });
  const facts = (extra: Partial<AnnouncementFacts> = {}, c: Partial<ContentFacts> = {}): AnnouncementFacts => ({
    content: content(c),
    mustRead: true,
    inAudience: true,
    ...extra,
  });

  test('acknowledge: the audience of a must-read announcement they may read', () => {
    expect(canOnAnnouncement(employee, 'acknowledge', facts())).toBe(true);
    expect(canOnAnnouncement(employee, 'acknowledge', facts({ inAudience: false }))).toBe(false);
    expect(canOnAnnouncement(employee, 'acknowledge', facts({ mustRead: false }))).toBe(false);
    expect(canOnAnnouncement(employee, 'acknowledge', facts({}, { deleted: true }))).toBe(false);
    expect(canOnAnnouncement(employee, 'acknowledge', facts({}, { hidden: true }))).toBe(false);
    // In a private community, a non-member reads nothing, whatever the audience says.
    expect(canOnAnnouncement(employee, 'read', facts({}, { community: community('private', null) }))).toBe(false);
    expect(canOnAnnouncement(employee, 'acknowledge', facts({}, { community: community('private', null) }))).toBe(false);
    expect(canOnAnnouncement(employee, 'acknowledge', facts({}, { community: community('private', { role: 'member', state: 'active' }) }))).toBe(true);
  });

  test('report: the author, admins, community moderators, and communicators who may read it', () => {
    expect(canOnAnnouncement(employee, 'report', facts({}, { authorId: me }))).toBe(true);
    expect(canOnAnnouncement(employee, 'report', facts())).toBe(false);
    expect(canOnAnnouncement(communicator, 'report', facts())).toBe(true);
    expect(canOnAnnouncement(admin, 'report', facts())).toBe(true);
    expect(canOnAnnouncement(employee, 'report', facts({}, { community: community('public', { role: 'moderator', state: 'active' }) }))).toBe(true);
    expect(canOnAnnouncement(communicator, 'report', facts({}, { community: community('private', null) }))).toBe(false);
    expect(canOnAnnouncement(employee, 'edit', facts({}, { authorId: me }))).toBe(true);
    expect(canOnAnnouncement(admin, 'edit', facts())).toBe(false);
  });
});
