import {
  Badge,
  Button,
  Text,
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
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Post, type ReactionKind } from '../api/client.js';
import { useRuche } from '../context.js';
import { useLive } from '../live/useLive.js';
import { AppLink } from './AppLink.js';
import { InitialsAvatar } from './InitialsAvatar.js';
import { AttachmentList } from './PostCardFiles.js';
import type { Mutate } from './PostCardParts.js';
import { ErrorMessage, useErrorText } from './States.js';
import { Surface } from './Surface.js';

const Comments = lazy(() => import('./PostComments.js'));
// Loaded on demand, to keep the home page light: the reaction menu when first opened, the
// idea, poll and event panels only for posts of those kinds, after the feed's first paint.
const loadReactionMenu = () => import('./PostCardReactionMenu.js');
const ReactionMenu = lazy(loadReactionMenu);
const loadParts = () => import('./PostCardParts.js');
const IdeaPanel = lazy(() => loadParts().then((m) => ({ default: m.IdeaPanel })));
const PollPanel = lazy(() => loadParts().then((m) => ({ default: m.PollPanel })));
const EventPanel = lazy(() => loadParts().then((m) => ({ default: m.EventPanel })));

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
  card: { display: 'grid', gap: tokens.spacingVerticalS, overflow: 'visible', ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
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
    '& .mention, & .topic': { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  },
  topics: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  counts: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/**
 * Renders its children once the card is on screen: a lazy panel starts loading its code when
 * it renders, and so waits for the first paint of the feed rather than competing with it.
 */
function AfterFirstPaint({ children }: { children: ReactNode }) {
  const [painted, setPainted] = useState(false);
  useEffect(() => setPainted(true), []);
  return painted ? <>{children}</> : null;
}

function useDate() {
  const { locale } = useRuche();
  return (iso: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/**
 * One post in a feed: author, community, body, topics, reactions and comments, and what
 * its kind adds (accept an answer, vote for an idea, answer a poll, RSVP to an event).
 * Every action shows at once and comes back with a message if the server refuses it.
 */
export function PostCard({ post: initial, headingLevel = 2, live = true }: { post: Post; headingLevel?: 2 | 3; live?: boolean }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { client, me } = useRuche();
  const errorText = useErrorText();
  const formatDate = useDate();
  const [post, setPost] = useState(initial);
  const [showComments, setShowComments] = useState(false);
  const [menuWanted, setMenuWanted] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const seenComments = useRef(new Set<string>());
  /** Reaction requests of this viewer still unanswered: live counts wait for them (the answer is newer). */
  const reacting = useRef(0);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const titleId = `post-${post.id}-title`;
  const path = { params: { path: { postId: post.id } } };

  /** Counts a comment once, whether it came from this card's form or from the live stream. */
  function noteComment(id: string) {
    if (seenComments.current.has(id)) return;
    seenComments.current.add(id);
    setPost((p) => ({ ...p, counts: { ...p.counts, comments: p.counts.comments + 1 } }));
  }

  useLive((message) => {
    if (message.event === 'comment' && message.data.postId === post.id) noteComment(message.data.id);
    // Others' reactions move the counts; the viewer's own reaction (and its optimistic state) stays as it is.
    if (message.event === 'reaction' && message.data.targetType === 'post' && message.data.targetId === post.id && reacting.current === 0) {
      const { counts, total } = message.data;
      setPost((p) => ({ ...p, counts: { ...p.counts, reactions: counts, reactionsTotal: total } }));
    }
  }, live);

  const mutate: Mutate = async (optimistic, call) => {
    const before = post;
    setPost(optimistic(post));
    setActionError(null);
    try {
      setPost(await call());
    } catch (err) {
      setPost(before);
      setActionError(t('post.actionFailed', { reason: errorText(err) }));
    }
  };

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
    setActionError(null);
    reacting.current += 1;
    try {
      const summary = kind
        ? await unwrap(client.PUT('/api/v1/posts/{postId}/reaction', { ...path, body: { kind } }))
        : await unwrap(client.DELETE('/api/v1/posts/{postId}/reaction', path));
      if (summary && typeof summary === 'object' && 'counts' in summary) {
        setPost((p) => ({ ...p, viewerReaction: summary.viewerReaction, counts: { ...p.counts, reactions: summary.counts, reactionsTotal: summary.total } }));
      }
    } catch (err) {
      setPost(before);
      setActionError(t('post.actionFailed', { reason: errorText(err) }));
    } finally {
      reacting.current -= 1;
    }
  }

  const mine = post.viewerReaction;
  const mainKind: ReactionKind = mine ?? 'like';
  const mainLabel = mine
    ? t('feed.removeReaction', { reaction: t(`feed.reactionKinds.${mine}`) })
    : t('feed.reactWith', { reaction: t('feed.reactionKinds.like') });
  // Until the menu's module is loaded: a button like its trigger, which fetches it on approach and opens it on use.
  const moreButton = (
    <Button
      size="small"
      appearance="subtle"
      icon={<ChevronDownRegular />}
      aria-label={t('feed.moreReactions')}
      aria-haspopup="menu"
      aria-expanded={false}
      onPointerEnter={() => void loadReactionMenu()}
      onFocus={() => void loadReactionMenu()}
      onClick={() => setMenuWanted(true)}
    />
  );
  const answered = post.question?.acceptedCommentId;
  // The asker accepts an answer, and so do the moderators of its community (the comments check; the server decides again).
  const asker = !!me && me.id === post.author.id;

  const accept = (commentId: string | null) =>
    mutate(
      (p) => ({ ...p, question: { acceptedCommentId: commentId } }),
      () =>
        commentId
          ? unwrap(client.PUT('/api/v1/posts/{postId}/accepted-answer', { ...path, body: { commentId } }))
          : unwrap(client.DELETE('/api/v1/posts/{postId}/accepted-answer', path)),
    );

  return (
    <Surface as="article" className={styles.card} aria-labelledby={titleId} data-post-card={post.id} tabIndex={-1}>
      <div className={styles.header}>
        <InitialsAvatar name={post.author.displayName} size={36} aria-hidden="true" />
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
      <AttachmentList post={post} onError={setActionError} />
      {post.idea || post.poll || post.event ? (
        <AfterFirstPaint>
          <Suspense fallback={null}>
            {post.idea ? (
              <IdeaPanel
                post={post}
                mutate={mutate}
                put={() => unwrap(client.PUT('/api/v1/posts/{postId}/idea-vote', path))}
                remove={() => unwrap(client.DELETE('/api/v1/posts/{postId}/idea-vote', path))}
                setStatus={(status, comment) => unwrap(client.PUT('/api/v1/posts/{postId}/idea-status', { ...path, body: { status, comment } }))}
              />
            ) : null}
            {post.poll ? (
              <PollPanel post={post} mutate={mutate} vote={(optionIds) => unwrap(client.PUT('/api/v1/posts/{postId}/poll-vote', { ...path, body: { optionIds } }))} />
            ) : null}
            {post.event ? (
              <EventPanel
                post={post}
                mutate={mutate}
                answer={(response) =>
                  response
                    ? unwrap(client.PUT('/api/v1/posts/{postId}/rsvp', { ...path, body: { response } }))
                    : unwrap(client.DELETE('/api/v1/posts/{postId}/rsvp', path))
                }
              />
            ) : null}
          </Suspense>
        </AfterFirstPaint>
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
        {menuWanted ? (
          <Suspense fallback={moreButton}>
            <ReactionMenu mine={mine} onReact={(kind) => void react(kind)} />
          </Suspense>
        ) : (
          moreButton
        )}
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
      {actionError ? <ErrorMessage error={new Error(actionError)} /> : null}
      {showComments ? (
        <Suspense fallback={<Text role="status">{t('common.loading')}</Text>}>
          <Comments
            postId={post.id}
            acceptedId={post.question?.acceptedCommentId ?? null}
            onAccept={post.kind === 'question' ? (id) => void accept(id) : undefined}
            asker={asker}
            communityId={post.community?.id ?? null}
            onAdded={noteComment}
            live={live}
          />
        </Suspense>
      ) : null}
    </Surface>
  );
}
