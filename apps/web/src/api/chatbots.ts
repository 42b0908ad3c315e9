import { chatbotSchema, deletedSchema, modelCatalogSchema } from '@pollybot/contracts';
import { api, apiPage, type Page } from './client.ts';
import type { Chatbot, ChatbotCreate, ChatbotUpdate, ModelCatalog } from './types.ts';

// The workspace's chatbots and the models they can use, through /api/v1/chatbots and /api/v1/models.

/** `/api/v1/chatbots/{id}`, then any further segments (`knowledge`, `conversations`, an id...). */
export function chatbotPath(chatbotId: string, ...segments: string[]): string {
  return [`/api/v1/chatbots/${encodeURIComponent(chatbotId)}`, ...segments.map(encodeURIComponent)].join('/');
}

/** One page of the workspace's chatbots. */
export function listChatbots(
  cursor: string | undefined,
  signal?: AbortSignal,
  limit = 50,
): Promise<Page<Chatbot>> {
  return apiPage('/api/v1/chatbots', chatbotSchema, { limit, cursor }, signal);
}

/** Every chatbot of the workspace (for pickers), following cursors up to `maxPages` pages of 100. */
export async function listAllChatbots(signal?: AbortSignal, maxPages = 10): Promise<Chatbot[]> {
  const chatbots: Chatbot[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await listChatbots(cursor, signal, 100);
    chatbots.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return chatbots;
}

/** One chatbot; 404 CHATBOT_NOT_FOUND when it is not in the workspace. */
export function getChatbot(chatbotId: string, signal?: AbortSignal): Promise<Chatbot> {
  return api('GET', chatbotPath(chatbotId), chatbotSchema, { signal });
}

/** Creates a chatbot. */
export function createChatbot(body: ChatbotCreate): Promise<Chatbot> {
  return api('POST', '/api/v1/chatbots', chatbotSchema, { body });
}

/** Changes the given fields of a chatbot. */
export function updateChatbot(chatbotId: string, body: ChatbotUpdate): Promise<Chatbot> {
  return api('PATCH', chatbotPath(chatbotId), chatbotSchema, { body });
}

/** Deletes the chatbot and its conversations. */
export async function deleteChatbot(chatbotId: string): Promise<void> {
  await api('DELETE', chatbotPath(chatbotId), deletedSchema);
}

/** The models this server can use, by provider. */
export function listModels(signal?: AbortSignal): Promise<ModelCatalog> {
  return api('GET', '/api/v1/models', modelCatalogSchema, { signal });
}

/** A provider's model names as full `<provider>/<model>` ids, whichever form the server lists them in. */
export function qualifiedModelIds(providerId: string, models: string[]): string[] {
  return models.map((model) => (model.startsWith(`${providerId}/`) ? model : `${providerId}/${model}`));
}
