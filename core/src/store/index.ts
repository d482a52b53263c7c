export type { Db, DbKind, Queryable, QueryResult, SqlParam } from './db.js';
export { openPglite } from './embedded.js';
export { openPostgres, type PostgresOptions } from './postgres.js';
export { openDb } from './open.js';
export { migrate, readMigrations, migrationsDir, type Migration, type MigrationReport } from './migrate.js';
