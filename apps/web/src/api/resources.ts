import { api, apiPage } from './client.ts';
import type { Chatbot, ModelCatalog } from './types.ts';

/** Every chatbot of the workspace (for pickers), following cursors up to `maxPages` pages of 100. */
export async function fetchAllChatbots(signal?: AbortSignal, maxPages = 10): Promise<Chatbot[]> {
  const chatbots: Chatbot[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await apiPage<Chatbot>('/api/v1/chatbots', { limit: 100, cursor }, signal);
    chatbots.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return chatbots;
}

/** The models this server can use, by provider. */
export function fetchModels(signal?: AbortSignal): Promise<ModelCatalog> {
  return api<ModelCatalog>('GET', '/api/v1/models', { signal });
}

/** A provider's model names as full `<provider>/<model>` ids, whichever form the server lists them in. */
export function qualifiedModelIds(providerId: string, models: string[]): string[] {
  return models.map((model) => (model.startsWith(`${providerId}/`) ? model : `${providerId}/${model}`));
}
