import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { NewsRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CardSkeletons, EmptyState, ErrorMessage, PostCard, unwrap, useRuche, type Place, type Post } from '../ui/index.js';
import { WebPartFrame } from './WebPartFrame.js';

export type FeedScope = 'home' | 'community' | 'department' | 'topic';
export type Layout = 'list' | 'grid';

export interface ScopedFeedProps {
  title?: string;
  scope: FeedScope;
  /** A community's ref (slug) or id, for scope 'community'. */
  community?: string;
  /** A department's name, for scope 'department': the feed of its org-unit community. */
  department?: string;
  /** A topic's name or slug (with or without #), for scope 'topic'. */
  topic?: string;
  count: number;
  layout: Layout;
}

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  grid: { gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 320px), 1fr))', columnGap: tokens.spacingHorizontalM },
});

/** Accents and case do not matter when a page author names a department. */
function sameName(a: string, b: string): boolean {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase().trim();
  return fold(a) === fold(b);
}

class UnknownDepartment extends Error {}

/** The first posts of a feed (home, a community's, a department's or a topic's), count chosen by the page author. */
export function ScopedFeed({ title, scope, community, department, topic, count, layout }: ScopedFeedProps): JSX.Element {
  const { client } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const [posts, setPosts] = useState<Post[] | null>(null);
  const [place, setPlace] = useState<Place | undefined>(scope === 'home' ? { page: 'home' } : undefined);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const limit = Math.max(1, Math.min(50, Math.round(count) || 5));
  const communityRef = (community ?? '').trim();
  const topicName = (topic ?? '').trim().replace(/^#/, '');
  const departmentName = (department ?? '').trim();

  const load = useCallback(() => {
    const mine = ++generation.current;
    setPosts(null);
    setError(null);
    const fetchPosts = async (): Promise<Post[]> => {
      const query = { limit };
      if (scope === 'community') {
        const c = await unwrap(client.GET('/api/v1/communities/{ref}', { params: { path: { ref: communityRef } } }));
        if (mine === generation.current) setPlace({ page: 'community', ref: c.slug ?? c.id });
        const page = await unwrap(client.GET('/api/v1/feeds/communities/{communityId}', { params: { path: { communityId: c.id }, query } }));
        return [...page.pinned, ...page.items].slice(0, limit);
      }
      if (scope === 'department') {
        // The department's org-unit community: the one of that name among the org units.
        const found = await unwrap(
          client.GET('/api/v1/communities', { params: { query: { kind: 'org_unit', q: departmentName, limit: 10 } } }),
        );
        const c = found.items.find((x) => sameName(x.name, departmentName));
        if (!c) throw new UnknownDepartment(departmentName);
        if (mine === generation.current) setPlace({ page: 'community', ref: c.slug ?? c.id });
        const page = await unwrap(client.GET('/api/v1/feeds/communities/{communityId}', { params: { path: { communityId: c.id }, query } }));
        return [...page.pinned, ...page.items].slice(0, limit);
      }
      if (scope === 'topic') {
        const page = await unwrap(client.GET('/api/v1/feeds/topics/{topic}', { params: { path: { topic: topicName }, query } }));
        return [...page.pinned, ...page.items].slice(0, limit);
      }
      const page = await unwrap(client.GET('/api/v1/feeds/home', { params: { query } }));
      return [...page.pinned, ...page.items].slice(0, limit);
    };
    fetchPosts().then(
      (p) => mine === generation.current && setPosts(p),
      (err: unknown) => mine === generation.current && setError(err),
    );
  }, [client, scope, communityRef, departmentName, topicName, limit]);

  const missing = (scope === 'community' && !communityRef) || (scope === 'department' && !departmentName) || (scope === 'topic' && !topicName);
  useEffect(() => {
    if (!missing) load();
  }, [load, missing]);

  let content;
  if (missing)
    content = (
      <EmptyState
        title={scope === 'community' ? t('spfx.communityMissing') : scope === 'department' ? t('spfx.departmentMissing') : t('spfx.topicMissing')}
      />
    );
  else if (error instanceof UnknownDepartment) content = <EmptyState title={t('spfx.departmentUnknown', { department: departmentName })} />;
  else if (error) content = <ErrorMessage error={error} onRetry={load} />;
  else if (!posts) content = <CardSkeletons count={Math.min(limit, 3)} />;
  else if (posts.length === 0)
    content = <EmptyState icon={<NewsRegular fontSize={40} aria-hidden="true" />} title={t('feed.empty')} hint={t('feed.emptyHint')} />;
  else
    content = (
      <ul className={mergeClasses(styles.list, layout === 'grid' && styles.grid)} aria-label={title || t('feed.label')}>
        {posts.map((post) => (
          <li key={post.id}>
            <PostCard post={post} headingLevel={3} />
          </li>
        ))}
      </ul>
    );
  return (
    <WebPartFrame title={title} place={place}>
      {content}
    </WebPartFrame>
  );
}
