/**
 * Who's-who: a person's profile as a viewer may see it (directory fields, manager chain and
 * reports, communities, kudos received, skills by source, ask-me-about, languages,
 * biography with its verification), the person's own edits, endorsements and the org chart.
 */
import type { Db, Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';
import { type Page, decodeCursor, pageOf } from '../pagination.js';
import {
  type ProfileFieldVisibility, type ProfileSubject, type Viewer,
  canEndorse, canSeeProfileField, canVerifyBiography, isTenantAdmin,
  sqlCommunityReadable, sqlCommunityVisible, sqlKudosCountable,
} from '../policy/policy.js';
import { sqlRecognitionExcluded } from '../policy/recognition.js';
import { getRecognitionSettings, switchedOff } from '../recognition/settings.js';
import { isUuid } from './people.js';
import { recordSkillNames } from '../expertise/expertise.js';
import { notify } from '../notifications/notify.js';

export const PROFILE_FIELDS = ['biography', 'languages', 'askMeAbout', 'skills', 'office', 'communities', 'kudos'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export const BIOGRAPHY_MAX = 4000;
export const TAGS_MAX = 30;
export const TAG_LENGTH_MAX = 80;
/** A verification is valid for 12 months. */
export const BIOGRAPHY_VERIFICATION_MONTHS = 12;

export interface PersonSummary {
  id: string;
  displayName: string;
  jobTitle: string | null;
  department: string | null;
}

export type SkillSource = 'declared' | 'directory' | 'endorsed' | 'inferred';

export interface ProfileSkill {
  name: string;
  sources: SkillSource[];
  endorsements: number;
  endorsedByViewer: boolean;
  /** Evidence behind an inferred skill (what the viewer may see). */
  evidence: { acceptedAnswers: number; posts: number } | null;
}

export interface BiographyVerification {
  status: 'unverified' | 'verified' | 'expired';
  verifiedAt: string | null;
  verifiedBy: PersonSummary | null;
  expiresAt: string | null;
}

export interface Profile {
  id: string;
  upn: string;
  mail: string | null;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  department: string | null;
  office: string | null;
  country: string | null;
  preferredLanguage: string | null;
  isFormerEmployee: boolean;
  managerChain: PersonSummary[];
  directReports: PersonSummary[];
  directReportCount: number;
  communities: { id: string; slug: string; name: string; role: string }[] | null;
  kudosReceived: number | null;
  skills: ProfileSkill[] | null;
  askMeAbout: string[] | null;
  languages: string[] | null;
  biography: string | null;
  biographyVerification: BiographyVerification | null;
  /** Fields hidden from this viewer. */
  hiddenFields: ProfileField[];
  /** The person's own privacy settings (only to themselves). */
  fieldPrivacy: Partial<Record<ProfileField, ProfileFieldVisibility>> | null;
  canVerifyBiography: boolean;
  canEndorse: boolean;
}

interface PersonRow {
  id: string; upn: string; mail: string | null; display_name: string; given_name: string | null; surname: string | null;
  job_title: string | null; department: string | null; office: string | null; country: string | null;
  preferred_language: string | null; is_former_employee: boolean; manager_id: string | null; biography: string | null;
  ask_me_about: string[]; languages: string[]; field_privacy: Record<string, ProfileFieldVisibility>;
  biography_verified_at: Date | null; biography_verified_by: string | null;
}

async function loadPerson(db: Queryable, tenantId: string, personId: string): Promise<PersonRow> {
  if (!isUuid(personId)) throw new RucheError('PERSON_NOT_FOUND');
  const r = await db.query<PersonRow>(
    `select id, upn, mail, display_name, given_name, surname, job_title, department, office, country, preferred_language,
            is_former_employee, manager_id, biography, ask_me_about, languages, field_privacy, biography_verified_at, biography_verified_by
       from people where tenant_id = $1 and id = $2`,
    [tenantId, personId],
  );
  if (!r.rows[0]) throw new RucheError('PERSON_NOT_FOUND');
  return r.rows[0];
}

const summaryCols = 'id, display_name, job_title, department';
function summary(r: { id: string; display_name: string; job_title: string | null; department: string | null }): PersonSummary {
  return { id: r.id, displayName: r.display_name, jobTitle: r.job_title, department: r.department };
}

/** The manager chain from the direct manager to the top (cycles in directory data are cut). */
export async function managerChain(db: Queryable, tenantId: string, personId: string): Promise<PersonSummary[]> {
  const r = await db.query<{ id: string; display_name: string; job_title: string | null; department: string | null }>(
    `with recursive chain(id, depth, path) as (
       select p.manager_id, 1, array[p.id] from people p where p.tenant_id = $1 and p.id = $2 and p.manager_id is not null
       union all
       select m.manager_id, c.depth + 1, c.path || c.id from chain c join people m on m.tenant_id = $1 and m.id = c.id
        where m.manager_id is not null and not (m.manager_id = any(c.path || c.id)) and c.depth < 100)
     select p.${summaryCols.split(', ').join(', p.')} from chain c join people p on p.tenant_id = $1 and p.id = c.id order by c.depth`,
    [tenantId, personId],
  );
  return r.rows.map(summary);
}

/** Direct reports, by name, keyset paged. */
export async function directReports(db: Queryable, viewer: Viewer, personId: string, options: { cursor?: string; limit?: number } = {}): Promise<Page<PersonSummary>> {
  const limit = options.limit ?? 50;
  const after = decodeCursor(options.cursor, ['string', 'string']);
  const r = await db.query<{ id: string; display_name: string; job_title: string | null; department: string | null }>(
    `select ${summaryCols} from people where tenant_id = $1 and manager_id = $2 and not is_former_employee
       and ($3::text is null or (display_name, id::text) > ($3::text, $4::text))
     order by display_name, id::text limit $5`,
    [viewer.tenantId, personId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
  );
  return pageOf(r.rows, limit, (x) => [x.display_name, x.id], summary);
}

export interface OrgChart {
  person: PersonSummary;
  managerChain: PersonSummary[];
  reports: Page<PersonSummary>;
}

export async function getOrgChart(db: Queryable, viewer: Viewer, personId: string, options: { cursor?: string; limit?: number } = {}): Promise<OrgChart> {
  const p = await loadPerson(db, viewer.tenantId, personId);
  return { person: summary(p), managerChain: await managerChain(db, viewer.tenantId, p.id), reports: await directReports(db, viewer, p.id, options) };
}

function subjectOf(tenantId: string, p: PersonRow): ProfileSubject {
  return { tenantId, personId: p.id, managerId: p.manager_id };
}

function verificationOf(p: PersonRow, verifier: PersonSummary | null, now: Date): BiographyVerification {
  if (!p.biography_verified_at) return { status: 'unverified', verifiedAt: null, verifiedBy: null, expiresAt: null };
  const expires = new Date(p.biography_verified_at);
  expires.setUTCMonth(expires.getUTCMonth() + BIOGRAPHY_VERIFICATION_MONTHS);
  return {
    status: expires <= now ? 'expired' : 'verified',
    verifiedAt: p.biography_verified_at.toISOString(),
    verifiedBy: verifier,
    expiresAt: expires.toISOString(),
  };
}

/** Skills with their sources: declared, directory, endorsed (with the endorser count), inferred from visible evidence. */
async function skillsOf(db: Queryable, viewer: Viewer, personId: string): Promise<ProfileSkill[]> {
  const admin = isTenantAdmin(viewer);
  const r = await db.query<{ name: string; sources: string[]; endorsements: number; mine: boolean; answers: number; posts: number }>(
    `with own as (
       select skill as name, source from person_skills where tenant_id = $1 and person_id = $2 and source <> 'inferred'),
     en as (
       select min(skill) as name, count(*)::int as n, bool_or(endorser_id = $3) as mine from endorsements
        where tenant_id = $1 and person_id = $2 group by ruche_fold(skill)),
     rp as (
       select p.id, p.author_id, p.accepted_comment_id from posts p join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
        where p.tenant_id = $1 and p.deleted_at is null and p.hidden_at is null and ${sqlCommunityReadable('c', '$3', '$4::boolean')}
          and (p.author_id = $2 or p.accepted_comment_id in (select id from comments where tenant_id = $1 and author_id = $2 and deleted_at is null))),
     ev as (
       select t.name, count(*) filter (where rp.author_id = $2)::int as posts,
              count(*) filter (where rp.author_id <> $2 and rp.accepted_comment_id is not null)::int as answers
         from rp join post_topics pt on pt.tenant_id = $1 and pt.post_id = rp.id join topics t on t.tenant_id = $1 and t.id = pt.topic_id
        group by t.name),
     inferred as (select name, answers, posts from ev where answers >= 1 or posts >= 3),
     names as (select name from own union select name from en union select name from inferred)
     select n.name,
            array_remove(array[
              case when exists (select 1 from own o where ruche_fold(o.name) = ruche_fold(n.name) and o.source = 'declared') then 'declared' end,
              case when exists (select 1 from own o where ruche_fold(o.name) = ruche_fold(n.name) and o.source = 'directory') then 'directory' end,
              case when exists (select 1 from en where ruche_fold(en.name) = ruche_fold(n.name)) then 'endorsed' end,
              case when exists (select 1 from inferred i where ruche_fold(i.name) = ruche_fold(n.name)) then 'inferred' end], null) as sources,
            coalesce((select sum(en.n) from en where ruche_fold(en.name) = ruche_fold(n.name)), 0)::int as endorsements,
            coalesce((select bool_or(en.mine) from en where ruche_fold(en.name) = ruche_fold(n.name)), false) as mine,
            coalesce((select max(i.answers) from inferred i where ruche_fold(i.name) = ruche_fold(n.name)), -1)::int as answers,
            coalesce((select max(i.posts) from inferred i where ruche_fold(i.name) = ruche_fold(n.name)), -1)::int as posts
       from (select distinct on (ruche_fold(name)) name from names order by ruche_fold(name), name) n`,
    [viewer.tenantId, personId, viewer.personId, admin],
  );
  const order: Record<string, number> = { declared: 0, directory: 1, endorsed: 2, inferred: 3 };
  return r.rows
    .map((x) => ({
      name: x.name,
      sources: x.sources as SkillSource[],
      endorsements: x.endorsements,
      endorsedByViewer: x.mine,
      evidence: x.answers >= 0 ? { acceptedAnswers: x.answers, posts: x.posts } : null,
    }))
    .sort((a, b) => order[a.sources[0]!]! - order[b.sources[0]!]! || b.endorsements - a.endorsements || a.name.localeCompare(b.name));
}

export async function getProfile(db: Queryable, viewer: Viewer, personId: string, now: Date = new Date()): Promise<Profile> {
  const p = await loadPerson(db, viewer.tenantId, personId);
  const subject = subjectOf(viewer.tenantId, p);
  const admin = isTenantAdmin(viewer);
  const level = (f: ProfileField): ProfileFieldVisibility => p.field_privacy[f] ?? 'everyone';
  const sees = (f: ProfileField) => canSeeProfileField(viewer, level(f), subject);
  const hiddenFields = PROFILE_FIELDS.filter((f) => !sees(f));

  const chain = await managerChain(db, viewer.tenantId, p.id);
  const reports = await directReports(db, viewer, p.id, { limit: 20 });
  const count = await db.query<{ n: number }>(
    'select count(*)::int as n from people where tenant_id = $1 and manager_id = $2 and not is_former_employee',
    [viewer.tenantId, p.id],
  );
  let communities: Profile['communities'] = null;
  if (sees('communities')) {
    const c = await db.query<{ id: string; slug: string; name: string; role: string }>(
      `select c.id, c.slug, c.name, m.role from memberships m join communities c on c.tenant_id = m.tenant_id and c.id = m.community_id
        where m.tenant_id = $1 and m.person_id = $2 and m.state = 'active' and c.archived_at is null
          and ${sqlCommunityVisible('c', '$3', '$4::boolean')}
        order by c.name, c.id`,
      [viewer.tenantId, p.id, viewer.personId, admin],
    );
    communities = c.rows;
  }
  let kudosReceived: number | null = null;
  // A person excluded from recognition (opted out, or recognition switched off for their
  // country or office) shows no kudos count to anyone but themselves.
  let recognitionExcluded = false;
  if (viewer.personId !== p.id) {
    const off = switchedOff(await getRecognitionSettings(db, viewer.tenantId));
    const x = await db.query<{ excluded: boolean }>(
      `select ${sqlRecognitionExcluded('p', '$3', '$4')} as excluded from people p where p.tenant_id = $1 and p.id = $2`,
      [viewer.tenantId, p.id, off.countries, off.offices],
    );
    recognitionExcluded = x.rows[0]?.excluded ?? false;
  }
  if (sees('kudos') && !recognitionExcluded) {
    const k = await db.query<{ n: number }>(
      `select count(*)::int as n from kudos_recipients kr join kudos k on k.tenant_id = kr.tenant_id and k.id = kr.kudos_id
        where kr.tenant_id = $1 and kr.recipient_id = $2 and ${sqlKudosCountable('k', 'kr.recipient_id', '$3', '$4::boolean')}`,
      [viewer.tenantId, p.id, viewer.personId, admin],
    );
    kudosReceived = k.rows[0]!.n;
  }
  let verifier: PersonSummary | null = null;
  if (p.biography_verified_by) {
    const v = await db.query<{ id: string; display_name: string; job_title: string | null; department: string | null }>(
      `select ${summaryCols} from people where tenant_id = $1 and id = $2`,
      [viewer.tenantId, p.biography_verified_by],
    );
    verifier = v.rows[0] ? summary(v.rows[0]) : null;
  }
  const self = viewer.personId === p.id;
  return {
    id: p.id,
    upn: p.upn,
    mail: p.mail,
    displayName: p.display_name,
    givenName: p.given_name,
    surname: p.surname,
    jobTitle: p.job_title,
    department: p.department,
    office: sees('office') ? p.office : null,
    country: p.country,
    preferredLanguage: p.preferred_language,
    isFormerEmployee: p.is_former_employee,
    managerChain: chain,
    directReports: reports.items,
    directReportCount: count.rows[0]!.n,
    communities,
    kudosReceived,
    skills: sees('skills') ? await skillsOf(db, viewer, p.id) : null,
    askMeAbout: sees('askMeAbout') ? p.ask_me_about : null,
    languages: sees('languages') ? p.languages : null,
    biography: sees('biography') ? p.biography : null,
    biographyVerification: sees('biography') ? verificationOf(p, verifier, now) : null,
    hiddenFields: recognitionExcluded && !hiddenFields.includes('kudos') ? [...hiddenFields, 'kudos'] : hiddenFields,
    fieldPrivacy: self ? p.field_privacy : null,
    canVerifyBiography: canVerifyBiography(viewer, subject) && !!p.biography,
    canEndorse: canEndorse(viewer, { tenantId: viewer.tenantId, personId: p.id, formerEmployee: p.is_former_employee }),
  };
}

export interface ProfileEdit {
  skills?: string[] | undefined;
  askMeAbout?: string[] | undefined;
  languages?: string[] | undefined;
  biography?: string | null | undefined;
  fieldPrivacy?: Partial<Record<ProfileField, ProfileFieldVisibility>> | undefined;
}

function tags(field: string, values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of values) {
    const v = raw.replace(/[\u0000-\u001f]/g, ' ').replace(/\s+/g, ' ').trim();
    if (v.length === 0) continue;
    if (v.length > TAG_LENGTH_MAX) throw new RucheError('VALIDATION_FAILED', `Each of ${field} is at most ${TAG_LENGTH_MAX} characters`, { details: { field } });
    const k = v.toLocaleLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  if (out.length > TAGS_MAX) throw new RucheError('VALIDATION_FAILED', `At most ${TAGS_MAX} ${field}`, { details: { field } });
  return out;
}

/** The person edits their own declared skills, ask-me-about tags, languages, biography and field privacy. */
export async function updateMyProfile(db: Db, viewer: Viewer, edit: ProfileEdit, now: Date = new Date()): Promise<Profile> {
  // Everything is checked before anything is written: bad input never loses saved data.
  const skills = tags('skills', edit.skills);
  const askMeAbout = tags('askMeAbout', edit.askMeAbout);
  const languages = tags('languages', edit.languages);
  let biography: string | null | undefined = edit.biography;
  if (typeof biography === 'string') {
    biography = biography.replace(/\u0000/g, '').trim();
    if (biography.length > BIOGRAPHY_MAX) throw new RucheError('CONTENT_TOO_LONG', `The biography is at most ${BIOGRAPHY_MAX} characters`, { details: { field: 'biography' } });
    if (biography.length === 0) biography = null;
  }
  if (edit.fieldPrivacy) {
    for (const [f, level] of Object.entries(edit.fieldPrivacy)) {
      if (!(PROFILE_FIELDS as readonly string[]).includes(f) || !['everyone', 'manager', 'private'].includes(level as string)) {
        throw new RucheError('VALIDATION_FAILED', `Unknown privacy setting ${f}`, { details: { field: `fieldPrivacy.${f}` } });
      }
    }
  }
  await db.transaction(async (tx) => {
    const cur = await loadPerson(tx, viewer.tenantId, viewer.personId);
    if (skills !== undefined) {
      await tx.query(
        `delete from person_skills where tenant_id = $1 and person_id = $2 and source = 'declared' and not (skill = any($3::text[]))`,
        [viewer.tenantId, viewer.personId, skills],
      );
      await tx.query(
        `insert into person_skills (tenant_id, person_id, skill, source) select $1, $2, s, 'declared' from unnest($3::text[]) s
         on conflict do nothing`,
        [viewer.tenantId, viewer.personId, skills],
      );
      await recordSkillNames(tx, viewer.tenantId, skills);
    }
    const bioChanged = biography !== undefined && biography !== cur.biography;
    await tx.query(
      `update people set
         ask_me_about = coalesce($3::text[], ask_me_about),
         languages = coalesce($4::text[], languages),
         biography = case when $5 then $6 else biography end,
         biography_verified_at = case when $5 then null else biography_verified_at end,
         biography_verified_by = case when $5 then null else biography_verified_by end,
         biography_verification_asked_at = case when $5 then null else biography_verification_asked_at end,
         field_privacy = field_privacy || $7::jsonb,
         updated_at = now()
       where tenant_id = $1 and id = $2`,
      [viewer.tenantId, viewer.personId, askMeAbout ?? null, languages ?? null, bioChanged, biography ?? null, JSON.stringify(edit.fieldPrivacy ?? {})],
    );
  });
  return getProfile(db, viewer, viewer.personId, now);
}

/** The manager or HR verifies a person's biography (now); it stays valid for 12 months. */
export async function verifyBiography(db: Queryable, viewer: Viewer, personId: string, now: Date = new Date()): Promise<BiographyVerification> {
  const p = await loadPerson(db, viewer.tenantId, personId);
  if (!canVerifyBiography(viewer, subjectOf(viewer.tenantId, p))) throw new RucheError('FORBIDDEN', 'Only the manager or HR verifies a biography');
  if (!p.biography) throw new RucheError('BIOGRAPHY_EMPTY');
  await db.query(
    `update people set biography_verified_at = $3, biography_verified_by = $4, biography_verification_asked_at = null
      where tenant_id = $1 and id = $2`,
    [viewer.tenantId, p.id, now, viewer.personId],
  );
  const v = await loadPerson(db, viewer.tenantId, viewer.personId);
  return verificationOf({ ...p, biography_verified_at: now, biography_verified_by: viewer.personId }, summary(v), now);
}

/**
 * Asks managers again for biographies whose verification expired (a notification of kind
 * 'biography_verification' to the manager, once per expiry). Returns how many were asked.
 * Meant for a daily job.
 */
export async function requestExpiredBiographyVerifications(db: Queryable, tenantId: string, now: Date = new Date()): Promise<number> {
  const r = await db.query<{ id: string; manager_id: string }>(
    `update people p set biography_verification_asked_at = $2
      where p.tenant_id = $1 and p.biography is not null and p.manager_id is not null and not p.is_former_employee
        and p.biography_verified_at <= $2::timestamptz - make_interval(months => $3)
        and (p.biography_verification_asked_at is null or p.biography_verification_asked_at < p.biography_verified_at)
      returning p.id, p.manager_id`,
    [tenantId, now, BIOGRAPHY_VERIFICATION_MONTHS],
  );
  for (const row of r.rows) {
    await notify(db, { tenantId, personId: row.manager_id, kind: 'biography_verification', data: { personId: row.id }, actorId: row.id });
  }
  return r.rowCount;
}

function normaliseSkill(skill: string): string {
  const s = skill.replace(/[\u0000-\u001f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (s.length === 0 || s.length > TAG_LENGTH_MAX) throw new RucheError('VALIDATION_FAILED', 'Not a skill name', { details: { field: 'skill' } });
  return s;
}

export interface EndorsementState {
  skill: string;
  endorsements: number;
  endorsedByViewer: boolean;
}

async function endorsementState(db: Queryable, viewer: Viewer, personId: string, skill: string): Promise<EndorsementState> {
  const r = await db.query<{ n: number; mine: boolean }>(
    `select count(*)::int as n, coalesce(bool_or(endorser_id = $4), false) as mine from endorsements
      where tenant_id = $1 and person_id = $2 and ruche_fold(skill) = ruche_fold($3)`,
    [viewer.tenantId, personId, skill, viewer.personId],
  );
  return { skill, endorsements: r.rows[0]!.n, endorsedByViewer: r.rows[0]!.mine };
}

/** Endorses a colleague's skill (idempotent; never one's own). The skill keeps the spelling already used for that person. */
export async function endorseSkill(db: Queryable, viewer: Viewer, personId: string, rawSkill: string): Promise<EndorsementState & { created: boolean }> {
  const p = await loadPerson(db, viewer.tenantId, personId);
  if (p.id === viewer.personId) throw new RucheError('ENDORSEMENT_SELF');
  if (!canEndorse(viewer, { tenantId: viewer.tenantId, personId: p.id, formerEmployee: p.is_former_employee })) throw new RucheError('FORBIDDEN');
  let skill = normaliseSkill(rawSkill);
  const known = await db.query<{ skill: string }>(
    `select skill from person_skills where tenant_id = $1 and person_id = $2 and ruche_fold(skill) = ruche_fold($3)
     union all select skill from endorsements where tenant_id = $1 and person_id = $2 and ruche_fold(skill) = ruche_fold($3) limit 1`,
    [viewer.tenantId, p.id, skill],
  );
  skill = known.rows[0]?.skill ?? skill;
  const ins = await db.query(
    `insert into endorsements (tenant_id, person_id, skill, endorser_id)
     select $1, $2, $3, $4 where not exists (select 1 from endorsements where tenant_id = $1 and person_id = $2 and endorser_id = $4 and ruche_fold(skill) = ruche_fold($3))
     on conflict do nothing`,
    [viewer.tenantId, p.id, skill, viewer.personId],
  );
  await recordSkillNames(db, viewer.tenantId, [skill]);
  return { ...(await endorsementState(db, viewer, p.id, skill)), created: ins.rowCount > 0 };
}

export async function withdrawEndorsement(db: Queryable, viewer: Viewer, personId: string, rawSkill: string): Promise<EndorsementState> {
  const p = await loadPerson(db, viewer.tenantId, personId);
  const skill = normaliseSkill(rawSkill);
  await db.query(
    'delete from endorsements where tenant_id = $1 and person_id = $2 and endorser_id = $3 and ruche_fold(skill) = ruche_fold($4)',
    [viewer.tenantId, p.id, viewer.personId, skill],
  );
  return endorsementState(db, viewer, p.id, skill);
}
