import type { ChatbotRow } from '../../db/database.ts';

/** The contract's chatbot object. */
export function toChatbotView(row: ChatbotRow) {
  return {
    id: row.id,
    name: row.name,
    instructions: row.instructions,
    model: row.model,
    temperature: row.temperature,
    maxTokens: row.max_tokens,
    streaming: row.streaming === 1,
    rateLimit: { requests: row.rate_limit_requests, windowSeconds: row.rate_limit_window_seconds },
    fallbackMessage: row.fallback_message,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
