import type { Config } from '../config.js';
import type { Db } from './db.js';
import { openPglite } from './embedded.js';
import { openPostgres } from './postgres.js';

/** Opens the database the configuration names: PostgreSQL when DATABASE_URL is set, else PGlite. */
export async function openDb(database: Config['database']): Promise<Db> {
  return database.kind === 'postgres'
    ? openPostgres({ connectionString: database.url, max: database.poolMax })
    : openPglite(database.dataDir);
}
