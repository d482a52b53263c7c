/**
 * The people of the demo organisation: departments, an org chart 4 to 6 levels deep from
 * the CEO, offices, languages, names, titles, roles, declared skills and biographies.
 */
import {
  CROSS_SKILLS, DEPARTMENTS, FIRST_NAMES, INTERESTS, LAST_NAMES, OFFICES, langOf,
  type Lang, type NameOrigin, type Title,
} from './catalogue.js';
import { BIOGRAPHIES } from './phrases.js';
import { Rng } from './random.js';
import { mailPart } from './text.js';

export const DEMO_DOMAIN = 'hexagone.example';

export interface DemoPerson {
  index: number;
  given: string;
  surname: string;
  displayName: string;
  upn: string;
  gender: 'f' | 'm';
  dept: number;
  /** 1 for the CEO, 2 for department heads, and so on. */
  level: number;
  office: number;
  lang: Lang;
  manager: number;
  title: string;
  roles: string[];
  /** Declared skills, as names. */
  skills: string[];
  proficiency: string[];
  biography: string | null;
  /** Relative propensity to write (most people mostly read). */
  activity: number;
  hiredDaysAgo: number;
}

export interface Org {
  people: DemoPerson[];
  /** People of each department (indexes into people). */
  byDept: number[][];
  reports: number[][];
  ceo: number;
  /** Target depth of each department (levels from the CEO, the CEO counting as 1). */
  depthByDept: number[];
}

function gendered(s: string, gender: 'f' | 'm'): string {
  return s.replace(/([^\s|,]*)\|([^\s|,.!]*)/g, (_m, masc: string, fem: string) => (gender === 'f' ? fem : masc));
}

export function titleFor(t: Title, lang: Lang, gender: 'f' | 'm'): string {
  if (lang === 'en') return t[0];
  const [masculine, feminine] = t[1].split('|');
  return (gender === 'f' ? feminine : masculine) ?? t[1];
}

export function fill(template: string, vars: Record<string, string>, gender: 'f' | 'm' = 'm'): string {
  const text = template.includes('|') ? gendered(template, gender) : template;
  return text.includes('{') ? text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m) : text;
}

/** Sizes of each level of a department tree with `levels` levels and `n` people (non-decreasing). */
function levelSizes(n: number, levels: number): number[] {
  let lo = 1;
  let hi = Math.max(2, n);
  for (let it = 0; it < 60; it++) {
    const s = (lo + hi) / 2;
    let sum = 0;
    for (let k = 0; k < levels; k++) sum += s ** k;
    if (sum > n) hi = s;
    else lo = s;
  }
  const sizes = [1];
  let used = 1;
  for (let k = 1; k < levels - 1; k++) {
    const size = Math.max(sizes[k - 1]!, Math.round(lo ** k));
    sizes.push(size);
    used += size;
  }
  sizes.push(n - used);
  // The last level must be at least as large as the one above it, and never empty.
  while (sizes.length >= 3 && sizes[levels - 1]! < sizes[levels - 2]! && sizes[levels - 2]! > sizes[levels - 3]!) {
    sizes[levels - 2]!--;
    sizes[levels - 1]!++;
  }
  return sizes;
}

function departmentSizes(total: number): number[] {
  const exec = 4 + Math.floor(total / 2000);
  const rest = total - 1 - exec; // the CEO counts in the executive office separately
  const others = DEPARTMENTS.slice(1);
  const weightSum = others.reduce((a, d) => a + d.weight, 0);
  const sizes = others.map((d) => Math.max(3, Math.floor((rest * d.weight) / weightSum)));
  let diff = rest - sizes.reduce((a, b) => a + b, 0);
  let i = 0;
  while (diff !== 0) {
    const k = i % sizes.length;
    if (diff > 0) {
      sizes[k]!++;
      diff--;
    } else if (sizes[k]! > 3) {
      sizes[k]!--;
      diff++;
    }
    i++;
  }
  return [exec + 1, ...sizes];
}

function pickDepth(n: number, rng: Rng): number {
  if (n < 10) return 4;
  if (n < 40) return rng.chance(0.35) ? 4 : 5;
  if (n < 400) return 5;
  return 6;
}

interface Slot {
  dept: number;
  /** Level inside the department, 0 for its head (for the executive office: the CEO). */
  k: number;
  levels: number;
  managerSlot: number;
}

export function buildOrg(seed: number, total: number, yearNow: number): Org {
  const rng = new Rng(seed, 'org');
  const sizes = departmentSizes(total);
  const slots: Slot[] = [];
  const depthByDept: number[] = [];
  // Executive office: the CEO, a chief of staff, strategy leads, analysts and assistants (4 levels).
  {
    const n = sizes[0]!;
    const lead = Math.max(1, Math.floor((n - 2) / 5));
    const exec = [1, 1, lead, n - 2 - lead];
    depthByDept.push(4);
    pushTree(0, exec, -1);
  }
  for (let d = 1; d < DEPARTMENTS.length; d++) {
    const n = sizes[d]!;
    const depth = pickDepth(n, rng);
    depthByDept.push(depth);
    pushTree(d, levelSizes(n, depth - 1), 0);
  }

  function pushTree(dept: number, levelCounts: number[], rootManager: number): void {
    let previous: number[] = [];
    for (let k = 0; k < levelCounts.length; k++) {
      const count = levelCounts[k]!;
      const current: number[] = [];
      for (let j = 0; j < count; j++) {
        const managerSlot = k === 0 ? rootManager : previous[Math.floor((j * previous.length) / count)]!;
        current.push(slots.length);
        slots.push({ dept, k, levels: levelCounts.length, managerSlot });
      }
      previous = current;
    }
  }

  // Person indexes: 0 is the demo sign-in (internal communications, Marketing), 1 the CEO.
  const mktDept = DEPARTMENTS.findIndex((d) => d.key === 'mkt');
  const camilleSlot = slots.findIndex((s) => s.dept === mktDept && s.k === 1);
  const indexOfSlot = new Array<number>(slots.length);
  let next = 1;
  for (let s = 0; s < slots.length; s++) indexOfSlot[s] = s === camilleSlot ? 0 : next++;

  const people = new Array<DemoPerson>(total);
  const upnCounts = new Map<string, number>();
  const byDept: number[][] = DEPARTMENTS.map(() => []);
  const reports: number[][] = Array.from({ length: total }, () => []);
  const hrDept = DEPARTMENTS.findIndex((d) => d.key === 'hr');
  let hrRoles = 0;
  let communicators = 0;

  // Slots are in breadth-first order per department, so a manager is always made before
  // their reports.
  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s]!;
    const i = indexOfSlot[s]!;
    const r = new Rng(seed, 'person', i);
    const dept = DEPARTMENTS[slot.dept]!;
    const manager = slot.managerSlot >= 0 ? indexOfSlot[slot.managerSlot]! : -1;
    const managerPerson = manager >= 0 ? people[manager] : undefined;
    let office: number;
    if (i <= 1) office = 0;
    else if (slot.k === 0) office = r.weighted([0, 2, 1, 3], [70, 15, 10, 5]);
    else if (managerPerson && r.chance(0.6)) office = managerPerson.office;
    else office = r.weighted(OFFICES.map((_, x) => x), OFFICES.map((o) => o.weight));
    const officeInfo = OFFICES[office]!;
    const lang = langOf(officeInfo.language);
    let gender: 'f' | 'm' = r.chance(0.5) ? 'f' : 'm';
    let given: string;
    let surname: string;
    if (i === 0) {
      gender = 'f';
      given = 'Camille';
      surname = 'Martin';
    } else {
      const origins: NameOrigin[] = ['fr', 'en', 'de'];
      const origin = r.weighted(origins, origins.map((o) => officeInfo.names[o]));
      given = r.pick(FIRST_NAMES[origin][gender]);
      // Surnames mostly follow first names, sometimes not (mixed families, marriages).
      surname = r.pick(LAST_NAMES[r.chance(0.85) ? origin : r.pick(origins)]);
    }
    const base = `${mailPart(given)}.${mailPart(surname)}`;
    const seen = (upnCounts.get(base) ?? 0) + 1;
    upnCounts.set(base, seen);
    const upn = `${seen === 1 ? base : `${base}${seen}`}@${DEMO_DOMAIN}`;

    const last = slot.k === slot.levels - 1;
    let titleDef: Title;
    if (slot.k === 0) titleDef = dept.head;
    else if (last) titleDef = r.pick(dept.ic);
    else {
      const middle = slot.levels === 4 ? [dept.manager, dept.lead] : slot.levels >= 5 ? [dept.senior, dept.manager, dept.lead] : [dept.manager];
      if (slot.dept === 0) titleDef = slot.k === 1 ? dept.senior : dept.manager;
      else titleDef = middle[slot.k - 1] ?? dept.manager;
    }
    const roles: string[] = [];
    if (i === 0) {
      titleDef = ['Head of Internal Communications', 'Responsable communication interne'];
      roles.push('admin', 'communicator');
    } else if (slot.dept === mktDept && last && communicators < 2) {
      titleDef = ['Internal Communications Officer', 'Chargé de communication interne|Chargée de communication interne'];
      roles.push('communicator');
      communicators++;
    } else if (slot.dept === hrDept && (slot.k === 0 || (last && hrRoles < 2))) {
      roles.push('hr');
      hrRoles++;
    }
    const title = titleFor(titleDef, lang, gender);

    // Declared skills: from the department's pool, sometimes one cross-functional skill.
    const nSkills = slot.k === 0 ? r.int(2, 3) : r.int(2, 5);
    const skills = r.distinct(dept.skills.length, nSkills).map((x) => dept.skills[x]!);
    if (r.chance(0.3)) {
      const cross = r.pick(CROSS_SKILLS);
      if (!skills.includes(cross)) skills.push(cross);
    }
    const proficiency = skills.map(() => r.weighted(['beginner', 'intermediate', 'advanced', 'expert'], [15, 40, 30, 15]));
    const hiredDaysAgo = i === 0 ? 6 * 365 : r.int(30, 16 * 365);
    let biography: string | null = null;
    if (i === 0) {
      biography = 'Responsable de la communication interne. Je fais vivre Ruche au quotidien : annonces, communautés, événements. Une question ? Écrivez-moi !';
    } else if (r.chance(0.8)) {
      const interest = r.pick(INTERESTS);
      biography = fill(r.pick(BIOGRAPHIES[lang]), {
        title,
        year: String(yearNow - Math.floor(hiredDaysAgo / 365)),
        skill1: skills[0] ?? '',
        skill2: skills[1] ?? skills[0] ?? '',
        city: officeInfo.name,
        interest: lang === 'fr' ? interest[1] : interest[2],
      }, gender);
    }
    const activity = i === 0 ? 10 : roles.includes('communicator') ? 6 : r.weighted([8, 2, 0.3], [12, 33, 55]);
    const person: DemoPerson = {
      index: i, given, surname, displayName: `${given} ${surname}`, upn, gender, dept: slot.dept,
      level: slot.dept === 0 ? slot.k + 1 : slot.k + 2, office, lang, manager, title, roles, skills, proficiency,
      biography, activity, hiredDaysAgo,
    };
    people[i] = person;
    byDept[slot.dept]!.push(i);
    if (manager >= 0) reports[manager]!.push(i);
  }
  return { people, byDept, reports, ceo: 1, depthByDept };
}
