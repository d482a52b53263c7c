import type * as TeamsModule from '@microsoft/teams-js';
import { clientConfig, naaToken, tokenRoute, type TeamsUser } from './sso.js';
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
  /** Teams: "settings" on a tab's configuration page, "content" in a tab; null in a browser. */
  frameContext: string | null;
  /** Teams: the configured tab's entity id (a channel tab: "community:<ref>"). */
  entityId: string | null;
  /** Teams: the channel and team the tab sits in. */
  channel: { id: string; name: string | null } | null;
  team: { name: string | null; groupId: string | null } | null;
  user: TeamsUser;
  onThemeChange(listener: (theme: string) => void): void;
}

const browserHost: Host = {
  inTeams: false,
  locale: null,
  theme: null,
  subPageId: null,
  frameContext: null,
  entityId: null,
  channel: null,
  team: null,
  user: { tenantId: null, loginHint: null },
  onThemeChange: () => undefined,
};

/** Only a framed page (or a popup) can be in a Teams host; a top-level tab is a plain browser. */
export function mayBeInTeams(): boolean {
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
      frameContext: context.page.frameContext ?? null,
      entityId: context.page.id || null,
      channel: context.channel?.id ? { id: context.channel.id, name: context.channel.displayName ?? null } : null,
      team: context.team ? { name: context.team.displayName ?? null, groupId: context.team.groupId ?? null } : null,
      user: { tenantId: context.user?.tenant?.id ?? null, loginHint: context.user?.loginHint ?? context.user?.userPrincipalName ?? null },
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
 * The API token. In Teams: single sign-on through Nested App Authentication when the server
 * names an Entra app and the host offers it, falling back to teams-js getAuthToken (older
 * hosts, NAA failures, and local mode). In a browser: the local sign-in token.
 */
export async function getToken(host: Host): Promise<string | null> {
  if (host.inTeams && teams) {
    const config = await clientConfig();
    if (tokenRoute(config, teams.nestedAppAuth.isNAAChannelRecommended()) === 'naa') {
      try {
        return await naaToken(config, host.user);
      } catch {
        // The host refused the nested channel or the popup: Teams' own SSO may still work.
      }
    }
    try {
      return await teams.authentication.getAuthToken();
    } catch {
      return null;
    }
  }
  return localStorage.getItem(TOKEN_KEY);
}

/** What a channel tab's configuration page tells Teams to save. */
export interface TabSettings {
  entityId: string;
  contentUrl: string;
  websiteUrl: string;
  suggestedDisplayName: string;
}

/**
 * The configuration page's side of Teams: Save is enabled while a choice is valid, and on
 * Save the settings of the current choice are handed to Teams. Outside Teams, does nothing.
 */
export interface TabConfigHost {
  setValid(valid: boolean): void;
  /** Called on Save; resolves to the settings to save, or rejects with the reason. */
  onSave(handler: () => Promise<TabSettings>): void;
}

export function tabConfigHost(host: Host): TabConfigHost | null {
  const t = teams;
  if (!host.inTeams || !t) return null;
  return {
    setValid: (valid) => t.pages.config.setValidityState(valid),
    onSave: (handler) =>
      t.pages.config.registerOnSaveHandler((event) => {
        handler().then(
          (settings) => t.pages.config.setConfig(settings).then(() => event.notifySuccess(), (e: unknown) => event.notifyFailure(String(e))),
          (e: unknown) => event.notifyFailure(e instanceof Error ? e.message : String(e)),
        );
      }),
  };
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

/** The local sign-in token of a browser page, if any. */
export function localToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}
