import type { ConversationRow, MessageRow, WidgetVisitorRow } from '../../db/database.ts';
import { storedFailureOf } from '../../errors/stored-failure.ts';

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
    feedback: row.feedback ?? null,
    error: row.status === 'failed' ? storedFailureOf(row.error_code) : null,
    createdAt: row.created_at,
  };
}

/** A widget conversation's visitor as the inbox and the conversation's page show them; null for the API. */
export function toConversationVisitor(visitor: WidgetVisitorRow | undefined) {
  if (!visitor) return null;
  return {
    id: visitor.id,
    verified: visitor.external_user_id !== null,
    userId: visitor.external_user_id,
    name: visitor.name,
    email: visitor.email,
  };
}
