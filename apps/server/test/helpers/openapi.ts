import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// Reading the served OpenAPI document and checking values against its JSON Schemas (OpenAPI 3.1 schemas
// are JSON Schema 2020-12).

export type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  examples?: unknown[];
};

type OpenApiParameter = {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
};

export type OpenApiMedia = {
  schema: JsonSchema;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
};

type OpenApiResponse = {
  description?: string;
  headers?: Record<string, { schema: JsonSchema; description?: string }>;
  content?: Record<string, OpenApiMedia>;
};

export type OpenApiOperation = {
  security?: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, OpenApiMedia> };
  responses: Record<string, OpenApiResponse>;
};

export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
};

export async function fetchOpenApiDocument(baseUrl: string): Promise<OpenApiDocument> {
  const response = await fetch(`${baseUrl}/openapi.json`);
  if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
  return (await response.json()) as OpenApiDocument;
}

/** Every operation of the document, as [method (upper case), path, operation]. */
export function listOperations(document: OpenApiDocument): [string, string, OpenApiOperation][] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]): [string, string, OpenApiOperation] => [
      method.toUpperCase(),
      path,
      operation,
    ]),
  );
}

/**
 * Checks values against the document's schemas, each compiled once; answers the errors as text, or undefined
 * when the value matches.
 */
export function createSchemaChecker() {
  // OpenAPI's own keywords (example, xml...) sit beside JSON Schema's: not an error.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  const compiled = new WeakMap<object, ValidateFunction>();
  return (schema: JsonSchema, value: unknown): string | undefined => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(schema, validate);
    }
    if (validate(value)) return undefined;
    return ajv.errorsText(validate.errors, { separator: '; ' });
  };
}
