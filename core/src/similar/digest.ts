/**
 * The periodic digest of similar work for community managers: for each owner or moderator,
 * the communities and posts of other departments that resemble the communities they run,
 * as that manager may see them. One notification per manager and period (ISO week), so a
 * job that runs twice sends nothing more.
 */
import type { Db } from '../store/db.js';
import { notify, viewerOfPerson } from '../notifications/notify.js';
import { similarToCommunity } from './similar.js';

/** Communities of one manager looked at per digest. */
export const DIGEST_COMMUNITIES_MAX = 10;
/** Similar posts and communities listed per managed community. */
export const DIGEST_ITEMS_PER_COMMUNITY = 3;

/** The ISO week of a date, e.g. 2026-W48 (UTC). */
export function isoWeek(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export interface SimilarDigestEntry {
  communityId: string;
  name: string;
  similarCommunities: { id: string; name: string; department: string | null }[];
  similarPosts: { id: string; title: string; department: string | null; communityId: string | null }[];
}

export interface SimilarDigestReport {
  period: string;
  managers: number;
  notified: number;
  /** Managers already sent this period's digest. */
  alreadySent: number;
}

/** Sends this period's digest of similar work to every community manager of a tenant who has something to read. */
export async function sendSimilarWorkDigests(db: Db, tenantId: string, now: Date = new Date()): Promise<SimilarDigestReport> {
  const period = isoWeek(now);
  const managers = await db.query<{ person_id: string; communities: string[]; names: string[] }>(
    `select m.person_id, (array_agg(c.id order by c.name, c.id))[1:${DIGEST_COMMUNITIES_MAX}] as communities,
            (array_agg(c.name order by c.name, c.id))[1:${DIGEST_COMMUNITIES_MAX}] as names
       from memberships m
       join communities c on c.tenant_id = m.tenant_id and c.id = m.community_id and c.archived_at is null
       join people p on p.tenant_id = m.tenant_id and p.id = m.person_id and not p.is_former_employee
      where m.tenant_id = $1 and m.state = 'active' and m.role in ('owner', 'moderator')
        and not exists (select 1 from similar_work_digests d where d.tenant_id = $1 and d.person_id = m.person_id and d.period = $2)
      group by m.person_id order by m.person_id`,
    [tenantId, period],
  );
  const report: SimilarDigestReport = { period, managers: managers.rows.length, notified: 0, alreadySent: 0 };
  for (const m of managers.rows) {
    const viewer = await viewerOfPerson(db, tenantId, m.person_id);
    if (!viewer) continue;
    const entries: SimilarDigestEntry[] = [];
    for (let i = 0; i < m.communities.length; i++) {
      const w = await similarToCommunity(db, viewer, m.communities[i]!, { limit: DIGEST_ITEMS_PER_COMMUNITY }, now);
      if (w.posts.length === 0 && w.communities.length === 0) continue;
      entries.push({
        communityId: m.communities[i]!,
        name: m.names[i]!,
        similarCommunities: w.communities.map((c) => ({ id: c.id, name: c.name, department: c.department })),
        similarPosts: w.posts.map((p) => ({ id: p.id, title: p.title, department: p.department, communityId: p.community?.id ?? null })),
      });
    }
    const pairs = entries.reduce((n, e) => n + e.similarCommunities.length + e.similarPosts.length, 0);
    const sent = await db.transaction(async (tx) => {
      const ins = await tx.query(
        'insert into similar_work_digests (tenant_id, person_id, period, pairs) values ($1, $2, $3, $4) on conflict do nothing',
        [tenantId, m.person_id, period, pairs],
      );
      if (ins.rowCount === 0) return 'already' as const;
      if (pairs === 0) return 'empty' as const;
      await notify(tx, { tenantId, personId: m.person_id, kind: 'similar_work_digest', data: { period, pairs, entries } });
      return 'sent' as const;
    });
    if (sent === 'sent') report.notified++;
    if (sent === 'already') report.alreadySent++;
  }
  return report;
}
