/** Ruche's Microsoft Graph layer: one client, token providers, and the calls Ruche makes. */
export * from './errors.js';
export * from './retry.js';
export * from './tokens.js';
export {
  TenantConcurrency,
  defaultTenantConcurrency,
  emptyStats,
  type GraphClientStats,
  type GraphLogger,
  type ConcurrencyLimiter,
} from './middleware.js';
export * from './client.js';
export * from './directory.js';
export * from './profile.js';
export * from './teams.js';
export * from './connectors.js';
export * from './sites.js';
