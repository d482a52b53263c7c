import {
  Field,
  Textarea,
  Toolbar,
  ToolbarButton,
  ToolbarToggleButton,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { CodeRegular, EyeRegular, LinkRegular, TextBoldRegular, TextBulletListLtrRegular, TextItalicRegular } from '@fluentui/react-icons';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../api/client.js';
import { useRuche } from '../context.js';
import { MarkdownPreview } from './ComposerPreview.js';
import { topicToken, triggerAt } from './ComposerSyntax.js';

const useStyles = makeStyles({
  root: { display: 'grid', gap: tokens.spacingVerticalXS },
  wrap: { position: 'relative', display: 'grid' },
  listbox: {
    position: 'absolute',
    top: '100%',
    left: 0,
    zIndex: 10,
    minWidth: '260px',
    maxWidth: '100%',
    maxHeight: '240px',
    overflowY: 'auto',
    margin: 0,
    padding: tokens.spacingVerticalXS,
    listStyleType: 'none',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow16,
  },
  option: {
    display: 'grid',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusSmall,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  active: {
    backgroundColor: tokens.colorNeutralBackground1Selected,
    outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
  },
  detail: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  preview: {
    padding: tokens.spacingHorizontalM,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    overflowWrap: 'anywhere',
    '& p': { marginTop: 0, marginBottom: tokens.spacingVerticalS },
    '& .mention, & .topic': { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  },
  hidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
});

export interface Suggestion {
  id: string;
  kind: 'person' | 'community' | 'topic';
  label: string;
  detail: string;
  /** The text that replaces what was typed from the trigger character. */
  insert: string;
}

function useSuggestions() {
  const { client } = useRuche();
  const { t } = useTranslation();
  return async (char: '@' | '#', q: string, signal: AbortSignal): Promise<Suggestion[]> => {
    if (char === '#') {
      if (!q) return [];
      const page = await unwrap(client.GET('/api/v1/search', { params: { query: { q, type: 'topics', limit: 6 } }, signal }));
      return (page.topics?.items ?? []).map((topic) => ({
        id: `topic-${topic.id}`,
        kind: 'topic' as const,
        label: `#${topic.name}`,
        detail: t('composer.suggestTopic'),
        insert: `#${topicToken(topic.name) || topic.slug}`,
      }));
    }
    if (!q) return [];
    const [people, communities] = await Promise.all([
      unwrap(client.GET('/api/v1/people/autocomplete', { params: { query: { q, limit: 6 } }, signal })),
      unwrap(client.GET('/api/v1/search', { params: { query: { q, type: 'communities', limit: 4 } }, signal })).catch(() => ({ communities: undefined })),
    ]);
    const clean = (s: string) => s.replace(/[[\]\n]/g, ' ').trim();
    return [
      ...people.items.map((p) => ({
        id: `person-${p.id}`,
        kind: 'person' as const,
        label: p.displayName,
        detail: [p.jobTitle, p.department].filter(Boolean).join(' · ') || t('composer.suggestPerson'),
        insert: `@[${clean(p.displayName)}](person:${p.id})`,
      })),
      ...(communities.communities?.items ?? []).map((c) => ({
        id: `community-${c.id}`,
        kind: 'community' as const,
        label: c.name,
        detail: t('composer.suggestCommunity'),
        insert: `@[${clean(c.name)}](community:${c.id})`,
      })),
    ];
  };
}

export interface MarkdownFieldProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder?: string;
  rows?: number;
  /** Comments: no toolbar nor preview, the same autocomplete. */
  compact?: boolean;
  required?: boolean;
  validationMessage?: string;
}

/**
 * A Markdown text area: a small formatting toolbar, a preview, and suggestions of people
 * and communities after @ and of topics after # (arrows to move, Enter or Tab to choose,
 * Escape to close). The text area keeps its multi-line textbox role and points at the
 * active suggestion with aria-activedescendant; a status line announces how many there are.
 */
export function MarkdownField({ id, label, value, onChange, placeholder, rows = 4, compact, required, validationMessage }: MarkdownFieldProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const suggest = useSuggestions();
  const area = useRef<HTMLTextAreaElement>(null);
  const [preview, setPreview] = useState(false);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(0);
  const [trigger, setTrigger] = useState<ReturnType<typeof triggerAt>>(null);
  const pendingCaret = useRef<[number, number] | null>(null);
  const listId = `${id}-suggestions`;
  const open = items.length > 0 && trigger !== null;

  // After an insertion, put the caret where it belongs once React wrote the new value.
  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    if (caret && area.current) {
      area.current.setSelectionRange(caret[0], caret[1]);
      pendingCaret.current = null;
    }
  }, [value]);

  // Look suggestions up as the person types after @ or # (short debounce; stale answers dropped).
  useEffect(() => {
    if (!trigger || !trigger.query) {
      setItems([]);
      return undefined;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      suggest(trigger.char, trigger.query, abort.signal).then(
        (list) => {
          if (abort.signal.aborted) return;
          setItems(list);
          setActive(0);
        },
        () => !abort.signal.aborted && setItems([]),
      );
    }, 150);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [trigger?.char, trigger?.query, trigger?.start]);

  function readTrigger(text: string) {
    const el = area.current;
    const caret = el ? el.selectionStart : text.length;
    setTrigger(el && el.selectionStart === el.selectionEnd ? triggerAt(text, caret) : null);
  }

  function choose(s: Suggestion) {
    if (!trigger) return;
    const caret = area.current?.selectionStart ?? value.length;
    const insert = `${s.insert} `;
    const next = value.slice(0, trigger.start) + insert + value.slice(caret);
    const at = trigger.start + insert.length;
    pendingCaret.current = [at, at];
    setItems([]);
    setTrigger(null);
    onChange(next);
    area.current?.focus();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (a + step + items.length) % items.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      const s = items[active];
      if (s) {
        e.preventDefault();
        choose(s);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setItems([]);
      setTrigger(null);
    }
  }

  /** Wraps the selection (or a placeholder word) in Markdown marks, keeping it selected. */
  function wrap(before: string, after: string, placeholderText: string) {
    const el = area.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const selected = value.slice(start, end) || placeholderText;
    onChange(value.slice(0, start) + before + selected + after + value.slice(end));
    pendingCaret.current = [start + before.length, start + before.length + selected.length];
    el?.focus();
  }

  function list() {
    const el = area.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const lineStart = value.lastIndexOf('\n', start - 1) + 1;
    const block = value.slice(lineStart, end) || t('composer.listItem');
    const listed = block
      .split('\n')
      .map((line) => (/^\s*[-*+]\s/.test(line) ? line : `- ${line}`))
      .join('\n');
    const prefix = lineStart > 0 && value.charAt(lineStart - 1) !== '\n' ? '\n' : '';
    onChange(value.slice(0, lineStart) + prefix + listed + value.slice(end));
    pendingCaret.current = [lineStart + prefix.length + listed.length, lineStart + prefix.length + listed.length];
    el?.focus();
  }

  function code() {
    const el = area.current;
    const selected = value.slice(el?.selectionStart ?? 0, el?.selectionEnd ?? 0);
    if (selected.includes('\n')) wrap('```\n', '\n```', '');
    else wrap('`', '`', t('composer.codeWord'));
  }

  function addLink() {
    const el = area.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    const text = value.slice(start, end) || t('composer.linkText');
    const url = 'https://';
    onChange(`${value.slice(0, start)}[${text}](${url})${value.slice(end)}`);
    const at = start + text.length + 3;
    pendingCaret.current = [at, at + url.length];
    el?.focus();
  }

  const activeId = open ? `${listId}-${active}` : undefined;
  return (
    <div className={styles.root}>
      {compact ? null : (
        <Toolbar aria-label={t('composer.formatting')} size="small" aria-controls={id}>
          <ToolbarButton icon={<TextBoldRegular />} aria-label={t('composer.bold')} title={t('composer.bold')} onClick={() => wrap('**', '**', t('composer.boldWord'))} />
          <ToolbarButton icon={<TextItalicRegular />} aria-label={t('composer.italic')} title={t('composer.italic')} onClick={() => wrap('_', '_', t('composer.italicWord'))} />
          <ToolbarButton icon={<TextBulletListLtrRegular />} aria-label={t('composer.list')} title={t('composer.list')} onClick={list} />
          <ToolbarButton icon={<LinkRegular />} aria-label={t('composer.link')} title={t('composer.link')} onClick={addLink} />
          <ToolbarButton icon={<CodeRegular />} aria-label={t('composer.code')} title={t('composer.code')} onClick={code} />
          <ToolbarToggleButton
            name="preview"
            value="on"
            icon={<EyeRegular />}
            aria-pressed={preview}
            onClick={() => setPreview((p) => !p)}
          >
            {t('composer.preview')}
          </ToolbarToggleButton>
        </Toolbar>
      )}
      <Field
        label={label}
        required={required}
        validationMessage={validationMessage}
        hint={compact ? undefined : t('composer.hint')}
      >
        <div className={styles.wrap}>
          <Textarea
            id={id}
            ref={area}
            value={value}
            rows={rows}
            resize="vertical"
            placeholder={placeholder}
            aria-autocomplete="list"
            aria-controls={open ? listId : undefined}
            aria-activedescendant={activeId}
            onChange={(_e, d) => {
              onChange(d.value);
              readTrigger(d.value);
            }}
            onKeyDown={onKeyDown}
            onClick={() => readTrigger(value)}
            onKeyUp={(e) => {
              if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) readTrigger(value);
            }}
            onBlur={() => setTimeout(() => setItems([]), 150)}
          />
          {open ? (
            <ul id={listId} role="listbox" aria-label={t('composer.suggestions')} className={styles.listbox}>
              {items.map((s, i) => (
                <li
                  key={s.id}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={mergeClasses(styles.option, i === active && styles.active)}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(s)}
                >
                  <span>{s.label}</span>
                  <span className={styles.detail}>{s.detail}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </Field>
      <span className={styles.hidden} role="status" aria-live="polite">
        {open ? t('composer.suggestionCount', { count: items.length }) : ''}
      </span>
      {preview && !compact ? (
        <section className={styles.preview} aria-label={t('composer.preview')}>
          {value.trim() ? <MarkdownPreview source={value} /> : <em>{t('composer.previewEmpty')}</em>}
        </section>
      ) : null}
    </div>
  );
}
