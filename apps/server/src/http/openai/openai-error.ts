import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.ts';
import type { ErrorCode } from '../../errors/catalog.ts';
import type { ValidationDetail } from '../../errors/validation-error.ts';
import type { App } from '../app-types.ts';
import { routeNotFound, toAppError } from '../plugins/error-handler.ts';

/** OpenAI's error object, as its SDKs read it: `{"error": {message, type, param, code}}`. */
export const openAiErrorSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});
export type OpenAiError = z.infer<typeof openAiErrorSchema>;

/**
 * How OpenAI's clients know each of our failures: its `type` and `code` (our code, lower-cased, where OpenAI has
 * no name for it), and the request field it is about. The status stays the catalog's, except where named.
 */
const OPENAI_NAMES: Partial<Record<ErrorCode, { type: string; code: string; param?: string }>> = {
  INVALID_API_KEY: { type: 'invalid_request_error', code: 'invalid_api_key' },
  CHATBOT_NOT_FOUND: { type: 'invalid_request_error', code: 'model_not_found', param: 'model' },
  CHATBOT_INACTIVE: { type: 'invalid_request_error', code: 'model_inactive', param: 'model' },
  RATE_LIMIT_EXCEEDED: { type: 'requests', code: 'rate_limit_exceeded' },
  // 402, not OpenAI's 429: the SDKs retry every 429, and more credits never arrive by waiting.
  INSUFFICIENT_CREDITS: { type: 'insufficient_quota', code: 'insufficient_quota' },
  CONVERSATION_NOT_FOUND: {
    type: 'invalid_request_error',
    code: 'conversation_not_found',
    param: 'X-PollyBot-Conversation-Id',
  },
  VALIDATION_ERROR: { type: 'invalid_request_error', code: 'invalid_value' },
  AI_PROVIDER_ERROR: { type: 'server_error', code: 'provider_error' },
  AI_PROVIDER_TIMEOUT: { type: 'server_error', code: 'provider_timeout' },
  NOT_FOUND: { type: 'invalid_request_error', code: 'unknown_url' },
};

/** A refused parameter's name as OpenAI writes it: `messages[0].content`, from our `body.messages.0.content`. */
function toParam(path: string): string {
  return path.replace(/^(body|headers|querystring|query|params)\.?/, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/** An AppError (a refusal of ours, a validation failure, a fault) as OpenAI's status and error object. */
export function toOpenAiError(error: AppError): { status: number; body: OpenAiError } {
  const names = OPENAI_NAMES[error.code];
  const details = error.extra.details as ValidationDetail[] | undefined;
  const param =
    typeof error.extra.param === 'string'
      ? error.extra.param
      : details?.[0]
        ? toParam(details[0].path)
        : (names?.param ?? null);
  const code =
    typeof error.extra.openAiCode === 'string'
      ? error.extra.openAiCode
      : (names?.code ?? error.code.toLowerCase());
  const type = names?.type ?? (error.status >= 500 ? 'server_error' : 'invalid_request_error');
  return { status: error.status, body: { error: { message: error.message, type, param, code } } };
}

/**
 * A request OpenAI would refuse with 400 for a parameter PollyBot does not honour: `code` is OpenAI's
 * `unsupported_parameter` (the parameter cannot be used) or `unsupported_value` (not with this value).
 */
export function unsupported(
  param: string,
  code: 'unsupported_parameter' | 'unsupported_value' | 'invalid_value',
  message: string,
): AppError {
  return new AppError('VALIDATION_ERROR', { message, extra: { param, openAiCode: code } });
}

/** OpenAI's 404 for a model the key cannot use: here a chatbot unknown to the key's workspace, or inactive. */
export function modelNotFound(model: string): AppError {
  return new AppError('CHATBOT_NOT_FOUND', {
    message:
      `The model '${model}' does not exist or you do not have access to it. ` +
      'A model is the id of one of your chatbots (active, in the key’s workspace): GET /api/openai/v1/models lists them.',
  });
}

/** The scope's error and not-found handlers: every failure under the prefix in OpenAI's shape. */
export function registerOpenAiErrorHandlers(scope: App): void {
  scope.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'unexpected error');
    else if (appError.status >= 500) request.log.warn({ code: appError.code }, appError.message);
    if (typeof appError.extra.retryAfter === 'number') reply.header('retry-after', appError.extra.retryAfter);
    const { status, body } = toOpenAiError(appError);
    return reply.code(status).send(body);
  });
  scope.setNotFoundHandler((request, reply) => {
    const { status, body } = toOpenAiError(routeNotFound(request));
    return reply.code(status).send(body);
  });
}
