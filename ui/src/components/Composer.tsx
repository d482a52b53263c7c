import {
  Button,
  Card,
  Checkbox,
  Field,
  Input,
  Select,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, AttachRegular, DismissRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, unwrap, type Community, type Post, type Schemas } from '../api/client.js';
import { useRuche } from '../context.js';
import { MarkdownField } from './ComposerText.js';
import { ErrorMessage, useErrorText } from './States.js';

export type PostKind = Post['kind'];
type Attachment = Schemas['Attachment'];

const kinds: PostKind[] = ['discussion', 'question', 'idea', 'poll', 'event', 'announcement'];

const useStyles = makeStyles({
  // Visible overflow: the suggestions list may reach below the card.
  card: { display: 'grid', gap: tokens.spacingVerticalM, overflow: 'visible' },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  row: { display: 'grid', gap: tokens.spacingHorizontalM, gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))' },
  fieldset: {
    display: 'grid',
    gap: tokens.spacingVerticalS,
    margin: 0,
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
  option: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', '& > :first-child': { flexGrow: 1 } },
  files: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalXS },
  file: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  hiddenInput: { display: 'none' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center', justifyContent: 'space-between' },
  errors: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

/** A date as <input type="datetime-local"> shows it, in the browser's time zone. */
function localInputValue(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
function inDays(days: number, hour = 12): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  d.setHours(hour, 0, 0, 0);
  return localInputValue(d);
}
function isoOf(local: string): string {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}
function sizeText(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: u ? 1 : 0 }).format(v)} ${units[u]}`;
}
function newKey(): string {
  const c = globalThis.crypto;
  return c && typeof c.randomUUID === 'function' ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

interface Draft {
  kind: PostKind;
  title: string;
  body: string;
  pollOptions: string[];
  pollMultiple: boolean;
  pollClosesAt: string;
  startsAt: string;
  endsAt: string;
  place: string;
  onlineUrl: string;
  capacity: string;
}

const emptyDraft = (): Draft => ({
  kind: 'discussion',
  title: '',
  body: '',
  pollOptions: ['', ''],
  pollMultiple: false,
  pollClosesAt: inDays(7),
  startsAt: inDays(7, 12),
  endsAt: '',
  place: '',
  onlineUrl: '',
  capacity: '',
});

/** Which field a problem's error path names ("/poll/options/1" -> "poll"). */
function fieldOf(path: string): string {
  return path.replace(/^\/?(body\/)?/, '').split(/[/.[]/)[0] ?? '';
}

/**
 * Start a post: a community the person may post in, a kind (announcements only where the
 * community lets them moderate), a title, a Markdown body with mentions and topics, poll
 * or event details, attachments. Refused posts keep everything typed; the server's
 * problem detail shows next to the form. One Idempotency-Key per draft content, so a retry
 * after a lost answer never posts twice.
 */
export function Composer({
  communityId: fixedCommunity,
  onCreated,
  autoFocus = false,
}: {
  communityId?: string;
  onCreated(post: Post): void;
  /** Put the focus on the first field once it shows (opened on request). */
  autoFocus?: boolean;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { client, locale } = useRuche();
  const errorText = useErrorText();
  const [communities, setCommunities] = useState<Community[] | null>(null);
  const [communitiesError, setCommunitiesError] = useState<unknown>(null);
  const [communityId, setCommunityId] = useState(fixedCommunity ?? '');
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [files, setFiles] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(0);
  const [fileError, setFileError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [posted, setPosted] = useState<string | null>(null);
  const idempotency = useRef<{ payload: string; key: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const focused = useRef(!autoFocus);
  useEffect(() => {
    if (focused.current || !communities) return;
    focused.current = true;
    form.current?.querySelector<HTMLElement>('select, input:not([type=file])')?.focus();
  }, [communities]);

  const loadCommunities = () => {
    setCommunitiesError(null);
    unwrap(client.GET('/api/v1/communities', { params: { query: { mine: 'true', limit: 100, sort: 'name' } } })).then((page) => {
      const usable = page.items.filter((c) => c.permissions.post && !c.archived);
      setCommunities(usable);
      setCommunityId((current) => current || usable[0]?.id || '');
    }, setCommunitiesError);
  };
  useEffect(loadCommunities, [client]);

  const community = communities?.find((c) => c.id === communityId) ?? null;
  const mayAnnounce = !!community?.permissions.moderate;
  const allowedKinds = kinds.filter((k) => k !== 'announcement' || mayAnnounce);
  useEffect(() => {
    if (!allowedKinds.includes(draft.kind)) setDraft((d) => ({ ...d, kind: 'discussion' }));
  }, [mayAnnounce]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const problems = error instanceof ApiError ? error.problem.errors ?? [] : [];
  const fieldError = (name: string) => problems.filter((p) => fieldOf(p.path) === name).map((p) => p.message).join(' ') || undefined;

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const chosen = [...(event.target.files ?? [])];
    event.target.value = '';
    setFileError(null);
    for (const file of chosen) {
      setUploading((n) => n + 1);
      try {
        const attachment = await unwrap(
          client.POST('/api/v1/attachments', {
            params: { query: { name: file.name } },
            body: file as never,
            bodySerializer: (b: unknown) => b as string,
            headers: { 'content-type': file.type || 'application/octet-stream' },
          }),
        );
        setFiles((list) => [...list, attachment]);
      } catch (err) {
        setFileError(t('composer.fileRefused', { name: file.name, reason: errorText(err) }));
      } finally {
        setUploading((n) => n - 1);
      }
    }
  }

  async function removeFile(file: Attachment) {
    setFiles((list) => list.filter((f) => f.id !== file.id));
    try {
      await unwrap(client.DELETE('/api/v1/attachments/{id}', { params: { path: { id: file.id } } }));
    } catch {
      // An unattached upload the server could not remove is cleaned up by the server later; the post will not carry it.
    }
  }

  function payload(): Schemas['NewPostInput'] {
    const d = draft;
    const base: Schemas['NewPostInput'] = { communityId, kind: d.kind, title: d.title, body: d.body };
    if (d.kind === 'poll') {
      base.poll = { options: d.pollOptions.map((o) => o.trim()).filter(Boolean), multiple: d.pollMultiple, closesAt: isoOf(d.pollClosesAt) };
    }
    if (d.kind === 'event') {
      base.event = {
        startsAt: isoOf(d.startsAt),
        ...(d.endsAt ? { endsAt: isoOf(d.endsAt) } : {}),
        ...(d.place.trim() ? { place: d.place.trim() } : {}),
        ...(d.onlineUrl.trim() ? { onlineUrl: d.onlineUrl.trim() } : {}),
        ...(d.capacity.trim() ? { capacity: Number(d.capacity) } : {}),
      };
    }
    return base;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!communityId || sending) return;
    const body = payload();
    const serialized = JSON.stringify(body);
    if (idempotency.current?.payload !== serialized) idempotency.current = { payload: serialized, key: newKey() };
    setSending(true);
    setError(null);
    setPosted(null);
    try {
      const post = await unwrap(client.POST('/api/v1/posts', { body, headers: { 'idempotency-key': idempotency.current.key } }));
      if (files.length > 0) {
        try {
          await unwrap(client.PUT('/api/v1/posts/{id}/attachments', { params: { path: { id: post.id } }, body: { attachmentIds: files.map((f) => f.id) } }));
        } catch (err) {
          setFileError(t('composer.attachFailed', { reason: errorText(err) }));
        }
      }
      // Only now is the draft cleared: a refused post keeps everything typed.
      idempotency.current = null;
      setDraft({ ...emptyDraft(), kind: draft.kind === 'announcement' ? 'discussion' : draft.kind });
      setFiles([]);
      setPosted(t('composer.posted', { community: community?.name ?? '' }));
      onCreated(post);
    } catch (err) {
      setError(err);
    } finally {
      setSending(false);
    }
  }

  if (communitiesError) return <ErrorMessage error={communitiesError} onRetry={loadCommunities} />;
  if (communities && communities.length === 0 && !fixedCommunity) {
    return (
      <Card className={styles.card}>
        <Text>{t('composer.noCommunity')}</Text>
      </Card>
    );
  }

  const titleRequired = draft.kind !== 'discussion';
  return (
    <Card className={styles.card}>
      <form ref={form} className={styles.card} aria-labelledby="composer-title" onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="composer-title" className={styles.title}>
          {t('composer.title')}
        </h2>
        <div className={styles.row}>
          {fixedCommunity ? null : (
            <Field label={t('composer.community')} required>
              <Select value={communityId} onChange={(_e, d) => setCommunityId(d.value)} disabled={!communities}>
                {(communities ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </Select>
            </Field>
          )}
          <Field label={t('composer.kind')}>
            <Select value={draft.kind} onChange={(_e, d) => set('kind', d.value as PostKind)}>
              {allowedKinds.map((k) => (
                <option key={k} value={k}>
                  {t(`feed.kinds.${k}`)}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <Field label={t('composer.postTitle')} required={titleRequired} validationMessage={fieldError('title')}>
          <Input value={draft.title} onChange={(_e, d) => set('title', d.value)} maxLength={200} />
        </Field>
        <MarkdownField
          id="composer-body"
          label={t('composer.body')}
          value={draft.body}
          onChange={(v) => set('body', v)}
          placeholder={t(`composer.placeholders.${draft.kind}`)}
          rows={5}
          validationMessage={fieldError('body')}
        />
        {draft.kind === 'poll' ? (
          <fieldset className={styles.fieldset}>
            <legend className={styles.legend}>{t('composer.pollOptions')}</legend>
            {draft.pollOptions.map((option, i) => (
              <div key={i} className={styles.option}>
                <Field label={t('composer.pollOption', { n: i + 1 })}>
                  <Input
                    value={option}
                    maxLength={200}
                    onChange={(_e, d) => set('pollOptions', draft.pollOptions.map((o, j) => (j === i ? d.value : o)))}
                  />
                </Field>
                {draft.pollOptions.length > 2 ? (
                  <Button
                    appearance="subtle"
                    icon={<DismissRegular />}
                    aria-label={t('composer.pollRemove', { n: i + 1 })}
                    onClick={() => set('pollOptions', draft.pollOptions.filter((_o, j) => j !== i))}
                  />
                ) : null}
              </div>
            ))}
            {draft.pollOptions.length < 10 ? (
              <Button appearance="subtle" icon={<AddRegular />} onClick={() => set('pollOptions', [...draft.pollOptions, ''])}>
                {t('composer.pollAdd')}
              </Button>
            ) : null}
            {fieldError('poll') ? <Text role="alert">{fieldError('poll')}</Text> : null}
            <div className={styles.row}>
              <Checkbox checked={draft.pollMultiple} onChange={(_e, d) => set('pollMultiple', !!d.checked)} label={t('composer.pollMultiple')} />
              <Field label={t('composer.pollCloses')} required>
                <Input type="datetime-local" value={draft.pollClosesAt} onChange={(_e, d) => set('pollClosesAt', d.value)} />
              </Field>
            </div>
          </fieldset>
        ) : null}
        {draft.kind === 'event' ? (
          <fieldset className={styles.fieldset}>
            <legend className={styles.legend}>{t('composer.eventDetails')}</legend>
            <div className={styles.row}>
              <Field label={t('composer.eventStarts')} required>
                <Input type="datetime-local" value={draft.startsAt} onChange={(_e, d) => set('startsAt', d.value)} />
              </Field>
              <Field label={t('composer.eventEnds')}>
                <Input type="datetime-local" value={draft.endsAt} onChange={(_e, d) => set('endsAt', d.value)} />
              </Field>
              <Field label={t('composer.eventPlace')}>
                <Input value={draft.place} onChange={(_e, d) => set('place', d.value)} maxLength={1000} />
              </Field>
              <Field label={t('composer.eventOnline')}>
                <Input type="url" value={draft.onlineUrl} placeholder="https://" onChange={(_e, d) => set('onlineUrl', d.value)} />
              </Field>
              <Field label={t('composer.eventCapacity')} hint={t('composer.eventCapacityHint')}>
                <Input type="number" min={1} value={draft.capacity} onChange={(_e, d) => set('capacity', d.value)} />
              </Field>
            </div>
            {fieldError('event') ? <Text role="alert">{fieldError('event')}</Text> : null}
          </fieldset>
        ) : null}
        <div>
          <input ref={fileInput} className={styles.hiddenInput} type="file" multiple tabIndex={-1} aria-hidden="true" onChange={(e) => void upload(e)} />
          <Button appearance="subtle" icon={<AttachRegular />} onClick={() => fileInput.current?.click()} disabled={uploading > 0}>
            {uploading > 0 ? t('composer.uploading') : t('composer.attach')}
          </Button>
          {files.length > 0 ? (
            <ul className={styles.files} aria-label={t('composer.files')}>
              {files.map((f) => (
                <li key={f.id} className={styles.file}>
                  <AttachRegular aria-hidden="true" />
                  <Text>
                    {f.name} ({sizeText(f.size, locale)})
                  </Text>
                  <Button size="small" appearance="subtle" icon={<DismissRegular />} aria-label={t('composer.removeFile', { name: f.name })} onClick={() => void removeFile(f)} />
                </li>
              ))}
            </ul>
          ) : null}
          {fileError ? <Text role="alert" block>{fileError}</Text> : null}
        </div>
        {error ? (
          <div>
            <ErrorMessage error={error} />
            {problems.length > 0 ? (
              <ul className={styles.errors}>
                {problems.map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className={styles.actions}>
          <Text role="status">{posted ?? ''}</Text>
          <Button type="submit" appearance="primary" disabled={sending || !communityId || uploading > 0}>
            {sending ? t('composer.posting') : t('composer.post')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
