import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Queryable } from '../store/db.js';
import type { Viewer } from '../policy/policy.js';
import { RucheError } from '../errors.js';
import { isUuid } from '../people/people.js';
import { loadPostFor } from '../posts/facts.js';
import type { FileStore } from './store.js';

/** The kinds of files people may attach: checked against the bytes, not only the name. */
export const acceptedTypes: Record<string, { label: string; sniffed: boolean }> = {
  'image/png': { label: 'PNG image', sniffed: true },
  'image/jpeg': { label: 'JPEG image', sniffed: true },
  'image/gif': { label: 'GIF image', sniffed: true },
  'image/webp': { label: 'WebP image', sniffed: true },
  'application/pdf': { label: 'PDF document', sniffed: true },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'Word document', sniffed: true },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel workbook', sniffed: true },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { label: 'PowerPoint presentation', sniffed: true },
  'text/plain': { label: 'text file', sniffed: false },
  'text/csv': { label: 'CSV file', sniffed: false },
};

/** Images may be shown inline; everything else is only ever downloaded. */
export function isInlineImage(contentType: string): boolean {
  return contentType.startsWith('image/');
}

export interface AttachmentLimits {
  maxBytes: number;
  maxPerPost: number;
}

export const defaultAttachmentLimits: AttachmentLimits = { maxBytes: 10 * 1024 * 1024, maxPerPost: 10 };

export interface Attachment {
  id: string;
  name: string;
  contentType: string;
  size: number;
  postId: string | null;
  uploaderId: string;
  createdAt: string;
}

interface AttachmentRow {
  id: string;
  name: string;
  content_type: string;
  size: number | string;
  post_id: string | null;
  uploader_id: string;
  created_at: Date | string;
  storage_key: string;
}

const columns = 'id, name, content_type, size, post_id, uploader_id, created_at, storage_key';

function toAttachment(r: AttachmentRow): Attachment {
  return {
    id: r.id,
    name: r.name,
    contentType: r.content_type,
    size: Number(r.size),
    postId: r.post_id,
    uploaderId: r.uploader_id,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** A file name safe to store and to send back: no path, no control characters, bounded. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '_').trim();
  const bounded = cleaned.length > 200 ? cleaned.slice(cleaned.length - 200) : cleaned;
  return bounded === '' || bounded === '.' || bounded === '..' ? 'file' : bounded;
}

async function checkBytes(contentType: string, bytes: Uint8Array): Promise<void> {
  const accepted = acceptedTypes[contentType];
  if (!accepted) {
    throw new RucheError('ATTACHMENT_TYPE_REFUSED', `Files of type ${contentType} are not accepted`, {
      details: { accepted: Object.keys(acceptedTypes) },
    });
  }
  // Loaded at the first attachment, not with core.
  const { fileTypeFromBuffer } = await import('file-type');
  const sniffed = await fileTypeFromBuffer(bytes);
  if (accepted.sniffed) {
    if (sniffed?.mime !== contentType) {
      throw new RucheError('ATTACHMENT_TYPE_REFUSED', `This file is not a ${accepted.label}: its content does not match`);
    }
    return;
  }
  if (sniffed) {
    throw new RucheError('ATTACHMENT_TYPE_REFUSED', `This file is not a ${accepted.label}: it holds ${sniffed.mime}`);
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RucheError('ATTACHMENT_TYPE_REFUSED', `This file is not a ${accepted.label}: it is not UTF-8 text`);
  }
}

/** Stores an upload for its uploader; it stays private to them until attached to a post. */
export async function uploadAttachment(
  db: Queryable,
  store: FileStore,
  viewer: Viewer,
  file: { name: string; contentType: string; bytes: Uint8Array },
  limits: AttachmentLimits = defaultAttachmentLimits,
): Promise<Attachment> {
  const contentType = file.contentType.split(';')[0]!.trim().toLowerCase();
  if (file.bytes.byteLength === 0) throw new RucheError('VALIDATION_FAILED', 'The file is empty');
  if (file.bytes.byteLength > limits.maxBytes) {
    throw new RucheError('ATTACHMENT_TOO_LARGE', `Files may be up to ${Math.floor(limits.maxBytes / (1024 * 1024))} MB`, {
      details: { maxBytes: limits.maxBytes },
    });
  }
  await checkBytes(contentType, file.bytes);
  const id = randomUUID();
  const storageKey = `${viewer.tenantId}/${id}`;
  await store.put(storageKey, file.bytes);
  try {
    const r = await db.query<AttachmentRow>(
      `insert into attachments (tenant_id, id, uploader_id, name, content_type, size, sha256, storage_key)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${columns}`,
      [
        viewer.tenantId,
        id,
        viewer.personId,
        cleanFileName(file.name),
        contentType,
        file.bytes.byteLength,
        createHash('sha256').update(file.bytes).digest('hex'),
        storageKey,
      ],
    );
    return toAttachment(r.rows[0]!);
  } catch (err) {
    await store.delete(storageKey).catch(() => undefined);
    throw err;
  }
}

/** Attaches the viewer's own uploads to a post they may edit. */
export async function attachToPost(
  db: Queryable,
  viewer: Viewer,
  postId: string,
  attachmentIds: string[],
  limits: AttachmentLimits = defaultAttachmentLimits,
): Promise<Attachment[]> {
  await loadPostFor(db, viewer, postId, 'edit');
  const ids = [...new Set(attachmentIds)];
  if (ids.some((id) => !isUuid(id))) throw new RucheError('NOT_FOUND', 'No such file');
  const mine = await db.query<{ id: string; post_id: string | null }>(
    'select id, post_id from attachments where tenant_id = $1 and uploader_id = $2 and id = any($3::uuid[])',
    [viewer.tenantId, viewer.personId, ids],
  );
  if (mine.rowCount !== ids.length) throw new RucheError('NOT_FOUND', 'No such file');
  const elsewhere = mine.rows.find((r) => r.post_id !== null && r.post_id !== postId);
  if (elsewhere) throw new RucheError('ATTACHMENT_ELSEWHERE');
  const count = await db.query<{ n: number }>(
    'select count(*)::int as n from attachments where tenant_id = $1 and post_id = $2 and not (id = any($3::uuid[]))',
    [viewer.tenantId, postId, ids],
  );
  if (count.rows[0]!.n + ids.length > limits.maxPerPost) {
    throw new RucheError('ATTACHMENT_LIMIT', `A post may carry up to ${limits.maxPerPost} files`);
  }
  await db.query(
    `update attachments set post_id = $3, attached_at = coalesce(attached_at, now())
     where tenant_id = $1 and id = any($2::uuid[])`,
    [viewer.tenantId, ids, postId],
  );
  return listAttachments(db, viewer, postId);
}

export async function listAttachments(db: Queryable, viewer: Viewer, postId: string): Promise<Attachment[]> {
  await loadPostFor(db, viewer, postId, 'read');
  const r = await db.query<AttachmentRow>(
    `select ${columns} from attachments where tenant_id = $1 and post_id = $2 order by created_at, id`,
    [viewer.tenantId, postId],
  );
  return r.rows.map(toAttachment);
}

async function loadAttachment(db: Queryable, viewer: Viewer, id: string): Promise<AttachmentRow> {
  if (!isUuid(id)) throw new RucheError('NOT_FOUND', 'No such file');
  const r = await db.query<AttachmentRow>(`select ${columns} from attachments where tenant_id = $1 and id = $2`, [
    viewer.tenantId,
    id,
  ]);
  const row = r.rows[0];
  if (!row) throw new RucheError('NOT_FOUND', 'No such file');
  if (row.post_id === null) {
    if (row.uploader_id !== viewer.personId) throw new RucheError('NOT_FOUND', 'No such file');
  } else {
    try {
      await loadPostFor(db, viewer, row.post_id, 'read');
    } catch (err) {
      if (err instanceof RucheError && err.code === 'NOT_FOUND') throw new RucheError('NOT_FOUND', 'No such file');
      throw err;
    }
  }
  return row;
}

/** The bytes of a file, for whoever may read the post it is attached to (or its uploader). */
export async function openAttachment(
  db: Queryable,
  store: FileStore,
  viewer: Viewer,
  id: string,
): Promise<{ attachment: Attachment; content: Readable }> {
  const row = await loadAttachment(db, viewer, id);
  return { attachment: toAttachment(row), content: await store.get(row.storage_key) };
}

/** The uploader removes an unattached file; the post's author or a moderator removes an attached one. */
export async function deleteAttachment(db: Queryable, store: FileStore, viewer: Viewer, id: string): Promise<void> {
  const row = await loadAttachment(db, viewer, id);
  if (row.post_id === null) {
    if (row.uploader_id !== viewer.personId) throw new RucheError('FORBIDDEN');
  } else {
    await loadPostFor(db, viewer, row.post_id, 'delete');
  }
  await db.query('delete from attachments where tenant_id = $1 and id = $2', [viewer.tenantId, id]);
  await store.delete(row.storage_key);
}

/** Uploads never attached to a post are forgotten after a day (files and rows). */
export async function purgeUnattachedFiles(db: Queryable, store: FileStore, olderThanHours = 24): Promise<number> {
  const r = await db.query<{ storage_key: string }>(
    `delete from attachments where post_id is null and created_at < now() - make_interval(hours => $1)
     returning storage_key`,
    [olderThanHours],
  );
  for (const row of r.rows) await store.delete(row.storage_key).catch(() => undefined);
  return r.rowCount;
}
