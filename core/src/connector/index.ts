/** The Graph (Copilot) search connector: connection, schema, posts as external items with ACLs, incremental pushes. */
export {
  enableSearchConnector,
  enqueueConnectorUpdate,
  ensureConnection,
  externalItemOf,
  pushConnectorUpdates,
  tenantsWithPendingConnectorUpdates,
  defaultConnectorLimit,
  defaultConnectionId,
  type ConnectorOptions,
  type ConnectorReport,
} from './connector.js';
