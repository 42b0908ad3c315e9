import {
  createKnowledgeSourceSchema,
  knowledgeSourceSchema,
  pathIdSchema,
  successEnvelope,
} from '@pollybot/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { getChatbot } from '../../features/chatbots/save-chatbot.ts';
import { createKnowledgeSource, toKnowledgeSourceView } from '../../features/knowledge/knowledge-sources.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { enforceRateLimit } from '../enforce-rate-limit.ts';
import { CHANGE_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export const knowledgeParamsSchema = z.object({ id: pathIdSchema });
export const knowledgeSourceParamsSchema = z.object({ id: pathIdSchema, sourceId: pathIdSchema });

/** Errors every knowledge change (create, upload, re-sync, delete) may answer, besides its own. */
export const KNOWLEDGE_WRITE_ERRORS = ['RATE_LIMIT_EXCEEDED', 'KNOWLEDGE_QUOTA_EXCEEDED'] as const;

/**
 * Counts a knowledge change against the workspace's per-minute rate (POLLYBOT_KNOWLEDGE_WRITES_PER_MINUTE):
 * X-RateLimit-* headers, and past the rate 429 RATE_LIMIT_EXCEEDED with Retry-After.
 */
export async function limitKnowledgeWrites(
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

export function registerKnowledgeCreate(app: App, services: Services): void {
  app.post(
    '/api/v1/chatbots/:id/knowledge',
    {
      schema: {
        summary: 'Add a knowledge source (text or Q&A pairs) for the chatbot to answer from',
        description:
          'Answers at once with the source `queued`; it is chunked and indexed in the background ' +
          '(`processing`, then `ready` or `failed` with `error`). Per workspace, knowledge changes are rate ' +
          'limited (429 `RATE_LIMIT_EXCEEDED` with `Retry-After`) and sources waiting to be processed and ' +
          'stored bytes are capped (409 `KNOWLEDGE_QUOTA_EXCEEDED`).',
        tags: ['knowledge'],
        security: workspaceSecurity,
        params: knowledgeParamsSchema,
        body: createKnowledgeSourceSchema,
        response: {
          201: successEnvelope(knowledgeSourceSchema),
          ...errorResponses([...CHANGE_ERRORS, 'CHATBOT_NOT_FOUND', ...KNOWLEDGE_WRITE_ERRORS]),
        },
      },
    },
    async (request, reply) => {
      const chatbot = await getChatbot(services, request.workspaceId, request.params.id);
      await limitKnowledgeWrites(services, request.workspaceId, reply);
      const source = await createKnowledgeSource(services, chatbot, request.body);
      reply.code(201);
      return { success: true as const, data: toKnowledgeSourceView(source) };
    },
  );
}
