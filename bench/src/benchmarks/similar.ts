/**
 * Same work elsewhere: latency of "similar posts and communities in other departments" for a
 * post and for a community, on the demo organisation at 1,000 people (about 10,000 posts)
 * on PostgreSQL (RUCHE_BENCH_SIMILAR_PEOPLE for another size), in its own database
 * `ruche_bench_similar`, prepared once and reused. Each call is made as a member of the
 * source's community, as the API would. The hourly refresh of the stored word profiles is
 * timed too (similar_profiles_refresh_ms: the first build on newly generated data, else a
 * refresh with nothing new, like similar_profiles_idle_refresh_ms). Measured in the steady
 * state autovacuum keeps (posts vacuumed and analysed first).
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  DEMO_TENANT_ID, generateDemo, isDemoLoaded, migrate, openPostgres, refreshSimilarProfiles, similarToCommunity, similarToPost,
  viewerOfPerson, type Db, type Viewer,
} from '@ruche/core';
import { percentile, round, type Benchmark } from '../benchmark.js';

const DATABASE = 'ruche_bench_similar';

async function databaseUrl(): Promise<string> {
  const base = process.env.RUCHE_BENCH_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
  const url = new URL(base);
  if (!url.username) url.username = process.env.PGUSER ?? (await import('node:os')).userInfo().username;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const r = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (r.rowCount === 0) await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

async function memberOf(db: Db, communityId: string): Promise<Viewer | undefined> {
  const r = await db.query<{ person_id: string }>(
    "select person_id from memberships where tenant_id = $1 and community_id = $2 and state = 'active' order by md5(person_id::text) limit 1",
    [DEMO_TENANT_ID, communityId],
  );
  return r.rows[0] ? viewerOfPerson(db, DEMO_TENANT_ID, r.rows[0].person_id) : undefined;
}

export const similar: Benchmark = {
  name: 'similar',
  description: 'similar work elsewhere p95 for a post and for a community, 1,000-person demo on PostgreSQL',
  async run({ log }) {
    const people = Number(process.env.RUCHE_BENCH_SIMILAR_PEOPLE ?? 1000);
    const db = await openPostgres({ connectionString: await databaseUrl(), max: 4 });
    try {
      await migrate(db);
      if (!(await isDemoLoaded(db, DEMO_TENANT_ID))) {
        const t0 = performance.now();
        await generateDemo(db, { tenantId: DEMO_TENANT_ID, people });
        log(`demo generated in ${Math.round((performance.now() - t0) / 1000)} s`);
        await db.exec('analyze');
      } else {
        log('reusing the prepared demo');
      }
      const t1 = performance.now();
      const built = await refreshSimilarProfiles(db, DEMO_TENANT_ID);
      const refreshMs = performance.now() - t1;
      log(`profiles refreshed in ${Math.round(refreshMs)} ms: ${JSON.stringify(built)}`);
      const t2 = performance.now();
      await refreshSimilarProfiles(db, DEMO_TENANT_ID);
      const idleRefreshMs = performance.now() - t2;
      // The steady state autovacuum keeps: full-text index entries merged (a freshly loaded table's
      // GIN pending list makes every full-text lookup scan it), statistics current.
      for (const table of ['posts', 'similar_community_profiles', 'similar_word_frequencies']) await db.query(`vacuum analyze ${table}`);

      const posts = await db.query<{ id: string; community_id: string }>(
        `select id, community_id from posts where tenant_id = $1 and kind in ('discussion', 'question', 'idea') and deleted_at is null
            and hidden_at is null and community_id is not null order by md5(id::text) limit 200`,
        [DEMO_TENANT_ID],
      );
      const communities = await db.query<{ id: string }>(
        'select id from communities where tenant_id = $1 and archived_at is null order by md5(id::text) limit 200',
        [DEMO_TENANT_ID],
      );
      const postCalls: { viewer: Viewer; id: string }[] = [];
      for (const p of posts.rows) {
        const viewer = await memberOf(db, p.community_id);
        if (viewer) postCalls.push({ viewer, id: p.id });
      }
      const communityCalls: { viewer: Viewer; id: string }[] = [];
      for (const c of communities.rows) {
        const viewer = await memberOf(db, c.id);
        if (viewer) communityCalls.push({ viewer, id: c.id });
      }
      // Warm-up.
      for (const x of postCalls.slice(0, 10)) await similarToPost(db, x.viewer, x.id);
      for (const x of communityCalls.slice(0, 10)) await similarToCommunity(db, x.viewer, x.id);

      const postTimes: number[] = [];
      let found = 0;
      for (const x of postCalls) {
        const t = performance.now();
        const w = await similarToPost(db, x.viewer, x.id);
        postTimes.push(performance.now() - t);
        found += w.posts.length + w.communities.length;
      }
      const communityTimes: number[] = [];
      for (let pass = 0; pass < 3; pass++) {
        for (const x of communityCalls) {
          const t = performance.now();
          const w = await similarToCommunity(db, x.viewer, x.id);
          communityTimes.push(performance.now() - t);
          found += w.posts.length + w.communities.length;
        }
      }
      postTimes.sort((a, b) => a - b);
      communityTimes.sort((a, b) => a - b);
      log(`${postTimes.length} post calls, ${communityTimes.length} community calls, ${found} results`);
      const counts = await db.query<{ people: number; posts: number; communities: number }>(
        `select (select count(*)::int from people where tenant_id = $1) as people, (select count(*)::int from posts where tenant_id = $1) as posts,
                (select count(*)::int from communities where tenant_id = $1) as communities`,
        [DEMO_TENANT_ID],
      );
      const c = counts.rows[0]!;
      return {
        database: `${await db.version()} (${c.people} people, ${c.posts} posts, ${c.communities} communities)`,
        metrics: {
          similar_post_p50_ms: round(percentile(postTimes, 50)),
          similar_post_p95_ms: round(percentile(postTimes, 95)),
          similar_community_p50_ms: round(percentile(communityTimes, 50)),
          similar_community_p95_ms: round(percentile(communityTimes, 95)),
          similar_profiles_refresh_ms: round(refreshMs),
          similar_profiles_idle_refresh_ms: round(idleRefreshMs),
        },
      };
    } finally {
      await db.close();
    }
  },
};
