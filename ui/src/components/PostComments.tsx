import { Avatar, Badge, Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { CheckmarkCircleRegular, ThumbLikeFilled, ThumbLikeRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Comment, type ReactionKind } from '../api/client.js';
import { useRuche } from '../context.js';
import { useLive } from '../live/useLive.js';
import { MarkdownField } from './ComposerText.js';
import { useModerates } from './useModeration.js';
import { ErrorMessage } from './States.js';

/** The comments of a post, loaded when the reader opens them (this module too, to keep the home page light). */

const useStyles = makeStyles({
  body: {
    overflowWrap: 'anywhere',
    '& p': { marginTop: 0, marginBottom: tokens.spacingVerticalS },
    '& a': { color: tokens.colorBrandForegroundLink },
    '& .mention, & .topic': { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  },
  comments: { display: 'grid', gap: tokens.spacingVerticalS, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalS },
  commentList: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  comment: { display: 'flex', gap: tokens.spacingHorizontalS },
  commentBody: { backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusMedium, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, flexGrow: 1 },
  commentTools: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  counts: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  replies: { listStyleType: 'none', margin: 0, paddingLeft: tokens.spacingHorizontalXXL, display: 'grid', gap: tokens.spacingVerticalXS },
  form: { display: 'grid', gap: tokens.spacingVerticalXS },
  formActions: { display: 'flex', gap: tokens.spacingHorizontalS, justifyContent: 'end' },
});

type AnyComment = Comment | Comment['replies'][number];
type Reactions = Pick<Comment, 'counts' | 'viewerReaction'>;

function CommentItem({
  comment,
  accepted,
  onAccept,
  onReply,
  onReact,
}: {
  comment: AnyComment;
  accepted: boolean;
  onAccept?: (id: string | null) => void;
  onReply?: () => void;
  onReact(kind: ReactionKind | null): void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const name = comment.author?.displayName ?? '—';
  const deleted = 'deleted' in comment && comment.deleted;
  const mine = comment.viewerReaction;
  return (
    <div className={styles.comment}>
      <Avatar name={name} size={24} aria-hidden="true" />
      <div className={styles.commentBody}>
        <Text weight="semibold" size={200}>
          {name}
        </Text>{' '}
        {accepted ? <Badge color="success" size="small">{t('feed.accepted')}</Badge> : null}
        {deleted ? <Text italic>{t('feed.deletedComment')}</Text> : <div className={styles.body} dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />}
        {!deleted ? (
          <div className={styles.commentTools}>
            <Button
              size="small"
              appearance="transparent"
              icon={mine ? <ThumbLikeFilled /> : <ThumbLikeRegular />}
              aria-pressed={!!mine}
              aria-label={mine ? t('post.unlikeComment', { name }) : t('post.likeComment', { name })}
              onClick={() => onReact(mine ? null : 'like')}
            >
              {t('feed.reactionKinds.like')}
            </Button>
            <span className={styles.counts} data-comment-reactions={comment.id}>
              {t('feed.reactions', { count: comment.counts.reactionsTotal })}
            </span>
            {onReply ? (
              <Button size="small" appearance="transparent" onClick={onReply} aria-label={t('post.replyTo', { name })}>
                {t('post.reply')}
              </Button>
            ) : null}
            {onAccept ? (
              <Button
                size="small"
                appearance="transparent"
                icon={<CheckmarkCircleRegular />}
                aria-pressed={accepted}
                onClick={() => onAccept(accepted ? null : comment.id)}
              >
                {accepted ? t('post.unaccept') : t('post.accept')}
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** A comment or reply form: Markdown with mentions; what is typed stays until the server saved it. */
function CommentForm({
  id,
  label,
  postId,
  parentId,
  onSaved,
  onCancel,
}: {
  id: string;
  label: string;
  postId: string;
  parentId: string | null;
  onSaved(c: Comment): void;
  onCancel?: () => void;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);

  async function send(event: FormEvent) {
    event.preventDefault();
    const body = draft.trim();
    if (!body) return;
    setSending(true);
    setSendError(null);
    try {
      const comment = await unwrap(
        client.POST('/api/v1/posts/{postId}/comments', { params: { path: { postId } }, body: { body, ...(parentId ? { parentId } : {}) } }),
      );
      setDraft(''); // only once saved: a refused comment stays in the box
      onSaved(comment);
    } catch (err) {
      setSendError(err);
    } finally {
      setSending(false);
    }
  }

  return (
    <form className={styles.form} onSubmit={(e) => void send(e)}>
      <MarkdownField id={id} label={label} value={draft} onChange={setDraft} placeholder={t('feed.commentPlaceholder')} rows={2} compact />
      {sendError ? <ErrorMessage error={sendError} /> : null}
      <div className={styles.formActions}>
        {onCancel ? (
          <Button appearance="subtle" onClick={onCancel}>
            {t('post.cancel')}
          </Button>
        ) : null}
        <Button type="submit" appearance="primary" disabled={sending || !draft.trim()}>
          {t('feed.send')}
        </Button>
      </div>
    </form>
  );
}

export default function PostComments({
  postId,
  acceptedId,
  onAccept: acceptAnswer,
  asker,
  communityId,
  onAdded,
  live,
}: {
  postId: string;
  acceptedId: string | null;
  /** Questions: accept an answer (offered to the asker and the community's moderators). */
  onAccept?: (id: string | null) => void;
  asker: boolean;
  communityId: string | null;
  onAdded(id: string): void;
  live: boolean;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const [items, setItems] = useState<Comment[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const [reactError, setReactError] = useState<unknown>(null);
  const moderates = useModerates(communityId, !!acceptAnswer && !asker);
  /** Reaction requests of this viewer still unanswered: live counts wait for them (the answer is newer). */
  const reacting = useRef(0);
  const onAccept = acceptAnswer && (asker || moderates) ? acceptAnswer : undefined;

  const load = () => {
    setError(null);
    unwrap(client.GET('/api/v1/posts/{postId}/comments', { params: { path: { postId }, query: { limit: 50 } } })).then(
      (page) => setItems(page.items),
      setError,
    );
  };
  // Load once, when the comments are opened.
  useEffect(load, []);

  /** Adds a comment or reply once (it may come from the form and from the live stream). */
  function insert(c: Comment) {
    onAdded(c.id);
    setItems((list) => {
      if (!list) return list;
      if (!c.parentId) return list.some((x) => x.id === c.id) ? list : [...list, c];
      return list.map((top) =>
        top.id === c.parentId && !top.replies.some((r) => r.id === c.id) ? { ...top, replies: [...top.replies, c as unknown as Comment['replies'][number]] } : top,
      );
    });
  }

  /** Applies new reaction facts to one comment or reply, wherever it sits. */
  function patch(id: string, change: (c: Reactions) => Reactions) {
    const apply = <C extends Reactions & { id: string }>(c: C): C => (c.id === id ? { ...c, ...change(c) } : c);
    setItems((list) => list && list.map((top) => ({ ...apply(top), replies: top.replies.map(apply) })));
  }

  /** Optimistic: the count moves at once and comes back if the server refuses. */
  async function react(comment: AnyComment, kind: ReactionKind | null) {
    const before: Reactions = { counts: comment.counts, viewerReaction: comment.viewerReaction };
    const reactions = { ...comment.counts.reactions };
    let total = comment.counts.reactionsTotal;
    if (comment.viewerReaction) {
      reactions[comment.viewerReaction] -= 1;
      total -= 1;
    }
    if (kind) {
      reactions[kind] += 1;
      total += 1;
    }
    patch(comment.id, () => ({ viewerReaction: kind, counts: { reactions, reactionsTotal: total } }));
    setReactError(null);
    reacting.current += 1;
    const path = { params: { path: { commentId: comment.id } } };
    try {
      const summary = kind
        ? await unwrap(client.PUT('/api/v1/comments/{commentId}/reaction', { ...path, body: { kind } }))
        : await unwrap(client.DELETE('/api/v1/comments/{commentId}/reaction', path));
      if (summary && typeof summary === 'object' && 'counts' in summary) {
        patch(comment.id, () => ({ viewerReaction: summary.viewerReaction, counts: { reactions: summary.counts, reactionsTotal: summary.total } }));
      }
    } catch (err) {
      patch(comment.id, () => before);
      setReactError(err);
    } finally {
      reacting.current -= 1;
    }
  }

  useLive((message) => {
    if (message.event === 'comment' && message.data.postId === postId) insert(message.data);
    // Others' reactions move the counts; the viewer's own reaction (and its optimistic state) stays as it is.
    if (message.event === 'reaction' && message.data.targetType === 'comment' && message.data.postId === postId && reacting.current === 0) {
      const { targetId, counts, total } = message.data;
      patch(targetId, (c) => ({ viewerReaction: c.viewerReaction, counts: { reactions: counts, reactionsTotal: total } }));
    }
  }, live);

  return (
    <div className={styles.comments}>
      {error ? <ErrorMessage error={error} onRetry={load} /> : null}
      {reactError ? <ErrorMessage error={reactError} /> : null}
      {!error && !items ? <Text role="status">{t('common.loading')}</Text> : null}
      {items && items.length === 0 ? <Text>{t('feed.noComments')}</Text> : null}
      {items && items.length > 0 ? (
        <ul className={styles.commentList} aria-label={t('feed.comments', { count: items.length })}>
          {items.map((c) => (
            <li key={c.id}>
              <CommentItem comment={c} accepted={c.id === acceptedId} onAccept={onAccept} onReply={() => setReplyTo(c.id)} onReact={(kind) => void react(c, kind)} />
              {c.replies.length > 0 || replyTo === c.id ? (
                <ul className={styles.replies}>
                  {c.replies.map((r) => (
                    <li key={r.id}>
                      <CommentItem comment={r} accepted={r.id === acceptedId} onAccept={onAccept} onReact={(kind) => void react(r, kind)} />
                    </li>
                  ))}
                  {replyTo === c.id ? (
                    <li>
                      <CommentForm
                        id={`reply-${c.id}`}
                        label={t('post.replyLabel')}
                        postId={postId}
                        parentId={c.id}
                        onSaved={(saved) => {
                          insert(saved);
                          setReplyTo(null);
                        }}
                        onCancel={() => setReplyTo(null)}
                      />
                    </li>
                  ) : null}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <CommentForm id={`comment-${postId}`} label={t('feed.commentLabel')} postId={postId} parentId={null} onSaved={insert} />
    </div>
  );
}
