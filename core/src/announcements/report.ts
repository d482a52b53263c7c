/**
 * Reach and acknowledgement of an announcement, for its author, communicators, tenant
 * admins and the moderators of its community: totals, per department, and a CSV export
 * (one line per person of the current audience).
 */
import { stringify } from 'csv-stringify/sync';
import type { Queryable } from '../store/db.js';
import type { Viewer } from '../policy/index.js';
import { loadAnnouncementFor } from './announcements.js';
import { audienceSql } from './audience.js';
import type { AnnouncementReport, AnnouncementReportRow, ReachCounts } from './model.js';

interface CountsRow {
  department: string | null;
  audience: number;
  viewed: number;
  acknowledged: number;
  earlier: number;
}

function countsOf(r: CountsRow): ReachCounts {
  return { audience: r.audience, viewed: r.viewed, acknowledged: r.acknowledged, acknowledgedEarlierVersion: r.earlier };
}

export async function announcementReport(db: Queryable, viewer: Viewer, postId: string): Promise<AnnouncementReport> {
  const a = await loadAnnouncementFor(db, viewer, postId, 'report');
  const version = a.row?.ack_version ?? 1;
  const r = await db.query<CountsRow>(
    `select p.department, count(*)::int as audience,
            count(v.person_id)::int as viewed,
            count(*) filter (where exists (select 1 from acknowledgements k where k.tenant_id = $1 and k.post_id = $2
                                             and k.person_id = p.id and k.version = $3))::int as acknowledged,
            count(*) filter (where not exists (select 1 from acknowledgements k where k.tenant_id = $1 and k.post_id = $2
                                                 and k.person_id = p.id and k.version = $3)
                               and exists (select 1 from acknowledgements k where k.tenant_id = $1 and k.post_id = $2
                                             and k.person_id = p.id and k.version < $3))::int as earlier
     from (${audienceSql('$1', '$2')}) aud
     join people p on p.tenant_id = $1 and p.id = aud.id
     left join announcement_views v on v.tenant_id = $1 and v.post_id = $2 and v.person_id = p.id
     group by p.department
     order by count(*) desc, p.department nulls last`,
    [viewer.tenantId, postId, version],
  );
  const totals = r.rows.reduce<ReachCounts>(
    (t, x) => ({
      audience: t.audience + x.audience,
      viewed: t.viewed + x.viewed,
      acknowledged: t.acknowledged + x.acknowledged,
      acknowledgedEarlierVersion: t.acknowledgedEarlierVersion + x.earlier,
    }),
    { audience: 0, viewed: 0, acknowledged: 0, acknowledgedEarlierVersion: 0 },
  );
  const title = await db.query<{ title: string }>('select title from posts where tenant_id = $1 and id = $2', [viewer.tenantId, postId]);
  return {
    postId,
    title: title.rows[0]!.title,
    mustRead: a.mustRead,
    version,
    totals,
    byDepartment: r.rows.map((x) => ({ department: x.department, ...countsOf(x) })),
  };
}

/** One row per person of the current audience, ordered by department then name. */
export async function announcementReportRows(db: Queryable, viewer: Viewer, postId: string): Promise<AnnouncementReportRow[]> {
  await loadAnnouncementFor(db, viewer, postId, 'report');
  const r = await db.query<{
    id: string;
    display_name: string;
    upn: string;
    department: string | null;
    first_viewed_at: Date | null;
    version: number | null;
    acknowledged_at: Date | null;
  }>(
    `select p.id, p.display_name, p.upn, p.department, v.first_viewed_at, k.version, k.acknowledged_at
     from (${audienceSql('$1', '$2')}) aud
     join people p on p.tenant_id = $1 and p.id = aud.id
     left join announcement_views v on v.tenant_id = $1 and v.post_id = $2 and v.person_id = p.id
     left join lateral (
       select version, acknowledged_at from acknowledgements k
       where k.tenant_id = $1 and k.post_id = $2 and k.person_id = p.id order by version desc limit 1) k on true
     order by p.department nulls last, p.display_name, p.id`,
    [viewer.tenantId, postId],
  );
  return r.rows.map((x) => ({
    personId: x.id,
    displayName: x.display_name,
    upn: x.upn,
    department: x.department,
    viewedAt: x.first_viewed_at?.toISOString() ?? null,
    acknowledgedVersion: x.version,
    acknowledgedAt: x.acknowledged_at?.toISOString() ?? null,
  }));
}

/**
 * A spreadsheet cell that cannot run as a formula: text starting with = + - @ (or a tab or
 * carriage return, which some spreadsheets skip before reading a formula) gets a leading
 * apostrophe (OWASP "CSV injection").
 */
export function safeCell(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export const reportCsvHeader = ['Name', 'Email', 'Department', 'Viewed at', 'Status', 'Acknowledged version', 'Acknowledged at'] as const;

/**
 * The report as CSV: UTF-8 with a byte-order mark (so Excel reads accented names), CRLF
 * line ends, RFC 4180 quoting by csv-stringify, and formula-safe cells. Status is
 * 'acknowledged' (current version), 'earlier version' (asked again after a material edit)
 * or 'pending'.
 */
export async function announcementReportCsv(db: Queryable, viewer: Viewer, postId: string): Promise<string> {
  const a = await loadAnnouncementFor(db, viewer, postId, 'report');
  const version = a.row?.ack_version ?? 1;
  const rows = await announcementReportRows(db, viewer, postId);
  const records = rows.map((x) =>
    [
      x.displayName,
      x.upn,
      x.department,
      x.viewedAt,
      x.acknowledgedVersion === version ? 'acknowledged' : x.acknowledgedVersion !== null ? 'earlier version' : 'pending',
      x.acknowledgedVersion,
      x.acknowledgedVersion === version ? x.acknowledgedAt : null,
    ].map(safeCell),
  );
  return stringify([[...reportCsvHeader], ...records], { bom: true, record_delimiter: 'windows', quoted_match: /[",\r\n;]/ });
}
