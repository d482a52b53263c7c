import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshPostgresSchema } from '@ruche/core/testing';
import { loadConfig } from '@ruche/core';
import { startServer } from '@ruche/server';
import { silentLogger } from '../../server/src/testing.js';

describe('starting Ruche', () => {
  test('a fresh embedded database is migrated, gets the demo organisation, and answers over HTTP; a restart reuses it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'ruche-start-'));
    try {
      const config = loadConfig({ NODE_ENV: 'test', PORT: '0', RUCHE_DATA_DIR: dataDir, RUCHE_DEMO_PEOPLE: '60' });
      const first = await startServer(config, { logger: silentLogger });
      let people: { upn: string }[];
      try {
        const health = await fetch(`${first.url}/healthz`);
        expect(health.status).toBe(200);
        const ready = await fetch(`${first.url}/readyz`);
        expect(await ready.json()).toEqual({ status: 'ready', database: 'pglite' });
        people = ((await (await fetch(`${first.url}/api/v1/dev/people`)).json()) as { items: { upn: string }[] }).items;
        expect(people.length).toBe(60);
        const token = await fetch(`${first.url}/api/v1/dev/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ person: people[0]!.upn }),
        });
        const { access_token } = (await token.json()) as { access_token: string };
        const auth = { authorization: `Bearer ${access_token}` };
        const me = await fetch(`${first.url}/api/v1/me`, { headers: auth });
        expect(me.status).toBe(200);
        // The demo's content goes through the API's response schemas: read every page of the home feed.
        let cursor: string | null = null;
        let pages = 0;
        do {
          const url: string = `${first.url}/api/v1/feeds/home?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const feed = await fetch(url, { headers: auth });
          expect(feed.status).toBe(200);
          cursor = ((await feed.json()) as { nextCursor: string | null }).nextCursor;
          pages += 1;
        } while (cursor && pages < 50);
        expect(pages).toBeGreaterThan(1);
        // The expert finder answers on the demo at once, shy experts included.
        const planted = await first.db.query<{ topic: string; person_id: string }>(
          "select topic, person_id from demo_shy_experts order by position limit 1",
        );
        const shy = planted.rows[0]!;
        const experts = await fetch(`${first.url}/api/v1/experts?q=${encodeURIComponent(shy.topic)}`, { headers: auth });
        expect(experts.status).toBe(200);
        const found = ((await experts.json()) as { items: { person: { id: string } }[] }).items.map((i) => i.person.id);
        expect(found).toContain(shy.person_id);
      } finally {
        await first.close();
      }
      const second = await startServer(config, { logger: silentLogger });
      try {
        const again = ((await (await fetch(`${second.url}/api/v1/dev/people`)).json()) as { items: { upn: string }[] }).items;
        expect(again.map((p) => p.upn).sort()).toEqual(people.map((p) => p.upn).sort());
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('two servers started together on one empty PostgreSQL both come up', async () => {
    const fresh = await freshPostgresSchema();
    if (!fresh) {
      console.warn('skipped: no PostgreSQL configured (RUCHE_TEST_DATABASE_URL)');
      return;
    }
    try {
      const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DATABASE_URL: fresh.url, RUCHE_DEMO_PEOPLE: '40' });
      const servers = await Promise.all([startServer(config, { logger: silentLogger }), startServer(config, { logger: silentLogger })]);
      try {
        for (const s of servers) {
          const r = await fetch(`${s.url}/readyz`);
          expect(await r.json()).toEqual({ status: 'ready', database: 'postgres' });
          const people = (await (await fetch(`${s.url}/api/v1/dev/people`)).json()) as { items: unknown[] };
          expect(people.items.length).toBe(40);
        }
      } finally {
        await Promise.all(servers.map((s) => s.close()));
      }
    } finally {
      await fresh.drop();
    }
  });
});
