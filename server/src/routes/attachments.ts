import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type AttachmentLimits,
  type Db,
  type FileStore,
  RucheError,
  acceptedTypes,
  attachToPost,
  deleteAttachment,
  isInlineImage,
  listAttachments,
  openAttachment,
  uploadAttachment,
} from '@ruche/core';
import { viewerOf } from '../auth/authenticate.js';
import { problemSchema } from '../http/problem.js';

const security = [{ bearer: [] }];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

export const attachmentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    postId: z.uuid().nullable(),
    uploaderId: z.uuid(),
    createdAt: z.string(),
  })
  .meta({ id: 'Attachment' });

const idParams = z.object({ id: z.uuid() });

/** RFC 6266 / 5987: an ASCII fallback and the exact UTF-8 name. */
function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.normalize('NFD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '_') || 'file';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Attachments: upload the bytes (the request body, with the file's content type), then
 * attach the uploads to a post. Downloads are allowed to whoever may read the post.
 */
export function attachmentRoutes(api: FastifyInstance, deps: { db: Db; files: FileStore; limits: AttachmentLimits }): void {
  const { db, files, limits } = deps;
  void api.register(async (scope) => {
    // Uploads carry raw file bytes of any type; the core decides which types are accepted.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxBytes }, (_req, body, done) => done(null, body));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/attachments',
      {
        bodyLimit: limits.maxBytes,
        config: { idempotent: true },
        schema: {
          tags: ['attachments'],
          summary: 'Upload a file (the body is the file; Content-Type its type). Attach it to a post afterwards.',
          description: `Accepted types: ${Object.keys(acceptedTypes).join(', ')}.`,
          security,
          querystring: z.object({ name: z.string().min(1).max(255).describe('The file name') }),
          response: { 201: attachmentSchema, ...problems, 413: problemSchema, 415: problemSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body)) {
          throw new RucheError('ATTACHMENT_TYPE_REFUSED', `Files of type ${request.headers['content-type'] ?? 'unknown'} are not accepted`);
        }
        const attachment = await uploadAttachment(
          db,
          files,
          viewerOf(request),
          { name: request.query.name, contentType: request.headers['content-type'] ?? '', bytes: body },
          limits,
        );
        return reply.code(201).send(attachment);
      },
    );
  });

  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/attachments/:id/content',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Download a file',
        security,
        params: idParams,
        response: { 200: z.any().describe('The file bytes'), ...problems },
      },
    },
    async (request, reply) => {
      const { attachment, content } = await openAttachment(db, files, viewerOf(request), request.params.id);
      const inline = isInlineImage(attachment.contentType);
      return reply
        .header('content-type', attachment.contentType)
        .header('content-length', String(attachment.size))
        .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', attachment.name))
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=300')
        .send(content);
    },
  );
  r.delete(
    '/attachments/:id',
    { schema: { tags: ['attachments'], summary: 'Remove a file', security, params: idParams, response: { 204: z.null(), ...problems } } },
    async (request, reply) => {
      await deleteAttachment(db, files, viewerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  r.get(
    '/posts/:id/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: "A post's files",
        security,
        params: idParams,
        response: { 200: z.object({ items: z.array(attachmentSchema) }), ...problems },
      },
    },
    async (request) => ({ items: await listAttachments(db, viewerOf(request), request.params.id) }),
  );
  r.put(
    '/posts/:id/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Attach uploaded files to a post (its author)',
        security,
        params: idParams,
        body: z.object({ attachmentIds: z.array(z.uuid()).min(1).max(50) }),
        response: { 200: z.object({ items: z.array(attachmentSchema) }), ...problems },
      },
    },
    async (request) => ({
      items: await attachToPost(db, viewerOf(request), request.params.id, request.body.attachmentIds, limits),
    }),
  );
}
