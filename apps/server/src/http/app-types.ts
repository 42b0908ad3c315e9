import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { ResponseHeaders } from './route-schemas.ts';

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
    /**
     * Request headers the route reads and checks itself (so that its checks run in the contract's order), for
     * the OpenAPI document only.
     */
    documentedHeaders?: z.ZodObject;
    /** The headers the route's responses carry beyond X-Request-Id (every response) and Retry-After (a 429). */
    responseHeaders?: ResponseHeaders;
  }
}
