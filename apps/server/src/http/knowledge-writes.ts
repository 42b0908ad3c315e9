import { knowledgeSourceSchema, successEnvelope } from '@pollybot/contracts';
import type { FastifyReply } from 'fastify';
import { getChatbot } from '../features/chatbots/save-chatbot.ts';
import type { Services } from '../services.ts';
import { enforceRateLimit } from './enforce-rate-limit.ts';
import { CHANGE_ERRORS, errorResponses } from './route-schemas.ts';

/** Errors every knowledge change (create, upload, re-sync, delete) may answer, besides its own. */
export const KNOWLEDGE_WRITE_ERRORS = ['RATE_LIMIT_EXCEEDED', 'KNOWLEDGE_QUOTA_EXCEEDED'] as const;

/** The responses of a request that adds a source (a text, a URL, an uploaded file). */
export const KNOWLEDGE_CREATED_RESPONSES = {
  201: successEnvelope(knowledgeSourceSchema),
  ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND', ...KNOWLEDGE_WRITE_ERRORS]),
};

/**
 * What every knowledge change does first: finds the workspace's chatbot (404 CHATBOT_NOT_FOUND), then counts
 * the change against the workspace's rate (limitKnowledgeWrites).
 */
export async function admitKnowledgeWrite(
  services: Services,
  reply: FastifyReply,
  workspaceId: string,
  chatbotId: string,
) {
  const chatbot = await getChatbot(services, workspaceId, chatbotId);
  await limitKnowledgeWrites(services, workspaceId, reply);
  return chatbot;
}

/**
 * Counts a knowledge change against the workspace's per-minute rate (POLLYBOT_KNOWLEDGE_WRITES_PER_MINUTE):
 * X-RateLimit-* headers, and past the rate 429 RATE_LIMIT_EXCEEDED with Retry-After.
 */
async function limitKnowledgeWrites(
  services: Services,
  workspaceId: string,
  reply: FastifyReply,
): Promise<void> {
  await enforceRateLimit(
    services,
    reply,
    `knowledge-writes:${workspaceId}`,
    { requests: services.config.knowledge.writesPerMinute, windowSeconds: 60 },
    ({ limit, retryAfter }) =>
      `Too many knowledge changes for this workspace (${limit} a minute); retry after ${retryAfter} s`,
  );
}
