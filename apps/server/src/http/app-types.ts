import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

/** The Fastify instance routes register on: zod schemas validate, serialize and document each route. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The JSON Schema of a multipart/form-data body, for the OpenAPI document only: such a route reads and
     * checks its parts itself (zod validates JSON bodies).
     */
    multipartBody?: Record<string, unknown>;
  }
}
