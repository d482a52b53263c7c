import { webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import type { IReadonlyTheme } from '@microsoft/sp-component-base';
import type { ThemeName } from '../ui/index.js';

/**
 * A Fluent UI v9 theme from the SharePoint theme of the section the web part sits in
 * (section backgrounds: none, neutral, soft, strong): inverted sections get the dark base,
 * the site's theme colours become the brand colours, and text takes the section's colour.
 */
export function fluentThemeFromSharePoint(sp: IReadonlyTheme | undefined): Theme {
  const base = sp?.isInverted ? webDarkTheme : webLightTheme;
  if (!sp) return base;
  const p = sp.palette ?? {};
  const s = sp.semanticColors ?? {};
  const pick = (...values: (string | undefined)[]): string | undefined => values.find((v) => !!v);
  const overrides: Partial<Theme> = {};
  const set = (key: keyof Theme, value: string | undefined): void => {
    if (value) (overrides as Record<string, string>)[key] = value;
  };
  // Primary buttons: the variant's own button colours (a strong section has light buttons on its colour).
  set('colorBrandBackground', pick(s.primaryButtonBackground, p.themePrimary));
  set('colorBrandBackgroundHover', pick(s.primaryButtonBackgroundHovered, p.themeDarkAlt, p.themePrimary));
  set('colorBrandBackgroundPressed', pick(s.primaryButtonBackgroundPressed, p.themeDark, p.themePrimary));
  set('colorNeutralForegroundOnBrand', pick(s.primaryButtonText));
  set('colorBrandForeground1', pick(s.link, p.themePrimary));
  set('colorBrandForeground2', pick(s.linkHovered, p.themeDarkAlt));
  set('colorBrandForegroundLink', pick(s.link, p.themePrimary));
  set('colorBrandForegroundLinkHover', pick(s.linkHovered, p.themeDarkAlt));
  set('colorCompoundBrandStroke', pick(p.themePrimary));
  set('colorNeutralForeground1', pick(s.bodyText));
  set('colorNeutralForeground2', pick(s.bodySubtext));
  return { ...base, ...overrides };
}

export function themeNameFromSharePoint(sp: IReadonlyTheme | undefined): ThemeName {
  return sp?.isInverted ? 'dark' : 'light';
}
