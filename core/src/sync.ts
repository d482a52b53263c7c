/**
 * `@ruche/core/sync`: what the admin CLI's directory commands (`ruche sync`, `ruche import`,
 * `ruche migrate`) need, without the rest of core (feeds, Markdown, search, the demo
 * generator...). A process that only syncs the directory loads a third less code, and its
 * heap, whose limit V8 sets from what stays live, grows less. Everything here is also
 * exported by `@ruche/core`.
 */
export { RucheError, isRucheError } from './errors.js';
export { loadConfig, loadDotEnv, type Config } from './config.js';
export { createLogger } from './log.js';
export { openDb, migrate, type Db } from './store/index.js';
export { syncDirectory, importPeopleCsv, directoryGraphClient, type SyncProgress } from './directory/index.js';
export { localFolderFileStore } from './files/store.js';
export { DEMO_MAX_PEOPLE, DEMO_MIN_PEOPLE, DEMO_TENANT_ID } from './demo/constants.js';
