import { Link, makeStyles, tokens } from '@fluentui/react-components';
import { OpenRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useRuche, type Place } from '../ui/index.js';

const useStyles = makeStyles({
  root: { display: 'grid', gap: tokens.spacingVerticalM },
  header: { display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold },
  open: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
});

/** A web part's title (the page author's, optional) and a link to the same place in the full app. */
export function WebPartFrame({ title, place, children }: { title?: string; place?: Place; children: ReactNode }): JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const { hrefOf } = useRuche();
  return (
    <section className={styles.root} aria-label={title || undefined}>
      {title || place ? (
        <div className={styles.header}>
          {title ? <h2 className={styles.title}>{title}</h2> : <span />}
          {place ? (
            <Link className={styles.open} href={hrefOf(place)} target="_blank" rel="noopener">
              {t('spfx.openInRuche')}
              <OpenRegular aria-hidden="true" />
            </Link>
          ) : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}
