import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { HTMLAttributes } from 'react';

/**
 * The look of a Fluent Card (filled, medium) on a plain element, with Fluent's tokens: the
 * cards of the home feed, news and "Start a post". Fluent's Card brings Tabster's focus
 * groups for interactive cards, which these read-only containers do not use; dropping it
 * keeps the first load of the home page lighter. The border is drawn with
 * colorTransparentStroke, as Fluent's Card does, so that it shows in high contrast.
 */
const useSurfaceStyles = makeStyles({
  root: {
    position: 'relative',
    boxSizing: 'border-box',
    display: 'flex',
    flexDirection: 'column',
    gap: '12px',
    padding: '12px',
    overflow: 'hidden',
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
    '::after': {
      content: '""',
      position: 'absolute',
      inset: 0,
      pointerEvents: 'none',
      border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
      borderRadius: tokens.borderRadiusMedium,
    },
  },
});

export interface SurfaceProps extends HTMLAttributes<HTMLElement> {
  /** The element: an article for a post or a news item, a section or a div otherwise. */
  as?: 'article' | 'section' | 'div';
}

export function Surface({ as: Element = 'div', className, ...rest }: SurfaceProps) {
  const styles = useSurfaceStyles();
  return <Element className={mergeClasses('ruche-Surface', styles.root, className)} {...rest} />;
}
