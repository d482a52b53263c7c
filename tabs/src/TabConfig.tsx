import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ApiError, PageHeader, unwrap, useErrorText, useRuche, type Community, type CommunityKind } from '@ruche/ui';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { channelTabSettings } from './deep-links.js';
import { tabConfigHost, type Host } from './host.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '40rem' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

const kinds: CommunityKind[] = ['project', 'interest', 'profession'];
const visibilities = ['public', 'private', 'secret'] as const;
type Visibility = (typeof visibilities)[number];

/**
 * The channel tab's configuration page (/tabs/config): pick a community from the directory or
 * create one for the team (linked to the team's Microsoft 365 group when Graph allows it);
 * Save hands Teams the tab's entityId ("community:<ref>"), contentUrl, websiteUrl and name.
 */
export function TabConfigPage({ host }: { host: Host }) {
  const { client } = useRuche();
  const { t } = useTranslation();
  const styles = useStyles();
  const errorText = useErrorText();
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  const [results, setResults] = useState<Community[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [chosen, setChosen] = useState<Community | null>(null);
  const [name, setName] = useState(host.team?.name ?? '');
  const [kind, setKind] = useState<CommunityKind>('project');
  const [visibility, setVisibility] = useState<Visibility>('private');
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<{ intent: 'success' | 'error' | 'warning'; text: string } | null>(null);
  const chosenRef = useRef<Community | null>(null);
  chosenRef.current = chosen;
  const teamsConfig = useState(() => tabConfigHost(host))[0];

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);

  useEffect(() => {
    let current = true;
    setError(null);
    unwrap(client.GET('/api/v1/communities', { params: { query: { limit: 20, ...(debounced ? { q: debounced } : { mine: 'true' }) } } })).then(
      (page) => current && setResults(page.items),
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [client, debounced]);

  // Teams asks for the settings when Save is selected; the choice at that moment is saved.
  useEffect(() => {
    teamsConfig?.onSave(async () => {
      const community = chosenRef.current;
      if (!community) throw new Error(t('tabConfig.nothingChosen'));
      return channelTabSettings(community, window.location.origin);
    });
  }, [teamsConfig, t]);

  useEffect(() => {
    teamsConfig?.setValid(chosen !== null);
  }, [teamsConfig, chosen]);

  async function create(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setNotice({ intent: 'error', text: t('tabConfig.nameRequired') });
      return;
    }
    setCreating(true);
    setNotice(null);
    try {
      const community = await unwrap(client.POST('/api/v1/communities', { body: { name: name.trim(), kind, visibility } }));
      let linked: { ok: true } | { ok: false; reason: string } = { ok: false, reason: '' };
      if (host.team?.groupId) {
        try {
          await unwrap(
            client.PUT('/api/v1/communities/{ref}/group-link', { params: { path: { ref: community.id } }, body: { groupId: host.team.groupId, direction: 'from_group' } }),
          );
          linked = { ok: true };
        } catch (e) {
          linked = { ok: false, reason: e instanceof ApiError ? e.message : errorText(e) };
        }
      }
      setResults((r) => [community, ...(r ?? [])]);
      setChosen(community);
      const createdText = t('tabConfig.created', { name: community.name });
      if (linked.ok) setNotice({ intent: 'success', text: `${createdText} ${t('tabConfig.linkedToTeam')}` });
      else if (host.team?.groupId) setNotice({ intent: 'warning', text: `${createdText} ${t('tabConfig.notLinked', { reason: linked.reason })}` });
      else setNotice({ intent: 'success', text: createdText });
    } catch (e) {
      setNotice({ intent: 'error', text: errorText(e) });
    } finally {
      setCreating(false);
    }
  }

  return (
    <div className={styles.page}>
      <PageHeader id="tab-config-title" title={t('tabConfig.title')} intro={t('tabConfig.intro')} />
      {!host.inTeams && (
        <MessageBar intent="info">
          <MessageBarBody>{t('tabConfig.outsideTeams')}</MessageBarBody>
        </MessageBar>
      )}
      <section className={styles.section} aria-labelledby="tab-config-pick">
        <h2 id="tab-config-pick">{t('tabConfig.pickTitle')}</h2>
        <Field label={t('tabConfig.searchLabel')}>
          <Input type="search" value={query} placeholder={t('tabConfig.searchPlaceholder')} onChange={(_e, d) => setQuery(d.value)} />
        </Field>
        {error !== null && (
          <MessageBar intent="error">
            <MessageBarBody>{errorText(error)}</MessageBarBody>
          </MessageBar>
        )}
        {results === null && error === null && <Spinner size="tiny" label={t('common.loading')} />}
        {results !== null && results.length === 0 && debounced && <p role="status">{t('tabConfig.noResults', { q: debounced })}</p>}
        {results !== null && results.length > 0 && (
          <Field label={t('tabConfig.resultsLabel')}>
            <RadioGroup
              value={chosen?.id ?? ''}
              onChange={(_e, d) => setChosen(results.find((c) => c.id === d.value) ?? null)}
            >
              {results.map((c) => (
                <Radio key={c.id} value={c.id} label={`${c.name} · ${t(`communities.kinds.${c.kind}`)} · ${t(`communities.visibility.${c.visibility}`)}`} />
              ))}
            </RadioGroup>
          </Field>
        )}
        <div role="status" aria-live="polite">
          {chosen && t('tabConfig.chosen', { name: chosen.name })}
        </div>
      </section>
      <section className={styles.section} aria-labelledby="tab-config-create">
        <h2 id="tab-config-create">{t('tabConfig.createTitle')}</h2>
        <form className={styles.form} noValidate onSubmit={(e) => void create(e)}>
          <Field label={t('tabConfig.nameLabel')} required>
            <Input value={name} maxLength={120} onChange={(_e, d) => setName(d.value)} />
          </Field>
          <Field label={t('tabConfig.kindLabel')}>
            <RadioGroup layout="horizontal" value={kind} onChange={(_e, d) => setKind(d.value as CommunityKind)}>
              {kinds.map((k) => (
                <Radio key={k} value={k} label={t(`communities.kinds.${k}`)} />
              ))}
            </RadioGroup>
          </Field>
          <Field label={t('tabConfig.visibilityLabel')}>
            <RadioGroup layout="horizontal" value={visibility} onChange={(_e, d) => setVisibility(d.value as Visibility)}>
              {visibilities.map((v) => (
                <Radio key={v} value={v} label={t(`communities.visibility.${v}`)} />
              ))}
            </RadioGroup>
          </Field>
          <div>
            <Button type="submit" appearance="primary" disabled={creating}>
              {creating ? t('tabConfig.creating') : t('tabConfig.create')}
            </Button>
          </div>
        </form>
        {notice && (
          <MessageBar intent={notice.intent} role={notice.intent === 'error' ? 'alert' : 'status'}>
            <MessageBarBody>{notice.text}</MessageBarBody>
          </MessageBar>
        )}
      </section>
    </div>
  );
}
