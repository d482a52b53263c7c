import { randomUUID } from 'node:crypto';
import { createTestTenant, testDatabases } from '../testing/databases.js';
import type { Db } from '../store/db.js';
import {
  canOnContent,
  type CommunityFacts,
  type CommunityVisibility,
  type MembershipRole,
  type MembershipState,
  type Viewer,
} from './policy.js';
import { canOnMeetupMatch, canOnOrganisationInsights, canSeeCommunityInsights, sqlPostReadable } from './insights.js';

const tenantId = randomUUID();
const employee: Viewer = { tenantId, personId: randomUUID(), roles: [] };
const community = (role: MembershipRole | null, state: MembershipState = 'active'): CommunityFacts => ({
  tenantId, visibility: 'private', archived: false, restrictedPosting: false, membership: role ? { role, state } : null,
});

describe('insights and meetups decisions', () => {
  test("a community's insights: its owners and moderators, and tenant admins", () => {
    expect(canSeeCommunityInsights(employee, community('owner'))).toBe(true);
    expect(canSeeCommunityInsights(employee, community('moderator'))).toBe(true);
    expect(canSeeCommunityInsights(employee, community('expert'))).toBe(false);
    expect(canSeeCommunityInsights(employee, community('member'))).toBe(false);
    expect(canSeeCommunityInsights(employee, community('owner', 'banned'))).toBe(false);
    expect(canSeeCommunityInsights(employee, community(null))).toBe(false);
    expect(canSeeCommunityInsights({ ...employee, roles: ['admin'] }, community(null))).toBe(true);
    expect(canSeeCommunityInsights({ ...employee, roles: ['communicator'] }, community(null))).toBe(false);
    expect(canSeeCommunityInsights({ ...employee, tenantId: randomUUID(), roles: ['admin'] }, community(null))).toBe(false);
  });

  test('organisation insights: admins, HR and communicators read; admins and HR manage meetups', () => {
    for (const [roles, read, manage] of [[[], false, false], [['admin'], true, true], [['hr'], true, true], [['communicator'], true, false]] as const) {
      const v = { ...employee, roles };
      expect(canOnOrganisationInsights(v, 'read', tenantId)).toBe(read);
      expect(canOnOrganisationInsights(v, 'manage_meetups', tenantId)).toBe(manage);
      expect(canOnOrganisationInsights(v, 'read', randomUUID())).toBe(false);
    }
  });

  test('a meetup match belongs to its two people', () => {
    const other = randomUUID();
    expect(canOnMeetupMatch(employee, { tenantId, personA: employee.personId, personB: other })).toBe(true);
    expect(canOnMeetupMatch(employee, { tenantId, personA: other, personB: employee.personId })).toBe(true);
    expect(canOnMeetupMatch({ ...employee, roles: ['admin'] }, { tenantId, personA: other, personB: randomUUID() })).toBe(false);
    expect(canOnMeetupMatch({ ...employee, tenantId: randomUUID() }, { tenantId, personA: employee.personId, personB: other })).toBe(false);
  });
});

describe.each(testDatabases())('sqlPostReadable agrees with canOnContent on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  test('every visibility x membership x hidden x author x admin, and organisation-wide posts', async () => {
    const tenant = await createTestTenant(db);
    const ids = await db.query<{ id: string }>(
      "insert into people (tenant_id, upn, display_name) values ($1, 'v@x.test', 'Viewer'), ($1, 'a@x.test', 'Author') returning id",
      [tenant],
    );
    const [viewerId, authorId] = [ids.rows[0]!.id, ids.rows[1]!.id];
    const memberships: (null | { role: MembershipRole; state: MembershipState })[] = [
      null, { role: 'member', state: 'active' }, { role: 'moderator', state: 'active' }, { role: 'member', state: 'invited' }, { role: 'member', state: 'banned' },
    ];
    type Case = { id: string; visibility: CommunityVisibility | null; membership: CommunityFacts['membership']; hidden: boolean; mine: boolean };
    const cases: Case[] = [];
    let i = 0;
    for (const visibility of ['public', 'private', 'secret', null] as const) {
      for (const membership of visibility ? memberships : [null]) {
        let communityId: string | null = null;
        if (visibility) {
          const c = await db.query<{ id: string }>(
            "insert into communities (tenant_id, slug, name, kind, visibility) values ($1, $2, $2, 'interest', $3) returning id",
            [tenant, `c${i++}`, visibility],
          );
          communityId = c.rows[0]!.id;
          if (membership) {
            await db.query('insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, $4, $5)', [
              tenant, communityId, viewerId, membership.role, membership.state,
            ]);
          }
        }
        for (const hidden of [false, true]) {
          for (const mine of [false, true]) {
            const p = await db.query<{ id: string }>(
              "insert into posts (tenant_id, community_id, author_id, kind, title, hidden_at) values ($1, $2, $3, 'discussion', 'x', $4) returning id",
              [tenant, communityId, mine ? viewerId : authorId, hidden ? new Date() : null],
            );
            cases.push({ id: p.rows[0]!.id, visibility, membership, hidden, mine });
          }
        }
      }
    }
    for (const isAdmin of [false, true]) {
      const viewer: Viewer = { tenantId: tenant, personId: viewerId, roles: isAdmin ? ['admin'] : [] };
      const r = await db.query<{ id: string; readable: boolean }>(
        `select p.id, ${sqlPostReadable('p', 'c', '$2', '$3')} as readable
           from posts p left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id where p.tenant_id = $1`,
        [tenant, viewerId, isAdmin],
      );
      const byId = new Map(r.rows.map((x) => [x.id, x.readable]));
      for (const k of cases) {
        const facts = {
          authorId: k.mine ? viewerId : authorId,
          hidden: k.hidden,
          deleted: false,
          community: k.visibility ? { tenantId: tenant, visibility: k.visibility, archived: false, restrictedPosting: false, membership: k.membership } : null,
        };
        expect({ ...k, isAdmin, readable: byId.get(k.id) }).toEqual({ ...k, isAdmin, readable: canOnContent(viewer, 'read', facts) });
      }
    }
  });
});
