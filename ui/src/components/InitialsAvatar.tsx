import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { PersonRegular } from '@fluentui/react-icons';
import type { AriaAttributes, AriaRole } from 'react';

const useStyles = makeStyles({
  root: {
    display: 'inline-block',
    flexShrink: 0,
    position: 'relative',
    verticalAlign: 'middle',
    borderRadius: tokens.borderRadiusCircular,
    fontFamily: tokens.fontFamilyBase,
    fontWeight: tokens.fontWeightSemibold,
    fontSize: tokens.fontSizeBase300,
    color: tokens.colorNeutralForeground3,
    backgroundColor: tokens.colorNeutralBackground6,
  },
  // Drawn like Fluent's: the border is transparent, except in high contrast where it shows.
  initials: {
    position: 'absolute',
    inset: 0,
    boxSizing: 'border-box',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    lineHeight: '1',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
    borderRadius: 'inherit',
    userSelect: 'none',
    '> svg': { fontSize: '20px' },
  },
});

/** Enclosures ("(Contractor)", "[HR]"), then punctuation and symbols: left out of initials. */
const enclosures = /[([{][^)\]}]*([)\]}]|$)/g;
const symbols = /[\0-\u001F!-/:-@[-`{-\u00BF\u0250-\u036F\uE000-\uFFFF]/g;
const phoneNumber = /^(?:\d[\d\s]*\d|\d[\d\s]*(?:ext|x)\s*\d+)$/i;
/** Arabic, Hangul, kana and CJK ideographs: no initials (a person icon instead), as in Fluent. */
const noInitialsScript = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF\u3040-\u309F\u30A0-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/;

/** Up to two initials of a display name, as Fluent's Avatar derives them ("Jean-Luc Picard (Ops)" -> "JP"); empty when none. */
export function initialsOf(displayName: string): string {
  const name = displayName
    .replace(enclosures, (match, closing: string | undefined) => (closing ? '' : match))
    .replace(symbols, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!name || noInitialsScript.test(String.fromCodePoint(name.codePointAt(0)!)) || phoneNumber.test(name)) return '';
  const words = name.split(' ');
  const first = (w: string | undefined) => (w ? String.fromCodePoint(w.codePointAt(0)!).toUpperCase() : '');
  if (words.length === 2) return first(words[0]) + first(words[1]);
  if (words.length === 3) return first(words[0]) + first(words[2]);
  return first(words[0]);
}

export interface InitialsAvatarProps extends AriaAttributes {
  name: string;
  size?: 32 | 36;
  role?: AriaRole;
  title?: string;
  className?: string;
}

/**
 * A person's initials in a neutral circle, looking like Fluent's Avatar without an image: the
 * feed's cards and the shell use it on the first paint, without the Avatar's presence badge,
 * image and colour machinery (and the sized icons it brings).
 */
export function InitialsAvatar({ name, size = 32, className, ...aria }: InitialsAvatarProps) {
  const styles = useStyles();
  const initials = initialsOf(name);
  return (
    <span className={mergeClasses('ruche-InitialsAvatar', styles.root, className)} style={{ width: size, height: size }} {...aria}>
      <span className={styles.initials} aria-hidden="true">
        {initials || <PersonRegular />}
      </span>
    </span>
  );
}
