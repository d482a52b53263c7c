import {
  Button,
  Menu,
  MenuGroup,
  MenuGroupHeader,
  MenuItem,
  MenuItemRadio,
  MenuList,
  MenuPopover,
  MenuTrigger,
  type MenuCheckedValueChangeData,
} from '@fluentui/react-components';
import { PersonRegular, SettingsRegular, ShieldTaskRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { unwrap } from '../api/client.js';
import { useRuche } from '../context.js';
import { locales, type Locale } from '../i18n/index.js';
import { themeNames, type ThemeName } from '../theme/index.js';

export type ShellMenuKind = 'display' | 'yourSpace';

/**
 * The shell's menus, loaded on the first click of their button (see AppShell). They open at
 * once, with focus on their first item, as if the button had opened them.
 */
export function ShellMenus({ kind, icon, label }: { kind: ShellMenuKind; icon: JSX.Element; label: string }) {
  const [open, setOpen] = useState(true);
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const timer = setTimeout(() => list.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus(), 0);
    return () => clearTimeout(timer);
  }, []);
  const Items = kind === 'display' ? DisplayItems : YourSpaceItems;
  return (
    <Items open={open} setOpen={setOpen}>
      <MenuTrigger disableButtonEnhancement>
        <Button appearance="subtle" icon={icon} aria-label={label} title={label} />
      </MenuTrigger>
      <MenuPopover>
        <MenuList ref={list}>
          <Items.List />
        </MenuList>
      </MenuPopover>
    </Items>
  );
}

interface MenuShellProps {
  open: boolean;
  setOpen(open: boolean): void;
  children: [JSX.Element, JSX.Element];
}

/** Language and theme of the page. */
function DisplayItems({ open, setOpen, children }: MenuShellProps) {
  const { locale, setLocale, theme, setTheme } = useRuche();
  const onChange = (_e: unknown, data: MenuCheckedValueChangeData) => {
    const value = data.checkedItems[0];
    if (data.name === 'locale' && value) setLocale(value as Locale);
    if (data.name === 'theme' && value) setTheme(value as ThemeName);
  };
  return (
    <Menu open={open} onOpenChange={(_e, d) => setOpen(d.open)} checkedValues={{ locale: [locale], theme: [theme] }} onCheckedValueChange={onChange}>
      {children}
    </Menu>
  );
}
DisplayItems.List = function DisplayList() {
  const { t } = useTranslation();
  return (
    <>
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
    </>
  );
};

/**
 * Your space: profile, settings, and moderation for those who moderate. Whether one moderates
 * a community is read (once) from one's profile; tenant admins always do.
 */
function YourSpaceItems({ open, setOpen, children }: MenuShellProps) {
  return (
    <Menu open={open} onOpenChange={(_e, d) => setOpen(d.open)}>
      {children}
    </Menu>
  );
}
YourSpaceItems.List = function YourSpaceList() {
  const { t } = useTranslation();
  const { me, client, navigate } = useRuche();
  const isAdmin = !!me?.roles.includes('admin');
  const [moderates, setModerates] = useState<boolean>(isAdmin);
  useEffect(() => {
    if (!me || isAdmin) return undefined;
    let current = true;
    unwrap(client.GET('/api/v1/people/{id}', { params: { path: { id: me.id } } })).then(
      (p) => current && setModerates((p.communities ?? []).some((c) => c.role === 'owner' || c.role === 'moderator')),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, me, isAdmin]);
  return (
    <>
      <MenuItem icon={<PersonRegular />} onClick={() => navigate({ page: 'me' })}>
        {t('shell.profile')}
      </MenuItem>
      <MenuItem icon={<SettingsRegular />} onClick={() => navigate({ page: 'settings' })}>
        {t('shell.settings')}
      </MenuItem>
      {moderates ? (
        <MenuItem icon={<ShieldTaskRegular />} onClick={() => navigate({ page: 'moderation' })}>
          {t('shell.moderation')}
        </MenuItem>
      ) : null}
    </>
  );
};
