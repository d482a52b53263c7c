import { Badge, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Community } from '../api/client.js';

const useStyles = makeStyles({ badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS } });

export function CommunityBadges({ community }: { community: Community }) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <div className={styles.badges}>
      <Badge appearance="tint" color="brand">
        {t(`communities.kinds.${community.kind}`)}
      </Badge>
      <Badge appearance="outline" color="informative">
        {t(`communities.visibility.${community.visibility}`)}
      </Badge>
      {community.isOfficial ? (
        <Badge appearance="filled" color="success">
          {t('communities.official')}
        </Badge>
      ) : null}
      {community.archived ? (
        <Badge appearance="outline" color="warning">
          {t('communities.archived')}
        </Badge>
      ) : null}
      {community.membership?.state === 'active' ? (
        <Badge appearance="tint" color="success">
          {t(`community.roles.${community.membership.role}`)}
        </Badge>
      ) : null}
    </div>
  );
}
