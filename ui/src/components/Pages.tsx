import { makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Post } from '../api/client.js';
import { useRuche } from '../context.js';
import { Announcements } from './Announcements.js';
import { ComposerLauncher } from './ComposerLauncher.js';
import { Feed } from './Feed.js';
import { ProfileCard } from './ProfileCard.js';
import { CardSkeletons, EmptyState, PageHeader } from './States.js';

const useStyles = makeStyles({
  page: { display: 'grid', gap: tokens.spacingVerticalL },
});

/**
 * Home: the must-read announcements still to acknowledge on top, the composer, then the
 * home feed (live, with the marker of the previous visit).
 */
export function HomePage() {
  const styles = useStyles();
  const { t } = useTranslation();
  const [created, setCreated] = useState<Post[]>([]);
  return (
    <section className={styles.page} aria-labelledby="home-title">
      <PageHeader id="home-title" title={t('home.title')} intro={t('home.intro')} />
      <Announcements count={5} pendingOnly hideWhenEmpty label={t('announcements.title')} headingLevel={2} />
      <ComposerLauncher onCreated={(post) => setCreated((list) => [post, ...list])} />
      <Feed source={{ kind: 'home' }} created={created} />
    </section>
  );
}

export function MePage() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { me } = useRuche();
  return (
    <section className={styles.page} aria-labelledby="me-title">
      <PageHeader id="me-title" title={t('profile.title')} />
      {me ? <ProfileCard person={me} /> : <CardSkeletons count={1} />}
    </section>
  );
}

/** Kudos, experts and insights: their issues bring them; the shell already links to them. */
export function ComingSoonPage({ section }: { section: 'kudos' | 'experts' | 'insights' }) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <section className={styles.page} aria-labelledby="soon-title">
      <PageHeader id="soon-title" title={t(`nav.${section}`)} />
      <EmptyState title={t('soon.title')} hint={t(`soon.${section}`)} />
    </section>
  );
}
