import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest } from '../../src/db/connect.ts';
import type { WorkspaceRole } from '../../src/db/database.ts';
import { insertMembership } from '../../src/db/memberships.repository.ts';
import { insertUser } from '../../src/db/users.repository.ts';
import { hashPassword } from '../../src/features/accounts/password-hash.ts';
import { startSession } from '../../src/features/accounts/sessions.ts';
import { issueSetupToken } from '../../src/features/accounts/setup-token.ts';
import { createWorkspace } from '../../src/features/workspaces/create-workspace.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createLogger, createServices, type Services } from '../../src/services.ts';
import { createTestDatabaseUrl } from './databases.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely and assert their shape
export type ApiResponse<T = any> = { status: number; headers: Headers; body: T; text: string };

/**
 * A tiny client for the public API: real HTTP on loopback, with a key or any headers (a session's cookie).
 * A body is sent as JSON, except a string (as it is) and FormData (as multipart/form-data).
 */
export function apiClient(baseUrl: string, apiKey?: string, defaultHeaders: Record<string, string> = {}) {
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const isForm = body instanceof FormData;
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
        ...defaultHeaders,
        ...headers,
      },
      body: body === undefined ? undefined : isForm || typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, body: parsed, text } as ApiResponse;
  };
  return {
    get: (path: string, headers?: Record<string, string>) => send('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      send('POST', path, body, headers),
    patch: (path: string, body?: unknown, headers?: Record<string, string>) =>
      send('PATCH', path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => send('DELETE', path, undefined, headers),
    send,
  };
}

/**
 * Where a test server keeps its state. By default a fresh SQLite file; with POLLYBOT_TEST_BACKING=postgres
 * (the postgres+redis test project) a fresh PostgreSQL schema and its own Redis key prefix, so the same
 * test bodies run on both.
 */
async function createBacking(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (process.env.POLLYBOT_TEST_BACKING === 'postgres') {
    const redisUrl = process.env.TEST_REDIS_URL;
    if (!redisUrl) throw new Error('the postgres+redis project needs TEST_REDIS_URL');
    const database = await createTestDatabaseUrl('postgres');
    return {
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: `test-${randomBytes(6).toString('hex')}:`,
      },
      drop: database.drop,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'pollybot-test-'));
  return {
    env: { DATABASE_URL: `sqlite:${join(dir, 'pollybot.db')}` },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** POSTs a chat message to any running server and answers the raw fetch Response. */
export function postChat(
  baseUrl: string,
  apiKey: string,
  chatbotId: string,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/chatbots/${chatbotId}/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** The password of every person `createUser` makes, unless told otherwise. */
export const TEST_PASSWORD = 'correct horse battery staple';
let testPasswordHash: Promise<string> | undefined;

/** A signed-in person's credentials: the cookie header, and the CSRF token (also as headers, ready to send). */
export type TestSession = { token: string; csrfToken: string; headers: Record<string, string> };

export function sessionHeaders(token: string, csrfToken: string): Record<string, string> {
  return { cookie: `pollybot_session=${token}`, 'x-csrf-token': csrfToken };
}

/** The session a sign-in response (setup, login, accepted invitation) carries: its cookie and CSRF token. */
export function sessionOf(response: ApiResponse): TestSession {
  const cookie = readSessionCookie(response);
  if (!cookie || response.body?.success !== true)
    throw new Error(`no session: ${response.status} ${response.text}`);
  const { csrfToken } = response.body.data;
  return { token: cookie.value, csrfToken, headers: sessionHeaders(cookie.value, csrfToken) };
}

/**
 * The session cookie a response sets (`pollybot_session`, or `__Host-pollybot_session` over HTTPS), with its
 * name and attributes; undefined when it sets none.
 */
export function readSessionCookie(response: { headers: Headers }) {
  const header = response.headers
    .getSetCookie()
    .find((cookie) => /^(__Host-)?pollybot_session=/.test(cookie));
  if (!header) return undefined;
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const name = pair.slice(0, pair.indexOf('='));
  return {
    name,
    value: decodeURIComponent(pair.slice(name.length + 1)),
    attributes: attributes.map((attribute) => attribute.toLowerCase()),
    header,
  };
}

/**
 * The real app over a real SQLite file, listening on a loopback port. `env` is the same environment a
 * user would set; the log is captured so tests can read what the server logged. `options.clock`
 * replaces the system clock, for tests that move time instead of sleeping.
 */
export async function startTestServer(env: Record<string, string> = {}, options: { clock?: Clock } = {}) {
  const backing = await createBacking();
  const config = loadConfig({
    ...backing.env,
    POLLYBOT_DEMO: 'false',
    AI_PROVIDER_MAX_RETRIES: '0',
    LOG_LEVEL: 'info',
    ...env,
  });
  const logLines: string[] = [];
  // The server's own logger (redactions included), writing where the tests can read it.
  const log = createLogger(config, { write: (line: string) => void logLines.push(line) });
  const services: Services = createServices(config, { log, clock: options.clock });
  await migrateToLatest(services.database);
  services.ingestion.start();
  const app = await buildApp(services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    services,
    app,
    logLines,
    api: (apiKey?: string) => apiClient(baseUrl, apiKey),
    /** A client that sends a session's cookie, and its CSRF token. */
    sessionApi: (session: TestSession) => apiClient(baseUrl, undefined, session.headers),
    /** A new workspace with its first key, as the operator API creates it (or, with origin 'demo', the demo seed). */
    createWorkspace: async (
      credits = 1000,
      name = 'Test workspace',
      origin: 'operator' | 'demo' = 'operator',
    ) => {
      const { workspace, apiKey } = await createWorkspace(services, { name, credits, origin });
      return { workspaceId: workspace.id, apiKey };
    },
    /** A setup token, as the server prints one at start while no account exists (undefined after setup). */
    issueSetupToken: () => issueSetupToken(services),
    /**
     * A person with a role in the workspace, stored as setup or an accepted invitation stores one (the password
     * is hashed once per test process, so making many people stays fast).
     */
    createUser: async (
      workspaceId: string,
      role: WorkspaceRole = 'owner',
      fields: { email?: string; name?: string } = {},
    ) => {
      testPasswordHash ??= hashPassword(TEST_PASSWORD);
      const userId = services.ids();
      const now = services.clock.now().toISOString();
      const email = fields.email ?? `${role}-${userId}@example.com`;
      await insertUser(services.db, {
        id: userId,
        email,
        name: fields.name ?? `The ${role}`,
        password_hash: await testPasswordHash,
        created_at: now,
      });
      await insertMembership(services.db, {
        workspace_id: workspaceId,
        user_id: userId,
        role,
        created_at: now,
      });
      return { userId, email, password: TEST_PASSWORD };
    },
    /** A session as signing in starts one, without scrypt's tenth of a second: for tests about other things. */
    signIn: async (
      userId: string,
      workspaceId: string,
      clock: Clock = services.clock,
    ): Promise<TestSession> => {
      const grant = await startSession({ ...services, clock }, services.db, { userId, workspaceId });
      return { ...grant, headers: sessionHeaders(grant.token, grant.csrfToken) };
    },
    /** A chatbot created through the public API. */
    createChatbot: async (apiKey: string, fields: Record<string, unknown> = {}) => {
      const response = await apiClient(baseUrl, apiKey).post('/api/v1/chatbots', {
        name: 'Test bot',
        ...fields,
      });
      if (response.status !== 201)
        throw new Error(`chatbot not created: ${response.status} ${response.text}`);
      return response.body.data as { id: string; [field: string]: unknown };
    },
    /** POSTs a chat message and hands back the raw response, for reading a stream as it arrives. */
    chat: (apiKey: string, chatbotId: string, body: Record<string, unknown>, signal?: AbortSignal) =>
      postChat(baseUrl, apiKey, chatbotId, body, signal),
    close: async () => {
      await app.close();
      await services.close();
      await backing.drop();
    },
  };
}

/** Waits until `check` answers true, polling; for effects that finish after a response was sent. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
