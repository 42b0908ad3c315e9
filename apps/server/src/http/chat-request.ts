import type { FastifyRequest } from 'fastify';
import { validationError } from '../errors/validation-error.ts';
import type { ChatCaller } from '../features/chat/chat-caller.ts';
import type { MessageAddress } from '../features/chat/message-lookup.ts';
import { BEFORE_START, parseReplyPosition, type ReplyPosition } from '../features/chat/reply-events.ts';
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

export const NOT_AN_EVENT = 'is not the id of an event of this stream';

/** Which the client named its position with: the Last-Event-ID header, else `?after=`. */
export function resumeField(header: unknown): string {
  return typeof header === 'string' && header.length > 0 ? 'headers.last-event-id' : 'querystring.after';
}

/** Where the client stands: the Last-Event-ID header, else `?after=`, else before the start. */
export function readResumePosition(header: unknown, after: string | undefined): ReplyPosition {
  const id = typeof header === 'string' && header.length > 0 ? header : after;
  if (id === undefined) return BEFORE_START;
  const position = parseReplyPosition(id);
  if (position !== undefined) return position;
  throw validationError(resumeField(header), NOT_AN_EVENT);
}
