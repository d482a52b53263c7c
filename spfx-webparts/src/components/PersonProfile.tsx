import { useTranslation } from 'react-i18next';
import { CardSkeletons, EmptyState, ErrorMessage, unwrap, useRuche, type Place } from '../ui/index.js';
import { ProfilePage } from '../ui/components/pages/ProfilePage.js';
import { useLoad } from '../ui/components/pages/shared.js';
import { personIdOf } from '../common/personRef.js';
import { WebPartFrame } from './WebPartFrame.js';

/** The people card web part: the shared profile (who's-who, org chart, skills, kudos) of the visitor or of a chosen person. */
export function PersonProfile({ title, person }: { title?: string; person?: string }): JSX.Element {
  const { client, me } = useRuche();
  const { t } = useTranslation();
  const wanted = (person ?? '').trim();
  const resolved = useLoad(
    async () => ({
      id: wanted ? await personIdOf(wanted, async (q) => (await unwrap(client.GET('/api/v1/people/autocomplete', { params: { query: { q, limit: 5 } } }))).items) : null,
    }),
    [client, wanted],
  );
  let content;
  let place: Place | undefined = { page: 'me' };
  if (!wanted) content = <ProfilePage personId={null} />;
  else if (resolved.error) content = <ErrorMessage error={resolved.error} onRetry={resolved.reload} />;
  else if (!resolved.data) content = <CardSkeletons count={2} />;
  else if (!resolved.data.id) content = <EmptyState title={t('spfx.personUnknown', { person: wanted })} />;
  else {
    const id = resolved.data.id;
    place = me?.id === id ? { page: 'me' } : { page: 'person', id };
    content = <ProfilePage personId={id} />;
  }
  return (
    <WebPartFrame title={title} place={place}>
      {content}
    </WebPartFrame>
  );
}
