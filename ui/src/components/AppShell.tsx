import {
  Avatar,
  Button,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
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
import { useRuche, type Place } from '../context.js';
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
  const { me, navigate, hrefOf } = useRuche();

  return (
    <div className={styles.root}>
      <a className={styles.skip} href="#main">
        {t('app.skipToContent')}
      </a>
      <header className={styles.header}>
        <Text className={styles.brand}>{t('app.name')}</Text>
        <nav className={styles.nav} aria-label={t('nav.label')}>
          <TabList
            selectedValue={current ?? ''}
            onTabSelect={(_e, data) => navigate({ page: data.value as Section } as Place)}
            size="medium"
          >
            {sections.map((s) => (
              <Tab key={s} value={s} icon={icons[s]} data-href={hrefOf({ page: s })}>
                {t(`nav.${s}`)}
              </Tab>
            ))}
          </TabList>
        </nav>
        <div className={styles.tools}>
          <ShellMenu kind="display" icon={<SettingsRegular />} label={t('app.display')} />
          <NotificationBell />
          <ShellMenu kind="yourSpace" icon={<MoreHorizontalRegular />} label={t('shell.yourSpace')} />
          {me ? (
            <Avatar
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
