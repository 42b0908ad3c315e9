import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

// Timestamps are ISO-8601 UTC strings and booleans are 0/1 integers in both dialects, so that
// one set of queries and one set of row types serves SQLite and PostgreSQL alike.

/** Where a workspace came from: the demo seed, the operator API, or first-run setup. */
type WorkspaceOrigin = 'demo' | 'operator' | 'setup';

type WorkspaceTable = {
  id: string;
  name: string;
  credits: number;
  /** 'operator' unless told otherwise. */
  origin: Generated<WorkspaceOrigin>;
  created_at: string;
  updated_at: string;
};

type ApiKeyTable = {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  /** The person who created the key; null for the operator API, the demo seed or another API key. */
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

type ChatbotTable = {
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
  /** What the chatbot says when its knowledge has nothing on the question; null for the built-in wording. */
  fallback_message: string | null;
  status: 'active' | 'inactive';
  created_at: string;
  updated_at: string;
};

/** The door a conversation came through: the API (and the dashboard), or the website widget. */
type ConversationChannel = 'api' | 'widget';

type ConversationTable = {
  id: string;
  workspace_id: string;
  chatbot_id: string;
  channel: Generated<ConversationChannel>;
  /** The widget's visitor whose conversation it is; null for the API's. */
  visitor_id: string | null;
  created_at: string;
  updated_at: string;
};

/** `generating` while the model writes the reply (its content is what has been written so far). */
export type MessageStatus = 'generating' | 'complete' | 'incomplete' | 'failed';

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
  /** metadata.userId when it is a string of at most 200 characters, for the inbox's filter. */
  user_id: string | null;
  /** The knowledge sources a reply drew on (JSON, as the reply names them), or null. */
  sources: string | null;
  /** The error code a failed reply ended with, for replaying it. */
  error_code: string | null;
  /**
   * While a reply is generated: until when its instance holds it. The instance renews it; once it has run out
   * (the instance stopped) any instance ends the reply. Null on other messages.
   */
  lease_expires_at: string | null;
  /** The credit reservation holding a reply's price while it is generated; null for a free reply. */
  reservation_id: string | null;
  /** A widget visitor's thumbs up or down on a reply. */
  feedback: Generated<'up' | 'down' | null>;
  created_at: string;
};

/** A chat request's Idempotency-Key, kept 24 hours: its request's fingerprint and the reply it produced. */
type IdempotencyKeyTable = {
  workspace_id: string;
  key: string;
  request_hash: string;
  claim_token: string;
  message_id: string | null;
  conversation_id: string | null;
  created_at: string;
  expires_at: string;
};

type CreditReservationTable = {
  id: string;
  workspace_id: string;
  amount: number;
  status: 'held' | 'settled' | 'released';
  message_id: string | null;
  created_at: string;
  expires_at: string;
};

type CreditLedgerTable = {
  id: string;
  workspace_id: string;
  amount: number;
  balance_after: number;
  reason: 'grant' | 'adjustment' | 'reservation' | 'release';
  reservation_id: string | null;
  created_at: string;
};

/** What a person may do in a workspace: the owner everything, an admin all but remove the owner. */
export type WorkspaceRole = 'owner' | 'admin' | 'member';

type UserTable = {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  /** scrypt, with its parameters: see features/accounts/password-hash.ts. */
  password_hash: string;
  created_at: string;
};

type MembershipTable = {
  workspace_id: string;
  user_id: string;
  role: WorkspaceRole;
  created_at: string;
};

type SessionTable = {
  id: string;
  /** SHA-256 of the cookie's token; the token itself is stored nowhere. */
  token_hash: string;
  user_id: string;
  workspace_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
};

type InvitationTable = {
  id: string;
  workspace_id: string;
  email: string;
  /** `owner` only for the first owner of a workspace, invited through the operator API. */
  role: WorkspaceRole;
  /** SHA-256 of the token the invitee received. */
  token_hash: string;
  /** The person who invited; null for the operator API. */
  invited_by: string | null;
  /** Wrong passwords given to accept it; the invitation is void after a few. */
  failed_attempts: number;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
};

/** A setup token printed at start while no account exists; only its hash is kept. */
export type SetupTokenTable = {
  token_hash: string;
  created_at: string;
};

/** The database schema as Kysely sees it. */
type KnowledgeSourceKind = 'text' | 'qa' | 'file' | 'url';
type KnowledgeCrawl = 'page' | 'sitemap';
type KnowledgeSourceStatus = 'queued' | 'processing' | 'ready' | 'failed';

export type KnowledgeSourceTable = {
  id: string;
  workspace_id: string;
  chatbot_id: string;
  kind: KnowledgeSourceKind;
  title: string;
  /**
   * The text itself, or for a Q&A source the JSON of its `[{question, answer}]` pairs; for a file or URL
   * source the text extracted by its last ingestion ('' before the first).
   */
  content: string;
  status: KnowledgeSourceStatus;
  error: string | null;
  chunk_count: number;
  /** A `url` source's address, and whether it is one page or a sitemap of pages. */
  url: string | null;
  crawl: KnowledgeCrawl | null;
  /** A `file` source's upload: its name, media type and size (its bytes are in knowledge_files). */
  file_name: string | null;
  media_type: string | null;
  byte_size: number | null;
  /** While an instance ingests the source: until when its claim holds, and the claim's token. */
  lease_until: string | null;
  lease_token: string | null;
  /** Changes whenever the source's chunks are replaced: what caches of chunks compare to stay current. */
  chunk_set: string | null;
  /** Ingestions started for the current content; a source that keeps stopping mid-way fails after a few. */
  attempts: Generated<number>;
  /** What the source stores: its uploaded file and its text (given or extracted), in bytes; summed for the workspace's quota. */
  stored_bytes: Generated<number>;
  created_at: string;
  updated_at: string;
};
export type KnowledgeSourceRow = Selectable<KnowledgeSourceTable>;

export type KnowledgeChunkTable = {
  id: string;
  source_id: string;
  chatbot_id: string;
  workspace_id: string;
  position: number;
  heading: string | null;
  content: string;
  /** For a chunk of an imported web page: the page's address and title. */
  url: string | null;
  page_title: string | null;
  /** The chunk's embedding (little-endian float32s) and the model that made it; null without an embedding model. */
  embedding: Uint8Array | null;
  embedding_model: string | null;
  /** The chunk set it belongs to: only the chunks of their source's current set are searched. */
  chunk_set: string | null;
  created_at: string;
};

/** Each workspace's last turn at the ingestion queue: the workspace served longest ago goes next. */
type KnowledgeIngestionTurnTable = {
  workspace_id: string;
  turn: number;
};

type KnowledgeFileTable = {
  source_id: string;
  data: Uint8Array;
};

/** A chatbot's publishable key: public by design (it is in the page's HTML), so stored as it is. */
type PublishableKeyTable = {
  id: string;
  workspace_id: string;
  chatbot_id: string;
  name: string | null;
  key: string;
  /** JSON array of origins (`new URL(o).origin`); empty refuses every site. */
  allowed_origins: string;
  created_at: string;
  revoked_at: string | null;
  created_by: string | null;
};

/** A chatbot's widget settings (a missing row means the defaults) and its identity secret. */
type ChatbotWidgetTable = {
  chatbot_id: string;
  /** JSON of WidgetSettings. */
  settings: string;
  /** The HS256 secret visitors' JWTs are verified with: kept as it is, since verifying needs it. */
  identity_secret: string | null;
  identity_secret_created_at: string | null;
  updated_at: string;
};

type WidgetVisitorTable = {
  id: string;
  workspace_id: string;
  chatbot_id: string;
  /** SHA-256 of the long-lived visitor token the widget keeps. */
  token_hash: string;
  /** The verified JWT's `sub`; unique per chatbot. */
  external_user_id: string | null;
  name: string | null;
  email: string | null;
  created_at: string;
  last_seen_at: string;
};

type VisitorSessionTable = {
  /** SHA-256 of the session's bearer token. */
  token_hash: string;
  visitor_id: string;
  chatbot_id: string;
  workspace_id: string;
  publishable_key_id: string;
  origin: string;
  expires_at: string;
  created_at: string;
};

export type Database = {
  workspaces: WorkspaceTable;
  api_keys: ApiKeyTable;
  chatbots: ChatbotTable;
  conversations: ConversationTable;
  messages: MessageTable;
  credit_reservations: CreditReservationTable;
  credit_ledger: CreditLedgerTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  invitations: InvitationTable;
  knowledge_sources: KnowledgeSourceTable;
  knowledge_chunks: KnowledgeChunkTable;
  knowledge_files: KnowledgeFileTable;
  knowledge_ingestion_turns: KnowledgeIngestionTurnTable;
  idempotency_keys: IdempotencyKeyTable;
  setup_tokens: SetupTokenTable;
  publishable_keys: PublishableKeyTable;
  chatbot_widgets: ChatbotWidgetTable;
  widget_visitors: WidgetVisitorTable;
  visitor_sessions: VisitorSessionTable;
};

export type WorkspaceRow = Selectable<WorkspaceTable>;
export type NewWorkspaceRow = Insertable<WorkspaceTable>;
export type ApiKeyRow = Selectable<ApiKeyTable>;
export type ChatbotRow = Selectable<ChatbotTable>;
export type NewChatbotRow = Insertable<ChatbotTable>;
export type ChatbotRowUpdate = Updateable<ChatbotTable>;
export type ConversationRow = Selectable<ConversationTable>;
export type NewConversationRow = Insertable<ConversationTable>;
export type MessageRow = Selectable<MessageTable>;
export type NewMessageRow = Insertable<MessageTable>;
export type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>;
export type CreditLedgerRow = Selectable<CreditLedgerTable>;
export type UserRow = Selectable<UserTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type SessionRow = Selectable<SessionTable>;
export type InvitationRow = Selectable<InvitationTable>;
export type PublishableKeyRow = Selectable<PublishableKeyTable>;
export type ChatbotWidgetRow = Selectable<ChatbotWidgetTable>;
export type WidgetVisitorRow = Selectable<WidgetVisitorTable>;
export type VisitorSessionRow = Selectable<VisitorSessionTable>;
