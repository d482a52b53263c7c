/**
 * People's photos from Microsoft Graph. During sync, the photo metadata of a page's users is
 * read through $batch (GET /users/{id}/photo: its @odata.mediaEtag); the bytes
 * (GET /users/{id}/photo/$value) are fetched only for people whose ETag changed, stored
 * through the files port under a new key, and the old file is deleted once the row points
 * to the new one. A user without a photo loses the stored one.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { RucheError } from '../errors.js';
import type { FileStore } from '../files/store.js';
import type { GraphClient } from '../graph/index.js';
import { batchSize, getUserPhoto, getUserPhotoInfos, type UserPhotoInfo } from '../graph/index.js';
import { canSeePersonPhoto, type Viewer } from '../policy/index.js';
import type { Db } from '../store/db.js';

export interface PhotoSyncResult {
  /** Photos fetched and stored (new or changed). */
  stored: number;
  /** Photos removed (the user has none any more). */
  removed: number;
  /** Photos whose ETag had not changed. */
  unchanged: number;
}

/** Photos larger than this are not stored (Graph's largest size is 648x648, well under it). */
const maxPhotoBytes = 4 * 1024 * 1024;

/** Runs a Graph call now, or when a limiter of the caller's lets it. */
export type RequestLimiter = <T>(fn: () => Promise<T>) => Promise<T>;

const now: RequestLimiter = (fn) => fn();

/**
 * Brings the stored photos of these users (Entra object ids) in line with Graph. Each Graph
 * request (a $batch of 20 photo metadata, or one photo's bytes) starts through `limit` (the
 * sync's own, shared with other pages' requests, so that a page's 1,000 photos do not queue
 * ahead of everything else in the Graph client); by default they start at once.
 */
export async function syncPhotos(
  db: Db,
  graph: GraphClient,
  files: FileStore,
  tenantId: string,
  oids: readonly string[],
  limit: RequestLimiter = now,
): Promise<PhotoSyncResult> {
  const result: PhotoSyncResult = { stored: 0, removed: 0, unchanged: 0 };
  if (oids.length === 0) return result;
  const infos = new Map<string, UserPhotoInfo | null>();
  const chunks: Array<Promise<void>> = [];
  for (let start = 0; start < oids.length; start += batchSize) {
    const chunk = oids.slice(start, start + batchSize);
    chunks.push(limit(() => getUserPhotoInfos(graph, chunk)).then((answers) => answers.forEach((info, oid) => infos.set(oid, info))));
  }
  await Promise.all(chunks);
  const known = await db.query<{ oid: string; person_id: string; etag: string | null; file_key: string | null }>(
    `select p.entra_oid::text as oid, p.id as person_id, f.etag, f.file_key
     from unnest($2::uuid[]) as x(oid)
     join people p on p.tenant_id = $1 and p.entra_oid = x.oid
     left join person_photos f on f.tenant_id = $1 and f.person_id = p.id`,
    [tenantId, oids],
  );
  const changed: Array<{ oid: string; personId: string; etag: string; contentType: string; oldKey: string | null }> = [];
  const gone: Array<{ personId: string; key: string }> = [];
  for (const row of known.rows) {
    if (!infos.has(row.oid)) continue; // Graph did not answer for this user: keep what is stored
    const info = infos.get(row.oid) ?? null;
    if (info === null) {
      if (row.file_key) gone.push({ personId: row.person_id, key: row.file_key });
      continue;
    }
    const etag = info.etag ?? '';
    if (row.etag !== null && etag !== '' && row.etag === etag) {
      result.unchanged++;
      continue;
    }
    const contentType = info.contentType && /^image\/(jpeg|png|gif|webp)$/.test(info.contentType) ? info.contentType : 'image/jpeg';
    changed.push({ oid: row.oid, personId: row.person_id, etag, contentType, oldKey: row.file_key });
  }
  await Promise.all(
    changed.map(async (c) => {
      const bytes = await limit(() => getUserPhoto(graph, c.oid));
      if (bytes === null || bytes.byteLength === 0 || bytes.byteLength > maxPhotoBytes) {
        if (c.oldKey) gone.push({ personId: c.personId, key: c.oldKey });
        return;
      }
      const key = `${tenantId}/${randomUUID()}`;
      await files.put(key, bytes);
      await db.query(
        `insert into person_photos (tenant_id, person_id, etag, content_type, file_key, bytes) values ($1, $2, $3, $4, $5, $6)
         on conflict (tenant_id, person_id) do update set etag = excluded.etag, content_type = excluded.content_type,
           file_key = excluded.file_key, bytes = excluded.bytes, updated_at = now()`,
        [tenantId, c.personId, c.etag || `sha-${key}`, c.contentType, key, bytes.byteLength],
      );
      if (c.oldKey && c.oldKey !== key) await files.delete(c.oldKey).catch(() => undefined);
      result.stored++;
    }),
  );
  for (const g of gone) {
    const r = await db.query('delete from person_photos where tenant_id = $1 and person_id = $2 and file_key = $3', [tenantId, g.personId, g.key]);
    if (r.rowCount > 0) {
      await files.delete(g.key).catch(() => undefined);
      result.removed++;
    }
  }
  return result;
}

export interface PersonPhoto {
  etag: string;
  contentType: string;
  bytes: number;
  updatedAt: string;
  open(): Promise<Readable>;
}

/** A person's stored photo; PHOTO_NOT_FOUND when they have none (the UI shows initials). */
export async function readPersonPhoto(db: Db, files: FileStore, viewer: Viewer, personId: string): Promise<PersonPhoto> {
  if (!canSeePersonPhoto(viewer, { tenantId: viewer.tenantId }) || !/^[0-9a-f-]{36}$/i.test(personId)) {
    throw new RucheError('PHOTO_NOT_FOUND', 'This person has no photo');
  }
  const r = await db.query<{ etag: string; content_type: string; file_key: string; bytes: number; updated_at: Date | string }>(
    'select etag, content_type, file_key, bytes, updated_at from person_photos where tenant_id = $1 and person_id = $2',
    [viewer.tenantId, personId],
  );
  const row = r.rows[0];
  if (!row) throw new RucheError('PHOTO_NOT_FOUND', 'This person has no photo');
  return {
    etag: row.etag,
    contentType: row.content_type,
    bytes: row.bytes,
    updatedAt: new Date(row.updated_at).toISOString(),
    open: () => files.get(row.file_key),
  };
}
