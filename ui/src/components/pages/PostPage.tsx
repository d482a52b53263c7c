import { useTranslation } from 'react-i18next';
import { ApiError, unwrap } from '../../api/client.js';
import { useRuche } from '../../context.js';
import { AppLink } from '../AppLink.js';
import { CopyLinkButton } from '../CopyLink.js';
import { PostCard } from '../PostCard.js';
import { CardSkeletons, EmptyState, ErrorMessage, PageHeader } from '../States.js';
import { useLoad, usePageStyles } from './shared.js';

/** One post on its own page: the target of deep links and notifications. */
export function PostPage({ postId }: { postId: string }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const post = useLoad(() => unwrap(client.GET('/api/v1/posts/{postId}', { params: { path: { postId } } })), [client, postId]);
  return (
    <section className={styles.page} aria-labelledby="post-title">
      <PageHeader id="post-title" title={t('postPage.title')} />
      {post.error ? (
        post.error instanceof ApiError && (post.error.status === 404 || post.error.status === 403 || post.error.status === 400) ? (
          <EmptyState title={t('postPage.notFound')} hint={<AppLink to={{ page: 'home' }}>{t('postPage.backHome')}</AppLink>} />
        ) : (
          <ErrorMessage error={post.error} onRetry={post.reload} />
        )
      ) : !post.data ? (
        <CardSkeletons count={1} />
      ) : (
        <>
          <PostCard post={post.data} headingLevel={2} />
          <div>
            <CopyLinkButton place={{ page: 'post', id: post.data.id }} />
          </div>
        </>
      )}
    </section>
  );
}
