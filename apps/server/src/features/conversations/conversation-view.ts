import type { ConversationRow, MessageRow } from '../../db/database.ts';

export function toConversationSummary(row: ConversationRow) {
  return { id: row.id, chatbotId: row.chatbot_id, createdAt: row.created_at, updatedAt: row.updated_at };
}

export function toMessageView(row: MessageRow) {
  const hasUsage = row.input_tokens !== null || row.output_tokens !== null || row.credits !== null;
  return {
    id: row.id,
    role: row.role,
    content: row.content,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    status: row.status,
    usage: hasUsage
      ? {
          inputTokens: row.input_tokens ?? 0,
          outputTokens: row.output_tokens ?? 0,
          credits: row.credits ?? 0,
        }
      : null,
    createdAt: row.created_at,
  };
}
