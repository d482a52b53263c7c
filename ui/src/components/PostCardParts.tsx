import {
  Badge,
  Button,
  Checkbox,
  Field,
  Link,
  ProgressBar,
  Radio,
  RadioGroup,
  Select,
  Text,
  Textarea,
  ToggleButton,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowCircleUpRegular, CalendarRegular, LocationRegular, VideoRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Post } from '../api/client.js';
import { useRuche } from '../context.js';
import { useModerates } from './useModeration.js';

/** A change to a post: what it looks like at once, and the server's answer (or a rollback). */
export type Mutate = (optimistic: (p: Post) => Post, call: () => Promise<Post>) => Promise<void>;

const useStyles = makeStyles({
  box: {
    display: 'grid',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  fieldset: { border: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalXS },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalXS },
  result: { display: 'grid', gap: tokens.spacingVerticalXXS },
  sub: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  results: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
});

function useFormat() {
  const { locale } = useRuche();
  return (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
}

/** Ideas: the vote (one per person, withdrawable) and the status a moderator set. */
type IdeaStatus = NonNullable<Post['idea']>['status'];
const ideaStatuses: IdeaStatus[] = ['new', 'under_review', 'accepted', 'done', 'declined'];

export function IdeaPanel({
  post,
  mutate,
  put,
  remove,
  setStatus,
}: {
  post: Post;
  mutate: Mutate;
  put(): Promise<Post>;
  remove(): Promise<Post>;
  setStatus(status: IdeaStatus, comment: string): Promise<Post>;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const moderates = useModerates(post.community?.id);
  const [editing, setEditing] = useState(false);
  const [status, setStatusValue] = useState<IdeaStatus>(post.idea?.status ?? 'new');
  const [comment, setComment] = useState(post.idea?.statusComment ?? '');
  const idea = post.idea;
  if (!idea) return null;
  const formId = `idea-${post.id}-status`;

  function save() {
    setEditing(false);
    void mutate((p) => ({ ...p, idea: p.idea && { ...p.idea, status, statusComment: comment.trim() || null } }), () => setStatus(status, comment.trim()));
  }
  const toggle = () =>
    mutate(
      (p) => ({ ...p, idea: p.idea && { ...p.idea, viewerVoted: !p.idea.viewerVoted, votes: p.idea.votes + (p.idea.viewerVoted ? -1 : 1) } }),
      idea.viewerVoted ? remove : put,
    );
  return (
    <div className={styles.box}>
      <div className={styles.row}>
        <ToggleButton
          checked={idea.viewerVoted}
          appearance={idea.viewerVoted ? 'primary' : 'secondary'}
          icon={<ArrowCircleUpRegular />}
          onClick={() => void toggle()}
        >
          {t('post.ideaVote')} · {t('post.ideaVotes', { count: idea.votes })}
        </ToggleButton>
        <Badge appearance="tint" color={idea.status === 'declined' ? 'danger' : idea.status === 'done' || idea.status === 'accepted' ? 'success' : 'informative'}>
          {t('post.ideaStatus', { status: t(`post.ideaStatuses.${idea.status}`) })}
        </Badge>
      </div>
      {idea.statusComment ? <Text className={styles.sub}>{idea.statusComment}</Text> : null}
      {moderates && !editing ? (
        <div>
          <Button size="small" appearance="subtle" onClick={() => setEditing(true)}>
            {t('post.changeStatus')}
          </Button>
        </div>
      ) : null}
      {moderates && editing ? (
        <div className={styles.fieldset} role="group" aria-label={t('post.changeStatus')}>
          <Field label={t('post.statusLabel')}>
            <Select id={formId} value={status} onChange={(_e, d) => setStatusValue(d.value as IdeaStatus)}>
              {ideaStatuses.map((s) => (
                <option key={s} value={s}>
                  {t(`post.ideaStatuses.${s}`)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label={t('post.statusComment')}>
            <Textarea value={comment} maxLength={2000} onChange={(_e, d) => setComment(d.value)} />
          </Field>
          <div className={styles.row}>
            <Button appearance="primary" onClick={save}>
              {t('post.save')}
            </Button>
            <Button appearance="subtle" onClick={() => setEditing(false)}>
              {t('post.cancel')}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** Polls: choose (one or several) until it closes; results once voted or closed. */
export function PollPanel({ post, mutate, vote }: { post: Post; mutate: Mutate; vote(optionIds: string[]): Promise<Post> }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const format = useFormat();
  const poll = post.poll;
  const [choice, setChoice] = useState<string[]>(poll?.viewerChoices ?? []);
  const [changing, setChanging] = useState(false);
  if (!poll) return null;
  const voted = poll.viewerChoices.length > 0;
  const showForm = !poll.closed && (!voted || changing);
  const legendId = `poll-${post.id}-legend`;

  function submit() {
    if (choice.length === 0) return;
    setChanging(false);
    void mutate((p) => {
      if (!p.poll) return p;
      // Optimistic: the choice is recorded; the counts come with the server's answer.
      return { ...p, poll: { ...p.poll, viewerChoices: choice } };
    }, () => vote(choice));
  }

  const total = poll.options.reduce((n, o) => n + (o.votes ?? 0), 0);
  return (
    <div className={styles.box}>
      <Text className={styles.sub}>
        {poll.closed ? t('post.pollClosed', { date: format(poll.closesAt) }) : t('post.pollCloses', { date: format(poll.closesAt) })}
        {poll.voters !== null ? ` · ${t('post.pollVoters', { count: poll.voters })}` : ''}
      </Text>
      {showForm ? (
        <div className={styles.fieldset} role="group" aria-labelledby={legendId}>
          <Text id={legendId} className={styles.legend}>
            {poll.multiple ? t('post.pollChooseMany') : t('post.pollChoose')}
          </Text>
          {poll.multiple ? (
            poll.options.map((o) => (
              <Checkbox
                key={o.id}
                label={o.label}
                checked={choice.includes(o.id)}
                onChange={(_e, d) => setChoice((c) => (d.checked ? [...c, o.id] : c.filter((x) => x !== o.id)))}
              />
            ))
          ) : (
            <RadioGroup aria-labelledby={legendId} value={choice[0] ?? ''} onChange={(_e, d) => setChoice([d.value])}>
              {poll.options.map((o) => (
                <Radio key={o.id} value={o.id} label={o.label} />
              ))}
            </RadioGroup>
          )}
          <div className={styles.row}>
            <Button appearance="primary" disabled={choice.length === 0} onClick={submit}>
              {t('post.pollVote')}
            </Button>
            {changing ? (
              <Button appearance="subtle" onClick={() => setChanging(false)}>
                {t('post.cancel')}
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
      {poll.resultsVisible && !showForm ? (
        <>
          <ul className={styles.results} aria-label={t('post.pollResults')}>
            {poll.options.map((o) => {
              const count = o.votes ?? 0;
              const percent = total > 0 ? Math.round((count / total) * 100) : 0;
              const mine = poll.viewerChoices.includes(o.id);
              return (
                <li key={o.id} className={styles.result}>
                  <div className={styles.row}>
                    <Text weight={mine ? 'semibold' : 'regular'}>
                      {o.label}
                      {mine ? ` (${t('post.yourChoice')})` : ''}
                    </Text>
                    <Text className={styles.sub}>{t('post.pollResult', { count, percent })}</Text>
                  </div>
                  <ProgressBar value={total > 0 ? count / total : 0} thickness="large" aria-label={`${o.label}: ${t('post.pollResult', { count, percent })}`} />
                </li>
              );
            })}
          </ul>
          {!poll.closed && voted ? (
            <Button appearance="subtle" onClick={() => setChanging(true)}>
              {t('post.pollChange')}
            </Button>
          ) : null}
        </>
      ) : null}
      {!poll.resultsVisible ? <Text className={styles.sub}>{t('post.pollHidden')}</Text> : null}
    </div>
  );
}

type RsvpResponse = 'yes' | 'no' | 'maybe';

/** Events: when and where, places left, and the viewer's answer (yes beyond capacity joins the waiting list). */
export function EventPanel({ post, mutate, answer }: { post: Post; mutate: Mutate; answer(response: RsvpResponse | null): Promise<Post> }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const format = useFormat();
  const event = post.event;
  if (!event) return null;
  const mine = event.viewerRsvp;
  const labelId = `rsvp-${post.id}`;

  function choose(response: RsvpResponse) {
    const next = mine?.response === response ? null : response;
    void mutate((p) => {
      const e = p.event;
      if (!e) return p;
      const counts = { going: e.going, waiting: e.waiting, maybe: e.maybe, declined: e.declined };
      const before = e.viewerRsvp;
      if (before?.response === 'yes') counts[before.status === 'waiting' ? 'waiting' : 'going'] -= 1;
      if (before?.response === 'maybe') counts.maybe -= 1;
      if (before?.response === 'no') counts.declined -= 1;
      let viewerRsvp: NonNullable<typeof e.viewerRsvp> | null = null;
      if (next === 'yes') {
        const full = e.capacity !== null && counts.going >= e.capacity;
        counts[full ? 'waiting' : 'going'] += 1;
        viewerRsvp = { response: 'yes', status: full ? 'waiting' : 'going', waitingPosition: full ? counts.waiting : null };
      } else if (next === 'maybe') {
        counts.maybe += 1;
        viewerRsvp = { response: 'maybe', status: null, waitingPosition: null };
      } else if (next === 'no') {
        counts.declined += 1;
        viewerRsvp = { response: 'no', status: null, waitingPosition: null };
      }
      return { ...p, event: { ...e, ...counts, viewerRsvp } };
    }, () => answer(next));
  }

  let mineText = '';
  if (mine?.response === 'yes') mineText = mine.status === 'waiting' ? t('post.rsvpWaiting', { position: mine.waitingPosition ?? '?' }) : t('post.rsvpGoing');
  if (mine?.response === 'maybe') mineText = t('post.rsvpMaybe');
  if (mine?.response === 'no') mineText = t('post.rsvpNo');

  return (
    <div className={styles.box}>
      <div className={styles.row}>
        <CalendarRegular aria-hidden="true" />
        <Text>
          <span className={styles.sub}>{t('post.eventWhen')}: </span>
          <time dateTime={event.startsAt}>{format(event.startsAt)}</time>
          {event.endsAt ? (
            <>
              {' – '}
              <time dateTime={event.endsAt}>{format(event.endsAt)}</time>
            </>
          ) : null}
        </Text>
      </div>
      {event.place ? (
        <div className={styles.row}>
          <LocationRegular aria-hidden="true" />
          <Text>
            <span className={styles.sub}>{t('post.eventWhere')}: </span>
            {event.place}
          </Text>
        </div>
      ) : null}
      {event.onlineUrl ? (
        <div className={styles.row}>
          <VideoRegular aria-hidden="true" />
          <Link href={event.onlineUrl} target="_blank" rel="noopener noreferrer">
            {t('post.eventJoin')}
          </Link>
        </div>
      ) : null}
      <Text className={styles.sub}>
        {event.capacity !== null ? t('post.eventPlaces', { going: event.going, capacity: event.capacity }) : t('post.eventGoing', { count: event.going })}
        {event.waiting > 0 ? ` · ${t('post.eventWaiting', { count: event.waiting })}` : ''}
        {event.maybe > 0 ? ` · ${t('post.eventMaybe', { count: event.maybe })}` : ''}
      </Text>
      <div className={styles.row} role="group" aria-labelledby={labelId}>
        <Text id={labelId} weight="semibold">
          {t('post.rsvpQuestion')}
        </Text>
        {(['yes', 'maybe', 'no'] as const).map((r) => (
          <ToggleButton key={r} size="small" checked={mine?.response === r} onClick={() => choose(r)}>
            {t(`post.rsvp.${r}`)}
          </ToggleButton>
        ))}
      </div>
      {mineText ? (
        <Text role="status" className={styles.sub}>
          {mineText}
        </Text>
      ) : null}
    </div>
  );
}
