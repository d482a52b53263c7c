import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';

// French is not exported here: the tabs load it on demand (@ruche/ui/i18n/fr), the web parts import ./fr.js.
export { en };
import type { Messages } from './en.js';
export type { Messages };

export const locales = ['en', 'fr'] as const;
export type Locale = (typeof locales)[number];

/** Maps a host or browser locale ("fr-FR", "en-us", "fr") to one Ruche speaks; English otherwise. */
export function supportedLocale(tag: string | null | undefined): Locale {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return base === 'fr' ? 'fr' : 'en';
}

/**
 * One i18next instance per app (tabs, each web part), bound to React, with the messages of the
 * languages given (English always: it is the fallback). The web parts give both; the tabs give
 * French only to those who read it, loaded on demand from @ruche/ui/i18n/fr.
 */
export function createI18n(locale: Locale, messages: { en: Messages } & Partial<Record<Locale, Messages>>): i18n {
  const instance = i18next.createInstance();
  const resources = Object.fromEntries(Object.entries(messages).map(([lang, translation]) => [lang, { translation }]));
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: 'en',
    supportedLngs: [...locales],
    resources,
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  return instance;
}
