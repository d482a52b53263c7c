import { createContext, useContext, type MouseEvent, type ReactNode } from 'react';
import type { Person, RucheClient } from './api/client.js';
import type { Locale } from './i18n/index.js';
import type { ThemeName } from './theme/index.js';

/** Where a link goes, independent of the host's URLs (the tabs map these to routes). */
export type Place =
  | { page: 'home' | 'communities' | 'kudos' | 'experts' | 'me' | 'insights' | 'notifications' | 'settings' | 'moderation' }
  | { page: 'community'; ref: string }
  | { page: 'person'; id: string }
  | { page: 'post'; id: string };

/** The path of a place inside the app (the tabs' routes; the web parts link to the same paths under /tabs). */
export function placePath(place: Place): string {
  switch (place.page) {
    case 'community':
      return `/communities/${encodeURIComponent(place.ref)}`;
    case 'person':
      return `/people/${encodeURIComponent(place.id)}`;
    case 'post':
      return `/posts/${encodeURIComponent(place.id)}`;
    default:
      return `/${place.page}`;
  }
}

export interface RucheContextValue {
  client: RucheClient;
  /** The signed-in person, once /me has answered. */
  me: Person | null;
  locale: Locale;
  setLocale(locale: Locale): void;
  theme: ThemeName;
  setTheme(theme: ThemeName): void;
  /** The URL of a place, for href (so that links open in a new tab, and are links to screen readers). */
  hrefOf(place: Place): string;
  navigate(place: Place): void;
  /** The link to share for a place (Teams: a deep link into the app; a browser: the page's URL); absent where links are not shared. */
  shareLinkOf?(place: Place): string;
}

const RucheContext = createContext<RucheContextValue | null>(null);

export function RucheContextProvider({ value, children }: { value: RucheContextValue; children: ReactNode }) {
  return <RucheContext.Provider value={value}>{children}</RucheContext.Provider>;
}

export function useRuche(): RucheContextValue {
  const value = useContext(RucheContext);
  if (!value) throw new Error('useRuche() outside <RucheContextProvider>');
  return value;
}

/** onClick for an <a href>: navigates in the app unless the person asked for a new tab or window. */
export function useLinkHandler(place: Place) {
  const { navigate } = useRuche();
  return (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(place);
  };
}
