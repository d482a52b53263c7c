import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { TrophyRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import { CardSkeletons, EmptyState, ErrorMessage, unwrap, useRuche, type Place } from '../ui/index.js';
import { KudosCard, type Kudos } from '../ui/components/pages/KudosCard.js';
import { GiveKudos } from '../ui/components/pages/KudosPage.js';
import { useLoad } from '../ui/components/pages/shared.js';
import type { Layout } from './ScopedFeed.js';
import { WebPartFrame } from './WebPartFrame.js';

/** Whose kudos the wall shows: the whole organisation, a community's or an org unit's (department). */
export type WallScope = 'organisation' | 'community' | 'department';

export interface KudosWallProps {
  title?: string;
  scope: WallScope;
  /** A community's ref (slug) or id, for scope 'community'. */
  community?: string;
  /** A department's name, for scope 'department'. */
  department?: string;
  count: number;
  layout: Layout;
  /** Shows the give-kudos form above the wall. */
  showGive: boolean;
}

const useStyles = makeStyles({
  wall: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  grid: { gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 300px), 1fr))', columnGap: tokens.spacingHorizontalM },
});

/** The kudos wall web part: give kudos (shared form) and the latest kudos of the chosen wall (shared cards). */
export function KudosWall({ title, scope, community, department, count, layout, showGive }: KudosWallProps): JSX.Element {
  const { client } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const limit = Math.max(1, Math.min(50, Math.round(count) || 6));
  const communityRef = (community ?? '').trim();
  const departmentName = (department ?? '').trim();
  const missing = (scope === 'community' && !communityRef) || (scope === 'department' && !departmentName);

  const wall = useLoad(async (): Promise<{ items: Kudos[]; place: Place }> => {
    if (missing) return new Promise<never>(() => undefined);
    const query = { limit };
    if (scope === 'community') {
      const c = await unwrap(client.GET('/api/v1/communities/{ref}', { params: { path: { ref: communityRef } } }));
      const page = await unwrap(client.GET('/api/v1/kudos/walls/communities/{communityId}', { params: { path: { communityId: c.id }, query } }));
      return { items: page.items, place: { page: 'community', ref: c.slug ?? c.id } };
    }
    if (scope === 'department') {
      const page = await unwrap(client.GET('/api/v1/kudos/walls/departments/{department}', { params: { path: { department: departmentName }, query } }));
      return { items: page.items, place: { page: 'kudos' } };
    }
    const page = await unwrap(client.GET('/api/v1/kudos', { params: { query } }));
    return { items: page.items, place: { page: 'kudos' } };
  }, [client, scope, communityRef, departmentName, limit, missing]);

  let content;
  if (missing) content = <EmptyState title={scope === 'community' ? t('spfx.communityMissing') : t('spfx.departmentMissing')} />;
  else if (wall.error) content = <ErrorMessage error={wall.error} onRetry={wall.reload} />;
  else if (!wall.data) content = <CardSkeletons count={Math.min(limit, 3)} />;
  else if (wall.data.items.length === 0)
    content = <EmptyState icon={<TrophyRegular fontSize={40} aria-hidden="true" />} title={t('kudos.emptyWall')} hint={t('kudos.emptyWallHint')} />;
  else {
    const data = wall.data;
    content = (
      <ul className={mergeClasses(styles.wall, layout === 'grid' && styles.grid)} aria-label={title || t('kudos.wall')}>
        {data.items.map((k) => (
          <li key={k.id}>
            <KudosCard kudos={k} onDeleted={(id) => wall.set({ ...data, items: data.items.filter((x) => x.id !== id) })} />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <WebPartFrame title={title} place={wall.data?.place ?? { page: 'kudos' }}>
      {showGive ? <GiveKudos onGiven={() => wall.reload()} /> : null}
      {content}
    </WebPartFrame>
  );
}
