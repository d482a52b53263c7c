/** The Graph (Copilot) connector: external connection, its schema, items with ACLs. */
import type { GraphClient } from './client.js';
import { GraphErrorCodes, RucheGraphError, isRucheGraphError } from './errors.js';

export interface ExternalConnectionInput {
  /** 3-32 letters and digits. */
  id: string;
  name: string;
  description?: string;
}

export interface ExternalConnection extends ExternalConnectionInput {
  state?: 'draft' | 'ready' | 'obsolete' | 'limitExceeded' | 'unknownFutureValue';
}

export type ExternalPropertyType =
  | 'string'
  | 'int64'
  | 'double'
  | 'dateTime'
  | 'boolean'
  | 'stringCollection'
  | 'int64Collection'
  | 'doubleCollection'
  | 'dateTimeCollection';

export interface ExternalSchemaProperty {
  name: string;
  type: ExternalPropertyType;
  isSearchable?: boolean;
  isQueryable?: boolean;
  isRetrievable?: boolean;
  isRefinable?: boolean;
  labels?: string[];
  aliases?: string[];
}

export interface ExternalAcl {
  type: 'user' | 'group' | 'everyone' | 'everyoneExceptGuests' | 'externalGroup';
  value: string;
  accessType: 'grant' | 'deny';
}

export interface ExternalItem {
  id: string;
  acl: ExternalAcl[];
  properties: Record<string, unknown>;
  content?: { type: 'text' | 'html'; value: string };
}

/** The schema Ruche registers for posts pushed to Microsoft Search. */
export const rucheExternalSchema: ExternalSchemaProperty[] = [
  { name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] },
  { name: 'url', type: 'string', isRetrievable: true, labels: ['url'] },
  { name: 'authors', type: 'stringCollection', isRetrievable: true, labels: ['authors'] },
  { name: 'createdDateTime', type: 'dateTime', isQueryable: true, isRetrievable: true, isRefinable: true, labels: ['createdDateTime'] },
  { name: 'lastModifiedDateTime', type: 'dateTime', isQueryable: true, isRetrievable: true, labels: ['lastModifiedDateTime'] },
  { name: 'community', type: 'string', isSearchable: true, isQueryable: true, isRetrievable: true, isRefinable: true },
];

export async function createExternalConnection(client: GraphClient, connection: ExternalConnectionInput): Promise<ExternalConnection> {
  if (!/^[A-Za-z0-9]{3,32}$/.test(connection.id)) {
    throw new RucheGraphError(GraphErrorCodes.InvalidArgument, 'Connection id must be 3-32 letters or digits');
  }
  return client.post<ExternalConnection>('/external/connections', {
    id: connection.id,
    name: connection.name,
    ...(connection.description !== undefined ? { description: connection.description } : {}),
  });
}

export async function getExternalConnection(client: GraphClient, connectionId: string): Promise<ExternalConnection | null> {
  try {
    return await client.get<ExternalConnection>(`/external/connections/${encodeURIComponent(connectionId)}?$select=id,name,description,state`);
  } catch (error) {
    if (isRucheGraphError(error, GraphErrorCodes.NotFound)) return null;
    throw error;
  }
}

/** Registers (or updates) the connection schema; Graph provisions it asynchronously (202). */
export async function registerExternalSchema(
  client: GraphClient,
  connectionId: string,
  properties: readonly ExternalSchemaProperty[] = rucheExternalSchema,
): Promise<void> {
  await client.patch(`/external/connections/${encodeURIComponent(connectionId)}/schema`, {
    baseType: 'microsoft.graph.externalItem',
    properties,
  });
}

/** Creates or replaces an item (PUT is idempotent). */
export async function putExternalItem(client: GraphClient, connectionId: string, item: ExternalItem): Promise<void> {
  await client.put(`/external/connections/${encodeURIComponent(connectionId)}/items/${encodeURIComponent(item.id)}`, {
    acl: item.acl,
    properties: item.properties,
    ...(item.content !== undefined ? { content: item.content } : {}),
  });
}

/** Deletes an item; deleting an item that is already gone is not an error. */
export async function deleteExternalItem(client: GraphClient, connectionId: string, itemId: string): Promise<void> {
  try {
    await client.delete(`/external/connections/${encodeURIComponent(connectionId)}/items/${encodeURIComponent(itemId)}`);
  } catch (error) {
    if (isRucheGraphError(error, GraphErrorCodes.NotFound)) return;
    throw error;
  }
}
