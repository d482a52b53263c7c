import {
  Badge,
  mergeClasses,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
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
import { useTranslation } from 'react-i18next';
import { AppLink, CardSkeletons, EmptyState, ErrorMessage, unwrap, useRuche, type Schemas } from '../ui/index.js';
import { useDates, useLoad } from '../ui/components/pages/shared.js';
import { WebPartFrame } from './WebPartFrame.js';

/** Which ranking: teams (a manager's direct reports), departments (org units), or people who opted in. */
export type Board = 'team' | 'department' | 'people';
/** The ranking and the community's health one above the other, or side by side when there is room. */
export type BoardLayout = 'stacked' | 'columns';

export interface LeaderboardProps {
  title?: string;
  board: Board;
  /** Limits the ranking to one department (optional). */
  department?: string;
  count: number;
  /** A community's ref (slug) or id: adds the summary of its health (optional). */
  community?: string;
  layout: BoardLayout;
}

const useStyles = makeStyles({
  root: { display: 'grid', gap: tokens.spacingVerticalL, alignItems: 'start' },
  columns: { gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 320px), 1fr))', columnGap: tokens.spacingHorizontalXL },
  section: { display: 'grid', gap: tokens.spacingVerticalS, '& h3': { margin: 0 } },
  people: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  muted: { color: tokens.colorNeutralForeground2 },
  kpis: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(130px, 1fr))', gap: tokens.spacingHorizontalM, margin: 0 },
  kpi: { display: 'grid', gap: tokens.spacingVerticalXXS, padding: tokens.spacingHorizontalS, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground3 },
  value: { margin: 0, fontSize: tokens.fontSizeBase600, fontWeight: tokens.fontWeightSemibold },
});

/** The leaderboard web part: a ranking of teams, departments or opted-in people, and optionally a community's health. */
export function Leaderboard({ title, board, department, count, community, layout }: LeaderboardProps): JSX.Element {
  const styles = useStyles();
  const communityRef = (community ?? '').trim();
  return (
    <WebPartFrame title={title} place={{ page: 'kudos' }}>
      <div className={mergeClasses(styles.root, layout === 'columns' && styles.columns)}>
        {board === 'people' ? <PeopleBoard department={department} count={count} /> : <GroupBoard by={board} department={department} count={count} />}
        {communityRef ? <CommunityHealth communityRef={communityRef} /> : null}
      </div>
    </WebPartFrame>
  );
}

function limitOf(count: number): number {
  return Math.max(1, Math.min(50, Math.round(count) || 5));
}

function GroupBoard({ by, department, count }: { by: 'team' | 'department'; department?: string; count: number }): JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const dep = (department ?? '').trim();
  const groups = useLoad(
    () => unwrap(client.GET('/api/v1/leaderboards/groups', { params: { query: { by, ...(dep ? { department: dep } : {}) } } })),
    [client, by, dep],
  );
  const heading = by === 'team' ? t('spfx.teamBoard') : t('spfx.departmentBoard');
  let body;
  if (groups.error) body = <ErrorMessage error={groups.error} onRetry={groups.reload} />;
  else if (!groups.data) body = <CardSkeletons count={1} />;
  else if (groups.data.entries.length === 0) body = <EmptyState title={t('kudos.noGroups')} />;
  else {
    const data = groups.data;
    body = (
      <>
        <Table size="small" aria-label={heading}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('kudos.rank')}</TableHeaderCell>
              <TableHeaderCell>{by === 'team' ? t('kudos.team') : t('kudos.department')}</TableHeaderCell>
              <TableHeaderCell>{t('kudos.people')}</TableHeaderCell>
              <TableHeaderCell>{t('kudos.averageScore')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {data.entries.slice(0, limitOf(count)).map((e) => (
              <TableRow key={e.key}>
                <TableCell>{e.rank ?? '—'}</TableCell>
                <TableCell>{by === 'team' ? t('kudos.teamOf', { name: e.name }) : e.name}</TableCell>
                <TableCell>{e.people}</TableCell>
                <TableCell>{e.averageScore === null ? t('kudos.tooSmall', { count: data.minGroupSize }) : dates.number(e.averageScore, 1)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Text size={200} className={styles.muted}>
          {t('kudos.groupNote', { count: data.minGroupSize })}
        </Text>
      </>
    );
  }
  return (
    <section className={styles.section} aria-label={heading}>
      <Text as="h3" size={400} weight="semibold">
        {heading}
      </Text>
      {body}
    </section>
  );
}

function PeopleBoard({ department, count }: { department?: string; count: number }): JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const dep = (department ?? '').trim();
  const limit = limitOf(count);
  const people = useLoad(
    () => unwrap(client.GET('/api/v1/leaderboards/people', { params: { query: { limit, ...(dep ? { department: dep } : {}) } } })),
    [client, dep, limit],
  );
  let body;
  if (people.error) body = <ErrorMessage error={people.error} onRetry={people.reload} />;
  else if (!people.data) body = <CardSkeletons count={1} />;
  else if (people.data.entries.length === 0) body = <EmptyState title={t('kudos.noPeople')} hint={<AppLink to={{ page: 'settings' }}>{t('kudos.optInLink')}</AppLink>} />;
  else
    body = (
      <ol className={styles.people} aria-label={t('kudos.peopleBoard')}>
        {people.data.entries.map((e) => (
          <li key={e.person.id} className={styles.row}>
            <Text weight="semibold">{e.rank}.</Text>
            <AppLink to={{ page: 'person', id: e.person.id }}>{e.person.displayName}</AppLink>
            <Text className={styles.muted}>{e.person.department ?? ''}</Text>
            <Text>{t('kudos.points', { score: dates.number(e.score, 1) })}</Text>
          </li>
        ))}
      </ol>
    );
  return (
    <section className={styles.section} aria-label={t('kudos.peopleBoard')}>
      <Text as="h3" size={400} weight="semibold">
        {t('kudos.peopleBoard')}
      </Text>
      <Text size={200} className={styles.muted}>
        {t('kudos.peopleNote')}
      </Text>
      {body}
    </section>
  );
}

const healthColour: Record<Schemas['CommunityInsights']['health'], 'success' | 'informative' | 'warning' | 'danger'> = {
  growing: 'success',
  stable: 'informative',
  declining: 'warning',
  dormant: 'danger',
};

/** A community's health in a few numbers (owners, moderators and admins; others are told why they see nothing). */
function CommunityHealth({ communityRef }: { communityRef: string }): JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const insights = useLoad(() => unwrap(client.GET('/api/v1/communities/{ref}/insights', { params: { path: { ref: communityRef } } })), [client, communityRef]);
  let body;
  let heading = t('spfx.communityHealth');
  if (insights.error) {
    const status = (insights.error as { status?: number }).status;
    body =
      status === 403 ? (
        <EmptyState title={t('insights.forbidden')} hint={t('insights.noneHint')} />
      ) : (
        <ErrorMessage error={insights.error} onRetry={insights.reload} />
      );
  } else if (!insights.data) body = <CardSkeletons count={1} />;
  else {
    const d = insights.data;
    heading = t('spfx.communityHealthOf', { name: d.community.name });
    const action = i18n.language.startsWith('fr') ? d.suggestedAction.fr : d.suggestedAction.en;
    body = (
      <>
        <div className={styles.row}>
          <Badge appearance="filled" color={healthColour[d.health]}>
            {t(`insights.health.${d.health}`)}
          </Badge>
          <Text size={200} className={styles.muted}>
            {t('insights.generatedAt', { date: dates.dateTime(d.generatedAt) })}
          </Text>
        </div>
        <dl className={styles.kpis}>
          <div className={styles.kpi}>
            <dt>{t('insights.members')}</dt>
            <dd className={styles.value}>{dates.number(d.members)}</dd>
          </div>
          <div className={styles.kpi}>
            <dt>{t('insights.active')}</dt>
            <dd className={styles.value}>{dates.number(d.activeMembers30d)}</dd>
            <dd className={styles.muted} style={{ margin: 0 }}>
              {t('insights.engagement', { rate: `${dates.number(d.engagementRate * 100)} %` })}
            </dd>
          </div>
          <div className={styles.kpi}>
            <dt>{t('insights.postsPerWeek')}</dt>
            <dd className={styles.value}>{dates.number(d.postsPerWeek, 1)}</dd>
            <dd className={styles.muted} style={{ margin: 0 }}>
              {t('insights.before', { value: dates.number(d.postsPerWeekBefore, 1) })}
            </dd>
          </div>
          <div className={styles.kpi}>
            <dt>{t('insights.firstAnswer')}</dt>
            <dd className={styles.value}>{d.medianHoursToFirstAnswer === null ? '—' : t('insights.hours', { count: Math.round(d.medianHoursToFirstAnswer) })}</dd>
            <dd className={styles.muted} style={{ margin: 0 }}>
              {t('insights.unanswered', { count: d.unansweredQuestions })}
            </dd>
          </div>
        </dl>
        <MessageBar intent="info">
          <MessageBarBody>
            <MessageBarTitle>{t('insights.suggestedAction')}</MessageBarTitle>
            {action}
          </MessageBarBody>
        </MessageBar>
      </>
    );
  }
  return (
    <section className={styles.section} aria-label={heading}>
      <Text as="h3" size={400} weight="semibold">
        {heading}
      </Text>
      {body}
    </section>
  );
}
