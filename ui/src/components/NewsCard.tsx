import { Badge, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import { NewsRegular, OpenRegular } from '@fluentui/react-icons';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client.js';
import { useRuche } from '../context.js';
import { Surface } from './Surface.js';

export type NewsItem = Schemas['NewsItem'];

const useStyles = makeStyles({
  card: { display: 'grid', gap: tokens.spacingVerticalS },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, color: tokens.colorNeutralForeground2 },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  description: { margin: 0, overflowWrap: 'anywhere' },
  link: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, justifySelf: 'start' },
});

/**
 * A SharePoint intranet news item in a feed: read-only (no reactions, no comments), read in
 * SharePoint through its link. Its text is shown as text, never as markup.
 */
export function NewsCard({ news, headingLevel = 2 }: { news: NewsItem; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation();
  const { locale } = useRuche();
  const styles = useStyles();
  const Heading = headingLevel === 2 ? 'h3' : 'h4';
  const published = new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(new Date(news.publishedAt));
  const safeUrl = /^https:\/\//i.test(news.webUrl) ? news.webUrl : null;
  return (
    <Surface as="article" className={styles.card} data-news-card="" aria-label={t('news.label', { title: news.title })}>
      <div className={styles.header}>
        <Badge appearance="tint" icon={<NewsRegular aria-hidden="true" />}>
          {t('news.badge')}
        </Badge>
        <Text size={200}>{t('news.site', { site: news.siteName })}</Text>
        <Text size={200}>
          <time dateTime={news.publishedAt}>{published}</time>
        </Text>
        {news.authorName ? <Text size={200}>{t('feed.by', { name: news.authorName })}</Text> : null}
      </div>
      <Heading className={styles.title}>{news.title}</Heading>
      {news.description ? <p className={styles.description}>{news.description}</p> : null}
      {safeUrl ? (
        <Link className={styles.link} href={safeUrl} target="_blank" rel="noopener noreferrer">
          {t('news.open')}
          <OpenRegular aria-hidden="true" />
        </Link>
      ) : null}
    </Surface>
  );
}
