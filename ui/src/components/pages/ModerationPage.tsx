import {
  Badge,
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Select,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DeleteRegular, EyeOffRegular, EyeRegular, PersonProhibitedRegular, ShieldTaskRegular, WarningRegular, DismissRegular } from '@fluentui/react-icons';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Schemas } from '../../api/client.js';
import { useRuche } from '../../context.js';
import { AppLink } from '../AppLink.js';
import { CardSkeletons, EmptyState, ErrorMessage, PageHeader } from '../States.js';
import { MoreButton, useDates, useLoad, usePageStyles, usePaged } from './shared.js';

type QueueItem = Schemas['ModerationQueueItem'];
type Action = Schemas['ModerationActionRequest']['action'];
const actions: { action: Action; icon: JSX.Element }[] = [
  { action: 'hide', icon: <EyeOffRegular /> },
  { action: 'restore', icon: <EyeRegular /> },
  { action: 'delete', icon: <DeleteRegular /> },
  { action: 'dismiss', icon: <DismissRegular /> },
  { action: 'warn', icon: <WarningRegular /> },
  { action: 'ban', icon: <PersonProhibitedRegular /> },
];

const useStyles = makeStyles({
  card: { display: 'grid', gap: tokens.spacingVerticalS },
  excerpt: { margin: 0, padding: tokens.spacingHorizontalM, backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusMedium, whiteSpace: 'pre-wrap' },
  reports: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/** Moderation: reported posts and comments of the communities I moderate (the whole tenant for admins); keyword rules for admins. */
export function ModerationPage() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client, me } = useRuche();
  const isAdmin = !!me?.roles.includes('admin');
  const paged = usePaged<QueueItem>(
    (cursor) => unwrap(client.GET('/api/v1/moderation/queue', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } })),
    [client],
    (i) => `${i.target.type}:${i.target.id}`,
  );
  return (
    <section className={styles.page} aria-labelledby="moderation-title">
      <PageHeader id="moderation-title" title={t('moderation.title')} intro={t('moderation.intro')} />
      <section className={styles.section} aria-labelledby="queue-title">
        <Text as="h2" id="queue-title" size={500} weight="semibold">
          {t('moderation.queue')}
        </Text>
        {paged.error ? (
          <ErrorMessage error={paged.error} onRetry={paged.reload} />
        ) : !paged.items ? (
          <CardSkeletons count={2} />
        ) : paged.items.length === 0 ? (
          <EmptyState icon={<ShieldTaskRegular fontSize={40} aria-hidden="true" />} title={t('moderation.empty')} hint={t('moderation.emptyHint')} />
        ) : (
          <ul className={styles.list} aria-labelledby="queue-title">
            {paged.items.map((item) => (
              <li key={`${item.target.type}:${item.target.id}`}>
                <QueueCard item={item} onChange={(next) => paged.setItems((paged.items ?? []).map((i) => (i.target.id === next.target.id ? next : i)))} />
              </li>
            ))}
          </ul>
        )}
        <MoreButton paged={paged} />
      </section>
      {isAdmin ? <KeywordRules /> : null}
    </section>
  );
}

function QueueCard({ item, onChange }: { item: QueueItem; onChange(i: QueueItem): void }) {
  const styles = usePageStyles();
  const own = useStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingId = `mq-${item.target.id}`;

  async function act(action: Action) {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await unwrap(client.POST('/api/v1/moderation/actions', { body: { target: item.target, action, ...(note.trim() ? { note: note.trim() } : {}) } }));
      onChange({ ...item, hidden: r.hidden, deleted: r.deleted });
      setDone(t(`moderation.done.${action}`, { count: r.resolvedReports }));
      setNote('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const usable = actions.filter(({ action }) => {
    if (item.deleted) return false;
    if (action === 'hide') return !item.hidden;
    if (action === 'restore') return item.hidden;
    if (action === 'ban') return !!item.community;
    return true;
  });

  return (
    <Card className={own.card} aria-labelledby={headingId}>
      <div className={styles.row}>
        <Text as="h3" id={headingId} weight="semibold">
          {t(`moderation.target.${item.target.type}`, { author: item.author.displayName })}
        </Text>
        {item.community ? <Badge appearance="tint">{item.community.name}</Badge> : null}
        {item.hidden ? <Badge color="warning">{t('moderation.hidden')}</Badge> : null}
        {item.deleted ? <Badge color="danger">{t('moderation.deleted')}</Badge> : null}
        <Badge appearance="outline">{t('moderation.reports', { count: item.reportCount })}</Badge>
      </div>
      <Text as="p" className={own.excerpt}>
        {item.excerpt}
      </Text>
      <AppLink to={{ page: 'post', id: item.postId }}>{t('moderation.open')}</AppLink>
      <div>
        <Text weight="semibold">{t('moderation.reasons')}</Text>
        <ul className={own.reports}>
          {item.latest.map((r, i) => (
            <li key={i}>
              {t(`moderation.reason.${r.reason}`, { defaultValue: r.reason })}
              {r.details ? ` — ${r.details}` : ''} (<time dateTime={r.createdAt}>{dates.dateTime(r.createdAt)}</time>)
            </li>
          ))}
        </ul>
      </div>
      {usable.length > 0 ? (
        <>
          <Field label={t('moderation.note')} hint={t('moderation.noteHint')}>
            <Textarea value={note} onChange={(_e, d) => setNote(d.value)} rows={2} maxLength={2000} />
          </Field>
          <div className={styles.row} role="group" aria-label={t('moderation.actions')}>
            {usable.map(({ action, icon }) => (
              <Button key={action} icon={icon} disabled={busy} onClick={() => void act(action)} appearance={action === 'delete' || action === 'ban' ? 'outline' : 'secondary'}>
                {t(`moderation.action.${action}`)}
              </Button>
            ))}
          </div>
        </>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      {done ? (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      ) : null}
    </Card>
  );
}

function KeywordRules() {
  const styles = usePageStyles();
  const { t } = useTranslation();
  const { client } = useRuche();
  const rules = useLoad(() => unwrap(client.GET('/api/v1/admin/keyword-rules', {})).then((r) => r.items), [client]);
  const [kind, setKind] = useState<'term' | 'regex'>('term');
  const [pattern, setPattern] = useState('');
  const [action, setAction] = useState<'flag' | 'block'>('flag');
  const [language, setLanguage] = useState<'' | 'en' | 'fr'>('');
  const [tried, setTried] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function add(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (!pattern.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const rule = await unwrap(client.POST('/api/v1/admin/keyword-rules', { body: { kind, pattern: pattern.trim(), action, language: language || null } }));
      rules.set([...(rules.data ?? []), rule]);
      setPattern('');
      setTried(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function remove(id: string) {
    setError(null);
    try {
      await unwrap(client.DELETE('/api/v1/admin/keyword-rules/{ruleId}', { params: { path: { ruleId: id } } }));
      rules.set((rules.data ?? []).filter((r) => r.id !== id));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className={styles.section} aria-labelledby="rules-title">
      <Text as="h2" id="rules-title" size={500} weight="semibold">
        {t('moderation.rules')}
      </Text>
      <Text className={styles.muted}>{t('moderation.rulesIntro')}</Text>
      {rules.error ? (
        <ErrorMessage error={rules.error} onRetry={rules.reload} />
      ) : !rules.data ? (
        <CardSkeletons count={1} />
      ) : rules.data.length === 0 ? (
        <EmptyState title={t('moderation.noRules')} />
      ) : (
        <ul className={styles.list} aria-labelledby="rules-title">
          {rules.data.map((r) => (
            <li key={r.id} className={styles.row}>
              <code>{r.pattern}</code>
              <Badge appearance="outline">{t(`moderation.kind.${r.kind}`)}</Badge>
              <Badge color={r.action === 'block' ? 'danger' : 'warning'}>{t(`moderation.ruleAction.${r.action}`)}</Badge>
              {r.language ? <Badge appearance="tint">{r.language}</Badge> : null}
              <Button size="small" appearance="subtle" icon={<DeleteRegular />} onClick={() => void remove(r.id)} aria-label={t('moderation.removeRule', { pattern: r.pattern })} />
            </li>
          ))}
        </ul>
      )}
      <form className={styles.form} onSubmit={(e) => void add(e)} aria-label={t('moderation.addRule')} noValidate>
        <Field label={t('moderation.pattern')} required validationMessage={tried && !pattern.trim() ? t('moderation.needPattern') : undefined}>
          <Input value={pattern} onChange={(_e, d) => setPattern(d.value)} maxLength={400} />
        </Field>
        <div className={styles.row}>
          <Field label={t('moderation.kindLabel')}>
            <Select value={kind} onChange={(_e, d) => setKind(d.value as typeof kind)}>
              <option value="term">{t('moderation.kind.term')}</option>
              <option value="regex">{t('moderation.kind.regex')}</option>
            </Select>
          </Field>
          <Field label={t('moderation.ruleActionLabel')}>
            <Select value={action} onChange={(_e, d) => setAction(d.value as typeof action)}>
              <option value="flag">{t('moderation.ruleAction.flag')}</option>
              <option value="block">{t('moderation.ruleAction.block')}</option>
            </Select>
          </Field>
          <Field label={t('moderation.language')}>
            <Select value={language} onChange={(_e, d) => setLanguage(d.value as typeof language)}>
              <option value="">{t('moderation.anyLanguage')}</option>
              <option value="en">English</option>
              <option value="fr">Français</option>
            </Select>
          </Field>
        </div>
        {error ? <ErrorMessage error={error} /> : null}
        <div className={styles.row}>
          <Button type="submit" appearance="primary" disabled={busy}>
            {t('moderation.addRule')}
          </Button>
        </div>
      </form>
    </section>
  );
}
