/**
 * The hosts allowed to frame Ruche's pages: Teams (classic and new), Outlook and the
 * Microsoft 365 app (Office), and SharePoint. Nothing else may embed it.
 */
export const frameAncestors = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://teams.cloud.microsoft',
  'https://*.cloud.microsoft',
  'https://teams.live.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
  'https://*.microsoft365.com',
  'https://*.sharepoint.com',
  'https://*.sharepoint-df.com',
];

export const localFrameAncestors = ['http://localhost:*', 'http://127.0.0.1:*'];

export function contentSecurityPolicy(local: boolean): Record<string, string[] | null> {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'", 'https://res.cdn.office.net'],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:', 'https://res.cdn.office.net'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': local ? [...frameAncestors, ...localFrameAncestors] : frameAncestors,
    'upgrade-insecure-requests': local ? null : [],
  };
}
