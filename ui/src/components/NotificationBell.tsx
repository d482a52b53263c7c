import { Button, CounterBadge, makeStyles } from '@fluentui/react-components';
import { AlertRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../api/client.js';
import { useLinkHandler, useRuche } from '../context.js';
import { useLive } from '../live/useLive.js';

const useStyles = makeStyles({
  bell: { position: 'relative' },
  badge: { position: 'absolute', top: '-2px', right: '-4px', pointerEvents: 'none' },
});

/** The shell's bell: unread count (kept live by the event stream), a link to the notifications page. */
export function NotificationBell() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { client, hrefOf } = useRuche();
  const [unread, setUnread] = useState<number | null>(null);
  const onClick = useLinkHandler({ page: 'notifications' });

  useEffect(() => {
    let live = true;
    unwrap(client.GET('/api/v1/notifications/unread-count', {})).then(
      (r) => live && setUnread(r.unreadCount),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client]);
  useLive((m) => {
    if (m.event === 'ready' || m.event === 'unread') setUnread(m.data.unreadCount);
    else if (m.event === 'notification') setUnread(m.data.unreadCount);
  });

  const label = unread ? t('notifications.bellUnread', { count: unread }) : t('notifications.title');
  return (
    <Button
      as="a"
      href={hrefOf({ page: 'notifications' })}
      onClick={onClick}
      appearance="subtle"
      className={styles.bell}
      icon={<AlertRegular />}
      aria-label={label}
      title={label}
    >
      {unread ? <CounterBadge className={styles.badge} count={unread} size="small" color="danger" aria-hidden="true" /> : null}
    </Button>
  );
}
