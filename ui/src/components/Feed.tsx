import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { NewsRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Post } from '../api/client.js';
import { useRuche } from '../context.js';
import { PostCard } from './PostCard.js';
import { CardSkeletons, EmptyState, ErrorMessage } from './States.js';

export type FeedSource = { kind: 'home' } | { kind: 'community'; communityId: string };

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  more: { justifySelf: 'center' },
  root: { display: 'grid', gap: tokens.spacingVerticalM },
});

interface FeedState {
  items: Post[];
  nextCursor: string | null;
}

/** A feed (home or community), pinned posts first, keyset-paged with "load more". */
export function Feed({ source, labelledBy, headingLevel = 2 }: { source: FeedSource; labelledBy?: string; headingLevel?: 2 | 3 }) {
  const { client } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const [feed, setFeed] = useState<FeedState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const generation = useRef(0);
  const communityId = source.kind === 'community' ? source.communityId : null;

  const fetchPage = useCallback(
    async (cursor?: string) => {
      const query = { limit: 20, ...(cursor ? { cursor } : {}) };
      const page = communityId
        ? await unwrap(client.GET('/api/v1/feeds/communities/{communityId}', { params: { path: { communityId }, query } }))
        : await unwrap(client.GET('/api/v1/feeds/home', { params: { query } }));
      return { items: [...(cursor ? [] : page.pinned), ...page.items], nextCursor: page.nextCursor };
    },
    [client, communityId],
  );

  const load = useCallback(() => {
    const mine = ++generation.current;
    setFeed(null);
    setError(null);
    fetchPage().then(
      (f) => mine === generation.current && setFeed(f),
      (err: unknown) => mine === generation.current && setError(err),
    );
  }, [fetchPage]);
  useEffect(load, [load]);

  async function loadMore() {
    if (!feed?.nextCursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const next = await fetchPage(feed.nextCursor);
      const seen = new Set(feed.items.map((p) => p.id));
      setFeed({ items: [...feed.items, ...next.items.filter((p) => !seen.has(p.id))], nextCursor: next.nextCursor });
    } catch (err) {
      setMoreError(err);
    } finally {
      setLoadingMore(false);
    }
  }

  if (error) return <ErrorMessage error={error} onRetry={load} />;
  if (!feed) return <CardSkeletons count={3} />;
  if (feed.items.length === 0) {
    return (
      <EmptyState
        icon={<NewsRegular fontSize={40} aria-hidden="true" />}
        title={t('feed.empty')}
        hint={communityId ? t('feed.emptyCommunity') : t('feed.emptyHint')}
      />
    );
  }
  return (
    <div className={styles.root}>
      <ul className={styles.list} aria-label={labelledBy ? undefined : t('feed.label')} aria-labelledby={labelledBy}>
        {feed.items.map((post) => (
          <li key={post.id}>
            <PostCard post={post} headingLevel={headingLevel} />
          </li>
        ))}
      </ul>
      {moreError ? <ErrorMessage error={moreError} onRetry={() => void loadMore()} /> : null}
      {feed.nextCursor ? (
        <Button className={styles.more} onClick={() => void loadMore()} disabled={loadingMore}>
          {loadingMore ? t('common.loadingMore') : t('common.loadMore')}
        </Button>
      ) : null}
    </div>
  );
}
