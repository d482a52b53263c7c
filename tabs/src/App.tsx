import { FluentProvider, type Theme } from '@fluentui/react-components';
import {
  AppShell,
  CardSkeletons,
  HomePage,
  RucheContextProvider,
  createI18n,
  createRucheClient,
  en,
  loadFluentTheme,
  loadedFluentTheme,
  placePath,
  supportedLocale,
  themeFromHost,
  unwrap,
  type Locale,
  type Messages,
  type Person,
  type Place,
  type RucheContextValue,
  type Section,
  type ThemeName,
} from '@ruche/ui';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import {
  LazyCommunityDirectory,
  LazyCommunityPage,
  LazyExpertsPage,
  LazyInsightsPage,
  LazyKudosPage,
  LazyModerationPage,
  LazyNotificationsPage,
  LazyPostPage,
  LazyProfilePage,
  LazySettingsPage,
} from '@ruche/ui/pages';
import { I18nextProvider } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { placeOfSubPageId, shareLinkOf } from './deep-links.js';
import { getToken, redirectToSignIn, type Host } from './host.js';
import { clientConfig } from './sso.js';

// The channel tab and its configuration page only ever open inside Teams: their code (and the
// form controls the configuration page uses) stays out of the personal app's first load.
const ChannelTab = lazy(() => import('./ChannelTab.js').then((m) => ({ default: m.ChannelTab })));
const TabConfigPage = lazy(() => import('./TabConfig.js').then((m) => ({ default: m.TabConfigPage })));

const LOCALE_KEY = 'ruche.locale';
const THEME_KEY = 'ruche.theme';

/** The URL of each place under /tabs (the router's basename). */
export function pathOf(place: Place): string {
  return placePath(place);
}

type AppMessages = { en: Messages } & Partial<Record<Locale, Messages>>;

/** The language of the page: the person's choice, else the host's (Teams), else the browser's. */
export function initialLocale(host: Host): Locale {
  return stored(LOCALE_KEY, ['en', 'fr'] as const) ?? supportedLocale(host.locale ?? navigator.language);
}

/** English is in the first bundle; French is a chunk of its own, loaded only for those who read it. */
export async function loadMessages(locale: Locale): Promise<AppMessages> {
  if (locale === 'fr') return { en, fr: (await import('@ruche/ui/i18n/fr')).fr };
  return { en };
}

function stored<T extends string>(key: string, allowed: readonly T[]): T | null {
  const v = localStorage.getItem(key);
  return v && (allowed as readonly string[]).includes(v) ? (v as T) : null;
}

function hostThemeOf(host: Host): ThemeName {
  if (host.theme) return themeFromHost(host.theme);
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The theme the page opens with (main.tsx loads it before the first render). */
export function initialTheme(host: Host): ThemeName {
  return stored(THEME_KEY, ['light', 'dark', 'contrast'] as const) ?? hostThemeOf(host);
}

/** The Fluent theme of a name, once loaded; the previous one meanwhile (light and the initial theme are ready at once). */
function useFluentTheme(name: ThemeName): [Theme, ThemeName] {
  const [applied, setApplied] = useState<[Theme, ThemeName]>(() => {
    const ready = loadedFluentTheme(name);
    return ready ? [ready, name] : [loadedFluentTheme('light')!, 'light'];
  });
  useEffect(() => {
    let current = true;
    void loadFluentTheme(name).then((theme) => current && setApplied([theme, name]));
    return () => {
      current = false;
    };
  }, [name]);
  return applied;
}

/** Theme: the person's choice, else the host's (Teams), else the browser's colour scheme — live. */
function useTheme(host: Host): [ThemeName, (t: ThemeName) => void] {
  const [chosen, setChosen] = useState<ThemeName | null>(() => stored(THEME_KEY, ['light', 'dark', 'contrast'] as const));
  const [hostTheme, setHostTheme] = useState<ThemeName>(() => hostThemeOf(host));
  useEffect(() => {
    if (host.inTeams) {
      host.onThemeChange((t) => setHostTheme(themeFromHost(t)));
      return undefined;
    }
    const media = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!media) return undefined;
    const listener = (e: MediaQueryListEvent) => setHostTheme(e.matches ? 'dark' : 'light');
    media.addEventListener('change', listener);
    return () => media.removeEventListener('change', listener);
  }, [host]);
  const choose = (t: ThemeName) => {
    localStorage.setItem(THEME_KEY, t);
    setChosen(t);
  };
  return [chosen ?? hostTheme, choose];
}

function Routed({ host, messages }: { host: Host; messages: AppMessages }) {
  const navigateTo = useNavigate();
  const location = useLocation();
  const [locale, setLocaleState] = useState<Locale>(() => initialLocale(host));
  // One i18next instance for the life of the app; later changes go through changeLanguage.
  const [i18n] = useState(() => createI18n(locale, messages));
  const [theme, setTheme] = useTheme(host);
  const [fluent, appliedTheme] = useFluentTheme(theme);
  const [me, setMe] = useState<Person | null>(null);

  const client = useMemo(
    () =>
      createRucheClient({
        getToken: () => getToken(host),
        onUnauthorized: () => {
          if (!host.inTeams) redirectToSignIn();
        },
      }),
    [host],
  );

  useEffect(() => {
    unwrap(client.GET('/api/v1/me')).then(setMe, () => undefined);
  }, [client]);

  useEffect(() => {
    document.documentElement.lang = locale;
    void i18n.changeLanguage(locale);
  }, [i18n, locale]);

  // A deep link from Teams (subPageId "post:<id>", "person:<id>", "community:<ref>") opens its page once.
  useEffect(() => {
    const target = placeOfSubPageId(host.subPageId);
    if (target) navigateTo(pathOf(target), { replace: true });
  }, [host, navigateTo]);

  // Teams deep links need the app id, which the server's client configuration gives.
  const [teamsAppId, setTeamsAppId] = useState<string | null>(null);
  useEffect(() => {
    if (host.inTeams) void clientConfig().then((c) => setTeamsAppId(c.teamsAppId));
  }, [host]);

  // Move focus to the page on navigation, so that screen readers start at the new content.
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);

  const value: RucheContextValue = {
    client,
    me,
    locale,
    setLocale: (l) => {
      localStorage.setItem(LOCALE_KEY, l);
      // A language read for the first time in this page is loaded before the switch.
      if (i18n.hasResourceBundle(l, 'translation')) setLocaleState(l);
      else
        void loadMessages(l).then((m) => {
          i18n.addResourceBundle(l, 'translation', m[l] ?? m.en);
          setLocaleState(l);
        });
    },
    theme,
    setTheme,
    hrefOf: (place) => `/tabs${pathOf(place)}`,
    navigate: (place) => navigateTo(pathOf(place)),
    shareLinkOf: (place) => shareLinkOf(place, { inTeams: host.inTeams, teamsAppId, origin: window.location.origin }),
  };

  const section = (location.pathname.split('/')[1] ?? '') as Section;
  const current: Section | null = ['home', 'communities', 'kudos', 'experts', 'me', 'insights'].includes(section) ? section : null;

  return (
    <I18nextProvider i18n={i18n}>
      <FluentProvider theme={fluent} data-theme={appliedTheme}>
        <RucheContextProvider value={value}>
          <AppShell current={current}>
            <Routes>
              <Route path="/" element={<Navigate to="/home" replace />} />
              <Route path="/home" element={<HomePage />} />
              <Route path="/communities" element={<LazyCommunityDirectory />} />
              <Route path="/communities/:ref" element={<CommunityRoute />} />
              <Route path="/kudos" element={<LazyKudosPage />} />
              <Route path="/experts" element={<ExpertsRoute />} />
              <Route path="/me" element={<LazyProfilePage personId={null} />} />
              <Route path="/people/:id" element={<PersonRoute />} />
              <Route path="/posts/:id" element={<PostRoute />} />
              <Route path="/notifications" element={<LazyNotificationsPage />} />
              <Route path="/settings" element={<LazySettingsPage />} />
              <Route path="/moderation" element={<LazyModerationPage />} />
              <Route path="/insights" element={<LazyInsightsPage />} />
              <Route
                path="/channel"
                element={
                  <Suspense fallback={<CardSkeletons count={3} />}>
                    <ChannelTab host={host} />
                  </Suspense>
                }
              />
              <Route
                path="/config"
                element={
                  <Suspense fallback={<CardSkeletons count={2} />}>
                    <TabConfigPage host={host} />
                  </Suspense>
                }
              />
              <Route path="*" element={<Navigate to="/home" replace />} />
            </Routes>
          </AppShell>
        </RucheContextProvider>
      </FluentProvider>
    </I18nextProvider>
  );
}

function CommunityRoute() {
  const { ref = '' } = useParams();
  return <LazyCommunityPage key={ref} communityRef={ref} />;
}

function PersonRoute() {
  const { id = '' } = useParams();
  return <LazyProfilePage key={id} personId={id} />;
}

function PostRoute() {
  const { id = '' } = useParams();
  return <LazyPostPage key={id} postId={id} />;
}

/** /experts?q=... opens the finder on a subject (links from topics and the bot). */
function ExpertsRoute() {
  const [params] = useSearchParams();
  return <LazyExpertsPage initialQuery={params.get('q') ?? undefined} />;
}

export function App({ host, messages }: { host: Host; messages: AppMessages }) {
  return (
    <BrowserRouter basename="/tabs">
      <Routed host={host} messages={messages} />
    </BrowserRouter>
  );
}
