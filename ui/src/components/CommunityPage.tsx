import {
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  Persona,
  Badge,
  Text,
  Title2,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeftRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap, type Community, type CommunityMember, type Post } from '../api/client.js';
import { useRuche } from '../context.js';
import { AppLink } from './AppLink.js';
import { CommunityBadges } from './CommunityBadges.js';
import { ComposerLauncher } from './ComposerLauncher.js';
import { Feed } from './Feed.js';
import { JoinButton } from './JoinButton.js';
import { CardSkeletons, EmptyState, ErrorMessage } from './States.js';

const useStyles = makeStyles({
  root: { display: 'grid', gap: tokens.spacingVerticalL },
  header: { display: 'grid', gap: tokens.spacingVerticalS },
  titleRow: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'center', justifyContent: 'space-between' },
  columns: {
    display: 'grid',
    gap: tokens.spacingHorizontalXL,
    gridTemplateColumns: 'minmax(0, 2fr) minmax(240px, 1fr)',
    '@media (max-width: 800px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  section: { display: 'grid', gap: tokens.spacingVerticalM, alignContent: 'start' },
  members: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  member: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  back: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  description: { color: tokens.colorNeutralForeground2 },
});

/**
 * A community: header with join state, the composer preset to it for those who may post
 * there (the policy's answer: members, or only owners and moderators when posting is
 * restricted), its live feed, and its members.
 */
export function CommunityPage({ communityRef }: { communityRef: string }) {
  const { client } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const [community, setCommunity] = useState<Community | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const [created, setCreated] = useState<Post[]>([]);

  const load = useCallback(() => {
    setError(null);
    setCommunity(null);
    setCreated([]);
    unwrap(client.GET('/api/v1/communities/{ref}', { params: { path: { ref: communityRef } } })).then(setCommunity, setError);
  }, [client, communityRef]);
  useEffect(load, [load]);

  const back = (
    <AppLink to={{ page: 'communities' }}>
      <span className={styles.back}>
        <ArrowLeftRegular aria-hidden="true" /> {t('community.back')}
      </span>
    </AppLink>
  );

  if (error) {
    return (
      <div className={styles.root}>
        {back}
        {error instanceof ApiError && error.status === 404 ? (
          <EmptyState title={t('community.notFound')} />
        ) : (
          <ErrorMessage error={error} onRetry={load} />
        )}
      </div>
    );
  }
  if (!community) return <CardSkeletons count={2} />;

  return (
    <article className={styles.root} aria-labelledby="community-title">
      {back}
      <header className={styles.header}>
        <div className={styles.titleRow}>
          <Title2 as="h1" id="community-title">
            {community.name}
          </Title2>
          <JoinButton
            community={community}
            onChange={(c, text) => {
              setCommunity(c);
              setNotice({ intent: 'success', text });
            }}
            onError={(text) => setNotice({ intent: 'error', text })}
          />
        </div>
        <CommunityBadges community={community} />
        <Text>{t('communities.members', { count: community.memberCount })}</Text>
        {community.description ? <Text className={styles.description}>{community.description}</Text> : null}
        <div aria-live="polite">
          {notice ? (
            <MessageBar intent={notice.intent}>
              <MessageBarBody>{notice.text}</MessageBarBody>
            </MessageBar>
          ) : null}
        </div>
      </header>
      <div className={styles.columns}>
        <section className={styles.section} aria-labelledby="community-feed">
          {community.permissions.post ? (
            <ComposerLauncher
              key={community.id}
              communityId={community.id}
              onCreated={(post) => setCreated((list) => [post, ...list])}
            />
          ) : community.restrictedPosting && community.membership?.state === 'active' ? (
            <Text className={styles.description}>{t('community.restrictedPosting')}</Text>
          ) : null}
          <Title3 as="h2" id="community-feed">
            {t('community.feed')}
          </Title3>
          {community.permissions.read ? (
            <Feed key={`${community.id}:${community.membership?.state ?? ''}`} source={{ kind: 'community', communityId: community.id }} labelledBy="community-feed" headingLevel={3} created={created} />
          ) : (
            <EmptyState title={t('community.readOnly')} />
          )}
        </section>
        <section className={styles.section} aria-labelledby="community-members">
          <Title3 as="h2" id="community-members">
            {t('community.members')}
          </Title3>
          {community.permissions.read ? <Members key={community.memberCount} communityId={community.id} /> : null}
        </section>
      </div>
    </article>
  );
}

function Members({ communityId }: { communityId: string }) {
  const { client } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const [items, setItems] = useState<CommunityMember[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const fetchPage = useCallback(
    (after?: string) =>
      unwrap(
        client.GET('/api/v1/communities/{ref}/members', {
          params: { path: { ref: communityId }, query: { limit: 20, ...(after ? { cursor: after } : {}) } },
        }),
      ),
    [client, communityId],
  );
  const load = useCallback(() => {
    setError(null);
    fetchPage().then((p) => {
      setItems(p.items);
      setCursor(p.nextCursor);
    }, setError);
  }, [fetchPage]);
  useEffect(load, [load]);

  async function more() {
    if (!cursor) return;
    setBusy(true);
    try {
      const p = await fetchPage(cursor);
      setItems((list) => [...(list ?? []), ...p.items]);
      setCursor(p.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (error) return <ErrorMessage error={error} onRetry={load} />;
  if (!items) return <CardSkeletons count={1} />;
  if (items.length === 0) return <EmptyState title={t('community.noMembers')} />;
  return (
    <Card>
      <ul className={styles.members} aria-labelledby="community-members">
        {items.map((m) => (
          <li key={m.personId} className={styles.member}>
            <Persona
              name={m.displayName}
              secondaryText={[m.jobTitle, m.department].filter(Boolean).join(' · ')}
              avatar={{ 'aria-hidden': true }}
            />
            {m.role !== 'member' ? <Badge appearance="tint">{t(`community.roles.${m.role}`)}</Badge> : null}
          </li>
        ))}
      </ul>
      {cursor ? (
        <Button onClick={() => void more()} disabled={busy}>
          {busy ? t('common.loadingMore') : t('common.loadMore')}
        </Button>
      ) : null}
    </Card>
  );
}
