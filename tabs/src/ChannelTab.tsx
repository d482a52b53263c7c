import { EmptyState } from '@ruche/ui';
import { LazyCommunityPage } from '@ruche/ui/pages';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';
import { channelCommunityRef } from './deep-links.js';
import type { Host } from './host.js';

/** A channel tab (/tabs/channel): the page of the community the tab was configured with. */
export function ChannelTab({ host }: { host: Host }) {
  const { t } = useTranslation();
  const { search } = useLocation();
  const ref = channelCommunityRef(host.entityId, search);
  if (!ref) return <EmptyState title={t('channelTab.notConfigured')} />;
  return <LazyCommunityPage key={ref} communityRef={ref} />;
}
