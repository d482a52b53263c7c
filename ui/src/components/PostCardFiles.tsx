import { Link, makeStyles, tokens } from '@fluentui/react-components';
import { DocumentRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Post } from '../api/client.js';
import { useRuche } from '../context.js';

type PostAttachment = Post['attachments'][number];

const useFileStyles = makeStyles({
  files: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  thumbLink: { display: 'inline-block', borderRadius: tokens.borderRadiusMedium, ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` } },
  thumb: {
    display: 'block',
    width: '120px',
    height: '90px',
    objectFit: 'cover',
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  placeholder: {
    display: 'grid',
    placeItems: 'center',
    width: '120px',
    height: '90px',
    padding: tokens.spacingHorizontalXS,
    boxSizing: 'border-box',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
    textAlign: 'center',
  },
  file: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  size: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/** A file size in the reader's language (bytes, kB or MB). */
export function formatFileSize(bytes: number, locale: string): string {
  const [value, unit] = bytes < 1024 ? [bytes, 'byte'] : bytes < 1024 * 1024 ? [bytes / 1024, 'kilobyte'] : [bytes / (1024 * 1024), 'megabyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
}

/** The bytes of a file, fetched with the reader's token (the route checks again that they may read the post). */
function useFileBlob() {
  const { client } = useRuche();
  return async (file: PostAttachment): Promise<Blob> => {
    const { data, response } = await client.GET('/api/v1/attachments/{id}/content', { params: { path: { id: file.id } }, parseAs: 'blob' });
    if (!response.ok || !(data instanceof Blob)) throw new Error(`HTTP ${response.status}`);
    return data;
  };
}

function ImageThumbnail({ file, size }: { file: PostAttachment; size: string }) {
  const styles = useFileStyles();
  const { t } = useTranslation();
  const fetchBlob = useFileBlob();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let made: string | null = null;
    fetchBlob(file).then(
      (blob) => {
        if (cancelled) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
    // The file's id is its identity; the client does not change under a card.
  }, [file.id]);
  if (failed) return <span className={styles.placeholder}>{t('feed.imageUnavailable', { name: file.name })}</span>;
  if (!url) return <span className={styles.placeholder} aria-busy="true">{file.name}</span>;
  return (
    <a className={styles.thumbLink} href={url} target="_blank" rel="noopener noreferrer" title={t('feed.imageOpen', { name: file.name, size })}>
      <img className={styles.thumb} src={url} alt={file.name} data-attachment={file.id} />
    </a>
  );
}

function FileDownload({ file, size, onError }: { file: PostAttachment; size: string; onError(text: string): void }) {
  const styles = useFileStyles();
  const { t } = useTranslation();
  const fetchBlob = useFileBlob();
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    try {
      const url = URL.createObjectURL(await fetchBlob(file));
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
    } catch (err) {
      onError(t('feed.downloadFailed', { name: file.name, reason: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className={styles.file}>
      <DocumentRegular aria-hidden="true" />
      <Link as="button" onClick={() => void download()} disabled={busy} aria-label={t('feed.download', { name: file.name, size })} data-attachment={file.id}>
        {file.name}
      </Link>
      <span className={styles.size}>{size}</span>
    </span>
  );
}

/**
 * The files of a post: images as thumbnails (alt text: the file name) that open full size,
 * other files as download links with their size. Names are shown as text, never as markup.
 */
export function AttachmentList({ post, onError }: { post: Post; onError(text: string): void }) {
  const styles = useFileStyles();
  const { t } = useTranslation();
  const { locale } = useRuche();
  if (post.attachments.length === 0) return null;
  return (
    <ul className={styles.files} aria-label={t('feed.attachments')}>
      {post.attachments.map((file) => {
        const size = formatFileSize(file.size, locale);
        return (
          <li key={file.id}>{file.image ? <ImageThumbnail file={file} size={size} /> : <FileDownload file={file} size={size} onError={onError} />}</li>
        );
      })}
    </ul>
  );
}
