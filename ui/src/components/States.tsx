import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';

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
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{t('common.errorTitle')}</MessageBarTitle>
        {text(error)}
      </MessageBarBody>
      {onRetry ? (
        <MessageBarActions>
          <Button onClick={onRetry}>{t('common.retry')}</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
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
        <Skeleton key={i} className={styles.skeletonCard} aria-hidden="true">
          <div className={styles.row}>
            <SkeletonItem shape="circle" size={36} />
            <SkeletonItem size={16} style={{ width: '40%' }} />
          </div>
          <SkeletonItem size={12} />
          <SkeletonItem size={12} style={{ width: '70%' }} />
        </Skeleton>
      ))}
    </div>
  );
}
