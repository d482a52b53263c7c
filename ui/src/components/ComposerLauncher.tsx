import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { EditRegular } from '@fluentui/react-icons';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Post } from '../api/client.js';
import { CardSkeletons } from './States.js';
import { Surface } from './Surface.js';

const Composer = lazy(() => import('./Composer.js').then((m) => ({ default: m.Composer })));
const preload = () => void import('./Composer.js');

const useStyles = makeStyles({
  card: { display: 'grid', gap: tokens.spacingVerticalS },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  open: { justifyContent: 'flex-start', color: tokens.colorNeutralForeground2 },
});

/**
 * "Start a post" on the home page: the full composer (its code included) loads when the
 * person asks for it, so that the home feed shows with less JavaScript. Pointing at or
 * focusing the button starts loading it already.
 */
export function ComposerLauncher({ communityId, onCreated }: { communityId?: string; onCreated(post: Post): void }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (open) {
    return (
      <Suspense fallback={<CardSkeletons count={1} />}>
        <Composer communityId={communityId} onCreated={onCreated} autoFocus />
      </Suspense>
    );
  }
  return (
    <Surface className={styles.card}>
      <h2 id="composer-title" className={styles.title}>
        {t('composer.title')}
      </h2>
      <Button
        className={styles.open}
        appearance="outline"
        size="large"
        icon={<EditRegular />}
        onMouseEnter={preload}
        onFocus={preload}
        onClick={() => setOpen(true)}
      >
        {t('composer.open')}
      </Button>
    </Surface>
  );
}
