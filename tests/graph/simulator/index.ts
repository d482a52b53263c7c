/** The local Microsoft Graph simulator: start it on 127.0.0.1 (port 0 = any free port). */
export { startGraphSimulator } from './server.js';
export type { GraphSimulator, GraphSimulatorOptions, FaultOptions, FailPageRule, RecordedExchange, SimulatorStats } from './server.js';
export { SimTenant } from './tenant.js';
export type { TenantOptions, SimUser, SimUserProps, SimGroup, SimSkill, SimSitePage, SimExternalConnection, RecordedNotification } from './tenant.js';
