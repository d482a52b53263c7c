/**
 * The simulated Entra tenant: users, groups, membership, skills, photos, SharePoint pages,
 * external connections. Generated users are computed from (seed, index) on demand, so a
 * tenant of 100,000 users costs almost nothing until it is changed; only changes are stored.
 * Every change bumps a version; delta tokens remember versions.
 */
import { hash32, hex, pick, unit } from './random.js';

export interface TenantOptions {
  seed?: number;
  users?: number;
  /** Number of groups; default max(1, users / 50). */
  groups?: number;
  /** Tenant domain for user principal names. */
  domain?: string;
  sites?: number;
  pagesPerSite?: number;
}

export interface SimUser {
  id: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  country: string | null;
  usageLocation: string | null;
  preferredLanguage: string | null;
  accountEnabled: boolean;
  createdDateTime: string;
}

export type SimUserProps = Omit<SimUser, 'id'>;

export interface SimGroup {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailNickname: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility: string | null;
  createdDateTime: string;
}

export interface SimSkill {
  id: string;
  displayName: string;
  proficiency: string;
  categories: string[];
  collaborationTags: string[];
  webUrl: string | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
  allowedAudiences: string;
}

export interface SimSite {
  id: string;
  /** The site's full title (GET /sites/{id} displayName). */
  displayName: string;
  webUrl: string;
  pages: SimSitePage[];
}

export interface SimSitePage {
  id: string;
  name: string;
  title: string;
  description: string;
  webUrl: string;
  pageLayout: string;
  promotionKind: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  publishingState: { level: string; versionId: string };
  createdBy: { user: { id: string; displayName: string | null } };
}

export interface SimExternalConnection {
  id: string;
  name: string;
  description: string | null;
  state: string;
  schema?: { baseType: string; properties: unknown[] };
  items: Map<string, unknown>;
}

export interface RecordedNotification {
  userId: string;
  body: Record<string, unknown>;
  at: number;
}

const firstNames = ['Alice', 'Bruno', 'Camille', 'David', 'Emma', 'Farid', 'Gabrielle', 'Hugo', 'Inès', 'Jules', 'Karim', 'Léa', 'Manon', 'Nathan', 'Olivia', 'Paul', 'Quentin', 'Rose', 'Sofia', 'Thomas', 'Ulysse', 'Valentine', 'William', 'Yasmine', 'Zoé', 'Chloé', 'Lucas', 'Amir', 'Sarah', 'Mei'];
const lastNames = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Smith', 'Jones', 'Taylor', 'Brown', 'Wilson', 'Nguyen', 'Garcia', 'Müller', 'Schmidt', 'Rossi', 'Lefèvre', 'Fontaine', 'Chevalier', 'Mercier', 'Blanc', 'Guerin', 'Boyer', 'Faure', 'Andre', 'Clément'];
const departments = ['Engineering', 'Sales', 'Marketing', 'Finance', 'Human Resources', 'Operations', 'Legal', 'Customer Support'];
const jobTitles = ['Engineer', 'Senior Engineer', 'Analyst', 'Consultant', 'Project Manager', 'Specialist', 'Team Lead', 'Coordinator', 'Designer', 'Architect'];
const offices: ReadonlyArray<{ office: string; country: string; language: string }> = [
  { office: 'Paris - La Défense', country: 'FR', language: 'fr-FR' },
  { office: 'Lyon - Part-Dieu', country: 'FR', language: 'fr-FR' },
  { office: 'London - King’s Cross', country: 'GB', language: 'en-GB' },
  { office: 'Montréal', country: 'CA', language: 'fr-CA' },
  { office: 'Berlin', country: 'DE', language: 'de-DE' },
  { office: 'New York', country: 'US', language: 'en-US' },
];
const skillNames = ['TypeScript', 'PostgreSQL', 'Negotiation', 'Public speaking', 'Azure', 'Power BI', 'Project management', 'Accounting', 'Employment law', 'UX research', 'Copywriting', 'Kubernetes', 'Data analysis', 'Customer success', 'Lean management', 'Python', 'SharePoint', 'Teams development', 'Contract law', 'Recruiting', 'French', 'German', 'Mentoring', 'Cybersecurity', 'Procurement', 'SEO', 'Facilitation', 'Excel', 'Budgeting', 'Change management'];
const proficiencies = ['elementary', 'limitedWorking', 'generalProfessional', 'advancedProfessional', 'expert'];
const collaborationTags = ['askMeAbout', 'ableToMentor', 'wantsToLearn', 'wantsToImprove'];
const groupTopics = ['Project', 'Community', 'Guild', 'Team', 'Club', 'Working group'];

const managerFanOut = 8;
const epoch = Date.UTC(2024, 0, 1);

function isoAt(offsetMinutes: number): string {
  return new Date(epoch + offsetMinutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A directory change kept for delta queries. */
interface MemberChange {
  version: number;
  user: number;
  added: boolean;
}

export class SimTenant {
  readonly seed: number;
  readonly domain: string;
  readonly tenantId: string;
  /** Current version; every change increments it. */
  version = 0;
  private readonly baseUserCount: number;
  private userCount: number;
  readonly groupCount: number;
  /** Per-user overrides (changed properties, or the whole user for created ones). */
  private readonly userPatches = new Map<number, Partial<SimUserProps> & { managerIndex?: number | null }>();
  private readonly deletedUsers = new Map<number, 'changed' | 'deleted'>();
  private readonly userChangedAt = new Map<number, number>();
  private readonly groupChangedAt = new Map<number, number>();
  private readonly deletedGroups = new Set<number>();
  private readonly groupPatches = new Map<number, Partial<SimGroup>>();
  private readonly addedMembers = new Map<number, Set<number>>();
  private readonly removedMembers = new Map<number, Set<number>>();
  private readonly memberLog = new Map<number, MemberChange[]>();
  private readonly skillOverrides = new Map<number, SimSkill[]>();
  readonly sites: SimSite[] = [];
  readonly connections = new Map<string, SimExternalConnection>();
  readonly notifications: RecordedNotification[] = [];

  constructor(options: TenantOptions = {}) {
    this.seed = options.seed ?? 1;
    this.baseUserCount = options.users ?? 100;
    this.userCount = this.baseUserCount;
    this.groupCount = options.groups ?? Math.max(1, Math.floor(this.baseUserCount / 50));
    this.domain = options.domain ?? 'contoso.example';
    this.tenantId = this.guid(0xfeed, 0);
    const siteCount = options.sites ?? 2;
    const pagesPerSite = options.pagesPerSite ?? 30;
    for (let s = 0; s < siteCount; s++) {
      const siteId = `${this.domain.split('.')[0]}.sharepoint.com,${this.guid(0x5173, s)},${this.guid(0x3eb, s)}`;
      const pages: SimSitePage[] = [];
      for (let p = 0; p < pagesPerSite; p++) {
        const news = hash32(this.seed, 0x9a9e, s, p) % 3 === 0;
        const author = this.baseUserCount > 0 ? hash32(this.seed, 0xa0, s, p) % this.baseUserCount : 0;
        const created = isoAt(60 * 24 * 200 + p * 600 + s * 7);
        const name = `${news ? 'news' : 'page'}-${s}-${p}.aspx`;
        pages.push({
          id: this.guid(0x9a9e + s, p),
          name,
          title: `${news ? 'News' : 'Page'} ${p}: ${pick(skillNames, this.seed, 0xb1, s, p)}`,
          description: `Generated page ${p} of site ${s}`,
          webUrl: `https://${this.domain.split('.')[0]}.sharepoint.com/sites/site${s}/SitePages/${name}`,
          pageLayout: news ? 'article' : pick(['article', 'home'], this.seed, 0xb2, s, p),
          promotionKind: news ? 'newsPost' : 'page',
          createdDateTime: created,
          lastModifiedDateTime: created,
          publishingState: { level: 'published', versionId: '1.0' },
          createdBy: { user: { id: this.userIdOf(author), displayName: this.baseUserCount > 0 ? this.generatedUser(author).displayName : null } },
        });
      }
      this.sites.push({
        id: siteId,
        displayName: `${pick(['Communication', 'Human Resources', 'Engineering', 'Plant'], this.seed, 0xb3, s, 0)} site ${s}`,
        webUrl: `https://${this.domain.split('.')[0]}.sharepoint.com/sites/site${s}`,
        pages,
      });
    }
  }

  // ---------- identifiers ----------

  private guid(kind: number, index: number): string {
    const a = hash32(this.seed, kind, index);
    const b = hash32(this.seed, kind, index, 1);
    return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-8${hex(kind, 3)}-${index.toString(16).padStart(12, '0')}`;
  }

  private indexOf(id: string, kind: number, limit: number): number | undefined {
    const match = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-([0-9a-f]{12})$/.exec(id.toLowerCase());
    if (!match) return undefined;
    const index = parseInt(match[1]!, 16);
    if (index >= limit || this.guid(kind, index) !== id.toLowerCase()) return undefined;
    return index;
  }

  userIdOf(index: number): string {
    return this.guid(0x05e, index);
  }

  /** Index of a live or deleted user id, undefined when unknown. */
  userIndex(id: string): number | undefined {
    return this.indexOf(id, 0x05e, this.userCount);
  }

  groupIdOf(index: number): string {
    return this.guid(0x6a0, index);
  }

  groupIndex(id: string): number | undefined {
    return this.indexOf(id, 0x6a0, this.groupCount);
  }

  get totalUsers(): number {
    return this.userCount;
  }

  // ---------- users ----------

  private generatedUser(i: number): SimUserProps {
    const first = pick(firstNames, this.seed, 1, i);
    const last = pick(lastNames, this.seed, 2, i);
    const place = pick(offices, this.seed, 3, i);
    let top = i;
    while (top > managerFanOut) top = Math.floor((top - 1) / managerFanOut);
    const department = i === 0 ? 'Executive' : departments[(top - 1) % departments.length]!;
    const ascii = (text: string) => text.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
    const upn = `${ascii(first)}.${ascii(last)}.${i}@${this.domain}`;
    return {
      displayName: `${first} ${last}`,
      givenName: first,
      surname: last,
      userPrincipalName: upn,
      mail: upn,
      jobTitle: i === 0 ? 'Chief Executive Officer' : i <= managerFanOut ? `Head of ${department}` : pick(jobTitles, this.seed, 4, i),
      department,
      officeLocation: place.office,
      country: place.country,
      usageLocation: place.country,
      preferredLanguage: place.language,
      accountEnabled: unit(this.seed, 5, i) >= 0.01,
      createdDateTime: isoAt(i),
    };
  }

  private baseManager(i: number): number | null {
    return i === 0 || i >= this.baseUserCount ? null : Math.floor((i - 1) / managerFanOut);
  }

  isUserLive(i: number): boolean {
    return i >= 0 && i < this.userCount && !this.deletedUsers.has(i);
  }

  /** The current user, or undefined when deleted or unknown. */
  user(i: number): SimUser | undefined {
    if (!this.isUserLive(i)) return undefined;
    const patch = this.userPatches.get(i);
    const base = i < this.baseUserCount ? this.generatedUser(i) : undefined;
    const { managerIndex: _ignored, ...props } = patch ?? {};
    return { id: this.userIdOf(i), ...(base as SimUserProps), ...props } as SimUser;
  }

  managerIndex(i: number): number | null {
    const patch = this.userPatches.get(i);
    const manager = patch && 'managerIndex' in patch ? (patch.managerIndex ?? null) : this.baseManager(i);
    return manager !== null && this.isUserLive(manager) ? manager : null;
  }

  /** Ids of live users, in directory order. */
  *userIndexes(from = 0, limit = this.userCount): Generator<number> {
    for (let i = from; i < limit; i++) if (!this.deletedUsers.has(i)) yield i;
  }

  private touchUser(i: number): void {
    this.version++;
    this.userChangedAt.set(i, this.version);
  }

  private resolveUser(idOrIndex: string | number): number {
    const i = typeof idOrIndex === 'number' ? idOrIndex : this.userIndex(idOrIndex);
    if (i === undefined || !this.isUserLive(i)) throw new Error(`Unknown user ${idOrIndex}`);
    return i;
  }

  /** Changes properties of a user (by id or index). */
  updateUser(idOrIndex: string | number, changes: Partial<SimUserProps>): void {
    const i = this.resolveUser(idOrIndex);
    this.userPatches.set(i, { ...this.userPatches.get(i), ...changes });
    this.touchUser(i);
  }

  setManager(idOrIndex: string | number, managerIdOrIndex: string | number | null): void {
    const i = this.resolveUser(idOrIndex);
    const manager = managerIdOrIndex === null ? null : this.resolveUser(managerIdOrIndex);
    this.userPatches.set(i, { ...this.userPatches.get(i), managerIndex: manager });
    this.touchUser(i);
  }

  disableUser(idOrIndex: string | number): void {
    this.updateUser(idOrIndex, { accountEnabled: false });
  }

  /** Deletes a user: soft ("changed", restorable) by default, or permanent ("deleted"). */
  deleteUser(idOrIndex: string | number, permanent = false): void {
    const i = this.resolveUser(idOrIndex);
    for (let g = 0; g < this.groupCount; g++) {
      if (this.isMember(g, i)) this.changeMembership(g, i, false);
    }
    this.deletedUsers.set(i, permanent ? 'deleted' : 'changed');
    this.touchUser(i);
  }

  addUser(props: Partial<SimUserProps> & { displayName: string }): string {
    const i = this.userCount++;
    const upn = props.userPrincipalName ?? `user${i}@${this.domain}`;
    this.userPatches.set(i, {
      givenName: null,
      surname: null,
      mail: upn,
      jobTitle: null,
      department: null,
      officeLocation: null,
      country: null,
      usageLocation: null,
      preferredLanguage: 'en-US',
      accountEnabled: true,
      createdDateTime: isoAt(1_000_000 + i),
      ...props,
      userPrincipalName: upn,
      managerIndex: null,
    });
    this.touchUser(i);
    return this.userIdOf(i);
  }

  /** User indexes changed after `since` and at most `until`, in directory order, with removal reason. */
  userChangesBetween(since: number, until: number): number[] {
    const out: number[] = [];
    for (const [i, at] of this.userChangedAt) if (at > since && at <= until) out.push(i);
    return out.sort((a, b) => a - b);
  }

  removalReason(i: number): 'changed' | 'deleted' | undefined {
    return this.deletedUsers.get(i);
  }

  // ---------- photos and skills ----------

  private readonly photoOverrides = new Map<number, Buffer | null>();

  /** Replaces (a Buffer) or removes (null) a user's photo; its ETag changes with the bytes. */
  setPhoto(i: number, photo: Buffer | null): void {
    this.photoOverrides.set(i, photo);
  }

  /** The photo's ETag: a hash of its bytes. */
  photoEtag(i: number): string | undefined {
    const photo = this.photo(i);
    if (!photo) return undefined;
    let h = 0;
    for (let k = 0; k < photo.length; k += 4) h = hash32(h, photo.readUInt32BE(Math.min(k, photo.length - 4)));
    return `W/"${(h >>> 0).toString(16)}-${photo.length}"`;
  }

  photo(i: number): Buffer | undefined {
    if (!this.isUserLive(i)) return undefined;
    if (this.photoOverrides.has(i)) return this.photoOverrides.get(i) ?? undefined;
    if (hash32(this.seed, 6, i) % 4 === 0) return undefined;
    const payload = Buffer.alloc(64);
    for (let k = 0; k < payload.length; k += 4) payload.writeUInt32BE(hash32(this.seed, 7, i, k), k);
    return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), payload, Buffer.from([0xff, 0xd9])]);
  }

  skills(i: number): SimSkill[] {
    const override = this.skillOverrides.get(i);
    if (override) return override;
    if (!this.isUserLive(i)) return [];
    const count = hash32(this.seed, 8, i) % 5;
    const skills: SimSkill[] = [];
    const seen = new Set<string>();
    for (let k = 0; k < count; k++) {
      const name = pick(skillNames, this.seed, 9, i, k);
      if (seen.has(name)) continue;
      seen.add(name);
      skills.push({
        id: this.guid(0x5c1 + k, i),
        displayName: name,
        proficiency: pick(proficiencies, this.seed, 10, i, k),
        categories: ['professional'],
        collaborationTags: [pick(collaborationTags, this.seed, 11, i, k)],
        webUrl: null,
        createdDateTime: isoAt(5000 + i),
        lastModifiedDateTime: isoAt(5000 + i),
        allowedAudiences: 'organization',
      });
    }
    return skills;
  }

  setSkills(idOrIndex: string | number, skills: Array<Pick<SimSkill, 'displayName' | 'proficiency'>>): void {
    const i = this.resolveUser(idOrIndex);
    this.skillOverrides.set(
      i,
      skills.map((skill, k) => ({
        id: this.guid(0x5d1 + k, i),
        displayName: skill.displayName,
        proficiency: skill.proficiency,
        categories: ['professional'],
        collaborationTags: [],
        webUrl: null,
        createdDateTime: isoAt(9000 + i),
        lastModifiedDateTime: isoAt(9000 + i),
        allowedAudiences: 'organization',
      })),
    );
  }

  // ---------- groups ----------

  isGroupLive(g: number): boolean {
    return g >= 0 && g < this.groupCount && !this.deletedGroups.has(g);
  }

  group(g: number): SimGroup | undefined {
    if (!this.isGroupLive(g)) return undefined;
    const topic = pick(groupTopics, this.seed, 12, g);
    const nickname = `${topic.toLowerCase().replace(/\s+/g, '-')}-${g}`;
    const unified = hash32(this.seed, 13, g) % 3 !== 0;
    return {
      id: this.groupIdOf(g),
      displayName: `${topic} ${pick(skillNames, this.seed, 14, g)} ${g}`,
      description: `${topic} about ${pick(skillNames, this.seed, 14, g)}`,
      mail: unified ? `${nickname}@${this.domain}` : null,
      mailNickname: nickname,
      mailEnabled: unified,
      securityEnabled: !unified,
      groupTypes: unified ? ['Unified'] : [],
      visibility: unified ? pick(['Public', 'Private'], this.seed, 15, g) : null,
      createdDateTime: isoAt(20_000 + g),
      ...this.groupPatches.get(g),
    };
  }

  isMember(g: number, i: number): boolean {
    if (!this.isGroupLive(g) || !this.isUserLive(i)) return false;
    if (this.removedMembers.get(g)?.has(i)) return false;
    if (this.addedMembers.get(g)?.has(i)) return true;
    return i < this.baseUserCount && i % this.groupCount === g;
  }

  /** Current member indexes of a group, in a stable order. */
  members(g: number): number[] {
    if (!this.isGroupLive(g)) return [];
    const out: number[] = [];
    const removed = this.removedMembers.get(g);
    for (let i = g; i < this.baseUserCount; i += this.groupCount) {
      if (!removed?.has(i) && !this.deletedUsers.has(i)) out.push(i);
    }
    for (const i of this.addedMembers.get(g) ?? []) if (this.isUserLive(i) && !out.includes(i)) out.push(i);
    return out;
  }

  private changeMembership(g: number, i: number, add: boolean): void {
    const target = add ? this.addedMembers : this.removedMembers;
    const other = add ? this.removedMembers : this.addedMembers;
    other.get(g)?.delete(i);
    if (!target.has(g)) target.set(g, new Set());
    target.get(g)!.add(i);
    this.version++;
    this.groupChangedAt.set(g, this.version);
    if (!this.memberLog.has(g)) this.memberLog.set(g, []);
    this.memberLog.get(g)!.push({ version: this.version, user: i, added: add });
  }

  /** Owners of a group: the first of its original members, unless set with setOwners. */
  owners(g: number): number[] {
    if (!this.isGroupLive(g)) return [];
    const set = this.groupOwners.get(g);
    if (set) return [...set].filter((i) => this.isUserLive(i));
    return g < this.baseUserCount && this.isUserLive(g) ? [g] : [];
  }

  setOwners(g: number, users: readonly number[]): void {
    if (!this.isGroupLive(g)) throw new Error(`Unknown group ${g}`);
    this.groupOwners.set(g, new Set(users));
  }

  private readonly groupOwners = new Map<number, Set<number>>();

  /** Adds a member; false when already a member. */
  addMember(g: number, i: number): boolean {
    if (this.isMember(g, i)) return false;
    this.changeMembership(g, i, true);
    return true;
  }

  /** Removes a member; false when not a member. */
  removeMember(g: number, i: number): boolean {
    if (!this.isMember(g, i)) return false;
    this.changeMembership(g, i, false);
    return true;
  }

  updateGroup(g: number, changes: Partial<Omit<SimGroup, 'id'>>): void {
    if (!this.isGroupLive(g)) throw new Error(`Unknown group ${g}`);
    this.groupPatches.set(g, { ...this.groupPatches.get(g), ...changes });
    this.version++;
    this.groupChangedAt.set(g, this.version);
  }

  deleteGroup(g: number): void {
    if (!this.isGroupLive(g)) throw new Error(`Unknown group ${g}`);
    this.deletedGroups.add(g);
    this.version++;
    this.groupChangedAt.set(g, this.version);
  }

  groupDeleted(g: number): boolean {
    return this.deletedGroups.has(g);
  }

  groupChangesBetween(since: number, until: number): number[] {
    const out: number[] = [];
    for (const [g, at] of this.groupChangedAt) if (at > since && at <= until) out.push(g);
    return out.sort((a, b) => a - b);
  }

  /** Net membership changes of a group in (since, until]: user index -> added (true) or removed (false). */
  memberChangesBetween(g: number, since: number, until: number): Map<number, boolean> {
    const net = new Map<number, boolean>();
    for (const change of this.memberLog.get(g) ?? []) {
      if (change.version > since && change.version <= until) net.set(change.user, change.added);
    }
    return net;
  }
}
