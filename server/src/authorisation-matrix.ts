/**
 * The generated authorisation matrix: every route x role x community visibility, with
 * the status each combination must get, and checks that nothing private or secret leaks.
 * Test helper, shared by every route module: communities (routes/communities.matrix.test.ts),
 * posts, comments, reactions and feeds (routes/posts.matrix.test.ts), and announcements,
 * governance, notifications, search, attachments, recognition, people and experts
 * (routes/reach.matrix.test.ts), each in one seeded tenant per suite.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Db } from '@ruche/core';
import { createTestTenant } from '@ruche/core/testing';
import { localConfig, testApp } from './testing.js';
import type { RucheApp } from './app.js';

/** Who asks: no relation, a member, a moderator, an owner, a tenant admin (not a member), an admin of another tenant. */
export type MatrixRole = 'none' | 'member' | 'moderator' | 'owner' | 'admin' | 'other_tenant';
export const matrixRoles: readonly MatrixRole[] = ['none', 'member', 'moderator', 'owner', 'admin', 'other_tenant'];

export type MatrixVisibility = 'public' | 'private' | 'secret';
export const matrixVisibilities: readonly MatrixVisibility[] = ['public', 'private', 'secret'];

/** Other people of the community, for routes that act on someone. */
export type MatrixExtra = 'target' | 'requester' | 'banned' | 'invitee' | 'outsider';

export interface MatrixPerson {
  id: string;
  upn: string;
}

/** A community made for one case (or shared by read-only cases), with its people in place. */
export interface MatrixCommunity {
  id: string;
  slug: string;
  name: string;
  visibility: MatrixVisibility;
}

export interface MatrixWorld {
  ruche: RucheApp;
  db: Db;
  tenantId: string;
  otherTenantId: string;
  people: Record<MatrixRole | MatrixExtra, MatrixPerson>;
  /**
   * A new community of the tenant: member, moderator and owner are active members with
   * those roles; target is an active member; requester asked to join; banned is banned;
   * invitee is invited; none, admin and outsider have no membership.
   */
  community(visibility: MatrixVisibility, options?: { kind?: string; name?: string }): Promise<MatrixCommunity>;
  /** Sends a request as one of the roles (or extras). */
  as(who: MatrixRole | MatrixExtra, request: InjectOptions): Promise<LightMyRequestResponse>;
  /** The Authorization header value of one of the roles (or extras), for requests outside inject (live events). */
  bearer(who: MatrixRole | MatrixExtra): string;
  close(): Promise<void>;
}

/** Decisions the expectations are written with; they restate the product rules, not the policy code. */
export const rules = {
  see: (role: MatrixRole, v: MatrixVisibility) => role !== 'other_tenant' && (v !== 'secret' || role !== 'none'),
  read: (role: MatrixRole, v: MatrixVisibility) => role !== 'other_tenant' && (v === 'public' || role !== 'none'),
  member: (role: MatrixRole) => role === 'member' || role === 'moderator' || role === 'owner',
  moderate: (role: MatrixRole) => role === 'moderator' || role === 'owner' || role === 'admin',
  manage: (role: MatrixRole) => role === 'owner' || role === 'admin',
};

/** 404 when the community must stay unknown; otherwise `allowed` or 403. */
export function seeThen(role: MatrixRole, v: MatrixVisibility, allowed: boolean, ok: number): number {
  if (!rules.see(role, v)) return 404;
  return allowed ? ok : 403;
}

export interface MatrixRoute {
  name: string;
  request(c: MatrixCommunity, world: MatrixWorld): InjectOptions;
  /** The status this role must get on a community of this visibility. */
  expected(role: MatrixRole, visibility: MatrixVisibility): number;
  /** Routes that change state get a fresh community for each case. */
  mutates?: boolean;
}

export interface MatrixCase {
  route: MatrixRoute;
  role: MatrixRole;
  visibility: MatrixVisibility;
}

/** Every route x role x visibility; use with test.each. */
export function matrixCases(
  routes: readonly MatrixRoute[],
  roles: readonly MatrixRole[] = matrixRoles,
  visibilities: readonly MatrixVisibility[] = matrixVisibilities,
): [string, MatrixCase][] {
  const cases: [string, MatrixCase][] = [];
  for (const route of routes) {
    for (const visibility of visibilities) {
      for (const role of roles) cases.push([`${route.name} | ${visibility} | ${role}`, { route, role, visibility }]);
    }
  }
  return cases;
}

/**
 * Runs one case: checks the status, and that a refused request says nothing about the
 * community (its name never appears; a hidden one answers exactly like one that does not
 * exist).
 */
export async function runMatrixCase(world: MatrixWorld, shared: Map<MatrixVisibility, MatrixCommunity>, k: MatrixCase): Promise<void> {
  const c = k.route.mutates ? await world.community(k.visibility) : shared.get(k.visibility)!;
  const response = await world.as(k.role, k.route.request(c, world));
  const expected = k.route.expected(k.role, k.visibility);
  const got = { case: `${k.route.name} | ${k.visibility} | ${k.role}`, status: response.statusCode, body: response.statusCode === expected ? '' : response.body };
  assert.deepEqual(got, { case: got.case, status: expected, body: '' });
  if (response.statusCode >= 400) {
    assert.ok(!response.body.includes(c.name), `${got.case}: a refusal names the community`);
    if (!rules.see(k.role, k.visibility)) {
      const ghost = { ...c, id: randomUUID(), slug: `ghost-${randomUUID().slice(0, 8)}` };
      const miss = await world.as(k.role, k.route.request(ghost, world));
      const strip = (r: LightMyRequestResponse) => {
        const { instance: _i, requestId: _r, ...rest } = r.json() as Record<string, unknown>;
        return { status: r.statusCode, ...rest };
      };
      assert.deepEqual(strip(response), strip(miss), `${got.case}: a hidden community answers unlike a missing one`);
    }
  }
}

let counter = 0;

/** Builds a tenant with one person per role and extra, another tenant, and the app. */
export async function createMatrixWorld(db: Db): Promise<MatrixWorld> {
  const tenantId = await createTestTenant(db, 'Matrix');
  const otherTenantId = await createTestTenant(db, 'Other');
  const ruche = await testApp(db, localConfig(), tenantId);
  const idp = ruche.devIdentity!;
  const names = ['none', 'member', 'moderator', 'owner', 'admin', 'target', 'requester', 'banned', 'invitee', 'outsider'] as const;
  const people = {} as Record<MatrixRole | MatrixExtra, MatrixPerson>;
  for (const n of names) {
    const upn = `${n}@matrix.test`;
    const r = await db.query<{ id: string }>(
      'insert into people (tenant_id, upn, display_name, roles) values ($1, $2, $3, $4) returning id',
      [tenantId, upn, `Matrix ${n}`, n === 'admin' ? ['admin'] : []],
    );
    people[n] = { id: r.rows[0]!.id, upn };
  }
  const other = await db.query<{ id: string }>(
    "insert into people (tenant_id, upn, display_name, roles) values ($1, 'admin@other.test', 'Other admin', '{admin}') returning id",
    [otherTenantId],
  );
  people.other_tenant = { id: other.rows[0]!.id, upn: 'admin@other.test' };
  const tokens = new Map<string, string>();
  for (const [n, p] of Object.entries(people)) {
    const { token } = await idp.issue({ tenantId: n === 'other_tenant' ? otherTenantId : tenantId, personId: p.id, upn: p.upn, name: n });
    tokens.set(n, token);
  }
  const memberships: [MatrixRole | MatrixExtra, string, string][] = [
    ['member', 'member', 'active'],
    ['moderator', 'moderator', 'active'],
    ['owner', 'owner', 'active'],
    ['target', 'member', 'active'],
    ['requester', 'member', 'requested'],
    ['banned', 'member', 'banned'],
    ['invitee', 'member', 'invited'],
  ];
  return {
    ruche,
    db,
    tenantId,
    otherTenantId,
    people,
    async community(visibility, options = {}) {
      const n = ++counter;
      const name = options.name ?? `Zephyrine ${visibility} ${n}`;
      const slug = `zephyrine-${visibility}-${n}`;
      const r = await db.query<{ id: string }>(
        `insert into communities (tenant_id, slug, name, kind, visibility, created_by) values ($1, $2, $3, $4, $5, $6) returning id`,
        [tenantId, slug, name, options.kind ?? 'interest', visibility, people.owner.id],
      );
      const id = r.rows[0]!.id;
      for (const [who, role, state] of memberships) {
        await db.query('insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, $4, $5)', [
          tenantId,
          id,
          people[who].id,
          role,
          state,
        ]);
      }
      return { id, slug, name, visibility };
    },
    bearer(who) {
      return `Bearer ${tokens.get(who)}`;
    },
    as(who, request) {
      const headers = { ...(request.headers ?? {}), authorization: `Bearer ${tokens.get(who)}` };
      return ruche.app.inject({ ...request, headers });
    },
    async close() {
      await ruche.app.close();
    },
  };
}
