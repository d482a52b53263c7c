/** Company values that kudos are given for: configurable per tenant (defaults seeded by migration 011 for every tenant). */
import type { Db, Queryable } from '../store/db.js';
import { type Viewer, canOnRecognition } from '../policy/index.js';
import { RucheError } from '../errors.js';
import { recordAudit } from '../communities/audit.js';

export interface KudosValue {
  key: string;
  name: { en: string; fr: string };
  /** A Fluent UI icon name. */
  icon: string;
  /** #RRGGBB */
  colour: string;
  position: number;
  active: boolean;
}

interface ValueRow {
  key: string;
  name_en: string;
  name_fr: string;
  icon: string;
  colour: string;
  position: number;
  active: boolean;
}

export function toKudosValue(r: ValueRow): KudosValue {
  return { key: r.key, name: { en: r.name_en, fr: r.name_fr }, icon: r.icon, colour: r.colour, position: r.position, active: r.active };
}

/** Active values for everyone; inactive ones too for those who manage them. */
export async function listKudosValues(q: Queryable, viewer: Viewer, options: { includeInactive?: boolean } = {}): Promise<KudosValue[]> {
  const all = options.includeInactive === true && canOnRecognition(viewer, 'manage_values', viewer.tenantId);
  const r = await q.query<ValueRow>(
    `select key, name_en, name_fr, icon, colour, position, active from kudos_values
     where tenant_id = $1 and (active or $2::boolean) order by position, key`,
    [viewer.tenantId, all],
  );
  return r.rows.map(toKudosValue);
}

export interface KudosValueInput {
  name: { en: string; fr: string };
  icon: string;
  colour: string;
  position?: number;
  active?: boolean;
}

const keyPattern = /^[a-z][a-z0-9_-]{0,39}$/;
const iconPattern = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
const colourPattern = /^#[0-9a-fA-F]{6}$/;

export async function upsertKudosValue(db: Db, viewer: Viewer, key: string, input: KudosValueInput): Promise<KudosValue> {
  if (!canOnRecognition(viewer, 'manage_values', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Only tenant administrators and HR manage company values');
  const issues: { path: string; message: string }[] = [];
  if (!keyPattern.test(key)) issues.push({ path: 'key', message: 'lower-case letters, digits, - and _, starting with a letter (at most 40)' });
  for (const lang of ['en', 'fr'] as const) {
    const n = input.name[lang]?.trim() ?? '';
    if (n.length < 1 || n.length > 80) issues.push({ path: `name.${lang}`, message: '1 to 80 characters' });
  }
  if (!iconPattern.test(input.icon)) issues.push({ path: 'icon', message: 'a Fluent UI icon name, e.g. PeopleTeam' });
  if (!colourPattern.test(input.colour)) issues.push({ path: 'colour', message: 'a colour as #RRGGBB' });
  if (issues.length > 0) throw new RucheError('VALIDATION_FAILED', 'The company value is not valid', { details: { issues } });
  return db.transaction(async (tx) => {
    const r = await tx.query<ValueRow>(
      `insert into kudos_values (tenant_id, key, name_en, name_fr, icon, colour, position, active)
       values ($1, $2, $3, $4, $5, $6, coalesce($7, (select coalesce(max(position), 0) + 1 from kudos_values where tenant_id = $1)), coalesce($8, true))
       on conflict (tenant_id, key) do update set name_en = excluded.name_en, name_fr = excluded.name_fr, icon = excluded.icon,
         colour = excluded.colour, position = coalesce($7, kudos_values.position), active = coalesce($8, kudos_values.active), updated_at = now()
       returning key, name_en, name_fr, icon, colour, position, active`,
      [viewer.tenantId, key, input.name.en.trim(), input.name.fr.trim(), input.icon, input.colour.toUpperCase(), input.position ?? null, input.active ?? null],
    );
    await recordAudit(tx, { tenantId: viewer.tenantId, actorId: viewer.personId, action: 'recognition.value.upsert', targetType: 'kudos_value', targetId: key, data: { ...input } });
    return toKudosValue(r.rows[0]!);
  });
}

/** Retires a value: no new kudos with it; past kudos keep it. */
export async function deactivateKudosValue(db: Db, viewer: Viewer, key: string): Promise<void> {
  if (!canOnRecognition(viewer, 'manage_values', viewer.tenantId)) throw new RucheError('FORBIDDEN', 'Only tenant administrators and HR manage company values');
  await db.transaction(async (tx) => {
    const r = await tx.query('update kudos_values set active = false, updated_at = now() where tenant_id = $1 and key = $2', [viewer.tenantId, key]);
    if (r.rowCount === 0) throw new RucheError('KUDOS_VALUE_UNKNOWN');
    await recordAudit(tx, { tenantId: viewer.tenantId, actorId: viewer.personId, action: 'recognition.value.deactivate', targetType: 'kudos_value', targetId: key });
  });
}
