import type { FastifyRequest } from 'fastify';
import { validationError } from '../errors/validation-error.ts';
import type { ChatCaller } from '../features/chat/chat-caller.ts';
import type { MessageAddress } from '../features/chat/message-lookup.ts';
import type { MessageParams } from './route-schemas.ts';
import { idempotencyKeySchema } from './route-schemas.ts';

/** The chat pipeline's caller for a request the authentication hook let in: its API key, or its session. */
export function readChatCaller(request: FastifyRequest): ChatCaller {
  const { workspaceId, apiKeyId, userId } = request;
  if (apiKeyId !== undefined) return { kind: 'workspace-key', workspaceId, apiKeyId };
  if (userId !== undefined) return { kind: 'session', workspaceId, userId };
  throw new Error('readChatCaller needs a request the authentication hook let in');
}

/** The request's Idempotency-Key; undefined without one; VALIDATION_ERROR for a malformed one. */
export function readIdempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value === 'string' && idempotencyKeySchema.safeParse(value).success) return value;
  throw validationError('headers.idempotency-key', 'must be 1 to 255 printable ASCII characters');
}

/** The message a route's path names. */
export function toMessageAddress(params: MessageParams): MessageAddress {
  return { chatbotId: params.id, conversationId: params.conversationId, messageId: params.messageId };
}
