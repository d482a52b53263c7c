import type { Db } from './db.js';

/**
 * Opens the embedded database (store/pglite.ts) on a data folder, or in memory when
 * `dataDir` is undefined. PGlite and its WebAssembly are loaded at the first open, not with
 * core: processes on PostgreSQL never load them.
 */
export async function openPglite(dataDir?: string): Promise<Db> {
  const embedded = await import('./pglite.js');
  return embedded.openPglite(dataDir);
}
