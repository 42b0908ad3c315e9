import type {
  apiKeyCreatedSchema,
  apiKeySchema,
  authStateSchema,
  chatbotSchema,
  conversationSchema,
  identitySecretSchema,
  inboxConversationSchema,
  invitationCreatedSchema,
  invitationSchema,
  ledgerEntrySchema,
  memberRemovedSchema,
  memberSchema,
  messageSchema,
  modelCatalogSchema,
  usageReportSchema,
  widgetConfigSchema,
  workspaceRoleSchema,
  workspaceSchema,
} from '@pollybot/contracts';
import type { z } from 'zod';

// Every shape the dashboard reads or sends comes from the shared contracts (packages/contracts),
// the same schemas the server validates and documents with; only type information is imported.

export type {
  ChatbotCreate,
  ChatbotUpdate,
  ChatStreamEvent,
  CreateKnowledgeSource,
  KNOWLEDGE_FILE_EXTENSIONS,
  KnowledgeSource,
  PublishableKey,
  PublishableKeyCreate,
  ReplySource,
  Session,
  Usage,
  WidgetSettings,
} from '@pollybot/contracts';

export type Chatbot = z.infer<typeof chatbotSchema>;
export type Message = z.infer<typeof messageSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type ApiKey = z.infer<typeof apiKeySchema>;
export type ApiKeyCreated = z.infer<typeof apiKeyCreatedSchema>;
export type Workspace = z.infer<typeof workspaceSchema>;
export type Role = z.infer<typeof workspaceRoleSchema>;
export type AuthState = z.infer<typeof authStateSchema>;
export type ModelCatalog = z.infer<typeof modelCatalogSchema>;
export type InboxConversation = z.infer<typeof inboxConversationSchema>;
export type UsageReport = z.infer<typeof usageReportSchema>;
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
export type Member = z.infer<typeof memberSchema>;
export type Invitation = z.infer<typeof invitationCreatedSchema>;
export type PendingInvitation = z.infer<typeof invitationSchema>;
export type MemberRemoved = z.infer<typeof memberRemovedSchema>;
export type WidgetConfig = z.infer<typeof widgetConfigSchema>;
export type IdentitySecret = z.infer<typeof identitySecretSchema>;
