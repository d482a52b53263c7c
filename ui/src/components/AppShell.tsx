import {
  Avatar,
  Button,
  Menu,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Tab,
  TabList,
  Text,
  makeStyles,
  tokens,
  type MenuCheckedValueChangeData,
} from '@fluentui/react-components';
import {
  BuildingPeopleRegular,
  DataBarVerticalRegular,
  HatGraduationRegular,
  HomeRegular,
  MoreHorizontalRegular,
  PersonRegular,
  ShieldTaskRegular,
  SettingsRegular,
  TrophyRegular,
} from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import { unwrap } from '../api/client.js';
import { useTranslation } from 'react-i18next';
import { useRuche, type Place } from '../context.js';
import { locales, type Locale } from '../i18n/index.js';
import { themeNames, type ThemeName } from '../theme/index.js';
import { NotificationBell } from './NotificationBell.js';

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
  const { me, navigate, hrefOf, locale, setLocale, theme, setTheme } = useRuche();

  const onDisplayChange = (_e: unknown, data: MenuCheckedValueChangeData) => {
    const value = data.checkedItems[0];
    if (data.name === 'locale' && value) setLocale(value as Locale);
    if (data.name === 'theme' && value) setTheme(value as ThemeName);
  };

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
          <Menu
            checkedValues={{ locale: [locale], theme: [theme] }}
            onCheckedValueChange={onDisplayChange}
          >
            <MenuTrigger disableButtonEnhancement>
              <Button appearance="subtle" icon={<SettingsRegular />} aria-label={t('app.display')} title={t('app.display')} />
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                <MenuGroup>
                  <MenuGroupHeader>{t('app.language')}</MenuGroupHeader>
                  {locales.map((l) => (
                    <MenuItemRadio key={l} name="locale" value={l} lang={l}>
                      {t(`app.languages.${l}`)}
                    </MenuItemRadio>
                  ))}
                </MenuGroup>
                <MenuGroup>
                  <MenuGroupHeader>{t('app.theme')}</MenuGroupHeader>
                  {themeNames.map((name) => (
                    <MenuItemRadio key={name} name="theme" value={name}>
                      {t(`app.themes.${name}`)}
                    </MenuItemRadio>
                  ))}
                </MenuGroup>
              </MenuList>
            </MenuPopover>
          </Menu>
          <NotificationBell />
          <YourSpaceMenu />
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
 * Your space: profile, settings, and moderation for those who moderate. Whether one moderates
 * a community is read (once) from one's profile when the menu first opens; tenant admins always do.
 */
function YourSpaceMenu() {
  const { t } = useTranslation();
  const { me, client, navigate } = useRuche();
  const [moderates, setModerates] = useState<boolean | null>(null);
  const isAdmin = !!me?.roles.includes('admin');
  const onOpen = (open: boolean) => {
    if (!open || !me || isAdmin || moderates !== null) return;
    unwrap(client.GET('/api/v1/people/{id}', { params: { path: { id: me.id } } })).then(
      (p) => setModerates((p.communities ?? []).some((c) => c.role === 'owner' || c.role === 'moderator')),
      () => setModerates(false),
    );
  };
  return (
    <Menu onOpenChange={(_e, d) => onOpen(d.open)}>
      <MenuTrigger disableButtonEnhancement>
        <Button appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={t('shell.yourSpace')} title={t('shell.yourSpace')} />
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          <MenuItem icon={<PersonRegular />} onClick={() => navigate({ page: 'me' })}>
            {t('shell.profile')}
          </MenuItem>
          <MenuItem icon={<SettingsRegular />} onClick={() => navigate({ page: 'settings' })}>
            {t('shell.settings')}
          </MenuItem>
          {isAdmin || moderates ? (
            <MenuItem icon={<ShieldTaskRegular />} onClick={() => navigate({ page: 'moderation' })}>
              {t('shell.moderation')}
            </MenuItem>
          ) : null}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
