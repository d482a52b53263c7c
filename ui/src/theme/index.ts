import { webLightTheme, type Theme } from '@fluentui/react-components';

export const themeNames = ['light', 'dark', 'contrast'] as const;
export type ThemeName = (typeof themeNames)[number];

const loaded = new Map<ThemeName, Theme>([['light', webLightTheme]]);

/** The Fluent theme of a name if it is loaded already (light always is), else null. */
export function loadedFluentTheme(name: ThemeName): Theme | null {
  return loaded.get(name) ?? null;
}

/**
 * Fluent theme for each of the host's themes (Teams says "default", "dark" or "contrast").
 * Light is in the first bundle; dark and high contrast are loaded when someone uses them.
 */
export async function loadFluentTheme(name: ThemeName): Promise<Theme> {
  const known = loaded.get(name);
  if (known) return known;
  const themes = await import('./themes.js');
  const theme = name === 'dark' ? themes.webDarkTheme : themes.teamsHighContrastTheme;
  loaded.set(name, theme);
  return theme;
}

/** Maps a host's theme name (Teams: default, dark, contrast) to ours. */
export function themeFromHost(host: string | null | undefined): ThemeName {
  if (host === 'dark') return 'dark';
  if (host === 'contrast') return 'contrast';
  return 'light';
}
