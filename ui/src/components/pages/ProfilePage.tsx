import {
  Badge,
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Persona,
  Select,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkRegular, EditRegular, ShieldCheckmarkRegular, ThumbLikeRegular } from '@fluentui/react-icons';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap, type Schemas } from '../../api/client.js';
import { useRuche } from '../../context.js';
import { AppLink } from '../AppLink.js';
import { CardSkeletons, EmptyState, ErrorMessage, PageHeader } from '../States.js';
import { CopyLinkButton } from '../CopyLink.js';
import { KudosCard } from './KudosCard.js';
import { useDates, useLoad, usePageStyles } from './shared.js';

type Profile = Schemas['Profile'];
type Summary = Schemas['PersonSummary'];
export const privacyFields = ['biography', 'languages', 'askMeAbout', 'skills', 'office', 'communities', 'kudos'] as const;
export type PrivacyField = (typeof privacyFields)[number];
export type FieldVisibility = 'everyone' | 'manager' | 'private';

const useStyles = makeStyles({
  head: { display: 'grid', gap: tokens.spacingVerticalM },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0, '& dd': { margin: 0 } },
  term: { color: tokens.colorNeutralForeground2 },
  tree: { listStyleType: 'none', margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'grid', gap: tokens.spacingVerticalXS, borderLeft: `${tokens.strokeWidthThick} solid ${tokens.colorNeutralStroke2}` },
  self: { fontWeight: tokens.fontWeightSemibold },
  skill: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  bio: { whiteSpace: 'pre-wrap', margin: 0 },
});

/** A person's profile (the viewer's own when id is null): who's-who, org chart, skills, kudos, and editing for oneself. */
export function ProfilePage({ personId }: { personId: string | null }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client, me } = useRuche();
  const id = personId ?? me?.id ?? null;
  const profile = useLoad(() => (id ? unwrap(client.GET('/api/v1/people/{id}', { params: { path: { id } } })) : new Promise<Profile>(() => undefined)), [client, id]);
  const own = !!me && !!id && me.id === id;
  const title = own ? t('profile.title') : profile.data?.displayName ?? t('person.person');

  let body;
  if (profile.error) {
    body = profile.error instanceof ApiError && profile.error.status === 404 ? <EmptyState title={t('person.notFound')} /> : <ErrorMessage error={profile.error} onRetry={profile.reload} />;
  } else if (!profile.data) {
    body = <CardSkeletons count={2} />;
  } else {
    const p = profile.data;
    body = (
      <>
        <Identity profile={p} onChange={profile.set} />
        <div>
          <CopyLinkButton place={{ page: 'person', id: p.id }} />
        </div>
        <div className={styles.columns}>
          <OrgChart profile={p} />
          <Skills profile={p} onChange={profile.set} />
          <Communities profile={p} />
          <KudosReceived profile={p} />
        </div>
        {own ? <EditProfile profile={p} onSaved={profile.set} /> : null}
      </>
    );
  }
  return (
    <section className={styles.page} aria-labelledby="profile-title">
      <PageHeader id="profile-title" title={title} />
      {body}
    </section>
  );
}

function listOrNone(items: string[] | null, none: string): string {
  return items && items.length > 0 ? items.join(', ') : none;
}

function Identity({ profile: p, onChange }: { profile: Profile; onChange(p: Profile): void }) {
  const own = useStyles();
  const { t, i18n } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const unknown = t('profile.unknown');
  const hidden = (f: PrivacyField) => p.hiddenFields.includes(f);
  const display = (kind: 'language' | 'region', code: string | null) => {
    if (!code) return unknown;
    try {
      return new Intl.DisplayNames([i18n.language], { type: kind }).of(code) ?? code;
    } catch {
      return code;
    }
  };
  const v = p.biographyVerification;
  async function verify() {
    setBusy(true);
    setError(null);
    try {
      const verification = await unwrap(client.POST('/api/v1/people/{id}/biography/verification', { params: { path: { id: p.id } } }));
      onChange({ ...p, biographyVerification: verification });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const rows: [string, string][] = [
    [t('profile.jobTitle'), p.jobTitle ?? unknown],
    [t('profile.department'), p.department ?? unknown],
    [t('profile.office'), hidden('office') ? t('person.hidden') : p.office ?? unknown],
    [t('profile.country'), display('region', p.country)],
    [t('profile.language'), display('language', p.preferredLanguage)],
    [t('person.languages'), hidden('languages') ? t('person.hidden') : listOrNone(p.languages?.map((l) => display('language', l)) ?? null, unknown)],
    [t('person.askMeAbout'), hidden('askMeAbout') ? t('person.hidden') : listOrNone(p.askMeAbout, unknown)],
    [t('person.mail'), p.mail ?? p.upn],
  ];
  return (
    <Card className={own.head}>
      <Persona size="huge" name={p.displayName} secondaryText={p.jobTitle ?? undefined} tertiaryText={p.department ?? undefined} avatar={{ 'aria-hidden': true, color: 'colorful' }} />
      {p.isFormerEmployee ? <Badge color="warning">{t('person.former')}</Badge> : null}
      <dl className={own.facts}>
        {rows.map(([term, value]) => (
          <div key={term} style={{ display: 'contents' }}>
            <dt className={own.term}>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <section aria-labelledby="bio-title">
        <Text as="h2" id="bio-title" size={400} weight="semibold">
          {t('person.biography')}
        </Text>
        {hidden('biography') ? (
          <Text>{t('person.hidden')}</Text>
        ) : (
          <>
            <Text as="p" className={own.bio}>
              {p.biography ?? t('person.noBiography')}
            </Text>
            {v ? (
              <div className={own.skill}>
                <Badge appearance="tint" color={v.status === 'verified' ? 'success' : v.status === 'expired' ? 'warning' : 'informative'} icon={<ShieldCheckmarkRegular />}>
                  {t(`person.verification.${v.status}`)}
                </Badge>
                {v.status === 'verified' && v.verifiedBy && v.expiresAt ? (
                  <Text size={200}>{t('person.verifiedBy', { name: v.verifiedBy.displayName, date: dates.date(v.expiresAt) })}</Text>
                ) : null}
                {p.canVerifyBiography && p.biography ? (
                  <Button size="small" onClick={() => void verify()} disabled={busy} icon={<CheckmarkRegular />}>
                    {t('person.verify')}
                  </Button>
                ) : null}
              </div>
            ) : null}
          </>
        )}
        {error ? <ErrorMessage error={error} /> : null}
      </section>
    </Card>
  );
}

function PersonLine({ person, self }: { person: Summary; self?: boolean }) {
  const own = useStyles();
  return (
    <span className={self ? own.self : undefined}>
      {self ? person.displayName : <AppLink to={{ page: 'person', id: person.id }}>{person.displayName}</AppLink>}
      {person.jobTitle ? ` · ${person.jobTitle}` : ''}
    </span>
  );
}

/** Manager chain above, the person, their direct reports below (paged through the org-chart API). */
function OrgChart({ profile: p }: { profile: Profile }) {
  const styles = usePageStyles();
  const own = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const [reports, setReports] = useState<Summary[]>(p.directReports);
  const [cursor, setCursor] = useState<string | null | undefined>(p.directReportCount > p.directReports.length ? undefined : null);
  const [error, setError] = useState<unknown>(null);
  async function more() {
    setError(null);
    try {
      const query = { limit: 50, ...(cursor ? { cursor } : {}) };
      const chart = await unwrap(client.GET('/api/v1/people/{id}/org-chart', { params: { path: { id: p.id }, query } }));
      const seen = new Set(cursor ? reports.map((r) => r.id) : []);
      setReports([...(cursor ? reports : []), ...chart.reports.items.filter((r) => !seen.has(r.id))]);
      setCursor(chart.reports.nextCursor);
    } catch (err) {
      setError(err);
    }
  }
  const chain = [...p.managerChain].reverse();
  const self: Summary = { id: p.id, displayName: p.displayName, jobTitle: p.jobTitle, department: p.department };
  const nest = (level: number): JSX.Element => {
    if (level < chain.length) {
      return (
        <ul className={own.tree}>
          <li>
            <PersonLine person={chain[level]!} />
            {nest(level + 1)}
          </li>
        </ul>
      );
    }
    return (
      <ul className={own.tree}>
        <li>
          <PersonLine person={self} self />
          {reports.length > 0 ? (
            <ul className={own.tree} aria-label={t('person.reports', { count: p.directReportCount })}>
              {reports.map((r) => (
                <li key={r.id}>
                  <PersonLine person={r} />
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      </ul>
    );
  };
  return (
    <section className={styles.section} aria-labelledby="org-title">
      <Text as="h2" id="org-title" size={500} weight="semibold">
        {t('person.orgChart')}
      </Text>
      <nav aria-labelledby="org-title">{nest(0)}</nav>
      <Text size={200} className={styles.muted}>
        {t('person.reports', { count: p.directReportCount })}
      </Text>
      {cursor !== null ? (
        <Button size="small" onClick={() => void more()}>
          {t('person.moreReports')}
        </Button>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}

const sourceOrder = ['declared', 'directory', 'endorsed', 'inferred'] as const;

function Skills({ profile: p, onChange }: { profile: Profile; onChange(p: Profile): void }) {
  const styles = usePageStyles();
  const own = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  async function toggle(skill: NonNullable<Profile['skills']>[number]) {
    setBusy(skill.name);
    setError(null);
    try {
      const params = { params: { path: { id: p.id, skill: skill.name } } };
      const state = await unwrap(
        skill.endorsedByViewer ? client.DELETE('/api/v1/people/{id}/skills/{skill}/endorsement', params) : client.POST('/api/v1/people/{id}/skills/{skill}/endorsement', params),
      );
      onChange({ ...p, skills: (p.skills ?? []).map((s) => (s.name === skill.name ? { ...s, endorsements: state.endorsements, endorsedByViewer: state.endorsedByViewer } : s)) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className={styles.section} aria-labelledby="skills-title">
      <Text as="h2" id="skills-title" size={500} weight="semibold">
        {t('person.skills')}
      </Text>
      {p.hiddenFields.includes('skills') || !p.skills ? (
        <Text>{t('person.hidden')}</Text>
      ) : p.skills.length === 0 ? (
        <EmptyState title={t('person.noSkills')} />
      ) : (
        <ul className={styles.list} aria-labelledby="skills-title">
          {p.skills.map((s) => (
            <li key={s.name} className={own.skill}>
              <Text weight="semibold">{s.name}</Text>
              {sourceOrder
                .filter((src) => s.sources.includes(src))
                .map((src) => (
                  <Badge key={src} appearance="outline" size="small">
                    {t(`person.sources.${src}`)}
                  </Badge>
                ))}
              {s.evidence && (s.evidence.acceptedAnswers > 0 || s.evidence.posts > 0) ? (
                <Text size={200} className={styles.muted}>
                  {t('person.evidence', { answers: s.evidence.acceptedAnswers, posts: s.evidence.posts })}
                </Text>
              ) : null}
              {p.canEndorse ? (
                <Button
                  size="small"
                  appearance={s.endorsedByViewer ? 'primary' : 'outline'}
                  icon={s.endorsedByViewer ? <CheckmarkRegular /> : <ThumbLikeRegular />}
                  aria-pressed={s.endorsedByViewer}
                  aria-label={t('experts.endorse', { skill: s.name })}
                  disabled={busy === s.name}
                  onClick={() => void toggle(s)}
                >
                  {t('person.endorse')}
                </Button>
              ) : null}
              <Text size={200}>{t('person.endorsements', { count: s.endorsements })}</Text>
            </li>
          ))}
        </ul>
      )}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}

function Communities({ profile: p }: { profile: Profile }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  return (
    <section className={styles.section} aria-labelledby="pcommunities-title">
      <Text as="h2" id="pcommunities-title" size={500} weight="semibold">
        {t('person.communities')}
      </Text>
      {!p.communities ? (
        <Text>{t('person.hidden')}</Text>
      ) : p.communities.length === 0 ? (
        <EmptyState title={t('person.noCommunities')} />
      ) : (
        <ul className={styles.list} aria-labelledby="pcommunities-title">
          {p.communities.map((c) => (
            <li key={c.id} className={styles.row}>
              <AppLink to={{ page: 'community', ref: c.slug }}>{c.name}</AppLink>
              {c.role !== 'member' ? <Badge appearance="tint">{t(`community.roles.${c.role}`, { defaultValue: c.role })}</Badge> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function KudosReceived({ profile: p }: { profile: Profile }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const visible = p.kudosReceived !== null;
  const kudos = useLoad(
    () => (visible ? unwrap(client.GET('/api/v1/kudos', { params: { query: { receivedBy: p.id, limit: 5 } } })).then((r) => r.items) : Promise.resolve([])),
    [client, p.id, visible],
  );
  return (
    <section className={styles.section} aria-labelledby="pkudos-title">
      <Text as="h2" id="pkudos-title" size={500} weight="semibold">
        {t('person.kudosReceived', { count: p.kudosReceived ?? 0 })}
      </Text>
      {!visible ? (
        <Text>{t('person.hidden')}</Text>
      ) : kudos.error ? (
        <ErrorMessage error={kudos.error} onRetry={kudos.reload} />
      ) : !kudos.data ? (
        <CardSkeletons count={1} />
      ) : kudos.data.length === 0 ? (
        <EmptyState title={t('person.noKudos')} />
      ) : (
        <ul className={styles.list} aria-labelledby="pkudos-title">
          {kudos.data.map((k) => (
            <li key={k.id}>
              <KudosCard kudos={k} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const splitTags = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The person's own declared fields and who may see each of them. */
function EditProfile({ profile: p, onSaved }: { profile: Profile; onSaved(p: Profile): void }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const declared = (p.skills ?? []).filter((s) => s.sources.includes('declared')).map((s) => s.name);
  const [skills, setSkills] = useState(declared.join(', '));
  const [askMeAbout, setAskMeAbout] = useState((p.askMeAbout ?? []).join(', '));
  const [languages, setLanguages] = useState((p.languages ?? []).join(', '));
  const [biography, setBiography] = useState(p.biography ?? '');
  const [privacy, setPrivacy] = useState<Partial<Record<PrivacyField, FieldVisibility>>>(p.fieldPrivacy ?? {});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const next = await unwrap(
        client.PATCH('/api/v1/me/profile', {
          body: { skills: splitTags(skills), askMeAbout: splitTags(askMeAbout), languages: splitTags(languages), biography: biography.trim() ? biography : null, fieldPrivacy: privacy },
        }),
      );
      onSaved(next);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <form className={styles.form} onSubmit={(e) => void save(e)} aria-labelledby="edit-title">
        <Text as="h2" id="edit-title" size={500} weight="semibold">
          <EditRegular aria-hidden="true" /> {t('person.edit')}
        </Text>
        <Field label={t('person.skills')} hint={t('person.commaHint')}>
          <Input value={skills} onChange={(_e, d) => setSkills(d.value)} />
        </Field>
        <Field label={t('person.askMeAbout')} hint={t('person.commaHint')}>
          <Input value={askMeAbout} onChange={(_e, d) => setAskMeAbout(d.value)} />
        </Field>
        <Field label={t('person.languages')} hint={t('person.languagesHint')}>
          <Input value={languages} onChange={(_e, d) => setLanguages(d.value)} />
        </Field>
        <Field label={t('person.biography')} hint={t('person.biographyHint')}>
          <Textarea value={biography} onChange={(_e, d) => setBiography(d.value)} rows={4} resize="vertical" />
        </Field>
        <FieldPrivacyEditor value={privacy} onChange={setPrivacy} />
        {error ? <ErrorMessage error={error} /> : null}
        {saved ? (
          <MessageBar intent="success" role="status">
            <MessageBarBody>{t('person.saved')}</MessageBarBody>
          </MessageBar>
        ) : null}
        <div className={styles.row}>
          <Button type="submit" appearance="primary" disabled={busy} icon={busy ? <Spinner size="tiny" /> : undefined}>
            {t('person.save')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

/** One select per field of the profile: everyone, my manager (and HR), or only me. */
export function FieldPrivacyEditor({ value, onChange }: { value: Partial<Record<PrivacyField, FieldVisibility>>; onChange(v: Partial<Record<PrivacyField, FieldVisibility>>): void }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  return (
    <fieldset className={styles.form} style={{ border: 'none', padding: 0, margin: 0 }}>
      <legend>
        <Text weight="semibold">{t('privacy.fields')}</Text>
      </legend>
      {privacyFields.map((f) => (
        <Field key={f} label={t(`privacy.field.${f}`)} orientation="horizontal">
          <Select value={value[f] ?? 'everyone'} onChange={(_e, d) => onChange({ ...value, [f]: d.value as FieldVisibility })}>
            {(['everyone', 'manager', 'private'] as const).map((v) => (
              <option key={v} value={v}>
                {t(`privacy.visibility.${v}`)}
              </option>
            ))}
          </Select>
        </Field>
      ))}
    </fieldset>
  );
}
