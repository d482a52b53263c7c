import { Badge, Button, Card, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Schemas } from '../../api/client.js';
import { useRuche } from '../../context.js';
import { AppLink } from '../AppLink.js';
import { ErrorMessage } from '../States.js';
import { KudosValueIcon, valueName } from './KudosValueIcon.js';
import { useDates } from './shared.js';

export type Kudos = Schemas['Kudos'];

const useStyles = makeStyles({
  card: { display: 'grid', gap: tokens.spacingVerticalS },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  value: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, fontWeight: tokens.fontWeightSemibold },
  meta: { color: tokens.colorNeutralForeground2 },
  message: { whiteSpace: 'pre-wrap', margin: 0 },
});

/** One kudos: who thanked whom, for which value, the message, and where it may be read. */
export function KudosCard({ kudos, onDeleted }: { kudos: Kudos; onDeleted?: (id: string) => void }) {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const { client } = useRuche();
  const dates = useDates();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await unwrap(client.DELETE('/api/v1/kudos/{kudosId}', { params: { path: { kudosId: kudos.id } } }));
      onDeleted?.(kudos.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card className={styles.card} aria-label={t('kudos.cardLabel', { giver: kudos.giver.displayName, recipients: kudos.recipients.map((r) => r.displayName).join(', ') })}>
      <div className={styles.head}>
        <AppLink to={{ page: 'person', id: kudos.giver.id }}>{kudos.giver.displayName}</AppLink>
        <Text>{t('kudos.thanked')}</Text>
        {kudos.recipients.map((r, i) => (
          <span key={r.id}>
            <AppLink to={{ page: 'person', id: r.id }}>{r.displayName}</AppLink>
            {i < kudos.recipients.length - 1 ? ',' : ''}
          </span>
        ))}
      </div>
      {kudos.value ? (
        <span className={styles.value}>
          <KudosValueIcon value={kudos.value} />
          {valueName(kudos.value, i18n.language)}
        </span>
      ) : null}
      <Text as="p" className={styles.message}>
        {kudos.message}
      </Text>
      <div className={styles.head}>
        <Text size={200} className={styles.meta}>
          <time dateTime={kudos.createdAt}>{dates.date(kudos.createdAt)}</time>
        </Text>
        <Badge appearance="outline">{t(`kudos.visibility.${kudos.visibility}`)}</Badge>
        {kudos.community ? <Badge appearance="tint">{kudos.community.name}</Badge> : null}
        {kudos.canDelete && onDeleted ? (
          <Button size="small" appearance="subtle" icon={<DeleteRegular />} disabled={busy} onClick={() => void remove()} aria-label={t('kudos.delete')}>
            {t('kudos.delete')}
          </Button>
        ) : null}
      </div>
      {error ? <ErrorMessage error={error} /> : null}
    </Card>
  );
}
