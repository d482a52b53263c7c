/**
 * The demo organisation generator: fills a tenant with a believable, deterministic company
 * (Hexagone Industries) from a few people to 50,000, written in batches of one
 * parameterised statement each.
 */
import { refreshExpertiseEvidence } from '../expertise/expertise.js';
import type { Db, Queryable } from '../store/db.js';
import { RucheError } from '../errors.js';
import {
  COMMUNITY_TEMPLATES, COMPANY_TOPICS, CROSS_SKILLS, DEPARTMENTS, INTERESTS, OFFICES,
} from './catalogue.js';
import { buildCommunities, defaultCommunityCount, MIN_COMMUNITIES } from './communities.js';
import {
  ContentContext, DAY, emitKudos, emitPost, POST_KINDS, randomKudosSpec, randomPostSpec,
  type ContentBuffers, type ContentCounts, type KudosSpec, type PostKind, type PostSpec,
} from './content.js';
import { buildOrg, DEMO_DOMAIN, type Org } from './org.js';
import { hashString, idFactory, Rng } from './random.js';
import { MUST_READS } from './phrases.js';
import { slugify } from './text.js';
import { iso, RowBuffer, type PendingRows } from './writer.js';
import { plantWeakTies } from './weak-ties.js';

import { DEMO_MAX_PEOPLE, DEMO_MIN_PEOPLE, DEMO_TENANT_ID, DEMO_TENANT_NAME } from './constants.js';

export { DEMO_MAX_PEOPLE, DEMO_MIN_PEOPLE, DEMO_TENANT_ID, DEMO_TENANT_NAME };
/** From this many posts, foreign keys are not checked row by row when the session may skip them. */
const BULK_THRESHOLD = 200_000;

export interface DemoOptions {
  tenantId?: string;
  /** Default 300, from 40 to 50,000. */
  people?: number;
  /** Default: one per 25 people, at least 23. */
  communities?: number;
  /** Default: about 10 per person over 90 days. At least the planted posts (must-reads, expert evidence). */
  posts?: number;
  /** Default: about 3 per post (on posts and comments together). */
  reactions?: number;
  /** Default: about 0.8 per person over 90 days. */
  kudos?: number;
  /** Length of the content window, in days before `now` (default 90). */
  days?: number;
  /** Default 1. */
  seed?: number;
  /** The end of the content window, rounded down to midnight UTC (default: today). */
  now?: Date;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface ShyExpert {
  personId: string;
  /** The topic name, equal to the skill name the person did not declare. */
  topic: string;
  topicSlug: string;
  topicId: string;
}

export interface DemoSummary {
  tenantId: string;
  tenantName: string;
  seed: number;
  /** The content window: [from, to) in ISO 8601. */
  from: string;
  to: string;
  /** The person to sign in as first (admin and communicator). */
  signInAs: { personId: string; upn: string; displayName: string };
  departments: string[];
  counts: {
    people: number;
    personSkills: number;
    topics: number;
    communities: number;
    memberships: number;
    follows: number;
    posts: number;
    comments: number;
    acceptedAnswers: number;
    reactions: number;
    mentions: number;
    postTopics: number;
    kudos: number;
    kudosRecipients: number;
    endorsements: number;
    acknowledgements: number;
  };
  postsByKind: Record<PostKind, number>;
  communitiesByKind: Record<'org_unit' | 'interest' | 'profession' | 'project', number>;
  communitiesByVisibility: Record<'public' | 'private' | 'secret', number>;
  mustReadPostIds: string[];
  shyExperts: ShyExpert[];
  durationMs: number;
}

function intOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RucheError('VALIDATION_FAILED', `Demo option ${name} must be an integer from ${min} to ${max}`, { details: { [name]: value } });
  }
  return value;
}

/**
 * Writes batches while the next ones are generated, up to `concurrency` at once (each on
 * its own connection with PostgreSQL). Each batch is one transaction that does not wait for
 * its commit record to reach the disk (demo data can be generated again after a crash),
 * which saves a WAL flush per statement. In bulk mode, when the session may do it, foreign
 * keys are not checked row by row: the generator makes every reference from rows it wrote
 * before (the tests check it with the checks on).
 */
class WriteQueue {
  private inflight = new Set<Promise<void>>();
  private failure: unknown;
  constructor(
    private readonly db: Db,
    private readonly concurrency: number,
    private readonly bulk: boolean,
  ) {}

  async push(task: (q: Queryable) => Promise<void>): Promise<void> {
    while (this.inflight.size >= this.concurrency) await Promise.race(this.inflight);
    if (this.failure !== undefined) throw this.failure;
    const p: Promise<void> = this.db
      .transaction(async (tx) => {
        await tx.query('set local synchronous_commit = off');
        if (this.bulk) {
          // Full-text index entries are merged in large, sorted chunks rather than a few at a time.
          await tx.query("set local gin_pending_list_limit = '64MB'");
          await tx.query("set local work_mem = '64MB'");
          await tx.query("set local session_replication_role = 'replica'");
        }
        await task(tx);
      })
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /** Waits for every batch written so far (before a step that references them). */
  async drain(): Promise<void> {
    await Promise.all(this.inflight);
    if (this.failure !== undefined) throw this.failure;
  }
}

/** Bulk mode: big runs on a session allowed to skip trigger-based checks. */
async function canSkipChecks(db: Db): Promise<boolean> {
  const r = await db.query<{ su: string }>("select current_setting('is_superuser') as su");
  return r.rows[0]?.su === 'on';
}

export async function generateDemo(db: Db, options: DemoOptions = {}): Promise<DemoSummary> {
  const started = performance.now();
  const tenantId = (options.tenantId ?? DEMO_TENANT_ID).toLowerCase();
  const peopleCount = intOption('people', options.people, 300, DEMO_MIN_PEOPLE, DEMO_MAX_PEOPLE);
  const days = intOption('days', options.days, 90, 7, 730);
  const communityCount = intOption('communities', options.communities, defaultCommunityCount(peopleCount), MIN_COMMUNITIES, 20_000);
  const postsWanted = intOption('posts', options.posts, Math.round((peopleCount * 10 * days) / 90), 0, 10_000_000);
  const reactionsWanted = intOption('reactions', options.reactions, postsWanted * 3, 0, 50_000_000);
  const kudosWanted = intOption('kudos', options.kudos, Math.round((peopleCount * 0.8 * days) / 90), 0, 5_000_000);
  const seed = intOption('seed', options.seed, 1, 0, 2 ** 32 - 1);
  const nowMs = (options.now ?? new Date()).getTime();
  if (!Number.isFinite(nowMs)) throw new RucheError('VALIDATION_FAILED', 'Demo option now is not a valid date');
  const end = Math.floor(nowMs / DAY) * DAY;
  const start = end - days * DAY;
  const progress = options.onProgress ?? (() => undefined);

  const existing = await db.query<{ n: number }>('select count(*)::int as n from people where tenant_id = $1', [tenantId]);
  if ((existing.rows[0]?.n ?? 0) > 0) {
    throw new RucheError('VALIDATION_FAILED', 'The tenant already has people: call resetDemo before generating the demo again', {
      details: { tenantId },
    });
  }

  const ids = {
    person: idFactory(tenantId, seed, 'person'),
    oid: idFactory(tenantId, seed, 'entra-oid'),
    community: idFactory(tenantId, seed, 'community'),
    topic: idFactory(tenantId, seed, 'topic'),
    post: idFactory(tenantId, seed, 'post'),
    comment: idFactory(tenantId, seed, 'comment'),
    kudos: idFactory(tenantId, seed, 'kudos'),
  };
  const baseSettings = { seed, people: peopleCount, days, from: iso(start), to: iso(end), status: 'loading' };
  await db.query(
    `insert into tenants (id, name, domain, settings) values ($1, $2, $3, jsonb_build_object('demo', $4::jsonb))
     on conflict (id) do update set name = excluded.name, domain = excluded.domain,
       settings = tenants.settings || excluded.settings`,
    [tenantId, DEMO_TENANT_NAME, DEMO_DOMAIN, JSON.stringify(baseSettings)],
  );

  const bulk = postsWanted >= BULK_THRESHOLD && (await canSkipChecks(db));
  const queue = new WriteQueue(db, db.kind === 'postgres' ? 2 : 1, bulk);
  const write = (rows: PendingRows) => queue.push(async (q) => void (await rows.write(q, tenantId)));

  // 1. People and the org chart.
  const org = buildOrg(seed, peopleCount, new Date(end).getUTCFullYear());
  const personIds = org.people.map((p) => ids.person(p.index));
  const people = new RowBuffer('people', [
    ['id', 'uuid'], ['entra_oid', 'uuid'], ['upn', 'text'], ['mail', 'text'], ['display_name', 'text'], ['given_name', 'text'],
    ['surname', 'text'], ['job_title', 'text'], ['department', 'text'], ['office', 'text'], ['country', 'text'],
    ['preferred_language', 'text'], ['manager_id', 'uuid'], ['biography', 'text'], ['roles', 'text[]'],
    ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ]);
  const byLevel = [...org.people].sort((a, b) => a.level - b.level || a.index - b.index);
  let done = 0;
  for (const p of byLevel) {
    const office = OFFICES[p.office]!;
    const hired = start - p.hiredDaysAgo * DAY;
    people.push(
      personIds[p.index]!, ids.oid(p.index), p.upn, p.upn, p.displayName, p.given, p.surname, p.title,
      DEPARTMENTS[p.dept]!.name, office.name, office.country, office.language,
      p.manager >= 0 ? personIds[p.manager]! : null, p.biography, p.roles.join(','), hired, hired,
    );
    if (people.length >= 5000) {
      done += people.length;
      await write(people.take());
      await queue.drain(); // reports reference managers of earlier batches
      progress('people', done, peopleCount);
    }
  }
  done += people.length;
  await write(people.take());
  await queue.drain();
  progress('people', done, peopleCount);

  // 2. Declared skills and topics.
  const skills = new RowBuffer('person_skills', [['person_id', 'uuid'], ['skill', 'text'], ['source', 'text'], ['proficiency', 'text'], ['created_at', 'timestamptz']]);
  let personSkills = 0;
  for (const p of org.people) {
    p.skills.forEach((s, k) => skills.push(personIds[p.index]!, s, 'declared', p.proficiency[k] ?? null, start - Math.min(p.hiredDaysAgo, 400) * DAY));
    personSkills += p.skills.length;
    if (skills.length >= 20_000) await write(skills.take());
  }
  await write(skills.take());
  progress('skills', personSkills, personSkills);

  const topicNames = [
    ...new Set([
      ...DEPARTMENTS.flatMap((d) => d.skills), ...CROSS_SKILLS, ...INTERESTS.map((x) => x[0]), ...COMPANY_TOPICS,
      ...COMMUNITY_TEMPLATES.flatMap((t) => t.topics), 'RSE', 'Onboarding',
    ]),
  ];
  const topicIds = new Map<string, string>();
  const topicSlugs = new Map<string, string>();
  const topics = new RowBuffer('topics', [['id', 'uuid'], ['slug', 'text'], ['name', 'text'], ['created_at', 'timestamptz']]);
  const usedSlugs = new Set<string>();
  topicNames.forEach((name, k) => {
    let slug = slugify(name);
    while (usedSlugs.has(slug)) slug = `${slug}-${k}`;
    usedSlugs.add(slug);
    topicIds.set(name, ids.topic(k));
    topicSlugs.set(name, slug);
    topics.push(ids.topic(k), slug, name, start - 400 * DAY);
  });
  await write(topics.take());
  await queue.drain();
  progress('topics', topicNames.length, topicNames.length);

  // 3. Communities, memberships and follows.
  const plans = buildCommunities(seed, org, communityCount);
  const communityIds = plans.map((c) => ids.community(c.index));
  const communities = new RowBuffer('communities', [
    ['id', 'uuid'], ['slug', 'text'], ['name', 'text'], ['description', 'text'], ['kind', 'text'], ['visibility', 'text'],
    ['is_official', 'bool'], ['restricted_posting', 'bool'], ['org_unit', 'jsonb'], ['created_by', 'uuid'],
    ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
  ]);
  for (const c of plans) {
    const orgUnit = c.orgUnit === null ? null : 'department' in c.orgUnit
      ? JSON.stringify(c.orgUnit)
      : JSON.stringify({ managerId: personIds[c.orgUnit.managerIndex], subtree: true });
    const created = start - c.age * DAY;
    communities.push(communityIds[c.index]!, c.slug, c.name, c.description, c.kind, c.visibility, c.official, c.restricted, orgUnit, personIds[c.createdBy]!, created, created);
    if (communities.length >= 2000) await write(communities.take());
  }
  await write(communities.take());
  await queue.drain();
  progress('communities', plans.length, plans.length);

  const memberships = new RowBuffer('memberships', [['community_id', 'uuid'], ['person_id', 'uuid'], ['role', 'text'], ['state', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz']]);
  const follows = new RowBuffer('follows', [['follower_id', 'uuid'], ['target_type', 'text'], ['target_id', 'uuid'], ['created_at', 'timestamptz']]);
  let membershipCount = 0;
  let followCount = 0;
  for (const c of plans) {
    const r = new Rng(seed, 'memberships', c.index);
    const cid = communityIds[c.index]!;
    for (const m of c.members) {
      const at = start - Math.floor(r.next() * c.age * DAY);
      memberships.push(cid, personIds[m]!, c.roles.get(m) ?? 'member', 'active', at, at);
      follows.push(personIds[m]!, 'community', cid, at);
      membershipCount++;
      followCount++;
    }
    for (const m of c.requested) {
      const at = start + Math.floor(r.next() * (end - start));
      memberships.push(cid, personIds[m]!, 'member', 'requested', at, at);
      membershipCount++;
    }
    for (const m of c.invited) {
      const at = start + Math.floor(r.next() * (end - start));
      memberships.push(cid, personIds[m]!, 'member', 'invited', at, at);
      membershipCount++;
    }
    if (memberships.length >= 20_000) {
      await write(memberships.take());
      await write(follows.take());
      progress('memberships', c.index + 1, plans.length);
    }
  }
  await write(memberships.take());
  // People follow a few topics (their skills, their hobbies) and a few colleagues.
  const interestNames = INTERESTS.map((x) => x[0]);
  for (const p of org.people) {
    const r = new Rng(seed, 'follows', p.index);
    const pid = personIds[p.index]!;
    const chosen = new Set<string>();
    const nTopics = r.int(0, 4);
    for (let k = 0; k < nTopics; k++) chosen.add(r.chance(0.6) && p.skills.length > 0 ? r.pick(p.skills) : r.pick(interestNames));
    for (const t of chosen) {
      follows.push(pid, 'topic', topicIds.get(t)!, start - r.int(1, 200) * DAY);
      followCount++;
    }
    const colleagues = new Set<number>();
    if (p.manager >= 0 && r.chance(0.7)) colleagues.add(p.manager);
    const dept = org.byDept[p.dept]!;
    const nPeople = r.int(0, 3);
    for (let k = 0; k < nPeople; k++) colleagues.add(r.pick(dept));
    if (p.index !== 0 && r.chance(0.2)) colleagues.add(0);
    colleagues.delete(p.index);
    for (const c of colleagues) {
      follows.push(pid, 'person', personIds[c]!, start - r.int(1, 300) * DAY);
      followCount++;
    }
    if (follows.length >= 20_000) await write(follows.take());
  }
  await write(follows.take());
  progress('follows', followCount, followCount);

  // 4. Shy experts: strong evidence for a topic they never declared.
  const shy = chooseShyExperts(seed, org);
  const shyExperts: ShyExpert[] = shy.map((s) => ({
    personId: personIds[s.person]!, topic: s.topic, topicSlug: topicSlugs.get(s.topic)!, topicId: topicIds.get(s.topic)!,
  }));

  // 5. Posts with their comments, reactions, mentions and topics.
  const postCountGuess = Math.max(1, postsWanted);
  const meanComments = 1.5;
  const ctx = new ContentContext(
    seed, org, plans, communityIds, personIds, topicIds, start, end, ids.post, ids.comment, meanComments,
    (reactionsWanted * 0.8) / postCountGuess / 1.15,
    (reactionsWanted * 0.2) / (postCountGuess * meanComments),
  );
  const scripted = scriptedPosts(ctx, seed, shy, days);
  const totalPosts = Math.max(postsWanted, scripted.length);
  const mustReads = scripted.flatMap((s, i) => (s.mustRead !== undefined ? [i] : []));
  const buffers: ContentBuffers = {
    posts: new RowBuffer('posts', [
      ['id', 'uuid'], ['community_id', 'uuid'], ['author_id', 'uuid'], ['kind', 'text'], ['title', 'text'], ['body', 'text'],
      ['body_html', 'text'], ['data', 'jsonb'], ['is_must_read', 'bool'], ['version', 'int'], ['pinned_until', 'timestamptz'],
      ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'], ['last_activity_at', 'timestamptz'],
    ]),
    comments: new RowBuffer('comments', [
      ['id', 'uuid'], ['post_id', 'uuid'], ['parent_id', 'uuid'], ['author_id', 'uuid'], ['body', 'text'], ['body_html', 'text'],
      ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
    ]),
    accepted: { posts: [], comments: [] },
    reactions: new RowBuffer('reactions', [['target_type', 'text'], ['target_id', 'uuid'], ['person_id', 'uuid'], ['kind', 'text'], ['created_at', 'timestamptz']]),
    mentions: new RowBuffer('mentions', [['source_type', 'text'], ['source_id', 'uuid'], ['mentioned_type', 'text'], ['mentioned_id', 'uuid'], ['created_at', 'timestamptz']]),
    postTopics: new RowBuffer('post_topics', [['post_id', 'uuid'], ['topic_id', 'uuid'], ['created_at', 'timestamptz']]),
  };
  const counts: ContentCounts = {
    posts: 0, postsByKind: Object.fromEntries(POST_KINDS.map((k) => [k, 0])) as Record<PostKind, number>,
    comments: 0, acceptedAnswers: 0, reactions: 0, mentions: 0, postTopics: 0,
  };
  const POST_BATCH = 2000;
  for (let i = 0; i < totalPosts; i++) {
    const rng = new Rng(seed, 'post', i);
    const spec = scripted[i] ?? randomPostSpec(ctx, rng);
    emitPost(ctx, i, spec, rng, buffers, counts);
    if ((i + 1) % POST_BATCH === 0 || i === totalPosts - 1) {
      const batch = {
        posts: buffers.posts.take(), comments: buffers.comments.take(), reactions: buffers.reactions.take(),
        mentions: buffers.mentions.take(), postTopics: buffers.postTopics.take(), accepted: buffers.accepted,
      };
      buffers.accepted = { posts: [], comments: [] };
      await queue.push(async (q) => {
        await batch.posts.write(q, tenantId);
        await batch.comments.write(q, tenantId);
        if (batch.accepted.posts.length > 0) {
          await q.query(
            `update posts p set accepted_comment_id = u.comment_id
               from unnest($2::uuid[], $3::uuid[]) as u(post_id, comment_id)
              where p.tenant_id = $1 and p.id = u.post_id`,
            [tenantId, batch.accepted.posts, batch.accepted.comments],
          );
        }
        await batch.postTopics.write(q, tenantId);
        await batch.reactions.write(q, tenantId);
        await batch.mentions.write(q, tenantId);
      });
      progress('posts', i + 1, totalPosts);
    }
  }

  // 6. Kudos: the planted ones first, then random ones.
  const kudosBuffers = {
    kudos: new RowBuffer('kudos', [['id', 'uuid'], ['giver_id', 'uuid'], ['value_key', 'text'], ['message', 'text'], ['visibility', 'text'], ['community_id', 'uuid'], ['created_at', 'timestamptz']]),
    recipients: new RowBuffer('kudos_recipients', [['kudos_id', 'uuid'], ['recipient_id', 'uuid']]),
  };
  const kudosCounts = { kudos: 0, recipients: 0 };
  const plantedKudos = scriptedKudos(ctx, seed, shy, scripted);
  const totalKudos = Math.max(kudosWanted, plantedKudos.length);
  for (let k = 0; k < totalKudos; k++) {
    const rng = new Rng(seed, 'kudos', k);
    emitKudos(ctx, ids.kudos(k), plantedKudos[k] ?? randomKudosSpec(ctx, rng), rng, kudosBuffers, kudosCounts);
    if (kudosBuffers.kudos.length >= 5000 || k === totalKudos - 1) {
      await write(kudosBuffers.kudos.take());
      await write(kudosBuffers.recipients.take());
      progress('kudos', k + 1, totalKudos);
    }
  }

  // 7. Endorsements of declared skills by colleagues.
  const endorsements = new RowBuffer('endorsements', [['person_id', 'uuid'], ['skill', 'text'], ['endorser_id', 'uuid'], ['created_at', 'timestamptz']]);
  let endorsementCount = 0;
  for (const p of org.people) {
    if (p.skills.length === 0) continue;
    const r = new Rng(seed, 'endorse', p.index);
    const dept = org.byDept[p.dept]!;
    const want = r.poisson(p.level <= 3 ? 2.5 : 1.5);
    const seen = new Set<string>();
    for (let k = 0; k < want; k++) {
      const skill = r.pick(p.skills);
      const team = org.reports[p.index]!;
      const endorser = team.length > 0 && r.chance(0.4) ? r.pick(team) : r.pick(dept);
      const key = `${skill}|${endorser}`;
      if (endorser === p.index || seen.has(key)) continue;
      seen.add(key);
      endorsements.push(personIds[p.index]!, skill, personIds[endorser]!, ctx.workTime(r, endorser));
      endorsementCount++;
    }
    if (endorsements.length >= 20_000) await write(endorsements.take());
  }
  await write(endorsements.take());
  progress('endorsements', endorsementCount, endorsementCount);

  await queue.drain();

  // 8. Acknowledgements of the must-read announcements (version 1); recent ones are still pending for many.
  const acks = new RowBuffer('acknowledgements', [['post_id', 'uuid'], ['person_id', 'uuid'], ['version', 'int'], ['acknowledged_at', 'timestamptz']]);
  let ackCount = 0;
  for (const m of mustReads) {
    const spec = scripted[m]!;
    const age = (end - spec.time) / (end - start);
    const share = 0.35 + 0.55 * age;
    const label = hashString(`ack|${m}`);
    for (const p of org.people) {
      const r = new Rng(seed, label, p.index);
      if (p.index !== 0 && !r.chance(share)) continue;
      const at = spec.time + 10 * 60_000 + Math.round(r.exponential(1.5 * DAY));
      if (at >= end) continue;
      acks.push(ids.post(m), personIds[p.index]!, 1, at);
      ackCount++;
      if (acks.length >= 20_000) await write(acks.take());
    }
  }
  await write(acks.take());
  progress('acknowledgements', ackCount, ackCount);
  await queue.drain();

  const summary: DemoSummary = {
    tenantId,
    tenantName: DEMO_TENANT_NAME,
    seed,
    from: iso(start),
    to: iso(end),
    signInAs: { personId: personIds[0]!, upn: org.people[0]!.upn, displayName: org.people[0]!.displayName },
    departments: DEPARTMENTS.map((d) => d.name),
    counts: {
      people: peopleCount,
      personSkills,
      topics: topicNames.length,
      communities: plans.length,
      memberships: membershipCount,
      follows: followCount,
      posts: counts.posts,
      comments: counts.comments,
      acceptedAnswers: counts.acceptedAnswers,
      reactions: counts.reactions,
      mentions: counts.mentions,
      postTopics: counts.postTopics,
      kudos: kudosCounts.kudos,
      kudosRecipients: kudosCounts.recipients,
      endorsements: endorsementCount,
      acknowledgements: ackCount,
    },
    postsByKind: counts.postsByKind,
    communitiesByKind: countBy(plans, (c) => c.kind, ['org_unit', 'interest', 'profession', 'project']),
    communitiesByVisibility: countBy(plans, (c) => c.visibility, ['public', 'private', 'secret']),
    mustReadPostIds: mustReads.map((m) => ids.post(m)),
    shyExperts,
    durationMs: 0,
  };
  const { durationMs: _ignored, ...stored } = summary;
  await db.query(
    `insert into demo_shy_experts (tenant_id, person_id, topic_id, topic, topic_slug, position)
     select $1, x.person_id, x.topic_id, x.topic, x.topic_slug, x.position
     from unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[]) with ordinality as x(person_id, topic_id, topic, topic_slug, position)`,
    [tenantId, shyExperts.map((x) => x.personId), shyExperts.map((x) => x.topicId), shyExperts.map((x) => x.topic), shyExperts.map((x) => x.topicSlug)],
  );
  await db.query(`update tenants set settings = jsonb_set(settings, '{demo}', $2::jsonb) where id = $1`, [
    tenantId,
    JSON.stringify({ ...baseSettings, status: 'loaded', summary: { ...stored, shyExperts: undefined } }),
  ]);
  // Fresh statistics for the planner: the steps below query what was just written (without
  // them, a search over a million new posts is planned as if the tables were empty).
  await db.exec('analyze');
  // The expertise finder reads evidence per topic: give it the demo's at once.
  progress('expertise', 0, 1);
  await refreshExpertiseEvidence(db, tenantId);
  // Same work in two departments, meetup opt-ins and a first round.
  progress('weak-ties', 0, 1);
  await plantWeakTies(db, tenantId, seed, new Date(end), personIds);
  summary.durationMs = Math.round(performance.now() - started);
  progress('done', 1, 1);
  return summary;
}

function countBy<T, K extends string>(items: readonly T[], key: (t: T) => K, keys: readonly K[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const t of items) out[key(t)]++;
  return out;
}

interface ShyPlan {
  person: number;
  topic: string;
}

/** About 2% of people (at least 5) get evidence for a skill of their department they did not declare. */
function chooseShyExperts(seed: number, org: Org): ShyPlan[] {
  const rng = new Rng(seed, 'shy-experts');
  const eligible = org.people.filter((p) => p.index > 1 && p.dept !== 0 && p.level >= 3 && org.byDept[p.dept]!.length >= 5);
  const want = Math.min(Math.floor(eligible.length / 4), Math.max(5, Math.round(org.people.length * 0.02)));
  const out: ShyPlan[] = [];
  for (const x of rng.distinct(eligible.length, eligible.length)) {
    if (out.length >= want) break;
    const p = eligible[x]!;
    const missing = DEPARTMENTS[p.dept]!.skills.filter((s) => !p.skills.includes(s));
    if (missing.length === 0) continue;
    out.push({ person: p.index, topic: rng.pick(missing) });
  }
  return out;
}

/** Must-read announcements, then the expert evidence: questions they answered and posts they wrote. */
function scriptedPosts(ctx: ContentContext, seed: number, shy: readonly ShyPlan[], days: number): PostSpec[] {
  const org = ctx.org;
  const rng = new Rng(seed, 'scripted');
  const specs: PostSpec[] = [];
  const mustReads = Math.min(MUST_READS.length, Math.max(3, Math.round(org.people.length / 100)));
  for (let m = 0; m < mustReads; m++) {
    const fraction = mustReads === 1 ? 0.5 : 0.08 + (0.87 * m) / (mustReads - 1);
    const day = Math.min(days - 1, Math.floor(days * fraction));
    const time = ctx.start + day * DAY + Math.round((8 + rng.next() * 2) * 3_600_000);
    specs.push({ community: 0, author: m === 1 ? org.ceo : 0, kind: 'announcement', subject: 'RSE', time, mustRead: m });
  }
  for (const s of shy) {
    const community = ctx.deptCommunity.get(org.people[s.person]!.dept)!;
    const askers = ctx.communities[community]!.members.filter((m) => m !== s.person);
    const questions = rng.int(4, 5);
    for (let q = 0; q < questions; q++) {
      const author = rng.pick(askers);
      specs.push({ community, author, kind: 'question', subject: s.topic, time: ctx.workTime(rng, author, days - 3), answeredBy: s.person });
    }
    for (let d = 0; d < 2; d++) {
      specs.push({ community, author: s.person, kind: 'discussion', subject: s.topic, time: ctx.workTime(rng, s.person) });
    }
  }
  return specs;
}

/** Two kudos per shy expert, from people they helped, naming the topic. */
function scriptedKudos(ctx: ContentContext, seed: number, shy: readonly ShyPlan[], scripted: readonly PostSpec[]): KudosSpec[] {
  const rng = new Rng(seed, 'scripted-kudos');
  const out: KudosSpec[] = [];
  for (const s of shy) {
    const helped = scripted.filter((p) => p.answeredBy === s.person).map((p) => p.author);
    for (let k = 0; k < 2; k++) {
      const giver = helped[k % helped.length]!;
      const value = rng.pick(['teamwork', 'kindness', 'customer'] as const);
      out.push({ giver, recipients: [s.person], value, subject: s.topic, time: ctx.workTime(rng, giver), visibility: 'public' });
    }
  }
  return out;
}

