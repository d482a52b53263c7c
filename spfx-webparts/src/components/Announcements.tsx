import { Badge, Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircleRegular, MegaphoneRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CardSkeletons, EmptyState, ErrorMessage, PostCard, useRuche, type Post } from '../ui/index.js';
import { useSpfxApi } from '../common/RucheHost.js';
import type { Layout } from './ScopedFeed.js';
import { WebPartFrame } from './WebPartFrame.js';

/** The announcement as GET /api/v1/announcements returns it (the ui's schema does not have it yet). */
export interface Announcement {
  post: Post;
  mustRead: boolean;
  version: number;
  versionAt: string;
  acknowledgement: {
    required: boolean;
    acknowledged: boolean;
    acknowledgedAt: string | null;
    acknowledgedVersion: number | null;
  } | null;
}

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  grid: { gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 320px), 1fr))', columnGap: tokens.spacingHorizontalM },
  item: { display: 'grid', gap: tokens.spacingVerticalS },
  bar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  done: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, color: tokens.colorNeutralForeground1 },
});

/** Announcements addressed to the visitor, must-read ones with their acknowledgement. */
export function Announcements({ title, count, pendingOnly, layout }: { title?: string; count: number; pendingOnly: boolean; layout: Layout }): JSX.Element {
  const api = useSpfxApi();
  const { t } = useTranslation();
  const styles = useStyles();
  const [items, setItems] = useState<Announcement[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const limit = Math.max(1, Math.min(50, Math.round(count) || 5));

  const load = useCallback(() => {
    const mine = ++generation.current;
    setItems(null);
    setError(null);
    api
      .json<{ items: Announcement[] }>('/announcements', { query: { limit, ...(pendingOnly ? { pending: 'true' } : {}) } })
      .then(
        (page) => mine === generation.current && setItems(page.items),
        (err: unknown) => mine === generation.current && setError(err),
      );
  }, [api, limit, pendingOnly]);
  useEffect(load, [load]);

  let content;
  if (error) content = <ErrorMessage error={error} onRetry={load} />;
  else if (!items) content = <CardSkeletons count={Math.min(limit, 3)} />;
  else if (items.length === 0)
    content = (
      <EmptyState
        icon={<MegaphoneRegular fontSize={40} aria-hidden="true" />}
        title={pendingOnly ? t('spfx.announcementsEmptyPending') : t('spfx.announcementsEmpty')}
      />
    );
  else
    content = (
      <ul className={mergeClasses(styles.list, layout === 'grid' && styles.grid)} aria-label={title || undefined}>
        {items.map((a) => (
          <li key={a.post.id} className={styles.item}>
            <AnnouncementItem
              announcement={a}
              onChange={(next) => setItems((list) => (list ?? []).map((x) => (x.post.id === next.post.id ? next : x)))}
            />
          </li>
        ))}
      </ul>
    );
  return (
    <WebPartFrame title={title} place={{ page: 'home' }}>
      {content}
    </WebPartFrame>
  );
}

function AnnouncementItem({ announcement: a, onChange }: { announcement: Announcement; onChange(a: Announcement): void }): JSX.Element {
  const api = useSpfxApi();
  const { locale } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ack = a.acknowledgement;

  async function acknowledge(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      onChange(await api.json<Announcement>(`/announcements/${encodeURIComponent(a.post.id)}/acknowledge`, { method: 'POST' }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const date = (iso: string): string => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));
  return (
    <>
      <PostCard post={a.post} headingLevel={3} />
      {a.mustRead || ack ? (
        <div className={styles.bar}>
          {a.mustRead ? <Badge appearance="filled" color="important">{t('spfx.mustRead')}</Badge> : null}
          {ack?.required && !ack.acknowledged ? (
            <>
              {ack.acknowledgedVersion !== null ? <Text size={200}>{t('spfx.acknowledgeAgain')}</Text> : null}
              <Button appearance="primary" disabled={busy} onClick={() => void acknowledge()}>
                {t('spfx.acknowledge')}
              </Button>
            </>
          ) : null}
          {ack?.acknowledged && ack.acknowledgedAt ? (
            <span className={styles.done}>
              <CheckmarkCircleRegular aria-hidden="true" />
              <Text size={200}>{t('spfx.acknowledged', { date: date(ack.acknowledgedAt) })}</Text>
            </span>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </>
  );
}
