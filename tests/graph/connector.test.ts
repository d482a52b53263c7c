/**
 * The search connector through the Graph simulator: ACLs for public, private (member list
 * or linked group), secret and organisation-wide content; edits, deletes and hides
 * propagate; membership changes re-push a community's ACLs. The one rule checked on every
 * item the simulator holds: nobody is granted an item the policy would not let them read.
 */
import { createTestTenant, testDatabases } from '../../core/src/testing/index.js';
import type { Db } from '../../core/src/store/db.js';
import { createGraphClient, staticTokenProvider, type ExternalAcl, type GraphClient } from '../../core/src/graph/index.js';
import { personMayRead } from '../../core/src/notifications/index.js';
import { enableSearchConnector, pushConnectorUpdates } from '../../core/src/connector/index.js';
import { GraphContract } from './contract/openapi-validator.js';
import { startGraphSimulator, type GraphSimulator } from './simulator/index.js';

let sim: GraphSimulator;
let graph: GraphClient;
let contract: GraphContract;

beforeAll(async () => {
  contract = new GraphContract();
  sim = await startGraphSimulator({ users: 100, groups: 2, seed: 11, record: true });
  graph = createGraphClient({
    tokenProvider: staticTokenProvider('connector-test'),
    baseUrl: sim.url,
    tenantId: 'connector-test',
    retry: { maxRetries: 4, baseDelayMs: 1, maxDelayMs: 2 },
    sleep: async () => undefined,
  });
});

afterAll(async () => {
  await sim.close();
});

const clock = { now: () => Date.now(), sleep: async () => undefined };

describe.each(testDatabases())('search connector on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });

  interface World {
    t: string;
    connectionId: string;
    people: Map<number, string>;
    communities: Record<'pub' | 'priv' | 'linked' | 'secret', string>;
    posts: Record<'pub' | 'priv' | 'linked' | 'secret' | 'org', string>;
  }

  async function world(connectionId: string): Promise<World> {
    const t = await createTestTenant(db);
    const people = new Map<number, string>();
    const group = 0;
    const groupMembers = sim.tenant.members(group);
    for (const i of [...Array.from({ length: 12 }, (_, k) => k), ...groupMembers]) {
      if (people.has(i)) continue;
      const r = await db.query<{ id: string }>('insert into people (tenant_id, upn, display_name, entra_oid) values ($1, $2, $3, $4) returning id', [
        t,
        `u${i}@org.test`,
        `User ${i}`,
        sim.tenant.userIdOf(i),
      ]);
      people.set(i, r.rows[0]!.id);
    }
    const community = async (slug: string, visibility: string, linked: string | null, members: number[], banned: number[] = []) => {
      const r = await db.query<{ id: string }>(
        `insert into communities (tenant_id, slug, name, kind, visibility, linked_group_id) values ($1, $2, $3, 'interest', $4, $5) returning id`,
        [t, slug, `Community ${slug}`, visibility, linked],
      );
      const id = r.rows[0]!.id;
      for (const i of members) await db.query('insert into memberships (tenant_id, community_id, person_id) values ($1, $2, $3)', [t, id, people.get(i)]);
      for (const i of banned) await db.query(`insert into memberships (tenant_id, community_id, person_id, state) values ($1, $2, $3, 'banned')`, [t, id, people.get(i)]);
      return id;
    };
    const communities = {
      pub: await community('pub', 'public', null, [0, 1], [5]),
      priv: await community('priv', 'private', null, [1, 2]),
      linked: await community('linked', 'private', sim.tenant.groupIdOf(group), groupMembers),
      secret: await community('secret', 'secret', null, [3, 4]),
    };
    await enableSearchConnector(db, t, { connectionId });
    const post = async (community: string | null, kind: string, title: string) =>
      (
        await db.query<{ id: string }>(`insert into posts (tenant_id, community_id, author_id, kind, title, body) values ($1, $2, $3, $4, $5, $6) returning id`, [
          t,
          community,
          people.get(1),
          kind,
          title,
          `Body of ${title}`,
        ])
      ).rows[0]!.id;
    const posts = {
      pub: await post(communities.pub, 'discussion', 'Public talk'),
      priv: await post(communities.priv, 'question', 'Private question'),
      linked: await post(communities.linked, 'discussion', 'Linked group talk'),
      secret: await post(communities.secret, 'discussion', 'Secret plan'),
      org: await post(null, 'announcement', 'Org-wide announcement'),
    };
    return { t, connectionId, people, communities, posts };
  }

  const items = (w: World) => sim.tenant.connections.get(w.connectionId)!.items as Map<string, { acl: ExternalAcl[]; properties: Record<string, unknown> }>;
  const grants = (acl: ExternalAcl[]) => acl.filter((a) => a.accessType === 'grant');
  const push = (w: World) => pushConnectorUpdates(db, w.t, { graph, publicUrl: 'https://ruche.test', clock });

  /** Every person of the tenant granted an item by its ACL (group members through the simulator's directory) may read it per the policy. */
  async function assertNoGrantBeyondPolicy(w: World): Promise<number> {
    let checked = 0;
    for (const [itemId, item] of items(w)) {
      for (const [index, personId] of w.people) {
        const oid = sim.tenant.userIdOf(index);
        const denied = item.acl.some((a) => a.accessType === 'deny' && a.type === 'user' && a.value === oid);
        const granted = grants(item.acl).some(
          (a) =>
            (a.type === 'everyone' && a.value === w.t) ||
            (a.type === 'user' && a.value === oid) ||
            (a.type === 'group' && sim.tenant.members(0).includes(index) && a.value === sim.tenant.groupIdOf(0)),
        );
        if (granted && !denied) {
          checked++;
          expect({ itemId, index, readable: await personMayRead(db, w.t, personId, { type: 'post', id: itemId }) }).toEqual({ itemId, index, readable: true });
        }
      }
    }
    return checked;
  }

  test('creates the connection and schema once, then pushes items with ACLs that never reach a non-member', async () => {
    const w = await world(`ruche${Math.random().toString(36).slice(2, 10)}`);
    const report = await push(w);
    expect(report).toMatchObject({ pushed: 5, deleted: 0, failed: 0 });
    const connection = sim.tenant.connections.get(w.connectionId)!;
    expect(connection.state).toBe('ready');
    expect(connection.schema?.properties.map((p) => (p as { name: string }).name)).toEqual(expect.arrayContaining(['title', 'url', 'community']));
    const all = items(w);
    const oid = (i: number) => sim.tenant.userIdOf(i);
    expect(all.get(w.posts.pub)!.acl).toEqual([
      { type: 'everyone', value: w.t, accessType: 'grant' },
      { type: 'user', value: oid(5), accessType: 'deny' },
    ]);
    expect(all.get(w.posts.org)!.acl).toEqual([{ type: 'everyone', value: w.t, accessType: 'grant' }]);
    expect(grants(all.get(w.posts.priv)!.acl).map((a) => a.value).sort()).toEqual([oid(1), oid(2)].sort());
    expect(grants(all.get(w.posts.linked)!.acl)).toEqual([{ type: 'group', value: sim.tenant.groupIdOf(0), accessType: 'grant' }]);
    expect(grants(all.get(w.posts.secret)!.acl).map((a) => a.value).sort()).toEqual([oid(3), oid(4)].sort());
    for (const key of ['priv', 'linked', 'secret'] as const) {
      expect(all.get(w.posts[key])!.acl.some((a) => a.type === 'everyone' || a.type === 'everyoneExceptGuests')).toBe(false);
    }
    expect(await assertNoGrantBeyondPolicy(w)).toBeGreaterThan(10);
    // A second drain has nothing to do, and the connection is not created again.
    const creations = sim.recording.filter((e) => e.method === 'POST' && e.path === '/external/connections' && (e.requestBody as { id?: string }).id === w.connectionId).length;
    expect(await push(w)).toMatchObject({ pushed: 0, deleted: 0 });
    expect(sim.recording.filter((e) => e.method === 'POST' && e.path === '/external/connections' && (e.requestBody as { id?: string }).id === w.connectionId)).toHaveLength(creations);
    expect(contract.checkAll(sim.recording.filter((e) => e.path.startsWith('/external/')))).toEqual([]);
  });

  test('edits, deletes and hides propagate; membership and visibility changes re-push the ACLs of that community only', async () => {
    const w = await world(`ruche${Math.random().toString(36).slice(2, 10)}`);
    await push(w);
    const oid = (i: number) => sim.tenant.userIdOf(i);
    await db.query(`update posts set title = 'Public talk (edited)' where tenant_id = $1 and id = $2`, [w.t, w.posts.pub]);
    await db.query(`update posts set deleted_at = now() where tenant_id = $1 and id = $2`, [w.t, w.posts.priv]);
    await db.query(`update posts set hidden_at = now() where tenant_id = $1 and id = $2`, [w.t, w.posts.org]);
    expect(await push(w)).toMatchObject({ pushed: 1, deleted: 2 });
    expect(items(w).get(w.posts.pub)!.properties.title).toBe('Public talk (edited)');
    expect(items(w).has(w.posts.priv)).toBe(false);
    expect(items(w).has(w.posts.org)).toBe(false);

    // Person 6 joins the secret community, person 3 leaves it.
    await db.query('insert into memberships (tenant_id, community_id, person_id) values ($1, $2, $3)', [w.t, w.communities.secret, w.people.get(6)]);
    await db.query('delete from memberships where tenant_id = $1 and community_id = $2 and person_id = $3', [w.t, w.communities.secret, w.people.get(3)]);
    const before = sim.recording.length;
    const report = await push(w);
    expect(report).toMatchObject({ expanded: 1, pushed: 1 });
    const pushedNow = sim.recording.slice(before).filter((e) => e.method === 'PUT').map((e) => decodeURIComponent(e.path.split('/').pop()!));
    expect(pushedNow).toEqual([w.posts.secret]);
    expect(grants(items(w).get(w.posts.secret)!.acl).map((a) => a.value).sort()).toEqual([oid(4), oid(6)].sort());

    // Joining a public community changes no ACL; a ban there does.
    await db.query('insert into memberships (tenant_id, community_id, person_id) values ($1, $2, $3)', [w.t, w.communities.pub, w.people.get(7)]);
    expect(await push(w)).toMatchObject({ expanded: 0, pushed: 0 });
    await db.query(`update memberships set state = 'banned' where tenant_id = $1 and community_id = $2 and person_id = $3`, [w.t, w.communities.pub, w.people.get(7)]);
    await push(w);
    expect(items(w).get(w.posts.pub)!.acl).toEqual(expect.arrayContaining([{ type: 'user', value: oid(7), accessType: 'deny' }]));

    // The public community becomes secret: everyone loses the grant, members keep theirs.
    await db.query(`update communities set visibility = 'secret' where tenant_id = $1 and id = $2`, [w.t, w.communities.pub]);
    await push(w);
    const acl = items(w).get(w.posts.pub)!.acl;
    expect(acl.some((a) => a.type === 'everyone')).toBe(false);
    expect(grants(acl).map((a) => a.value).sort()).toEqual([oid(0), oid(1)].sort());
    expect(await assertNoGrantBeyondPolicy(w)).toBeGreaterThan(0);

    // Deleting the post for good (erasure) deletes the item.
    await db.query('delete from posts where tenant_id = $1 and id = $2', [w.t, w.posts.secret]);
    expect(await push(w)).toMatchObject({ deleted: 1 });
    expect(items(w).has(w.posts.secret)).toBe(false);
    expect(contract.checkAll(sim.recording.filter((e) => e.path.startsWith('/external/')))).toEqual([]);
  });
});
