/** The Graph simulator itself: scale, determinism, $select, delta, $batch limits, recordings. */
import {
  TenantConcurrency,
  createGraphClient,
  groupsDelta,
  staticTokenProvider,
  usersDelta,
  type GraphClient,
} from '../../core/src/graph/index.js';
import { startGraphSimulator, type GraphSimulator } from './simulator/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw Graph JSON read freely in assertions
type Json = any;

function clientFor(sim: GraphSimulator): GraphClient {
  return createGraphClient({
    tokenProvider: staticTokenProvider('sim-test'),
    baseUrl: sim.url,
    concurrency: new TenantConcurrency(4),
    sleep: async () => undefined,
  });
}

async function raw(sim: GraphSimulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; headers: Headers }> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: 'Bearer x', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

test('a tenant of 100,000 users syncs through a full users delta', async () => {
  const sim = await startGraphSimulator({ users: 100_000, seed: 5 });
  try {
    const before = process.memoryUsage().heapUsed;
    let count = 0;
    const departments = new Set<string>();
    const round = await usersDelta(clientFor(sim), {
      pageSize: 999,
      onPage: (changes) => {
        count += changes.length;
        for (const change of changes) departments.add(String(change.properties.department));
      },
    });
    expect(count).toBe(100_000);
    expect(round.pages).toBe(101);
    expect(departments.size).toBe(9);
    // Generated users are computed on demand: the tenant holds no per-user state.
    const grown = process.memoryUsage().heapUsed - before;
    console.log(`100k users delta: heap grew ${(grown / 1048576).toFixed(1)} MiB`);
  } finally {
    await sim.close();
  }
});

test('the same seed gives the same tenant, another seed another one', async () => {
  const [a, b, c] = await Promise.all([startGraphSimulator({ users: 40, seed: 1 }), startGraphSimulator({ users: 40, seed: 1 }), startGraphSimulator({ users: 40, seed: 2 })]);
  try {
    const [ra, rb, rc] = await Promise.all([usersDelta(clientFor(a)), usersDelta(clientFor(b)), usersDelta(clientFor(c))]);
    expect(ra.changes).toEqual(rb.changes);
    expect(ra.changes).not.toEqual(rc.changes);
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
  }
});

describe('endpoints', () => {
  let sim: GraphSimulator;
  beforeAll(async () => {
    sim = await startGraphSimulator({ users: 200, seed: 8, record: true });
  });
  afterAll(async () => {
    await sim.close();
  });

  test('$select is honoured and unknown properties are refused like Graph does', async () => {
    const page = await raw(sim, 'GET', '/v1.0/users?$select=displayName,country&$top=3');
    expect(page.status).toBe(200);
    expect(page.body.value).toHaveLength(3);
    for (const user of page.body.value) expect(Object.keys(user).sort()).toEqual(['country', 'displayName', 'id']);
    expect(page.body['@odata.nextLink']).toContain('$skiptoken=');
    const bad = await raw(sim, 'GET', '/v1.0/users?$select=shoeSize');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('Request_BadRequest');
  });

  test('answers 401 without a token and 404 for unknown users', async () => {
    expect((await fetch(`${sim.url}/v1.0/users/abc`)).status).toBe(401);
    const missing = await raw(sim, 'GET', '/v1.0/users/abc');
    expect(missing.status).toBe(404);
  });

  test('groups delta reports members, then only membership changes', async () => {
    const client = clientFor(sim);
    const first = await groupsDelta(client);
    expect(first.changes).toHaveLength(4);
    const g0 = first.changes[0]!;
    expect(g0.membersAdded).toHaveLength(50);
    sim.tenant.addMember(0, 1);
    sim.tenant.removeMember(0, 4);
    sim.tenant.updateGroup(2, { displayName: 'Renamed' });
    const second = await groupsDelta(client, { deltaLink: first.deltaLink });
    expect(second.changes.map((change) => change.id).sort()).toEqual([sim.tenant.groupIdOf(0), sim.tenant.groupIdOf(2)].sort());
    const changed = second.changes.find((change) => change.id === sim.tenant.groupIdOf(0))!;
    expect(changed.membersAdded).toEqual([sim.tenant.userIdOf(1)]);
    expect(changed.membersRemoved).toEqual([sim.tenant.userIdOf(4)]);
    expect(second.changes.find((change) => change.id === sim.tenant.groupIdOf(2))?.properties.displayName).toBe('Renamed');
  });

  test('$batch refuses more than 20 requests and dispatches inner ones', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${sim.tenant.userIdOf(i)}?$select=id` }));
    const tooMany = await raw(sim, 'POST', '/v1.0/$batch', { requests });
    expect(tooMany.status).toBe(400);
    const ok = await raw(sim, 'POST', '/v1.0/$batch', { requests: requests.slice(0, 20) });
    expect(ok.status).toBe(200);
    expect(ok.body.responses).toHaveLength(20);
    expect(ok.body.responses[0]).toEqual(expect.objectContaining({ id: '1', status: 200, body: expect.objectContaining({ id: sim.tenant.userIdOf(0) }) }));
  });

  test('notifications and external items are recorded', async () => {
    const user = sim.tenant.userIdOf(9);
    const notified = await raw(sim, 'POST', `/v1.0/users/${user}/teamwork/sendActivityNotification`, {
      topic: { source: 'text', value: 'Hi', webUrl: 'https://teams.microsoft.com/l/x' },
      activityType: 'kudosReceived',
      previewText: { content: 'Hi' },
    });
    expect(notified.status).toBe(204);
    expect(sim.tenant.notifications.at(-1)).toEqual(expect.objectContaining({ userId: user }));
    expect((await raw(sim, 'POST', '/v1.0/external/connections', { id: 'abc1', name: 'A' })).status).toBe(201);
    expect((await raw(sim, 'PUT', '/v1.0/external/connections/abc1/items/i1', { acl: [], properties: {} })).status).toBe(400);
    const schema = await raw(sim, 'PATCH', '/v1.0/external/connections/abc1/schema', { baseType: 'microsoft.graph.externalItem', properties: [{ name: 'title', type: 'string' }] });
    expect(schema.status).toBe(202);
    expect(schema.headers.get('location')).toContain('/operations/');
    const acl = [{ type: 'everyone', value: 'x', accessType: 'grant' }];
    expect((await raw(sim, 'PUT', '/v1.0/external/connections/abc1/items/i1', { acl, properties: { title: 'T' } })).status).toBe(200);
    expect(sim.tenant.connections.get('abc1')?.items.get('i1')).toEqual({ acl, properties: { title: 'T' } });
  });

  test('a page can be made to fail once', async () => {
    sim.setFaults({ failPages: [{ path: '/users', page: 1, status: 500 }] });
    try {
      const first = await raw(sim, 'GET', '/v1.0/users?$select=id&$top=50');
      const next = new URL(first.body['@odata.nextLink']);
      expect((await raw(sim, 'GET', next.pathname + next.search)).status).toBe(500);
      expect((await raw(sim, 'GET', next.pathname + next.search)).status).toBe(200);
    } finally {
      sim.setFaults(undefined);
    }
  });
});
