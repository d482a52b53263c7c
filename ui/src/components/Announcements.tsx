import { Badge, Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircleRegular, MegaphoneRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Schemas } from '../api/client.js';
import { useRuche } from '../context.js';
import { PostCard } from './PostCard.js';
import { CardSkeletons, EmptyState, ErrorMessage } from './States.js';

export type Announcement = Schemas['Announcement'];

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  grid: { gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 320px), 1fr))', columnGap: tokens.spacingHorizontalM },
  item: { display: 'grid', gap: tokens.spacingVerticalS },
  bar: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  done: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, color: tokens.colorNeutralForeground1 },
});

export interface AnnouncementsProps {
  /** How many to show (1 to 50). */
  count: number;
  /** Only the must-read ones the viewer still has to acknowledge. */
  pendingOnly: boolean;
  layout?: 'list' | 'grid';
  /** The list's accessible name. */
  label?: string;
  /** Render nothing at all when there is nothing to show (the home page), rather than an empty state. */
  hideWhenEmpty?: boolean;
  headingLevel?: 2 | 3;
}

/**
 * Announcements addressed to the viewer, must-read ones with their acknowledgement (again
 * after a material edit). Shared by the tabs' home page and the SharePoint web part.
 */
export function Announcements({ count, pendingOnly, layout = 'list', label, hideWhenEmpty = false, headingLevel = 3 }: AnnouncementsProps) {
  const { client } = useRuche();
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
    unwrap(client.GET('/api/v1/announcements', { params: { query: { limit, ...(pendingOnly ? { pending: 'true' as const } : {}) } } })).then(
      (page) => mine === generation.current && setItems(page.items),
      (err: unknown) => mine === generation.current && setError(err),
    );
  }, [client, limit, pendingOnly]);
  useEffect(load, [load]);

  if (error) return <ErrorMessage error={error} onRetry={load} />;
  if (!items) return hideWhenEmpty ? null : <CardSkeletons count={Math.min(limit, 3)} />;
  if (items.length === 0) {
    if (hideWhenEmpty) return null;
    return (
      <EmptyState
        icon={<MegaphoneRegular fontSize={40} aria-hidden="true" />}
        title={pendingOnly ? t('announcements.emptyPending') : t('announcements.empty')}
      />
    );
  }
  return (
    <ul className={mergeClasses(styles.list, layout === 'grid' && styles.grid)} aria-label={label || t('announcements.label')}>
      {items.map((a) => (
        <li key={a.post.id} className={styles.item}>
          <AnnouncementItem
            announcement={a}
            headingLevel={headingLevel}
            onChange={(next) => setItems((list) => (list ?? []).map((x) => (x.post.id === next.post.id ? next : x)))}
          />
        </li>
      ))}
    </ul>
  );
}

function AnnouncementItem({ announcement: a, onChange, headingLevel }: { announcement: Announcement; onChange(a: Announcement): void; headingLevel: 2 | 3 }) {
  const { client, locale } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ack = a.acknowledgement;
  const title = a.post.title || t('feed.by', { name: a.post.author.displayName });

  async function acknowledge(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      onChange(await unwrap(client.POST('/api/v1/announcements/{announcementId}/acknowledge', { params: { path: { announcementId: a.post.id } } })));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const date = (iso: string): string => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso));
  return (
    <>
      <PostCard post={a.post} headingLevel={headingLevel} live={false} />
      {a.mustRead || ack ? (
        <div className={styles.bar}>
          {a.mustRead ? <Badge appearance="filled" color="important">{t('announcements.mustRead')}</Badge> : null}
          {ack?.required && !ack.acknowledged ? (
            <>
              {ack.acknowledgedVersion !== null ? <Text size={200}>{t('announcements.acknowledgeAgain')}</Text> : null}
              <Button appearance="primary" disabled={busy} onClick={() => void acknowledge()} aria-label={t('announcements.acknowledgeNamed', { title })}>
                {t('announcements.acknowledge')}
              </Button>
            </>
          ) : null}
          {ack?.acknowledged && ack.acknowledgedAt ? (
            <span className={styles.done} role="status">
              <CheckmarkCircleRegular aria-hidden="true" />
              <Text size={200}>{t('announcements.acknowledged', { date: date(ack.acknowledgedAt) })}</Text>
            </span>
          ) : null}
        </div>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </>
  );
}
