import { deletedSchema, knowledgeSourceSchema } from '@pollybot/contracts';
import { chatbotPath } from './chatbots.ts';
import { api, apiPage, type Page } from './client.ts';
import type { CreateKnowledgeSource, KnowledgeSource } from './types.ts';

// A chatbot's knowledge sources, through /api/v1/chatbots/{id}/knowledge (docs/knowledge-api.md).

/** `/api/v1/chatbots/{id}/knowledge`, then any further segments (a source id, `resync`, `files`). */
function knowledgePath(chatbotId: string, ...segments: string[]): string {
  return chatbotPath(chatbotId, 'knowledge', ...segments);
}

/** One page of the chatbot's sources, newest first. */
export function listKnowledgeSources(
  chatbotId: string,
  cursor: string | undefined,
  signal?: AbortSignal,
): Promise<Page<KnowledgeSource>> {
  return apiPage(knowledgePath(chatbotId), knowledgeSourceSchema, { limit: 25, cursor }, signal);
}

/** One source with its current status. */
export function getKnowledgeSource(
  chatbotId: string,
  sourceId: string,
  signal?: AbortSignal,
): Promise<KnowledgeSource> {
  return api('GET', knowledgePath(chatbotId, sourceId), knowledgeSourceSchema, { signal });
}

/** Adds text, Q&A pairs or a web page or sitemap; the source comes back `queued`. */
export function createKnowledgeSource(
  chatbotId: string,
  body: CreateKnowledgeSource,
): Promise<KnowledgeSource> {
  return api('POST', knowledgePath(chatbotId), knowledgeSourceSchema, { body });
}

/** Uploads a file as multipart/form-data: the title part first, then the file part. */
export function uploadKnowledgeFile(
  chatbotId: string,
  file: File,
  title: string | undefined,
): Promise<KnowledgeSource> {
  const form = new FormData();
  if (title) form.append('title', title);
  form.append('file', file, file.name);
  return api('POST', knowledgePath(chatbotId, 'files'), knowledgeSourceSchema, { body: form });
}

/** Queues the source to be read and chunked again; it comes back `queued`. */
export function resyncKnowledgeSource(chatbotId: string, sourceId: string): Promise<KnowledgeSource> {
  return api('POST', knowledgePath(chatbotId, sourceId, 'resync'), knowledgeSourceSchema);
}

/** Deletes the source and its chunks. */
export async function deleteKnowledgeSource(chatbotId: string, sourceId: string): Promise<void> {
  await api('DELETE', knowledgePath(chatbotId, sourceId), deletedSchema);
}
