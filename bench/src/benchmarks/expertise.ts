/**
 * Expertise finder: search latency on the large demo organisation (50,000 people, 1M posts,
 * PostgreSQL, prepared once by the feed benchmark's preparation and reused), and the
 * quality on the planted shy experts of the default demo organisation (recall@10 of the
 * evidence ranking beside a declared-skills-only ranking, same run).
 */
import { performance } from 'node:perf_hooks';
import { DEMO_TENANT_ID, findExperts, generateDemo, refreshExpertiseEvidence, expertiseEvidenceRefreshedAt, openPglite, migrate, type Db, type ShyExpert, type Viewer } from '@ruche/core';
import { percentile, round, type Benchmark } from '../benchmark.js';
import { POSTGRES_SCALE, openPreparedPostgres, prepareDemo } from './feed-data.js';

const QUERIES = ['kubernetes', 'kubernets', 'postgresql', 'comptabilité', 'comptabilite', 'react', 'sécurité applicative', 'observability',
  'gestion de projet', 'terraform', 'design system', 'recrutement', 'fiscalité', 'typescript', 'accessibilite', 'docker'];

async function viewers(db: Db, n: number): Promise<Viewer[]> {
  const r = await db.query<{ id: string; roles: string[] }>(
    'select id, roles from people where tenant_id = $1 and not is_former_employee order by id limit $2',
    [DEMO_TENANT_ID, n],
  );
  return r.rows.map((x) => ({ tenantId: DEMO_TENANT_ID, personId: x.id, roles: x.roles.filter((role) => role !== 'admin') }));
}

/** recall@10 over the shy experts: query = their topic, viewer = a colleague who is not an admin. */
export async function shyExpertRecall(db: Db, tenantId: string, shy: readonly ShyExpert[]): Promise<{ evidence: number; declared: number }> {
  const v = await db.query<{ id: string }>(
    "select id from people where tenant_id = $1 and not ('admin' = any(roles)) and not is_former_employee order by id limit 1",
    [tenantId],
  );
  const viewer: Viewer = { tenantId, personId: v.rows[0]!.id, roles: [] };
  let hitE = 0;
  let hitD = 0;
  for (const s of shy) {
    const e = await findExperts(db, viewer, { q: s.topic, limit: 10 });
    const d = await findExperts(db, viewer, { q: s.topic, limit: 10, ranking: 'declared' });
    if (e.items.some((x) => x.person.id === s.personId)) hitE++;
    if (d.items.some((x) => x.person.id === s.personId)) hitD++;
  }
  return { evidence: shy.length ? hitE / shy.length : 0, declared: shy.length ? hitD / shy.length : 0 };
}

export const expertise: Benchmark = {
  name: 'expertise',
  description: 'expert search p95 at 50,000 people and 1M posts (PostgreSQL); shy-expert recall@10 on the default demo',
  async run({ log }) {
    // Quality: the default demo organisation, embedded, in this benchmark's own folder.
    const small = await openPglite();
    await migrate(small);
    const demo = await generateDemo(small, {});
    await refreshExpertiseEvidence(small, demo.tenantId);
    const recall = await shyExpertRecall(small, demo.tenantId, demo.shyExperts);
    log(`shy experts: ${demo.shyExperts.length}; recall@10 evidence ${recall.evidence}, declared-only ${recall.declared}`);
    await small.close();

    // Latency: the large organisation on PostgreSQL.
    const db = await openPreparedPostgres(4, log);
    try {
      await prepareDemo(db, POSTGRES_SCALE, log);
      if (!(await expertiseEvidenceRefreshedAt(db, DEMO_TENANT_ID))) {
        const r = await refreshExpertiseEvidence(db, DEMO_TENANT_ID);
        log(`topic evidence computed: ${r.rows} rows in ${r.ms} ms`);
        await db.exec('analyze expertise_evidence; analyze expertise_evidence_public');
      }
      await db.exec('analyze people; analyze person_skills; analyze endorsements; analyze kudos; analyze memberships');
      const vs = await viewers(db, 200);
      for (let i = 0; i < 32; i++) await findExperts(db, vs[i % vs.length]!, { q: QUERIES[i % QUERIES.length]! });
      const times: number[] = [];
      const rounds = Number(process.env.RUCHE_BENCH_EXPERT_QUERIES ?? 400);
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        await findExperts(db, vs[(i * 7) % vs.length]!, { q: QUERIES[i % QUERIES.length]!, limit: 10 });
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      return {
        database: `${await db.version()} (${POSTGRES_SCALE.people} people, ${POSTGRES_SCALE.posts} posts); quality on pglite default demo`,
        metrics: {
          expert_search_p50_ms: round(percentile(times, 50)),
          expert_search_p95_ms: round(percentile(times, 95)),
          expert_search_max_ms: round(times[times.length - 1]!),
          shy_expert_recall_at_10: round(recall.evidence, 3),
          declared_only_recall_at_10: round(recall.declared, 3),
          shy_experts: demo.shyExperts.length,
        },
      };
    } finally {
      await db.close();
    }
  },
};
