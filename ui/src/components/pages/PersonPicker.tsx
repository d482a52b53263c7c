import {
  Avatar,
  Field,
  Tag,
  TagPicker,
  TagPickerControl,
  TagPickerGroup,
  TagPickerInput,
  TagPickerList,
  TagPickerOption,
  type TagPickerProps,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap, type Schemas } from '../../api/client.js';
import { useRuche } from '../../context.js';

/** The value of the "nobody matches" line of the list, which chooses nobody. */
const NONE = '__none__';

export type PickedPerson = Pick<Schemas['PersonHit'], 'id' | 'displayName' | 'jobTitle' | 'department'>;

/** Chooses one or several colleagues, suggested as one types (GET /people/autocomplete). */
export function PersonPicker({
  label,
  value,
  onChange,
  max,
  excludeIds = [],
  validation,
  required,
}: {
  label: string;
  value: PickedPerson[];
  onChange(people: PickedPerson[]): void;
  max: number;
  excludeIds?: string[];
  validation?: string | null;
  required?: boolean;
}) {
  const { client } = useRuche();
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<PickedPerson[]>([]);
  const [searching, setSearching] = useState(false);
  const [open, setOpen] = useState(false);
  const generation = useRef(0);

  useEffect(() => {
    const q = query.trim();
    const mine = ++generation.current;
    if (!q) {
      setOptions([]);
      return undefined;
    }
    setSearching(true);
    const timer = setTimeout(() => {
      unwrap(client.GET('/api/v1/people/autocomplete', { params: { query: { q, limit: 8 } } }))
        .then(
          (r) => mine === generation.current && setOptions(r.items.filter((p) => !p.isFormerEmployee)),
          () => mine === generation.current && setOptions([]),
        )
        .finally(() => mine === generation.current && setSearching(false));
    }, 150);
    return () => clearTimeout(timer);
  }, [client, query]);

  const chosen = new Set(value.map((p) => p.id));
  const hidden = new Set(excludeIds);
  const shown = options.filter((p) => !chosen.has(p.id) && !hidden.has(p.id));
  const full = value.length >= max;

  const onOptionSelect: TagPickerProps['onOptionSelect'] = (_e, data) => {
    if (data.value === NONE) return;
    const ids = data.selectedOptions.filter((id) => id !== NONE);
    const known = new Map([...value, ...options].map((p) => [p.id, p]));
    onChange(ids.map((id) => known.get(id)).filter((p): p is PickedPerson => !!p).slice(0, max));
    setQuery('');
    setOpen(false);
  };

  return (
    <Field label={label} required={required} validationMessage={validation ?? undefined} hint={t('picker.hint', { count: max })}>
      <TagPicker
        onOptionSelect={onOptionSelect}
        selectedOptions={value.map((p) => p.id)}
        noPopover={full}
        open={open && !full && !!query.trim()}
        onOpenChange={(_e, d) => setOpen(d.open)}
      >
        <TagPickerControl>
          <TagPickerGroup aria-label={t('picker.chosen')}>
            {value.map((p) => (
              <Tag key={p.id} value={p.id} shape="rounded" media={<Avatar name={p.displayName} aria-hidden="true" color="colorful" />} dismissIcon={{ 'aria-label': t('picker.remove', { name: p.displayName }) }}>
                {p.displayName}
              </Tag>
            ))}
          </TagPickerGroup>
          <TagPickerInput aria-label={label} value={query} disabled={full} onChange={(e) => {
              setQuery(e.target.value);
              setOpen(true);
            }} placeholder={full ? undefined : t('picker.placeholder')} />
        </TagPickerControl>
        <TagPickerList>
          {shown.length > 0
            ? shown.map((p) => (
                <TagPickerOption
                  key={p.id}
                  value={p.id}
                  text={p.displayName}
                  media={<Avatar name={p.displayName} aria-hidden="true" color="colorful" />}
                  secondaryContent={[p.jobTitle, p.department].filter(Boolean).join(' · ') || undefined}
                >
                  {p.displayName}
                </TagPickerOption>
              ))
            : query.trim()
              ? <TagPickerOption value={NONE} text="">{searching ? t('common.loading') : t('picker.none', { q: query.trim() })}</TagPickerOption>
              : null}
        </TagPickerList>
      </TagPicker>
    </Field>
  );
}
