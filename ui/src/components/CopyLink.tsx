import { Button } from '@fluentui/react-components';
import { LinkRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRuche, type Place } from '../context.js';

/** "Copy link" for a place: the host's share link (a Teams deep link in Teams) to the clipboard. Hidden where the host shares no links. */
export function CopyLinkButton({ place }: { place: Place }) {
  const { shareLinkOf } = useRuche();
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | null>(null);
  if (!shareLinkOf) return null;
  const copy = async () => {
    const link = shareLinkOf(place);
    try {
      await navigator.clipboard.writeText(link);
      setStatus(t('share.copied'));
    } catch {
      setStatus(t('share.copyFailed', { link }));
    }
  };
  return (
    <span>
      <Button appearance="subtle" icon={<LinkRegular />} onClick={() => void copy()} data-share-link={shareLinkOf(place)}>
        {t('share.copyLink')}
      </Button>
      <span role="status" aria-live="polite">
        {status}
      </span>
    </span>
  );
}
