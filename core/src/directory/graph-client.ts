/** The Graph client of directory sync, built from the GRAPH_* configuration. */
import { readFileSync } from 'node:fs';
import type { GraphConfig } from '../config.js';
import { RucheError } from '../errors.js';
import {
  appOnlyTokenProvider,
  createGraphClient,
  managedIdentityTokenProvider,
  staticTokenProvider,
  type AccessTokenProvider,
  type GraphClient,
  type GraphLogger,
} from '../graph/index.js';

export function tokenProviderFor(graph: GraphConfig): AccessTokenProvider {
  const c = graph.credential;
  switch (c.kind) {
    case 'static-token':
      return staticTokenProvider(c.token);
    case 'managed-identity':
      return managedIdentityTokenProvider(c.clientId ? { clientId: c.clientId } : {});
    case 'secret':
      return appOnlyTokenProvider({ tenantId: graph.tenantId, clientId: c.clientId, clientSecret: c.clientSecret });
    case 'certificate': {
      let privateKey: string;
      try {
        privateKey = readFileSync(c.certificatePath, 'utf8');
      } catch (cause) {
        throw new RucheError('CONFIG_INVALID', `Invalid configuration: GRAPH_CERTIFICATE_PATH: cannot read ${c.certificatePath}`, { cause });
      }
      return appOnlyTokenProvider({ tenantId: graph.tenantId, clientId: c.clientId, clientCertificate: { thumbprintSha256: c.thumbprintSha256, privateKey } });
    }
  }
}

/** An app-only Graph client for the configured tenant; fails with GRAPH_NOT_CONFIGURED when there is none. */
export function directoryGraphClient(graph: GraphConfig | undefined, logger?: GraphLogger): GraphClient {
  if (!graph) throw new RucheError('GRAPH_NOT_CONFIGURED', 'Set GRAPH_TENANT_ID and a Graph credential (see README.md) to sync the directory');
  return createGraphClient({
    tokenProvider: tokenProviderFor(graph),
    tenantId: graph.tenantId,
    baseUrl: graph.baseUrl,
    maxConcurrency: graph.maxConcurrency,
    ...(logger ? { logger } : {}),
  });
}
