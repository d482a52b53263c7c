import type * as TeamsModule from '@microsoft/teams-js';
/**
 * teams-js is loaded only when the page is framed: on import it fetches the list of valid
 * Teams domains, which a plain browser page neither needs nor may reach under the CSP.
 */
type TeamsJs = typeof TeamsModule;
let teams: TeamsJs | null = null;

/** What the page knows about where it runs: Teams (with its context) or a plain browser. */
export interface Host {
  inTeams: boolean;
  /** The host's locale (Teams: context.app.locale), or null to use the browser's. */
  locale: string | null;
  /** The host's theme (Teams: default, dark or contrast), or null to follow the browser. */
  theme: string | null;
  /** A deep link's target inside the app (Teams: page.subPageId), e.g. "community:<ref>". */
  subPageId: string | null;
  onThemeChange(listener: (theme: string) => void): void;
}

const browserHost: Host = { inTeams: false, locale: null, theme: null, subPageId: null, onThemeChange: () => undefined };

/** Only a framed page (or a popup) can be in a Teams host; a top-level tab is a plain browser. */
function mayBeInTeams(): boolean {
  try {
    return window.self !== window.top || !!window.opener;
  } catch {
    return true; // a cross-origin parent: framed
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Initialises teams-js when framed, giving up after timeoutMs (then the page runs as a browser app). */
export async function detectHost(timeoutMs = 2000): Promise<Host> {
  if (!mayBeInTeams()) return browserHost;
  try {
    teams = await import('@microsoft/teams-js');
    const { app } = teams;
    await withTimeout(app.initialize(), timeoutMs);
    const context = await app.getContext();
    return {
      inTeams: true,
      locale: context.app.locale ?? null,
      theme: context.app.theme ?? null,
      subPageId: context.page.subPageId ?? null,
      onThemeChange: (listener) => app.registerOnThemeChangeHandler(listener),
    };
  } catch {
    teams = null;
    return browserHost;
  }
}

export function notifySuccess(host: Host): void {
  if (host.inTeams) teams?.app.notifySuccess();
}

const TOKEN_KEY = 'ruche.token';

/**
 * The API token. In Teams: single sign-on through getAuthToken (Nested App Authentication
 * comes with the Entra set-up). In a browser: the local sign-in token.
 */
export async function getToken(host: Host): Promise<string | null> {
  if (host.inTeams && teams) {
    try {
      return await teams.authentication.getAuthToken();
    } catch {
      return null;
    }
  }
  return localStorage.getItem(TOKEN_KEY);
}

/** Outside Teams, a missing or refused token sends the person to the sign-in page, and back. */
export function redirectToSignIn(): void {
  localStorage.removeItem(TOKEN_KEY);
  const next = `${location.pathname}${location.search}${location.hash}`;
  location.assign(`/signin?next=${encodeURIComponent(next)}`);
}

export function hasLocalToken(): boolean {
  return !!localStorage.getItem(TOKEN_KEY);
}
