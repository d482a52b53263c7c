import { randomUUID } from 'node:crypto';
import { createTestTenant, testDatabases } from '../testing/databases.js';
import type { Db } from '../store/db.js';
import {
  canEndorse,
  canSeeProfileField,
  canVerifyBiography,
  canCreateCommunity,
  canFollowCommunity,
  canOnMember,
  canOnCommunity,
  canOnContent,
  sqlCommunityReadable,
  sqlCommunityVisible,
  sqlReadableCommunityIds,
  type CommunityFacts,
  type CommunityVisibility,
  type MembershipRole,
  type MembershipState,
  type Viewer,
} from './policy.js';

const visibilities: CommunityVisibility[] = ['public', 'private', 'secret'];
const memberships: (null | { role: MembershipRole; state: MembershipState })[] = [
  null,
  { role: 'member', state: 'active' },
  { role: 'expert', state: 'active' },
  { role: 'moderator', state: 'active' },
  { role: 'owner', state: 'active' },
  { role: 'member', state: 'requested' },
  { role: 'member', state: 'invited' },
  { role: 'member', state: 'banned' },
];

describe('community decisions', () => {
  const tenantId = randomUUID();
  const viewer: Viewer = { tenantId, personId: randomUUID(), roles: [] };
  const admin: Viewer = { ...viewer, roles: ['admin'] };
  const facts = (visibility: CommunityVisibility, membership: CommunityFacts['membership'], extra: Partial<CommunityFacts> = {}) => ({
    tenantId,
    visibility,
    archived: false,
    restrictedPosting: false,
    membership,
    ...extra,
  });

  test('a secret community is invisible to non-members, requesters and the banned', () => {
    for (const m of [null, { role: 'member' as const, state: 'requested' as const }, { role: 'member' as const, state: 'banned' as const }]) {
      expect(canOnCommunity(viewer, 'see', facts('secret', m))).toBe(false);
    }
    expect(canOnCommunity(viewer, 'see', facts('secret', { role: 'member', state: 'active' }))).toBe(true);
    expect(canOnCommunity(admin, 'see', facts('secret', null))).toBe(true);
  });

  test('private content is for active members only; public content for everyone but the banned', () => {
    expect(canOnCommunity(viewer, 'read', facts('private', null))).toBe(false);
    expect(canOnCommunity(viewer, 'read', facts('private', { role: 'member', state: 'requested' }))).toBe(false);
    expect(canOnCommunity(viewer, 'read', facts('private', { role: 'member', state: 'active' }))).toBe(true);
    expect(canOnCommunity(viewer, 'read', facts('public', null))).toBe(true);
    expect(canOnCommunity(viewer, 'read', facts('public', { role: 'member', state: 'banned' }))).toBe(false);
  });

  test('restricted posting: only owners and moderators start threads; archived is read-only', () => {
    const restricted = (role: MembershipRole) => facts('public', { role, state: 'active' }, { restrictedPosting: true });
    expect(canOnCommunity(viewer, 'post', restricted('member'))).toBe(false);
    expect(canOnCommunity(viewer, 'post', restricted('expert'))).toBe(false);
    expect(canOnCommunity(viewer, 'post', restricted('moderator'))).toBe(true);
    expect(canOnCommunity(viewer, 'post', restricted('owner'))).toBe(true);
    expect(canOnCommunity(viewer, 'comment', restricted('member'))).toBe(true);
    const archived = facts('public', { role: 'owner', state: 'active' }, { archived: true });
    for (const action of ['post', 'comment', 'react', 'join'] as const) expect(canOnCommunity(viewer, action, archived)).toBe(false);
    expect(canOnCommunity(viewer, 'read', archived)).toBe(true);
  });

  test('another tenant can do nothing, admin or not', () => {
    const other: Viewer = { tenantId: randomUUID(), personId: viewer.personId, roles: ['admin'] };
    for (const action of ['see', 'read', 'join', 'post', 'moderate', 'manage'] as const) {
      expect(canOnCommunity(other, action, facts('public', { role: 'owner', state: 'active' }))).toBe(false);
    }
  });

  test('hidden content is seen only by its author and moderators', () => {
    const community = facts('public', null);
    const item = { authorId: randomUUID(), hidden: true, deleted: false, community };
    expect(canOnContent(viewer, 'read', item)).toBe(false);
    expect(canOnContent(viewer, 'read', { ...item, authorId: viewer.personId })).toBe(true);
    expect(canOnContent(viewer, 'read', { ...item, community: facts('public', { role: 'moderator', state: 'active' }) })).toBe(true);
    expect(canOnContent(viewer, 'read', { ...item, deleted: true, hidden: false })).toBe(false);
  });
});

describe.each(testDatabases())('SQL predicates agree with the policy on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  test('see and read, for every visibility x membership x admin', async () => {
    const tenant = await createTestTenant(db);
    const person = await db.query<{ id: string }>(
      "insert into people (tenant_id, upn, display_name) values ($1, 'v@x.test', 'Viewer') returning id",
      [tenant],
    );
    const viewerId = person.rows[0]!.id;
    let i = 0;
    const cases: { id: string; visibility: CommunityVisibility; membership: CommunityFacts['membership'] }[] = [];
    for (const visibility of visibilities) {
      for (const membership of memberships) {
        const c = await db.query<{ id: string }>(
          "insert into communities (tenant_id, slug, name, kind, visibility) values ($1, $2, $2, 'interest', $3) returning id",
          [tenant, `c${i++}`, visibility],
        );
        const id = c.rows[0]!.id;
        if (membership) {
          await db.query('insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, $4, $5)', [
            tenant,
            id,
            viewerId,
            membership.role,
            membership.state,
          ]);
        }
        cases.push({ id, visibility, membership });
      }
    }
    for (const isAdmin of [false, true]) {
      const viewer: Viewer = { tenantId: tenant, personId: viewerId, roles: isAdmin ? ['admin'] : [] };
      const r = await db.query<{ id: string; visible: boolean; readable: boolean }>(
        `select c.id, ${sqlCommunityVisible('c', '$2', '$3')} as visible, ${sqlCommunityReadable('c', '$2', '$3')} as readable
         from communities c where c.tenant_id = $1`,
        [tenant, viewerId, isAdmin],
      );
      const byId = new Map(r.rows.map((x) => [x.id, x]));
      for (const k of cases) {
        const f: CommunityFacts = { tenantId: tenant, visibility: k.visibility, archived: false, restrictedPosting: false, membership: k.membership };
        const row = byId.get(k.id)!;
        expect({ ...k, isAdmin, visible: row.visible }).toEqual({ ...k, isAdmin, visible: canOnCommunity(viewer, 'see', f) });
        expect({ ...k, isAdmin, readable: row.readable }).toEqual({ ...k, isAdmin, readable: canOnCommunity(viewer, 'read', f) });
      }
      const set = await db.query<{ id: string }>(`select id from (${sqlReadableCommunityIds('$1', '$2', '$3::boolean')}) r`, [tenant, viewerId, isAdmin]);
      expect(new Set(set.rows.map((x) => x.id))).toEqual(new Set(r.rows.filter((x) => x.readable).map((x) => x.id)));
      const nonPublic = await db.query<{ id: string }>(`select id from (${sqlReadableCommunityIds('$1', '$2', '$3::boolean', { nonPublicOnly: true })}) r`, [
        tenant,
        viewerId,
        isAdmin,
      ]);
      const publicIds = new Set(cases.filter((k) => k.visibility === 'public').map((k) => k.id));
      expect(new Set(nonPublic.rows.map((x) => x.id))).toEqual(new Set(r.rows.filter((x) => x.readable && !publicIds.has(x.id)).map((x) => x.id)));
    }
  });
});

describe('community creation and member actions', () => {
  const tenantId = randomUUID();
  const person: Viewer = { tenantId, personId: randomUUID(), roles: [] };
  const admin: Viewer = { ...person, roles: ['admin'] };
  const facts = (membership: CommunityFacts['membership'], archived = false): CommunityFacts => ({
    tenantId,
    visibility: 'private',
    archived,
    restrictedPosting: false,
    membership,
  });
  const target = (role: MembershipRole, state: MembershipState = 'active') => ({ personId: randomUUID(), membership: { role, state } });

  test('any employee creates interest, profession and project communities; org-unit and official need an admin', () => {
    for (const kind of ['interest', 'profession', 'project'] as const) {
      expect(canCreateCommunity(person, { tenantId, kind, isOfficial: false })).toBe(true);
      expect(canCreateCommunity(person, { tenantId, kind, isOfficial: true })).toBe(false);
    }
    expect(canCreateCommunity(person, { tenantId, kind: 'org_unit', isOfficial: false })).toBe(false);
    expect(canCreateCommunity(admin, { tenantId, kind: 'org_unit', isOfficial: true })).toBe(true);
    expect(canCreateCommunity({ ...admin, tenantId: randomUUID() }, { tenantId, kind: 'interest', isOfficial: false })).toBe(false);
  });

  test('moderators ban members, owners ban moderators, only admins ban owners; nobody bans themselves', () => {
    const moderator = facts({ role: 'moderator', state: 'active' });
    const owner = facts({ role: 'owner', state: 'active' });
    expect(canOnMember(person, 'ban', moderator, target('member'))).toBe(true);
    expect(canOnMember(person, 'ban', moderator, target('moderator'))).toBe(false);
    expect(canOnMember(person, 'ban', owner, target('moderator'))).toBe(true);
    expect(canOnMember(person, 'ban', owner, target('owner'))).toBe(false);
    expect(canOnMember(admin, 'ban', facts(null), target('owner'))).toBe(true);
    expect(canOnMember(person, 'ban', owner, { personId: person.personId, membership: { role: 'owner', state: 'active' } })).toBe(false);
    expect(canOnMember(person, 'ban', facts({ role: 'member', state: 'active' }), target('member'))).toBe(false);
  });

  test('approve needs a pending request; roles are for owners; nothing but bans in an archived community', () => {
    const moderator = facts({ role: 'moderator', state: 'active' });
    expect(canOnMember(person, 'approve', moderator, target('member', 'requested'))).toBe(true);
    expect(canOnMember(person, 'approve', moderator, target('member', 'invited'))).toBe(false);
    expect(canOnMember(person, 'set_role', moderator, target('member'))).toBe(false);
    expect(canOnMember(person, 'set_role', facts({ role: 'owner', state: 'active' }), target('member'))).toBe(true);
    const archived = facts({ role: 'owner', state: 'active' }, true);
    expect(canOnMember(person, 'invite', archived, { personId: randomUUID(), membership: null })).toBe(false);
    expect(canOnMember(person, 'set_role', archived, target('member'))).toBe(false);
    expect(canOnMember(person, 'ban', archived, target('member'))).toBe(true);
  });

  test('follow without joining: public for everyone but the banned; otherwise members', () => {
    expect(canFollowCommunity(person, { ...facts(null), visibility: 'public' })).toBe(true);
    expect(canFollowCommunity(person, { ...facts({ role: 'member', state: 'banned' }), visibility: 'public' })).toBe(false);
    expect(canFollowCommunity(person, facts(null))).toBe(false);
    expect(canFollowCommunity(person, facts({ role: 'member', state: 'active' }))).toBe(true);
  });
});

describe("who's-who decisions", () => {
  const t = 'tenant-w';
  const me = { tenantId: t, personId: 'p', roles: [] as string[] };
  const subject = { tenantId: t, personId: 's', managerId: 'm' };
  const manager = { tenantId: t, personId: 'm', roles: [] as string[] };
  const hr = { tenantId: t, personId: 'h', roles: ['hr'] };
  const self = { tenantId: t, personId: 's', roles: [] as string[] };

  test('profile fields: everyone, manager (manager and HR), private (the person only)', () => {
    expect(canSeeProfileField(me, 'everyone', subject)).toBe(true);
    expect(canSeeProfileField(me, 'manager', subject)).toBe(false);
    expect(canSeeProfileField(manager, 'manager', subject)).toBe(true);
    expect(canSeeProfileField(hr, 'manager', subject)).toBe(true);
    expect(canSeeProfileField(manager, 'private', subject)).toBe(false);
    expect(canSeeProfileField(self, 'private', subject)).toBe(true);
    expect(canSeeProfileField({ ...manager, tenantId: 'other' }, 'everyone', subject)).toBe(false);
  });

  test('biography verification by the manager or HR, never by oneself; endorsements never of oneself', () => {
    expect(canVerifyBiography(manager, subject)).toBe(true);
    expect(canVerifyBiography(hr, subject)).toBe(true);
    expect(canVerifyBiography(me, subject)).toBe(false);
    expect(canVerifyBiography({ ...self, roles: ['hr'] }, subject)).toBe(false);
    expect(canEndorse(me, { tenantId: t, personId: 's', formerEmployee: false })).toBe(true);
    expect(canEndorse(self, { tenantId: t, personId: 's', formerEmployee: false })).toBe(false);
    expect(canEndorse(me, { tenantId: t, personId: 's', formerEmployee: true })).toBe(false);
  });
});
