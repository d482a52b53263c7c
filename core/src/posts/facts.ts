/** Loading the facts the policy decides on: a post or comment with its community and the viewer's membership. */
import type { Queryable } from '../store/db.js';
import { isUuid } from '../people/people.js';
import {
  type CommunityFacts,
  type ContentAction,
  type ContentFacts,
  type MembershipRole,
  type MembershipState,
  type Viewer,
  assertOnContent,
  canOnCommunity,
  canOnContent,
} from '../policy/policy.js';
import { RucheError } from '../errors.js';
import type { PostKind } from './model.js';

export interface CommunityRow {
  visibility: CommunityFacts['visibility'] | null;
  archived_at: Date | null;
  restricted_posting: boolean | null;
  m_role: MembershipRole | null;
  m_state: MembershipState | null;
}

export function communityFactsOf(tenantId: string, r: CommunityRow): CommunityFacts | null {
  if (!r.visibility) return null;
  return {
    tenantId,
    visibility: r.visibility,
    archived: r.archived_at !== null,
    restrictedPosting: r.restricted_posting === true,
    membership: r.m_role && r.m_state ? { role: r.m_role, state: r.m_state } : null,
  };
}

export interface LoadedPost {
  id: string;
  communityId: string | null;
  authorId: string;
  kind: PostKind;
  title: string;
  body: string;
  data: Record<string, unknown>;
  version: number;
  acceptedCommentId: string | null;
  createdAt: Date;
  facts: ContentFacts;
  /** The viewer moderates the post's community. */
  moderator: boolean;
}

interface PostFactsRow extends CommunityRow {
  id: string;
  community_id: string | null;
  author_id: string;
  kind: PostKind;
  title: string;
  body: string;
  data: Record<string, unknown>;
  version: number;
  accepted_comment_id: string | null;
  created_at: Date;
  hidden_at: Date | null;
  deleted_at: Date | null;
}

/** Loads a post for `action`; throws NOT_FOUND when the viewer may not read it, FORBIDDEN when the action is refused. */
export async function loadPostFor(
  db: Queryable,
  viewer: Viewer,
  postId: string,
  action: ContentAction,
  options: { forUpdate?: boolean } = {},
): Promise<LoadedPost> {
  if (!isUuid(postId)) throw new RucheError('NOT_FOUND', 'No such post');
  const r = await db.query<PostFactsRow>(
    `select p.id, p.community_id, p.author_id, p.kind, p.title, p.body, p.data, p.version, p.accepted_comment_id,
            p.created_at, p.hidden_at, p.deleted_at,
            c.visibility, c.archived_at, c.restricted_posting, m.role as m_role, m.state as m_state
     from posts p
     left join communities c on c.tenant_id = p.tenant_id and c.id = p.community_id
     left join memberships m on m.tenant_id = p.tenant_id and m.community_id = p.community_id and m.person_id = $3
     where p.tenant_id = $1 and p.id = $2${options.forUpdate ? ' for update of p' : ''}`,
    [viewer.tenantId, postId, viewer.personId],
  );
  const row = r.rows[0];
  const facts: ContentFacts | undefined = row
    ? {
        authorId: row.author_id,
        hidden: row.hidden_at !== null,
        deleted: row.deleted_at !== null,
        community: communityFactsOf(viewer.tenantId, row),
      }
    : undefined;
  try {
    assertOnContent(viewer, action, facts);
  } catch (err) {
    if (err instanceof RucheError && err.code === 'NOT_FOUND') throw new RucheError('NOT_FOUND', 'No such post');
    throw err;
  }
  const p = row!;
  return {
    id: p.id,
    communityId: p.community_id,
    authorId: p.author_id,
    kind: p.kind,
    title: p.title,
    body: p.body,
    data: p.data ?? {},
    version: p.version,
    acceptedCommentId: p.accepted_comment_id,
    createdAt: p.created_at,
    facts,
    moderator: canOnContent(viewer, 'moderate', facts),
  };
}

export interface LoadedComment {
  id: string;
  postId: string;
  parentId: string | null;
  authorId: string;
  post: LoadedPost;
  facts: ContentFacts;
}

/** Loads a comment for `action`: its post must be readable, then the comment is decided like any content. */
export async function loadCommentFor(db: Queryable, viewer: Viewer, commentId: string, action: ContentAction): Promise<LoadedComment> {
  if (!isUuid(commentId)) throw new RucheError('NOT_FOUND', 'No such comment');
  const r = await db.query<{ id: string; post_id: string; parent_id: string | null; author_id: string; hidden_at: Date | null; deleted_at: Date | null }>(
    'select id, post_id, parent_id, author_id, hidden_at, deleted_at from comments where tenant_id = $1 and id = $2',
    [viewer.tenantId, commentId],
  );
  const c = r.rows[0];
  if (!c) throw new RucheError('NOT_FOUND', 'No such comment');
  let post: LoadedPost;
  try {
    post = await loadPostFor(db, viewer, c.post_id, 'read');
  } catch (err) {
    if (err instanceof RucheError && err.code === 'NOT_FOUND') throw new RucheError('NOT_FOUND', 'No such comment');
    throw err;
  }
  const facts: ContentFacts = {
    authorId: c.author_id,
    hidden: c.hidden_at !== null,
    deleted: c.deleted_at !== null,
    community: post.facts.community,
  };
  if (!canOnContent(viewer, 'read', facts)) throw new RucheError('NOT_FOUND', 'No such comment');
  if (action !== 'read' && !canOnContent(viewer, action, facts)) throw new RucheError('FORBIDDEN');
  // Acting on a comment of a hidden post follows the post (its author and moderators only).
  if ((action === 'comment' || action === 'react') && !canOnContent(viewer, action, post.facts)) throw new RucheError('FORBIDDEN');
  return { id: c.id, postId: c.post_id, parentId: c.parent_id, authorId: c.author_id, post, facts };
}

export interface LoadedCommunity {
  id: string;
  name: string;
  facts: CommunityFacts;
}

export async function loadCommunity(db: Queryable, viewer: Viewer, communityId: string): Promise<LoadedCommunity | undefined> {
  if (!isUuid(communityId)) return undefined;
  const r = await db.query<CommunityRow & { id: string; name: string }>(
    `select c.id, c.name, c.visibility, c.archived_at, c.restricted_posting, m.role as m_role, m.state as m_state
     from communities c
     left join memberships m on m.tenant_id = c.tenant_id and m.community_id = c.id and m.person_id = $3
     where c.tenant_id = $1 and c.id = $2`,
    [viewer.tenantId, communityId, viewer.personId],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  return { id: row.id, name: row.name, facts: communityFactsOf(viewer.tenantId, row)! };
}

export function moderates(viewer: Viewer, c: CommunityFacts | null): boolean {
  return c ? canOnCommunity(viewer, 'moderate', c) : viewer.roles.includes('admin');
}
