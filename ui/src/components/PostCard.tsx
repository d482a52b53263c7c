import {
  Avatar,
  Badge,
  Button,
  Card,
  Field,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  ChatRegular,
  ChevronDownRegular,
  EmojiLaughRegular,
  HandRightRegular,
  HeartRegular,
  LightbulbRegular,
  SparkleRegular,
  ThumbLikeFilled,
  ThumbLikeRegular,
} from '@fluentui/react-icons';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Comment, type Post, type ReactionKind } from '../api/client.js';
import { useRuche } from '../context.js';
import { AppLink } from './AppLink.js';
import { ErrorMessage, useErrorText } from './States.js';

export const reactionKinds: ReactionKind[] = ['like', 'celebrate', 'love', 'insightful', 'funny', 'support'];
/** Icons rather than emoji: they follow the theme (high contrast included) and need no emoji font. */
export const reactionIcon: Record<ReactionKind, JSX.Element> = {
  like: <ThumbLikeRegular />,
  celebrate: <SparkleRegular />,
  love: <HeartRegular />,
  insightful: <LightbulbRegular />,
  funny: <EmojiLaughRegular />,
  support: <HandRightRegular />,
};

const useStyles = makeStyles({
  card: { display: 'grid', gap: tokens.spacingVerticalS },
  header: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  meta: { display: 'grid' },
  sub: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, marginLeft: 'auto' },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  body: {
    overflowWrap: 'anywhere',
    '& p': { marginTop: 0, marginBottom: tokens.spacingVerticalS },
    '& a': { color: tokens.colorBrandForegroundLink },
    '& img': { maxWidth: '100%' },
  },
  topics: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  counts: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  comments: { display: 'grid', gap: tokens.spacingVerticalS, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, paddingTop: tokens.spacingVerticalS },
  commentList: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  comment: { display: 'flex', gap: tokens.spacingHorizontalS },
  commentBody: { backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusMedium, padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`, flexGrow: 1 },
  replies: { listStyleType: 'none', margin: 0, paddingLeft: tokens.spacingHorizontalXXL, display: 'grid', gap: tokens.spacingVerticalXS },
  form: { display: 'grid', gap: tokens.spacingVerticalXS },
  send: { justifySelf: 'end' },
});

function useDate() {
  const { locale } = useRuche();
  return (iso: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** One post in a feed: author, community, body, topics, reactions and comments. */
export function PostCard({ post: initial, headingLevel = 2 }: { post: Post; headingLevel?: 2 | 3 }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const errorText = useErrorText();
  const formatDate = useDate();
  const [post, setPost] = useState(initial);
  const [showComments, setShowComments] = useState(false);
  const [reactionError, setReactionError] = useState<string | null>(null);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const titleId = `post-${post.id}-title`;

  /** Optimistic: the count moves at once and comes back if the server refuses. */
  async function react(kind: ReactionKind | null) {
    const before = post;
    const counts = { ...post.counts.reactions };
    let total = post.counts.reactionsTotal;
    if (post.viewerReaction) {
      counts[post.viewerReaction] -= 1;
      total -= 1;
    }
    if (kind) {
      counts[kind] += 1;
      total += 1;
    }
    setPost({ ...post, viewerReaction: kind, counts: { ...post.counts, reactions: counts, reactionsTotal: total } });
    setReactionError(null);
    try {
      const path = { params: { path: { postId: post.id } } };
      const summary = kind
        ? await unwrap(client.PUT('/api/v1/posts/{postId}/reaction', { ...path, body: { kind } }))
        : await unwrap(client.DELETE('/api/v1/posts/{postId}/reaction', path));
      if (summary && typeof summary === 'object' && 'counts' in summary) {
        setPost((p) => ({ ...p, viewerReaction: summary.viewerReaction, counts: { ...p.counts, reactions: summary.counts, reactionsTotal: summary.total } }));
      }
    } catch (err) {
      setPost(before);
      setReactionError(errorText(err));
    }
  }

  const mine = post.viewerReaction;
  const mainKind: ReactionKind = mine ?? 'like';
  const mainLabel = mine
    ? t('feed.removeReaction', { reaction: t(`feed.reactionKinds.${mine}`) })
    : t('feed.reactWith', { reaction: t('feed.reactionKinds.like') });
  const answered = post.question?.acceptedCommentId;

  return (
    <Card className={styles.card} aria-labelledby={titleId}>
      <div className={styles.header}>
        <Avatar name={post.author.displayName} size={36} aria-hidden="true" />
        <div className={styles.meta}>
          <Text weight="semibold">{post.author.displayName}</Text>
          <span className={styles.sub}>
            {post.community ? (
              <>
                {t('feed.inCommunity', { community: '' })}
                <AppLink to={{ page: 'community', ref: post.community.id }}>{post.community.name}</AppLink>
                {' · '}
              </>
            ) : null}
            <time dateTime={post.createdAt}>{formatDate(post.createdAt)}</time>
            {post.edited ? ` · ${t('feed.edited')}` : null}
          </span>
        </div>
        <div className={styles.badges}>
          {post.isNew ? <Badge color="brand">{t('feed.isNew')}</Badge> : null}
          {post.pinned ? <Badge appearance="outline" color="important">{t('feed.pinned')}</Badge> : null}
          {post.kind !== 'discussion' ? <Badge appearance="tint" color="informative">{t(`feed.kinds.${post.kind}`)}</Badge> : null}
          {answered ? <Badge appearance="tint" color="success">{t('feed.answered')}</Badge> : null}
        </div>
      </div>
      <Heading id={titleId} className={styles.title}>
        {post.title || t('feed.by', { name: post.author.displayName })}
      </Heading>
      {/* bodyHtml is rendered and sanitised by the server. */}
      <div className={styles.body} dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
      {post.topics.length > 0 ? (
        <div className={styles.topics}>
          {post.topics.map((topic) => (
            <Badge key={topic.slug} appearance="outline" shape="rounded">
              #{topic.name}
            </Badge>
          ))}
        </div>
      ) : null}
      <div className={styles.actions}>
        <Button
          appearance={mine ? 'primary' : 'secondary'}
          size="small"
          aria-pressed={!!mine}
          aria-label={mainLabel}
          icon={mine === 'like' ? <ThumbLikeFilled /> : reactionIcon[mainKind]}
          onClick={() => void react(mine ? null : 'like')}
        >
          {t(`feed.reactionKinds.${mainKind}`)}
        </Button>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button size="small" appearance="subtle" icon={<ChevronDownRegular />} aria-label={t('feed.moreReactions')} />
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              {reactionKinds.map((kind) => (
                <MenuItem key={kind} icon={reactionIcon[kind]} onClick={() => void react(kind === mine ? null : kind)}>
                  {kind === mine ? t('feed.removeReaction', { reaction: t(`feed.reactionKinds.${kind}`) }) : t(`feed.reactionKinds.${kind}`)}
                </MenuItem>
              ))}
            </MenuList>
          </MenuPopover>
        </Menu>
        <span className={styles.counts}>{t('feed.reactions', { count: post.counts.reactionsTotal })}</span>
        <Button
          size="small"
          appearance="subtle"
          icon={<ChatRegular />}
          aria-expanded={showComments}
          onClick={() => setShowComments((v) => !v)}
        >
          {showComments ? t('feed.hideComments') : t('feed.showComments', { count: post.counts.comments })}
        </Button>
      </div>
      {reactionError ? <ErrorMessage error={new Error(reactionError)} /> : null}
      {showComments ? (
        <Comments postId={post.id} onAdded={() => setPost((p) => ({ ...p, counts: { ...p.counts, comments: p.counts.comments + 1 } }))} />
      ) : null}
    </Card>
  );
}

function CommentItem({ comment }: { comment: Comment | Comment['replies'][number] }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const name = comment.author?.displayName ?? '—';
  const deleted = 'deleted' in comment && comment.deleted;
  return (
    <div className={styles.comment}>
      <Avatar name={name} size={24} aria-hidden="true" />
      <div className={styles.commentBody}>
        <Text weight="semibold" size={200}>
          {name}
        </Text>{' '}
        {comment.accepted ? <Badge color="success" size="small">{t('feed.accepted')}</Badge> : null}
        {deleted ? <Text italic>{t('feed.deletedComment')}</Text> : <div className={styles.body} dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />}
      </div>
    </div>
  );
}

function Comments({ postId, onAdded }: { postId: string; onAdded(): void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const [items, setItems] = useState<Comment[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);

  const load = () => {
    setError(null);
    unwrap(client.GET('/api/v1/posts/{postId}/comments', { params: { path: { postId }, query: { limit: 50 } } })).then(
      (page) => setItems(page.items),
      setError,
    );
  };
  // Load once, when the comments are opened.
  useEffect(load, []);

  async function send(event: FormEvent) {
    event.preventDefault();
    const body = draft.trim();
    if (!body) return;
    setSending(true);
    setSendError(null);
    try {
      const comment = await unwrap(client.POST('/api/v1/posts/{postId}/comments', { params: { path: { postId } }, body: { body } }));
      setItems((list) => [...(list ?? []), comment]);
      setDraft(''); // only once saved: a refused comment stays in the box
      onAdded();
    } catch (err) {
      setSendError(err);
    } finally {
      setSending(false);
    }
  }

  return (
    <div className={styles.comments}>
      {error ? <ErrorMessage error={error} onRetry={load} /> : null}
      {!error && !items ? <Text role="status">{t('common.loading')}</Text> : null}
      {items && items.length === 0 ? <Text>{t('feed.noComments')}</Text> : null}
      {items && items.length > 0 ? (
        <ul className={styles.commentList}>
          {items.map((c) => (
            <li key={c.id}>
              <CommentItem comment={c} />
              {c.replies.length > 0 ? (
                <ul className={styles.replies}>
                  {c.replies.map((r) => (
                    <li key={r.id}>
                      <CommentItem comment={r} />
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <form className={styles.form} onSubmit={(e) => void send(e)}>
        <Field label={t('feed.commentLabel')}>
          <Textarea value={draft} placeholder={t('feed.commentPlaceholder')} onChange={(_e, d) => setDraft(d.value)} resize="vertical" />
        </Field>
        {sendError ? <ErrorMessage error={sendError} /> : null}
        <Button className={styles.send} type="submit" appearance="primary" disabled={sending || !draft.trim()}>
          {t('feed.send')}
        </Button>
      </form>
    </div>
  );
}
