import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { getInitials } from '@fluentui/react-avatar';
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
  const initials = getInitials(name, false);
  return (
    <span className={mergeClasses('ruche-InitialsAvatar', styles.root, className)} style={{ width: size, height: size }} {...aria}>
      <span className={styles.initials} aria-hidden="true">
        {initials || <PersonRegular />}
      </span>
    </span>
  );
}
