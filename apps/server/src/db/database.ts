import type { Insertable, Selectable, Updateable } from 'kysely';

// Timestamps are ISO-8601 UTC strings and booleans are 0/1 integers in both dialects, so that
// one set of queries and one set of row types serves SQLite and PostgreSQL alike.

export type WorkspaceTable = {
  id: string;
  name: string;
  credits: number;
  created_at: string;
  updated_at: string;
};

export type ApiKeyTable = {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

export type ChatbotTable = {
  id: string;
  workspace_id: string;
  name: string;
  instructions: string;
  model: string;
  temperature: number;
  max_tokens: number;
  streaming: number;
  rate_limit_requests: number;
  rate_limit_window_seconds: number;
  status: 'active' | 'inactive';
  created_at: string;
  updated_at: string;
};

export type ConversationTable = {
  id: string;
  workspace_id: string;
  chatbot_id: string;
  created_at: string;
  updated_at: string;
};

export type MessageStatus = 'complete' | 'incomplete' | 'failed';

export type MessageTable = {
  id: string;
  conversation_id: string;
  workspace_id: string;
  role: 'user' | 'assistant';
  content: string;
  metadata: string | null;
  status: MessageStatus;
  model: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  credits: number | null;
  created_at: string;
};

export type CreditReservationTable = {
  id: string;
  workspace_id: string;
  amount: number;
  status: 'held' | 'settled' | 'released';
  message_id: string | null;
  created_at: string;
  expires_at: string;
};

export type CreditLedgerTable = {
  id: string;
  workspace_id: string;
  amount: number;
  balance_after: number;
  reason: 'grant' | 'adjustment' | 'reservation' | 'release';
  reservation_id: string | null;
  created_at: string;
};

/** The database schema as Kysely sees it. */
export type Database = {
  workspaces: WorkspaceTable;
  api_keys: ApiKeyTable;
  chatbots: ChatbotTable;
  conversations: ConversationTable;
  messages: MessageTable;
  credit_reservations: CreditReservationTable;
  credit_ledger: CreditLedgerTable;
};

export type WorkspaceRow = Selectable<WorkspaceTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type ChatbotRow = Selectable<ChatbotTable>;
export type NewChatbotRow = Insertable<ChatbotTable>;
export type ChatbotRowUpdate = Updateable<ChatbotTable>;
export type ConversationRow = Selectable<ConversationTable>;
export type MessageRow = Selectable<MessageTable>;
export type NewMessageRow = Insertable<MessageTable>;
export type CreditLedgerRow = Selectable<CreditLedgerTable>;
