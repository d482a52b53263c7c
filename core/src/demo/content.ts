/**
 * Posts, comments, reactions, mentions and kudos of the demo organisation. Every post is
 * generated from its own random stream (seed, "post", index), so a post's content does not
 * depend on the batch it is written in.
 */
import { DEPARTMENTS, OFFICES, type Lang } from './catalogue.js';
import {
  ANNOUNCEMENTS, ANSWERS, COMMENTS, DISCUSSION_CLOSINGS, DISCUSSION_MIDDLES, DISCUSSION_OPENERS, DISCUSSION_TITLES,
  EVENT_BODIES, EVENTS, IDEA_BODIES, IDEAS, KUDOS, MUST_READS, POLLS, QUESTION_BODIES, QUESTION_TITLES, REPLIES,
  THANKS_ANSWER,
} from './phrases.js';
import type { CommunityPlan } from './communities.js';
import { ideaStatuses } from '../posts/model.js';
import type { Org } from './org.js';
import { fill } from './org.js';
import type { Rng } from './random.js';
import { renderDemoMarkdown, slugify } from './text.js';
import { iso, type RowBuffer } from './writer.js';

export const DAY = 86_400_000;
const HOUR = 3_600_000;

export type PostKind = 'discussion' | 'question' | 'announcement' | 'idea' | 'poll' | 'event';
export const POST_KINDS: readonly PostKind[] = ['discussion', 'question', 'announcement', 'idea', 'poll', 'event'];
export const REACTION_KINDS = ['like', 'celebrate', 'love', 'insightful', 'funny', 'support'] as const;
export const KUDOS_VALUES = ['teamwork', 'customer', 'innovation', 'courage', 'kindness'] as const;

export interface PostSpec {
  community: number;
  author: number;
  kind: PostKind;
  subject: string;
  time: number;
  /** Index into MUST_READS for a must-read announcement. */
  mustRead?: number;
  /** A question whose accepted answer is written by this person. */
  answeredBy?: number;
}

export interface KudosSpec {
  giver: number;
  recipients: number[];
  value: (typeof KUDOS_VALUES)[number];
  subject: string;
  time: number;
  visibility?: 'public' | 'community' | 'private';
}

export interface ContentBuffers {
  posts: RowBuffer;
  comments: RowBuffer;
  accepted: { posts: string[]; comments: string[] };
  reactions: RowBuffer;
  mentions: RowBuffer;
  postTopics: RowBuffer;
}

export interface ContentCounts {
  posts: number;
  postsByKind: Record<PostKind, number>;
  comments: number;
  acceptedAnswers: number;
  reactions: number;
  mentions: number;
  postTopics: number;
}

export class ContentContext {
  readonly communityCumulative: Float64Array;
  readonly memberCumulative: Float64Array[];
  readonly memberSets: (Set<number> | null)[];
  readonly skillHolders = new Map<string, number[]>();
  readonly peopleCumulative: Float64Array;
  readonly commentsFactor: number;
  /** Owners and moderators of each community: who may announce. */
  readonly leaders: number[][];
  /** The org-unit community of each department. */
  readonly deptCommunity = new Map<number, number>();

  constructor(
    readonly seed: number,
    readonly org: Org,
    readonly communities: readonly CommunityPlan[],
    readonly communityIds: readonly string[],
    readonly personIds: readonly string[],
    readonly topicIds: ReadonlyMap<string, string>,
    /** Start and end of the content window (ms since the epoch). */
    readonly start: number,
    readonly end: number,
    readonly postId: (i: number) => string,
    readonly commentId: (i: number) => string,
    readonly meanComments: number,
    readonly meanPostReactions: number,
    readonly meanCommentReactions: number,
  ) {
    const weights = communities.map((c) => {
      const m = Math.sqrt(c.members.length);
      if (c.restricted) return 0;
      if (c.kind === 'org_unit') return m * (c.orgUnit && 'department' in c.orgUnit ? 1.2 : 0.8);
      return m * (c.kind === 'project' ? 1.3 : c.kind === 'interest' ? 0.7 : 1);
    });
    const total = weights.reduce((a, b) => a + b, 0);
    // The restricted announcement channel gets about 3% of the posts.
    const cum = new Float64Array(communities.length);
    let acc = 0;
    communities.forEach((c, i) => {
      acc += c.restricted ? total * 0.03 : weights[i]!;
      cum[i] = acc;
    });
    this.communityCumulative = cum;
    this.memberCumulative = communities.map((c) => {
      const a = new Float64Array(c.members.length);
      let s = 0;
      c.members.forEach((m, k) => {
        s += org.people[m]!.activity;
        a[k] = s;
      });
      return a;
    });
    this.memberSets = communities.map((c) => (c.visibility === 'public' ? null : new Set(c.members)));
    this.leaders = communities.map((c) => [...c.roles.entries()].filter(([, r]) => r === 'owner' || r === 'moderator').map(([p]) => p));
    communities.forEach((c, i) => {
      if (c.orgUnit && 'department' in c.orgUnit) this.deptCommunity.set(c.dept, i);
    });
    for (const p of org.people) for (const s of p.skills) {
      let list = this.skillHolders.get(s);
      if (!list) this.skillHolders.set(s, (list = []));
      list.push(p.index);
    }
    const pc = new Float64Array(org.people.length);
    let s = 0;
    org.people.forEach((p, k) => {
      s += p.activity;
      pc[k] = s;
    });
    this.peopleCumulative = pc;
    // Per-kind comment multipliers average to 1 over the usual mix of kinds.
    this.commentsFactor = 1 / 1.13;
  }

  /** A moment in working hours of the person's office, on a random day of the window. */
  workTime(rng: Rng, person: number, lastDay?: number): number {
    const days = Math.max(1, Math.round((this.end - this.start) / DAY));
    const maxDay = Math.max(0, Math.min(days - 1, lastDay ?? days - 1));
    let day = rng.int(0, maxDay);
    for (let t = 0; t < 6; t++) {
      const dow = new Date(this.start + day * DAY).getUTCDay();
      if ((dow !== 0 && dow !== 6) || rng.chance(0.12)) break;
      day = rng.int(0, maxDay);
    }
    const r = rng.next();
    const hour = r < 0.45 ? 8.5 + rng.next() * 4 : r < 0.9 ? 13.5 + rng.next() * 4.5 : 7 + rng.next() * 15;
    const offset = OFFICES[this.org.people[person]!.office]!.utcOffset;
    const t = this.start + day * DAY + Math.round((hour - offset) * HOUR);
    return Math.min(this.end - 60_000, Math.max(this.start, t));
  }

  pickCommunity(rng: Rng): number {
    return search(this.communityCumulative, rng.next() * this.communityCumulative[this.communityCumulative.length - 1]!);
  }

  /** A member of the community, weighted by how much they write. */
  pickMember(rng: Rng, community: number): number {
    const cum = this.memberCumulative[community]!;
    const members = this.communities[community]!.members;
    return members[search(cum, rng.next() * cum[cum.length - 1]!)]!;
  }

  pickPerson(rng: Rng): number {
    const cum = this.peopleCumulative;
    return search(cum, rng.next() * cum[cum.length - 1]!);
  }

  canSee(community: number, person: number): boolean {
    const set = this.memberSets[community];
    return !set || set.has(person);
  }
}

/** A mention as the product's Markdown writes it: @[Name](person:<id>). */
function mentionToken(ctx: ContentContext, person: number): string {
  return `@[${ctx.org.people[person]!.displayName}](person:${ctx.personIds[person]!})`;
}

function search(cum: Float64Array, x: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const KIND_WEIGHTS: Record<PostKind, number> = { discussion: 38, question: 26, announcement: 9, idea: 10, poll: 8, event: 9 };
const COMMENT_FACTOR: Record<PostKind, number> = { discussion: 1, question: 1.6, announcement: 1.5, idea: 1.2, poll: 0.6, event: 0.6 };
const REACTION_FACTOR: Record<PostKind, number> = { discussion: 1, question: 0.7, announcement: 2, idea: 1.3, poll: 0.6, event: 0.8 };
const REACTION_WEIGHTS: Record<PostKind, readonly number[]> = {
  // like, celebrate, love, insightful, funny, support
  discussion: [50, 8, 10, 20, 7, 5],
  question: [45, 2, 3, 30, 5, 15],
  announcement: [45, 30, 10, 8, 2, 5],
  idea: [50, 10, 15, 15, 3, 7],
  poll: [60, 5, 10, 10, 10, 5],
  event: [50, 25, 15, 2, 5, 3],
};

/** A random post: community, author, kind, subject and time. */
export function randomPostSpec(ctx: ContentContext, rng: Rng): PostSpec {
  const community = ctx.pickCommunity(rng);
  const c = ctx.communities[community]!;
  const leaders = ctx.leaders[community]!;
  let kind: PostKind;
  let author: number;
  if (c.restricted) {
    kind = rng.chance(0.85) ? 'announcement' : 'event';
    author = rng.pick(leaders);
  } else {
    kind = rng.weighted(Object.keys(KIND_WEIGHTS) as PostKind[], Object.values(KIND_WEIGHTS));
    if (kind === 'announcement' && (leaders.length === 0 || c.kind === 'interest')) kind = 'discussion';
    author = kind === 'announcement' ? rng.pick(leaders) : ctx.pickMember(rng, community);
  }
  const own = ctx.org.people[author]!.skills.filter((s) => c.topics.includes(s));
  const subject = own.length > 0 && rng.chance(0.5) ? rng.pick(own) : rng.pick(c.topics.length > 0 ? c.topics : ['Innovation']);
  return { community, author, kind, subject, time: ctx.workTime(rng, author) };
}

interface CommentDraft {
  index: number;
  author: number;
  time: number;
  parent: number;
  body: string;
  mention?: number;
}

/** Writes one post with its comments, reactions, mentions and topics into the buffers. */
export function emitPost(ctx: ContentContext, i: number, spec: PostSpec, rng: Rng, b: ContentBuffers, n: ContentCounts): void {
  const people = ctx.org.people;
  const author = people[spec.author]!;
  const community = ctx.communities[spec.community]!;
  const lang: Lang = author.lang;
  const postId = ctx.postId(i);
  const slug = slugify(spec.subject);
  const vars: Record<string, string> = {
    s: spec.subject,
    slug,
    city: OFFICES[author.office]!.name,
    dept: DEPARTMENTS[author.dept]!.name,
  };
  const mentioned = new Set<number>();
  const others = community.members.length > 1;
  const mentionSomeone = (): string => {
    let m = spec.author;
    for (let t = 0; t < 5 && m === spec.author && others; t++) m = rng.pick(community.members);
    if (m === spec.author) m = spec.author === 0 ? 1 : 0;
    mentioned.add(m);
    return mentionToken(ctx, m);
  };

  let title = '';
  let body = '';
  let data: Record<string, unknown> = {};
  let pinnedUntil: number | null = null;
  switch (spec.kind) {
    case 'discussion': {
      if (rng.chance(0.6)) title = fill(rng.pick(DISCUSSION_TITLES[lang]), vars, author.gender);
      const middle = rng.pick(DISCUSSION_MIDDLES[lang]);
      if (middle.includes('{mention}')) vars.mention = mentionSomeone();
      body = [rng.pick(DISCUSSION_OPENERS[lang]), middle, rng.pick(DISCUSSION_CLOSINGS[lang])].map((x) => fill(x, vars, author.gender)).join('\n\n');
      break;
    }
    case 'question':
      title = fill(rng.pick(QUESTION_TITLES[lang]), vars, author.gender);
      body = fill(rng.pick(QUESTION_BODIES[lang]), vars, author.gender);
      break;
    case 'announcement': {
      if (spec.mustRead !== undefined) {
        const [t, text] = MUST_READS[spec.mustRead % MUST_READS.length]!;
        title = t;
        body = text;
        pinnedUntil = spec.time + 14 * DAY;
        data = { audience: 'everyone', acknowledgementRequired: true };
      } else {
        const [t, text] = rng.pick(ANNOUNCEMENTS[lang]);
        title = fill(t, vars, author.gender);
        body = fill(text, vars, author.gender);
        if (community.orgUnit && 'department' in community.orgUnit) data = { audience: { department: community.orgUnit.department } };
      }
      break;
    }
    case 'idea':
      title = fill(rng.pick(IDEAS[lang]), vars, author.gender);
      body = fill(rng.pick(IDEA_BODIES[lang]), vars, author.gender);
      data = {
        status: rng.weighted([...ideaStatuses], [40, 25, 15, 10, 10]),
        votes: Math.round(rng.exponential(8)),
      };
      break;
    case 'poll': {
      const [question, ...options] = rng.pick(POLLS[lang]);
      title = fill(question!, vars, author.gender);
      body = lang === 'fr' ? 'Votez avant la fin de la semaine, merci !' : 'Please vote by the end of the week, thanks!';
      data = {
        options: options.map((label, k) => ({ id: String.fromCharCode(97 + k), label })),
        multiple: rng.chance(0.25),
        closesAt: iso(spec.time + rng.int(3, 14) * DAY),
      };
      break;
    }
    case 'event': {
      title = fill(rng.pick(EVENTS[lang]), vars, author.gender);
      body = fill(rng.pick(EVENT_BODIES[lang]), vars, author.gender);
      const offset = OFFICES[author.office]!.utcOffset;
      const day = Math.floor(spec.time / DAY) + rng.int(2, 30);
      const startsAt = day * DAY + Math.round((rng.pick([9, 12, 12.5, 17.5, 18]) - offset) * HOUR);
      const endsAt = startsAt + rng.pick([1, 1.5, 2, 3]) * HOUR;
      data = rng.chance(0.6)
        ? { startsAt: iso(startsAt), endsAt: iso(endsAt), place: OFFICES[author.office]!.address, capacity: rng.pick([12, 20, 30, 50, 80, 120, 200]) }
        : { startsAt: iso(startsAt), endsAt: iso(endsAt), onlineUrl: `https://meet.hexagone.example/e/${postId.slice(0, 8)}`, capacity: rng.pick([50, 100, 300, 500]) };
      break;
    }
  }
  if (spec.mustRead === undefined && rng.chance(0.1) && others) {
    body += `\n\ncc ${mentionSomeone()}`;
  }
  // Hashtags: the subject, sometimes a second topic of the community.
  const topics = [spec.subject];
  const second = community.topics.length > 1 && rng.chance(0.3) ? rng.pick(community.topics) : undefined;
  if (second && second !== spec.subject) topics.push(second);
  const usable = topics.filter((t) => ctx.topicIds.has(t));
  if (spec.mustRead === undefined && usable.length > 0) body += `\n\n${usable.map((t) => `#${slugify(t)}`).join(' ')}`;

  // Comments.
  const drafts: CommentDraft[] = [];
  const mean = ctx.meanComments * ctx.commentsFactor * COMMENT_FACTOR[spec.kind] * (spec.mustRead !== undefined ? 4 : 1);
  let count = Math.min(40, rng.poisson(mean));
  if (spec.answeredBy !== undefined) count = Math.max(count, 1) + 1;
  if (community.members.length < 2 && spec.answeredBy === undefined) count = 0;
  const times: number[] = [];
  let t = spec.time;
  for (let k = 0; k < count; k++) {
    t += Math.round(rng.exponential(k === 0 ? 3 * HOUR : 5 * HOUR)) + 60_000;
    times.push(t);
  }
  for (let k = 0; k < times.length; k++) {
    if (times[k]! >= ctx.end - 1000) times[k] = spec.time + Math.floor(rng.next() * (ctx.end - 1000 - spec.time));
  }
  times.sort((a, b) => a - b);
  const expertSlot = spec.answeredBy !== undefined ? rng.int(0, Math.max(0, count - 2)) : -1;
  const holders = ctx.skillHolders.get(spec.subject) ?? [];
  const topLevel: number[] = [];
  for (let k = 0; k < times.length; k++) {
    let parent = -1;
    let commenter: number;
    let text: string;
    let mention: number | undefined;
    const isAnswerTurn = spec.kind === 'question';
    if (k === expertSlot) {
      commenter = spec.answeredBy!;
    } else if (topLevel.length > 0 && rng.chance(spec.answeredBy !== undefined && k === count - 1 ? 1 : 0.25)) {
      parent = spec.answeredBy !== undefined ? (drafts[expertSlot]?.index ?? rng.pick(topLevel)) : rng.pick(topLevel);
      commenter = isAnswerTurn && rng.chance(0.6) ? spec.author : ctx.pickMember(rng, spec.community);
    } else if (isAnswerTurn && holders.length > 0 && rng.chance(0.5)) {
      commenter = rng.pick(holders);
      if (!ctx.canSee(spec.community, commenter)) commenter = ctx.pickMember(rng, spec.community);
    } else {
      commenter = ctx.pickMember(rng, spec.community);
    }
    if (commenter === spec.author && parent < 0 && community.members.length > 1) commenter = ctx.pickMember(rng, spec.community);
    const c = people[commenter]!;
    const parentDraft = parent >= 0 ? drafts.find((d) => d.index === parent) : undefined;
    if (parentDraft) {
      const parentPerson = people[parentDraft.author]!;
      const pool = spec.kind === 'question' && commenter === spec.author ? THANKS_ANSWER[c.lang] : REPLIES[c.lang];
      text = fill(rng.pick(pool), { name: parentPerson.given }, c.gender);
      if (rng.chance(0.4) && parentDraft.author !== commenter) {
        text = `${mentionToken(ctx, parentDraft.author)} ${text}`;
        mention = parentDraft.author;
      }
    } else if (spec.kind === 'question') {
      text = fill(rng.pick(ANSWERS[c.lang]), vars, c.gender);
    } else {
      text = fill(rng.pick(COMMENTS[c.lang]), vars, c.gender);
    }
    const index = i * 64 + k;
    if (parent < 0) topLevel.push(index);
    drafts.push({ index, author: commenter, time: times[k]!, parent, body: text, mention });
  }

  // The accepted answer: the planted expert's, or about 60% of questions.
  let accepted: CommentDraft | undefined;
  if (spec.kind === 'question') {
    if (spec.answeredBy !== undefined) accepted = drafts[expertSlot];
    else if (rng.chance(0.66)) {
      const candidates = drafts.filter((d) => d.parent < 0 && d.author !== spec.author);
      accepted = candidates.find((d) => people[d.author]!.skills.includes(spec.subject)) ?? candidates[0];
    }
  }
  const lastActivity = drafts.length > 0 ? Math.max(spec.time, ...drafts.map((d) => d.time)) : spec.time;

  b.posts.push(
    postId, ctx.communityIds[spec.community]!, ctx.personIds[spec.author]!, spec.kind, title, body, renderDemoMarkdown(body),
    JSON.stringify(data), spec.mustRead !== undefined, 1, pinnedUntil === null ? null : pinnedUntil, spec.time,
    spec.time, lastActivity,
  );
  n.posts++;
  n.postsByKind[spec.kind]++;
  for (const topic of usable) {
    b.postTopics.push(postId, ctx.topicIds.get(topic)!, spec.time);
    n.postTopics++;
  }
  for (const m of mentioned) {
    b.mentions.push('post', postId, 'person', ctx.personIds[m]!, spec.time);
    n.mentions++;
  }
  for (const d of drafts) {
    const id = ctx.commentId(d.index);
    b.comments.push(id, postId, d.parent >= 0 ? ctx.commentId(d.parent) : null, ctx.personIds[d.author]!, d.body, renderDemoMarkdown(d.body), d.time, d.time);
    n.comments++;
    if (d.mention !== undefined) {
      b.mentions.push('comment', id, 'person', ctx.personIds[d.mention]!, d.time);
      n.mentions++;
    }
  }
  if (accepted) {
    b.accepted.posts.push(postId);
    b.accepted.comments.push(ctx.commentId(accepted.index));
    n.acceptedAnswers++;
  }

  // Reactions: distinct people per item, never the item's author.
  const members = community.members;
  const postMean = ctx.meanPostReactions * REACTION_FACTOR[spec.kind] * (spec.mustRead !== undefined ? 10 : 1);
  reactExact('post', postId, spec.author, spec.time, Math.min(members.length - 1, rng.poisson(postMean)), REACTION_WEIGHTS[spec.kind]);
  for (const d of drafts) {
    const extra = d === accepted ? 2 : 0;
    const k = Math.min(members.length - 1, rng.poisson(ctx.meanCommentReactions + extra));
    reactExact('comment', ctx.commentId(d.index), d.author, d.time, k, REACTION_WEIGHTS.discussion);
  }

  function reactExact(type: 'post' | 'comment', targetId: string, owner: number, at: number, k: number, weights: readonly number[]): void {
    if (k <= 0) return;
    let left = k;
    for (const x of rng.distinct(members.length, k + 1)) {
      if (left === 0) break;
      const who = members[x]!;
      if (who === owner) continue;
      left--;
      const when = Math.min(ctx.end - 1000, at + 30_000 + Math.round(rng.exponential(6 * HOUR)));
      b.reactions.push(type, targetId, ctx.personIds[who]!, rng.weighted(REACTION_KINDS, weights), when);
      n.reactions++;
    }
  }
}

export interface KudosBuffers {
  kudos: RowBuffer;
  recipients: RowBuffer;
}

export function randomKudosSpec(ctx: ContentContext, rng: Rng): KudosSpec {
  const people = ctx.org.people;
  const giver = ctx.pickPerson(rng);
  const g = people[giver]!;
  const count = rng.weighted([1, 2, 3], [78, 17, 5]);
  const recipients = new Set<number>();
  for (let tries = 0; recipients.size < count && tries < 20; tries++) {
    const r = rng.next();
    let who: number;
    if (r < 0.55) {
      const team = [...ctx.org.reports[giver]!, ...(g.manager >= 0 ? [g.manager, ...ctx.org.reports[g.manager]!] : [])];
      who = team.length > 0 ? rng.pick(team) : rng.pick(ctx.org.byDept[g.dept]!);
    } else if (r < 0.9) who = rng.pick(ctx.org.byDept[g.dept]!);
    else who = rng.int(0, people.length - 1);
    if (who !== giver) recipients.add(who);
  }
  if (recipients.size === 0) recipients.add(giver === 0 ? 1 : 0);
  const first = people[[...recipients][0]!]!;
  const subject = rng.pick(first.skills.length > 0 ? first.skills : g.skills);
  const value = rng.weighted(KUDOS_VALUES, [35, 20, 15, 10, 20]);
  return { giver, recipients: [...recipients], value, subject, time: ctx.workTime(rng, giver) };
}

export function emitKudos(ctx: ContentContext, id: string, spec: KudosSpec, rng: Rng, b: KudosBuffers, n: { kudos: number; recipients: number }): void {
  const people = ctx.org.people;
  const g = people[spec.giver]!;
  const names = spec.recipients.map((r) => people[r]!.given);
  const joined = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} ${g.lang === 'fr' ? 'et' : 'and'} ${names[names.length - 1]!}`;
  const message = fill(rng.pick(KUDOS[g.lang][spec.value]!), { name: joined, s: spec.subject }, g.gender);
  let visibility: 'public' | 'community' | 'private' = spec.visibility ?? rng.weighted(['public', 'community', 'private'], [85, 10, 5]);
  let communityId: string | null = null;
  if (visibility === 'community') {
    const deptCommunity = ctx.deptCommunity.get(g.dept);
    if (deptCommunity !== undefined && spec.recipients.every((r) => people[r]!.dept === g.dept)) communityId = ctx.communityIds[deptCommunity]!;
    else visibility = 'public';
  }
  b.kudos.push(id, ctx.personIds[spec.giver]!, spec.value, message, visibility, communityId, spec.time);
  n.kudos++;
  for (const r of spec.recipients) {
    b.recipients.push(id, ctx.personIds[r]!);
    n.recipients++;
  }
}
