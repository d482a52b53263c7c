import {
  Button,
  Card,
  Field,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Tab,
  TabList,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { TrophyRegular } from '@fluentui/react-icons';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Schemas } from '../../api/client.js';
import { useRuche } from '../../context.js';
import { AppLink } from '../AppLink.js';
import { CardSkeletons, EmptyState, ErrorMessage, PageHeader } from '../States.js';
import { KudosCard, type Kudos } from './KudosCard.js';
import { KudosValueIcon, valueName } from './KudosValueIcon.js';
import { PersonPicker, type PickedPerson } from './PersonPicker.js';
import { MoreButton, useDates, useLoad, usePageStyles, usePaged } from './shared.js';

const MESSAGE_MAX = 1000;
const RECIPIENTS_MAX = 10;
type Visibility = Kudos['visibility'];
type Wall = { kind: 'all' } | { kind: 'department'; department: string } | { kind: 'community'; id: string };

const useStyles = makeStyles({
  values: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  valueLabel: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  factors: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))', gap: tokens.spacingHorizontalM },
  factor: { display: 'grid', gap: tokens.spacingVerticalXXS, padding: tokens.spacingHorizontalM, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground3 },
  big: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightHero700 },
  inputs: { display: 'grid', gridTemplateColumns: 'max-content auto', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0, '& dd': { margin: 0 } },
});

/** Kudos: give kudos, read the wall (everything, my department, one of my communities), leaderboards and my score. */
export function KudosPage() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const [tab, setTab] = useState<'wall' | 'leaderboards' | 'score'>('wall');
  const [given, setGiven] = useState<Kudos | null>(null);
  return (
    <section className={styles.page} aria-labelledby="kudos-title">
      <PageHeader id="kudos-title" title={t('kudos.title')} intro={t('kudos.intro')} />
      <GiveKudos onGiven={setGiven} />
      <TabList selectedValue={tab} onTabSelect={(_e, d) => setTab(d.value as typeof tab)} aria-label={t('kudos.views')}>
        <Tab value="wall">{t('kudos.wall')}</Tab>
        <Tab value="leaderboards">{t('kudos.leaderboards')}</Tab>
        <Tab value="score">{t('kudos.myScore')}</Tab>
      </TabList>
      <div role="tabpanel" aria-label={t(`kudos.${tab === 'score' ? 'myScore' : tab}`)}>
        {tab === 'wall' ? <KudosWall justGiven={given} /> : tab === 'leaderboards' ? <Leaderboards /> : <MyScore />}
      </div>
    </section>
  );
}

export function GiveKudos({ onGiven }: { onGiven(k: Kudos): void }) {
  const styles = usePageStyles();
  const own = useStyles();
  const { t, i18n } = useTranslation();
  const { client, me } = useRuche();
  const values = useLoad(() => unwrap(client.GET('/api/v1/kudos/values', {})).then((r) => r.items.filter((v) => v.active)), [client]);
  const communities = useLoad(
    () => unwrap(client.GET('/api/v1/communities', { params: { query: { mine: 'true', limit: 100 } } })).then((r) => r.items),
    [client],
  );
  const [recipients, setRecipients] = useState<PickedPerson[]>([]);
  const [valueKey, setValueKey] = useState('');
  const [message, setMessage] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [communityId, setCommunityId] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  const problems = {
    recipients: recipients.length === 0 ? t('kudos.needRecipient') : null,
    value: !valueKey ? t('kudos.needValue') : null,
    message: !message.trim() ? t('kudos.needMessage') : message.length > MESSAGE_MAX ? t('kudos.tooLong', { max: MESSAGE_MAX }) : null,
    community: visibility === 'community' && !communityId ? t('kudos.needCommunity') : null,
  };
  const valid = !Object.values(problems).some(Boolean);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    setDone(null);
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await unwrap(
        client.POST('/api/v1/kudos', {
          body: { recipients: recipients.map((r) => r.id), valueKey, message: message.trim(), visibility, ...(visibility === 'community' ? { communityId } : {}) },
        }),
      );
      onGiven(result.kudos);
      setDone(t('kudos.given', { names: recipients.map((r) => r.displayName).join(', ') }));
      setRecipients([]);
      setMessage('');
      setTried(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <form className={styles.form} onSubmit={(e) => void submit(e)} aria-labelledby="give-kudos-title" noValidate>
        <Text as="h2" id="give-kudos-title" size={500} weight="semibold">
          {t('kudos.give')}
        </Text>
        <PersonPicker
          label={t('kudos.recipients')}
          value={recipients}
          onChange={setRecipients}
          max={RECIPIENTS_MAX}
          excludeIds={me ? [me.id] : []}
          validation={tried ? problems.recipients : null}
          required
        />
        {values.error ? <ErrorMessage error={values.error} onRetry={values.reload} /> : null}
        <Field label={t('kudos.value')} required validationMessage={tried && problems.value ? problems.value : undefined}>
          {values.data ? (
            <RadioGroup layout="horizontal" value={valueKey} onChange={(_e, d) => setValueKey(d.value)} className={own.values}>
              {values.data.map((v) => (
                <Radio
                  key={v.key}
                  value={v.key}
                  label={
                    <span className={own.valueLabel}>
                      <KudosValueIcon value={v} />
                      {valueName(v, i18n.language)}
                    </span>
                  }
                />
              ))}
            </RadioGroup>
          ) : (
            <Spinner size="tiny" label={t('common.loading')} />
          )}
        </Field>
        <Field label={t('kudos.message')} required validationMessage={tried && problems.message ? problems.message : undefined} hint={t('kudos.messageHint', { count: message.length, max: MESSAGE_MAX })}>
          <Textarea value={message} onChange={(_e, d) => setMessage(d.value)} resize="vertical" rows={3} />
        </Field>
        <Field label={t('kudos.visibilityLabel')}>
          <Select value={visibility} onChange={(_e, d) => setVisibility(d.value as Visibility)}>
            {(['public', 'community', 'private'] as const).map((v) => (
              <option key={v} value={v}>
                {t(`kudos.visibilityOption.${v}`)}
              </option>
            ))}
          </Select>
        </Field>
        {visibility === 'community' ? (
          <Field label={t('kudos.community')} required validationMessage={tried && problems.community ? problems.community : undefined}>
            <Select value={communityId} onChange={(_e, d) => setCommunityId(d.value)}>
              <option value="">{t('kudos.chooseCommunity')}</option>
              {(communities.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        {error ? <ErrorMessage error={error} /> : null}
        {done ? (
          <MessageBar intent="success" role="status">
            <MessageBarBody>{done}</MessageBarBody>
          </MessageBar>
        ) : null}
        <div className={styles.row}>
          <Button type="submit" appearance="primary" disabled={busy} icon={busy ? <Spinner size="tiny" /> : <TrophyRegular />}>
            {t('kudos.send')}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function KudosWall({ justGiven }: { justGiven: Kudos | null }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client, me } = useRuche();
  const communities = useLoad(
    () => unwrap(client.GET('/api/v1/communities', { params: { query: { mine: 'true', limit: 100 } } })).then((r) => r.items),
    [client],
  );
  const [wallKey, setWallKey] = useState('all');
  const wall: Wall =
    wallKey === 'department' && me?.department ? { kind: 'department', department: me.department } : wallKey.startsWith('c:') ? { kind: 'community', id: wallKey.slice(2) } : { kind: 'all' };
  const paged = usePaged<Kudos>(
    (cursor) => {
      const query = { limit: 20, ...(cursor ? { cursor } : {}) };
      if (wall.kind === 'department') return unwrap(client.GET('/api/v1/kudos/walls/departments/{department}', { params: { path: { department: wall.department }, query } }));
      if (wall.kind === 'community') return unwrap(client.GET('/api/v1/kudos/walls/communities/{communityId}', { params: { path: { communityId: wall.id }, query } }));
      return unwrap(client.GET('/api/v1/kudos', { params: { query } }));
    },
    [client, wallKey, me?.department],
    (k) => k.id,
  );
  const items = paged.items && justGiven && !paged.items.some((k) => k.id === justGiven.id) && wall.kind === 'all' ? [justGiven, ...paged.items] : paged.items;

  return (
    <div className={styles.section}>
      <Field label={t('kudos.wallScope')}>
        <Select value={wallKey} onChange={(_e, d) => setWallKey(d.value)}>
          <option value="all">{t('kudos.wallAll')}</option>
          {me?.department ? <option value="department">{t('kudos.wallDepartment', { department: me.department })}</option> : null}
          {(communities.data ?? []).map((c) => (
            <option key={c.id} value={`c:${c.id}`}>
              {t('kudos.wallCommunity', { community: c.name })}
            </option>
          ))}
        </Select>
      </Field>
      {paged.error ? (
        <ErrorMessage error={paged.error} onRetry={paged.reload} />
      ) : !items ? (
        <CardSkeletons count={3} />
      ) : items.length === 0 ? (
        <EmptyState icon={<TrophyRegular fontSize={40} aria-hidden="true" />} title={t('kudos.emptyWall')} hint={t('kudos.emptyWallHint')} />
      ) : (
        <ul className={styles.list} aria-label={t('kudos.wall')}>
          {items.map((k) => (
            <li key={k.id}>
              <KudosCard kudos={k} onDeleted={(id) => paged.setItems((paged.items ?? []).filter((x) => x.id !== id))} />
            </li>
          ))}
        </ul>
      )}
      <MoreButton paged={paged} />
    </div>
  );
}

function Leaderboards() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const [by, setBy] = useState<'team' | 'department'>('team');
  const groups = useLoad(() => unwrap(client.GET('/api/v1/leaderboards/groups', { params: { query: { by } } })), [client, by]);
  const people = useLoad(() => unwrap(client.GET('/api/v1/leaderboards/people', { params: { query: { limit: 20 } } })), [client]);
  return (
    <div className={styles.columns}>
      <section className={styles.section} aria-labelledby="groups-title">
        <Text as="h2" id="groups-title" size={500} weight="semibold">
          {t('kudos.groupBoard')}
        </Text>
        <Field label={t('kudos.groupBy')}>
          <Select value={by} onChange={(_e, d) => setBy(d.value as typeof by)}>
            <option value="team">{t('kudos.byTeam')}</option>
            <option value="department">{t('kudos.byDepartment')}</option>
          </Select>
        </Field>
        {groups.error ? (
          <ErrorMessage error={groups.error} onRetry={groups.reload} />
        ) : !groups.data ? (
          <CardSkeletons count={1} />
        ) : groups.data.entries.length === 0 ? (
          <EmptyState title={t('kudos.noGroups')} />
        ) : (
          <>
            <Table size="small" aria-labelledby="groups-title">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('kudos.rank')}</TableHeaderCell>
                  <TableHeaderCell>{by === 'team' ? t('kudos.team') : t('kudos.department')}</TableHeaderCell>
                  <TableHeaderCell>{t('kudos.people')}</TableHeaderCell>
                  <TableHeaderCell>{t('kudos.averageScore')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {groups.data.entries.map((e) => (
                  <TableRow key={e.key}>
                    <TableCell>{e.rank ?? '—'}</TableCell>
                    <TableCell>{by === 'team' ? t('kudos.teamOf', { name: e.name }) : e.name}</TableCell>
                    <TableCell>{e.people}</TableCell>
                    <TableCell>{e.averageScore === null ? t('kudos.tooSmall', { count: groups.data!.minGroupSize }) : dates.number(e.averageScore, 1)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <Text size={200} className={styles.muted}>
              {t('kudos.groupNote', { count: groups.data.minGroupSize })}
            </Text>
          </>
        )}
      </section>
      <section className={styles.section} aria-labelledby="people-title">
        <Text as="h2" id="people-title" size={500} weight="semibold">
          {t('kudos.peopleBoard')}
        </Text>
        <Text className={styles.muted}>{t('kudos.peopleNote')}</Text>
        {people.error ? (
          <ErrorMessage error={people.error} onRetry={people.reload} />
        ) : !people.data ? (
          <CardSkeletons count={1} />
        ) : people.data.entries.length === 0 ? (
          <EmptyState title={t('kudos.noPeople')} hint={<AppLink to={{ page: 'settings' }}>{t('kudos.optInLink')}</AppLink>} />
        ) : (
          <ol className={styles.list} aria-labelledby="people-title">
            {people.data.entries.map((e) => (
              <li key={e.person.id} className={styles.row}>
                <Text weight="semibold">{e.rank}.</Text>
                <AppLink to={{ page: 'person', id: e.person.id }}>{e.person.displayName}</AppLink>
                <Text className={styles.muted}>{e.person.department ?? ''}</Text>
                <Text>{t('kudos.points', { score: dates.number(e.score, 1) })}</Text>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function MyScore() {
  const styles = usePageStyles();
  const own = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const score = useLoad(() => unwrap(client.GET('/api/v1/me/score', {})), [client]);
  if (score.error) return <ErrorMessage error={score.error} onRetry={score.reload} />;
  if (!score.data) return <CardSkeletons count={1} />;
  const s: Schemas['ContributionScore'] = score.data;
  const inputs = Object.entries(s.inputs) as [keyof Schemas['ContributionScore']['inputs'], number][];
  return (
    <section className={styles.section} aria-labelledby="score-title">
      <Text as="h2" id="score-title" size={500} weight="semibold">
        {t('kudos.myScore')}
      </Text>
      <Text className={styles.muted}>{t('kudos.scoreIntro')}</Text>
      <div className={own.factors}>
        <div className={own.factor}>
          <Text>{t('kudos.score')}</Text>
          <Text className={own.big}>{dates.number(s.score, 1)}</Text>
        </div>
        {(['presence', 'level', 'activity'] as const).map((f) => (
          <div key={f} className={own.factor}>
            <Text>{t(`kudos.factors.${f}`)}</Text>
            <Text className={own.big}>{dates.number(s.factors[f], 2)}</Text>
            <Text size={200} className={styles.muted}>
              {t(`kudos.factorHelp.${f}`, { window: s.parameters.windowDays, halfLife: s.parameters.halfLifeDays })}
            </Text>
          </div>
        ))}
      </div>
      <Text as="h3" size={400} weight="semibold">
        {t('kudos.inputsTitle', { days: s.parameters.inputDays })}
      </Text>
      <dl className={own.inputs}>
        {inputs.map(([key, value]) => (
          <div key={key} style={{ display: 'contents' }}>
            <dt>{t(`kudos.inputs.${key}`)}</dt>
            <dd>{dates.number(value, 1)}</dd>
          </div>
        ))}
      </dl>
      <Text size={200} className={styles.muted}>
        {t('kudos.formula')} <code>{s.formula}</code>
      </Text>
      <Text size={200} className={styles.muted}>
        <AppLink to={{ page: 'settings' }}>{t('kudos.privacyLink')}</AppLink>
      </Text>
    </section>
  );
}
