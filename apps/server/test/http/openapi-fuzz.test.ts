import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import {
  createSchemaChecker,
  fetchOpenApiDocument,
  type JsonSchema,
  listOperations,
  type OpenApiDocument,
  type OpenApiOperation,
} from '../helpers/openapi.ts';
import { arbitraryFromSchema, type Hints, mutateObject, wrongValue } from '../helpers/schema-arbitraries.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/test-server.ts';

// A bounded, seeded property-based test over every operation /openapi.json documents: requests that follow
// the schemas and requests that break them, sent over real HTTP to the app on a real database. Every answer
// must be a status the operation documents, never 500, with a body (JSON, or each event of a stream) that
// matches the documented schema for that status, and X-Request-Id. The seed is fixed; FUZZ_SEED and FUZZ_RUNS
// explore other inputs by hand.
const SEED = Number(process.env.FUZZ_SEED ?? 1_307);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 24);
const ADMIN_TOKEN = 'operator-token-0123456789abcdef';

type FuzzRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
};
type FuzzResponse = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

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

/** Ids no route expects: traversal, bad escapes, NUL, other scripts, injection, too long. Sent verbatim. */
const ODD_PATH_SEGMENTS = [
  '..',
  '.',
  '%2e%2e',
  '%00',
  '%ZZ',
  '%',
  '%2F',
  'a%2Fb',
  '%E0%A4%A',
  encodeURIComponent('ünïcødé-🙂'),
  encodeURIComponent("1' OR '1'='1"),
  '%20',
  'x'.repeat(65),
  'y'.repeat(2_000),
  'null',
  'undefined',
  '__proto__',
  'constructor',
];

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

const ODD_QUERY_VALUES = [
  '',
  '-1',
  '0',
  '1e309',
  'abc',
  '%ZZ',
  '%00',
  'null',
  'x'.repeat(5_000),
  '2025-13-45',
];

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

/** Header values Node sends: tab, printable ASCII and Latin-1, no line breaks. */
const headerText = fc
  .string({ maxLength: 300, unit: 'binary' })
  .map((text) => text.replace(/[^\t\x20-\x7e\xa0-\xff]/g, ''));

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

const ODD_BODIES = [
  '',
  '{',
  'null',
  '[]',
  '"text"',
  '{"a":',
  '\u0000',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
];

/** Values request bodies take from the fixtures, by property name. */
function bodyHints(): Hints {
  return {
    conversationId: [fixtures.conversationId],
    email: [fixtures.ownerEmail],
    password: [TEST_PASSWORD],
    token: fixtures.victims.invitations,
  };
}

function jsonBodyArbitrary(schema: JsonSchema): fc.Arbitrary<{ text: string; contentType: string }> {
  const valid = arbitraryFromSchema(schema, bodyHints());
  const value = fc.oneof(
    { arbitrary: valid, weight: 16 },
    { arbitrary: valid.chain(mutateObject), weight: 10 },
    { arbitrary: wrongValue, weight: 3 },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 8 },
    fc.constantFrom(
      'text/plain',
      'application/xml',
      'application/json; charset=latin1',
      'application/x-www-form-urlencoded',
    ),
  );
  return fc.oneof(
    {
      arbitrary: fc.record({ text: value.map((body) => JSON.stringify(body) ?? 'null'), contentType }),
      weight: 40,
    },
    {
      arbitrary: fc.record({
        text: fc.constantFrom(...ODD_BODIES),
        contentType: fc.constant('application/json'),
      }),
      weight: 4,
    },
    // Past the body limit.
    {
      arbitrary: fc.constant({
        text: JSON.stringify({ message: 'x'.repeat(1_100_000) }),
        contentType: 'application/json',
      }),
      weight: 1,
    },
  );
}

function multipartArbitrary(): fc.Arbitrary<{ body: Buffer; contentType: string }> {
  const boundary = 'fuzzboundary7MA4YWxkTrZu0gW';
  const part = (name: string, value: string, fileName?: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${fileName === undefined ? '' : `; filename="${fileName}"`}\r\n` +
    `${fileName === undefined ? '' : 'Content-Type: application/octet-stream\r\n'}\r\n${value}\r\n`;
  return fc
    .record({
      fileName: fc.option(
        fc.constantFrom(
          'faq.md',
          'notes.txt',
          'page.html',
          'scan.pdf',
          'letter.docx',
          'run.exe',
          '',
          '../../etc/passwd',
          'ünï.txt',
        ),
      ),
      content: fc.oneof(
        fc.constant('# Opening hours\n\nWe open at 8:00.'),
        fc.string({ maxLength: 200, unit: 'binary' }),
      ),
      title: fc.option(fc.oneof(fc.constant('Opening hours'), fc.string({ maxLength: 300 }))),
      extra: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, fc.constant('unexpected')),
    })
    .map(({ fileName, content, title, extra }) => ({
      body: Buffer.from(
        (fileName === null ? '' : part('file', content, fileName)) +
          (title === null ? '' : part('title', title)) +
          (extra === null ? '' : part('extra', extra)) +
          `--${boundary}--\r\n`,
      ),
      contentType: `multipart/form-data; boundary=${boundary}`,
    }));
}

/** Headers no operation documents, which each could trip a server up. */
const ODD_HEADERS: Record<string, string>[] = [
  { accept: 'text/event-stream' },
  { accept: 'application/xml' },
  { 'content-encoding': 'gzip' },
  { 'x-forwarded-for': 'not-an-address, ::1' },
  { 'x-forwarded-proto': 'https' },
  { cookie: `pollybot_session=${'a'.repeat(4_000)}` },
  { 'x-csrf-token': 'forged' },
  { 'idempotency-key': 'x', 'last-event-id': '5-end' },
];

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
      ? jsonBodyArbitrary(content['application/json'].schema).map(({ text, contentType }) => ({
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

/** Sends a request verbatim (no path normalisation), reading the whole answer; a stream must end on its own. */
function send(request: FuzzRequest): Promise<FuzzResponse> {
  const { port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method: request.method, path: request.path, headers: request.headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.setTimeout(15_000, () => outgoing.destroy(new Error('no complete answer within 15 s')));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** The events of a text/event-stream body, as {id, event, data}; comments (`: ping`) left out. */
function parseEvents(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
      }
      let data: unknown = fields.data;
      try {
        data = JSON.parse(fields.data ?? '');
      } catch {}
      return { id: fields.id, event: fields.event, data };
    });
}

/** What is wrong with an answer, by the document; empty when nothing is. */
function findProblems(
  operation: OpenApiOperation,
  request: FuzzRequest,
  response: FuzzResponse,
  check: ReturnType<typeof createSchemaChecker>,
): string[] {
  const problems: string[] = [];
  const documented = operation.responses[String(response.status)];
  if (response.status >= 500 && response.status !== 502 && response.status !== 504)
    problems.push(`answered ${response.status}: ${response.text.slice(0, 300)}`);
  if (!documented)
    return [
      ...problems,
      `answered ${response.status}, which it does not document: ${response.text.slice(0, 300)}`,
    ];
  const requestId = request.headers['X-Request-Id'];
  if (!response.headers['x-request-id']) problems.push('no X-Request-Id');
  else if (
    requestId &&
    /^[A-Za-z0-9._:-]{1,128}$/.test(requestId) &&
    response.headers['x-request-id'] !== requestId
  )
    problems.push(`X-Request-Id ${requestId} was not echoed (${response.headers['x-request-id']})`);
  if (response.status === 429) {
    const retryAfter = String(response.headers['retry-after']);
    const body = safeParse(response.text) as { retryAfter?: unknown };
    if (!/^[1-9]\d*$/.test(retryAfter) || body.retryAfter !== Number(retryAfter))
      problems.push(
        `429 whose Retry-After (${retryAfter}) is not the body's retryAfter (${body.retryAfter})`,
      );
  }
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    const value = response.headers[name.toLowerCase()];
    if (value === undefined) continue;
    const parsed = header.schema.type === 'integer' ? Number(value) : value;
    const errors = check(header.schema, parsed);
    if (errors) problems.push(`header ${name}: ${value}: ${errors}`);
  }
  const mediaType =
    String(response.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim() ?? '';
  if (!documented.content) {
    if (response.text !== '')
      problems.push(`a body where none is documented: ${response.text.slice(0, 200)}`);
    return problems;
  }
  const media = documented.content[mediaType];
  if (!media)
    return [...problems, `content type ${mediaType || '(none)'} is not documented for ${response.status}`];
  const values = mediaType === 'text/event-stream' ? parseEvents(response.text) : [safeParse(response.text)];
  for (const value of values) {
    const errors = check(media.schema, value);
    if (errors)
      problems.push(
        `${response.status} ${mediaType} breaks its schema: ${errors}: ${JSON.stringify(value).slice(0, 300)}`,
      );
  }
  return problems;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
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
          const response = await send(request).catch((error: Error) => ({
            status: 0,
            headers: {},
            text: error.message,
          }));
          seen.add(response.status);
          for (const problem of findProblems(operation, request, response, check)) {
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
