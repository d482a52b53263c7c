/**
 * Recognition settings of a tenant (tenants.settings -> 'recognition') and each person's
 * preferences (opt-out, public ranking opt-in).
 */
import type { Db, Queryable } from '../store/db.js';
import { type Viewer, canOnRecognition } from '../policy/index.js';
import { RucheError } from '../errors.js';
import { recordAudit } from '../communities/audit.js';

export interface RecognitionSettings {
  /** Kudos one person may give per UTC day. */
  dailyCap: number;
  /** Countries (as in the directory, case-insensitive) where recognition is switched off. */
  disabledCountries: string[];
  /** Offices (as in the directory, case-insensitive) where recognition is switched off. */
  disabledOffices: string[];
  /** Team and department leaderboards show a group's score only from this many counted people. */
  leaderboardMinGroupSize: number;
}

export const defaultRecognitionSettings: Readonly<RecognitionSettings> = {
  dailyCap: 10,
  disabledCountries: [],
  disabledOffices: [],
  leaderboardMinGroupSize: 3,
};

export async function getRecognitionSettings(q: Queryable, tenantId: string): Promise<RecognitionSettings> {
  const r = await q.query<{ s: Partial<RecognitionSettings> | null }>("select settings -> 'recognition' as s from tenants where id = $1", [tenantId]);
  const s = r.rows[0]?.s ?? {};
  return {
    dailyCap: typeof s.dailyCap === 'number' ? s.dailyCap : defaultRecognitionSettings.dailyCap,
    disabledCountries: Array.isArray(s.disabledCountries) ? s.disabledCountries.map(String) : [],
    disabledOffices: Array.isArray(s.disabledOffices) ? s.disabledOffices.map(String) : [],
    leaderboardMinGroupSize:
      typeof s.leaderboardMinGroupSize === 'number' ? s.leaderboardMinGroupSize : defaultRecognitionSettings.leaderboardMinGroupSize,
  };
}

/** The lower-cased lists the SQL predicates take (sqlRecognitionExcluded). */
export function switchedOff(s: RecognitionSettings): { countries: string[]; offices: string[] } {
  return { countries: s.disabledCountries.map((x) => x.toLowerCase()), offices: s.disabledOffices.map((x) => x.toLowerCase()) };
}

function cleanList(list: string[] | undefined, field: string): string[] | undefined {
  if (list === undefined) return undefined;
  if (list.length > 200) throw new RucheError('VALIDATION_FAILED', `${field}: at most 200 entries`);
  const out = [...new Set(list.map((x) => x.trim()).filter((x) => x.length > 0))];
  if (out.some((x) => x.length > 100)) throw new RucheError('VALIDATION_FAILED', `${field}: names are at most 100 characters`);
  return out;
}

export async function updateRecognitionSettings(db: Db, viewer: Viewer, changes: Partial<RecognitionSettings>): Promise<RecognitionSettings> {
  if (!canOnRecognition(viewer, 'manage_settings', viewer.tenantId)) {
    throw new RucheError('FORBIDDEN', 'Only tenant administrators and HR manage recognition settings');
  }
  if (changes.dailyCap !== undefined && (!Number.isInteger(changes.dailyCap) || changes.dailyCap < 0 || changes.dailyCap > 1000)) {
    throw new RucheError('VALIDATION_FAILED', 'dailyCap is an integer from 0 to 1000');
  }
  const minGroup = changes.leaderboardMinGroupSize;
  if (minGroup !== undefined && (!Number.isInteger(minGroup) || minGroup < 1 || minGroup > 100)) {
    throw new RucheError('VALIDATION_FAILED', 'leaderboardMinGroupSize is an integer from 1 to 100');
  }
  const countries = cleanList(changes.disabledCountries, 'disabledCountries');
  const offices = cleanList(changes.disabledOffices, 'disabledOffices');
  return db.transaction(async (tx) => {
    await tx.query('select 1 from tenants where id = $1 for update', [viewer.tenantId]);
    const current = await getRecognitionSettings(tx, viewer.tenantId);
    const next: RecognitionSettings = {
      dailyCap: changes.dailyCap ?? current.dailyCap,
      disabledCountries: countries ?? current.disabledCountries,
      disabledOffices: offices ?? current.disabledOffices,
      leaderboardMinGroupSize: minGroup ?? current.leaderboardMinGroupSize,
    };
    await tx.query("update tenants set settings = jsonb_set(settings, '{recognition}', $2::jsonb) where id = $1", [
      viewer.tenantId,
      JSON.stringify(next),
    ]);
    await recordAudit(tx, {
      tenantId: viewer.tenantId,
      actorId: viewer.personId,
      action: 'recognition.settings',
      targetType: 'tenant',
      targetId: viewer.tenantId,
      data: { before: current, after: next },
    });
    return next;
  });
}

export interface RecognitionPreferences {
  optedOut: boolean;
  publicRanking: boolean;
  /** Recognition is switched off for the person's country or office (tenant rule). */
  switchedOffByRule: boolean;
}

export async function getRecognitionPreferences(q: Queryable, viewer: Viewer): Promise<RecognitionPreferences> {
  const s = switchedOff(await getRecognitionSettings(q, viewer.tenantId));
  const r = await q.query<{ opted_out: boolean | null; public_ranking: boolean | null; rule: boolean }>(
    `select rp.opted_out, rp.public_ranking,
       (lower(coalesce(p.country, '')) = any($3::text[]) or lower(coalesce(p.office, '')) = any($4::text[])) as rule
     from people p left join recognition_preferences rp on rp.tenant_id = p.tenant_id and rp.person_id = p.id
     where p.tenant_id = $1 and p.id = $2`,
    [viewer.tenantId, viewer.personId, s.countries, s.offices],
  );
  const row = r.rows[0];
  if (!row) throw new RucheError('PERSON_NOT_FOUND');
  return { optedOut: row.opted_out ?? false, publicRanking: row.public_ranking ?? false, switchedOffByRule: row.rule };
}

export async function setRecognitionPreferences(
  db: Db,
  viewer: Viewer,
  changes: Partial<Pick<RecognitionPreferences, 'optedOut' | 'publicRanking'>>,
): Promise<RecognitionPreferences> {
  await db.query(
    `insert into recognition_preferences (tenant_id, person_id, opted_out, public_ranking) values ($1, $2, coalesce($3, false), coalesce($4, false))
     on conflict (tenant_id, person_id) do update set
       opted_out = coalesce($3, recognition_preferences.opted_out),
       public_ranking = coalesce($4, recognition_preferences.public_ranking),
       updated_at = now()`,
    [viewer.tenantId, viewer.personId, changes.optedOut ?? null, changes.publicRanking ?? null],
  );
  return getRecognitionPreferences(db, viewer);
}
