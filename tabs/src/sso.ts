import type { IPublicClientApplication } from '@azure/msal-browser';

/** How the tabs sign in, from GET /api/v1/client-config. */
export interface ClientConfig {
  signIn: 'entra' | 'local';
  clientId: string | null;
  authority: string | null;
  apiScope: string | null;
  teamsAppId: string | null;
}

const noConfig: ClientConfig = { signIn: 'local', clientId: null, authority: null, apiScope: null, teamsAppId: null };

let configPromise: Promise<ClientConfig> | null = null;

/** The server's client configuration, fetched once (a server that does not answer means local sign-in, no deep links). */
export function clientConfig(): Promise<ClientConfig> {
  configPromise ??= fetch('/api/v1/client-config', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<ClientConfig>) : noConfig))
    .catch(() => noConfig);
  return configPromise;
}

/** What the page knows of the signed-in Teams user, for Nested App Authentication. */
export interface TeamsUser {
  tenantId: string | null;
  loginHint: string | null;
}

/**
 * How a token is obtained in Teams: Nested App Authentication when the server names an Entra
 * app and the host offers the nested channel; otherwise teams-js getAuthToken (older hosts, and
 * local mode where the host hands out development tokens).
 */
export function tokenRoute(config: ClientConfig, naaRecommended: boolean): 'naa' | 'teams' {
  if (config.signIn !== 'entra' || !config.clientId || !config.apiScope) return 'teams';
  return naaRecommended ? 'naa' : 'teams';
}

/** The authority NAA signs in against: the user's tenant when Teams gives it. */
export function authorityOf(config: ClientConfig, user: TeamsUser): string {
  const host = (config.authority ?? 'https://login.microsoftonline.com').replace(/\/$/, '');
  return `${host}/${user.tenantId ?? 'organizations'}`;
}

let pcaPromise: Promise<IPublicClientApplication> | null = null;

/**
 * A token for the API through Nested App Authentication: silently first (the account Teams
 * signed in, or single sign-on with the login hint), then a popup when consent or another
 * interaction is required. msal-browser is a chunk of its own, loaded only here (in Teams).
 */
export async function naaToken(config: ClientConfig, user: TeamsUser): Promise<string> {
  const msal = await import('@azure/msal-browser');
  pcaPromise ??= msal.createNestablePublicClientApplication({
    auth: { clientId: config.clientId!, authority: authorityOf(config, user) },
    cache: { cacheLocation: 'sessionStorage' },
  });
  let pca: IPublicClientApplication;
  try {
    pca = await pcaPromise;
  } catch (e) {
    pcaPromise = null;
    throw e;
  }
  const scopes = [config.apiScope!];
  const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null;
  const hint = user.loginHint ? { loginHint: user.loginHint } : {};
  try {
    const result = account ? await pca.acquireTokenSilent({ scopes, account }) : await pca.ssoSilent({ scopes, ...hint });
    pca.setActiveAccount(result.account);
    return result.accessToken;
  } catch (e) {
    if (!(e instanceof msal.InteractionRequiredAuthError)) throw e;
    const result = await pca.acquireTokenPopup({ scopes, ...hint });
    pca.setActiveAccount(result.account);
    return result.accessToken;
  }
}
