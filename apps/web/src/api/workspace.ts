import {
  apiKeyCreatedSchema,
  apiKeySchema,
  invitationCreatedSchema,
  invitationSchema,
  ledgerEntrySchema,
  memberRemovedSchema,
  memberSchema,
  revokedSchema,
  usageReportSchema,
  workspaceSchema,
} from '@pollybot/contracts';
import { api, apiPage, type Page } from './client.ts';
import type {
  ApiKey,
  ApiKeyCreated,
  Invitation,
  LedgerEntry,
  Member,
  MemberRemoved,
  PendingInvitation,
  UsageReport,
  Workspace,
} from './types.ts';

// The workspace itself: its balance and usage, its people and invitations, its API keys.

/** The workspace with its credit balance. */
export function getWorkspace(signal?: AbortSignal): Promise<Workspace> {
  return api('GET', '/api/v1/workspace', workspaceSchema, { signal });
}

/** Replies and credits per day and per chatbot over the last `days` days, and the balance. */
export function getUsage(days: string, signal?: AbortSignal): Promise<UsageReport> {
  return api('GET', '/api/v1/usage', usageReportSchema, { query: { days }, signal });
}

/** One page of the credit ledger, newest first. */
export function listLedger(cursor: string | undefined, signal?: AbortSignal): Promise<Page<LedgerEntry>> {
  return apiPage('/api/v1/credits/ledger', ledgerEntrySchema, { limit: 25, cursor }, signal);
}

/** Everyone in the workspace. */
export async function listMembers(signal?: AbortSignal): Promise<Member[]> {
  return (await apiPage('/api/v1/members', memberSchema, {}, signal)).items;
}

/** Removes a person from the workspace, with their API keys unless `isRevokingApiKeys` is false. */
export function removeMember(userId: string, isRevokingApiKeys: boolean): Promise<MemberRemoved> {
  return api('DELETE', `/api/v1/members/${encodeURIComponent(userId)}`, memberRemovedSchema, {
    query: { revokeApiKeys: String(isRevokingApiKeys) },
  });
}

/** The pending invitations (owners and admins only), up to 100. */
export async function listInvitations(signal?: AbortSignal): Promise<PendingInvitation[]> {
  return (await apiPage('/api/v1/invitations', invitationSchema, { limit: 100 }, signal)).items;
}

/** Invites someone; the answer holds the secret token, shown only this once. */
export function createInvitation(body: { email: string; role: 'admin' | 'member' }): Promise<Invitation> {
  return api('POST', '/api/v1/invitations', invitationCreatedSchema, { body });
}

/** Makes an invitation's link stop working. */
export async function revokeInvitation(invitationId: string): Promise<void> {
  await api('DELETE', `/api/v1/invitations/${encodeURIComponent(invitationId)}`, revokedSchema);
}

/** One page of the workspace's API keys. */
export function listApiKeys(cursor: string | undefined, signal?: AbortSignal): Promise<Page<ApiKey>> {
  return apiPage('/api/v1/api-keys', apiKeySchema, { limit: 50, cursor }, signal);
}

/** Creates an API key; the answer holds the secret key, shown only this once. */
export function createApiKey(name: string): Promise<ApiKeyCreated> {
  return api('POST', '/api/v1/api-keys', apiKeyCreatedSchema, { body: { name } });
}

/** Revokes an API key: every request with it is refused from now on. */
export async function revokeApiKey(apiKeyId: string): Promise<void> {
  await api('DELETE', `/api/v1/api-keys/${encodeURIComponent(apiKeyId)}`, revokedSchema);
}
