import { randomUUID } from 'node:crypto';
import { createTestTenant, testDatabases } from '../testing/databases.js';
import type { Db } from '../store/db.js';
import {
  type CommunityFacts,
  type CommunityVisibility,
  type MembershipRole,
  type MembershipState,
  type Viewer,
  canMentionCommunity,
  canOnCommunity,
  canOnContent,
  canStartPost,
  sqlCommunityModerator,
  sqlContentReadable,
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
  { role: 'moderator', state: 'banned' },
];

describe('post rules', () => {
  const tenantId = randomUUID();
  const viewer: Viewer = { tenantId, personId: randomUUID(), roles: [] };
  const facts = (membership: CommunityFacts['membership'], extra: Partial<CommunityFacts> = {}): CommunityFacts => ({
    tenantId,
    visibility: 'public',
    archived: false,
    restrictedPosting: false,
    membership,
    ...extra,
  });

  test('announcements are for owners, moderators and tenant admins; other kinds follow "post"', () => {
    expect(canStartPost(viewer, 'announcement', facts({ role: 'member', state: 'active' }))).toBe(false);
    expect(canStartPost(viewer, 'announcement', facts({ role: 'moderator', state: 'active' }))).toBe(true);
    expect(canStartPost({ ...viewer, roles: ['admin'] }, 'announcement', facts(null))).toBe(true);
    expect(canStartPost(viewer, 'announcement', facts({ role: 'owner', state: 'active' }, { archived: true }))).toBe(false);
    expect(canStartPost(viewer, 'poll', facts({ role: 'member', state: 'active' }))).toBe(true);
    expect(canStartPost(viewer, 'poll', facts({ role: 'member', state: 'active' }, { restrictedPosting: true }))).toBe(false);
    expect(canStartPost(viewer, 'idea', facts(null))).toBe(false);
  });

  test('a secret community is mentioned only inside itself, and only by those who see it', () => {
    const id = randomUUID();
    const secretMember = { ...facts({ role: 'member', state: 'active' }, { visibility: 'secret' }), id };
    expect(canMentionCommunity(viewer, secretMember, randomUUID())).toBe(false);
    expect(canMentionCommunity(viewer, secretMember, id)).toBe(true);
    expect(canMentionCommunity(viewer, { ...facts(null, { visibility: 'secret' }), id }, id)).toBe(false);
    expect(canMentionCommunity(viewer, { ...facts(null, { visibility: 'private' }), id }, null)).toBe(true);
  });
});

describe.each(testDatabases())('post SQL predicates agree with the policy on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  test('moderator and content readable, for every visibility x membership x hidden x author x admin', async () => {
    const tenant = await createTestTenant(db);
    const ids = await db.query<{ id: string }>(
      "insert into people (tenant_id, upn, display_name) values ($1, 'v@x.test', 'V'), ($1, 'a@x.test', 'A') returning id",
      [tenant],
    );
    const [viewerId, otherId] = ids.rows.map((r) => r.id) as [string, string];
    const cases: { post: string; visibility: CommunityVisibility; membership: CommunityFacts['membership']; hidden: boolean; author: boolean; deleted: boolean }[] = [];
    let i = 0;
    for (const visibility of visibilities) {
      for (const membership of memberships) {
        const c = await db.query<{ id: string }>(
          "insert into communities (tenant_id, slug, name, kind, visibility) values ($1, $2, $2, 'interest', $3) returning id",
          [tenant, `c${i++}`, visibility],
        );
        const cid = c.rows[0]!.id;
        if (membership) {
          await db.query('insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, $4, $5)', [
            tenant,
            cid,
            viewerId,
            membership.role,
            membership.state,
          ]);
        }
        for (const hidden of [false, true]) {
          for (const author of [false, true]) {
            for (const deleted of [false, true]) {
              const p = await db.query<{ id: string }>(
                `insert into posts (tenant_id, community_id, author_id, kind, hidden_at, deleted_at)
                 values ($1, $2, $3, 'discussion', $4, $5) returning id`,
                [tenant, cid, author ? viewerId : otherId, hidden ? new Date() : null, deleted ? new Date() : null],
              );
              cases.push({ post: p.rows[0]!.id, visibility, membership, hidden, author, deleted });
            }
          }
        }
      }
    }
    for (const isAdmin of [false, true]) {
      const viewer: Viewer = { tenantId: tenant, personId: viewerId, roles: isAdmin ? ['admin'] : [] };
      const r = await db.query<{ id: string; moderator: boolean; readable: boolean }>(
        `select p.id, ${sqlCommunityModerator('c', '$2', '$3')} as moderator, ${sqlContentReadable('p', 'c', '$2', '$3')} as readable
         from posts p join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id where p.tenant_id = $1`,
        [tenant, viewerId, isAdmin],
      );
      const byId = new Map(r.rows.map((x) => [x.id, x]));
      for (const k of cases) {
        const community: CommunityFacts = { tenantId: tenant, visibility: k.visibility, archived: false, restrictedPosting: false, membership: k.membership };
        const item = { authorId: k.author ? viewerId : otherId, hidden: k.hidden, deleted: k.deleted, community };
        const row = byId.get(k.post)!;
        expect({ ...k, isAdmin, moderator: row.moderator }).toEqual({ ...k, isAdmin, moderator: canOnCommunity(viewer, 'moderate', community) });
        expect({ ...k, isAdmin, readable: row.readable }).toEqual({ ...k, isAdmin, readable: canOnContent(viewer, 'read', item) });
      }
    }
  });
});
