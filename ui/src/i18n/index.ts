import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { fr } from './fr.js';

export { en, fr };
export type { Messages } from './en.js';

export const locales = ['en', 'fr'] as const;
export type Locale = (typeof locales)[number];

/** Maps a host or browser locale ("fr-FR", "en-us", "fr") to one Ruche speaks; English otherwise. */
export function supportedLocale(tag: string | null | undefined): Locale {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return base === 'fr' ? 'fr' : 'en';
}

/** One i18next instance per app (tabs, each web part), bound to React. */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: [...locales],
    resources: { en: { translation: en }, fr: { translation: fr } },
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  return instance;
}
