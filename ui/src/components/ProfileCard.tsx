import { Badge, Card, Persona, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { Person } from '../api/client.js';
import { useRuche } from '../context.js';

const useStyles = makeStyles({
  card: { maxWidth: '560px', display: 'grid', gap: tokens.spacingVerticalM },
  list: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { color: tokens.colorNeutralForeground2 },
  value: { margin: 0 },
  roles: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap' },
});

/** The signed-in person's card (and, later, anyone's in the who's-who). */
export function ProfileCard({ person }: { person: Person }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { locale } = useRuche();
  const unknown = t('profile.unknown');
  const languageName = (tag: string | null) => {
    if (!tag) return unknown;
    try {
      return new Intl.DisplayNames([locale], { type: 'language' }).of(tag) ?? tag;
    } catch {
      return tag;
    }
  };
  const regionName = (code: string | null) => {
    if (!code) return unknown;
    try {
      return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
    } catch {
      return code;
    }
  };
  const rows: [string, string][] = [
    [t('profile.jobTitle'), person.jobTitle ?? unknown],
    [t('profile.department'), person.department ?? unknown],
    [t('profile.office'), person.office ?? unknown],
    [t('profile.country'), regionName(person.country)],
    [t('profile.language'), languageName(person.preferredLanguage)],
  ];
  return (
    <Card className={styles.card} aria-label={person.displayName}>
      <Persona
        size="huge"
        name={person.displayName}
        secondaryText={person.jobTitle ?? undefined}
        tertiaryText={person.upn}
        avatar={{ 'aria-hidden': true }}
        textAlignment="center"
      />
      <dl className={styles.list}>
        {rows.map(([term, value]) => (
          <div key={term} style={{ display: 'contents' }}>
            <dt className={styles.term}>{term}</dt>
            <dd className={styles.value}>{value}</dd>
          </div>
        ))}
        {person.roles.length > 0 ? (
          <div style={{ display: 'contents' }}>
            <dt className={styles.term}>{t('profile.roles')}</dt>
            <dd className={styles.value}>
              <span className={styles.roles}>
                {person.roles.map((r) => (
                  <Badge key={r} appearance="outline">
                    {r}
                  </Badge>
                ))}
              </span>
            </dd>
          </div>
        ) : null}
      </dl>
    </Card>
  );
}
