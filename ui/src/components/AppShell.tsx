import { Button, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import {
  BuildingPeopleRegular,
  DataBarVerticalRegular,
  HatGraduationRegular,
  HomeRegular,
  MoreHorizontalRegular,
  PersonRegular,
  SettingsRegular,
  TrophyRegular,
} from '@fluentui/react-icons';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLinkHandler, useRuche } from '../context.js';
import { InitialsAvatar } from './InitialsAvatar.js';
import { NotificationBell } from './NotificationBell.js';
import type { ShellMenuKind } from './ShellMenus.js';

const LazyShellMenus = lazy(() => import('./ShellMenus.js').then((m) => ({ default: m.ShellMenus })));

export type Section = 'home' | 'communities' | 'kudos' | 'experts' | 'me' | 'insights';
export const sections: Section[] = ['home', 'communities', 'kudos', 'experts', 'me', 'insights'];

const icons: Record<Section, JSX.Element> = {
  home: <HomeRegular />,
  communities: <BuildingPeopleRegular />,
  kudos: <TrophyRegular />,
  experts: <HatGraduationRegular />,
  me: <PersonRegular />,
  insights: <DataBarVerticalRegular />,
};

const useStyles = makeStyles({
  root: {
    minHeight: '100vh',
    display: 'flex',
    flexDirection: 'column',
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground1,
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { fontWeight: tokens.fontWeightBold, fontSize: tokens.fontSizeBase500, color: tokens.colorBrandForeground1 },
  nav: { flexGrow: 1, overflowX: 'auto' },
  // The main navigation: links (each a real address) drawn like Fluent's medium tabs.
  navList: { display: 'flex', listStyleType: 'none', margin: 0, padding: 0 },
  navLink: {
    position: 'relative',
    display: 'flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalSNudge,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalMNudge}`,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyBase,
    fontSize: tokens.fontSizeBase300,
    lineHeight: tokens.lineHeightBase300,
    color: tokens.colorNeutralForeground2,
    textDecorationLine: 'none',
    whiteSpace: 'nowrap',
    '> svg': { fontSize: '20px', flexShrink: 0 },
    '::after': {
      content: '""',
      position: 'absolute',
      bottom: 0,
      left: tokens.spacingHorizontalM,
      right: tokens.spacingHorizontalM,
      height: tokens.strokeWidthThicker,
      borderRadius: tokens.borderRadiusCircular,
      backgroundColor: 'transparent',
    },
    ':hover': { color: tokens.colorNeutralForeground2Hover, backgroundColor: tokens.colorSubtleBackgroundHover },
    ':hover::after': { backgroundColor: tokens.colorNeutralStroke1Hover },
    ':active': { color: tokens.colorNeutralForeground2Pressed, backgroundColor: tokens.colorSubtleBackgroundPressed },
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, outlineOffset: `calc(${tokens.strokeWidthThick} * -1)` },
    '@media (forced-colors: active)': { ':hover::after': { backgroundColor: 'Highlight' } },
  },
  navCurrent: {
    color: tokens.colorNeutralForeground1,
    fontWeight: tokens.fontWeightSemibold,
    '> svg': { color: tokens.colorCompoundBrandForeground1 },
    '::after': { backgroundColor: tokens.colorCompoundBrandStroke },
    ':hover': { color: tokens.colorNeutralForeground1Hover },
    ':hover::after': { backgroundColor: tokens.colorCompoundBrandStrokeHover },
    '@media (forced-colors: active)': { '::after': { backgroundColor: 'LinkText' }, ':hover::after': { backgroundColor: 'LinkText' } },
  },
  // The label in semibold, invisible, reserves the width the current page's label takes (no shift when it changes).
  navLabel: { display: 'inline-grid' },
  navReserve: { fontWeight: tokens.fontWeightSemibold, visibility: 'hidden', height: 0, overflow: 'hidden' },
  tools: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  main: {
    flexGrow: 1,
    width: '100%',
    maxWidth: '1100px',
    boxSizing: 'border-box',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    ':focus': { outlineStyle: 'none' },
  },
  skip: {
    position: 'absolute',
    left: '-10000px',
    top: 'auto',
    ':focus': {
      left: tokens.spacingHorizontalM,
      top: tokens.spacingVerticalM,
      zIndex: 100,
      padding: tokens.spacingHorizontalS,
      backgroundColor: tokens.colorNeutralBackground1,
      color: tokens.colorNeutralForeground1,
    },
  },
});

/** The frame of every page: brand, main navigation, display settings, the signed-in person. */
export function AppShell({ current, children }: { current: Section | null; children: ReactNode }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { me } = useRuche();

  return (
    <div className={styles.root}>
      <a className={styles.skip} href="#main">
        {t('app.skipToContent')}
      </a>
      <header className={styles.header}>
        <Text className={styles.brand}>{t('app.name')}</Text>
        <nav className={styles.nav} aria-label={t('nav.label')}>
          <ul className={styles.navList}>
            {sections.map((s) => (
              <li key={s}>
                <NavLink section={s} current={current === s} label={t(`nav.${s}`)} />
              </li>
            ))}
          </ul>
        </nav>
        <div className={styles.tools}>
          <ShellMenu kind="display" icon={<SettingsRegular />} label={t('app.display')} />
          <NotificationBell />
          <ShellMenu kind="yourSpace" icon={<MoreHorizontalRegular />} label={t('shell.yourSpace')} />
          {me ? (
            <InitialsAvatar
              name={me.displayName}
              size={32}
              role="img"
              aria-label={t('app.signedInAs', { name: me.displayName })}
              title={t('app.signedInAs', { name: me.displayName })}
            />
          ) : null}
        </div>
      </header>
      <main id="main" className={styles.main} tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/**
 * A link of the main navigation: a real href (it opens in a new tab on request), navigation
 * in the app otherwise, aria-current on the page shown. Plain links rather than Fluent's
 * TabList: a site's navigation is a list of links, and Tabster's arrow-key groups are not
 * needed for it (Tab moves from link to link).
 */
function NavLink({ section, current, label }: { section: Section; current: boolean; label: string }) {
  const styles = useStyles();
  const { hrefOf } = useRuche();
  const onClick = useLinkHandler({ page: section });
  return (
    <a href={hrefOf({ page: section })} onClick={onClick} aria-current={current ? 'page' : undefined} className={mergeClasses(styles.navLink, current && styles.navCurrent)}>
      {icons[section]}
      <span className={styles.navLabel}>
        <span>{label}</span>
        <span className={styles.navReserve} aria-hidden="true">
          {label}
        </span>
      </span>
    </a>
  );
}

/**
 * A menu of the shell (display settings, your space). Menus and their positioning code are not
 * needed to show the home feed: the button is drawn at once, the menu's code is loaded on the
 * first click (or keypress), then the menu opens with focus inside it.
 */
function ShellMenu({ kind, icon, label }: { kind: ShellMenuKind; icon: JSX.Element; label: string }) {
  const [requested, setRequested] = useState(false);
  if (requested) {
    return (
      <Suspense fallback={<Button appearance="subtle" icon={icon} aria-label={label} title={label} disabled />}>
        <LazyShellMenus kind={kind} icon={icon} label={label} />
      </Suspense>
    );
  }
  return <Button appearance="subtle" icon={icon} aria-label={label} title={label} aria-haspopup="menu" aria-expanded={false} onClick={() => setRequested(true)} />;
}
