/**
 * People's photos from Microsoft Graph. During sync, the photo metadata of a page's users is
 * read through $batch (GET /users/{id}/photo: its @odata.mediaEtag); the bytes
 * (GET /users/{id}/photo/$value, also through $batch) are fetched only for people whose ETag changed, stored
 * through the files port under a new key, and the old file is deleted once the row points
 * to the new one. A user without a photo loses the stored one.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { RucheError } from '../errors.js';
import type { FileStore } from '../files/store.js';
import type { GraphClient } from '../graph/index.js';
import { getUserPhotoBytes, getUserPhotoInfos, inBatchChunks, type UserPhotoInfo } from '../graph/index.js';
import { arrayLiteral } from '../store/array-literal.js';
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
 * Brings the stored photos of these users (Entra object ids) in line with Graph. Metadata and
 * bytes are read through $batch, 20 users a request, each request started through `limit`
 * (the sync's own, shared with other pages' requests, so that a page's 1,000 photos do not
 * queue ahead of everything else in the Graph client); by default they start at once. The
 * page's new photos are written to the files store, then recorded by one statement; files
 * they replace, and photos of users who no longer have one, are deleted after the rows no
 * longer point to them.
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
  await inBatchChunks(oids, (chunk) => limit(() => getUserPhotoInfos(graph, chunk)).then((answers) => answers.forEach((info, oid) => infos.set(oid, info))));
  const known = await db.query<{ oid: string; person_id: string; etag: string | null; file_key: string | null }>(
    `select p.entra_oid::text as oid, p.id as person_id, f.etag, f.file_key
     from unnest($2::uuid[]) as x(oid)
     join people p on p.tenant_id = $1 and p.entra_oid = x.oid
     left join person_photos f on f.tenant_id = $1 and f.person_id = p.id`,
    [tenantId, oids],
  );
  const changed = new Map<string, { personId: string; etag: string; contentType: string; oldKey: string | null }>();
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
    changed.set(row.oid, { personId: row.person_id, etag, contentType: photoType(info.contentType), oldKey: row.file_key });
  }

  // The bytes of the changed photos, written to the files store as they arrive.
  const stored: Array<{ personId: string; etag: string; contentType: string; key: string; bytes: number; oldKey: string | null }> = [];
  const reading = inBatchChunks([...changed.keys()], async (chunk) => {
    const answers = await limit(() => getUserPhotoBytes(graph, chunk));
    for (const [oid, photo] of answers) {
      const c = changed.get(oid)!;
      if (photo === null || photo.bytes.byteLength === 0 || photo.bytes.byteLength > maxPhotoBytes) {
        if (c.oldKey) gone.push({ personId: c.personId, key: c.oldKey });
        continue;
      }
      const key = `${tenantId}/${randomUUID()}`;
      await files.put(key, photo.bytes);
      const contentType = photoType(photo.contentType, c.contentType);
      stored.push({ personId: c.personId, etag: c.etag || `sha-${key}`, contentType, key, bytes: photo.bytes.byteLength, oldKey: c.oldKey });
    }
  });
  try {
    await reading;
  } catch (error) {
    // No row points to the files written: they go, and the page is read again on the next run.
    for (const x of stored) await files.delete(x.key).catch(() => undefined);
    throw error;
  }
  if (stored.length > 0) {
    await db.query(
      `insert into person_photos (tenant_id, person_id, etag, content_type, file_key, bytes)
       select $1, x.person_id, x.etag, x.content_type, x.file_key, x.bytes
         from unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int4[]) as x(person_id, etag, content_type, file_key, bytes)
       on conflict (tenant_id, person_id) do update set etag = excluded.etag, content_type = excluded.content_type,
         file_key = excluded.file_key, bytes = excluded.bytes, updated_at = now()`,
      [
        tenantId,
        arrayLiteral(stored.map((x) => x.personId)),
        arrayLiteral(stored.map((x) => x.etag)),
        arrayLiteral(stored.map((x) => x.contentType)),
        arrayLiteral(stored.map((x) => x.key)),
        arrayLiteral(stored.map((x) => x.bytes)),
      ],
    );
    result.stored = stored.length;
    for (const x of stored) if (x.oldKey && x.oldKey !== x.key) await files.delete(x.oldKey).catch(() => undefined);
  }
  if (gone.length > 0) {
    const removed = await db.query<{ file_key: string }>(
      `delete from person_photos f using unnest($2::uuid[], $3::text[]) as x(person_id, file_key)
        where f.tenant_id = $1 and f.person_id = x.person_id and f.file_key = x.file_key
        returning f.file_key`,
      [tenantId, arrayLiteral(gone.map((g) => g.personId)), arrayLiteral(gone.map((g) => g.key))],
    );
    for (const r of removed.rows) await files.delete(r.file_key).catch(() => undefined);
    result.removed = removed.rows.length;
  }
  return result;
}

/** The content type a photo is served with: Graph's when it is an image type browsers show, else `fallback`. */
function photoType(contentType: string | null, fallback = 'image/jpeg'): string {
  return contentType && /^image\/(jpeg|png|gif|webp)$/.test(contentType) ? contentType : fallback;
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
