import { Button, Card, Field, Input, MessageBar, MessageBarBody, Switch, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Schemas } from '../../api/client.js';
import { useRuche } from '../../context.js';
import { AppLink } from '../AppLink.js';
import { CardSkeletons, ErrorMessage, PageHeader } from '../States.js';
import { FieldPrivacyEditor, type FieldVisibility, type PrivacyField } from './ProfilePage.js';
import { useDates, useLoad, usePageStyles } from './shared.js';

/** Settings: recognition privacy, who sees each profile field, notifications per kind and channel. */
export function SettingsPage() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  return (
    <section className={styles.page} aria-labelledby="settings-title">
      <PageHeader id="settings-title" title={t('settings.title')} intro={t('settings.intro')} />
      <RecognitionPrivacy />
      <ProfilePrivacy />
      <InsightPrivacy />
      <Meetups />
      <NotificationSettings />
    </section>
  );
}

function Saved({ show }: { show: boolean }) {
  const { t } = useTranslation();
  return show ? (
    <MessageBar intent="success" role="status">
      <MessageBarBody>{t('settings.saved')}</MessageBarBody>
    </MessageBar>
  ) : null;
}

function RecognitionPrivacy() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const prefs = useLoad(() => unwrap(client.GET('/api/v1/me/recognition', {})), [client]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  async function change(patch: { optedOut?: boolean; publicRanking?: boolean }) {
    if (!prefs.data) return;
    const before = prefs.data;
    prefs.set({ ...before, ...patch });
    setError(null);
    setSaved(false);
    try {
      prefs.set(await unwrap(client.PUT('/api/v1/me/recognition', { body: patch })));
      setSaved(true);
    } catch (err) {
      prefs.set(before);
      setError(err);
    }
  }
  return (
    <Card>
      <section className={styles.section} aria-labelledby="recognition-title">
        <Text as="h2" id="recognition-title" size={500} weight="semibold">
          {t('settings.recognition')}
        </Text>
        {prefs.error ? (
          <ErrorMessage error={prefs.error} onRetry={prefs.reload} />
        ) : !prefs.data ? (
          <CardSkeletons count={1} />
        ) : (
          <>
            {prefs.data.switchedOffByRule ? (
              <MessageBar intent="info">
                <MessageBarBody>{t('settings.switchedOff')}</MessageBarBody>
              </MessageBar>
            ) : null}
            <Switch checked={prefs.data.optedOut} onChange={(_e, d) => void change({ optedOut: d.checked })} label={t('settings.optOut')} />
            <Text size={200} className={styles.muted}>
              {t('settings.optOutHelp')}
            </Text>
            <Switch
              checked={prefs.data.publicRanking}
              disabled={prefs.data.optedOut}
              onChange={(_e, d) => void change({ publicRanking: d.checked })}
              label={t('settings.publicRanking')}
            />
            <Text size={200} className={styles.muted}>
              {t('settings.publicRankingHelp')}
            </Text>
          </>
        )}
        {error ? <ErrorMessage error={error} /> : null}
        <Saved show={saved} />
      </section>
    </Card>
  );
}

function ProfilePrivacy() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client, me } = useRuche();
  const id = me?.id ?? null;
  const profile = useLoad(() => (id ? unwrap(client.GET('/api/v1/people/{id}', { params: { path: { id } } })) : new Promise<Schemas['Profile']>(() => undefined)), [client, id]);
  const [draft, setDraft] = useState<Partial<Record<PrivacyField, FieldVisibility>> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const value = draft ?? profile.data?.fieldPrivacy ?? {};
  async function save() {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const next = await unwrap(client.PATCH('/api/v1/me/profile', { body: { fieldPrivacy: value } }));
      profile.set(next);
      setDraft(null);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card>
      <section className={styles.section} aria-labelledby="fields-title">
        <Text as="h2" id="fields-title" size={500} weight="semibold">
          {t('settings.profilePrivacy')}
        </Text>
        {profile.error ? (
          <ErrorMessage error={profile.error} onRetry={profile.reload} />
        ) : !profile.data ? (
          <CardSkeletons count={1} />
        ) : (
          <>
            <FieldPrivacyEditor value={value} onChange={setDraft} />
            <div className={styles.row}>
              <Button appearance="primary" disabled={busy || !draft} onClick={() => void save()}>
                {t('settings.savePrivacy')}
              </Button>
            </div>
          </>
        )}
        {error ? <ErrorMessage error={error} /> : null}
        <Saved show={saved} />
      </section>
    </Card>
  );
}

function NotificationSettings() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const settings = useLoad(() => unwrap(client.GET('/api/v1/notifications/settings', {})), [client]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  type Settings = Schemas['NotificationSettings'];
  type Kind = keyof Settings;
  type Channel = keyof Settings[Kind];
  async function toggle(kind: Kind, channel: Channel, on: boolean) {
    if (!settings.data) return;
    const before = settings.data;
    settings.set({ ...before, [kind]: { ...before[kind], [channel]: on } });
    setError(null);
    setSaved(false);
    try {
      settings.set(await unwrap(client.PUT('/api/v1/notifications/settings', { body: { [kind]: { [channel]: on } } })));
      setSaved(true);
    } catch (err) {
      settings.set(before);
      setError(err);
    }
  }
  const kinds = settings.data ? (Object.keys(settings.data) as Kind[]) : [];
  // Every kind has in_app; Teams and the bot carry only some kinds, so a column may have gaps.
  const channels = [...new Set(kinds.flatMap((k) => Object.keys(settings.data![k]) as Channel[]))];
  return (
    <Card>
      <section className={styles.section} aria-labelledby="nsettings-title">
        <Text as="h2" id="nsettings-title" size={500} weight="semibold">
          {t('settings.notifications')}
        </Text>
        {settings.error ? (
          <ErrorMessage error={settings.error} onRetry={settings.reload} />
        ) : !settings.data ? (
          <CardSkeletons count={1} />
        ) : (
          <Table size="small" aria-labelledby="nsettings-title">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('settings.kind')}</TableHeaderCell>
                {channels.map((c) => (
                  <TableHeaderCell key={c}>{t(`settings.channels.${c}`, { defaultValue: c })}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {kinds.map((k) => (
                <TableRow key={k}>
                  <TableCell>{t(`settings.kinds.${k}`, { defaultValue: k })}</TableCell>
                  {channels.map((c) => (
                    <TableCell key={c}>
                      {settings.data![k][c] === undefined ? (
                        <Text aria-label={t('settings.notCarried')}>—</Text>
                      ) : (
                      <Switch
                        checked={settings.data![k][c] === true}
                        onChange={(_e, d) => void toggle(k, c, d.checked)}
                        aria-label={t('settings.toggle', { kind: t(`settings.kinds.${k}`, { defaultValue: k }), channel: t(`settings.channels.${c}`, { defaultValue: c }) })}
                      />
                      )}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {error ? <ErrorMessage error={error} /> : null}
        <Saved show={saved} />
      </section>
    </Card>
  );
}

function InsightPrivacy() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const pref = useLoad(() => unwrap(client.GET('/api/v1/me/insights', {})), [client]);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  async function change(optedOut: boolean) {
    const before = pref.data;
    pref.set({ optedOut });
    setError(null);
    setSaved(false);
    try {
      pref.set(await unwrap(client.PUT('/api/v1/me/insights', { body: { optedOut } })));
      setSaved(true);
    } catch (err) {
      if (before) pref.set(before);
      setError(err);
    }
  }
  return (
    <Card>
      <section className={styles.section} aria-labelledby="insight-privacy-title">
        <Text as="h2" id="insight-privacy-title" size={500} weight="semibold">
          {t('settings.insights')}
        </Text>
        {pref.error ? (
          <ErrorMessage error={pref.error} onRetry={pref.reload} />
        ) : !pref.data ? (
          <CardSkeletons count={1} />
        ) : (
          <Switch checked={pref.data.optedOut} onChange={(_e, d) => void change(d.checked)} label={t('settings.insightsOptOut')} />
        )}
        <Text size={200} className={styles.muted}>
          {t('settings.insightsHelp')}
        </Text>
        {error ? <ErrorMessage error={error} /> : null}
        <Saved show={saved} />
      </section>
    </Card>
  );
}

/** Meetups: opt in or out, snooze, my current match and "did you meet?". */
function Meetups() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const mine = useLoad(() => unwrap(client.GET('/api/v1/me/meetups', {})), [client]);
  const [snooze, setSnooze] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  async function setPreference(body: { enabled?: boolean; snoozeUntil?: string | null }) {
    if (!mine.data) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const preference = await unwrap(client.PUT('/api/v1/me/meetups/preference', { body }));
      mine.set({ ...mine.data, preference });
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function outcome(matchId: string, value: 'met' | 'skipped') {
    if (!mine.data) return;
    setError(null);
    try {
      await unwrap(client.PUT('/api/v1/me/meetups/{matchId}/outcome', { params: { path: { matchId } }, body: { outcome: value } }));
      const update = (m: Schemas['MeetupMatch']) => (m.id === matchId ? { ...m, myOutcome: value } : m);
      mine.set({ ...mine.data, current: mine.data.current ? update(mine.data.current) : null, recent: mine.data.recent.map(update) });
    } catch (err) {
      setError(err);
    }
  }
  const current = mine.data?.current ?? null;
  return (
    <Card>
      <section className={styles.section} aria-labelledby="meetups-title">
        <Text as="h2" id="meetups-title" size={500} weight="semibold">
          {t('settings.meetups')}
        </Text>
        <Text size={200} className={styles.muted}>
          {t('settings.meetupsIntro')}
        </Text>
        {mine.error ? (
          <ErrorMessage error={mine.error} onRetry={mine.reload} />
        ) : !mine.data ? (
          <CardSkeletons count={1} />
        ) : (
          <>
            <Switch checked={mine.data.preference.enabled} disabled={busy} onChange={(_e, d) => void setPreference({ enabled: d.checked })} label={t('settings.meetupsOn')} />
            {mine.data.preference.enabled ? (
              <div className={styles.row}>
                <Field label={t('settings.snoozeUntil')}>
                  <Input type="date" value={snooze} onChange={(_e, d) => setSnooze(d.value)} />
                </Field>
                <Button disabled={busy || !snooze} onClick={() => void setPreference({ snoozeUntil: snooze })}>
                  {t('settings.snooze')}
                </Button>
                {mine.data.preference.snoozeUntil ? (
                  <>
                    <Text>{t('settings.snoozed', { date: dates.date(`${mine.data.preference.snoozeUntil}T12:00:00Z`) })}</Text>
                    <Button disabled={busy} onClick={() => void setPreference({ snoozeUntil: null })}>
                      {t('settings.endSnooze')}
                    </Button>
                  </>
                ) : null}
              </div>
            ) : null}
            {current ? (
              <div className={styles.row}>
                <Text>{t('settings.currentMatch')}</Text>
                <AppLink to={{ page: 'person', id: current.colleague.id }}>{current.colleague.displayName}</AppLink>
                <Text className={styles.muted}>{[current.colleague.jobTitle, current.colleague.department, current.colleague.office].filter(Boolean).join(' · ')}</Text>
                {current.myOutcome ? (
                  <Text weight="semibold">{t(`settings.outcome.${current.myOutcome}`)}</Text>
                ) : (
                  <>
                    <Button onClick={() => void outcome(current.id, 'met')}>{t('settings.met')}</Button>
                    <Button onClick={() => void outcome(current.id, 'skipped')}>{t('settings.skipped')}</Button>
                  </>
                )}
              </div>
            ) : (
              <Text className={styles.muted}>{t('settings.noMatch')}</Text>
            )}
          </>
        )}
        {error ? <ErrorMessage error={error} /> : null}
        <Saved show={saved} />
      </section>
    </Card>
  );
}
