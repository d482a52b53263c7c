import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { DiamondDismissFilled, WarningFilled } from '@fluentui/react-icons';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalS,
    minHeight: '36px',
    boxSizing: 'border-box',
    padding: `${tokens.spacingVerticalSNudge} ${tokens.spacingHorizontalM}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    color: tokens.colorNeutralForeground1,
  },
  error: { backgroundColor: tokens.colorStatusDangerBackground1, border: `${tokens.strokeWidthThin} solid ${tokens.colorStatusDangerBorder1}` },
  warning: { backgroundColor: tokens.colorStatusWarningBackground1, border: `${tokens.strokeWidthThin} solid ${tokens.colorStatusWarningBorder1}` },
  icon: { display: 'flex', fontSize: tokens.fontSizeBase500 },
  errorIcon: { color: tokens.colorStatusDangerForeground1 },
  warningIcon: { color: tokens.colorStatusWarningForeground3 },
  body: { flexGrow: 1, flexBasis: '12em', overflowWrap: 'anywhere' },
  title: { fontWeight: tokens.fontWeightSemibold },
  actions: { display: 'flex', columnGap: tokens.spacingHorizontalM },
});

export interface NoticeProps {
  intent: 'error' | 'warning';
  /** alert for what went wrong, status for a state the person should know of. */
  role: 'alert' | 'status';
  title?: string;
  children: ReactNode;
  /** Buttons, e.g. Retry. */
  actions?: ReactNode;
}

/**
 * A message in a bar, looking like Fluent's MessageBar (its intent colours, icons and border,
 * which high contrast turns into system colours), on plain elements: errors and the live
 * updates' "reconnecting" show through it on the home page without MessageBar's reflow
 * observer and announcement machinery; the role makes screen readers read it.
 */
export function Notice({ intent, role, title, children, actions }: NoticeProps) {
  const styles = useStyles();
  return (
    <div className={mergeClasses('ruche-Notice', styles.root, styles[intent])} role={role}>
      <span className={mergeClasses(styles.icon, intent === 'error' ? styles.errorIcon : styles.warningIcon)} aria-hidden="true">
        {intent === 'error' ? <DiamondDismissFilled /> : <WarningFilled />}
      </span>
      <div className={styles.body}>
        {title ? <span className={styles.title}>{title}</span> : null}
        {title ? ' ' : null}
        {children}
      </div>
      {actions ? <div className={styles.actions}>{actions}</div> : null}
    </div>
  );
}
