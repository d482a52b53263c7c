/** Directory sync for tenant administrators (the admin API): start a run, read its progress. */
import type { GraphConfig } from '../config.js';
import { RucheError } from '../errors.js';
import type { GraphClient } from '../graph/index.js';
import { canOnPerson, type Viewer } from '../policy/index.js';
import type { Db } from '../store/db.js';
import { directoryGraphClient } from './graph-client.js';
import { getDirectorySyncState, type DirectorySyncState } from './sync-state.js';
import { syncDirectory, type SyncDirectoryOptions, type SyncDirectoryResult } from './sync.js';

function assertTenantAdmin(viewer: Viewer): void {
  if (!canOnPerson(viewer, 'administer', { tenantId: viewer.tenantId, personId: viewer.personId })) {
    throw new RucheError('FORBIDDEN', 'Only tenant administrators can run the directory sync');
  }
}

/** The progress of the viewer's tenant's directory sync (tenant administrators only). */
export async function readDirectorySync(db: Db, viewer: Viewer): Promise<DirectorySyncState> {
  assertTenantAdmin(viewer);
  return getDirectorySyncState(db, viewer.tenantId, 'users');
}

export interface DirectorySyncStart {
  state: DirectorySyncState;
  /** Settles when the run ends (rejections are recorded in the state, never thrown here). */
  finished: Promise<SyncDirectoryResult | undefined>;
}

/**
 * Starts a directory sync of the viewer's tenant in the background and answers at once with
 * its state. Refused to non-administrators, when Graph is not configured for this tenant,
 * and while a run is going (DIRECTORY_SYNC_RUNNING).
 */
export async function startDirectorySync(
  db: Db,
  viewer: Viewer,
  input: { graph: GraphConfig | undefined; client?: GraphClient; options?: SyncDirectoryOptions },
): Promise<DirectorySyncStart> {
  assertTenantAdmin(viewer);
  if (!input.graph || input.graph.tenantId !== viewer.tenantId.toLowerCase()) {
    throw new RucheError('GRAPH_NOT_CONFIGURED', 'Microsoft Graph is not configured for this organisation (GRAPH_TENANT_ID)');
  }
  const client = input.client ?? directoryGraphClient(input.graph);
  const current = await getDirectorySyncState(db, viewer.tenantId, 'users');
  if (current.status === 'running' && current.updatedAt > new Date(Date.now() - 120_000).toISOString()) {
    throw new RucheError('DIRECTORY_SYNC_RUNNING', 'A directory sync of this organisation is already running');
  }
  let claimed!: () => void;
  const started = new Promise<void>((resolve) => (claimed = resolve));
  const run = syncDirectory(db, client, viewer.tenantId, { ...input.options, onClaimed: () => claimed() });
  // Answer once the run holds the tenant (the state says "running"), or with the error that stopped it first.
  const first = await Promise.race([started.then(() => 'claimed' as const), run.then(() => 'claimed' as const, (error: unknown) => error)]);
  if (first !== 'claimed' && first instanceof RucheError && first.code === 'DIRECTORY_SYNC_RUNNING') throw first;
  // Failures of the run are recorded in its state (status 'failed', lastError).
  const finished = run.catch(() => undefined);
  return { state: await getDirectorySyncState(db, viewer.tenantId, 'users'), finished };
}
