/** Directory reads and writes Ruche needs: users (delta), manager, photo, groups (delta) and members. */
import { batchHeader, type BatchResponseItem, type GraphClient, type GraphPage } from './client.js';
import { GraphErrorCodes, isRucheGraphError } from './errors.js';

export const userSelect = [
  'id',
  'displayName',
  'userPrincipalName',
  'mail',
  'jobTitle',
  'department',
  'officeLocation',
  'country',
  'preferredLanguage',
  'accountEnabled',
] as const;

export type UserProperty = Exclude<(typeof userSelect)[number], 'id'>;

/** A user as Graph reports it in a delta round. Absent properties did not change (or were not sent). */
export interface DirectoryUserChange {
  id: string;
  /** Set when the user left the directory ("deleted": soft-deleted, "changed": hard-deleted or out of scope). */
  removed?: 'deleted' | 'changed';
  properties: Partial<Record<UserProperty, string | boolean | null>>;
  /** The manager's id; null = no manager; undefined = not reported in this change. */
  managerId?: string | null;
}

export interface UsersDeltaOptions {
  /** Link stored from the previous round; absent = full initial sync. */
  deltaLink?: string;
  /** Ask for the manager in the same round ($expand=manager($select=id)). Default true. */
  expandManager?: boolean;
  /** Page size hint ($top) for the first request. */
  pageSize?: number;
  /** Receives each page of changes; when given, changes are not accumulated in memory. */
  onPage?: (changes: DirectoryUserChange[]) => void | Promise<void>;
}

export interface DeltaRound<T> {
  deltaLink: string;
  changes: T[];
  pages: number;
}

type RawObject = Record<string, unknown> & { id?: unknown };

function removedReason(raw: RawObject): 'deleted' | 'changed' | undefined {
  const removed = raw['@removed'] as { reason?: unknown } | undefined;
  if (!removed) return undefined;
  return removed.reason === 'deleted' ? 'deleted' : 'changed';
}

/**
 * Converts a user of a delta page. With managerExpanded, a user reported without a manager
 * has none (Graph omits the navigation property rather than sending null).
 */
export function toUserChange(raw: RawObject, managerExpanded = false): DirectoryUserChange {
  const change: DirectoryUserChange = { id: String(raw.id), properties: {} };
  const removed = removedReason(raw);
  if (removed) change.removed = removed;
  for (const name of userSelect) {
    if (name !== 'id' && name in raw) change.properties[name] = raw[name] as string | boolean | null;
  }
  if ('manager' in raw) {
    const manager = raw.manager as { id?: unknown } | null;
    change.managerId = manager && typeof manager.id === 'string' ? manager.id : null;
  } else if (managerExpanded && !removed) {
    change.managerId = null;
  }
  return change;
}

export function usersDeltaQuery(options: Pick<UsersDeltaOptions, 'expandManager' | 'pageSize'> = {}): string {
  const parts = [`$select=${userSelect.join(',')}`];
  if (options.expandManager !== false) parts.push('$expand=manager($select=id)');
  if (options.pageSize !== undefined) parts.push(`$top=${options.pageSize}`);
  return `/users/delta?${parts.join('&')}`;
}

async function deltaRound<T>(
  client: GraphClient,
  resource: string,
  convert: (raw: RawObject) => T,
  onPage: ((changes: T[]) => void | Promise<void>) | undefined,
): Promise<DeltaRound<T>> {
  const changes: T[] = [];
  const result = await client.delta<RawObject>(resource, {
    onPage: async (page: GraphPage<RawObject>) => {
      const converted = page.value.map(convert);
      if (onPage) await onPage(converted);
      else changes.push(...converted);
    },
  });
  return { deltaLink: result.deltaLink, changes, pages: result.pages };
}

/** One users delta round (initial when no deltaLink). Store the returned deltaLink for the next round. */
export function usersDelta(client: GraphClient, options: UsersDeltaOptions = {}): Promise<DeltaRound<DirectoryUserChange>> {
  const expanded = options.expandManager !== false;
  return deltaRound(client, options.deltaLink ?? usersDeltaQuery(options), (raw) => toUserChange(raw, expanded), options.onPage);
}

export interface ManagerRef {
  id: string;
  displayName?: string | null;
}

/** The user's manager, or null when the user has none (Graph answers 404). */
export async function getUserManager(client: GraphClient, userId: string): Promise<ManagerRef | null> {
  try {
    const raw = await client.get<RawObject>(`/users/${encodeURIComponent(userId)}/manager?$select=id,displayName`);
    return { id: String(raw.id), displayName: (raw.displayName as string | null | undefined) ?? null };
  } catch (error) {
    if (isRucheGraphError(error, GraphErrorCodes.NotFound)) return null;
    throw error;
  }
}

/** Managers of many users through $batch (20 per request). Map user id -> manager id or null. */
export async function getUserManagers(client: GraphClient, userIds: readonly string[]): Promise<Map<string, string | null>> {
  const answers = await client.batch<RawObject>(
    userIds.map((id, index) => ({ id: String(index + 1), method: 'GET' as const, url: `/users/${encodeURIComponent(id)}/manager?$select=id` })),
  );
  const managers = new Map<string, string | null>();
  answers.forEach((answer: BatchResponseItem<RawObject>, index) => {
    const userId = userIds[index]!;
    if (answer.status === 200 && answer.body) managers.set(userId, String(answer.body.id));
    else if (answer.status === 404) managers.set(userId, null);
  });
  return managers;
}

/** The user's photo bytes, or null when the user has none. */
export async function getUserPhoto(client: GraphClient, userId: string): Promise<Uint8Array | null> {
  try {
    return await client.getBinary(`/users/${encodeURIComponent(userId)}/photo/$value`);
  } catch (error) {
    if (isRucheGraphError(error, GraphErrorCodes.NotFound)) return null;
    throw error;
  }
}

/** A photo's bytes and the content type Graph gave them. */
export interface UserPhotoBytes {
  bytes: Uint8Array;
  contentType: string | null;
}

/**
 * Photo bytes of many users through $batch (GET /users/{id}/photo/$value; Graph answers a
 * binary body base64-encoded inside the batch answer): user id -> bytes, or null when the
 * user has no photo. Users Graph did not answer for are left out.
 */
export async function getUserPhotoBytes(client: GraphClient, userIds: readonly string[]): Promise<Map<string, UserPhotoBytes | null>> {
  const answers = await client.batch<unknown>(userIds.map((id, index) => ({ id: String(index + 1), method: 'GET' as const, url: `/users/${encodeURIComponent(id)}/photo/$value` })));
  const out = new Map<string, UserPhotoBytes | null>();
  answers.forEach((answer, index) => {
    const userId = userIds[index]!;
    if (answer.status === 200 && typeof answer.body === 'string') {
      const type = batchHeader(answer, 'content-type');
      out.set(userId, { bytes: Buffer.from(answer.body, 'base64'), contentType: type ? type.split(';')[0]!.trim() : null });
    } else if (answer.status === 404) out.set(userId, null);
  });
  return out;
}

export interface UserPhotoInfo {
  /** The photo's version (@odata.mediaEtag): fetch the bytes again only when it changes. */
  etag: string | null;
  contentType: string | null;
  width: number | null;
  height: number | null;
}

/** The metadata of the user's photo (GET /users/{id}/photo), or null when the user has none. */
export async function getUserPhotoInfo(client: GraphClient, userId: string): Promise<UserPhotoInfo | null> {
  try {
    const raw = await client.get<RawObject>(`/users/${encodeURIComponent(userId)}/photo`);
    const etag = raw['@odata.mediaEtag'];
    const contentType = raw['@odata.mediaContentType'];
    return {
      etag: typeof etag === 'string' ? etag : null,
      contentType: typeof contentType === 'string' ? contentType : null,
      width: typeof raw.width === 'number' ? raw.width : null,
      height: typeof raw.height === 'number' ? raw.height : null,
    };
  } catch (error) {
    if (isRucheGraphError(error, GraphErrorCodes.NotFound)) return null;
    throw error;
  }
}

/** Photo metadata of many users through $batch: user id -> info, or null when the user has no photo. Users Graph did not answer for are left out. */
export async function getUserPhotoInfos(client: GraphClient, userIds: readonly string[]): Promise<Map<string, UserPhotoInfo | null>> {
  const answers = await client.batch<RawObject>(userIds.map((id, index) => ({ id: String(index + 1), method: 'GET' as const, url: `/users/${encodeURIComponent(id)}/photo` })));
  const out = new Map<string, UserPhotoInfo | null>();
  answers.forEach((answer, index) => {
    const userId = userIds[index]!;
    if (answer.status === 200 && answer.body) {
      const etag = answer.body['@odata.mediaEtag'];
      const contentType = answer.body['@odata.mediaContentType'];
      out.set(userId, {
        etag: typeof etag === 'string' ? etag : null,
        contentType: typeof contentType === 'string' ? contentType : null,
        width: typeof answer.body.width === 'number' ? answer.body.width : null,
        height: typeof answer.body.height === 'number' ? answer.body.height : null,
      });
    } else if (answer.status === 404) out.set(userId, null);
  });
  return out;
}

export const groupSelect = ['id', 'displayName', 'description', 'mail', 'mailNickname', 'groupTypes', 'visibility', 'securityEnabled', 'mailEnabled'] as const;
export type GroupProperty = Exclude<(typeof groupSelect)[number], 'id'>;

export interface DirectoryGroupChange {
  id: string;
  removed?: 'deleted' | 'changed';
  properties: Partial<Record<GroupProperty, unknown>>;
  /** Members added since the last round (all members on the initial round). */
  membersAdded: string[];
  membersRemoved: string[];
}

export function toGroupChange(raw: RawObject): DirectoryGroupChange {
  const change: DirectoryGroupChange = { id: String(raw.id), properties: {}, membersAdded: [], membersRemoved: [] };
  const removed = removedReason(raw);
  if (removed) change.removed = removed;
  for (const name of groupSelect) if (name !== 'id' && name in raw) change.properties[name] = raw[name];
  const members = raw['members@delta'];
  if (Array.isArray(members)) {
    for (const member of members as RawObject[]) {
      if (member['@removed']) change.membersRemoved.push(String(member.id));
      else change.membersAdded.push(String(member.id));
    }
  }
  return change;
}

export interface GroupsDeltaOptions {
  deltaLink?: string;
  pageSize?: number;
  onPage?: (changes: DirectoryGroupChange[]) => void | Promise<void>;
}

export function groupsDeltaQuery(options: Pick<GroupsDeltaOptions, 'pageSize'> = {}): string {
  const parts = [`$select=${[...groupSelect, 'members'].join(',')}`];
  if (options.pageSize !== undefined) parts.push(`$top=${options.pageSize}`);
  return `/groups/delta?${parts.join('&')}`;
}

/** One groups delta round with membership changes (members@delta). */
export function groupsDelta(client: GraphClient, options: GroupsDeltaOptions = {}): Promise<DeltaRound<DirectoryGroupChange>> {
  return deltaRound(client, options.deltaLink ?? groupsDeltaQuery(options), toGroupChange, options.onPage);
}

/** Every member id of a group (paged). */
export async function listGroupMemberIds(client: GraphClient, groupId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of client.getAll<RawObject>(`/groups/${encodeURIComponent(groupId)}/members?$select=id`)) {
    for (const member of page.value) ids.push(String(member.id));
  }
  return ids;
}

/** Object ids of a group's owners (paged). */
export async function listGroupOwnerIds(client: GraphClient, groupId: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of client.getAll<RawObject>(`/groups/${encodeURIComponent(groupId)}/owners?$select=id`)) {
    for (const owner of page.value) ids.push(String(owner.id));
  }
  return ids;
}

function directoryObjectUrl(client: GraphClient, id: string): string {
  // Graph expects a reference to its own public URL, even when Ruche talks to a simulator.
  void client;
  return `https://graph.microsoft.com/v1.0/directoryObjects/${encodeURIComponent(id)}`;
}

export async function addGroupMember(client: GraphClient, groupId: string, memberId: string): Promise<void> {
  await client.post(`/groups/${encodeURIComponent(groupId)}/members/$ref`, { '@odata.id': directoryObjectUrl(client, memberId) });
}

export async function removeGroupMember(client: GraphClient, groupId: string, memberId: string): Promise<void> {
  await client.delete(`/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(memberId)}/$ref`);
}

function errorMessage(body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : '';
}

export interface MembershipResult {
  memberId: string;
  status: number;
  ok: boolean;
}

/**
 * Adds or removes many members through $batch. "Already exist" (400) on add and
 * "not a member" (404) on remove count as done, so the operation can be replayed.
 */
export async function updateGroupMembers(
  client: GraphClient,
  groupId: string,
  changes: { add?: readonly string[]; remove?: readonly string[] },
): Promise<MembershipResult[]> {
  const group = encodeURIComponent(groupId);
  const adds = (changes.add ?? []).map((memberId) => ({
    memberId,
    request: { method: 'POST' as const, url: `/groups/${group}/members/$ref`, body: { '@odata.id': directoryObjectUrl(client, memberId) } },
    accepted: (status: number, body: unknown) => status === 204 || status === 200 || (status === 400 && /already exist/i.test(errorMessage(body))),
  }));
  const removes = (changes.remove ?? []).map((memberId) => ({
    memberId,
    request: { method: 'DELETE' as const, url: `/groups/${group}/members/${encodeURIComponent(memberId)}/$ref` },
    accepted: (status: number, _body: unknown) => status === 204 || status === 200 || status === 404,
  }));
  const all = [...adds, ...removes];
  const answers = await client.batch(all.map((entry, index) => ({ id: String(index + 1), ...entry.request })));
  return answers.map((answer, index) => ({ memberId: all[index]!.memberId, status: answer.status, ok: all[index]!.accepted(answer.status, answer.body) }));
}
