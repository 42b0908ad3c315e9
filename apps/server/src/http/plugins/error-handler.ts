import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, isStatementCancelled } from '../../db/connect.ts';
import { AppError, isAppError } from '../../errors/app-error.ts';
import { type ValidationDetail, validationErrors } from '../../errors/validation-error.ts';
import type { App } from '../app-types.ts';

const FASTIFY_CODES: Record<string, (error: FastifyError) => AppError> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new AppError('UNSUPPORTED_MEDIA_TYPE'),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new AppError('PAYLOAD_TOO_LARGE'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new AppError('VALIDATION_ERROR', { message: 'The request body is empty; send a JSON object' }),
  FST_ERR_CTP_INVALID_JSON_BODY: () =>
    new AppError('VALIDATION_ERROR', { message: 'The request body is not valid JSON' }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new AppError('VALIDATION_ERROR', { message: 'Content-Length does not match the body' }),
  FST_ERR_BAD_URL: () =>
    new AppError('VALIDATION_ERROR', {
      message: 'The URL is not valid: a path segment is badly percent-encoded',
    }),
  FST_ERR_MAX_PARAM_LENGTH: () =>
    new AppError('VALIDATION_ERROR', { message: 'The URL is not valid: a path parameter is too long' }),
};

/** Maps any error to the contract's envelope: our errors, then validation, then everything else as 500. */
export function toAppError(error: FastifyError | Error): AppError {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details: ValidationDetail[] = error.validation.map((issue) => ({
      // The provider reports the whole body as "/", which would read "body.".
      path: `${error.validationContext ?? 'body'}${issue.instancePath.replace(/^\/$/, '').replaceAll('/', '.')}`,
      message: issue.message,
    }));
    return validationErrors(details);
  }
  const code = 'code' in error ? error.code : undefined;
  const mapped = code ? FASTIFY_CODES[code] : undefined;
  if (mapped) return mapped(error as FastifyError);
  const status = 'statusCode' in error ? error.statusCode : undefined;
  // Body parsing failures (bad JSON, prototype poisoning) arrive as plain 400s from the parser.
  if (status === 400 && !isResponseSerializationError(error)) {
    const reason = error instanceof SyntaxError ? 'The request body is not valid JSON' : error.message;
    return new AppError('VALIDATION_ERROR', { message: reason });
  }
  // The static file servers (the API reference's assets, the dashboard's build) refuse a path that climbs out
  // of their folder with a 403: to a client that is a path nothing serves.
  if (status === 403 || status === 404) return new AppError('NOT_FOUND');
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (status === 503) return new AppError('SERVICE_UNAVAILABLE');
  if (isStatementCancelled(error)) {
    return new AppError('SERVICE_UNAVAILABLE', {
      message: 'The database took too long to answer; retry shortly',
      cause: error,
    });
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError('SERVICE_UNAVAILABLE', {
      message: 'The database cannot be reached right now; retry shortly',
      cause: error,
    });
  }
  return new AppError('INTERNAL_ERROR', { cause: error });
}

/** The 404 of a path no route serves, naming it. */
export function routeNotFound(request: FastifyRequest): AppError {
  return new AppError('NOT_FOUND', {
    message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
  });
}

export function registerErrorHandlers(app: App): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'unexpected error');
    else if (appError.status >= 500) request.log.warn({ code: appError.code }, appError.message);
    // A refusal that says when to retry (every 429) says it in the header too, as the contract requires.
    if (typeof appError.extra.retryAfter === 'number') reply.header('retry-after', appError.extra.retryAfter);
    return reply.code(appError.status).send(appError.toEnvelope());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = routeNotFound(request);
    return reply.code(error.status).send(error.toEnvelope());
  });
}
