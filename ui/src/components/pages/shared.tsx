import { Button, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../States.js';

/** Styles shared by the pages: a grid of sections, a list without bullets, a row of small things. */
export const usePageStyles = makeStyles({
  page: { display: 'grid', gap: tokens.spacingVerticalL, alignContent: 'start' },
  section: { display: 'grid', gap: tokens.spacingVerticalM, alignContent: 'start', '& h2': { margin: 0 } },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground2 },
  more: { justifySelf: 'center' },
  form: { display: 'grid', gap: tokens.spacingVerticalM, maxWidth: '640px' },
  columns: { display: 'grid', gap: tokens.spacingHorizontalL, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 320px), 1fr))', alignItems: 'start' },
});

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  reload(): void;
  /** Replaces the data in place (an optimistic or confirmed change). */
  set(data: T): void;
}

/** Loads once per change of deps; a later load wins over an earlier one still running. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setData(null);
    setError(null);
    run().then(
      (d) => mine === generation.current && setData(d),
      (e: unknown) => mine === generation.current && setError(e),
    );
  }, [run]);
  useEffect(reload, [reload]);
  return { data, error, reload, set: setData };
}

export interface Paged<T> {
  items: T[] | null;
  nextCursor: string | null;
  error: unknown;
  moreError: unknown;
  loadingMore: boolean;
  reload(): void;
  loadMore(): void;
  setItems(items: T[]): void;
}

/** A keyset-paged list: first page per change of deps, then "load more" with the next cursor. */
export function usePaged<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  deps: DependencyList,
  keyOf: (item: T) => string,
): Paged<T> {
  const [items, setItems] = useState<T[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const generation = useRef(0);
  const fetcher = useCallback(fetchPage, deps);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setItems(null);
    setError(null);
    setMoreError(null);
    fetcher(undefined).then(
      (p) => {
        if (mine !== generation.current) return;
        setItems(p.items);
        setNextCursor(p.nextCursor);
      },
      (e: unknown) => mine === generation.current && setError(e),
    );
  }, [fetcher]);
  useEffect(reload, [reload]);
  const loadMore = () => {
    if (!nextCursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    fetcher(nextCursor)
      .then(
        (p) => {
          if (mine !== generation.current) return;
          setItems((prev) => {
            const seen = new Set((prev ?? []).map(keyOf));
            return [...(prev ?? []), ...p.items.filter((i) => !seen.has(keyOf(i)))];
          });
          setNextCursor(p.nextCursor);
        },
        (e: unknown) => mine === generation.current && setMoreError(e),
      )
      .finally(() => setLoadingMore(false));
  };
  return { items, nextCursor, error, moreError, loadingMore, reload, loadMore, setItems };
}

/** "Load more" under a paged list, with the error of the last attempt if any. */
export function MoreButton({ paged }: { paged: Paged<unknown> }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  return (
    <>
      {paged.moreError ? <ErrorMessage error={paged.moreError} onRetry={paged.loadMore} /> : null}
      {paged.nextCursor ? (
        <Button className={styles.more} onClick={paged.loadMore} disabled={paged.loadingMore} icon={paged.loadingMore ? <Spinner size="tiny" /> : undefined}>
          {paged.loadingMore ? t('common.loadingMore') : t('common.loadMore')}
        </Button>
      ) : null}
    </>
  );
}

/** Dates and relative times in the page's language. */
export function useDates() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  return {
    date: (iso: string) => new Date(iso).toLocaleDateString(lang, { day: 'numeric', month: 'short', year: 'numeric' }),
    dateTime: (iso: string) => new Date(iso).toLocaleString(lang, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
    number: (n: number, digits = 0) => n.toLocaleString(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 }),
  };
}
