import { Badge, Button, Card, Field, Persona, SearchBox, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { PeopleSearchRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CardSkeletons, EmptyState, ErrorMessage } from '../ui/index.js';
import { useSpfxApi } from '../common/RucheHost.js';
import type { Layout } from './ScopedFeed.js';
import { WebPartFrame } from './WebPartFrame.js';

/** GET /api/v1/experts (the ui's schema does not have it yet). */
export interface ExpertHit {
  person: { id: string; displayName: string; jobTitle: string | null; department: string | null; office: string | null };
  score: number;
  undeclared: boolean;
  evidence: { declaredSkills: string[]; endorsements: number; acceptedAnswers: number; posts: number; kudos: number; expertIn: { id: string; name: string }[] };
  why: string;
}

const useStyles = makeStyles({
  form: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  search: { flexGrow: 1, minWidth: '200px' },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  grid: { gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 300px), 1fr))', columnGap: tokens.spacingHorizontalM },
  card: { display: 'grid', gap: tokens.spacingVerticalS },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
});

/** Find colleagues by evidence of expertise; each result says why. */
export function ExpertFinder({ title, initialQuery, count, layout }: { title?: string; initialQuery?: string; count: number; layout: Layout }): JSX.Element {
  const api = useSpfxApi();
  const { t } = useTranslation();
  const styles = useStyles();
  const [draft, setDraft] = useState(initialQuery ?? '');
  const [query, setQuery] = useState((initialQuery ?? '').trim());
  const [hits, setHits] = useState<ExpertHit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const limit = Math.max(1, Math.min(20, Math.round(count) || 5));

  useEffect(() => {
    setDraft(initialQuery ?? '');
    setQuery((initialQuery ?? '').trim());
  }, [initialQuery]);

  const load = useCallback(() => {
    if (!query) return;
    const mine = ++generation.current;
    setHits(null);
    setError(null);
    api.json<{ items: ExpertHit[] }>('/experts', { query: { q: query, limit } }).then(
      (r) => mine === generation.current && setHits(r.items),
      (err: unknown) => mine === generation.current && setError(err),
    );
  }, [api, query, limit]);
  useEffect(load, [load]);

  function submit(event: FormEvent): void {
    event.preventDefault();
    setQuery(draft.trim());
  }

  let content = null;
  if (!query) content = <EmptyState icon={<PeopleSearchRegular fontSize={40} aria-hidden="true" />} title={t('spfx.expertsHint')} />;
  else if (error) content = <ErrorMessage error={error} onRetry={load} />;
  else if (!hits) content = <CardSkeletons count={Math.min(limit, 3)} />;
  else if (hits.length === 0) content = <EmptyState icon={<PeopleSearchRegular fontSize={40} aria-hidden="true" />} title={t('spfx.expertsNone', { q: query })} />;
  else
    content = (
      <ul className={mergeClasses(styles.list, layout === 'grid' && styles.grid)} aria-label={t('spfx.expertsResults', { q: query })}>
        {hits.map((h) => (
          <li key={h.person.id}>
            <Card className={styles.card}>
              <Persona
                name={h.person.displayName}
                secondaryText={[h.person.jobTitle, h.person.department].filter(Boolean).join(' · ')}
                tertiaryText={h.person.office ?? undefined}
                size="large"
              />
              <Text>{h.why}</Text>
              <div className={styles.badges}>
                {h.evidence.declaredSkills.slice(0, 3).map((s) => (
                  <Badge key={s} appearance="tint">{s}</Badge>
                ))}
                {h.evidence.acceptedAnswers > 0 ? <Badge appearance="outline">{t('spfx.expertsAnswers', { count: h.evidence.acceptedAnswers })}</Badge> : null}
                {h.evidence.endorsements > 0 ? <Badge appearance="outline">{t('spfx.expertsEndorsements', { count: h.evidence.endorsements })}</Badge> : null}
                {h.evidence.kudos > 0 ? <Badge appearance="outline">{t('spfx.expertsKudos', { count: h.evidence.kudos })}</Badge> : null}
              </div>
            </Card>
          </li>
        ))}
      </ul>
    );
  return (
    <WebPartFrame title={title} place={{ page: 'experts' }}>
      <form className={styles.form} onSubmit={submit} role="search">
        <Field className={styles.search} label={t('spfx.expertsLabel')}>
          <SearchBox value={draft} onChange={(_e, d) => setDraft(d.value)} />
        </Field>
        <Button type="submit" appearance="primary">{t('spfx.expertsSearch')}</Button>
      </form>
      {content}
    </WebPartFrame>
  );
}
