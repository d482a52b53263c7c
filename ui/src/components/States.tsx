import { Button, Text, Title2, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';
import { Notice } from './Notice.js';

const useStyles = makeStyles({
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}`,
    textAlign: 'center',
    color: tokens.colorNeutralForeground2,
  },
  skeletonCard: {
    display: 'grid',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  // Fluent's skeleton items (stencil colours, a wave that stops when motion is reduced), on plain elements.
  bone: {
    position: 'relative',
    overflow: 'hidden',
    borderRadius: '4px',
    backgroundColor: tokens.colorNeutralStencil1,
    '::after': {
      content: '""',
      position: 'absolute',
      inset: 0,
      backgroundImage: `linear-gradient(to right, ${tokens.colorNeutralStencil1} 0%, ${tokens.colorNeutralStencil2} 50%, ${tokens.colorNeutralStencil1} 100%)`,
      transform: 'translate(-100%)',
      animationName: { to: { transform: 'translate(100%)' } },
      animationDuration: '3s',
      animationTimingFunction: 'ease-in-out',
      animationIterationCount: 'infinite',
      '@media screen and (prefers-reduced-motion: reduce)': { animationDuration: '0.01ms', animationIterationCount: '1' },
      '@media screen and (forced-colors: active)': { backgroundColor: 'WindowText' },
    },
  },
  circle: { borderRadius: '50%', width: '36px', height: '36px', flexShrink: 0 },
  line16: { height: '16px' },
  line12: { height: '12px' },
  list: { display: 'grid', gap: tokens.spacingVerticalM },
  pageHeader: { display: 'grid', gap: tokens.spacingVerticalXS, '& h1': { margin: 0 } },
  intro: { color: tokens.colorNeutralForeground2, margin: 0 },
});

/** A page's title (its one h1) and an optional line under it. */
export function PageHeader({ id, title, intro }: { id: string; title: string; intro?: string }) {
  const styles = useStyles();
  return (
    <div className={styles.pageHeader}>
      <Title2 as="h1" id={id}>
        {title}
      </Title2>
      {intro ? (
        <Text as="p" className={styles.intro}>
          {intro}
        </Text>
      ) : null}
    </div>
  );
}

/** What the person reads when an API call failed: the problem's detail, never a stack. */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (error instanceof ApiError) {
      if (error.status === 0) return t('common.networkError');
      return error.problem.detail ?? error.problem.title ?? t('common.unknownError', { status: error.status });
    }
    return error instanceof Error ? error.message : String(error);
  };
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const text = useErrorText();
  return (
    <Notice intent="error" role="alert" title={t('common.errorTitle')} actions={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}>
      {text(error)}
    </Notice>
  );
}

export function EmptyState({ title, hint, icon }: { title: string; hint?: ReactNode; icon?: ReactNode }) {
  const styles = useStyles();
  return (
    <div className={styles.empty} role="status">
      {icon}
      <Text weight="semibold" size={400}>
        {title}
      </Text>
      {hint ? <Text>{hint}</Text> : null}
    </div>
  );
}

/** Grey cards standing where content is loading; announced once to screen readers. */
export function CardSkeletons({ count = 3 }: { count?: number }) {
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <div className={styles.list} role="status" aria-label={t('common.loading')} aria-busy="true">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className={styles.skeletonCard} aria-hidden="true">
          <div className={styles.row}>
            <div className={mergeClasses(styles.bone, styles.circle)} />
            <div className={mergeClasses(styles.bone, styles.line16)} style={{ width: '40%' }} />
          </div>
          <div className={mergeClasses(styles.bone, styles.line12)} />
          <div className={mergeClasses(styles.bone, styles.line12)} style={{ width: '70%' }} />
        </div>
      ))}
    </div>
  );
}
