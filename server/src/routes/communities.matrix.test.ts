import { testDatabases } from '@ruche/core/testing';
import type { Db } from '@ruche/core';
import {
  createMatrixWorld,
  matrixCases,
  matrixRoles,
  matrixVisibilities,
  rules,
  runMatrixCase,
  seeThen,
  type MatrixCommunity,
  type MatrixRoute,
  type MatrixVisibility,
  type MatrixWorld,
} from '../authorisation-matrix.js';

const base = (c: MatrixCommunity) => `/api/v1/communities/${c.id}`;

/** Every community route, with the status each role must get on each visibility. */
export const communityMatrixRoutes: MatrixRoute[] = [
  { name: 'GET community', request: (c) => ({ method: 'GET', url: base(c) }), expected: (r, v) => seeThen(r, v, true, 200) },
  { name: 'GET community by slug', request: (c) => ({ method: 'GET', url: `/api/v1/communities/${c.slug}` }), expected: (r, v) => seeThen(r, v, true, 200) },
  {
    name: 'PATCH settings',
    mutates: true,
    request: (c) => ({ method: 'PATCH', url: base(c), payload: { description: 'Changed' } }),
    expected: (r, v) => seeThen(r, v, rules.manage(r), 200),
  },
  { name: 'POST archive', mutates: true, request: (c) => ({ method: 'POST', url: `${base(c)}/archive` }), expected: (r, v) => seeThen(r, v, rules.manage(r), 200) },
  { name: 'POST unarchive', mutates: true, request: (c) => ({ method: 'POST', url: `${base(c)}/unarchive` }), expected: (r, v) => seeThen(r, v, rules.manage(r), 200) },
  {
    name: 'POST join',
    mutates: true,
    request: (c) => ({ method: 'POST', url: `${base(c)}/join` }),
    // Public: anyone joins; members are members already; the rest must ask.
    expected: (r, v) => seeThen(r, v, v === 'public' || rules.member(r), 200),
  },
  {
    name: 'POST request to join',
    mutates: true,
    request: (c) => ({ method: 'POST', url: `${base(c)}/requests` }),
    // A secret community is joined by invitation only.
    expected: (r, v) => seeThen(r, v, v !== 'secret' || rules.member(r), 201),
  },
  { name: 'GET requests', request: (c) => ({ method: 'GET', url: `${base(c)}/requests` }), expected: (r, v) => seeThen(r, v, rules.moderate(r), 200) },
  {
    name: 'POST approve',
    mutates: true,
    request: (c, w) => ({ method: 'POST', url: `${base(c)}/requests/${w.people.requester.id}/approve` }),
    expected: (r, v) => seeThen(r, v, rules.moderate(r), 200),
  },
  {
    name: 'POST deny',
    mutates: true,
    request: (c, w) => ({ method: 'POST', url: `${base(c)}/requests/${w.people.requester.id}/deny` }),
    expected: (r, v) => seeThen(r, v, rules.moderate(r), 204),
  },
  {
    name: 'POST invitation',
    mutates: true,
    request: (c, w) => ({ method: 'POST', url: `${base(c)}/invitations`, payload: { person: w.people.outsider.upn } }),
    expected: (r, v) => seeThen(r, v, rules.moderate(r), 201),
  },
  {
    name: 'POST accept invitation (nobody of these roles is invited)',
    mutates: true,
    request: (c) => ({ method: 'POST', url: `${base(c)}/invitation/accept` }),
    expected: () => 404,
  },
  {
    name: 'POST leave',
    mutates: true,
    request: (c) => ({ method: 'POST', url: `${base(c)}/leave` }),
    // Members leave; the sole owner must name another owner; non-members are not members.
    expected: (r, v) => (!rules.see(r, v) ? 404 : r === 'owner' ? 409 : rules.member(r) ? 204 : 404),
  },
  { name: 'GET members', request: (c) => ({ method: 'GET', url: `${base(c)}/members` }), expected: (r, v) => seeThen(r, v, rules.read(r, v), 200) },
  {
    name: 'GET banned members',
    request: (c) => ({ method: 'GET', url: `${base(c)}/members?state=banned` }),
    expected: (r, v) => seeThen(r, v, rules.moderate(r), 200),
  },
  {
    name: 'PUT role',
    mutates: true,
    request: (c, w) => ({ method: 'PUT', url: `${base(c)}/members/${w.people.target.id}/role`, payload: { role: 'expert' } }),
    expected: (r, v) => seeThen(r, v, rules.manage(r), 200),
  },
  {
    name: 'PUT ban',
    mutates: true,
    request: (c, w) => ({ method: 'PUT', url: `${base(c)}/bans/${w.people.target.id}`, payload: { reason: 'spam' } }),
    expected: (r, v) => seeThen(r, v, rules.moderate(r), 200),
  },
  {
    name: 'DELETE ban',
    mutates: true,
    request: (c, w) => ({ method: 'DELETE', url: `${base(c)}/bans/${w.people.banned.id}` }),
    expected: (r, v) => seeThen(r, v, rules.moderate(r), 204),
  },
  { name: 'PUT follow', mutates: true, request: (c) => ({ method: 'PUT', url: `${base(c)}/follow` }), expected: (r, v) => seeThen(r, v, rules.read(r, v), 200) },
  { name: 'DELETE follow', mutates: true, request: (c) => ({ method: 'DELETE', url: `${base(c)}/follow` }), expected: (r, v) => seeThen(r, v, true, 200) },
];

describe.each(testDatabases())('community authorisation matrix on $name', ({ open }) => {
  let db: Db;
  let world: MatrixWorld;
  const shared = new Map<MatrixVisibility, MatrixCommunity>();

  beforeAll(async () => {
    db = await open();
    world = await createMatrixWorld(db);
    for (const v of matrixVisibilities) shared.set(v, await world.community(v));
  });
  afterAll(async () => {
    await world.close();
    await db.close();
  });

  describe('nothing private or secret leaks through lists, counts, search or autocomplete', () => {
    test.each(matrixRoles.map((r) => [r]))('%s', async (role) => {
      for (const v of matrixVisibilities) {
        const c = shared.get(v)!;
        const visible = rules.see(role, v);
        const word = c.name.split(' ').slice(0, 2).join(' ');
        const lists = {
          directory: await world.as(role, { method: 'GET', url: '/api/v1/communities?limit=100' }),
          search: await world.as(role, { method: 'GET', url: `/api/v1/communities?q=${encodeURIComponent(c.name)}` }),
          typo: await world.as(role, { method: 'GET', url: `/api/v1/communities?q=${encodeURIComponent(word.replace('Zephyrine', 'Zefyrine'))}&limit=100` }),
          mine: await world.as(role, { method: 'GET', url: '/api/v1/communities?mine=true&limit=100' }),
          kind: await world.as(role, { method: 'GET', url: '/api/v1/communities?kind=interest&sort=newest&limit=100' }),
          autocomplete: await world.as(role, { method: 'GET', url: `/api/v1/communities/autocomplete?q=${encodeURIComponent(c.name)}&limit=20` }),
        };
        for (const [list, r] of Object.entries(lists)) {
          expect({ list, status: r.statusCode }).toEqual({ list, status: 200 });
          const items = r.json().items as { id: string; memberCount?: number }[];
          const found = items.find((x) => x.id === c.id);
          const shouldFind = list === 'mine' ? rules.member(role) : visible;
          expect({ role, v, list, found: Boolean(found) }).toEqual({ role, v, list, found: shouldFind });
          if (!shouldFind) expect(r.body).not.toContain(c.name);
          // Three active members with roles plus the target: the count is the same for whoever may see it.
          if (found && 'memberCount' in found) expect(found.memberCount).toBe(4);
        }
        if (role === 'other_tenant') {
          for (const r of Object.values(lists)) expect(r.json().items).toEqual([]);
        }
      }
    });
  });

  test.each(matrixCases(communityMatrixRoutes))('%s', async (_name, k) => {
    await runMatrixCase(world, shared, k);
  });

  test('the OpenAPI document describes the community routes', async () => {
    const r = await world.ruche.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    const doc = r.json();
    expect(doc.paths['/api/v1/communities'].post).toBeDefined();
    expect(doc.paths['/api/v1/communities/{ref}/members'].get).toBeDefined();
    expect(doc.components.schemas.Community).toBeDefined();
  });
});
