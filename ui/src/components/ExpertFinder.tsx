import { Badge, Button, Card, Field, Input, Persona, SearchBox, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkRegular, PeopleSearchRegular, ThumbLikeRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Schemas } from '../api/client.js';
import { useRuche } from '../context.js';
import { AppLink } from './AppLink.js';
import { CardSkeletons, EmptyState, ErrorMessage } from './States.js';

export type ExpertHit = Schemas['ExpertHit'];
export interface ExpertFilters {
  office?: string;
  department?: string;
  language?: string;
}

const useStyles = makeStyles({
  root: { display: 'grid', gap: tokens.spacingVerticalM },
  form: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  search: { flexGrow: 1, minWidth: '200px' },
  filter: { minWidth: '150px', flexGrow: 0 },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  grid: { gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 300px), 1fr))', columnGap: tokens.spacingHorizontalM },
  card: { display: 'grid', gap: tokens.spacingVerticalS },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap', alignItems: 'center' },
  why: { margin: 0 },
});

/**
 * Finds colleagues by evidence of expertise (GET /api/v1/experts); each result says why.
 * Shared by the tabs' Experts page (with filters, profile links and endorsements) and the
 * SharePoint Expert finder web part.
 */
export function ExpertFinder({
  initialQuery,
  limit = 10,
  layout = 'list',
  withFilters = false,
  withEndorse = false,
  linkToProfiles = false,
}: {
  initialQuery?: string;
  limit?: number;
  layout?: 'list' | 'grid';
  withFilters?: boolean;
  withEndorse?: boolean;
  linkToProfiles?: boolean;
}): JSX.Element {
  const { client, me } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const [draft, setDraft] = useState(initialQuery ?? '');
  const [filtersDraft, setFiltersDraft] = useState<ExpertFilters>({});
  const [query, setQuery] = useState((initialQuery ?? '').trim());
  const [filters, setFilters] = useState<ExpertFilters>({});
  const [hits, setHits] = useState<ExpertHit[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const count = Math.max(1, Math.min(50, Math.round(limit) || 10));

  useEffect(() => {
    setDraft(initialQuery ?? '');
    setQuery((initialQuery ?? '').trim());
  }, [initialQuery]);

  const load = useCallback(() => {
    if (!query) return;
    const mine = ++generation.current;
    setHits(null);
    setError(null);
    const extra = Object.fromEntries(Object.entries(filters).filter(([, v]) => typeof v === 'string' && v.trim()).map(([k, v]) => [k, (v as string).trim()]));
    unwrap(client.GET('/api/v1/experts', { params: { query: { q: query, limit: count, ...extra } } })).then(
      (r) => mine === generation.current && setHits(r.items),
      (err: unknown) => mine === generation.current && setError(err),
    );
  }, [client, query, filters, count]);
  useEffect(load, [load]);

  function submit(event: FormEvent): void {
    event.preventDefault();
    setQuery(draft.trim());
    setFilters(filtersDraft);
  }

  let content = null;
  if (!query) content = <EmptyState icon={<PeopleSearchRegular fontSize={40} aria-hidden="true" />} title={t('experts.hint')} />;
  else if (error) content = <ErrorMessage error={error} onRetry={load} />;
  else if (!hits) content = <CardSkeletons count={Math.min(count, 3)} />;
  else if (hits.length === 0) content = <EmptyState icon={<PeopleSearchRegular fontSize={40} aria-hidden="true" />} title={t('experts.none', { q: query })} hint={t('experts.noneHint')} />;
  else
    content = (
      <ul className={mergeClasses(styles.list, layout === 'grid' && styles.grid)} aria-label={t('experts.results', { q: query })}>
        {hits.map((h) => (
          <li key={h.person.id}>
            <Card className={styles.card}>
              <Persona
                name={h.person.displayName}
                primaryText={linkToProfiles ? { children: <AppLink to={{ page: 'person', id: h.person.id }}>{h.person.displayName}</AppLink> } : undefined}
                secondaryText={[h.person.jobTitle, h.person.department].filter(Boolean).join(' · ')}
                tertiaryText={h.person.office ?? undefined}
                avatar={{ 'aria-hidden': true }}
                size="large"
              />
              <Text as="p" className={styles.why}>
                <Text weight="semibold">{t('experts.why')} </Text>
                {h.why}
              </Text>
              <div className={styles.badges}>
                {h.evidence.declaredSkills.slice(0, 4).map((s) =>
                  withEndorse && me && me.id !== h.person.id ? <EndorseSkill key={s} personId={h.person.id} skill={s} /> : <Badge key={s} appearance="tint">{s}</Badge>,
                )}
                {h.evidence.acceptedAnswers > 0 ? <Badge appearance="outline">{t('experts.answers', { count: h.evidence.acceptedAnswers })}</Badge> : null}
                {h.evidence.endorsements > 0 ? <Badge appearance="outline">{t('experts.endorsements', { count: h.evidence.endorsements })}</Badge> : null}
                {h.evidence.kudos > 0 ? <Badge appearance="outline">{t('experts.kudos', { count: h.evidence.kudos })}</Badge> : null}
                {h.evidence.posts > 0 ? <Badge appearance="outline">{t('experts.posts', { count: h.evidence.posts })}</Badge> : null}
                {h.evidence.expertIn.map((c) => (
                  <Badge key={c.id} appearance="outline" color="brand">
                    {t('experts.expertIn', { community: c.name })}
                  </Badge>
                ))}
                {h.undeclared ? <Badge appearance="tint" color="informative">{t('experts.undeclared')}</Badge> : null}
              </div>
            </Card>
          </li>
        ))}
      </ul>
    );
  return (
    <div className={styles.root}>
      <form className={styles.form} onSubmit={submit} role="search">
        <Field className={styles.search} label={t('experts.label')}>
          <SearchBox value={draft} onChange={(_e, d) => setDraft(d.value)} />
        </Field>
        {withFilters
          ? (['office', 'department', 'language'] as const).map((f) => (
              <Field key={f} className={styles.filter} label={t(`experts.filters.${f}`)}>
                <Input value={filtersDraft[f] ?? ''} onChange={(_e, d) => setFiltersDraft({ ...filtersDraft, [f]: d.value })} />
              </Field>
            ))
          : null}
        <Button type="submit" appearance="primary">
          {t('experts.search')}
        </Button>
      </form>
      {content}
    </div>
  );
}

/** A declared skill one may endorse (or withdraw one's endorsement of) in one click. */
function EndorseSkill({ personId, skill }: { personId: string; skill: string }) {
  const { client } = useRuche();
  const { t } = useTranslation();
  const [state, setState] = useState<Schemas['Endorsement'] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const endorsed = state?.endorsedByViewer ?? false;
  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      const params = { params: { path: { id: personId, skill } } };
      setState(await unwrap(endorsed ? client.DELETE('/api/v1/people/{id}/skills/{skill}/endorsement', params) : client.POST('/api/v1/people/{id}/skills/{skill}/endorsement', params)));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Button
        size="small"
        appearance={endorsed ? 'primary' : 'outline'}
        icon={endorsed ? <CheckmarkRegular /> : <ThumbLikeRegular />}
        aria-pressed={endorsed}
        disabled={busy}
        onClick={() => void toggle()}
        aria-label={t('experts.endorse', { skill })}
        title={endorsed ? t('experts.withdraw', { skill }) : t('experts.endorse', { skill })}
      >
        {skill}
      </Button>
      {state ? <Text size={200}>{t('experts.endorsements', { count: state.endorsements })}</Text> : null}
      {error ? <ErrorMessage error={error} /> : null}
    </>
  );
}
