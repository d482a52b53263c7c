/** Where the Ruche API is, for this web part: its own properties first, then the tenant's. */
export interface RucheConnectionSettings {
  /** Origin of the Ruche server, e.g. https://ruche.contoso.com */
  apiBaseUrl: string;
  /** Application ID URI of the Ruche API's Entra app registration, e.g. api://ruche.contoso.com/<client id> */
  apiAppIdUri: string;
}

/** Tenant properties (app catalog storage entities) an admin sets once for every site. */
export const tenantPropertyKeys = { apiBaseUrl: 'RucheApiBaseUrl', apiAppIdUri: 'RucheApiAppIdUri' } as const;

function clean(value: string | undefined | null): string {
  return (value ?? '').trim().replace(/\/+$/, '');
}

export function resolveSettings(
  own: Partial<RucheConnectionSettings>,
  tenant: Partial<RucheConnectionSettings>,
): RucheConnectionSettings | null {
  const apiBaseUrl = clean(own.apiBaseUrl) || clean(tenant.apiBaseUrl);
  const apiAppIdUri = clean(own.apiAppIdUri) || clean(tenant.apiAppIdUri);
  if (!apiBaseUrl || !apiAppIdUri) return null;
  if (!/^https:\/\//i.test(apiBaseUrl) && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/i.test(apiBaseUrl)) return null;
  return { apiBaseUrl, apiAppIdUri };
}
