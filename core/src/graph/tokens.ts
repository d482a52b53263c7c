/**
 * Token providers for Microsoft Graph. A provider is just an async function returning a
 * bearer token, so tests inject `async () => 'test-token'` and need no Entra.
 * Tokens are never logged: errors carry msal's error code, never the request or the token.
 */
import type * as Msal from '@azure/msal-node';
import { GraphErrorCodes, RucheGraphError } from './errors.js';

/**
 * msal-node is loaded at the first token asked for, not with core: processes that never
 * reach Entra (the embedded default, tests against the simulator) do without its 4 MB of heap.
 */
function loadMsal(): Promise<typeof Msal> {
  return import('@azure/msal-node');
}

/** `make` run once, at the first call; a failure is kept (the same configuration fails again). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

export interface TokenRequestContext {
  /** Scopes asked for; app-only and on-behalf-of use `<graph resource>/.default`. */
  scopes: readonly string[];
}

/** Returns a bearer token for Graph (without the "Bearer " prefix). */
export type AccessTokenProvider = (context: TokenRequestContext) => Promise<string>;

export const graphDefaultScope = 'https://graph.microsoft.com/.default';

export interface EntraAppCredentials {
  tenantId: string;
  clientId: string;
  /** Client secret (simplest; prefer a certificate or managed identity in production). */
  clientSecret?: string;
  /** Certificate credential: SHA-256 thumbprint (hex) and PEM private key; x5c enables SN+I. */
  clientCertificate?: { thumbprintSha256: string; privateKey: string; x5c?: string };
  /** Authority host, default https://login.microsoftonline.com. */
  authorityHost?: string;
}

function msalConfiguration(credentials: EntraAppCredentials): Msal.Configuration {
  const { tenantId, clientId, clientSecret, clientCertificate } = credentials;
  if (!tenantId || !clientId) {
    throw new RucheGraphError(GraphErrorCodes.InvalidArgument, 'tenantId and clientId are required');
  }
  if ((clientSecret === undefined) === (clientCertificate === undefined)) {
    throw new RucheGraphError(GraphErrorCodes.InvalidArgument, 'Give exactly one of clientSecret or clientCertificate');
  }
  const authorityHost = (credentials.authorityHost ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  return {
    auth: {
      clientId,
      authority: `${authorityHost}/${tenantId}`,
      // A custom authority host is trusted as given (no instance discovery call elsewhere).
      ...(credentials.authorityHost !== undefined ? { knownAuthorities: [new URL(authorityHost).host] } : {}),
      ...(clientSecret !== undefined ? { clientSecret } : { clientCertificate }),
    },
  };
}

/** A confidential client made at the first token asked for (the configuration is checked now). */
function confidentialClient(configuration: Msal.Configuration): () => Promise<Msal.ConfidentialClientApplication> {
  return once(async () => new (await loadMsal()).ConfidentialClientApplication(configuration));
}

function tokenError(cause: unknown): RucheGraphError {
  // msal errors carry errorCode; their message may quote the request, so keep only the code.
  const code = typeof cause === 'object' && cause !== null && 'errorCode' in cause ? String((cause as { errorCode: unknown }).errorCode) : 'unknown';
  return new RucheGraphError(GraphErrorCodes.TokenAcquisition, `Could not acquire a token for Microsoft Graph (${code})`, { graphCode: code });
}

/** App-only token (client credentials flow) with a client secret or a certificate. msal caches tokens. */
export function appOnlyTokenProvider(credentials: EntraAppCredentials): AccessTokenProvider {
  const app = confidentialClient(msalConfiguration(credentials));
  return async ({ scopes }) => {
    let result;
    try {
      result = await (await app()).acquireTokenByClientCredential({ scopes: [...scopes] });
    } catch (cause) {
      throw tokenError(cause);
    }
    if (!result?.accessToken) throw tokenError(undefined);
    return result.accessToken;
  };
}

/**
 * On-behalf-of: exchanges the user's token for Ruche's API (already validated by the server)
 * for a Graph token acting as that user. One msal application is shared by every user, so
 * its cache serves repeated calls; call the returned function once per incoming request.
 */
export function onBehalfOfTokenProviderFactory(credentials: EntraAppCredentials): (userAssertion: string) => AccessTokenProvider {
  const app = confidentialClient(msalConfiguration(credentials));
  return (userAssertion: string) => {
    if (!userAssertion) throw new RucheGraphError(GraphErrorCodes.InvalidArgument, 'A user assertion is required for on-behalf-of');
    return async ({ scopes }) => {
      let result;
      try {
        result = await (await app()).acquireTokenOnBehalfOf({ oboAssertion: userAssertion, scopes: [...scopes] });
      } catch (cause) {
        throw tokenError(cause);
      }
      if (!result?.accessToken) throw tokenError(undefined);
      return result.accessToken;
    };
  };
}

/** On-behalf-of for one user (convenience over onBehalfOfTokenProviderFactory). */
export function onBehalfOfTokenProvider(credentials: EntraAppCredentials & { userAssertion: string }): AccessTokenProvider {
  return onBehalfOfTokenProviderFactory(credentials)(credentials.userAssertion);
}

/** A token function from elsewhere, e.g. `@azure/identity`'s ManagedIdentityCredential.getToken. */
export type ExternalTokenFunction = (scopes: readonly string[]) => Promise<string | { token: string }>;

/**
 * Managed identity. By default uses msal-node's ManagedIdentityApplication (system-assigned,
 * or user-assigned with clientId); a token function can be plugged in instead.
 */
export function managedIdentityTokenProvider(options: { clientId?: string; tokenFunction?: ExternalTokenFunction } = {}): AccessTokenProvider {
  if (options.tokenFunction) return fromTokenFunction(options.tokenFunction);
  const app: () => Promise<Msal.ManagedIdentityApplication> = once(async () => {
    const msal = await loadMsal();
    return new msal.ManagedIdentityApplication(options.clientId ? { managedIdentityIdParams: { userAssignedClientId: options.clientId } } : {});
  });
  return async ({ scopes }) => {
    const resource = (scopes[0] ?? graphDefaultScope).replace(/\/\.default$/, '');
    try {
      const result = await (await app()).acquireToken({ resource });
      return result.accessToken;
    } catch (cause) {
      throw tokenError(cause);
    }
  };
}

/** Adapts any token function (tests, managed identity from another library) to a provider. */
export function fromTokenFunction(fn: ExternalTokenFunction): AccessTokenProvider {
  return async ({ scopes }) => {
    let value;
    try {
      value = await fn(scopes);
    } catch (cause) {
      if (cause instanceof RucheGraphError) throw cause;
      throw tokenError(cause);
    }
    const token = typeof value === 'string' ? value : value?.token;
    if (!token) throw tokenError(undefined);
    return token;
  };
}

/** A fixed token, for tests against the simulator. */
export function staticTokenProvider(token: string): AccessTokenProvider {
  return async () => token;
}
