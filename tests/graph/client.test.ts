/** Ruche's Graph client against the local simulator: retries, paging, delta, batch, rules, limits. */
import {
  GraphErrorCodes,
  TenantConcurrency,
  createGraphClient,
  fromTokenFunction,
  getUserManager,
  getUserManagers,
  sendActivityNotification,
  staticTokenProvider,
  usersDelta,
  type DirectoryUserChange,
  type GraphClient,
  type GraphClientOptions,
} from '../../core/src/graph/index.js';
import { startGraphSimulator, type GraphSimulator } from './simulator/index.js';

let sim: GraphSimulator;
let tenantCounter = 0;
const token = 'secret-token-value-123';

beforeAll(async () => {
  sim = await startGraphSimulator({ users: 300, seed: 11, record: true });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.setFaults(undefined);
  sim.recording.length = 0;
});

/** A client with a recorded, instant sleep (no real waiting in tests). */
function makeClient(overrides: Partial<GraphClientOptions> = {}): { client: GraphClient; sleeps: number[] } {
  const sleeps: number[] = [];
  const client = createGraphClient({
    tokenProvider: staticTokenProvider(token),
    baseUrl: sim.url,
    tenantId: `t${++tenantCounter}`,
    concurrency: new TenantConcurrency(8),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, sleeps };
}

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('retries', () => {
  test('honours Retry-After in seconds and counts the time waited', async () => {
    sim.setFaults({ failPages: [{ path: '/users/delta', page: 1, status: 429, times: 2 }], retryAfterSeconds: 3 });
    const { client, sleeps } = makeClient();
    const round = await usersDelta(client, {});
    expect(round.changes).toHaveLength(300);
    expect(sleeps).toEqual([3000, 3000]);
    expect(client.stats()).toEqual(expect.objectContaining({ throttled: 2, retries: 2, retryAfterWaitMs: 6000, backoffWaitMs: 0 }));
  });

  test('honours Retry-After given as an HTTP date', async () => {
    sim.setFaults({ failPages: [{ path: '/users/delta', page: 0, status: 503, times: 1 }], retryAfterSeconds: 2, retryAfterAsDate: true });
    const { client, sleeps } = makeClient();
    await usersDelta(client, { pageSize: 999 });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(0);
    expect(sleeps[0]).toBeLessThanOrEqual(2000);
    expect(client.stats().retryAfterWaitMs).toBe(sleeps[0]);
  });

  test('backs off exponentially with jitter when there is no Retry-After (504)', async () => {
    sim.setFaults({ failPages: [{ path: '/users/delta', page: 0, status: 504, times: 3 }] });
    const { client, sleeps } = makeClient({ retry: { baseDelayMs: 100, maxDelayMs: 10_000 } });
    await usersDelta(client, { pageSize: 999 });
    expect(sleeps).toEqual([75, 150, 300]);
    expect(client.stats()).toEqual(expect.objectContaining({ unavailable: 3, retryAfterWaitMs: 0, backoffWaitMs: 525 }));
  });

  test('gives up after the maximum number of retries with a coded error', async () => {
    sim.setFaults({ throttleRate: 1, retryAfterSeconds: 0, only: /\/manager$/ });
    const { client, sleeps } = makeClient({ retry: { maxRetries: 2 } });
    const error = await rejection(getUserManager(client, sim.tenant.userIdOf(20)));
    expect(error).toEqual(expect.objectContaining({ code: GraphErrorCodes.RetriesExhausted, status: 429, attempts: 3 }));
    expect(sleeps).toEqual([0, 0]);
  });

  test('times out a request that never gets an answer, retrying idempotent calls only', async () => {
    sim.setFaults({ hangRate: 1, only: /\/manager$|sendActivityNotification$/ });
    const { client } = makeClient({ timeoutMs: 50, retry: { maxRetries: 1 } });
    const get = await rejection(getUserManager(client, sim.tenant.userIdOf(20)));
    expect(get).toEqual(expect.objectContaining({ code: GraphErrorCodes.Timeout, attempts: 2 }));
    const post = await rejection(
      sendActivityNotification(client, sim.tenant.userIdOf(20), {
        topic: { source: 'text', value: 'x', webUrl: 'https://teams.microsoft.com/l/x' },
        activityType: 'kudosReceived',
        previewText: { content: 'x' },
      }),
    );
    expect(post).toEqual(expect.objectContaining({ code: GraphErrorCodes.Timeout, attempts: 1 }));
    expect(client.stats().timeouts).toBe(3);
  });

  test('maps errors that are not retried to stable codes', async () => {
    const { client } = makeClient();
    expect(await rejection(client.get('/users/00000000-0000-4000-8000-000000000000'))).toEqual(
      expect.objectContaining({ code: GraphErrorCodes.NotFound, status: 404, graphCode: 'Request_ResourceNotFound', attempts: 1 }),
    );
    expect(await rejection(client.get('/users?$select=nonsense'))).toEqual(expect.objectContaining({ code: GraphErrorCodes.HttpError, status: 400 }));
    expect(await rejection(client.get('https://evil.example/v1.0/users/x'))).toEqual(expect.objectContaining({ code: GraphErrorCodes.UntrustedLink }));
  });
});

describe('paging and delta', () => {
  test('getAll follows @odata.nextLink page by page, honouring $top', async () => {
    const { client } = makeClient();
    const sizes: number[] = [];
    const ids = new Set<string>();
    for await (const page of client.getAll<{ id: string }>('/users?$select=id,displayName&$top=70')) {
      sizes.push(page.value.length);
      for (const user of page.value) ids.add(user.id);
    }
    expect(sizes).toEqual([70, 70, 70, 70, 20]);
    expect(ids.size).toBe(300);
  });

  test('uses Graph’s default page size when no $top is given', async () => {
    const { client } = makeClient();
    const sizes: number[] = [];
    for await (const page of client.getAll('/users?$select=id')) sizes.push(page.value.length);
    expect(sizes).toEqual([100, 100, 100]);
  });

  test('delta returns a deltaLink that resumes with only the changes since', async () => {
    const { client } = makeClient();
    const first = await usersDelta(client, { pageSize: 120 });
    expect(first.pages).toBe(3);
    expect(first.deltaLink).toMatch(/\$deltatoken=/);

    const nothing = await usersDelta(client, { deltaLink: first.deltaLink });
    expect(nothing.changes).toEqual([]);

    sim.tenant.updateUser(10, { department: 'Legal' });
    sim.tenant.setManager(11, 1);
    sim.tenant.disableUser(12);
    sim.tenant.deleteUser(13);
    const hired = sim.tenant.addUser({ displayName: 'Nina New', department: 'Sales' });
    const second = await usersDelta(client, { deltaLink: nothing.deltaLink });
    const byId = new Map(second.changes.map((change) => [change.id, change]));
    expect(byId.size).toBe(5);
    expect(byId.get(sim.tenant.userIdOf(10))?.properties.department).toBe('Legal');
    expect(byId.get(sim.tenant.userIdOf(11))?.managerId).toBe(sim.tenant.userIdOf(1));
    expect(byId.get(sim.tenant.userIdOf(12))?.properties.accountEnabled).toBe(false);
    expect(byId.get(sim.tenant.userIdOf(13))?.removed).toBe('changed');
    expect(byId.get(hired)?.properties.displayName).toBe('Nina New');
    expect(byId.get(hired)?.managerId).toBeNull();

    // Stored links can be replayed (idempotent resume after a crash).
    const replay = await usersDelta(client, { deltaLink: nothing.deltaLink });
    expect(replay.changes.map((change) => change.id).sort()).toEqual([...byId.keys()].sort());
  });

  test('an expired delta token says a full resynchronisation is needed', async () => {
    const { client } = makeClient();
    const first = await usersDelta(client, { pageSize: 999 });
    sim.expireDeltaTokens();
    expect(await rejection(usersDelta(client, { deltaLink: first.deltaLink }))).toEqual(
      expect.objectContaining({ code: GraphErrorCodes.DeltaTokenExpired, status: 410 }),
    );
  });
});

describe('$batch', () => {
  test('sends 20 requests per batch and answers in input order', async () => {
    const { client } = makeClient();
    const users = Array.from({ length: 45 }, (_, i) => sim.tenant.userIdOf(i));
    const managers = await getUserManagers(client, users);
    const batches = sim.recording.filter((exchange) => exchange.path === '/$batch' && !exchange.viaBatch);
    expect(batches.map((exchange) => (exchange.requestBody as { requests: unknown[] }).requests.length).sort()).toEqual([20, 20, 5]);
    expect(managers.get(users[0]!)).toBeNull();
    expect(managers.get(users[17]!)).toBe(sim.tenant.userIdOf(2));
    expect(managers.size).toBe(45);
  });

  test('retries the throttled items of a batch only, honouring their Retry-After', async () => {
    sim.setFaults({ batchItemThrottleRate: 0.5, retryAfterSeconds: 2 });
    const { client, sleeps } = makeClient({ retry: { maxRetries: 10 } });
    const requests = Array.from({ length: 20 }, (_, i) => ({ method: 'GET' as const, url: `/users/${sim.tenant.userIdOf(i + 40)}?$select=id,displayName` }));
    const answers = await client.batch<{ id: string }>(requests);
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(answers.map((answer) => answer.body?.id)).toEqual(requests.map((request) => request.url.split('/')[2]!.split('?')[0]));
    const stats = client.stats();
    expect(stats.batchItemRetries).toBeGreaterThan(0);
    expect(stats.retryAfterWaitMs).toBe(2000 * sleeps.length);
    const batches = sim.recording.filter((exchange) => exchange.path === '/$batch' && !exchange.viaBatch);
    const sizes = batches.map((exchange) => (exchange.requestBody as { requests: unknown[] }).requests.length);
    expect(sizes[0]).toBe(20);
    expect(sizes.slice(1).every((size) => size < 20)).toBe(true);
  });

  test('enforces $select on the collection requests of a batch before sending anything', async () => {
    const { client } = makeClient();
    const error = await rejection(client.batch([{ method: 'GET', url: '/groups' }]));
    expect(error).toEqual(expect.objectContaining({ code: GraphErrorCodes.SelectRequired }));
    expect(sim.recording).toHaveLength(0);
  });
});

describe('$select rule', () => {
  test('a collection GET without $select throws a coded error and sends nothing', async () => {
    const { client } = makeClient();
    for (const url of ['/users', '/users?$top=5', `/groups/${sim.tenant.groupIdOf(0)}/members`, '/users/delta']) {
      expect(await rejection(client.get(url))).toEqual(expect.objectContaining({ code: GraphErrorCodes.SelectRequired }));
    }
    expect(await rejection(client.getAll(`/sites/x/pages`).next())).toEqual(expect.objectContaining({ code: GraphErrorCodes.SelectRequired }));
    expect(sim.recording).toHaveLength(0);
    await expect(client.get(`/users/${sim.tenant.userIdOf(1)}`)).resolves.toEqual(expect.objectContaining({ id: sim.tenant.userIdOf(1) }));
  });
});

describe('concurrency', () => {
  test('requests in flight are limited per tenant, across clients of the same tenant', async () => {
    const slow = await startGraphSimulator({ users: 50, seed: 3, latencyMs: 15 });
    try {
      const registry = new TenantConcurrency();
      const options = { tokenProvider: staticTokenProvider(token), baseUrl: slow.url, concurrency: registry, tenantId: 'contoso', maxConcurrency: 3 };
      const a = createGraphClient(options);
      const b = createGraphClient(options);
      await Promise.all(Array.from({ length: 24 }, (_, i) => getUserManager(i % 2 ? a : b, slow.tenant.userIdOf(i + 1))));
      expect(slow.stats.requests).toBe(24);
      expect(slow.stats.maxInFlight).toBeLessThanOrEqual(3);

      slow.resetStats();
      const other = createGraphClient({ ...options, tenantId: 'fabrikam', maxConcurrency: 1 });
      await Promise.all(Array.from({ length: 6 }, (_, i) => getUserManager(other, slow.tenant.userIdOf(i + 1))));
      expect(slow.stats.maxInFlight).toBe(1);
    } finally {
      await slow.close();
    }
  });
});

describe('tokens', () => {
  test('sends the bearer token, never logs it, and codes token failures', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (fields: Record<string, unknown>, message: string) => lines.push(JSON.stringify({ fields, message })),
      warn: (fields: Record<string, unknown>, message: string) => lines.push(JSON.stringify({ fields, message })),
    };
    const seen: string[] = [];
    const off = sim.onExchange((exchange) => seen.push(exchange.requestHeaders.authorization ?? ''));
    sim.setFaults({ throttleRate: 0.5, retryAfterSeconds: 0 });
    const { client } = makeClient({ logger, retry: { maxRetries: 10 } });
    await usersDelta(client, { pageSize: 50 });
    off();
    expect(seen.every((header) => header === 'Bearer [redacted]')).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(token);

    const failing = makeClient({
      tokenProvider: fromTokenFunction(async () => {
        throw Object.assign(new Error(`bad secret ${token}`), { errorCode: 'invalid_client' });
      }),
    }).client;
    const error = await rejection(getUserManager(failing, sim.tenant.userIdOf(3)));
    expect(error).toEqual(expect.objectContaining({ code: GraphErrorCodes.TokenAcquisition, graphCode: 'invalid_client' }));
    expect(String(error.message)).not.toContain(token);
  });

  test('the simulator refuses requests without a token', async () => {
    const { client } = makeClient({ tokenProvider: async () => '' });
    expect(await rejection(client.get(`/users/${sim.tenant.userIdOf(1)}`))).toEqual(expect.objectContaining({ code: GraphErrorCodes.HttpError, status: 401 }));
  });
});

describe('convergence under faults', () => {
  function apply(directory: Map<string, DirectoryUserChange>, changes: DirectoryUserChange[]): void {
    for (const change of changes) {
      if (change.removed) {
        directory.delete(change.id);
        continue;
      }
      const current = directory.get(change.id);
      directory.set(change.id, {
        id: change.id,
        properties: { ...current?.properties, ...change.properties },
        managerId: change.managerId === undefined ? current?.managerId : change.managerId,
      });
    }
  }

  test('a full users delta, then an incremental one, give the same directory with and without faults', async () => {
    const faulty = await startGraphSimulator({ users: 1500, seed: 99, defaultPageSize: 100 });
    const clean = await startGraphSimulator({ users: 1500, seed: 99, defaultPageSize: 100 });
    try {
      faulty.setFaults({
        throttleRate: 0.15,
        retryAfterSeconds: 1,
        unavailableRate: 0.05,
        gatewayTimeoutRate: 0.05,
        hangRate: 0.02,
        failPages: [{ path: '/users/delta', page: 4, status: 503, times: 1 }],
      });
      const quiet = { retry: { maxRetries: 12, baseDelayMs: 1, maxDelayMs: 2 }, timeoutMs: 100 };
      const faultyClient = makeClient({ ...quiet, baseUrl: faulty.url }).client;
      const cleanClient = makeClient({ ...quiet, baseUrl: clean.url }).client;

      const withFaults = new Map<string, DirectoryUserChange>();
      const without = new Map<string, DirectoryUserChange>();
      const roundA = await usersDelta(faultyClient, { onPage: (changes) => apply(withFaults, changes) });
      const roundB = await usersDelta(cleanClient, { onPage: (changes) => apply(without, changes) });
      expect(withFaults.size).toBe(1500);
      expect(withFaults).toEqual(without);
      expect(faultyClient.stats().retries).toBeGreaterThan(0);
      expect(faultyClient.stats().retryAfterWaitMs).toBeGreaterThan(0);
      expect(faulty.stats.injected).toBeGreaterThan(0);

      for (const tenant of [faulty.tenant, clean.tenant]) {
        tenant.updateUser(100, { jobTitle: 'Staff Engineer' });
        tenant.deleteUser(101);
        tenant.disableUser(102);
        tenant.setManager(103, 7);
        tenant.addUser({ displayName: 'Late Joiner' });
      }
      await usersDelta(faultyClient, { deltaLink: roundA.deltaLink, onPage: (changes) => apply(withFaults, changes) });
      await usersDelta(cleanClient, { deltaLink: roundB.deltaLink, onPage: (changes) => apply(without, changes) });
      expect(withFaults.size).toBe(1500);
      expect(withFaults).toEqual(without);
    } finally {
      await Promise.all([faulty.close(), clean.close()]);
    }
  });
});
