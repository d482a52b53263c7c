/** Who writes to the bot, in which organisation, and the people and communities a message names. */
import { type Community, type Db, type Person, type Viewer, getPerson, listCommunities } from '@ruche/core';
import { editDistance, fold, type Lang, type MentionRef } from './parser.js';
import { languageOf } from './i18n.js';

export interface Caller {
  tenantId: string;
  person: Person;
  viewer: Viewer;
  lang: Lang;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The parts of a Teams activity that name the organisation and the sender. */
export interface ActivityIdentity {
  conversation?: { tenantId?: string };
  channelData?: { tenant?: { id?: string } };
  from?: { id?: string; name?: string; aadObjectId?: string };
  locale?: string;
}

export interface IdentityOptions {
  /** Local mode: activities from an unknown organisation belong to the local (demo) one. */
  localTenantId?: string;
}

/** The Ruche tenant of an activity: the Entra tenant Teams names, when Ruche knows it. */
export async function tenantOf(db: Db, activity: ActivityIdentity, options: IdentityOptions): Promise<string | undefined> {
  const raw = (activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? '').toLowerCase();
  if (uuid.test(raw)) {
    const r = await db.query<{ id: string }>('select id from tenants where id = $1', [raw]);
    if (r.rows[0]) return r.rows[0].id;
  }
  return options.localTenantId;
}

/**
 * Maps the Teams user (Entra object id and tenant) to a Ruche person. In local mode, a sender
 * without a known object id (a local test client) is matched by display name in the local organisation.
 */
export async function resolveCaller(db: Db, activity: ActivityIdentity, options: IdentityOptions): Promise<{ tenantId?: string; caller?: Caller; lang: Lang }> {
  const tenantId = await tenantOf(db, activity, options);
  const lang0 = languageOf(activity.locale);
  if (!tenantId) return { lang: lang0 };
  let personId: string | undefined;
  const oid = activity.from?.aadObjectId?.toLowerCase();
  if (oid && uuid.test(oid)) {
    const r = await db.query<{ id: string }>('select id from people where tenant_id = $1 and entra_oid = $2', [tenantId, oid]);
    personId = r.rows[0]?.id;
  }
  if (!personId && options.localTenantId === tenantId && activity.from?.name) {
    const r = await db.query<{ id: string }>(
      'select id from people where tenant_id = $1 and ruche_fold(display_name) = ruche_fold($2) and not is_former_employee limit 2',
      [tenantId, activity.from.name],
    );
    if (r.rows.length === 1) personId = r.rows[0]!.id;
  }
  const person = personId ? await getPerson(db, tenantId, personId) : undefined;
  if (!person || person.isFormerEmployee) return { tenantId, lang: lang0 };
  const lang = languageOf(activity.locale, person.preferredLanguage);
  return { tenantId, lang, caller: { tenantId, person, viewer: { tenantId, personId: person.id, roles: person.roles }, lang } };
}

export interface ResolvedPeople {
  found: { id: string; displayName: string }[];
  unknown: string[];
  ambiguous: string[];
}

/** The people named by mentions: by Entra object id, else by name, user name or e-mail (current employees only). */
export async function resolvePeople(db: Db, tenantId: string, refs: MentionRef[]): Promise<ResolvedPeople> {
  const out: ResolvedPeople = { found: [], unknown: [], ambiguous: [] };
  for (const ref of refs) {
    if (ref.aadObjectId && uuid.test(ref.aadObjectId)) {
      const r = await db.query<{ id: string; display_name: string }>(
        'select id, display_name from people where tenant_id = $1 and entra_oid = $2 and not is_former_employee',
        [tenantId, ref.aadObjectId.toLowerCase()],
      );
      if (r.rows[0]) {
        out.found.push({ id: r.rows[0].id, displayName: r.rows[0].display_name });
        continue;
      }
    }
    const name = ref.name.trim();
    const r = await db.query<{ id: string; display_name: string; exact: boolean }>(
      `select id, display_name, ruche_fold(display_name) = ruche_fold($2) as exact from people
       where tenant_id = $1 and not is_former_employee and (
         ruche_fold(display_name) = ruche_fold($2)
         or lower(upn) = lower($2) or lower(mail) = lower($2)
         or lower(split_part(upn, '@', 1)) = lower($2)
         or ruche_fold(given_name) = ruche_fold($2)
         or ruche_fold(display_name) like ruche_fold($2) || ' %')
       order by exact desc limit 3`,
      [tenantId, name],
    );
    const exact = r.rows.filter((x) => x.exact);
    const pick = exact.length === 1 ? exact : r.rows.length === 1 ? r.rows : [];
    if (pick[0]) out.found.push({ id: pick[0].id, displayName: pick[0].display_name });
    else if (r.rows.length > 1) out.ambiguous.push(name);
    else out.unknown.push(name);
  }
  const seen = new Set<string>();
  out.found = out.found.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
  return out;
}

/**
 * The community a message names, among those the viewer may see: the exact name (accents and
 * case aside), else the best search result when it is close to what was typed.
 */
export async function resolveCommunity(db: Db, viewer: Viewer, name: string): Promise<{ community?: Community; suggestions: Community[] }> {
  const q = name.trim().slice(0, 100);
  if (q === '') return { suggestions: [] };
  const page = await listCommunities(db, viewer, { q, limit: 5 });
  const wanted = fold(q);
  const exact = page.items.find((c) => fold(c.name) === wanted || c.slug === wanted);
  if (exact) return { community: exact, suggestions: [] };
  const close = page.items.find((c) => {
    const n = fold(c.name);
    return n.startsWith(wanted) || editDistance(n, wanted) <= Math.max(1, Math.floor(wanted.length / 6));
  });
  if (close) return { community: close, suggestions: [] };
  return { suggestions: page.items };
}
