/**
 * Kudos: recognition given to one or several colleagues for a company value, with a
 * message and a visibility (public, a community's readers, or private: the giver, the
 * recipients and the recipients' managers). Walls per community and per department,
 * keyset-paged; milestone badges; notifications to recipients and their managers.
 * Everything a viewer is shown goes through the policy (canOnKudos / sqlKudosReadable);
 * people excluded from recognition (opt-out, country or office switched off) never appear.
 */
import type { Db, Queryable } from '../store/db.js';
import {
  type CommunityFacts,
  type KudosFacts,
  type KudosVisibility,
  type Viewer,
  assertOnCommunity,
  canGiveKudosInCommunity,
  canOnKudos,
  isTenantAdmin,
  kudosRefusal,
  sqlBadgeKudosId,
  sqlKudosReadable,
  sqlRecognitionExcluded,
  visibleKudosRecipients,
} from '../policy/index.js';
import { RucheError } from '../errors.js';
import { decodeCursor, encodeCursor, type Page } from '../pagination.js';
import { type Person, findPersonByIdOrUpn, isUuid } from '../people/people.js';
import { type CommunityRow, communityFactsOf, loadCommunity } from '../posts/facts.js';
import { notify, viewerOfPerson } from '../notifications/notify.js';
import { consumeRateLimit } from '../governance/rate-limit.js';
import { screenContent } from '../governance/keywords.js';
import { recordAudit } from '../communities/audit.js';
import { checkKeyset } from '../feed/keyset.js';
import { type KudosValue, toKudosValue } from './values.js';
import { type RecognitionSettings, getRecognitionSettings, switchedOff } from './settings.js';

export const KUDOS_MESSAGE_MAX = 2000;
export const KUDOS_MAX_RECIPIENTS = 20;
/** Milestones of kudos received, overall and per value. */
export const KUDOS_BADGE_THRESHOLDS = [1, 10, 25, 50, 100] as const;

export interface KudosPerson {
  id: string;
  displayName: string;
  department: string | null;
}

export interface KudosView {
  id: string;
  giver: KudosPerson;
  /** The recipients the viewer is shown (people excluded from recognition only to themselves). */
  recipients: KudosPerson[];
  value: KudosValue | null;
  message: string;
  visibility: KudosVisibility;
  community: { id: string; name: string } | null;
  createdAt: string;
  canDelete: boolean;
}

export interface KudosBadge {
  personId: string;
  /** 'kudos' (all kudos received) or a value key. */
  scope: string;
  threshold: number;
  awardedAt: string;
  kudosId: string | null;
}

export interface NewKudos {
  /** Person ids or user principal names. */
  recipients: string[];
  valueKey: string;
  message: string;
  visibility: KudosVisibility;
  communityId?: string | null;
}

export interface GivenKudos {
  kudos: KudosView;
  /** Milestone badges this kudos earned its recipients. */
  badges: KudosBadge[];
}

interface KudosRow {
  id: string;
  tenant_id: string;
  giver_id: string;
  giver_name: string;
  giver_department: string | null;
  value_key: string | null;
  name_en: string | null;
  name_fr: string | null;
  icon: string | null;
  colour: string | null;
  position: number | null;
  active: boolean | null;
  message: string;
  visibility: KudosVisibility;
  community_id: string | null;
  community_name: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

interface RecipientRow {
  kudos_id: string;
  id: string;
  display_name: string;
  department: string | null;
  manager_id: string | null;
  excluded: boolean;
}

/** Lower-cased switched-off countries and offices, as parameters of sqlRecognitionExcluded. */
async function exclusionParams(q: Queryable, tenantId: string, settings?: RecognitionSettings): Promise<[string[], string[]]> {
  const s = switchedOff(settings ?? (await getRecognitionSettings(q, tenantId)));
  return [s.countries, s.offices];
}

/** Where the kudos to load come from: ids, or a statement selecting `id` and `ord` (its rank; placeholders from $5, $1-$4 being taken). */
type KudosSource = { ids: string[] } | { sql: string; params: unknown[] };

type KudosRowWithFacts = KudosRow &
  Omit<CommunityRow, 'visibility'> & { c_visibility: CommunityRow['visibility']; recipients: Omit<RecipientRow, 'kudos_id'>[] | null };

/**
 * Loads kudos rows in one statement, in the order of `source`: giver, value, community with
 * the viewer's membership in it (for the policy), and recipients (excluded flag computed
 * from the tenant's switched-off countries and offices).
 */
async function loadKudos(
  q: Queryable,
  viewer: Viewer,
  source: KudosSource,
  exclusions?: [string[], string[]],
): Promise<{ rows: KudosRow[]; recipients: Map<string, RecipientRow[]>; communities: Map<string, CommunityFacts | null> }> {
  if ('ids' in source && source.ids.length === 0) return { rows: [], recipients: new Map(), communities: new Map() };
  const [countries, offices] = exclusions ?? (await exclusionParams(q, viewer.tenantId));
  const wanted =
    'ids' in source
      ? 'select w.id, w.ord from unnest($5::uuid[]) with ordinality w(id, ord)'
      : `select w.id, w.ord from (${source.sql}) w`;
  const r = await q.query<KudosRowWithFacts>(
    `with wanted as (${wanted})
     select k.id, k.tenant_id, k.giver_id, g.display_name as giver_name, g.department as giver_department, k.value_key,
       v.name_en, v.name_fr, v.icon, v.colour, v.position, v.active, k.message, k.visibility, k.community_id,
       c.name as community_name, c.visibility as c_visibility, c.archived_at, c.restricted_posting, m.role as m_role, m.state as m_state,
       k.created_at, k.deleted_at,
       (select json_agg(json_build_object('id', p.id, 'display_name', p.display_name, 'department', p.department, 'manager_id', p.manager_id,
                 'excluded', ${sqlRecognitionExcluded('p', '$3', '$4')}) order by p.display_name, p.id)
          from kudos_recipients kr join people p on p.tenant_id = kr.tenant_id and p.id = kr.recipient_id
          where kr.tenant_id = k.tenant_id and kr.kudos_id = k.id) as recipients
     from wanted w
     join kudos k on k.tenant_id = $1 and k.id = w.id
     join people g on g.tenant_id = k.tenant_id and g.id = k.giver_id
     left join kudos_values v on v.tenant_id = k.tenant_id and v.key = k.value_key
     left join communities c on c.tenant_id = k.tenant_id and c.id = k.community_id
     left join memberships m on m.tenant_id = k.tenant_id and m.community_id = k.community_id and m.person_id = $2
     order by w.ord`,
    [viewer.tenantId, viewer.personId, countries, offices, ...('ids' in source ? [source.ids] : source.params)],
  );
  const recipients = new Map<string, RecipientRow[]>();
  const communities = new Map<string, CommunityFacts | null>();
  for (const x of r.rows) {
    recipients.set(x.id, (x.recipients ?? []).map((p) => ({ ...p, kudos_id: x.id })));
    if (x.community_id) communities.set(x.community_id, communityFactsOf(viewer.tenantId, { ...x, visibility: x.c_visibility }));
  }
  return { rows: r.rows, recipients, communities };
}

function factsOf(row: KudosRow, recipients: RecipientRow[], community: CommunityFacts | null): KudosFacts {
  return {
    tenantId: row.tenant_id,
    giverId: row.giver_id,
    visibility: row.visibility,
    community,
    recipients: recipients.map((x) => ({ personId: x.id, managerId: x.manager_id, excluded: x.excluded })),
    deleted: row.deleted_at !== null,
  };
}

function viewOf(viewer: Viewer, row: KudosRow, recipients: RecipientRow[], facts: KudosFacts): KudosView {
  const shown = new Set(visibleKudosRecipients(viewer, facts).map((x) => x.personId));
  return {
    id: row.id,
    giver: { id: row.giver_id, displayName: row.giver_name, department: row.giver_department },
    recipients: recipients.filter((x) => shown.has(x.id)).map((x) => ({ id: x.id, displayName: x.display_name, department: x.department })),
    value:
      row.value_key && row.name_en !== null
        ? toKudosValue({ key: row.value_key, name_en: row.name_en, name_fr: row.name_fr!, icon: row.icon!, colour: row.colour!, position: row.position!, active: row.active! })
        : null,
    message: row.message,
    visibility: row.visibility,
    community: row.community_id ? { id: row.community_id, name: row.community_name ?? '' } : null,
    createdAt: row.created_at.toISOString(),
    canDelete: canOnKudos(viewer, 'delete', facts),
  };
}

/** Loads kudos facts as `viewer` sees them (community membership included) and decides through the policy. */
async function loadForViewer(q: Queryable, viewer: Viewer, source: string[] | KudosSource, exclusions?: [string[], string[]]): Promise<KudosView[]> {
  const { rows, recipients, communities } = await loadKudos(q, viewer, Array.isArray(source) ? { ids: source } : source, exclusions);
  const out: KudosView[] = [];
  for (const row of rows) {
    const community = row.community_id ? (communities.get(row.community_id) ?? null) : null;
    const rec = recipients.get(row.id) ?? [];
    const facts = factsOf(row, rec, community);
    if (canOnKudos(viewer, 'read', facts)) out.push(viewOf(viewer, row, rec, facts));
  }
  return out;
}

export async function getKudos(q: Queryable, viewer: Viewer, kudosId: string): Promise<KudosView> {
  if (!isUuid(kudosId)) throw new RucheError('NOT_FOUND', 'No such kudos');
  const [view] = await loadForViewer(q, viewer, [kudosId]);
  if (!view) throw new RucheError('NOT_FOUND', 'No such kudos');
  return view;
}

function validate(input: NewKudos): { message: string; recipients: string[] } {
  const issues: { path: string; message: string }[] = [];
  const message = (input.message ?? '').trim();
  if (message.length === 0) issues.push({ path: 'message', message: 'say what they did' });
  if (message.length > KUDOS_MESSAGE_MAX) throw new RucheError('CONTENT_TOO_LONG', `The message is at most ${KUDOS_MESSAGE_MAX} characters`);
  const recipients = [...new Set((input.recipients ?? []).map((x) => x.trim().toLowerCase()))];
  if (recipients.length === 0) issues.push({ path: 'recipients', message: 'at least one person' });
  if (recipients.length > KUDOS_MAX_RECIPIENTS) issues.push({ path: 'recipients', message: `at most ${KUDOS_MAX_RECIPIENTS} people` });
  if (!['public', 'community', 'private'].includes(input.visibility)) issues.push({ path: 'visibility', message: 'public, community or private' });
  if (input.visibility === 'community' && !input.communityId) issues.push({ path: 'communityId', message: 'required for community kudos' });
  if (input.visibility !== 'community' && input.communityId) issues.push({ path: 'communityId', message: 'only for community kudos' });
  if (issues.length > 0) throw new RucheError('VALIDATION_FAILED', 'The kudos is not valid', { details: { issues } });
  return { message, recipients };
}

function secondsToUtcMidnight(now = new Date()): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

/**
 * Gives kudos. Refused (nothing saved) when a recipient is the giver, a former employee, or
 * excluded from recognition; when the value is unknown or retired; when the giver may not
 * use the community; when the message is blocked by keyword rules; when the giver reached
 * the daily cap (KUDOS_DAILY_CAP) or the rate limit.
 */
export async function giveKudos(db: Db, viewer: Viewer, input: NewKudos): Promise<GivenKudos> {
  const { message, recipients: refs } = validate(input);
  const settings = await getRecognitionSettings(db, viewer.tenantId);
  const [countries, offices] = await exclusionParams(db, viewer.tenantId, settings);

  const recipients: Person[] = [];
  for (const ref of refs) {
    const p = await findPersonByIdOrUpn(db, viewer.tenantId, ref);
    if (!p) throw new RucheError('PERSON_NOT_FOUND', `No such person: ${ref}`);
    if (!recipients.some((x) => x.id === p.id)) recipients.push(p);
  }
  const ex = await db.query<{ id: string; excluded: boolean; rule: boolean }>(
    `select p.id, ${sqlRecognitionExcluded('p', '$3', '$4')} as excluded,
       (lower(coalesce(p.country, '')) = any($3::text[]) or lower(coalesce(p.office, '')) = any($4::text[])) as rule
     from people p where p.tenant_id = $1 and p.id = any($2::uuid[])`,
    [viewer.tenantId, [viewer.personId, ...recipients.map((x) => x.id)], countries, offices],
  );
  const excluded = new Map(ex.rows.map((x) => [x.id, x]));
  for (const p of recipients) {
    const refusal = kudosRefusal(viewer, {
      tenantId: p.tenantId,
      giverSwitchedOff: excluded.get(viewer.personId)?.rule ?? false,
      recipient: { personId: p.id, formerEmployee: p.isFormerEmployee, excluded: excluded.get(p.id)?.excluded ?? false },
    });
    switch (refusal) {
      case null:
        break;
      case 'self':
        throw new RucheError('KUDOS_SELF');
      case 'former_employee':
        throw new RucheError('FORMER_EMPLOYEE', `${p.displayName} no longer works here`);
      case 'recognition_off':
        throw new RucheError('KUDOS_RECOGNITION_OFF', `${p.displayName} does not take part in recognition; kudos cannot be given to them`);
      case 'giver_recognition_off':
        throw new RucheError('KUDOS_RECOGNITION_OFF', 'Recognition is switched off where you work');
      case 'other_tenant':
        throw new RucheError('PERSON_NOT_FOUND');
    }
  }

  const value = await db.query<{ key: string }>('select key from kudos_values where tenant_id = $1 and key = $2 and active', [viewer.tenantId, input.valueKey]);
  if (value.rowCount === 0) throw new RucheError('KUDOS_VALUE_UNKNOWN', `No such company value: ${input.valueKey}`);

  let communityId: string | null = null;
  if (input.visibility === 'community') {
    const c = await loadCommunity(db, viewer, input.communityId ?? '');
    assertOnCommunity(viewer, 'see', c?.facts);
    if (!canGiveKudosInCommunity(viewer, c!.facts)) throw new RucheError('FORBIDDEN', 'You cannot give kudos in this community');
    communityId = c!.id;
  }
  const screening = await screenContent(db, viewer.tenantId, message);

  const { kudosId, badges } = await db.transaction(async (tx) => {
    // One giver at a time: the daily cap holds under concurrent requests.
    await tx.query('select 1 from people where tenant_id = $1 and id = $2 for update', [viewer.tenantId, viewer.personId]);
    const today = await tx.query<{ n: number }>(
      `select count(*)::int as n from kudos where tenant_id = $1 and giver_id = $2
       and created_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'`,
      [viewer.tenantId, viewer.personId],
    );
    if ((today.rows[0]?.n ?? 0) >= settings.dailyCap) {
      throw new RucheError('KUDOS_DAILY_CAP', `You may give ${settings.dailyCap} kudos a day; try again tomorrow`, {
        details: { dailyCap: settings.dailyCap, retryAfterSeconds: secondsToUtcMidnight() },
      });
    }
    await consumeRateLimit(tx, viewer, 'kudos');
    const k = await tx.query<{ id: string }>(
      `insert into kudos (tenant_id, giver_id, value_key, message, visibility, community_id) values ($1, $2, $3, $4, $5, $6) returning id`,
      [viewer.tenantId, viewer.personId, input.valueKey, message, input.visibility, communityId],
    );
    const id = k.rows[0]!.id;
    await tx.query(
      'insert into kudos_recipients (tenant_id, kudos_id, recipient_id) select $1, $2, unnest($3::uuid[])',
      [viewer.tenantId, id, recipients.map((x) => x.id)],
    );
    const awarded = await awardBadges(tx, viewer.tenantId, id, input.valueKey, recipients.map((x) => x.id));
    for (const p of recipients) {
      await notify(tx, { tenantId: viewer.tenantId, personId: p.id, kind: 'kudos_received', actorId: viewer.personId, data: { kudosId: id, valueKey: input.valueKey } });
    }
    // Managers are told about kudos to their reports they may read (a community kudos only if they read the community).
    const managers = new Map<string, string[]>();
    for (const p of recipients) {
      if (p.managerId && p.managerId !== viewer.personId && !recipients.some((x) => x.id === p.managerId)) {
        managers.set(p.managerId, [...(managers.get(p.managerId) ?? []), p.id]);
      }
    }
    for (const [managerId, reportIds] of managers) {
      const mv = await viewerOfPerson(tx, viewer.tenantId, managerId);
      if (!mv || (await loadForViewer(tx, mv, [id])).length === 0) continue;
      await notify(tx, { tenantId: viewer.tenantId, personId: managerId, kind: 'kudos_to_report', actorId: viewer.personId, data: { kudosId: id, reportIds, valueKey: input.valueKey } });
    }
    await recordAudit(tx, {
      tenantId: viewer.tenantId,
      actorId: viewer.personId,
      action: screening.action === 'flag' ? 'kudos.flagged' : 'kudos.give',
      targetType: 'kudos',
      targetId: id,
      data: { recipients: recipients.map((x) => x.id), ruleIds: screening.ruleIds },
    });
    return { kudosId: id, badges: awarded };
  });
  return { kudos: await getKudos(db, viewer, kudosId), badges };
}

/** Awards the milestone badges the recipients reached (overall and for the value); returns the new ones. */
async function awardBadges(tx: Queryable, tenantId: string, kudosId: string, valueKey: string, recipientIds: string[]): Promise<KudosBadge[]> {
  const r = await tx.query<{ person_id: string; scope: string; threshold: number; awarded_at: Date; kudos_id: string | null }>(
    `with counts as (
       select kr.recipient_id as person_id, count(*)::int as total, count(*) filter (where k.value_key = $3)::int as of_value
       from kudos_recipients kr join kudos k on k.tenant_id = kr.tenant_id and k.id = kr.kudos_id
       where kr.tenant_id = $1 and kr.recipient_id = any($4::uuid[]) and k.deleted_at is null
       group by kr.recipient_id)
     insert into kudos_badges (tenant_id, person_id, scope, threshold, kudos_id)
     select $1, c.person_id, s.scope, t.threshold, $2
     from counts c
     cross join lateral (values ('kudos', c.total), ($3, c.of_value)) s(scope, n)
     join unnest($5::int[]) t(threshold) on t.threshold <= s.n
     on conflict do nothing
     returning person_id, scope, threshold, awarded_at, kudos_id`,
    [tenantId, kudosId, valueKey, recipientIds, [...KUDOS_BADGE_THRESHOLDS]],
  );
  return r.rows
    .map((x) => ({ personId: x.person_id, scope: x.scope, threshold: x.threshold, awardedAt: x.awarded_at.toISOString(), kudosId: x.kudos_id }))
    .sort((a, b) => a.personId.localeCompare(b.personId) || a.scope.localeCompare(b.scope) || a.threshold - b.threshold);
}

/** A person's badges; people excluded from recognition show none to others. */
export async function listKudosBadges(q: Queryable, viewer: Viewer, personId: string): Promise<KudosBadge[]> {
  if (!isUuid(personId)) throw new RucheError('PERSON_NOT_FOUND');
  const [countries, offices] = await exclusionParams(q, viewer.tenantId);
  const p = await q.query<{ excluded: boolean }>(`select ${sqlRecognitionExcluded('p', '$3', '$4')} as excluded from people p where p.tenant_id = $1 and p.id = $2`, [
    viewer.tenantId,
    personId,
    countries,
    offices,
  ]);
  if (!p.rows[0]) throw new RucheError('PERSON_NOT_FOUND');
  if (p.rows[0].excluded && personId !== viewer.personId) return [];
  const r = await q.query<{ scope: string; threshold: number; awarded_at: Date; kudos_id: string | null }>(
    `select b.scope, b.threshold, b.awarded_at,
       ${sqlBadgeKudosId('b', '$3::uuid', isTenantAdmin(viewer) ? 'true' : 'false', '$4', '$5')} as kudos_id
     from kudos_badges b where b.tenant_id = $1 and b.person_id = $2
     order by b.scope = 'kudos' desc, b.scope, b.threshold`,
    [viewer.tenantId, personId, viewer.personId, countries, offices],
  );
  return r.rows.map((x) => ({ personId, scope: x.scope, threshold: x.threshold, awardedAt: x.awarded_at.toISOString(), kudosId: x.kudos_id }));
}

export async function deleteKudos(db: Db, viewer: Viewer, kudosId: string): Promise<void> {
  const view = await getKudos(db, viewer, kudosId);
  if (!view.canDelete) throw new RucheError('FORBIDDEN', 'Only the giver or an administrator may delete a kudos');
  await db.transaction(async (tx) => {
    await tx.query('update kudos set deleted_at = now() where tenant_id = $1 and id = $2 and deleted_at is null', [viewer.tenantId, kudosId]);
    await recordAudit(tx, { tenantId: viewer.tenantId, actorId: viewer.personId, action: 'kudos.delete', targetType: 'kudos', targetId: kudosId });
  });
}

export type KudosWall =
  | { kind: 'all' }
  | { kind: 'community'; communityId: string }
  | { kind: 'department'; department: string }
  | { kind: 'received'; personId: string }
  | { kind: 'given'; personId: string };

export interface KudosListOptions {
  cursor?: string | undefined;
  limit?: number | undefined;
  /** Only kudos created after this instant (home feed highlights). */
  since?: Date | undefined;
}

/**
 * Kudos the viewer may read, newest first, keyset-paged on (created_at, id): the whole
 * stream, a community's wall (kudos given in it), a department's wall (kudos received by
 * its people), a person's kudos received or given. Excluded people never appear.
 */
export async function listKudos(q: Queryable, viewer: Viewer, wall: KudosWall, options: KudosListOptions = {}): Promise<Page<KudosView>> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const after = decodeCursor(options.cursor, ['date', 'string']);
  if (after) checkKeyset({ timestamps: [after[0]], ids: [after[1]] });
  const [countries, offices] = await exclusionParams(q, viewer.tenantId);
  const params: unknown[] = [viewer.tenantId, viewer.personId, countries, offices];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const admin = isTenantAdmin(viewer) ? 'true' : 'false';
  let scope = '';
  switch (wall.kind) {
    case 'all':
      break;
    case 'community': {
      const c = await loadCommunity(q, viewer, wall.communityId);
      assertOnCommunity(viewer, 'read', c?.facts);
      scope = `and k.community_id = ${add(c.id)}::uuid and k.visibility = 'community'`;
      break;
    }
    case 'department':
      scope = `and exists (select 1 from kudos_recipients wr join people wp on wp.tenant_id = wr.tenant_id and wp.id = wr.recipient_id
        where wr.tenant_id = k.tenant_id and wr.kudos_id = k.id and lower(wp.department) = lower(${add(wall.department)})
          and (wp.id = $2 or not ${sqlRecognitionExcluded('wp', '$3', '$4')}))`;
      break;
    case 'received':
    case 'given': {
      if (!isUuid(wall.personId)) throw new RucheError('PERSON_NOT_FOUND');
      const p = await q.query('select 1 from people where tenant_id = $1 and id = $2', [viewer.tenantId, wall.personId]);
      if (p.rowCount === 0) throw new RucheError('PERSON_NOT_FOUND');
      const pid = add(wall.personId);
      scope =
        wall.kind === 'given'
          ? `and k.giver_id = ${pid}::uuid`
          : `and exists (select 1 from kudos_recipients wr join people wp on wp.tenant_id = wr.tenant_id and wp.id = wr.recipient_id
              where wr.tenant_id = k.tenant_id and wr.kudos_id = k.id and wr.recipient_id = ${pid}::uuid
                and (wp.id = $2 or not ${sqlRecognitionExcluded('wp', '$3', '$4')}))`;
      break;
    }
  }
  const keyset = after ? `and (k.created_at, k.id) < (${add(after[0])}::timestamptz, ${add(after[1])}::uuid)` : '';
  const since = options.since ? `and k.created_at > ${add(options.since.toISOString())}::timestamptz` : '';
  const n = add(limit + 1);
  const r = await q.query<{ id: string; created_key: string }>(
    `select k.id, to_char(k.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key
     from kudos k
     where k.tenant_id = $1 and ${sqlKudosReadable('k', '$2::uuid', admin, '$3', '$4')} ${scope} ${keyset} ${since}
     order by k.created_at desc, k.id desc limit ${n}`,
    params,
  );
  const more = r.rows.length > limit;
  const rows = more ? r.rows.slice(0, limit) : r.rows;
  const items = await loadForViewer(q, viewer, rows.map((x) => x.id), [countries, offices]);
  const last = rows[rows.length - 1];
  return { items, nextCursor: more && last ? encodeCursor([last.created_key, last.id]) : null };
}

/**
 * Kudos for the top of the home feed: the last `days` days, readable by the viewer, and
 * close to them: given or received by them, received by their team (same manager), their
 * reports or people they follow, or given in a community they belong to.
 *
 * One statement after the settings: candidates come from index lookups around the viewer
 * (kudos_giver, kudos_recipients_person, kudos_community_wall); only those candidates are
 * checked for readability, newest first until the limit is reached, then loaded.
 */
export async function recentKudosForViewer(q: Queryable, viewer: Viewer, options: { limit?: number; days?: number } = {}): Promise<KudosView[]> {
  const limit = Math.min(Math.max(options.limit ?? 5, 1), 20);
  const days = Math.min(Math.max(options.days ?? 7, 1), 90);
  const exclusions = await exclusionParams(q, viewer.tenantId);
  const admin = isTenantAdmin(viewer) ? 'true' : 'false';
  const since = 'now() - make_interval(days => $5::int)';
  const sql = `with me as (select manager_id from people where tenant_id = $1 and id = $2),
     close_people as (
       select hp.id from people hp where hp.tenant_id = $1 and hp.id = $2
       union
       select hp.id from people hp where hp.tenant_id = $1 and hp.manager_id = $2
       union
       select hp.id from people hp where hp.tenant_id = $1 and hp.manager_id = (select manager_id from me)
       union
       select f.target_id from follows f where f.tenant_id = $1 and f.follower_id = $2 and f.target_type = 'person'),
     candidates as (
       select k.id from kudos k where k.tenant_id = $1 and k.giver_id = $2 and k.created_at > ${since}
       union
       select kr.kudos_id from close_people cp
         join people hp on hp.tenant_id = $1 and hp.id = cp.id
         join kudos_recipients kr on kr.tenant_id = $1 and kr.recipient_id = cp.id
         where not ${sqlRecognitionExcluded('hp', '$3', '$4')}
       union
       select x.id from memberships m cross join lateral (
         select k.id from kudos k where k.tenant_id = m.tenant_id and k.community_id = m.community_id
           and k.deleted_at is null and k.created_at > ${since}) x
         where m.tenant_id = $1 and m.person_id = $2 and m.state = 'active'),
     newest as (
       select k.id, k.created_at from candidates x join kudos k on k.tenant_id = $1 and k.id = x.id
       where k.created_at > ${since} and k.deleted_at is null
       order by k.created_at desc, k.id desc offset 0),
     shown as (
       select n.id, n.created_at from newest n
       where exists (select 1 from kudos k where k.tenant_id = $1 and k.id = n.id and ${sqlKudosReadable('k', '$2::uuid', admin, '$3', '$4')})
       limit $6)
     select s.id, row_number() over (order by s.created_at desc, s.id desc) as ord from shown s`;
  return loadForViewer(q, viewer, { sql, params: [days, limit] }, exclusions);
}
