import { Button, Card, Switch, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { AlertRegular, CheckmarkRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Schemas } from '../../api/client.js';
import { useRuche, type Place } from '../../context.js';
import { useLive } from '../../live/useLive.js';
import { AppLink } from '../AppLink.js';
import { CardSkeletons, EmptyState, ErrorMessage, PageHeader } from '../States.js';
import { MoreButton, useDates, usePageStyles, usePaged } from './shared.js';

type Notification = Schemas['Notification'];

const useStyles = makeStyles({
  item: { display: 'grid', gap: tokens.spacingVerticalXS, gridTemplateColumns: '1fr auto', alignItems: 'center' },
  unread: { borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorBrandStroke1}` },
  text: { margin: 0 },
  group: { display: 'grid', gap: tokens.spacingVerticalS, '& h2': { margin: 0 } },
});

/** Where a notification leads: the post, the community, the kudos wall or a profile. */
export function notificationTarget(n: Notification): Place | null {
  const d = n.data as Record<string, unknown>;
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : null);
  if (str('postId')) return { page: 'post', id: str('postId')! };
  if (n.kind === 'kudos_received' || n.kind === 'kudos_to_report' || str('kudosId')) return { page: 'kudos' };
  if (n.kind === 'biography_verification' && str('personId')) return { page: 'person', id: str('personId')! };
  if (str('communityId')) return { page: 'community', ref: str('communityId')! };
  return null;
}

/** The sentence of a notification: who (the latest actors and how many more) did what. */
export function useNotificationText() {
  const { t } = useTranslation();
  return (n: Notification): string => {
    const names = n.actors.map((a) => a.displayName);
    const others = Math.max(0, n.count - names.length);
    const who =
      names.length === 0
        ? t('notifications.someone')
        : others > 0
          ? t('notifications.andOthers', { names: names.join(', '), count: others })
          : names.join(', ');
    const d = n.data as Record<string, unknown>;
    return t(`notifications.kinds.${n.kind}`, { who, count: n.count, reaction: typeof d.reaction === 'string' ? t(`feed.reactionKinds.${d.reaction}`, { defaultValue: d.reaction }) : '' });
  };
}

function dayKey(iso: string): string {
  return iso.slice(0, 10);
}

/** My notifications, grouped by day, newest or unread first; mark one or all read; each opens its item. */
export function NotificationsPage() {
  const styles = usePageStyles();
  const own = useStyles();
  const { t, i18n } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const text = useNotificationText();
  const [unreadFirst, setUnreadFirst] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const paged = usePaged<Notification>(
    (cursor) => unwrap(client.GET('/api/v1/notifications', { params: { query: { limit: 30, order: unreadFirst ? 'unread_first' : 'newest', ...(cursor ? { cursor } : {}) } } })),
    [client, unreadFirst],
    (n) => n.id,
  );
  useLive((m) => {
    if (m.event !== 'notification' || !paged.items) return;
    const incoming = m.data.notification;
    paged.setItems([incoming, ...paged.items.filter((n) => n.id !== incoming.id)]);
  });

  async function markRead(ids: string[] | 'all') {
    setError(null);
    const before = paged.items ?? [];
    paged.setItems(before.map((n) => (ids === 'all' || ids.includes(n.id) ? { ...n, read: true } : n)));
    try {
      await unwrap(client.POST('/api/v1/notifications/read', { body: ids === 'all' ? { all: true } : { ids } }));
    } catch (err) {
      paged.setItems(before);
      setError(err);
    }
  }

  const groups: { day: string; items: Notification[] }[] = [];
  for (const n of paged.items ?? []) {
    const key = unreadFirst ? (n.read ? 'read' : 'unread') : dayKey(n.updatedAt);
    const last = groups[groups.length - 1];
    if (last && last.day === key) last.items.push(n);
    else groups.push({ day: key, items: [n] });
  }
  const groupTitle = (key: string) => {
    if (key === 'read' || key === 'unread') return t(`notifications.${key}`);
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    if (key === today) return t('notifications.today');
    if (key === yesterday) return t('notifications.yesterday');
    return new Date(`${key}T12:00:00Z`).toLocaleDateString(i18n.language, { weekday: 'long', day: 'numeric', month: 'long' });
  };
  const anyUnread = (paged.items ?? []).some((n) => !n.read);

  return (
    <section className={styles.page} aria-labelledby="notifications-title">
      <PageHeader id="notifications-title" title={t('notifications.title')} />
      <div className={styles.row}>
        <Switch checked={unreadFirst} onChange={(_e, d) => setUnreadFirst(d.checked)} label={t('notifications.unreadFirst')} />
        <Button icon={<CheckmarkRegular />} disabled={!anyUnread} onClick={() => void markRead('all')}>
          {t('notifications.markAllRead')}
        </Button>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      {paged.error ? (
        <ErrorMessage error={paged.error} onRetry={paged.reload} />
      ) : !paged.items ? (
        <CardSkeletons count={4} />
      ) : paged.items.length === 0 ? (
        <EmptyState icon={<AlertRegular fontSize={40} aria-hidden="true" />} title={t('notifications.empty')} hint={t('notifications.emptyHint')} />
      ) : (
        groups.map((g) => (
          <section key={g.day} className={own.group} aria-labelledby={`ngroup-${g.day}`}>
            <Text as="h2" id={`ngroup-${g.day}`} size={400} weight="semibold">
              {groupTitle(g.day)}
            </Text>
            <ul className={styles.list} aria-labelledby={`ngroup-${g.day}`}>
              {g.items.map((n) => {
                const target = notificationTarget(n);
                const sentence = text(n);
                return (
                  <li key={n.id}>
                    <Card className={mergeClasses(own.item, !n.read && own.unread)} aria-label={n.read ? sentence : t('notifications.unreadLabel', { text: sentence })}>
                      <div>
                        <Text as="p" className={own.text} weight={n.read ? 'regular' : 'semibold'}>
                          {target ? (
                            <span onClickCapture={() => !n.read && void markRead([n.id])}>
                              <AppLink to={target}>{sentence}</AppLink>
                            </span>
                          ) : (
                            sentence
                          )}
                        </Text>
                        <Text size={200} className={styles.muted}>
                          <time dateTime={n.updatedAt}>{dates.dateTime(n.updatedAt)}</time>
                        </Text>
                      </div>
                      {!n.read ? (
                        <Button size="small" appearance="subtle" icon={<CheckmarkRegular />} onClick={() => void markRead([n.id])} aria-label={t('notifications.markRead', { text: sentence })}>
                          {t('notifications.markReadShort')}
                        </Button>
                      ) : null}
                    </Card>
                  </li>
                );
              })}
            </ul>
          </section>
        ))
      )}
      <MoreButton paged={paged} />
    </section>
  );
}
