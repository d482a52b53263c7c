export { testDatabases, freshPostgresSchema, createTestTenant, postgresTestUrl, type TestDatabase } from './databases.js';
