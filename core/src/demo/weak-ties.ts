/**
 * What the demo organisation plants for "same work elsewhere" and meetups: pairs of posts
 * on the same subject written in two different departments (public communities, so
 * everyone finds them), people opted in to meetups (the first person included) and a
 * first meetup round. Conversations across departments come with the generated content.
 */
import type { Db } from '../store/db.js';
import { runMeetupRound } from '../meetups/meetups.js';
import { Rng } from './random.js';
import { renderDemoMarkdown } from './text.js';

interface Twin {
  departments: [string, string];
  posts: [{ title: string; body: string }, { title: string; body: string }];
}

/** Two teams working on the same subject without knowing it. */
export const SAME_WORK_TWINS: readonly Twin[] = [
  {
    departments: ['Finance', 'Operations'],
    posts: [
      { title: 'Automatisation OCR des factures fournisseurs dans SAP', body: 'Nous testons un OCR pour lire les factures fournisseurs et les saisir dans SAP sans ressaisie. Premier lot : 2 000 factures.' },
      { title: 'OCR pilot: supplier invoices straight into SAP', body: 'Our pilot reads supplier invoices with OCR and books them in SAP. Looking for feedback on invoice formats and SAP workflows.' },
    ],
  },
  {
    departments: ['Sales', 'Customer Success'],
    posts: [
      { title: 'Churn dashboard in Power BI for key accounts', body: 'We built a Power BI dashboard that scores churn risk for key accounts from CRM activity and support tickets.' },
      { title: 'Tableau de bord Power BI du churn clients', body: 'Un tableau de bord Power BI qui suit le risque de churn des comptes clés à partir des tickets support et du CRM.' },
    ],
  },
  {
    departments: ['Engineering', 'R&D'],
    posts: [
      { title: 'Migrating build pipelines to GitHub Actions runners', body: 'Our CI moves from Jenkins to GitHub Actions with self-hosted runners; caching and Kubernetes runners next.' },
      { title: 'Retour d’expérience : runners GitHub Actions sur Kubernetes', body: 'Nous faisons tourner nos pipelines GitHub Actions sur des runners Kubernetes auto-hébergés, avec cache partagé.' },
    ],
  },
];

/** Share of people opted in to meetups (3 in 10), at most this many. */
const MEETUP_SHARE = 0.3;
const MEETUP_MAX = 3000;

export interface WeakTiesSummary {
  sameWorkPosts: number;
  meetupOptIns: number;
  meetupMatches: number;
}

/**
 * Rewrites a few existing discussions as twins on the same subject in two departments (the
 * counts of the summary stay true), opts people in to meetups (the first person always; a
 * tenth of them snoozed) and runs the first round. `personIds` in demo order, so that the
 * same seed gives the same choices in any tenant.
 */
export async function plantWeakTies(db: Db, tenantId: string, seed: number, now: Date, personIds: readonly string[]): Promise<WeakTiesSummary> {
  const used: string[] = [];
  for (const twin of SAME_WORK_TWINS) {
    const chosen: string[] = [];
    for (const dept of twin.departments) {
      // A recent discussion of that department in a public community, without mentions to keep true.
      const r = await db.query<{ id: string }>(
        `select p.id from posts p
           join people a on a.tenant_id = p.tenant_id and a.id = p.author_id
           join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id and c.visibility = 'public' and c.archived_at is null
          where p.tenant_id = $1 and a.department = $2 and p.kind = 'discussion' and p.deleted_at is null and p.hidden_at is null
            and not p.is_must_read and p.pinned_until is null and not (p.id = any($3::uuid[]))
            and not exists (select 1 from mentions m where m.tenant_id = p.tenant_id and m.source_type = 'post' and m.source_id = p.id)
          order by p.created_at desc, p.title, a.upn
          limit 1`,
        [tenantId, dept, used],
      );
      if (r.rows[0]) chosen.push(r.rows[0].id);
    }
    if (chosen.length < 2) continue;
    for (let k = 0; k < 2; k++) {
      const post = twin.posts[k]!;
      await db.query('update posts set title = $3, body = $4, body_html = $5 where tenant_id = $1 and id = $2', [
        tenantId, chosen[k], post.title, post.body, renderDemoMarkdown(post.body),
      ]);
      used.push(chosen[k]!);
    }
  }

  // Meetups: about 3 people in 10 opted in, the first person always; a tenth of them snoozed for two weeks.
  const optIns: string[] = [];
  const snoozed: string[] = [];
  for (let i = 0; i < personIds.length && optIns.length < MEETUP_MAX; i++) {
    const r = new Rng(seed, 'meetups', i);
    if (i !== 0 && !r.chance(MEETUP_SHARE)) continue;
    optIns.push(personIds[i]!);
    if (i !== 0 && r.chance(0.1)) snoozed.push(personIds[i]!);
  }
  // An odd number of people in the round leaves one of them out; the first person always has a match.
  const active = await db.query<{ id: string }>(
    'select id from people where tenant_id = $1 and id = any($2::uuid[]) and not is_former_employee',
    [tenantId, optIns],
  );
  const activeIds = new Set(active.rows.map((x) => x.id));
  const snoozedIds = new Set(snoozed);
  const inRound = optIns.filter((id) => activeIds.has(id) && !snoozedIds.has(id));
  if (inRound.length % 2 === 1 && inRound.length > 1) snoozed.push(inRound[inRound.length - 1]!);
  await db.query(
    `insert into meetup_preferences (tenant_id, person_id, enabled, snooze_until)
     select $1, p.id, true, case when s.id is not null then ($4::timestamptz + interval '14 days')::date end
       from unnest($2::uuid[]) x(id)
       join people p on p.tenant_id = $1 and p.id = x.id and not p.is_former_employee
       left join unnest($3::uuid[]) s(id) on s.id = p.id
     on conflict do nothing`,
    [tenantId, optIns, snoozed, now],
  );
  const round = await runMeetupRound(db, tenantId, now);
  return { sameWorkPosts: used.length, meetupOptIns: optIns.length, meetupMatches: round?.matches ?? 0 };
}
