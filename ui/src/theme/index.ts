import { teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';

export const themeNames = ['light', 'dark', 'contrast'] as const;
export type ThemeName = (typeof themeNames)[number];

/** Fluent theme for each of the host's themes (Teams says "default", "dark" or "contrast"). */
export function fluentTheme(name: ThemeName): Theme {
  switch (name) {
    case 'dark':
      return webDarkTheme;
    case 'contrast':
      return teamsHighContrastTheme;
    default:
      return webLightTheme;
  }
}

/** Maps a host's theme name (Teams: default, dark, contrast) to ours. */
export function themeFromHost(host: string | null | undefined): ThemeName {
  if (host === 'dark') return 'dark';
  if (host === 'contrast') return 'contrast';
  return 'light';
}
