import { useTranslation } from 'react-i18next';
import { ExpertFinder } from '../ExpertFinder.js';
import { PageHeader } from '../States.js';
import { usePageStyles } from './shared.js';

/** Experts: the shared expert finder, with filters, links to profiles and endorsements. */
export function ExpertsPage({ initialQuery }: { initialQuery?: string }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  return (
    <section className={styles.page} aria-labelledby="experts-title">
      <PageHeader id="experts-title" title={t('experts.title')} intro={t('experts.intro')} />
      <ExpertFinder initialQuery={initialQuery} limit={20} withFilters withEndorse linkToProfiles />
    </section>
  );
}
