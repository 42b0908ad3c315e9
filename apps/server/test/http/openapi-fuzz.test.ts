import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import {
  createSchemaChecker,
  fetchOpenApiDocument,
  listOperations,
  type OpenApiDocument,
  type OpenApiOperation,
} from '../helpers/openapi.ts';
import { findAnswerProblems, sendVerbatim } from '../helpers/openapi-answers.ts';
import {
  headerText,
  jsonBodyArbitrary,
  multipartArbitrary,
  ODD_HEADERS,
  ODD_PATH_SEGMENTS,
  ODD_QUERY_VALUES,
} from '../helpers/request-arbitraries.ts';
import { arbitraryFromSchema, type Hints } from '../helpers/schema-arbitraries.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/test-server.ts';

// A bounded, seeded property-based test over every operation /openapi.json documents: requests that follow
// the schemas and requests that break them, sent over real HTTP to the app on a real database. Every answer
// must be a status the operation documents, never 500, with a body (JSON, or each event of a stream) that
// matches the documented schema for that status, and X-Request-Id. The seed is fixed; FUZZ_SEED and FUZZ_RUNS
// explore other inputs by hand.
const SEED = Number(process.env.FUZZ_SEED ?? 1_307);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 24);
const ADMIN_TOKEN = 'operator-token-0123456789abcdef';

let fake: FakeOpenAi;
let server: TestServer;
let document: OpenApiDocument;

/** What the generated requests draw on: ids that exist, credentials, and things that may be used up. */
const fixtures = {
  apiKey: '',
  session: { cookie: '', csrfToken: '' },
  ownerId: '',
  ownerEmail: '',
  chatbotId: '',
  conversationId: '',
  replyId: '',
  userMessageId: '',
  sourceId: '',
  workspaceId: '',
  otherWorkspaceId: '',
  victims: {
    chatbots: [] as string[],
    apiKeys: [] as string[],
    conversations: [] as string[],
    sources: [] as string[],
    members: [] as string[],
    invitations: [] as string[],
  },
};

beforeAll(async () => {
  fake = await startFakeOpenAi();
  // Every provider points at loopback: the fake OpenAI, and closed ports for the others.
  server = await startTestServer({
    POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
    OPENAI_API_KEY: 'sk-upstream-test',
    OPENAI_BASE_URL: fake.baseUrl,
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    OLLAMA_BASE_URL: 'http://127.0.0.1:9',
  });
  const { workspaceId, apiKey } = await server.createWorkspace(1_000_000, 'Fuzzed workspace');
  const other = await server.createWorkspace(10, 'Other workspace');
  const owner = await server.createUser(workspaceId, 'owner');
  const session = await server.signIn(owner.userId, workspaceId);
  const api = server.api(apiKey);
  const chatbot = await server.createChatbot(apiKey, {
    model: 'openai/gpt-4o-mini',
    rateLimit: { requests: 1_000_000, windowSeconds: 60 },
  });
  const chat = async () => {
    const response = await api.post(`/api/v1/chatbots/${chatbot.id}/chat`, {
      message: 'Hello',
      stream: false,
    });
    if (response.status !== 200) throw new Error(`chat: ${response.status} ${response.text}`);
    return response.body.data as { conversationId: string; messageId: string };
  };
  const first = await chat();
  const conversation = await api.get(`/api/v1/chatbots/${chatbot.id}/conversations/${first.conversationId}`);
  const addSource = async (title: string) => {
    const response = await api.post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'text',
      title,
      content: 'We are open Monday to Friday from 8:00 to 18:00.',
    });
    if (response.status !== 201) throw new Error(`knowledge: ${response.status} ${response.text}`);
    return response.body.data.id as string;
  };
  Object.assign(fixtures, {
    apiKey,
    session: { cookie: `pollybot_session=${session.token}`, csrfToken: session.csrfToken },
    ownerId: owner.userId,
    ownerEmail: owner.email,
    chatbotId: chatbot.id,
    conversationId: first.conversationId,
    replyId: first.messageId,
    userMessageId: conversation.body.data.messages[0].id,
    sourceId: await addSource('Opening hours'),
    workspaceId,
    otherWorkspaceId: other.workspaceId,
  });
  for (let index = 0; index < 4; index++) {
    fixtures.victims.chatbots.push((await server.createChatbot(apiKey, { name: `Victim ${index}` })).id);
    fixtures.victims.apiKeys.push(
      (await api.post('/api/v1/api-keys', { name: `Victim ${index}` })).body.data.id,
    );
    fixtures.victims.conversations.push((await chat()).conversationId);
    fixtures.victims.sources.push(await addSource(`Victim ${index}`));
    fixtures.victims.members.push((await server.createUser(workspaceId, 'member')).userId);
    const invitation = await server
      .sessionApi(session)
      .post('/api/v1/invitations', { email: `invitee-${index}@example.com`, role: 'member' });
    fixtures.victims.invitations.push(invitation.body.data.token);
  }
  document = await fetchOpenApiDocument(server.baseUrl);
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

/** The ids a path parameter takes from the fixtures; operations that remove things get their own victims. */
function existingIds(method: string, path: string, name: string): string[] {
  const { victims } = fixtures;
  const removes = method === 'DELETE';
  if (path.startsWith('/api/admin/')) return [fixtures.otherWorkspaceId, fixtures.workspaceId];
  if (path.startsWith('/api/v1/api-keys/')) return victims.apiKeys;
  if (path.startsWith('/api/v1/members/')) return [...victims.members, fixtures.ownerId];
  switch (name) {
    case 'chatbotId':
    case 'model':
      return [fixtures.chatbotId];
    case 'id':
      return removes && path === '/api/v1/chatbots/{id}'
        ? victims.chatbots
        : method === 'PATCH'
          ? [victims.chatbots[0] as string]
          : [fixtures.chatbotId];
    case 'conversationId':
      return removes ? victims.conversations : [fixtures.conversationId];
    case 'messageId':
      return [fixtures.replyId, fixtures.userMessageId];
    case 'sourceId':
      return removes ? victims.sources : [fixtures.sourceId];
    default:
      return [];
  }
}

function pathArbitrary(method: string, path: string): fc.Arbitrary<string> {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string);
  const segments = names.map((name) => {
    const existing = existingIds(method, path, name);
    return fc.oneof(
      ...(existing.length ? [{ arbitrary: fc.constantFrom(...existing), weight: 6 }] : []),
      { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), weight: 1 },
      { arbitrary: fc.string({ maxLength: 20, unit: 'grapheme' }).map(encodeURIComponent), weight: 1 },
      { arbitrary: fc.constantFrom(...ODD_PATH_SEGMENTS), weight: 2 },
    );
  });
  return fc.tuple(...segments).map((values) => {
    let index = 0;
    return path.replace(/\{\w+\}/g, () => values[index++] as string);
  });
}

function queryArbitrary(operation: OpenApiOperation): fc.Arbitrary<string> {
  const parameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
  if (parameters.length === 0) return fc.constant('');
  const pairs = parameters.map((parameter) =>
    fc.option(
      fc
        .oneof(
          {
            arbitrary: arbitraryFromSchema(parameter.schema).map((value) =>
              encodeURIComponent(String(value)),
            ),
            weight: 3,
          },
          { arbitrary: fc.constantFrom(...ODD_QUERY_VALUES), weight: 1 },
          // Given twice: an array where a string is expected.
          { arbitrary: fc.constant(`1&${parameter.name}=2`), weight: 1 },
        )
        .map((value) => `${parameter.name}=${value}`),
      { freq: 2 },
    ),
  );
  return fc.tuple(...pairs).map((values) => {
    const present = values.filter((value): value is string => value !== null);
    return present.length ? `?${present.join('&')}` : '';
  });
}

type Credentials = 'apiKey' | 'session' | 'session-without-csrf' | 'admin' | 'none' | 'garbage';

function credentialsArbitrary(operation: OpenApiOperation): fc.Arbitrary<Credentials> {
  const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
  const expected: Credentials[] = schemes.includes('adminToken')
    ? ['admin']
    : schemes.includes('apiKey')
      ? ['apiKey', 'apiKey', 'apiKey', 'session']
      : schemes.includes('session')
        ? ['session']
        : ['none', 'session'];
  return fc.oneof(
    { arbitrary: fc.constantFrom(...expected), weight: 8 },
    { arbitrary: fc.constantFrom<Credentials>('none', 'garbage', 'session-without-csrf'), weight: 2 },
  );
}

async function credentialHeaders(credentials: Credentials, path: string): Promise<Record<string, string>> {
  switch (credentials) {
    case 'apiKey':
      return { authorization: `Bearer ${fixtures.apiKey}` };
    case 'admin':
      return { authorization: `Bearer ${ADMIN_TOKEN}` };
    case 'session':
    case 'session-without-csrf': {
      let { cookie, csrfToken } = fixtures.session;
      // Signing in or out ends the session it is sent with: give it one of its own.
      if (path.startsWith('/api/auth/') && path !== '/api/auth/session') {
        const fresh = await server.signIn(fixtures.ownerId, fixtures.workspaceId);
        ({ csrfToken } = fresh);
        cookie = `pollybot_session=${fresh.token}`;
      }
      return credentials === 'session' ? { cookie, 'x-csrf-token': csrfToken } : { cookie };
    }
    case 'garbage':
      return { authorization: 'Bearer sk-workspace_not-a-key', cookie: 'pollybot_session=forged; other=1' };
    case 'none':
      return {};
  }
}

/** Values request bodies take from the fixtures, by property name. */
function bodyHints(): Hints {
  return {
    conversationId: [fixtures.conversationId],
    model: [fixtures.chatbotId],
    email: [fixtures.ownerEmail],
    password: [TEST_PASSWORD],
    token: fixtures.victims.invitations,
  };
}

function requestArbitrary(
  method: string,
  path: string,
  operation: OpenApiOperation,
): fc.Arbitrary<{
  path: string;
  credentials: Credentials;
  headers: Record<string, string>;
  body?: { body: string | Buffer; contentType: string } | undefined;
}> {
  const content = operation.requestBody?.content ?? {};
  const body: fc.Arbitrary<{ body: string | Buffer; contentType: string } | undefined> = content[
    'multipart/form-data'
  ]
    ? multipartArbitrary()
    : content['application/json']
      ? jsonBodyArbitrary(content['application/json'].schema, bodyHints()).map(({ text, contentType }) => ({
          body: text,
          contentType,
        }))
      : // A body where none is expected, JSON or not.
        fc
          .option(
            fc.record({
              body: fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value) ?? 'null'),
              contentType: fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'),
            }),
            { freq: 6 },
          )
          .map((value) => value ?? undefined);
  const documentedHeaders = (operation.parameters ?? []).filter((parameter) => parameter.in === 'header');
  const headers = fc.tuple(
    ...documentedHeaders.map((parameter) =>
      fc
        .option(
          fc.oneof({ arbitrary: arbitraryFromSchema(parameter.schema).map(String), weight: 3 }, headerText),
          { freq: 2 },
        )
        .map((value) => (value === null ? {} : { [parameter.name]: value })),
    ),
  );
  return fc.record({
    path: fc
      .tuple(pathArbitrary(method, path), queryArbitrary(operation))
      .map(([route, query]) => route + query),
    credentials: credentialsArbitrary(operation),
    headers: fc
      .tuple(headers, fc.option(fc.constantFrom(...ODD_HEADERS), { freq: 4 }))
      .map(([parts, odd]) => Object.assign({}, ...parts, odd) as Record<string, string>),
    body: operation.requestBody ? fc.option(body, { freq: 12 }).map((value) => value ?? undefined) : body,
  });
}

/** Reads first, then creations, changes and removals, so fixtures other operations need live long enough. */
const METHOD_ORDER = ['GET', 'POST', 'PATCH', 'DELETE'];

describe('every operation of /openapi.json, fuzzed', () => {
  it('answers generated requests, valid and broken, with a documented status and body, never 500', async () => {
    const check = createSchemaChecker();
    const operations = listOperations(document).sort(
      ([methodA], [methodB]) => METHOD_ORDER.indexOf(methodA) - METHOD_ORDER.indexOf(methodB),
    );
    const problems: string[] = [];
    const statuses = new Map<string, Set<number>>();

    for (const [method, path, operation] of operations) {
      const seen = new Set<number>();
      statuses.set(`${method} ${path}`, seen);
      await fc.assert(
        fc.asyncProperty(requestArbitrary(method, path, operation), async (generated) => {
          const headers: Record<string, string> = {
            ...(await credentialHeaders(generated.credentials, path)),
            ...generated.headers,
          };
          if (generated.body) {
            headers['content-type'] = generated.body.contentType;
            // Node frames a GET's or DELETE's body only when told its length.
            headers['content-length'] = String(Buffer.byteLength(generated.body.body));
          }
          const request = { method, path: generated.path, headers, body: generated.body?.body };
          const response = await sendVerbatim(server.baseUrl, request).catch((error: Error) => ({
            status: 0,
            headers: {},
            text: error.message,
          }));
          seen.add(response.status);
          for (const problem of findAnswerProblems(operation, request, response, check)) {
            const sent = `${generated.path.slice(0, 160)} ${JSON.stringify(generated.headers).slice(0, 160)} ${String(generated.body?.body ?? '').slice(0, 200)}`;
            problems.push(`${method} ${path}: ${problem}\n    request: ${sent}`);
          }
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION },
      );
    }

    expect(problems).toEqual([]);
    // The generators reach past validation: most operations answered a success at least once.
    const succeeded = [...statuses.values()].filter((seen) => [...seen].some((status) => status < 300));
    expect(succeeded.length).toBeGreaterThan(operations.length * 0.7);
  }, 120_000);
});
