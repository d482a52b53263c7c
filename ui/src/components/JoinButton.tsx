import { Badge, Button, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Community } from '../api/client.js';
import { useRuche } from '../context.js';
import { useErrorText } from './States.js';

export interface JoinButtonProps {
  community: Community;
  /** The community as the server sees it after the change. */
  onChange(community: Community, message: string): void;
  onError(message: string): void;
}

/** Join, ask to join, leave or withdraw: whatever the viewer may do here, as the server said. */
export function JoinButton({ community, onChange, onError }: JoinButtonProps) {
  const { client } = useRuche();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const ref = community.id;
  const name = community.name;
  const state = community.membership?.state ?? null;

  async function act(kind: 'join' | 'request' | 'leave') {
    setBusy(true);
    try {
      const path = { params: { path: { ref } } };
      if (kind === 'join') await unwrap(client.POST('/api/v1/communities/{ref}/join', path));
      else if (kind === 'request') await unwrap(client.POST('/api/v1/communities/{ref}/requests', path));
      else await unwrap(client.POST('/api/v1/communities/{ref}/leave', { ...path, body: {} }));
      const fresh = await unwrap(client.GET('/api/v1/communities/{ref}', path));
      const message =
        kind === 'join' ? t('communities.joined', { name }) : kind === 'request' ? t('communities.requestSent', { name }) : t('communities.left', { name });
      onChange(fresh, message);
    } catch (err) {
      onError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const icon = busy ? <Spinner size="tiny" /> : undefined;
  if (state === 'banned') return <Badge appearance="outline" color="danger">{t('communities.banned')}</Badge>;
  if (state === 'active') {
    return (
      <Button size="small" icon={icon} disabled={busy} aria-label={t('communities.leaveNamed', { name })} onClick={() => void act('leave')}>
        {t('communities.leave')}
      </Button>
    );
  }
  if (state === 'requested') {
    return (
      <Button size="small" icon={icon} disabled={busy} aria-label={t('communities.withdrawNamed', { name })} onClick={() => void act('leave')}>
        {t('communities.withdraw')}
      </Button>
    );
  }
  if (community.permissions.join) {
    return (
      <Button size="small" appearance="primary" icon={icon} disabled={busy} aria-label={t('communities.joinNamed', { name })} onClick={() => void act('join')}>
        {t('communities.join')}
      </Button>
    );
  }
  if (community.permissions.request) {
    return (
      <Button size="small" icon={icon} disabled={busy} aria-label={t('communities.requestNamed', { name })} onClick={() => void act('request')}>
        {t('communities.request')}
      </Button>
    );
  }
  if (state === 'invited') return <Badge appearance="outline">{t('communities.invited')}</Badge>;
  return null;
}
