import {
  Button,
  Card,
  CardHeader,
  Field,
  MessageBar,
  MessageBarBody,
  SearchBox,
  Select,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PeopleCommunityRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Community, type CommunityKind } from '../api/client.js';
import { useRuche } from '../context.js';
import { AppLink } from './AppLink.js';
import { CommunityBadges } from './CommunityBadges.js';
import { JoinButton } from './JoinButton.js';
import { CardSkeletons, EmptyState, ErrorMessage, PageHeader, useErrorText } from './States.js';

const kinds: CommunityKind[] = ['org_unit', 'interest', 'profession', 'project'];
const PAGE = 20;

const useStyles = makeStyles({
  root: { display: 'grid', gap: tokens.spacingVerticalL },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end' },
  search: { minWidth: '260px', flexGrow: 1 },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM, gridTemplateColumns: 'repeat(auto-fill, minmax(300px, 1fr))' },
  card: { height: '100%' },
  description: {
    color: tokens.colorNeutralForeground2,
    display: '-webkit-box',
    WebkitLineClamp: 3,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
  footer: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalS, marginTop: 'auto' },
  more: { justifySelf: 'center' },
  srOnly: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  name: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
});

interface Page {
  items: Community[];
  nextCursor: string | null;
}

/** The directory: search (typo-tolerant, on the server), kind filter, join / request / leave, "load more". */
export function CommunityDirectory() {
  const { client } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const errorText = useErrorText();
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [kind, setKind] = useState<CommunityKind | ''>('');
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [notice, setNotice] = useState<{ intent: 'success' | 'error'; text: string } | null>(null);
  const generation = useRef(0);

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);

  const fetchPage = useCallback(
    (cursor?: string) =>
      unwrap(
        client.GET('/api/v1/communities', {
          params: {
            query: {
              limit: PAGE,
              ...(debounced ? { q: debounced } : {}),
              ...(kind ? { kind } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    [client, debounced, kind],
  );

  const load = useCallback(() => {
    const mine = ++generation.current;
    setPage(null);
    setError(null);
    fetchPage().then(
      (p) => mine === generation.current && setPage(p),
      (err: unknown) => mine === generation.current && setError(err),
    );
  }, [fetchPage]);

  useEffect(load, [load]);

  async function loadMore() {
    if (!page?.nextCursor) return;
    const mine = generation.current;
    setLoadingMore(true);
    try {
      const next = await fetchPage(page.nextCursor);
      if (mine === generation.current) setPage({ items: [...page.items, ...next.items], nextCursor: next.nextCursor });
    } catch (err) {
      setNotice({ intent: 'error', text: errorText(err) });
    } finally {
      setLoadingMore(false);
    }
  }

  function replace(community: Community, message: string) {
    setPage((p) => (p ? { ...p, items: p.items.map((c) => (c.id === community.id ? community : c)) } : p));
    setNotice({ intent: 'success', text: message });
  }

  return (
    <section className={styles.root} aria-labelledby="communities-title">
      <PageHeader id="communities-title" title={t('communities.title')} intro={t('communities.intro')} />
      <div className={styles.filters} role="search">
        <Field label={t('communities.searchLabel')} className={styles.search}>
          <SearchBox
            value={query}
            placeholder={t('communities.searchPlaceholder')}
            onChange={(_e, data) => setQuery(data.value)}
          />
        </Field>
        <Field label={t('communities.kindLabel')}>
          <Select value={kind} onChange={(_e, data) => setKind(data.value as CommunityKind | '')}>
            <option value="">{t('communities.kinds.all')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(`communities.kinds.${k}`)}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div aria-live="polite">
        {notice ? (
          <MessageBar intent={notice.intent}>
            <MessageBarBody>{notice.text}</MessageBarBody>
          </MessageBar>
        ) : null}
      </div>
      {error ? <ErrorMessage error={error} onRetry={load} /> : null}
      {!error && !page ? <CardSkeletons count={4} /> : null}
      {page && page.items.length === 0 ? (
        <EmptyState
          icon={<PeopleCommunityRegular fontSize={40} aria-hidden="true" />}
          title={debounced ? t('communities.emptySearch', { q: debounced }) : t('communities.empty')}
          hint={t('communities.emptyHint')}
        />
      ) : null}
      {page && page.items.length > 0 ? (
        <>
          <p className={styles.srOnly} role="status">
            {t('communities.results', { count: page.items.length })}
          </p>
          <ul className={styles.list} aria-labelledby="communities-title">
            {page.items.map((community) => (
              <li key={community.id}>
                <Card className={styles.card}>
                  <CardHeader
                    header={
                      <AppLink to={{ page: 'community', ref: community.slug }} className={styles.name}>
                        {community.name}
                      </AppLink>
                    }
                    description={<Text size={200}>{t('communities.members', { count: community.memberCount })}</Text>}
                  />
                  <CommunityBadges community={community} />
                  {community.description ? <Text className={styles.description}>{community.description}</Text> : null}
                  <div className={styles.footer}>
                    <span />
                    <JoinButton
                      community={community}
                      onChange={replace}
                      onError={(text) => setNotice({ intent: 'error', text })}
                    />
                  </div>
                </Card>
              </li>
            ))}
          </ul>
          {page.nextCursor ? (
            <Button className={styles.more} onClick={() => void loadMore()} disabled={loadingMore}>
              {loadingMore ? t('common.loadingMore') : t('common.loadMore')}
            </Button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
