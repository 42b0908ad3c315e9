import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSchemaChecker,
  type JsonSchema as DocumentSchema,
  fetchOpenApiDocument,
  listOperations,
  type OpenApiMedia,
} from '../helpers/openapi.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

type Operation = { responses: Record<string, { description?: string; content?: Record<string, unknown> }> };
type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
};

/** Routes as "METHOD /path/{}", parameters anonymised, so the app's and the document's spellings compare. */
const routeKey = (method: string, path: string) =>
  `${method.toUpperCase()} ${path.replace(/:[A-Za-z0-9_]+|\{[^}]+\}/g, '{}')}`;

let server: TestServer;
const registered = new Set<string>();

beforeAll(async () => {
  // Fastify announces each new instance on this channel before any plugin runs, so an onRoute hook
  // added here sees every route the app registers, in every encapsulated scope.
  const onInstance = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) registered.add(routeKey(method, route.url));
    });
  };
  subscribe('fastify.initialization', onInstance);
  try {
    // OpenAI configured, as on a server the examples are written for; nothing here calls it (port 9 is closed).
    server = await startTestServer({
      POLLYBOT_ADMIN_TOKEN: 'operator-token-0123456789abcdef',
      OPENAI_API_KEY: 'sk-upstream-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });
  } finally {
    unsubscribe('fastify.initialization', onInstance);
  }
});

afterAll(async () => {
  await server.close();
});

async function readDocument(): Promise<OpenApiDocument> {
  const response = await fetch(`${server.baseUrl}/openapi.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/json');
  return (await response.json()) as OpenApiDocument;
}

function documentedRoutes(document: OpenApiDocument): Map<string, Operation> {
  const routes = new Map<string, Operation>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations))
      routes.set(routeKey(method, path), operation);
  }
  return routes;
}

const API_KEY_ROUTE: [number, string][] = [
  [400, 'VALIDATION_ERROR'],
  [401, 'INVALID_API_KEY'],
  [413, 'PAYLOAD_TOO_LARGE'],
  [415, 'UNSUPPORTED_MEDIA_TYPE'],
  [500, 'INTERNAL_ERROR'],
  [503, 'SERVICE_UNAVAILABLE'],
];
/** A change made with the session cookie needs the session's X-CSRF-Token as well. */
const CHANGE_ROUTE: [number, string][] = [...API_KEY_ROUTE, [403, 'CSRF_TOKEN_INVALID']];
const ADMIN_ROUTE: [number, string][] = [
  ...API_KEY_ROUTE.filter(([, code]) => code !== 'INVALID_API_KEY'),
  [401, 'INVALID_ADMIN_TOKEN'],
];
/** Signing in: no credentials needed. */
const AUTH_ROUTE: [number, string][] = API_KEY_ROUTE.filter(([, code]) => code !== 'INVALID_API_KEY');
/** The widget API behind a visitor session. */
const VISITOR_ROUTE: [number, string][] = [
  ...AUTH_ROUTE,
  [401, 'VISITOR_SESSION_INVALID'],
  [403, 'ORIGIN_NOT_ALLOWED'],
];

/** The OpenAI-compatible routes: OpenAI's codes for the same failures. */
const OPENAI_ROUTE: [number, string][] = [
  [400, 'invalid_value'],
  [401, 'invalid_api_key'],
  [413, 'payload_too_large'],
  [415, 'unsupported_media_type'],
  [500, 'internal_error'],
  [503, 'service_unavailable'],
];

/** Every failure each route can answer, as the contract (sections 3, 6 and 7) and docs/dashboard-api.md list them. */
const EXPECTED_ERRORS: Record<string, [number, string][]> = {
  'GET /api/v1/workspace': API_KEY_ROUTE,
  'POST /api/v1/api-keys': CHANGE_ROUTE,
  'GET /api/v1/api-keys': API_KEY_ROUTE,
  'DELETE /api/v1/api-keys/{}': [...CHANGE_ROUTE, [404, 'API_KEY_NOT_FOUND']],
  'POST /api/v1/chatbots': CHANGE_ROUTE,
  'GET /api/v1/chatbots': API_KEY_ROUTE,
  'GET /api/v1/chatbots/{}': [...API_KEY_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'PATCH /api/v1/chatbots/{}': [...CHANGE_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'DELETE /api/v1/chatbots/{}': [...CHANGE_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'POST /api/v1/chatbots/{}/chat': [
    ...CHANGE_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [403, 'CHATBOT_INACTIVE'],
    [429, 'RATE_LIMIT_EXCEEDED'],
    [404, 'CONVERSATION_NOT_FOUND'],
    [402, 'INSUFFICIENT_CREDITS'],
    [422, 'IDEMPOTENCY_KEY_REUSED'],
    [502, 'AI_PROVIDER_ERROR'],
    [504, 'AI_PROVIDER_TIMEOUT'],
  ],
  'GET /api/v1/chatbots/{}/conversations': [...API_KEY_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  // The OpenAI-compatible door answers OpenAI's error object, named by OpenAI's codes (docs/openai-compatible.md).
  'GET /api/openai/v1/models': OPENAI_ROUTE,
  'GET /api/openai/v1/models/{}': [...OPENAI_ROUTE, [404, 'model_not_found']],
  'POST /api/openai/v1/chat/completions': [
    ...OPENAI_ROUTE,
    [400, 'unsupported_parameter'],
    [400, 'unsupported_value'],
    [402, 'insufficient_quota'],
    [403, 'model_inactive'],
    [404, 'model_not_found'],
    [404, 'conversation_not_found'],
    [429, 'rate_limit_exceeded'],
    [502, 'provider_error'],
    [504, 'provider_timeout'],
  ],
  'GET /api/v1/chatbots/{}/conversations/{}': [
    ...API_KEY_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [404, 'CONVERSATION_NOT_FOUND'],
  ],
  'DELETE /api/v1/chatbots/{}/conversations/{}': [
    ...CHANGE_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [404, 'CONVERSATION_NOT_FOUND'],
  ],
  'GET /api/v1/chatbots/{}/conversations/{}/messages/{}': [
    ...API_KEY_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [404, 'CONVERSATION_NOT_FOUND'],
    [404, 'MESSAGE_NOT_FOUND'],
  ],
  'GET /api/v1/chatbots/{}/conversations/{}/messages/{}/stream': [
    ...API_KEY_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [404, 'CONVERSATION_NOT_FOUND'],
    [404, 'MESSAGE_NOT_FOUND'],
  ],
  'POST /api/v1/chatbots/{}/conversations/{}/messages/{}/cancel': [
    ...CHANGE_ROUTE,
    [404, 'CONVERSATION_NOT_FOUND'],
    [404, 'MESSAGE_NOT_FOUND'],
    [409, 'MESSAGE_NOT_GENERATING'],
  ],
  'POST /api/v1/chatbots/{}/knowledge': [...CHANGE_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'POST /api/v1/chatbots/{}/knowledge/files': [...CHANGE_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'GET /api/v1/chatbots/{}/knowledge': [...API_KEY_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'GET /api/v1/chatbots/{}/knowledge/{}': [
    ...API_KEY_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [404, 'KNOWLEDGE_SOURCE_NOT_FOUND'],
  ],
  'DELETE /api/v1/chatbots/{}/knowledge/{}': [
    ...CHANGE_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [404, 'KNOWLEDGE_SOURCE_NOT_FOUND'],
  ],
  'POST /api/v1/chatbots/{}/knowledge/{}/resync': [
    ...CHANGE_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [404, 'KNOWLEDGE_SOURCE_NOT_FOUND'],
  ],
  'GET /api/v1/models': API_KEY_ROUTE,
  'GET /api/v1/conversations': API_KEY_ROUTE,
  'GET /api/v1/usage': API_KEY_ROUTE,
  'GET /api/v1/credits/ledger': API_KEY_ROUTE,
  'GET /api/v1/members': [...API_KEY_ROUTE, [403, 'FORBIDDEN']],
  'POST /api/v1/invitations': [...CHANGE_ROUTE, [403, 'FORBIDDEN']],
  'GET /api/v1/invitations': [...API_KEY_ROUTE, [403, 'FORBIDDEN']],
  'DELETE /api/v1/invitations/{}': [...CHANGE_ROUTE, [403, 'FORBIDDEN'], [404, 'INVITATION_NOT_FOUND']],
  'DELETE /api/v1/members/{}': [...CHANGE_ROUTE, [403, 'FORBIDDEN'], [404, 'MEMBER_NOT_FOUND']],
  'POST /api/v1/chatbots/{}/publishable-keys': [
    ...CHANGE_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [409, 'PUBLISHABLE_KEY_LIMIT_REACHED'],
  ],
  'GET /api/v1/chatbots/{}/publishable-keys': [...API_KEY_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'PATCH /api/v1/chatbots/{}/publishable-keys/{}': [
    ...CHANGE_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [404, 'PUBLISHABLE_KEY_NOT_FOUND'],
  ],
  'DELETE /api/v1/chatbots/{}/publishable-keys/{}': [
    ...CHANGE_ROUTE,
    [404, 'CHATBOT_NOT_FOUND'],
    [404, 'PUBLISHABLE_KEY_NOT_FOUND'],
  ],
  'GET /api/v1/chatbots/{}/widget': [...API_KEY_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'PUT /api/v1/chatbots/{}/widget': [...CHANGE_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'POST /api/v1/chatbots/{}/widget/identity-secret': [...CHANGE_ROUTE, [404, 'CHATBOT_NOT_FOUND']],
  'GET /api/widget/v1/config': [...AUTH_ROUTE, [401, 'PUBLISHABLE_KEY_INVALID'], [403, 'ORIGIN_NOT_ALLOWED']],
  'POST /api/widget/v1/sessions': [
    ...AUTH_ROUTE,
    [401, 'PUBLISHABLE_KEY_INVALID'],
    [403, 'ORIGIN_NOT_ALLOWED'],
    [403, 'CHATBOT_INACTIVE'],
    [401, 'IDENTITY_REQUIRED'],
    [401, 'IDENTITY_INVALID'],
    [401, 'IDENTITY_EXPIRED'],
    [401, 'IDENTITY_WRONG_CHATBOT'],
    [429, 'WIDGET_LIMIT_EXCEEDED'],
  ],
  'POST /api/widget/v1/chat': [
    ...VISITOR_ROUTE,
    [429, 'WIDGET_LIMIT_EXCEEDED'],
    [429, 'RATE_LIMIT_EXCEEDED'],
    [403, 'CHATBOT_INACTIVE'],
    [404, 'CONVERSATION_NOT_FOUND'],
    [402, 'INSUFFICIENT_CREDITS'],
    [502, 'AI_PROVIDER_ERROR'],
    [504, 'AI_PROVIDER_TIMEOUT'],
  ],
  'GET /api/widget/v1/conversations': VISITOR_ROUTE,
  'GET /api/widget/v1/conversations/{}': [...VISITOR_ROUTE, [404, 'CONVERSATION_NOT_FOUND']],
  'GET /api/widget/v1/messages/{}/stream': [...VISITOR_ROUTE, [404, 'MESSAGE_NOT_FOUND']],
  'POST /api/widget/v1/messages/{}/feedback': [...VISITOR_ROUTE, [404, 'MESSAGE_NOT_FOUND']],
  'GET /api/auth/state': AUTH_ROUTE,
  'POST /api/auth/setup': [...AUTH_ROUTE, [409, 'SETUP_ALREADY_DONE'], [401, 'SETUP_TOKEN_INVALID']],
  'POST /api/auth/login': [...AUTH_ROUTE, [401, 'INVALID_CREDENTIALS'], [429, 'RATE_LIMIT_EXCEEDED']],
  'POST /api/auth/logout': [...AUTH_ROUTE, [403, 'CSRF_TOKEN_INVALID']],
  'GET /api/auth/session': [...AUTH_ROUTE, [401, 'NOT_AUTHENTICATED']],
  'POST /api/auth/password': [
    ...AUTH_ROUTE,
    [401, 'NOT_AUTHENTICATED'],
    [403, 'CSRF_TOKEN_INVALID'],
    [429, 'RATE_LIMIT_EXCEEDED'],
  ],
  'POST /api/auth/invitations/preview': [...AUTH_ROUTE, [404, 'INVITATION_NOT_FOUND']],
  'POST /api/auth/invitations/accept': [
    ...AUTH_ROUTE,
    [404, 'INVITATION_NOT_FOUND'],
    [401, 'SIGN_IN_REQUIRED'],
    [401, 'INVALID_CREDENTIALS'],
    [429, 'RATE_LIMIT_EXCEEDED'],
    [409, 'WORKSPACE_HAS_OWNER'],
  ],
  'POST /api/admin/workspaces': ADMIN_ROUTE,
  'GET /api/admin/workspaces': ADMIN_ROUTE,
  'POST /api/admin/workspaces/{}/credits': [...ADMIN_ROUTE, [404, 'WORKSPACE_NOT_FOUND']],
  'POST /api/admin/users/password': [...ADMIN_ROUTE, [404, 'USER_NOT_FOUND']],
  'POST /api/admin/workspaces/{}/invitations': [
    ...ADMIN_ROUTE,
    [404, 'WORKSPACE_NOT_FOUND'],
    [409, 'WORKSPACE_HAS_OWNER'],
  ],
};

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document describing the PollyBot API', async () => {
    const document = await readDocument();

    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it('documents every route the app registers, and no route it does not', async () => {
    const document = await readDocument();
    // HEAD mirrors GET; the reference UI, the document itself and the dashboard's files are not part of the API.
    const served = [...registered].filter(
      (route) =>
        !route.startsWith('HEAD ') &&
        !/^\w+ \/docs(\/|$)/.test(route) &&
        route !== 'GET /openapi.json' &&
        route !== 'GET /*' &&
        // The widget's files and frame, and the widget API's CORS preflights.
        !/^GET \/widget(\.js$|\/)/.test(route) &&
        route !== 'OPTIONS /api/widget/v1/*',
    );

    expect(served.length).toBeGreaterThanOrEqual(18);
    expect([...documentedRoutes(document).keys()].sort()).toEqual(served.sort());
  });

  it('documents, for every API route, each error it can answer under its status', async () => {
    const routes = documentedRoutes(await readDocument());

    expect([...routes.keys()].filter((route) => route.includes(' /api/')).sort()).toEqual(
      Object.keys(EXPECTED_ERRORS).sort(),
    );
    for (const [route, errors] of Object.entries(EXPECTED_ERRORS)) {
      const responses = routes.get(route)?.responses ?? {};
      for (const [status, code] of errors) {
        expect(responses[status], `${route} documents ${status}`).toBeDefined();
        expect(responses[status]?.description, `${route} ${status} names ${code}`).toContain(code);
      }
    }
  });

  it('documents the chat route’s 401, 402, 403, 404, 429, 502, 504, 400, 413, 415 and 500', async () => {
    const routes = documentedRoutes(await readDocument());

    const statuses = Object.keys(routes.get('POST /api/v1/chatbots/{}/chat')?.responses ?? {});

    expect(statuses).toEqual(
      expect.arrayContaining([
        '200',
        '401',
        '402',
        '403',
        '404',
        '429',
        '502',
        '504',
        '400',
        '413',
        '415',
        '500',
      ]),
    );
  });

  it('gives every error response the failure envelope {success: false, error, code}', async () => {
    const routes = documentedRoutes(await readDocument());

    for (const [route, operation] of routes) {
      const successes = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
      expect(successes.length, `${route} documents its success`).toBeGreaterThan(0);
      if (!route.includes(' /api/')) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const schema = (response.content?.['application/json'] as { schema?: Record<string, unknown> })
          ?.schema;
        if (route.includes(' /api/openai/')) {
          // OpenAI's error object, as its clients read it.
          expect(schema, `${route} ${status}`).toMatchObject({
            type: 'object',
            properties: {
              error: {
                type: 'object',
                properties: { message: { type: 'string' }, type: { type: 'string' } },
                required: expect.arrayContaining(['message', 'type', 'param', 'code']),
              },
            },
            required: ['error'],
          });
          continue;
        }
        expect(schema, `${route} ${status}`).toMatchObject({
          type: 'object',
          properties: { success: { enum: [false] }, error: { type: 'string' }, code: { type: 'string' } },
          required: expect.arrayContaining(['success', 'error', 'code']),
        });
      }
    }
  });

  it('documents readiness turning 503 while the server drains or its database is down', async () => {
    const routes = documentedRoutes(await readDocument());

    expect(Object.keys(routes.get('GET /readyz')?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '503']),
    );
    expect(Object.keys(routes.get('GET /healthz')?.responses ?? {})).toContain('200');
  });

  it('marks API routes with their scheme: workspace key or session cookie, session alone, operator token, key alone', async () => {
    const document = (await readDocument()) as OpenApiDocument & {
      components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
    };

    expect(document.components.securitySchemes).toMatchObject({
      apiKey: { type: 'http', scheme: 'bearer' },
      session: { type: 'apiKey', in: 'cookie', name: 'pollybot_session' },
      adminToken: { type: 'http', scheme: 'bearer' },
    });
    const forPeople = new Set([
      '/api/v1/members',
      '/api/v1/members/{userId}',
      '/api/v1/invitations',
      '/api/v1/invitations/{invitationId}',
    ]);
    const signingIn = new Set(['/api/auth/state', '/api/auth/setup', '/api/auth/login', '/api/auth/logout']);
    // The widget's public API: a publishable key in the query or body, then a visitor session's bearer token.
    const withPublishableKey = new Set(['/api/widget/v1/config', '/api/widget/v1/sessions']);
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.startsWith('/api/')) continue;
      const expected = withPublishableKey.has(path)
        ? undefined
        : path.startsWith('/api/widget/')
          ? [{ visitorSession: [] }]
          : path.startsWith('/api/admin/')
            ? [{ adminToken: [] }]
            : path.startsWith('/api/openai/')
              ? [{ apiKey: [] }]
              : forPeople.has(path) || path === '/api/auth/session' || path === '/api/auth/password'
                ? [{ session: [] }]
                : signingIn.has(path) || path.startsWith('/api/auth/')
                  ? undefined
                  : [{ apiKey: [] }, { session: [] }];
      for (const operation of Object.values(operations)) expect(operation.security, path).toEqual(expected);
    }
  });
});

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema> };
type Parameter = { name: string; in: string; required?: boolean; schema: JsonSchema; example?: unknown };
type DocumentedOperation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema; example?: unknown }> };
  responses: Record<
    string,
    {
      description?: string;
      headers?: Record<string, { schema: JsonSchema; description?: string }>;
      content?: Record<string, { schema: JsonSchema }>;
    }
  >;
};

async function readOperation(method: string, path: string): Promise<DocumentedOperation> {
  const document = await readDocument();
  const operation = document.paths[path]?.[method] as DocumentedOperation | undefined;
  if (!operation) throw new Error(`${method} ${path} is not documented`);
  return operation;
}

const CHAT_PATH = '/api/v1/chatbots/{chatbotId}/chat';
const STREAM_PATH = '/api/v1/chatbots/{id}/conversations/{conversationId}/messages/{messageId}/stream';

/** The event names an event-stream schema allows, one per alternative. */
function eventNames(schema: JsonSchema | undefined): unknown[] {
  const alternatives = (schema?.oneOf ?? schema?.anyOf ?? []) as JsonSchema[];
  return alternatives.map((alternative) => (alternative.properties?.event?.enum as unknown[])?.[0]);
}

describe('GET /openapi.json, streams and headers', () => {
  it('documents the chat reply both as JSON and as a text/event-stream of start, delta, done and error events', async () => {
    const operation = await readOperation('post', CHAT_PATH);
    const content = operation.responses['200']?.content ?? {};

    expect(Object.keys(content).sort()).toEqual(['application/json', 'text/event-stream']);
    expect(content['application/json']?.schema).toMatchObject({
      properties: { success: { enum: [true] }, data: { required: expect.arrayContaining(['response']) } },
    });
    const events = content['text/event-stream']?.schema;
    expect(eventNames(events)).toEqual(['start', 'delta', 'done', 'error']);
    for (const alternative of (events?.oneOf ?? []) as JsonSchema[]) {
      expect(alternative.required).toEqual(['id', 'event', 'data']);
      expect(alternative.properties?.id).toMatchObject({ pattern: '^\\d{1,9}(-end)?$' });
    }
  });

  it('documents the resume route’s 200 as the same event stream, and its Last-Event-ID header', async () => {
    const chat = await readOperation('post', CHAT_PATH);
    const operation = await readOperation('get', STREAM_PATH);

    expect(Object.keys(operation.responses['200']?.content ?? {})).toEqual(['text/event-stream']);
    expect(operation.responses['200']?.content?.['text/event-stream']?.schema).toEqual(
      chat.responses['200']?.content?.['text/event-stream']?.schema,
    );
    expect(operation.parameters).toContainEqual(
      expect.objectContaining({
        in: 'header',
        name: 'Last-Event-ID',
        required: false,
        schema: expect.objectContaining({ pattern: '^\\d{1,9}(-end)?$' }),
      }),
    );
  });

  it('documents the chat route’s Idempotency-Key header with its length and characters', async () => {
    const operation = await readOperation('post', CHAT_PATH);
    const header = operation.parameters?.find((parameter) => parameter.name === 'Idempotency-Key');

    expect(header).toMatchObject({ in: 'header', required: false });
    expect(JSON.stringify(header?.schema)).toContain('^[\\\\x20-\\\\x7e]{1,255}$');
  });

  it('documents X-Request-Id on every response of every operation, and Retry-After on every 429', async () => {
    const document = await readDocument();

    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations) as [string, DocumentedOperation][]) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const where = `${method.toUpperCase()} ${path} ${status}`;
          expect(response.headers?.['X-Request-Id'], where).toMatchObject({ schema: { type: 'string' } });
          if (status === '429') {
            expect(response.headers?.['Retry-After'], where).toMatchObject({
              schema: { type: 'integer', minimum: 1 },
            });
          }
        }
        expect(
          (operation.parameters ?? []).some(
            ({ name, in: where }) => name === 'X-Request-Id' && where === 'header',
          ),
          `${method} ${path} takes X-Request-Id`,
        ).toBe(true);
      }
    }
  });

  it('documents the chat route’s rate-limit and credit headers on its replies and refusals', async () => {
    const { responses } = await readOperation('post', CHAT_PATH);
    const headers = [
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'X-Credits-Remaining',
    ];

    for (const status of ['200', '402', '429']) {
      expect(Object.keys(responses[status]?.headers ?? {}), status).toEqual(expect.arrayContaining(headers));
    }
    expect(Object.keys(responses['200']?.headers ?? {})).toContain('Idempotent-Replayed');
    expect(Object.keys(responses['401']?.headers ?? {})).toEqual(['X-Request-Id']);
  });
});

describe('GET /openapi.json, limits and examples', () => {
  const bodyOf = (operation: DocumentedOperation) =>
    operation.requestBody?.content['application/json']?.schema as JsonSchema;

  it('shows the limits zod enforces: name and message lengths, URL and e-mail formats', async () => {
    const chatbot = bodyOf(await readOperation('post', '/api/v1/chatbots'));
    const chat = bodyOf(await readOperation('post', CHAT_PATH));
    const setup = bodyOf(await readOperation('post', '/api/auth/setup'));
    const knowledge = bodyOf(await readOperation('post', '/api/v1/chatbots/{id}/knowledge'));
    const apiKey = bodyOf(await readOperation('post', '/api/v1/api-keys'));

    expect(chatbot.properties?.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(chatbot.properties?.instructions).toMatchObject({ maxLength: 32_000 });
    expect(apiKey.properties?.name).toMatchObject({ minLength: 1, maxLength: 200 });
    expect(chat.properties?.message).toMatchObject({ type: 'string', maxLength: 32_000, pattern: '\\S' });
    expect(setup.properties?.email).toMatchObject({ format: 'email', maxLength: 254 });
    expect(setup.properties?.name).toMatchObject({ minLength: 1, maxLength: 200 });
    expect(setup.properties?.password).toMatchObject({ minLength: 10, maxLength: 1024 });
    const kinds = (knowledge.oneOf ?? knowledge.anyOf) as JsonSchema[];
    const url = kinds.find((kind) => kind.properties?.kind?.const === 'url' || kind.properties?.url);
    expect(url?.properties?.url).toMatchObject({ type: 'string', format: 'uri', maxLength: 2_000 });
    const text = kinds.find((kind) => kind.properties?.content);
    expect(text?.properties?.content).toMatchObject({ maxLength: 500_000, pattern: '\\S' });
  });

  it('gives the create-chatbot body a realistic example: a real model, 1024 tokens, 60 requests a minute', async () => {
    const operation = await readOperation('post', '/api/v1/chatbots');
    const media = operation.requestBody?.content['application/json'];

    expect(media?.example).toMatchObject({
      model: 'openai/gpt-4o-mini',
      maxTokens: 1024,
      rateLimit: { requests: 60, windowSeconds: 60 },
    });
    expect(bodyOf(operation).properties?.model?.examples).toEqual(['openai/gpt-4o-mini']);
    expect(bodyOf(operation).properties?.rateLimit?.examples).toEqual([{ requests: 60, windowSeconds: 60 }]);
  });
});

/** Every schema inside `schema` (itself included), with where it sits. */
function* walkSchemas(schema: unknown, where: string): Generator<[DocumentSchema, string]> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  const node = schema as DocumentSchema;
  yield [node, where];
  for (const [name, inner] of Object.entries(node.properties ?? {}))
    yield* walkSchemas(inner, `${where}.${name}`);
  for (const key of ['items', 'additionalProperties', 'not', 'contains', 'propertyNames'] as const)
    yield* walkSchemas(node[key], `${where}/${key}`);
  for (const key of ['oneOf', 'anyOf', 'allOf', 'prefixItems'] as const) {
    for (const [index, inner] of ((node[key] as unknown[] | undefined) ?? []).entries())
      yield* walkSchemas(inner, `${where}/${key}/${index}`);
  }
}

/** The examples a media object or a parameter gives: `example`, and the values of `examples`. */
function examplesOf(holder: Pick<OpenApiMedia, 'example' | 'examples'>): unknown[] {
  return [
    ...('example' in holder ? [holder.example] : []),
    ...Object.values(holder.examples ?? {}).map((example) => example.value),
  ];
}

describe('GET /openapi.json, every example', () => {
  it('matches its own schema: request bodies, responses, parameters and every schema inside them', async () => {
    const document = await fetchOpenApiDocument(server.baseUrl);
    const check = createSchemaChecker();
    const checked: string[] = [];
    const failures: string[] = [];
    const expectValid = (schema: DocumentSchema, value: unknown, where: string) => {
      checked.push(where);
      const errors = check(schema, value);
      if (errors) failures.push(`${where}: ${errors} in ${JSON.stringify(value)}`);
    };
    const checkSchemaTree = (root: DocumentSchema, where: string) => {
      for (const [schema, at] of walkSchemas(root, where)) {
        for (const [index, example] of (schema.examples ?? []).entries())
          expectValid(schema, example, `${at} examples[${index}]`);
        if ('example' in schema) expectValid(schema, schema.example, `${at} example`);
      }
    };
    const checkMedia = (content: Record<string, OpenApiMedia> | undefined, where: string) => {
      for (const [type, media] of Object.entries(content ?? {})) {
        for (const example of examplesOf(media))
          expectValid(media.schema, example, `${where} ${type} example`);
        checkSchemaTree(media.schema, `${where} ${type}`);
      }
    };

    for (const [method, path, operation] of listOperations(document)) {
      const where = `${method} ${path}`;
      for (const parameter of operation.parameters ?? []) {
        const at = `${where} ${parameter.in} ${parameter.name}`;
        for (const example of examplesOf(parameter)) expectValid(parameter.schema, example, `${at} example`);
        checkSchemaTree(parameter.schema, at);
      }
      checkMedia(operation.requestBody?.content, `${where} body`);
      for (const [status, response] of Object.entries(operation.responses))
        checkMedia(response.content, `${where} ${status}`);
    }

    expect(failures).toEqual([]);
    // The examples are there to be checked: every JSON request body has one, and so do the stream's events.
    for (const [method, path, operation] of listOperations(document)) {
      const json = operation.requestBody?.content['application/json'];
      if (json) expect(examplesOf(json).length, `${method} ${path} body example`).toBeGreaterThan(0);
    }
    expect(checked.filter((where) => where.includes('text/event-stream')).length).toBeGreaterThanOrEqual(3);
    expect(checked.length).toBeGreaterThan(40);
  });

  it('answers the create-chatbot example with 201, the chatbot it describes', async () => {
    const document = await fetchOpenApiDocument(server.baseUrl);
    const example =
      document.paths['/api/v1/chatbots']?.post?.requestBody?.content['application/json']?.example;
    const { apiKey } = await server.createWorkspace();

    const response = await server.api(apiKey).post('/api/v1/chatbots', example);

    expect(response.status, response.text).toBe(201);
    expect(response.body.data).toMatchObject(example as Record<string, unknown>);
  });
});

describe('GET /docs', () => {
  it('serves the API reference as HTML whose scripts and styles all come from this server', async () => {
    const response = await fetch(`${server.baseUrl}/docs`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const assets = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map(
      (match) => match[1] as string,
    );
    expect(assets.filter((asset) => asset.endsWith('.js')).length).toBeGreaterThan(0);
    expect(assets.filter((asset) => asset.endsWith('.css')).length).toBeGreaterThan(0);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    for (const asset of assets) {
      const url = new URL(asset, response.url);
      expect(url.origin).toBe(server.baseUrl);
      const served = await fetch(url);
      expect(served.status, asset).toBe(200);
      expect((await served.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
  });

  it('points the reference UI at this server’s document and at no outside validator', async () => {
    const initializer = await fetch(`${server.baseUrl}/docs/static/swagger-initializer.js`);
    const script = await initializer.text();
    const uiDocument = await fetch(`${server.baseUrl}/docs/json`);

    expect(initializer.status).toBe(200);
    expect(script).toMatch(/validatorUrl:\s*null/);
    expect(uiDocument.status).toBe(200);
    expect(await uiDocument.json()).toEqual(await readDocument());
  });

  it('documents the knowledge upload as a multipart/form-data body with a required file part', async () => {
    const document = await readDocument();
    const operation = document.paths['/api/v1/chatbots/{id}/knowledge/files']?.post as
      | { requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> } }
      | undefined;

    const form = operation?.requestBody?.content?.['multipart/form-data']?.schema;
    expect(form).toMatchObject({
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' }, title: { type: 'string' } },
    });
    expect(Object.keys(operation?.requestBody?.content ?? {})).toEqual(['multipart/form-data']);
  });
});
