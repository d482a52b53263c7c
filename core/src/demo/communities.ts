/**
 * The communities of the demo organisation: one official announcement channel for the
 * whole company, one org-unit community per department, the hand-written templates, then
 * generated teams, interests, professions and projects up to the requested count.
 */
import {
  COMMUNITY_TEMPLATES, DEPARTMENTS, INTERESTS, OFFICES, PROJECT_CODENAMES, PROJECT_GOALS,
  type CommunityKind, type CommunityTemplate, type Visibility,
} from './catalogue.js';
import type { Org } from './org.js';
import { fill } from './org.js';
import { Rng } from './random.js';
import { slugify } from './text.js';

export type MemberRole = 'owner' | 'moderator' | 'expert' | 'member';

export interface CommunityPlan {
  index: number;
  slug: string;
  name: string;
  description: string;
  kind: CommunityKind;
  visibility: Visibility;
  official: boolean;
  restricted: boolean;
  /** For org units: {"department": ...} or {"managerIndex": ...} (turned into managerId when written). */
  orgUnit: { department: string } | { managerIndex: number; subtree: true } | null;
  topics: string[];
  /** Active members (person indexes). */
  members: number[];
  roles: Map<number, Exclude<MemberRole, 'member'>>;
  requested: number[];
  invited: number[];
  createdBy: number;
  /** Days before the start of the content window. */
  age: number;
  /** Department the community belongs to (-1 when none). */
  dept: number;
}

/** The smallest number of communities: the channel, the departments and six templates. */
export const MIN_COMMUNITIES = 1 + DEPARTMENTS.length + 6;

export function defaultCommunityCount(people: number): number {
  return Math.max(DEPARTMENTS.length + 1 + 11, Math.round(people / 25));
}

export function buildCommunities(seed: number, org: Org, count: number): CommunityPlan[] {
  const people = org.people;
  const n = people.length;
  const plans: CommunityPlan[] = [];
  const slugs = new Set<string>();
  const uniqueSlug = (name: string): string => {
    const base = slugify(name) || 'communaute';
    let slug = base;
    for (let k = 2; slugs.has(slug); k++) slug = `${base}-${k}`;
    slugs.add(slug);
    return slug;
  };
  const skillHolders = new Map<string, number[]>();
  for (const p of people) for (const s of p.skills) {
    let list = skillHolders.get(s);
    if (!list) skillHolders.set(s, (list = []));
    list.push(p.index);
  }
  const communicators = people.filter((p) => p.roles.includes('communicator')).map((p) => p.index);

  function add(
    base: Omit<CommunityPlan, 'index' | 'slug' | 'roles' | 'requested' | 'invited' | 'createdBy' | 'age'>,
    owner: number | undefined,
  ): CommunityPlan {
    const r = new Rng(seed, 'community', plans.length);
    const members = [...new Set(base.members)];
    if (members.length === 0) members.push(owner ?? 0);
    const ownerIndex = owner ?? weightedMember(r, members);
    if (!members.includes(ownerIndex)) members.push(ownerIndex);
    const roles = new Map<number, Exclude<MemberRole, 'member'>>();
    roles.set(ownerIndex, 'owner');
    const moderators = members.length > 8 ? r.int(0, 2) : 0;
    for (let m = 0; m < moderators; m++) {
      const who = r.pick(members);
      if (!roles.has(who)) roles.set(who, 'moderator');
    }
    const topicSet = new Set(base.topics);
    const experts = members.filter((x) => !roles.has(x) && people[x]!.skills.some((s) => topicSet.has(s)));
    for (const x of r.shuffle(experts).slice(0, members.length > 5 ? r.int(1, 3) : 0)) roles.set(x, 'expert');
    const memberSet = new Set(members);
    const requested: number[] = [];
    const invited: number[] = [];
    if (base.visibility !== 'public') {
      const want = base.visibility === 'private' ? r.int(1, 4) : r.int(1, 2);
      for (let tries = 0; tries < 50 && requested.length + invited.length < want; tries++) {
        const who = r.int(0, n - 1);
        if (memberSet.has(who)) continue;
        memberSet.add(who);
        (base.visibility === 'private' ? requested : invited).push(who);
      }
    }
    const plan: CommunityPlan = {
      ...base,
      index: plans.length,
      slug: uniqueSlug(base.name),
      members,
      roles,
      requested,
      invited,
      createdBy: ownerIndex,
      age: base.kind === 'org_unit' ? r.int(300, 900) : r.int(10, 700),
    };
    plans.push(plan);
    return plan;
  }

  function weightedMember(r: Rng, members: readonly number[]): number {
    let best = members[0]!;
    let bestScore = -1;
    for (let k = 0; k < Math.min(8, members.length); k++) {
      const who = r.pick(members);
      const score = people[who]!.activity * r.next();
      if (score > bestScore) {
        bestScore = score;
        best = who;
      }
    }
    return best;
  }

  // 1. The official announcement channel of the whole company.
  const channel = add(
    {
      name: 'Hexagone — Annonces officielles',
      description: "Les annonces officielles de l'entreprise. / Official company announcements.",
      kind: 'org_unit', visibility: 'public', official: true, restricted: true,
      orgUnit: { managerIndex: org.ceo, subtree: true },
      topics: ['RSE', 'Télétravail', 'Vie de bureau'],
      members: people.map((p) => p.index), dept: -1,
    },
    0,
  );
  channel.roles.set(org.ceo, 'owner');
  for (const c of communicators) channel.roles.set(c, 'moderator');

  // 2. One org unit per department, with all its people.
  DEPARTMENTS.forEach((d, di) => {
    const members = org.byDept[di]!;
    const head = members.find((x) => people[x]!.level === (di === 0 ? 1 : 2)) ?? members[0]!;
    add(
      {
        name: d.name,
        description: `Espace officiel du département ${d.name}. / Official space of the ${d.name} department.`,
        kind: 'org_unit', visibility: 'public', official: true, restricted: false,
        orgUnit: { department: d.name }, topics: [...d.skills], members, dept: di,
      },
      head,
    );
  });

  // 3. Hand-written communities, then generated ones.
  const deptIndex = new Map(DEPARTMENTS.map((d, i) => [d.key, i]));
  const managers = people.filter((p) => org.reports[p.index]!.length > 0).map((p) => p.index);
  function audienceOf(t: Pick<CommunityTemplate, 'departments' | 'office' | 'audience'>): number[] {
    if (t.departments) return t.departments.flatMap((k) => org.byDept[deptIndex.get(k) ?? 0]!);
    if (t.office) {
      const o = OFFICES.findIndex((x) => x.name === t.office);
      return people.filter((p) => p.office === o).map((p) => p.index);
    }
    if (t.audience === 'managers') return managers;
    return people.map((p) => p.index);
  }
  function sample(r: Rng, audience: readonly number[], share: number, min: number, max: number): number[] {
    const out: number[] = [];
    for (const x of audience) if (r.chance(share)) out.push(x);
    if (out.length < min) for (const x of r.distinct(audience.length, min)) out.push(audience[x]!);
    return out.length > max ? r.shuffle(out).slice(0, max) : out;
  }

  const templates = [...COMMUNITY_TEMPLATES];
  const usedInterestOffices = new Set(templates.filter((t) => t.office).map((t) => `${t.topics[0]}|${t.office}`));
  const usedProfessions = new Set(templates.filter((t) => t.kind === 'profession').map((t) => t.topics[0]!));
  const generators: Record<CommunityKind, Iterator<void, void>> = {
    org_unit: teams(),
    interest: interests(),
    profession: professions(),
    project: projects(),
  };
  const cycle: CommunityKind[] = ['project', 'org_unit', 'interest', 'profession', 'project', 'org_unit', 'profession', 'interest'];

  for (let k = 0; plans.length < count; k++) {
    const t = templates[k];
    if (t) {
      const r = new Rng(seed, 'template', k);
      const audience = audienceOf(t);
      const members = sample(r, audience, t.share, Math.min(5, audience.length), 3000);
      if (t.audience === 'everyone' && !members.includes(0)) members.push(0);
      if (t.visibility === 'secret' && t.departments?.includes('exec') && !members.includes(org.ceo)) members.push(org.ceo);
      const owner = t.name.startsWith('Bienvenue') ? 0 : undefined;
      add({
        name: t.name, description: t.description, kind: t.kind, visibility: t.visibility,
        official: t.official ?? false, restricted: false, orgUnit: null, topics: [...t.topics], members,
        dept: t.departments ? (deptIndex.get(t.departments[0]!) ?? -1) : -1,
      }, owner);
      continue;
    }
    // Generated: take the kinds in turn, skipping a kind whose source is exhausted.
    let made = false;
    for (let attempt = 0; attempt < cycle.length && !made; attempt++) {
      const kind = cycle[(k + attempt) % cycle.length]!;
      made = generators[kind].next().done !== true;
    }
    if (!made) break;
  }
  return plans;

  function* teams(): Generator<void, void> {
    const candidates = managers
      .filter((m) => people[m]!.level >= 3)
      .sort((a, b) => people[a]!.level - people[b]!.level || a - b);
    for (const m of candidates) {
      const p = people[m]!;
      const members: number[] = [];
      const stack = [m];
      while (stack.length > 0) {
        const x = stack.pop()!;
        members.push(x);
        for (const c of org.reports[x]!) stack.push(c);
      }
      const d = DEPARTMENTS[p.dept]!;
      add({
        name: p.lang === 'fr' ? `${d.name} — équipe de ${p.displayName}` : `${d.name} — ${p.displayName}'s team`,
        description: p.lang === 'fr' ? `L'équipe de ${p.displayName} (${p.title}).` : `${p.displayName}'s team (${p.title}).`,
        kind: 'org_unit', visibility: 'public', official: true, restricted: false,
        orgUnit: { managerIndex: m, subtree: true }, topics: [...d.skills.slice(0, 4)], members, dept: p.dept,
      }, m);
      yield;
    }
  }

  function* interests(): Generator<void, void> {
    for (const office of OFFICES) {
      for (const [topic, fr, en] of INTERESTS) {
        if (usedInterestOffices.has(`${topic}|${office.name}`)) continue;
        const r = new Rng(seed, `interest|${topic}|${office.name}`);
        const french = office.language.startsWith('fr');
        const audience = audienceOf({ office: office.name });
        if (audience.length < 3) continue;
        add({
          name: `${topic} — ${office.name}`,
          description: french ? `Pour les amateurs de ${fr.replace(/^(la |le |les |l')/, '')} au bureau de ${office.name}.` : `For everyone into ${en} at the ${office.name} office.`,
          kind: 'interest', visibility: r.chance(0.08) ? 'private' : 'public', official: false, restricted: false,
          orgUnit: null, topics: [topic], members: sample(r, audience, 0.1, 3, 2500), dept: -1,
        }, undefined);
        yield;
      }
    }
  }

  function* professions(): Generator<void, void> {
    const skills = [...new Set(DEPARTMENTS.flatMap((d) => d.skills))];
    for (const skill of skills) {
      if (usedProfessions.has(skill)) continue;
      const holders = skillHolders.get(skill) ?? [];
      if (holders.length < 3) continue;
      const r = new Rng(seed, `profession|${skill}`);
      const french = r.chance(0.5);
      add({
        name: french ? `Communauté ${skill}` : `${skill} community`,
        description: french ? `Entraide et partage de pratiques autour de ${skill}.` : `Help and shared practices around ${skill}.`,
        kind: 'profession', visibility: 'public', official: r.chance(0.15), restricted: false, orgUnit: null,
        topics: [skill], members: sample(r, holders, 0.6, 3, 3000),
        dept: DEPARTMENTS.findIndex((d) => d.skills.includes(skill)),
      }, undefined);
      yield;
    }
  }

  function* projects(): Generator<void, void> {
    for (let k = 0; ; k++) {
      const r = new Rng(seed, 'project', k);
      const codename = PROJECT_CODENAMES[k % PROJECT_CODENAMES.length]!;
      const round = Math.floor(k / PROJECT_CODENAMES.length);
      const di = r.int(1, DEPARTMENTS.length - 1);
      const d = DEPARTMENTS[di]!;
      const subject = r.pick(d.skills);
      const french = r.chance(0.55);
      const goal = fill(r.pick(PROJECT_GOALS)[french ? 0 : 1], { s: subject });
      const other = r.int(1, DEPARTMENTS.length - 1);
      const audience = [...org.byDept[di]!, ...org.byDept[other]!];
      const size = r.int(5, 60);
      const label = round === 0 ? codename : `${codename} ${round + 1}`;
      add({
        name: `${french ? 'Projet' : 'Project'} ${label} — ${goal}`,
        description: french ? `Le projet ${label} : ${goal.toLowerCase()}. Suivi, décisions et documents.` : `Project ${label}: ${goal.toLowerCase()}. Updates, decisions and documents.`,
        kind: 'project', visibility: r.chance(0.2) ? 'private' : 'public', official: false, restricted: false,
        orgUnit: null, topics: [subject, 'Gestion de projet'],
        members: r.distinct(audience.length, size).map((x) => audience[x]!), dept: di,
      }, undefined);
      yield;
    }
  }
}
