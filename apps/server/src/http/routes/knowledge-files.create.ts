import type { Multipart } from '@fastify/multipart';
import { knowledgeTitleSchema, storable } from '@pollybot/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.ts';
import { validationError } from '../../errors/validation-error.ts';
import {
  type DocumentFormat,
  detectDocumentFormat,
} from '../../features/knowledge/extract/extract-document.ts';
import { checkKnowledgeQuotas } from '../../features/knowledge/knowledge-quotas.ts';
import {
  createKnowledgeFileSource,
  toKnowledgeSourceView,
} from '../../features/knowledge/knowledge-sources.ts';
import { knowledgeDeps, type Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { admitKnowledgeWrite, KNOWLEDGE_CREATED_RESPONSES } from '../knowledge-writes.ts';
import { chatbotParamsSchema, workspaceSecurity } from '../route-schemas.ts';

/** The media type stored for each format, whatever the client claimed. */
const MEDIA_TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
};

const SUPPORTED = 'Upload a PDF, DOCX, HTML, Markdown or plain-text file';

const fileNameSchema = storable(z.string().trim().min(1).max(255));

/** The upload's parts: at most one `file` and an optional `title`; anything else is refused. */
async function readUpload(request: FastifyRequest, maxBytes: number) {
  let title: string | undefined;
  let file: { fileName: string; clientType: string; bytes: Buffer } | undefined;
  let parts: AsyncIterableIterator<Multipart>;
  try {
    parts = request.parts();
  } catch (error) {
    throw toUploadError(error, maxBytes);
  }
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file')
          throw validationError(`body.${part.fieldname}`, 'unknown file field; use "file"');
        if (file) throw validationError('body.file', 'send one file per request');
        const bytes = await part.toBuffer();
        const name = fileNameSchema.safeParse(part.filename);
        if (!name.success) throw validationError('body.file', 'the file needs a name of 1-255 characters');
        file = { fileName: name.data, clientType: part.mimetype, bytes };
      } else if (part.fieldname === 'title') {
        const parsed = knowledgeTitleSchema.safeParse(part.value);
        if (!parsed.success) throw validationError('body.title', 'must be 1-200 characters');
        title = parsed.data;
      } else {
        throw validationError(`body.${part.fieldname}`, 'unknown field; send "file" and optionally "title"');
      }
    }
  } catch (error) {
    throw toUploadError(error, maxBytes);
  }
  if (!file)
    throw validationError(
      'body.file',
      'required: the file to upload, as a multipart/form-data part named "file"',
    );
  if (file.bytes.byteLength === 0) throw validationError('body.file', 'the file is empty');
  return { title, ...file };
}

/** @fastify/multipart's errors, in the contract's envelope. */
function toUploadError(error: unknown, maxBytes: number): unknown {
  if (error instanceof AppError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', { message: 'Content-Type must be multipart/form-data' });
  }
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError('PAYLOAD_TOO_LARGE', {
      message: `The file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB`,
    });
  }
  if (code === 'FST_FILES_LIMIT') return validationError('body.file', 'send one file per request');
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return validationError('body', 'too many parts; send "file" and optionally "title"');
  }
  if (code === 'FST_PROTO_VIOLATION') return validationError('body', 'a field name is not allowed');
  // A body that is not valid multipart (a missing boundary, a truncated part).
  if (error instanceof Error && /multipart|boundary|unexpected end/i.test(error.message)) {
    return new AppError('VALIDATION_ERROR', { message: 'The request body is not valid multipart/form-data' });
  }
  return error;
}

export function registerKnowledgeFilesCreate(app: App, services: Services): void {
  const deps = knowledgeDeps(services);
  app.post(
    '/api/v1/chatbots/:id/knowledge/files',
    {
      schema: {
        summary: 'Upload a file (PDF, DOCX, HTML, Markdown, text) as a knowledge source',
        description:
          'A `multipart/form-data` body with the file in a part named `file` and, optionally, a `title` field ' +
          '(default: the file name without its extension). Up to POLLYBOT_KNOWLEDGE_MAX_FILE_MB (50 MB by ' +
          'default): larger is 413. The type is recognised from the extension, the part’s Content-Type or the ' +
          'file’s first bytes; anything else is 415. Answers at once with the source `queued`; its text is ' +
          'extracted and indexed in the background (`ready`, or `failed` with the reason, e.g. a password-' +
          'protected PDF, or a source over a limit: 10 MB of text, 20,000 chunks, 2,000 PDF pages, a DOCX ' +
          'unpacking to over ten times the text limit, by default). Per workspace, knowledge changes are rate ' +
          'limited (429) and sources waiting and bytes stored are capped (409 `KNOWLEDGE_QUOTA_EXCEEDED`).',
        tags: ['knowledge'],
        security: workspaceSecurity,
        consumes: ['multipart/form-data'],
        multipartBody: {
          type: 'object',
          required: ['file'],
          properties: {
            file: {
              type: 'string',
              format: 'binary',
              description: 'The document: PDF, DOCX, HTML, Markdown or text',
            },
            title: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
              description: 'Default: the file name without extension',
            },
          },
        },
        params: chatbotParamsSchema,
        response: KNOWLEDGE_CREATED_RESPONSES,
      },
    },
    async (request, reply) => {
      const chatbot = await admitKnowledgeWrite(services, reply, request.workspaceId, request.params.id);
      // A workspace with its most sources waiting is refused before its file is read.
      await checkKnowledgeQuotas(deps, request.workspaceId, { addingBytes: 0 });
      const { maxFileBytes } = services.config.knowledge;
      const upload = await readUpload(request, maxFileBytes);
      const format = detectDocumentFormat(upload.fileName, upload.clientType, upload.bytes);
      if (!format) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { message: SUPPORTED });
      const source = await createKnowledgeFileSource(deps, chatbot, {
        title: upload.title ?? defaultTitle(upload.fileName),
        fileName: upload.fileName,
        mediaType: MEDIA_TYPES[format],
        bytes: upload.bytes,
      });
      reply.code(201);
      return { success: true as const, data: toKnowledgeSourceView(source) };
    },
  );
}

/** "Returns policy.pdf" → "Returns policy". */
function defaultTitle(fileName: string): string {
  const base = fileName.replace(/\.[^.]+$/, '').trim() || fileName;
  return base.slice(0, 200);
}
