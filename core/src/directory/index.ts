/** Directory: people (and their skills and managers) from Microsoft Graph or an HR CSV export. */
export { syncDirectory, directoryUsersQuery, toPersonRow, type SyncDirectoryOptions, type SyncDirectoryResult, type SyncProgress } from './sync.js';
export { getDirectorySyncState, type DirectorySyncState, type SyncResource, type SyncStatus } from './sync-state.js';
export { importPeopleCsv, csvColumns, type CsvColumn, type CsvImportOptions, type CsvImportResult, type CsvRowError } from './csv-import.js';
export { resolveManagers, type DirectoryPersonRow } from './people-writer.js';
export { directoryGraphClient, tokenProviderFor } from './graph-client.js';
export { startDirectorySync, readDirectorySync, type DirectorySyncStart } from './admin.js';
export { syncOrgUnitMemberships } from './org-units.js';
export { syncPhotos, readPersonPhoto, type PhotoSyncResult, type PersonPhoto } from './photos.js';
