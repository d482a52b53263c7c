/** Bodies on the way in: length limits, mentions resolved through the policy, topics, safe HTML. */
import type { Queryable } from '../store/db.js';
import { type Viewer, canMentionCommunity } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { type ResolvedMention, type TopicCandidate, mentionKey, parseBody, renderBody } from '../markdown/markdown.js';
import { communityFactsOf, type CommunityRow } from './facts.js';
import { limits } from './model.js';

export interface PreparedBody {
  body: string;
  bodyHtml: string;
  mentions: ResolvedMention[];
  topics: TopicCandidate[];
}

export function assertLength(field: string, value: string, max: number): void {
  if (value.length > max) {
    throw new RucheError('CONTENT_TOO_LONG', `${field} is ${value.length} characters long; the limit is ${max}`, {
      details: { issues: [{ path: field, message: `at most ${max} characters` }], field, max, length: value.length },
    });
  }
}

/** NUL cannot be stored in PostgreSQL text; like CommonMark, replace it with U+FFFD. */
export function cleanText(value: string): string {
  return value.replaceAll(String.fromCharCode(0), '\uFFFD');
}

export function invalid(field: string, message: string): RucheError {
  return new RucheError('CONTENT_INVALID', `${field}: ${message}`, { details: { issues: [{ path: field, message }] } });
}

/**
 * Resolves the mentions of a body as its author may: people of the tenant, and communities
 * the author sees (a secret one only inside itself). Unresolved mentions stay plain text.
 */
export async function prepareBody(
  db: Queryable,
  viewer: Viewer,
  source: string,
  context: { field: string; max: number; communityId: string | null },
): Promise<PreparedBody> {
  assertLength(context.field, source, context.max);
  const body = cleanText(source).replace(/\r\n?/g, '\n');
  const parsed = parseBody(body);
  const resolved = new Map<string, ResolvedMention>();

  const upns = [...new Set(parsed.mentions.flatMap((m) => (m.kind === 'upn' ? [m.upn.toLowerCase()] : [])))];
  const personIds = [...new Set(parsed.mentions.flatMap((m) => (m.kind === 'person' ? [m.id] : [])))];
  const communityIds = [...new Set(parsed.mentions.flatMap((m) => (m.kind === 'community' ? [m.id] : [])))];

  if (upns.length > 0 || personIds.length > 0) {
    const people = await db.query<{ id: string; upn: string; display_name: string }>(
      `select id, lower(upn) as upn, display_name from people
       where tenant_id = $1 and not is_former_employee and (lower(upn) = any($2::text[]) or id = any($3::uuid[]))`,
      [viewer.tenantId, upns, personIds],
    );
    for (const p of people.rows) {
      const ref: ResolvedMention = { type: 'person', id: p.id, label: p.display_name };
      resolved.set(`upn:${p.upn}`, ref);
      resolved.set(`person:${p.id}`, ref);
    }
  }
  if (communityIds.length > 0) {
    const communities = await db.query<CommunityRow & { id: string; name: string }>(
      `select c.id, c.name, c.visibility, c.archived_at, c.restricted_posting, m.role as m_role, m.state as m_state
       from communities c
       left join memberships m on m.tenant_id = c.tenant_id and m.community_id = c.id and m.person_id = $2
       where c.tenant_id = $1 and c.id = any($3::uuid[])`,
      [viewer.tenantId, viewer.personId, communityIds],
    );
    for (const c of communities.rows) {
      const facts = communityFactsOf(viewer.tenantId, c)!;
      if (canMentionCommunity(viewer, { ...facts, id: c.id }, context.communityId)) {
        resolved.set(`community:${c.id}`, { type: 'community', id: c.id, label: c.name });
      }
    }
  }

  const mentions: ResolvedMention[] = [];
  const seen = new Set<string>();
  for (const m of parsed.mentions) {
    const r = resolved.get(mentionKey(m));
    if (r && !seen.has(`${r.type}:${r.id}`)) {
      seen.add(`${r.type}:${r.id}`);
      mentions.push(r);
    }
  }
  return { body, bodyHtml: renderBody(body, resolved), mentions, topics: parsed.topics.slice(0, limits.topicsPerPost) };
}

export async function storeMentions(
  db: Queryable,
  tenantId: string,
  source: { type: 'post' | 'comment'; id: string },
  mentions: ResolvedMention[],
): Promise<void> {
  await db.query('delete from mentions where tenant_id = $1 and source_type = $2 and source_id = $3', [tenantId, source.type, source.id]);
  for (const m of mentions) {
    await db.query(
      `insert into mentions (tenant_id, source_type, source_id, mentioned_type, mentioned_id) values ($1, $2, $3, $4, $5)
       on conflict do nothing`,
      [tenantId, source.type, source.id, m.type, m.id],
    );
  }
}

/** Records the topics of a post; post_topics.created_at is the post's, so topic feeds page on it. */
export async function storeTopics(db: Queryable, tenantId: string, postId: string, topics: TopicCandidate[]): Promise<void> {
  await db.query('delete from post_topics where tenant_id = $1 and post_id = $2', [tenantId, postId]);
  for (const t of topics) {
    const r = await db.query<{ id: string }>(
      `insert into topics (tenant_id, slug, name) values ($1, $2, $3)
       on conflict (tenant_id, slug) do update set slug = excluded.slug
       returning id`,
      [tenantId, t.slug, t.name],
    );
    await db.query(
      `insert into post_topics (tenant_id, post_id, topic_id, created_at)
       select p.tenant_id, p.id, $3, p.created_at from posts p where p.tenant_id = $1 and p.id = $2
       on conflict do nothing`,
      [tenantId, postId, r.rows[0]!.id],
    );
  }
}
