import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RESPONSE_HEADERS, type ResponseHeaderName, type ResponseHeaders } from './route-schemas.ts';

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type JsonSchema = Record<string, unknown>;
type MediaResponse = { description?: string; content: Record<string, { schema: z.ZodType }> };

/** Echoed when well-formed (http/plugins/request-id.ts), replaced otherwise. */
const REQUEST_ID_HEADER = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9._:-]{1,128}$',
  description:
    'An id of the caller’s own for this request, echoed in X-Request-Id; any other value is replaced',
};

function isMediaResponse(response: unknown): response is MediaResponse {
  return !(response instanceof z.ZodType) && typeof response === 'object' && response !== null;
}

/** One zod response schema as the type provider writes it in the document. */
function toResponseJson(input: TransformInput, status: string, schema: z.ZodType): JsonSchema {
  const { schema: converted } = jsonSchemaTransform({ ...input, schema: { response: { [status]: schema } } });
  return (converted as { response: Record<string, JsonSchema> }).response[status] as JsonSchema;
}

function headersOf(names: readonly ResponseHeaderName[]): Record<string, JsonSchema> {
  return Object.fromEntries(names.map((name) => [name, { ...RESPONSE_HEADERS[name] }]));
}

/**
 * Route schema -> OpenAPI operation: the zod type provider's transform, plus what it cannot express. A
 * multipart/form-data body, a response with several media types (JSON, or an event stream), request headers
 * a route checks itself, and the response headers: X-Request-Id on every response, Retry-After on a 429, and
 * those the route lists.
 */
export function transformRouteSchema(input: TransformInput) {
  if (!input.schema || input.schema.hide) return jsonSchemaTransform(input);
  const { multipartBody, documentedHeaders, responseHeaders, response, ...schema } = input.schema;

  const zodResponses: Record<string, unknown> = {};
  const mediaResponses: Record<string, MediaResponse> = {};
  for (const [status, value] of Object.entries((response ?? {}) as Record<string, unknown>)) {
    if (isMediaResponse(value)) mediaResponses[status] = value;
    else zodResponses[status] = value;
  }
  const result = jsonSchemaTransform({
    ...input,
    schema: {
      ...schema,
      ...(response ? { response: zodResponses } : {}),
      ...(documentedHeaders ? { headers: documentedHeaders } : {}),
    },
  });
  const transformed = result.schema as JsonSchema & {
    headers?: JsonSchema & { properties?: JsonSchema };
    response?: Record<string, JsonSchema>;
  };
  if (multipartBody) transformed.body = multipartBody;

  transformed.headers = {
    type: 'object',
    ...transformed.headers,
    properties: { ...transformed.headers?.properties, 'X-Request-Id': REQUEST_ID_HEADER },
  };

  if (response) {
    const responses: Record<string, JsonSchema> = { ...transformed.response };
    for (const [status, media] of Object.entries(mediaResponses)) {
      responses[status] = {
        description: media.description,
        content: Object.fromEntries(
          Object.entries(media.content).map(([type, { schema: mediaSchema }]) => [
            type,
            { schema: toResponseJson(input, status, mediaSchema) },
          ]),
        ),
      };
    }
    const listed = (responseHeaders ?? {}) as ResponseHeaders & Record<string, ResponseHeaderName[]>;
    for (const [status, documented] of Object.entries(responses)) {
      const names: ResponseHeaderName[] = [
        'X-Request-Id',
        ...(status === '429' ? ['Retry-After' as const] : []),
      ];
      names.push(...(listed[status] ?? listed.default ?? []));
      responses[status] = { ...documented, headers: headersOf(names) };
    }
    transformed.response = responses;
  }
  return { ...result, schema: transformed };
}
