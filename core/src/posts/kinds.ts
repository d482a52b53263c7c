/** What each kind of post adds: accepted answers, idea votes and status, poll votes, RSVPs. */
import type { Db } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { notifyAnswerAccepted } from '../notifications/content.js';
import { assertLength, cleanText, invalid } from './body.js';
import { type LoadedPost, loadPostFor } from './facts.js';
import { getPost, writeAudit } from './posts.js';
import { type IdeaStatus, type PostKind, type PostView, type RsvpResponse, ideaStatuses, limits, rsvpResponses } from './model.js';
import { isUuid } from '../people/people.js';

function expectKind(post: LoadedPost, kind: PostKind): void {
  if (post.kind !== kind) throw new RucheError('POST_KIND_MISMATCH', `This post is a ${post.kind}, not a ${kind}`);
}

/** Accepts one comment as the answer of a question (the asker or a moderator); another call changes it. */
export async function acceptAnswer(db: Db, viewer: Viewer, postId: string, commentId: string): Promise<PostView> {
  await db.transaction(async (tx) => {
    const post = await loadPostFor(tx, viewer, postId, 'accept_answer', { forUpdate: true });
    expectKind(post, 'question');
    const c = isUuid(commentId)
      ? await tx.query(
          'select 1 from comments where tenant_id = $1 and id = $2 and post_id = $3 and deleted_at is null and hidden_at is null',
          [viewer.tenantId, commentId, postId],
        )
      : { rowCount: 0 };
    if (c.rowCount === 0) throw new RucheError('NOT_FOUND', 'No such comment on this question');
    await tx.query('update posts set accepted_comment_id = $3 where tenant_id = $1 and id = $2', [viewer.tenantId, postId, commentId]);
    if (post.authorId !== viewer.personId) await writeAudit(tx, viewer, 'post.accept_answer', 'post', postId, { commentId });
    if (post.acceptedCommentId !== commentId) await notifyAnswerAccepted(tx, viewer, postId, commentId);
  });
  return getPost(db, viewer, postId);
}

export async function clearAcceptedAnswer(db: Db, viewer: Viewer, postId: string): Promise<PostView> {
  await db.transaction(async (tx) => {
    const post = await loadPostFor(tx, viewer, postId, 'accept_answer', { forUpdate: true });
    expectKind(post, 'question');
    await tx.query('update posts set accepted_comment_id = null where tenant_id = $1 and id = $2', [viewer.tenantId, postId]);
  });
  return getPost(db, viewer, postId);
}

/** One vote per person per idea; voting again changes nothing. */
export async function voteIdea(db: Db, viewer: Viewer, postId: string, vote: boolean): Promise<PostView> {
  const post = await loadPostFor(db, viewer, postId, 'react');
  expectKind(post, 'idea');
  if (vote) {
    await db.query('insert into idea_votes (tenant_id, post_id, person_id) values ($1, $2, $3) on conflict do nothing', [
      viewer.tenantId,
      postId,
      viewer.personId,
    ]);
  } else {
    await db.query('delete from idea_votes where tenant_id = $1 and post_id = $2 and person_id = $3', [viewer.tenantId, postId, viewer.personId]);
  }
  return getPost(db, viewer, postId);
}

/** Moderators set the status of an idea, always with a comment. */
export async function setIdeaStatus(db: Db, viewer: Viewer, postId: string, status: IdeaStatus, comment: string): Promise<PostView> {
  if (!ideaStatuses.includes(status)) throw invalid('status', `one of ${ideaStatuses.join(', ')}`);
  const text = cleanText(comment).trim();
  if (text === '') throw invalid('comment', 'explain the status');
  assertLength('comment', text, limits.ideaStatusComment);
  await db.transaction(async (tx) => {
    const post = await loadPostFor(tx, viewer, postId, 'moderate', { forUpdate: true });
    expectKind(post, 'idea');
    const patch = { status, statusComment: text, statusSetBy: viewer.personId, statusSetAt: new Date().toISOString() };
    await tx.query('update posts set data = data || $3::jsonb, last_activity_at = now() where tenant_id = $1 and id = $2', [
      viewer.tenantId,
      postId,
      JSON.stringify(patch),
    ]);
    await writeAudit(tx, viewer, 'idea.status', 'post', postId, { from: post.data.status ?? 'new', to: status, comment: text });
  });
  return getPost(db, viewer, postId);
}

/** Votes in a poll (replacing the viewer's previous choice) until it closes. */
export async function votePoll(db: Db, viewer: Viewer, postId: string, optionIds: string[], now = new Date()): Promise<PostView> {
  await db.transaction(async (tx) => {
    const post = await loadPostFor(tx, viewer, postId, 'react');
    expectKind(post, 'poll');
    if (new Date(String(post.data.closesAt)).getTime() <= now.getTime()) throw new RucheError('POLL_CLOSED');
    const known = new Set(((post.data.options as { id: string }[] | undefined) ?? []).map((o) => o.id));
    const chosen = [...new Set(optionIds)];
    if (chosen.length === 0) throw invalid('optionIds', 'choose at least one option');
    if (post.data.multiple !== true && chosen.length > 1) throw invalid('optionIds', 'this poll takes one choice');
    for (const id of chosen) if (!known.has(id)) throw invalid('optionIds', `no option ${id}`);
    await tx.query('delete from poll_votes where tenant_id = $1 and post_id = $2 and person_id = $3', [viewer.tenantId, postId, viewer.personId]);
    for (const id of chosen) {
      await tx.query('insert into poll_votes (tenant_id, post_id, person_id, option_id) values ($1, $2, $3, $4)', [
        viewer.tenantId,
        postId,
        viewer.personId,
        id,
      ]);
    }
  });
  return getPost(db, viewer, postId);
}

/**
 * RSVP to an event. Saying yes again after another answer puts the person at the end of the
 * queue; the first `capacity` yes are in, the others wait in order and move up when someone
 * in front cancels.
 */
export async function rsvp(db: Db, viewer: Viewer, postId: string, response: RsvpResponse | null): Promise<PostView> {
  if (response !== null && !rsvpResponses.includes(response)) throw invalid('response', `one of ${rsvpResponses.join(', ')}`);
  const post = await loadPostFor(db, viewer, postId, 'react');
  expectKind(post, 'event');
  if (response === null) {
    await db.query('delete from event_rsvps where tenant_id = $1 and post_id = $2 and person_id = $3', [viewer.tenantId, postId, viewer.personId]);
  } else {
    await db.query(
      `insert into event_rsvps (tenant_id, post_id, person_id, response) values ($1, $2, $3, $4)
       on conflict (tenant_id, post_id, person_id) do update set
         response = excluded.response,
         responded_at = now(),
         seq = case when event_rsvps.response = 'yes' and excluded.response = 'yes' then event_rsvps.seq else excluded.seq end`,
      [viewer.tenantId, postId, viewer.personId, response],
    );
  }
  return getPost(db, viewer, postId);
}
