/**
 * The ${{VAR}} placeholders of the manifest template: what each one means, its local
 * default, and what production requires.
 *
 * Local use (NODE_ENV is not "production") works with no variable set at all. Production
 * refuses the local defaults for the values that identify the tenant's own registrations
 * and endpoint, and says which variable is missing and where it goes.
 */
import { ManifestBuildError, ManifestErrorCode } from './errors.js';
import { workspaceVersion } from './paths.js';

export const VARIABLE_NAMES = [
  'APP_ID',
  'APP_VERSION',
  'TAB_ENDPOINT',
  'TAB_DOMAIN',
  'BOT_ID',
  'AAD_APP_CLIENT_ID',
  'PRIVACY_URL',
  'TERMS_URL',
] as const;

export type VariableName = (typeof VARIABLE_NAMES)[number];
export type Variables = Readonly<Record<VariableName, string>>;

/** The Teams app id used when APP_ID is not set: stable, so re-uploads update the same app. */
export const DEFAULT_APP_ID = '17b65015-c25b-474c-bb32-9799e0d129a9';
/** Placeholder ids for local use only; production refuses them. */
export const PLACEHOLDER_BOT_ID = '00000000-0000-4000-8000-000000000b07';
export const PLACEHOLDER_AAD_APP_CLIENT_ID = '00000000-0000-4000-8000-0000000000ad';
export const DEFAULT_TAB_ENDPOINT = 'http://localhost:3978';

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** A host name, optionally with a port, or a *. wildcard: what validDomains accepts. */
const DOMAIN = /^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?$/;

export interface VariableSpec {
  readonly name: VariableName;
  /** Where the value goes in the manifest, for error messages and the README. */
  readonly usedBy: string;
  /** Production refuses to build without it. */
  readonly requiredInProduction: boolean;
  /** Variables the fallback derives from: when one of them is missing, this one is not reported too. */
  readonly derivedFrom?: readonly VariableName[];
  /** The value when the variable is not set; may depend on variables resolved before it. */
  readonly fallback: (resolved: Partial<Record<VariableName, string>>) => string;
  /** Normalises the raw value (e.g. trims a trailing slash). */
  readonly normalise?: (value: string) => string;
  /** Returns why the value is unusable, or undefined. */
  readonly check: (value: string, production: boolean) => string | undefined;
}

function checkGuid(value: string): string | undefined {
  return GUID.test(value) ? undefined : 'must be a GUID such as 12345678-90ab-cdef-1234-567890abcdef';
}

function checkHttpUrl(value: string, production: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (production && url.protocol !== 'https:') return 'must use https in production (Teams only loads https content)';
  return undefined;
}

function notPlaceholder(placeholder: string, what: string): (value: string, production: boolean) => string | undefined {
  return (value, production) =>
    checkGuid(value) ??
    (production && value.toLowerCase() === placeholder ? `is the local placeholder; set the ${what}` : undefined);
}

function resolvedEndpoint(resolved: Partial<Record<VariableName, string>>): string {
  return resolved.TAB_ENDPOINT ?? DEFAULT_TAB_ENDPOINT;
}

/** In resolution order: a fallback only reads variables listed before it. */
export const VARIABLES: readonly VariableSpec[] = [
  {
    name: 'APP_ID',
    usedBy: 'id (the Teams app id)',
    requiredInProduction: false,
    fallback: () => DEFAULT_APP_ID,
    check: checkGuid,
  },
  {
    name: 'APP_VERSION',
    usedBy: 'version',
    requiredInProduction: false,
    fallback: () => workspaceVersion(),
    check: (value) => (SEMVER.test(value) ? undefined : 'must be MAJOR.MINOR.PATCH, e.g. 1.4.0 (Teams refuses pre-release tags)'),
  },
  {
    name: 'TAB_ENDPOINT',
    usedBy: 'staticTabs[].contentUrl/websiteUrl, configurableTabs[0].configurationUrl, developer.websiteUrl',
    requiredInProduction: true,
    fallback: () => DEFAULT_TAB_ENDPOINT,
    normalise: (value) => value.replace(/\/+$/, ''),
    check: (value, production) => {
      const problem = checkHttpUrl(value, production);
      if (problem !== undefined) return problem;
      const url = new URL(value);
      if (url.search !== '' || url.hash !== '') return 'must not have a query or a fragment';
      return undefined;
    },
  },
  {
    name: 'TAB_DOMAIN',
    derivedFrom: ['TAB_ENDPOINT'],
    usedBy: 'validDomains, webApplicationInfo.resource, nestedAppAuthInfo.redirectUri',
    requiredInProduction: false,
    fallback: (resolved) => new URL(resolvedEndpoint(resolved)).hostname,
    check: (value) => (DOMAIN.test(value) ? undefined : 'must be a host name such as ruche.contoso.com (no scheme, no path)'),
  },
  {
    name: 'BOT_ID',
    usedBy: 'bots[0].botId, composeExtensions[0].botId',
    requiredInProduction: true,
    fallback: () => PLACEHOLDER_BOT_ID,
    check: notPlaceholder(PLACEHOLDER_BOT_ID, "Microsoft App ID of the Azure Bot registration"),
  },
  {
    name: 'AAD_APP_CLIENT_ID',
    usedBy: 'webApplicationInfo.id, webApplicationInfo.resource, nestedAppAuthInfo scopes',
    requiredInProduction: true,
    fallback: () => PLACEHOLDER_AAD_APP_CLIENT_ID,
    check: notPlaceholder(PLACEHOLDER_AAD_APP_CLIENT_ID, 'client id of the Entra app registration of the API'),
  },
  {
    name: 'PRIVACY_URL',
    derivedFrom: ['TAB_ENDPOINT'],
    usedBy: 'developer.privacyUrl',
    requiredInProduction: false,
    fallback: (resolved) => `${resolvedEndpoint(resolved)}/privacy`,
    check: checkHttpUrl,
  },
  {
    name: 'TERMS_URL',
    derivedFrom: ['TAB_ENDPOINT'],
    usedBy: 'developer.termsOfUseUrl',
    requiredInProduction: false,
    fallback: (resolved) => `${resolvedEndpoint(resolved)}/terms`,
    check: checkHttpUrl,
  },
];

export interface ResolveOptions {
  /** Defaults to env.NODE_ENV === 'production'. */
  readonly production?: boolean;
}

export function isProduction(env: NodeJS.ProcessEnv, options: ResolveOptions = {}): boolean {
  return options.production ?? env.NODE_ENV === 'production';
}

/**
 * Resolves every variable from the environment (empty strings count as unset), applying
 * local defaults, and reports every missing or invalid variable at once.
 */
export function resolveVariables(env: NodeJS.ProcessEnv, options: ResolveOptions = {}): Variables {
  const production = isProduction(env, options);
  const resolved: Partial<Record<VariableName, string>> = {};
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const spec of VARIABLES) {
    const raw = env[spec.name]?.trim();
    if (raw === undefined || raw === '') {
      if (production && spec.requiredInProduction) {
        missing.push(`${spec.name} is not set (used by ${spec.usedBy})`);
        continue;
      }
      if (spec.derivedFrom?.some((name) => resolved[name] === undefined)) continue;
      resolved[spec.name] = spec.fallback(resolved);
    } else {
      resolved[spec.name] = spec.normalise ? spec.normalise(raw) : raw;
    }
    const value = resolved[spec.name]!;
    const problem = spec.check(value, production);
    if (problem !== undefined) invalid.push(`${spec.name}=${JSON.stringify(value)} ${problem} (used by ${spec.usedBy})`);
  }
  if (missing.length > 0) {
    throw new ManifestBuildError(
      ManifestErrorCode.VariableMissing,
      [...missing, ...invalid],
      `Missing required variable${missing.length > 1 ? 's' : ''} for a production build (NODE_ENV=production): ${missing
        .map((m) => m.split(' ')[0])
        .join(', ')}`,
    );
  }
  if (invalid.length > 0) {
    throw new ManifestBuildError(ManifestErrorCode.VariableInvalid, invalid, 'Invalid manifest variable values');
  }
  const endpoint = new URL(resolved.TAB_ENDPOINT!);
  const domain = resolved.TAB_DOMAIN!;
  if (!domainCovers(domain, endpoint)) {
    throw new ManifestBuildError(
      ManifestErrorCode.VariableInvalid,
      [`TAB_DOMAIN=${JSON.stringify(domain)} does not cover the host of TAB_ENDPOINT=${JSON.stringify(resolved.TAB_ENDPOINT)}`],
      'TAB_DOMAIN and TAB_ENDPOINT disagree: the tabs would load from a domain Teams does not trust',
    );
  }
  return resolved as Variables;
}

/** Whether a validDomains entry (host, host:port or *.suffix) covers the URL's host. */
export function domainCovers(domain: string, url: URL): boolean {
  const d = domain.toLowerCase();
  if (d.startsWith('*.')) return url.hostname.toLowerCase().endsWith(d.slice(1));
  return d === url.host.toLowerCase() || d === url.hostname.toLowerCase();
}
