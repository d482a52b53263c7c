import {
  Badge,
  Button,
  Card,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, DataBarVerticalRegular } from '@fluentui/react-icons';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap, type Schemas } from '../../api/client.js';
import { useRuche } from '../../context.js';
import { AppLink } from '../AppLink.js';
import { CardSkeletons, EmptyState, ErrorMessage, PageHeader } from '../States.js';
import { useDates, useLoad, usePageStyles } from './shared.js';

const GroupedBars = lazy(() => import('./InsightsCharts.js').then((m) => ({ default: m.GroupedBars })));
const Bars = lazy(() => import('./InsightsCharts.js').then((m) => ({ default: m.Bars })));


const useStyles = makeStyles({
  kpis: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))', gap: tokens.spacingHorizontalM },
  kpi: { display: 'grid', gap: tokens.spacingVerticalXXS, padding: tokens.spacingHorizontalM, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground1 },
  big: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
  chart: { minHeight: '260px', padding: tokens.spacingHorizontalM, backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
});

/** Roles that see organisation-wide insights (connectors across departments, meetup statistics). */
const orgRoles = ['admin', 'hr', 'communicator'];

/** Insights for community owners and moderators (their communities) and tenant admins, HR and communicators (organisation). */
export function InsightsPage() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client, me } = useRuche();
  const isAdmin = !!me?.roles.includes('admin');
  const orgWide = !!me?.roles.some((r) => orgRoles.includes(r));
  const communities = useLoad(async () => {
    if (!me) return new Promise<{ id: string; slug: string; name: string }[]>(() => undefined);
    if (isAdmin) return (await unwrap(client.GET('/api/v1/communities', { params: { query: { limit: 100, sort: 'name' } } }))).items;
    const profile = await unwrap(client.GET('/api/v1/people/{id}', { params: { path: { id: me.id } } }));
    return (profile.communities ?? []).filter((c) => c.role === 'owner' || c.role === 'moderator');
  }, [client, me?.id, isAdmin]);
  const [chosen, setChosen] = useState('');
  const ref = chosen || communities.data?.[0]?.slug || '';

  let body;
  if (communities.error) body = <ErrorMessage error={communities.error} onRetry={communities.reload} />;
  else if (!communities.data) body = <CardSkeletons count={2} />;
  else if (communities.data.length === 0 && !orgWide) body = <EmptyState icon={<DataBarVerticalRegular fontSize={40} aria-hidden="true" />} title={t('insights.none')} hint={t('insights.noneHint')} />;
  else
    body = (
      <>
        {communities.data.length > 0 ? (
          <section className={styles.section} aria-labelledby="community-insights-title">
            <Text as="h2" id="community-insights-title" size={500} weight="semibold">
              {t('insights.community')}
            </Text>
            <Field label={t('insights.chooseCommunity')}>
              <Select value={ref} onChange={(_e, d) => setChosen(d.value)}>
                {communities.data.map((c) => (
                  <option key={c.id} value={c.slug}>
                    {c.name}
                  </option>
                ))}
              </Select>
            </Field>
            {ref ? <CommunityInsights key={ref} communityRef={ref} /> : null}
          </section>
        ) : null}
        {orgWide ? <Organisation /> : null}
      </>
    );
  return (
    <section className={styles.page} aria-labelledby="insights-title">
      <PageHeader id="insights-title" title={t('nav.insights')} intro={t('insights.intro')} />
      {body}
    </section>
  );
}

function Kpi({ label, value, note }: { label: string; value: string; note?: string }) {
  const own = useStyles();
  const styles = usePageStyles();
  return (
    <div className={own.kpi}>
      <Text>{label}</Text>
      <Text className={own.big}>{value}</Text>
      {note ? (
        <Text size={200} className={styles.muted}>
          {note}
        </Text>
      ) : null}
    </div>
  );
}

function CommunityInsights({ communityRef }: { communityRef: string }) {
  const styles = usePageStyles();
  const own = useStyles();
  const { t, i18n } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const insights = useLoad(() => unwrap(client.GET('/api/v1/communities/{ref}/insights', { params: { path: { ref: communityRef } } })), [client, communityRef]);
  const [csvError, setCsvError] = useState<unknown>(null);

  async function downloadCsv() {
    setCsvError(null);
    try {
      const { response } = await client.GET('/api/v1/communities/{ref}/insights.csv', { params: { path: { ref: communityRef } }, parseAs: 'stream' });
      if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => ({}))) as Partial<Schemas['Problem']>);
      const blob = await response.blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `insights-${communityRef}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (err) {
      setCsvError(err);
    }
  }

  if (insights.error) {
    if (insights.error instanceof ApiError && insights.error.status === 403) return <EmptyState title={t('insights.forbidden')} />;
    return <ErrorMessage error={insights.error} onRetry={insights.reload} />;
  }
  if (!insights.data) return <CardSkeletons count={2} />;
  const d = insights.data;
  const pct = (x: number) => `${dates.number(x * 100, 0)} %`;
  const action = i18n.language.startsWith('fr') ? d.suggestedAction.fr : d.suggestedAction.en;
  const reach = d.announcements.byDepartment.filter((r) => r.audience > 0).slice(0, 8);
  return (
    <div className={styles.section}>
      <div className={styles.row}>
        <Badge size="large" appearance="filled" color={d.health === 'growing' ? 'success' : d.health === 'stable' ? 'brand' : d.health === 'declining' ? 'warning' : 'danger'}>
          {t(`insights.health.${d.health}`)}
        </Badge>
        <Text size={200} className={styles.muted}>
          {t('insights.generatedAt', { date: dates.dateTime(d.generatedAt) })}
        </Text>
        <Button icon={<ArrowDownloadRegular />} onClick={() => void downloadCsv()}>
          {t('insights.csv')}
        </Button>
      </div>
      {csvError ? <ErrorMessage error={csvError} /> : null}
      <MessageBar intent="info">
        <MessageBarBody>
          <MessageBarTitle>{t('insights.suggestedAction')}</MessageBarTitle>
          {action}
        </MessageBarBody>
      </MessageBar>
      <div className={own.kpis}>
        <Kpi label={t('insights.members')} value={dates.number(d.members)} />
        <Kpi label={t('insights.active')} value={dates.number(d.activeMembers30d)} note={t('insights.engagement', { rate: pct(d.engagementRate) })} />
        <Kpi label={t('insights.postsPerWeek')} value={dates.number(d.postsPerWeek, 1)} note={t('insights.before', { value: dates.number(d.postsPerWeekBefore, 1) })} />
        <Kpi
          label={t('insights.firstAnswer')}
          value={d.medianHoursToFirstAnswer === null ? '—' : t('insights.hours', { count: Math.round(d.medianHoursToFirstAnswer) })}
          note={t('insights.unanswered', { count: d.unansweredQuestions })}
        />
        <Kpi label={t('insights.crossShare')} value={pct(d.crossDepartment.share)} note={t('insights.crossDays', { days: d.crossDepartment.days })} />
      </div>
      <Suspense fallback={<CardSkeletons count={1} />}>
        <div className={styles.columns}>
          <figure className={own.chart} aria-labelledby="activity-chart-title" style={{ margin: 0 }}>
            <Text as="h3" id="activity-chart-title" weight="semibold">
              {t('insights.activity')}
            </Text>
            <Bars
              title={t('insights.activity')}
              bars={[
                { label: t('insights.previous28'), value: d.activity.previous },
                { label: t('insights.last28'), value: d.activity.current },
              ]}
            />
            <figcaption className={styles.muted}>{t('insights.activityCaption', { current: d.activity.current, previous: d.activity.previous })}</figcaption>
          </figure>
          <figure className={own.chart} aria-labelledby="reach-chart-title" style={{ margin: 0 }}>
            <Text as="h3" id="reach-chart-title" weight="semibold">
              {t('insights.reach')}
            </Text>
            {reach.length === 0 ? (
              <EmptyState title={t('insights.noAnnouncements')} />
            ) : (
              <GroupedBars
                title={t('insights.reach')}
                groups={reach.map((r) => ({
                  label: r.department ?? t('insights.noDepartment'),
                  values: [
                    { key: 'audience', legend: t('insights.audience'), value: r.audience },
                    { key: 'viewed', legend: t('insights.viewed'), value: r.viewed },
                    { key: 'acknowledged', legend: t('insights.acknowledged'), value: r.acknowledged },
                  ],
                }))}
              />
            )}
          </figure>
        </div>
      </Suspense>
      <section className={styles.section} aria-labelledby="pairs-title">
        <Text as="h3" id="pairs-title" weight="semibold">
          {t('insights.pairs')}
        </Text>
        {d.crossDepartment.pairs.length === 0 ? (
          <Text className={styles.muted}>{t('insights.noPairs')}</Text>
        ) : (
          <Table size="small" aria-labelledby="pairs-title">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t('insights.departments')}</TableHeaderCell>
                <TableHeaderCell>{t('insights.interactions')}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {d.crossDepartment.pairs.slice(0, 10).map((p) => (
                <TableRow key={p.departments.join('|')}>
                  <TableCell>{p.departments.join(' ↔ ')}</TableCell>
                  <TableCell>{p.interactions}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Connectors items={d.crossDepartment.connectors} titleId="community-connectors" />
      </section>
    </div>
  );
}

function Connectors({ items, titleId }: { items: Schemas['Connector'][]; titleId: string }) {
  const styles = usePageStyles();
  const { t } = useTranslation();
  return (
    <section className={styles.section} aria-labelledby={titleId}>
      <Text as="h3" id={titleId} weight="semibold">
        {t('insights.connectors')}
      </Text>
      <Text size={200} className={styles.muted}>
        {t('insights.connectorsNote')}
      </Text>
      {items.length === 0 ? (
        <Text className={styles.muted}>{t('insights.noConnectors')}</Text>
      ) : (
        <ul className={styles.list} aria-labelledby={titleId}>
          {items.map((c) => (
            <li key={c.person.id} className={styles.row}>
              <AppLink to={{ page: 'person', id: c.person.id }}>{c.person.displayName}</AppLink>
              <Text className={styles.muted}>{c.person.department}</Text>
              <Text>{t('insights.reaches', { count: c.departments, names: c.departmentNames.slice(0, 3).join(', ') })}</Text>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Organisation() {
  const styles = usePageStyles();
  const own = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const connectors = useLoad(() => unwrap(client.GET('/api/v1/insights/connectors', { params: { query: { limit: 10 } } })), [client]);
  const meetups = useLoad(() => unwrap(client.GET('/api/v1/meetups/stats', {})), [client]);
  return (
    <Card>
      <section className={styles.section} aria-labelledby="org-insights-title">
        <Text as="h2" id="org-insights-title" size={500} weight="semibold">
          {t('insights.organisation')}
        </Text>
        {connectors.error ? <ErrorMessage error={connectors.error} onRetry={connectors.reload} /> : !connectors.data ? <CardSkeletons count={1} /> : <Connectors items={connectors.data.items} titleId="org-connectors" />}
        <Text as="h3" id="meetups-stats-title" weight="semibold">
          {t('insights.meetups')}
        </Text>
        {meetups.error ? (
          <ErrorMessage error={meetups.error} onRetry={meetups.reload} />
        ) : !meetups.data ? (
          <CardSkeletons count={1} />
        ) : (
          <>
            <div className={own.kpis}>
              <Kpi label={t('insights.optedIn')} value={dates.number(meetups.data.optedIn)} />
              <Kpi label={t('insights.matches')} value={dates.number(meetups.data.matches)} note={t('insights.rounds', { count: meetups.data.rounds })} />
              <Kpi label={t('insights.met')} value={`${dates.number(meetups.data.metRate * 100, 0)} %`} note={t('insights.metNote', { met: meetups.data.met, skipped: meetups.data.skipped })} />
              <Kpi label={t('insights.crossMeetups')} value={dates.number(meetups.data.crossDepartment)} />
            </div>
            {meetups.data.recentRounds.length > 0 ? (
              <Suspense fallback={<CardSkeletons count={1} />}>
                <figure className={own.chart} aria-labelledby="meetups-stats-title" style={{ margin: 0 }}>
                  <GroupedBars
                    title={t('insights.meetups')}
                    groups={[...meetups.data.recentRounds].reverse().map((r) => ({
                      label: r.startsOn,
                      values: [
                        { key: 'optedIn', legend: t('insights.optedIn'), value: r.optedIn },
                        { key: 'matches', legend: t('insights.matches'), value: r.matches },
                        { key: 'met', legend: t('insights.met'), value: r.met },
                      ],
                    }))}
                  />
                </figure>
              </Suspense>
            ) : null}
          </>
        )}
      </section>
    </Card>
  );
}
