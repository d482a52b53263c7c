import { FluentProvider, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import type { IReadonlyTheme } from '@microsoft/sp-component-base';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import {
  RucheContextProvider,
  createI18n,
  createRucheClient,
  en,
  placePath,
  unwrap,
  type Locale,
  type Person,
  type Place,
  type RucheContextValue,
} from '../ui/index.js';
import { fr } from '../ui/i18n/fr.js';
import { spfxEn, spfxFr } from './messages.js';
import { fluentThemeFromSharePoint, themeNameFromSharePoint } from './spTheme.js';

/** What the web parts need beyond the ui's context: untyped calls for routes the ui's schema has not yet. */
export interface SpfxApi {
  /** JSON of a 2xx answer of the Ruche API (path from /api/v1/...), else an ApiError. */
  json<T>(path: string, init?: { method?: string; query?: Record<string, string | number | boolean | undefined> }): Promise<T>;
}

const SpfxApiContext = createContext<SpfxApi | null>(null);

export function useSpfxApi(): SpfxApi {
  const api = useContext(SpfxApiContext);
  if (!api) throw new Error('useSpfxApi() outside <RucheHost>');
  return api;
}

/** The URL of a place in the full Ruche app (the Teams tabs, also served on the web at /tabs). */
export function pathOfPlace(place: Place): string {
  return placePath(place);
}

export interface RucheHostProps {
  /** Null when the web part is not configured (no API address or App ID URI). */
  connection: { apiBaseUrl: string; fetch: typeof fetch } | null;
  locale: Locale;
  spTheme: IReadonlyTheme | undefined;
  children: ReactNode;
}

const useStyles = makeStyles({
  root: { backgroundColor: 'transparent', color: tokens.colorNeutralForeground1, fontFamily: tokens.fontFamilyBase },
});

/** Providers around every web part: Fluent theme from the section, i18n from the page, the API client. */
export function RucheHost({ connection, locale, spTheme, children }: RucheHostProps): JSX.Element {
  const styles = useStyles();
  const [i18n] = useState(() => {
    const instance = createI18n(locale, { en, fr });
    instance.addResourceBundle('en', 'translation', spfxEn, true, false);
    instance.addResourceBundle('fr', 'translation', spfxFr, true, false);
    return instance;
  });
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
  }, [i18n, locale]);
  const theme = useMemo(() => fluentThemeFromSharePoint(spTheme), [spTheme]);
  return (
    <FluentProvider theme={theme} className={styles.root} lang={locale}>
      <I18nextProvider i18n={i18n}>
        {connection ? (
          <Connected connection={connection} locale={locale} themeName={themeNameFromSharePoint(spTheme)}>
            {children}
          </Connected>
        ) : (
          <NotConfigured />
        )}
      </I18nextProvider>
    </FluentProvider>
  );
}

function NotConfigured(): JSX.Element {
  const { t } = useTranslation();
  return (
    <MessageBar intent="info">
      <MessageBarBody>
        <MessageBarTitle>{t('spfx.notConfigured')}</MessageBarTitle>
        {t('spfx.notConfiguredHint')}
      </MessageBarBody>
    </MessageBar>
  );
}

function Connected({
  connection,
  locale,
  themeName,
  children,
}: {
  connection: NonNullable<RucheHostProps['connection']>;
  locale: Locale;
  themeName: RucheContextValue['theme'];
  children: ReactNode;
}): JSX.Element {
  const { apiBaseUrl, fetch: fetchImpl } = connection;
  // The token comes with each call from AadHttpClient (getToken gives none of its own).
  const client = useMemo(() => createRucheClient({ baseUrl: apiBaseUrl, getToken: () => null, fetch: fetchImpl }), [apiBaseUrl, fetchImpl]);
  const [me, setMe] = useState<Person | null>(null);
  useEffect(() => {
    let live = true;
    unwrap(client.GET('/api/v1/me')).then(
      (person) => live && setMe(person),
      () => undefined, // each web part shows its own error
    );
    return () => {
      live = false;
    };
  }, [client]);

  const api = useMemo<SpfxApi>(
    () => ({
      json: <T,>(path: string, init?: { method?: string; query?: Record<string, string | number | boolean | undefined> }) => {
        const url = new URL(`${apiBaseUrl}/api/v1${path}`);
        for (const [k, v] of Object.entries(init?.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
        const method = init?.method ?? 'GET';
        return unwrap<T>(
          (async () => {
            const response = await fetchImpl(url.toString(), { method, headers: { accept: 'application/json' } });
            const text = await response.text();
            let body: unknown = undefined;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              body = undefined;
            }
            return response.ok ? { data: body as T, response } : { error: body, response };
          })(),
        );
      },
    }),
    [apiBaseUrl, fetchImpl],
  );

  const value = useMemo<RucheContextValue>(() => {
    const hrefOf = (place: Place): string => `${apiBaseUrl}/tabs${pathOfPlace(place)}`;
    return {
      client,
      me,
      locale,
      setLocale: () => undefined, // the page's language decides
      theme: themeName,
      setTheme: () => undefined, // the section's background decides
      hrefOf,
      navigate: (place): void => {
        window.open(hrefOf(place), '_blank', 'noopener');
      },
    };
  }, [client, me, locale, themeName, apiBaseUrl]);

  return (
    <RucheContextProvider value={value}>
      <SpfxApiContext.Provider value={api}>{children}</SpfxApiContext.Provider>
    </RucheContextProvider>
  );
}
