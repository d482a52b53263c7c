import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowUpRegular, NewsRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Post } from '../api/client.js';
import { feedPageLimit, takeHomeFeedFirstPage } from '../api/early.js';
import { useRuche } from '../context.js';
import { useLive, useLiveStatus } from '../live/useLive.js';
import { NewsCard, type NewsItem } from './NewsCard.js';
import { Notice } from './Notice.js';
import { PostCard } from './PostCard.js';
import { CardSkeletons, EmptyState, ErrorMessage } from './States.js';

/** How many cards the first commit of a feed holds: enough to fill a tall screen. */
const firstCards = 5;

export type FeedSource = { kind: 'home' } | { kind: 'community'; communityId: string };

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  more: { justifySelf: 'center' },
  root: { display: 'grid', gap: tokens.spacingVerticalM },
  freshRegion: { display: 'grid', justifyItems: 'center', position: 'sticky', top: tokens.spacingVerticalS, zIndex: 5, ':empty': { position: 'absolute' } },
  fresh: { boxShadow: tokens.shadow8 },
  // A rule with its label in the middle (a plain element: Fluent's Divider is not worth its weight on the home page).
  marker: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    marginBottom: tokens.spacingVerticalM,
    color: tokens.colorBrandForeground1,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase200,
    '::before': { content: '""', flexGrow: 1, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorBrandStroke1}` },
    '::after': { content: '""', flexGrow: 1, borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorBrandStroke1}` },
  },
});

interface FeedState {
  items: Post[];
  /** SharePoint news of the pages read so far (home feed), newest first. */
  news: NewsItem[];
  nextCursor: string | null;
}

type Entry = { kind: 'post'; post: Post } | { kind: 'news'; news: NewsItem };

/**
 * Posts with the SharePoint news in the feed's order: each news item before the first post
 * (after pinned and just-created ones) published before it; the server's pages keep the
 * same order, so a news item never lands on the wrong side of a page boundary.
 */
function withNews(posts: Post[], news: NewsItem[]): Entry[] {
  const entries: Entry[] = posts.map((post) => ({ kind: 'post', post }));
  const start = posts.findIndex((p) => !p.pinned);
  for (const item of [...news].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))) {
    let at = entries.findIndex((e, i) => i >= (start < 0 ? posts.length : start) && (e.kind === 'news' ? e.news.publishedAt < item.publishedAt : !e.post.pinned && e.post.createdAt < item.publishedAt));
    if (at < 0) at = entries.length;
    entries.splice(at, 0, { kind: 'news', news: item });
  }
  return entries;
}

export interface FeedProps {
  source: FeedSource;
  labelledBy?: string;
  headingLevel?: 2 | 3;
  /** Posts the viewer just created on this page: shown on top at once. */
  created?: Post[];
  /** Live updates from the server's event stream (default on). */
  live?: boolean;
}

/**
 * A feed (home or community), pinned posts first, keyset-paged with "load more". New posts
 * arriving live wait behind a "N new posts" button, so that nothing moves under the reader;
 * a divider marks where the reader's previous visit ended.
 */
export function Feed({ source, labelledBy, headingLevel = 2, created = [], live = true }: FeedProps) {
  const { client } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const [feed, setFeed] = useState<FeedState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [pending, setPending] = useState<Post[]>([]);
  // The first page's top cards are committed alone, so that they paint sooner; the rest of the page follows once they are on screen.
  const [allShown, setAllShown] = useState(false);
  const generation = useRef(0);
  const listRef = useRef<HTMLUListElement>(null);
  const communityId = source.kind === 'community' ? source.communityId : null;
  const connected = useLiveStatus(live);

  const fetchPage = useCallback(
    async (cursor?: string) => {
      const query = { limit: feedPageLimit, ...(cursor ? { cursor } : {}) };
      // The home feed's first page may have been requested already, while the app's code loaded.
      const early = !communityId && !cursor ? await takeHomeFeedFirstPage() : null;
      const page =
        early ??
        (communityId
          ? await unwrap(client.GET('/api/v1/feeds/communities/{communityId}', { params: { path: { communityId }, query } }))
          : await unwrap(client.GET('/api/v1/feeds/home', { params: { query } })));
      return { items: [...(cursor ? [] : page.pinned), ...page.items], news: page.news ?? [], nextCursor: page.nextCursor };
    },
    [client, communityId],
  );

  const load = useCallback(() => {
    const mine = ++generation.current;
    setFeed(null);
    setError(null);
    setPending([]);
    fetchPage().then(
      (f) => mine === generation.current && setFeed(f),
      (err: unknown) => mine === generation.current && setError(err),
    );
  }, [fetchPage]);
  useEffect(load, [load]);
  const loaded = feed !== null;
  useEffect(() => {
    if (!loaded || allShown) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // After the next frame is painted: a frame callback runs before its paint, the timeout after it.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setAllShown(true), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [loaded, allShown]);

  useLive((message) => {
    if (message.event !== 'post') return;
    const post = message.data;
    if (communityId && post.community?.id !== communityId) return;
    if (created.some((p) => p.id === post.id)) return;
    setPending((list) => {
      if (list.some((p) => p.id === post.id)) return list;
      if (feed?.items.some((p) => p.id === post.id)) return list;
      return [{ ...post, isNew: true }, ...list];
    });
  }, live);

  function showPending() {
    if (!feed) return;
    const seen = new Set([...feed.items, ...created].map((p) => p.id));
    setFeed({ ...feed, items: [...pending.filter((p) => !seen.has(p.id)), ...feed.items] });
    setPending([]);
    // Take the reader (and the focus) to the first new post.
    requestAnimationFrame(() => {
      const first = listRef.current?.querySelector<HTMLElement>('li [data-post-card]');
      first?.focus();
      first?.scrollIntoView({ block: 'start' });
    });
  }

  async function loadMore() {
    if (!feed?.nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const next = await fetchPage(feed.nextCursor);
      const seen = new Set(feed.items.map((p) => p.id));
      const seenNews = new Set(feed.news.map((n) => `${n.siteId}/${n.pageId}`));
      setFeed({
        items: [...feed.items, ...next.items.filter((p) => !seen.has(p.id))],
        news: [...feed.news, ...next.news.filter((n) => !seenNews.has(`${n.siteId}/${n.pageId}`))],
        nextCursor: next.nextCursor,
      });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  if (error) return <ErrorMessage error={error} onRetry={load} />;
  if (!feed) return <CardSkeletons count={3} />;
  const shownIds = new Set(feed.items.map((p) => p.id));
  const mineOnTop = created.filter((p) => !shownIds.has(p.id) && (!communityId || p.community?.id === communityId));
  const items = [...mineOnTop, ...feed.items];
  // A post created here may be heard live before its creation answered: it is shown, not waiting.
  const listed = new Set(items.map((p) => p.id));
  const waiting = pending.filter((p) => !listed.has(p.id));
  const status =
    connected === false ? (
      <Notice intent="warning" role="status">
        {t('live.reconnecting')}
      </Notice>
    ) : null;
  // In a polite live region, so that screen readers hear that new posts are waiting.
  const freshButton = (
    <div className={styles.freshRegion} aria-live="polite">
      {waiting.length > 0 ? (
        <Button className={styles.fresh} appearance="primary" shape="circular" icon={<ArrowUpRegular />} onClick={showPending}>
          {t('live.newPosts', { count: waiting.length })}
        </Button>
      ) : null}
    </div>
  );
  if (items.length === 0 && feed.news.length === 0) {
    return (
      <div className={styles.root}>
        {status}
        {freshButton}
        <EmptyState
          icon={<NewsRegular fontSize={40} aria-hidden="true" />}
          title={t('feed.empty')}
          hint={communityId ? t('feed.emptyCommunity') : t('feed.emptyHint')}
        />
      </div>
    );
  }
  // The previous visit's boundary: after the new items on top, before the first already-seen one.
  const firstOld = items.find((p) => !p.isNew && !p.pinned);
  const hasNew = items.some((p) => p.isNew);
  const entries = withNews(items, feed.news);
  const rendered = allShown ? entries : entries.slice(0, firstCards);
  return (
    <div className={styles.root}>
      {status}
      {freshButton}
      <ul ref={listRef} className={styles.list} aria-label={labelledBy ? undefined : t('feed.label')} aria-labelledby={labelledBy}>
        {rendered.map((entry, i) =>
          entry.kind === 'news' ? (
            <li key={`news:${entry.news.siteId}/${entry.news.pageId}`}>
              <NewsCard news={entry.news} headingLevel={headingLevel} />
            </li>
          ) : (
            <li key={entry.post.id}>
              {hasNew && entry.post === firstOld && i > 0 ? (
                <div className={styles.marker} role="separator" aria-label={t('live.earlier')}>
                  {t('live.earlier')}
                </div>
              ) : null}
              <PostCard post={entry.post} headingLevel={headingLevel} live={live} />
            </li>
          ),
        )}
      </ul>
      {moreError ? <ErrorMessage error={moreError} onRetry={() => void loadMore()} /> : null}
      {feed.nextCursor && allShown ? (
        <Button className={styles.more} onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? t('common.loadingMore') : t('common.loadMore')}
        </Button>
      ) : null}
    </div>
  );
}
