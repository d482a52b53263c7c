/**
 * Contract tests: every request Ruche's Graph client makes and every answer the simulator
 * gives (faults included) must conform to the official Graph OpenAPI description.
 */
import {
  TenantConcurrency,
  addGroupMember,
  createExternalConnection,
  createGraphClient,
  deleteExternalItem,
  getExternalConnection,
  getSite,
  getUserManager,
  getUserManagers,
  getUserPhoto,
  getUserPhotoInfo,
  getUserPhotoInfos,
  groupsDelta,
  listGroupMemberIds,
  listGroupOwnerIds,
  listSiteNews,
  listSitePages,
  listUserSkills,
  putExternalItem,
  registerExternalSchema,
  removeGroupMember,
  sendActivityNotification,
  sendActivityNotifications,
  staticTokenProvider,
  updateGroupMembers,
  usersDelta,
  type GraphClient,
} from '../../core/src/graph/index.js';
import { GraphContract } from './contract/openapi-validator.js';
import { startGraphSimulator, type GraphSimulator, type RecordedExchange } from './simulator/index.js';

let sim: GraphSimulator;
let client: GraphClient;
let contract: GraphContract;

beforeAll(async () => {
  contract = new GraphContract();
  sim = await startGraphSimulator({ users: 120, seed: 42, record: true, defaultPageSize: 25 });
  client = createGraphClient({
    tokenProvider: staticTokenProvider('contract-token'),
    baseUrl: sim.url,
    tenantId: 'contract',
    concurrency: new TenantConcurrency(4),
    retry: { maxRetries: 8, baseDelayMs: 1, maxDelayMs: 5 },
    sleep: async () => undefined,
  });
});

afterAll(async () => {
  await sim.close();
});

function expectConforms(exchanges: readonly RecordedExchange[]): void {
  const violations = contract.checkAll(exchanges);
  expect(violations).toEqual([]);
}

test('every exchange of a full Ruche Graph scenario conforms to the Graph description, faults included', async () => {
  const tenant = sim.tenant;
  sim.setFaults({ throttleRate: 0.1, unavailableRate: 0.05, unavailableRetryAfter: true, gatewayTimeoutRate: 0.05, retryAfterSeconds: 0, batchItemThrottleRate: 0.2 });

  // Directory: users delta, then changes, then the incremental round.
  const first = await usersDelta(client, { pageSize: 40 });
  expect(first.changes).toHaveLength(120);
  tenant.updateUser(3, { jobTitle: 'Principal Engineer', department: 'Engineering' });
  tenant.disableUser(4);
  tenant.deleteUser(5);
  tenant.addUser({ displayName: 'New Hire' });
  const second = await usersDelta(client, { deltaLink: first.deltaLink });
  expect(second.changes.map((change) => change.removed ?? 'present').sort()).toEqual(['changed', 'present', 'present', 'present']);

  const someone = tenant.userIdOf(17);
  expect(await getUserManager(client, someone)).toEqual(expect.objectContaining({ id: tenant.userIdOf(2) }));
  expect(await getUserManager(client, tenant.userIdOf(0))).toBeNull();
  const managers = await getUserManagers(client, Array.from({ length: 30 }, (_, i) => tenant.userIdOf(i + 6)));
  expect(managers.size).toBe(30);
  const photos = await Promise.all(Array.from({ length: 16 }, (_, k) => getUserPhoto(client, tenant.userIdOf(10 + k))));
  expect(photos.some((photo) => photo === null)).toBe(true);
  expect(photos.some((photo) => photo !== null)).toBe(true);

  // Groups and membership.
  const groups = await groupsDelta(client);
  expect(groups.changes.length).toBe(tenant.groupCount);
  const group = groups.changes[0]!.id;
  await addGroupMember(client, group, tenant.userIdOf(7));
  await removeGroupMember(client, group, tenant.userIdOf(7));
  await updateGroupMembers(client, group, { add: [tenant.userIdOf(9), tenant.userIdOf(11)], remove: [tenant.userIdOf(0)] });
  expect(await listGroupMemberIds(client, group)).toEqual(expect.arrayContaining([tenant.userIdOf(9), tenant.userIdOf(11)]));
  expect(await listGroupOwnerIds(client, group)).toHaveLength(1);
  const infos = await getUserPhotoInfos(client, Array.from({ length: 16 }, (_, k) => tenant.userIdOf(10 + k)));
  expect([...infos.values()].some((info) => info === null)).toBe(true);
  expect([...infos.values()].some((info) => typeof info?.etag === 'string')).toBe(true);
  const withPhoto = Array.from({ length: 16 }, (_, k) => tenant.userIdOf(10 + k)).find((id) => infos.get(id));
  expect(await getUserPhotoInfo(client, withPhoto!)).toEqual(infos.get(withPhoto!));
  const groupChanges = await groupsDelta(client, { deltaLink: groups.deltaLink });
  expect(groupChanges.changes.find((change) => change.id === group)?.membersAdded).toEqual(expect.arrayContaining([tenant.userIdOf(9)]));

  // Profile skills (beta), Teams notifications, connector, SharePoint news.
  for (const i of [20, 21, 22, 23]) await listUserSkills(client, tenant.userIdOf(i));
  await sendActivityNotification(client, tenant.userIdOf(30), {
    topic: { source: 'text', value: 'Kudos', webUrl: 'https://teams.microsoft.com/l/entity/app/kudos' },
    activityType: 'kudosReceived',
    previewText: { content: 'Alice sent you kudos' },
    templateParameters: [{ name: 'sender', value: 'Alice' }],
  });
  await sendActivityNotifications(client, Array.from({ length: 25 }, (_, i) => tenant.userIdOf(40 + i)), {
    topic: { source: 'entityUrl', value: `https://graph.microsoft.com/v1.0/users/${tenant.userIdOf(1)}` },
    activityType: 'announcementPublished',
    previewText: { content: 'A must-read announcement' },
    chainId: 12,
  });
  await createExternalConnection(client, { id: 'ruchePosts', name: 'Ruche posts', description: 'Posts from Ruche communities' });
  await registerExternalSchema(client, 'ruchePosts');
  expect(await getExternalConnection(client, 'ruchePosts')).toEqual(expect.objectContaining({ id: 'ruchePosts', state: 'ready' }));
  await putExternalItem(client, 'ruchePosts', {
    id: 'post1',
    acl: [{ type: 'group', value: group, accessType: 'grant' }],
    properties: { title: 'Hello', url: 'https://ruche.example/posts/1', authors: ['Alice'], 'authors@odata.type': 'Collection(String)', community: 'Guild' },
    content: { type: 'text', value: 'Hello world' },
  });
  await deleteExternalItem(client, 'ruchePosts', 'post1');
  await deleteExternalItem(client, 'ruchePosts', 'post1');
  const site = tenant.sites[0]!.id;
  expect(await getSite(client, site)).toEqual({ id: site, displayName: tenant.sites[0]!.displayName, webUrl: tenant.sites[0]!.webUrl });
  await expect(getSite(client, 'unknown.sharepoint.com,x,y')).rejects.toThrow();
  const news = await listSiteNews(client, site);
  expect(news.length).toBeGreaterThan(0);
  expect(news.every((page) => page.promotionKind === 'newsPost')).toBe(true);
  for await (const page of listSitePages(client, site, { pageSize: 7 })) expect(page.length).toBeGreaterThan(0);

  sim.setFaults(undefined);
  expect(sim.recording.some((exchange) => exchange.injected)).toBe(true);
  expect(sim.recording.some((exchange) => exchange.viaBatch)).toBe(true);
  expectConforms(sim.recording);

  const expected = [
    'GET v1.0 /users/microsoft.graph.delta()',
    'GET v1.0 /users/{user-id}/manager',
    'GET v1.0 /users/{user-id}/photo/$value',
    'GET v1.0 /groups/microsoft.graph.delta()',
    'GET v1.0 /groups/{group-id}/members',
    'POST v1.0 /groups/{group-id}/members/$ref',
    'DELETE v1.0 /groups/{group-id}/members/{directoryObject-id}/$ref',
    'GET beta /users/{user-id}/profile/skills',
    'POST v1.0 /users/{user-id}/teamwork/microsoft.graph.sendActivityNotification',
    'POST v1.0 /external/connections',
    'GET v1.0 /external/connections/{externalConnection-id}',
    'PATCH v1.0 /external/connections/{externalConnection-id}/schema',
    'PUT v1.0 /external/connections/{externalConnection-id}/items/{externalItem-id}',
    'DELETE v1.0 /external/connections/{externalConnection-id}/items/{externalItem-id}',
    'GET v1.0 /sites/{site-id}/pages',
    'GET v1.0 /sites/{site-id}',
  ];
  expect([...contract.covered].sort()).toEqual(expect.arrayContaining(expected));
});

describe('the contract checker itself', () => {
  const base: RecordedExchange = {
    version: 'v1.0',
    method: 'GET',
    path: '/users/delta()',
    query: { $select: 'id,displayName' },
    requestHeaders: {},
    status: 200,
    responseHeaders: {},
    responseBody: { value: [{ id: 'a', displayName: 'A', accountEnabled: true }], '@odata.deltaLink': 'http://x' },
    contentType: 'application/json',
    viaBatch: false,
    injected: false,
  };

  test('accepts a conforming exchange, in both spellings of a bound function', () => {
    expect(contract.check(base)).toEqual([]);
    expect(contract.check({ ...base, path: '/users/microsoft.graph.delta()' })).toEqual([]);
    expect(contract.check({ ...base, path: '/users/delta' })).toEqual([]);
  });

  test('rejects unknown paths, methods and query parameters', () => {
    expect(contract.check({ ...base, path: '/users/delta/extra' })[0]?.problem).toMatch(/not in the Graph description/);
    expect(contract.check({ ...base, method: 'DELETE' })[0]?.problem).toMatch(/method not allowed/);
    expect(contract.check({ ...base, query: { $select: 'id', $frobnicate: '1' } })[0]?.problem).toMatch(/\$frobnicate is not declared/);
    expect(contract.check({ ...base, query: { $top: 'ten' } })[0]?.problem).toMatch(/\$top/);
  });

  test('rejects bodies that break the schemas', () => {
    expect(contract.check({ ...base, responseBody: { value: [{ id: 'a', accountEnabled: 'yes' }] } })[0]?.problem).toMatch(/response body/);
    const notify: RecordedExchange = {
      ...base,
      method: 'POST',
      path: '/users/abc/teamwork/sendActivityNotification',
      query: {},
      requestBody: { topic: { source: 'somewhere', value: 'x' }, activityType: 'a', previewText: { content: 'p' } },
      status: 204,
      responseBody: undefined,
    };
    expect(contract.check(notify)[0]?.problem).toMatch(/request body/);
    expect(contract.check({ ...notify, requestBody: { ...(notify.requestBody as object), topic: { source: 'text', value: 'x' } } })).toEqual([]);
    expect(contract.check({ ...base, status: 429, responseBody: { error: { message: 'no code' } } })[0]?.problem).toMatch(/response body/);
  });

  test('finds the description in ../shared/graph relative to the repository', () => {
    expect(contract.findPath('beta', '/users/x/profile/skills')?.key).toBe('/users/{user-id}/profile/skills');
    expect(contract.findPath('v1.0', '/users/delta')?.key).toBe('/users/microsoft.graph.delta()');
  });
});
