/**
 * Creating, reading, changing and archiving communities, the directory and the
 * @community autocomplete. Every decision goes through the policy module; lists use its
 * SQL predicate so that secret communities never reach a non-member.
 */
import slugify from '@sindresorhus/slugify';
import type { Db, Queryable } from '../store/db.js';
import {
  assertOnCommunity,
  canCreateCommunity,
  canSetOfficial,
  isTenantAdmin,
  sqlCommunityVisible,
  type CommunityVisibility,
  type MembershipRole,
  type MembershipState,
  type Viewer,
} from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { decodeCursor, pageOf, type Page } from '../pagination.js';
import { getPerson, isUuid } from '../people/people.js';
import { recordAudit } from './audit.js';
import {
  communityKinds,
  communityVisibilities,
  factsOf,
  invalid,
  loadCommunityRow,
  refPredicate,
  toCommunity,
  viewedColumns,
  viewerMembershipJoin,
  type Community,
  type CommunityKind,
  type OrgUnit,
  type ViewedCommunityRow,
} from './model.js';

export const NAME_MAX = 120;
export const DESCRIPTION_MAX = 4000;
const SLUG_MAX = 60;

/** The slug a name gives: lower case, accents folded, words joined by dashes. */
export function slugOf(name: string): string {
  return slugify(name, { decamelize: false }).slice(0, SLUG_MAX).replace(/-+$/, '');
}

function checkName(name: unknown, path = 'name'): string {
  if (typeof name !== 'string') throw invalid(path, 'A name is required');
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed.length < 2) throw invalid(path, 'The name must have at least 2 characters');
  if (trimmed.length > NAME_MAX) throw invalid(path, `The name must have at most ${NAME_MAX} characters`);
  if (slugOf(trimmed) === '') throw invalid(path, 'The name must contain letters or digits');
  return trimmed;
}

function checkDescription(description: unknown): string {
  if (description === undefined || description === null) return '';
  if (typeof description !== 'string') throw invalid('description', 'The description must be text');
  const trimmed = description.trim();
  if (trimmed.length > DESCRIPTION_MAX) throw invalid('description', `The description must have at most ${DESCRIPTION_MAX} characters`);
  return trimmed;
}

function checkEnum<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalid(path, `Must be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}

async function checkOrgUnit(q: Queryable, tenantId: string, kind: CommunityKind, orgUnit: unknown): Promise<OrgUnit | null> {
  if (kind !== 'org_unit') {
    if (orgUnit !== undefined && orgUnit !== null) throw invalid('orgUnit', 'Only org-unit communities have an org unit');
    return null;
  }
  if (orgUnit === undefined || orgUnit === null || typeof orgUnit !== 'object') {
    throw invalid('orgUnit', 'An org-unit community needs {"department": "..."} or {"managerId": "...", "subtree": true}');
  }
  const o = orgUnit as Record<string, unknown>;
  if (typeof o.department === 'string' && o.managerId === undefined) {
    const department = o.department.trim();
    if (department === '') throw invalid('orgUnit.department', 'The department must not be empty');
    return { department };
  }
  if (typeof o.managerId === 'string' && o.department === undefined && o.subtree === true) {
    if (!(await getPerson(q, tenantId, o.managerId))) throw invalid('orgUnit.managerId', 'No such person');
    return { managerId: o.managerId, subtree: true };
  }
  throw invalid('orgUnit', 'An org-unit community needs {"department": "..."} or {"managerId": "...", "subtree": true}');
}

/** A free slug: the name's slug, or the same with -2, -3... (never an error that would reveal a secret community). */
export async function freeSlug(q: Queryable, tenantId: string, name: string): Promise<string> {
  const base = slugOf(name);
  const taken = await q.query<{ slug: string }>(
    `select slug from communities where tenant_id = $1 and (slug = $2 or (left(slug, length($2) + 1) = $2 || '-'
       and substr(slug, length($2) + 2) ~ '^[0-9]+$'))`,
    [tenantId, base],
  );
  const used = new Set(taken.rows.map((r) => r.slug));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/** Retries a transaction that lost a race on a unique index (two creations picking the same slug). */
export async function withSlugRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 4) throw err;
    }
  }
}

export interface CreateCommunityInput {
  name: string;
  description?: string;
  kind: CommunityKind;
  visibility: CommunityVisibility;
  isOfficial?: boolean;
  restrictedPosting?: boolean;
  orgUnit?: OrgUnit | null;
}

/** Creates a community; the creator becomes its owner and follows it. */
export async function createCommunity(db: Db, viewer: Viewer, input: CreateCommunityInput): Promise<Community> {
  const name = checkName(input.name);
  const description = checkDescription(input.description);
  const kind = checkEnum(input.kind, communityKinds, 'kind');
  const visibility = checkEnum(input.visibility, communityVisibilities, 'visibility');
  const isOfficial = input.isOfficial === true;
  const restrictedPosting = input.restrictedPosting === true;
  if (!canCreateCommunity(viewer, { tenantId: viewer.tenantId, kind, isOfficial })) {
    throw new RucheError(
      'FORBIDDEN',
      kind === 'org_unit' ? 'Only tenant admins create org-unit communities' : 'Only tenant admins make a community official',
    );
  }
  const orgUnit = await checkOrgUnit(db, viewer.tenantId, kind, input.orgUnit);
  const id = await withSlugRetry(() =>
    db.transaction(async (tx) => {
      const slug = await freeSlug(tx, viewer.tenantId, name);
      const r = await tx.query<{ id: string }>(
        `insert into communities (tenant_id, slug, name, description, kind, visibility, is_official, restricted_posting, org_unit, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
        [viewer.tenantId, slug, name, description, kind, visibility, isOfficial, restrictedPosting, orgUnit ? JSON.stringify(orgUnit) : null, viewer.personId],
      );
      const communityId = r.rows[0]!.id;
      await tx.query(
        `insert into memberships (tenant_id, community_id, person_id, role, state) values ($1, $2, $3, 'owner', 'active')`,
        [viewer.tenantId, communityId, viewer.personId],
      );
      await follow(tx, viewer.tenantId, viewer.personId, communityId);
      await recordAudit(tx, {
        tenantId: viewer.tenantId,
        actorId: viewer.personId,
        action: 'community.create',
        targetType: 'community',
        targetId: communityId,
        data: { name, kind, visibility, isOfficial, restrictedPosting, ...(orgUnit ? { orgUnit } : {}) },
      });
      return communityId;
    }),
  );
  return getCommunity(db, viewer, id);
}

export async function follow(q: Queryable, tenantId: string, personId: string, communityId: string): Promise<void> {
  await q.query(
    `insert into follows (tenant_id, follower_id, target_type, target_id) values ($1, $2, 'community', $3) on conflict do nothing`,
    [tenantId, personId, communityId],
  );
}

export async function unfollow(q: Queryable, tenantId: string, personId: string, communityId: string): Promise<void> {
  await q.query(`delete from follows where tenant_id = $1 and follower_id = $2 and target_type = 'community' and target_id = $3`, [
    tenantId,
    personId,
    communityId,
  ]);
}

/** One community by id or slug; a community the viewer may not see is "not found". */
export async function getCommunity(q: Queryable, viewer: Viewer, ref: string): Promise<Community> {
  const p = refPredicate(ref);
  const r = await q.query<ViewedCommunityRow>(
    `select ${viewedColumns('$2')} from communities c ${viewerMembershipJoin('$2')} where c.tenant_id = $1 and ${p.sql}`,
    [viewer.tenantId, viewer.personId, p.value],
  );
  const row = r.rows[0];
  assertOnCommunity(viewer, 'see', row ? factsOf(row) : undefined);
  return toCommunity(viewer, row!);
}

export interface UpdateCommunityInput {
  name?: string;
  description?: string;
  visibility?: CommunityVisibility;
  restrictedPosting?: boolean;
  isOfficial?: boolean;
}

/** Changes the settings (owners and tenant admins); the official flag is for tenant admins. */
export async function updateCommunity(db: Db, viewer: Viewer, ref: string, input: UpdateCommunityInput): Promise<Community> {
  const next: Record<string, unknown> = {};
  if (input.name !== undefined) next.name = checkName(input.name);
  if (input.description !== undefined) next.description = checkDescription(input.description);
  if (input.visibility !== undefined) next.visibility = checkEnum(input.visibility, communityVisibilities, 'visibility');
  if (input.restrictedPosting !== undefined) {
    if (typeof input.restrictedPosting !== 'boolean') throw invalid('restrictedPosting', 'Must be true or false');
    next.restrictedPosting = input.restrictedPosting;
  }
  if (input.isOfficial !== undefined) {
    if (typeof input.isOfficial !== 'boolean') throw invalid('isOfficial', 'Must be true or false');
    next.isOfficial = input.isOfficial;
  }
  const id = await db.transaction(async (tx) => {
    const row = await loadCommunityRow(tx, viewer, ref, { forUpdate: true });
    const facts = row ? factsOf(row) : undefined;
    assertOnCommunity(viewer, 'manage', facts);
    if (facts.archived) throw new RucheError('FORBIDDEN', 'This community is archived (read-only): unarchive it first');
    const current: Record<string, unknown> = {
      name: row!.name,
      description: row!.description,
      visibility: row!.visibility,
      restrictedPosting: row!.restricted_posting,
      isOfficial: row!.is_official,
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(next)) if (current[k] !== v) changes[k] = { from: current[k], to: v };
    if (changes.isOfficial && !canSetOfficial(viewer, facts)) {
      throw new RucheError('FORBIDDEN', 'Only tenant admins set or clear the official flag');
    }
    if (Object.keys(changes).length === 0) return row!.id;
    const value = (k: string) => (k in changes ? changes[k]!.to : current[k]);
    await tx.query(
      `update communities set name = $3, description = $4, visibility = $5, restricted_posting = $6, is_official = $7, updated_at = now()
       where tenant_id = $1 and id = $2`,
      [viewer.tenantId, row!.id, value('name'), value('description'), value('visibility'), value('restrictedPosting'), value('isOfficial')],
    );
    await recordAudit(tx, {
      tenantId: viewer.tenantId,
      actorId: viewer.personId,
      action: 'community.settings',
      targetType: 'community',
      targetId: row!.id,
      data: { changes },
    });
    return row!.id;
  });
  return getCommunity(db, viewer, id);
}

/** Archives (read-only) or unarchives a community: owners and tenant admins. */
export async function setCommunityArchived(db: Db, viewer: Viewer, ref: string, archived: boolean): Promise<Community> {
  const id = await db.transaction(async (tx) => {
    const row = await loadCommunityRow(tx, viewer, ref, { forUpdate: true });
    assertOnCommunity(viewer, 'manage', row ? factsOf(row) : undefined);
    if ((row!.archived_at !== null) === archived) return row!.id;
    await tx.query(
      `update communities set archived_at = ${archived ? 'now()' : 'null'}, updated_at = now() where tenant_id = $1 and id = $2`,
      [viewer.tenantId, row!.id],
    );
    await recordAudit(tx, {
      tenantId: viewer.tenantId,
      actorId: viewer.personId,
      action: archived ? 'community.archive' : 'community.unarchive',
      targetType: 'community',
      targetId: row!.id,
    });
    return row!.id;
  });
  return getCommunity(db, viewer, id);
}

export interface ListCommunitiesInput {
  kind?: CommunityKind;
  /** Only communities the viewer is an active member of. */
  mine?: boolean;
  /** Typo-tolerant, accent-insensitive search on the name. */
  q?: string;
  /** 'name' (default) or 'newest'; a search is ordered by relevance. */
  sort?: 'name' | 'newest';
  includeArchived?: boolean;
  cursor?: string;
  limit?: number;
}

export const PAGE_MAX = 100;

function pageLimit(limit: number | undefined, fallback = 20): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) throw invalid('limit', `Must be an integer from 1 to ${PAGE_MAX}`);
  return limit;
}

function checkQuery(q: string | undefined): string | undefined {
  if (q === undefined) return undefined;
  const t = q.trim().replace(/\s+/g, ' ');
  if (t === '') return undefined;
  if (t.length > 100) throw invalid('q', 'The search must have at most 100 characters');
  return t;
}

/** Escapes LIKE wildcards so that a search for "50%" means the text "50%". */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Relevance of a name to a search, as an integer (keyset-friendly): prefix > substring > similar words. */
const scoreSql = (name: string, q: string) => `(case when ${name} like ${q} || '%' then 2000
    when ${name} like '%' || ${q} || '%' then 1000 else 0 end
    + round(1000 * word_similarity(${q}, ${name})))::int`;

/** The directory: communities the viewer may see, with their membership, keyset-paginated. */
export async function listCommunities(q: Queryable, viewer: Viewer, input: ListCommunitiesInput = {}): Promise<Page<Community>> {
  const limit = pageLimit(input.limit);
  const search = checkQuery(input.q);
  const kind = input.kind === undefined ? null : checkEnum(input.kind, communityKinds, 'kind');
  const params: unknown[] = [viewer.tenantId, viewer.personId, isTenantAdmin(viewer), kind, input.mine === true, input.includeArchived === true];
  const where = [
    'c.tenant_id = $1',
    sqlCommunityVisible('c', '$2', '$3'),
    '($4::text is null or c.kind = $4)',
    "(not $5 or m.state = 'active')",
    '($6 or c.archived_at is null)',
  ];
  let order: string;
  let extra = '';
  let keyOf: (r: ViewedCommunityRow & { score?: number; created_us?: string }) => (string | number)[];
  if (search) {
    params.push(likeEscape(search));
    const qp = `ruche_fold($${params.length})`;
    extra = `, ${scoreSql('ruche_fold(c.name)', qp)} as score`;
    where.push(`(ruche_fold(c.name) like '%' || ${qp} || '%' or ${qp} <% ruche_fold(c.name))`);
    const cursor = decodeCursor(input.cursor, ['number', 'string', 'string']);
    if (cursor) {
      params.push(cursor[0], cursor[1], cursor[2]);
      const n = params.length;
      where.push(`(${scoreSql('ruche_fold(c.name)', qp)} < $${n - 2}
        or (${scoreSql('ruche_fold(c.name)', qp)} = $${n - 2} and (c.name, c.id) > ($${n - 1}::text, $${n}::uuid)))`);
    }
    order = 'score desc, c.name, c.id';
    keyOf = (r) => [r.score!, r.name, r.id];
  } else if (input.sort === 'newest') {
    extra = ', (extract(epoch from c.created_at) * 1000000)::bigint::text as created_us';
    const cursor = decodeCursor(input.cursor, ['string', 'string']);
    if (cursor) {
      if (!/^\d{1,17}$/.test(String(cursor[0])) || !isUuid(String(cursor[1]))) throw new RucheError('INVALID_CURSOR');
      params.push(cursor[0], cursor[1]);
      const n = params.length;
      where.push(`(c.created_at, c.id) < (timestamptz 'epoch' + $${n - 1}::bigint * interval '1 microsecond', $${n}::uuid)`);
    }
    order = 'c.created_at desc, c.id desc';
    keyOf = (r) => [r.created_us!, r.id];
  } else {
    const cursor = decodeCursor(input.cursor, ['string', 'string']);
    if (cursor) {
      if (!isUuid(String(cursor[1]))) throw new RucheError('INVALID_CURSOR');
      params.push(cursor[0], cursor[1]);
      const n = params.length;
      where.push(`(c.name, c.id) > ($${n - 1}::text, $${n}::uuid)`);
    }
    order = 'c.name, c.id';
    keyOf = (r) => [r.name, r.id];
  }
  params.push(limit + 1);
  const r = await q.query<ViewedCommunityRow & { score?: number; created_us?: string }>(
    `select ${viewedColumns('$2')}${extra}
     from communities c ${viewerMembershipJoin('$2')}
     where ${where.join(' and ')}
     order by ${order}
     limit $${params.length}`,
    params,
  );
  return pageOf(r.rows, limit, keyOf, (row) => toCommunity(viewer, row));
}

export interface CommunitySuggestion {
  id: string;
  slug: string;
  name: string;
  kind: CommunityKind;
  visibility: CommunityVisibility;
  isOfficial: boolean;
  membership: { role: MembershipRole; state: MembershipState } | null;
}

/** Suggestions for an @community mention: the same visibility rule as the directory, best first. */
export async function autocompleteCommunities(q: Queryable, viewer: Viewer, input: { q: string; limit?: number }): Promise<CommunitySuggestion[]> {
  const limit = pageLimit(input.limit, 8);
  const search = checkQuery(input.q.replace(/^@/, ''));
  if (!search) return [];
  const r = await q.query<{
    id: string;
    slug: string;
    name: string;
    kind: CommunityKind;
    visibility: CommunityVisibility;
    is_official: boolean;
    m_role: MembershipRole | null;
    m_state: MembershipState | null;
  }>(
    `select c.id, c.slug, c.name, c.kind, c.visibility, c.is_official, m.role as m_role, m.state as m_state,
       ${scoreSql('ruche_fold(c.name)', 'ruche_fold($4)')} + case when c.slug like $5 || '%' then 2000 else 0 end as score
     from communities c ${viewerMembershipJoin('$2')}
     where c.tenant_id = $1 and c.archived_at is null and ${sqlCommunityVisible('c', '$2', '$3')}
       and (ruche_fold(c.name) like '%' || ruche_fold($4) || '%' or ruche_fold($4) <% ruche_fold(c.name) or c.slug like $5 || '%')
     order by score desc, (m.state = 'active') is true desc, c.name, c.id
     limit $6`,
    [viewer.tenantId, viewer.personId, isTenantAdmin(viewer), likeEscape(search), likeEscape(search.toLowerCase()), limit],
  );
  return r.rows.map((x) => ({
    id: x.id,
    slug: x.slug,
    name: x.name,
    kind: x.kind,
    visibility: x.visibility,
    isOfficial: x.is_official,
    membership: x.m_role && x.m_state ? { role: x.m_role, state: x.m_state } : null,
  }));
}
