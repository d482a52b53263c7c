/**
 * Personal data: a person's export of everything Ruche holds about them, and erasure.
 * Erasure removes their personal data (name, contact fields, biography, photo, skills,
 * follows, notifications, memberships...) and keeps their content coherent under a
 * "Former employee" identity, or deletes that content (mode "delete") where the law
 * requires; others' threads stay readable either way (deleted comments stay as placeholders).
 */
import type { Db, Queryable } from '../store/db.js';
import { type Viewer, canOnPerson } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { isUuid } from '../people/people.js';
import { recordAudit } from '../communities/audit.js';

export const formerEmployeeNames = { en: 'Former employee', fr: 'Ancien collaborateur' } as const;

export function formerEmployeeName(language: string | null | undefined): string {
  return language?.toLowerCase().startsWith('fr') ? formerEmployeeNames.fr : formerEmployeeNames.en;
}

async function targetOf(q: Queryable, viewer: Viewer, personId: string, action: 'export' | 'erase') {
  if (!isUuid(personId)) throw new RucheError('PERSON_NOT_FOUND');
  if (!canOnPerson(viewer, action, { tenantId: viewer.tenantId, personId })) {
    throw new RucheError('FORBIDDEN', action === 'export' ? 'Only the person or a tenant administrator exports their data' : 'Only the person or a tenant administrator erases their data');
  }
  const r = await q.query<{ id: string; preferred_language: string | null; is_former_employee: boolean }>(
    'select id, preferred_language, is_former_employee from people where tenant_id = $1 and id = $2',
    [viewer.tenantId, personId],
  );
  if (!r.rows[0]) throw new RucheError('PERSON_NOT_FOUND');
  return r.rows[0];
}

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : d);

function rowsOut<T extends Record<string, unknown>>(rows: T[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), iso(v)])));
}

export interface PersonalDataExport {
  exportedAt: string;
  profile: Record<string, unknown>;
  [section: string]: unknown;
}

/**
 * Everything Ruche holds about a person, as JSON: their profile and their own items. Items
 * of others appear only by id (the post a comment answers, what they reacted to), so an
 * export never carries anyone else's private content. The person or a tenant admin; audited.
 */
export async function exportPersonalData(db: Db, viewer: Viewer, personId: string): Promise<PersonalDataExport> {
  await targetOf(db, viewer, personId, 'export');
  const t = viewer.tenantId;
  const q = async (sql: string) => rowsOut((await db.query<Record<string, unknown>>(sql, [t, personId])).rows);
  const [profile] = await q(
    `select id, upn, mail, display_name, given_name, surname, job_title, department, office, country, preferred_language,
            manager_id, biography, photo_ref, roles, is_former_employee, created_at, updated_at
     from people where tenant_id = $1 and id = $2`,
  );
  const out: PersonalDataExport = {
    exportedAt: new Date().toISOString(),
    profile: profile!,
    skills: await q('select skill, source, proficiency, created_at from person_skills where tenant_id = $1 and person_id = $2 order by skill'),
    endorsementsReceived: await q(
      'select skill, endorser_id, created_at from endorsements where tenant_id = $1 and person_id = $2 order by created_at',
    ),
    endorsementsGiven: await q('select person_id, skill, created_at from endorsements where tenant_id = $1 and endorser_id = $2 order by created_at'),
    memberships: await q(
      `select m.community_id, c.name as community_name, m.role, m.state, m.created_at
       from memberships m join communities c on c.tenant_id = m.tenant_id and c.id = m.community_id
       where m.tenant_id = $1 and m.person_id = $2 order by m.created_at`,
    ),
    posts: await q(
      `select id, community_id, kind, title, body, data, version, created_at, updated_at, hidden_at, deleted_at
       from posts where tenant_id = $1 and author_id = $2 order by created_at, id`,
    ),
    comments: await q(
      `select id, post_id, parent_id, body, created_at, updated_at, hidden_at, deleted_at
       from comments where tenant_id = $1 and author_id = $2 order by created_at, id`,
    ),
    reactions: await q('select target_type, target_id, kind, created_at from reactions where tenant_id = $1 and person_id = $2 order by created_at'),
    kudosGiven: await q(
      `select k.id, k.value_key, k.message, k.visibility, k.community_id, k.created_at, k.deleted_at,
              array(select r.recipient_id from kudos_recipients r where r.tenant_id = k.tenant_id and r.kudos_id = k.id order by 1) as recipient_ids
       from kudos k where k.tenant_id = $1 and k.giver_id = $2 order by k.created_at`,
    ),
    kudosReceived: await q(
      `select k.id, k.giver_id, k.value_key, k.message, k.visibility, k.created_at
       from kudos k join kudos_recipients r on r.tenant_id = k.tenant_id and r.kudos_id = k.id
       where k.tenant_id = $1 and r.recipient_id = $2 and k.deleted_at is null order by k.created_at`,
    ),
    follows: await q('select target_type, target_id, created_at from follows where tenant_id = $1 and follower_id = $2 order by created_at'),
    notifications: await q('select id, kind, data, created_at, read_at from notifications where tenant_id = $1 and person_id = $2 order by created_at'),
    acknowledgements: await q('select post_id, version, acknowledged_at from acknowledgements where tenant_id = $1 and person_id = $2 order by acknowledged_at'),
    ideaVotes: await q('select post_id, created_at from idea_votes where tenant_id = $1 and person_id = $2 order by created_at'),
    pollVotes: await q('select post_id, option_id, created_at from poll_votes where tenant_id = $1 and person_id = $2 order by created_at'),
    eventResponses: await q('select post_id, response, responded_at from event_rsvps where tenant_id = $1 and person_id = $2 order by responded_at'),
    reportsFiled: await q(
      'select id, target_type, target_id, reason, details, state, created_at from reports where tenant_id = $1 and reporter_id = $2 order by created_at',
    ),
  };
  await recordAudit(db, {
    tenantId: t,
    actorId: viewer.personId,
    action: 'person.export',
    targetType: 'person',
    targetId: personId,
    data: { self: viewer.personId === personId },
  });
  return out;
}

export type ErasureMode = 'anonymise' | 'delete';

export interface ErasureResult {
  personId: string;
  mode: ErasureMode;
  /** The person had already been erased before this call. */
  alreadyErased: boolean;
  displayName: string;
  /** How many rows each step removed or blanked. */
  counts: Record<string, number>;
}

/**
 * Erases a person's personal data (the person themself or a tenant admin). Idempotent:
 * erasing again changes nothing more (mode "delete" after "anonymise" deletes the content).
 * The audit line records the mode and counts, no personal data.
 */
export async function erasePerson(db: Db, viewer: Viewer, personId: string, options: { mode?: ErasureMode } = {}): Promise<ErasureResult> {
  const mode = options.mode ?? 'anonymise';
  if (mode !== 'anonymise' && mode !== 'delete') throw new RucheError('VALIDATION_FAILED', 'mode is anonymise or delete');
  return db.transaction(async (tx) => {
    const person = await targetOf(tx, viewer, personId, 'erase');
    await tx.query('select 1 from people where tenant_id = $1 and id = $2 for update', [viewer.tenantId, personId]);
    const t = viewer.tenantId;
    const counts: Record<string, number> = {};
    const run = async (name: string, sql: string) => {
      const r = await tx.query(sql, [t, personId]);
      if (r.rowCount > 0) counts[name] = (counts[name] ?? 0) + r.rowCount;
    };
    const displayName = formerEmployeeName(person.preferred_language);
    await tx.query(
      `update people set display_name = $3, given_name = null, surname = null, mail = null, entra_oid = null,
         upn = 'former-' || id::text || '@erased.invalid', job_title = null, department = null, office = null, country = null,
         manager_id = null, biography = null, photo_ref = null, roles = '{}', preferred_language = null,
         is_former_employee = true, updated_at = now()
       where tenant_id = $1 and id = $2`,
      [t, personId, displayName],
    );
    await run('skills', 'delete from person_skills where tenant_id = $1 and person_id = $2');
    await run('endorsements', 'delete from endorsements where tenant_id = $1 and (person_id = $2 or endorser_id = $2)');
    await run('follows', "delete from follows where tenant_id = $1 and (follower_id = $2 or (target_type = 'person' and target_id = $2))");
    await run('notifications', 'delete from notifications where tenant_id = $1 and person_id = $2');
    await run('notificationSettings', 'delete from notification_settings where tenant_id = $1 and person_id = $2');
    await run('memberships', 'delete from memberships where tenant_id = $1 and person_id = $2');
    await run('feedVisits', 'delete from feed_visits where tenant_id = $1 and person_id = $2');
    await run('eventResponses', 'delete from event_rsvps where tenant_id = $1 and person_id = $2');
    await run('mentions', "delete from mentions where tenant_id = $1 and mentioned_type = 'person' and mentioned_id = $2");
    await run('announcementViews', 'delete from announcement_views where tenant_id = $1 and person_id = $2');
    await run('announcementRequests', 'delete from announcement_requests where tenant_id = $1 and person_id = $2');
    await run('idempotencyKeys', 'delete from idempotency_keys where tenant_id = $1 and person_id = $2');
    await run('rateLimits', 'delete from rate_limit_buckets where tenant_id = $1 and person_id = $2');
    await run('reportsAnonymised', "update reports set details = '' where tenant_id = $1 and reporter_id = $2 and details <> ''");
    if (mode === 'delete') {
      await run(
        'posts',
        `update posts set title = '', body = '', body_html = '', deleted_at = coalesce(deleted_at, now()), pinned_until = null
         where tenant_id = $1 and author_id = $2 and (deleted_at is null or body <> '' or title <> '')`,
      );
      await run(
        'postRevisions',
        'delete from post_revisions v using posts p where v.tenant_id = $1 and p.tenant_id = v.tenant_id and p.id = v.post_id and p.author_id = $2',
      );
      await run(
        'postMentions',
        "delete from mentions m using posts p where m.tenant_id = $1 and m.source_type = 'post' and p.tenant_id = m.tenant_id and p.id = m.source_id and p.author_id = $2",
      );
      await run('postTopics', 'delete from post_topics x using posts p where x.tenant_id = $1 and p.tenant_id = x.tenant_id and p.id = x.post_id and p.author_id = $2');
      await run(
        'commentMentions',
        "delete from mentions m using comments k where m.tenant_id = $1 and m.source_type = 'comment' and k.tenant_id = m.tenant_id and k.id = m.source_id and k.author_id = $2",
      );
      await run(
        'acceptedAnswers',
        `update posts p set accepted_comment_id = null from comments k
         where p.tenant_id = $1 and k.tenant_id = p.tenant_id and k.id = p.accepted_comment_id and k.author_id = $2`,
      );
      await run(
        'comments',
        `update comments set body = '', body_html = '', deleted_at = coalesce(deleted_at, now())
         where tenant_id = $1 and author_id = $2 and (deleted_at is null or body <> '')`,
      );
      await run('reactions', 'delete from reactions where tenant_id = $1 and person_id = $2');
      await run('ideaVotes', 'delete from idea_votes where tenant_id = $1 and person_id = $2');
      await run('pollVotes', 'delete from poll_votes where tenant_id = $1 and person_id = $2');
      await run(
        'kudos',
        "update kudos set message = '', deleted_at = coalesce(deleted_at, now()) where tenant_id = $1 and giver_id = $2 and (deleted_at is null or message <> '')",
      );
      await run('reportsFiled', "update reports set details = '' where tenant_id = $1 and reporter_id = $2 and details <> ''");
    }
    const changed = !person.is_former_employee || Object.keys(counts).length > 0;
    if (changed) {
      await recordAudit(tx, {
        tenantId: t,
        actorId: viewer.personId === personId ? null : viewer.personId,
        action: 'person.erase',
        targetType: 'person',
        targetId: personId,
        data: { mode, self: viewer.personId === personId, counts },
      });
    }
    return { personId, mode, alreadyErased: person.is_former_employee, displayName, counts };
  });
}
