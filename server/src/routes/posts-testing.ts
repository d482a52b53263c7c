/**
 * A small organisation for API tests of posts and feeds: people with every role, and
 * communities of every visibility, inserted with SQL (community management is another
 * module). One tenant and one app per test file; tests make their own communities when
 * they need a clean slate.
 */
import type { Db } from '@ruche/core';
import { createTestTenant } from '@ruche/core/testing';
import type { RucheApp } from '../app.js';
import { localConfig, testApp } from '../testing.js';

export const people = ['camille', 'lea', 'moderator', 'owner', 'outsider', 'banned', 'admin', 'requester'] as const;
export type Who = (typeof people)[number];

export interface ApiResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by the assertions themselves
  body: any;
  headers: Record<string, unknown>;
}

export interface Social {
  db: Db;
  tenant: string;
  ruche: RucheApp;
  id: Record<Who, string>;
  upn(who: Who): string;
  /** Calls the API as someone; returns status and parsed body. */
  as(who: Who | null, method: string, url: string, payload?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
  /** A community with camille and lea as members, moderator, owner, a banned member and a pending requester. */
  community(visibility: 'public' | 'private' | 'secret', options?: { restrictedPosting?: boolean; archived?: boolean; name?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function socialFixture(db: Db): Promise<Social> {
  const tenant = await createTestTenant(db, 'Hexagone');
  const id = {} as Record<Who, string>;
  const upn = (who: Who) => `${who}@hexagone.example`;
  for (const who of people) {
    const name = who === 'camille' ? 'Camille Martin' : who === 'lea' ? 'Léa Roux' : `${who[0]!.toUpperCase()}${who.slice(1)} Person`;
    const r = await db.query<{ id: string }>(
      'insert into people (tenant_id, upn, display_name, roles) values ($1, $2, $3, $4) returning id',
      [tenant, upn(who), name, who === 'admin' ? ['admin'] : []],
    );
    id[who] = r.rows[0]!.id;
  }
  const ruche = await testApp(db, localConfig(), tenant);
  const tokens = new Map<Who, string>();
  let n = 0;
  const as: Social['as'] = async (who, method, url, payload, headers = {}) => {
    const h: Record<string, string> = { ...headers };
    if (who) {
      if (!tokens.has(who)) {
        const t = await ruche.app.inject({ method: 'POST', url: '/api/v1/dev/token', payload: { person: upn(who) } });
        tokens.set(who, t.json().access_token);
      }
      h.authorization = `Bearer ${tokens.get(who)}`;
    }
    const r = await ruche.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: h,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, body: r.body ? r.json() : null, headers: r.headers };
  };
  return {
    db,
    tenant,
    ruche,
    id,
    upn,
    as,
    async community(visibility, options = {}) {
      n += 1;
      const name = options.name ?? `${visibility} community ${n}`;
      const r = await db.query<{ id: string }>(
        `insert into communities (tenant_id, slug, name, kind, visibility, restricted_posting, archived_at)
         values ($1, $2, $3, 'interest', $4, $5, $6) returning id`,
        [tenant, `c-${n}-${Math.random().toString(36).slice(2, 8)}`, name, visibility, options.restrictedPosting ?? false, options.archived ? new Date() : null],
      );
      const cid = r.rows[0]!.id;
      const members: [Who, string, string][] = [
        ['camille', 'member', 'active'],
        ['lea', 'member', 'active'],
        ['moderator', 'moderator', 'active'],
        ['owner', 'owner', 'active'],
        ['banned', 'member', 'banned'],
        ['requester', 'member', 'requested'],
      ];
      for (const [who, role, state] of members) {
        await db.query('insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, $4, $5)', [
          tenant,
          cid,
          id[who],
          role,
          state,
        ]);
      }
      return cid;
    },
    async close() {
      await ruche.app.close();
    },
  };
}
