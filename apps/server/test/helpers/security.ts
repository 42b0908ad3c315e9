import { randomBytes, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { errorCatalog } from '../../src/errors/catalog.ts';
import { eventsOnly, parseSse } from './sse.ts';
import { type ApiResponse, eventually, sessionHeaders, type TestServer } from './test-server.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** A resource a route can address by id; each belongs to exactly one workspace. */
type ResourceKind =
  | 'chatbot'
  | 'conversation'
  | 'message'
  | 'reply'
  | 'apiKey'
  | 'member'
  | 'invitation'
  | 'knowledgeSource'
  | 'publishableKey';

export type ResourceIds = Record<ResourceKind, string>;

/**
 * A workspace set up for the checks: its key, its owner's session (cookie and CSRF token, as headers), and one
 * resource of each kind (the API key is a spare one, the member someone who may be removed).
 */
export type SecurityWorkspace = {
  workspaceId: string;
  apiKey: string;
  session: Record<string, string>;
  ids: ResourceIds;
};

/** How a check authenticates: the workspace's API key, or its owner's session cookie (with the CSRF token). */
export type AuthMode = 'apiKey' | 'session';

/** One authenticated route, as the security checks call it. */
export type AuthenticatedRoute = {
  method: HttpMethod;
  /** The path exactly as the app registers it, e.g. `/api/v1/chatbots/:id`. */
  path: string;
  /** Which resource each path parameter names. */
  params?: Record<string, ResourceKind>;
  /** A valid body for the given resources; absent for routes without one. */
  body?: (ids: ResourceIds) => unknown;
  /** Resources the body names (e.g. the chat's conversationId), probed across workspaces like the path's. */
  bodyRefersTo?: ResourceKind[];
  /** The status a valid request of the key's own workspace answers. */
  successStatus: number;
  /** Only for signed-in people: the checks use the owner's session, and an API key is answered 403 FORBIDDEN. */
  sessionOnly?: boolean;
  /** Only for the owner and admins: a member's session is answered 403 FORBIDDEN. */
  adminOnly?: boolean;
};

/** The ways a route accepts to be called, each of which the checks try. */
export function authModesOf(route: AuthenticatedRoute): AuthMode[] {
  return route.sessionOnly ? ['session'] : ['apiKey', 'session'];
}

function authHeaders(workspace: SecurityWorkspace, mode: AuthMode): Record<string, string> {
  return mode === 'apiKey' ? { authorization: `Bearer ${workspace.apiKey}` } : workspace.session;
}

const NOT_FOUND_CODE = {
  chatbot: 'CHATBOT_NOT_FOUND',
  conversation: 'CONVERSATION_NOT_FOUND',
  apiKey: 'API_KEY_NOT_FOUND',
  member: 'MEMBER_NOT_FOUND',
  invitation: 'INVITATION_NOT_FOUND',
  knowledgeSource: 'KNOWLEDGE_SOURCE_NOT_FOUND',
  message: 'MESSAGE_NOT_FOUND',
  reply: 'MESSAGE_NOT_FOUND',
  publishableKey: 'PUBLISHABLE_KEY_NOT_FOUND',
} as const satisfies Record<ResourceKind, keyof typeof errorCatalog>;

// Conversations and knowledge sources live in their chatbot, messages in their conversation: another
// workspace's chatbot comes with its own.
const CONTAINED: Record<ResourceKind, ResourceKind[]> = {
  chatbot: ['chatbot', 'conversation', 'message', 'reply', 'knowledgeSource', 'publishableKey'],
  conversation: ['conversation', 'message', 'reply'],
  message: ['message'],
  reply: ['reply'],
  apiKey: ['apiKey'],
  member: ['member'],
  invitation: ['invitation'],
  knowledgeSource: ['knowledgeSource'],
  publishableKey: ['publishableKey'],
};

const INVALID_API_KEY_BODY = {
  success: false,
  error: 'Invalid or inactive API key',
  code: 'INVALID_API_KEY',
};

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomBase62 = (length: number) =>
  Array.from({ length }, () => BASE62[randomInt(BASE62.length)]).join('');

/** The route's path with its parameters filled in from `ids`. */
function fillPath(route: AuthenticatedRoute, ids: ResourceIds): string {
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    const kind = route.params?.[name];
    if (!kind) throw new Error(`${route.method} ${route.path}: no resource for parameter :${name}`);
    return encodeURIComponent(ids[kind]);
  });
}

/**
 * The routes the running app registered, read from Fastify's own route tree, one row per method and
 * path. Parameter names are kept as printed (`:id|:chatbotId` when two routes name one segment apart).
 */
export function listRegisteredRoutes(server: TestServer): { method: HttpMethod; path: string }[] {
  const tree = server.app.printRoutes({ commonPrefix: false });
  const ancestors: string[] = [];
  const routes: { method: HttpMethod; path: string }[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    ancestors.length = depth;
    ancestors.push(match[2] ?? '');
    for (const method of match[3]?.split(', ') ?? [])
      routes.push({ method: method as HttpMethod, path: ancestors.join('') });
  }
  return routes;
}

/** A path with every parameter written `:`, so routes compare whatever their parameters are called. */
export function routeShape(method: string, path: string): string {
  return `${method} ${path.replace(/:[^/]+/g, ':')}`;
}

type Credential = { label: string; headers: Record<string, string> };

/**
 * Everything the app's database holds, row by row, so a check can tell that a request changed nothing.
 * Only `api_keys.last_used_at` is left out: authenticating a request legitimately touches it.
 */
export async function snapshotDatabase(server: TestServer): Promise<Record<string, string[]>> {
  // Background ingestion an earlier request started is not this request's change: let it finish first.
  await server.services.ingestion.drain();
  // PostgreSQL's introspection lists every schema's tables; a test database is one schema (its search_path).
  const { db, dialect } = server.services.database;
  const schema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const tables = (await db.introspection.getTables()).filter(
    (table) => schema === undefined || table.schema === schema,
  );
  const snapshot: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(
      server.services.db,
    );
    snapshot[table.name] = rows
      .map((row) => JSON.stringify({ ...row, last_used_at: undefined }))
      .sort((a, b) => a.localeCompare(b));
  }
  return snapshot;
}

function expectNoForeignData(response: ApiResponse, other: SecurityWorkspace, label: string): void {
  for (const id of [other.workspaceId, ...Object.values(other.ids)]) {
    expect(response.text, `${label}: the response names another workspace's resource ${id}`).not.toContain(
      id,
    );
  }
}

/**
 * The shared security check of every authenticated route (STYLE.md, Tests): bad credentials of every
 * kind answer 401 INVALID_API_KEY and change nothing; another workspace's chatbot, conversation or API
 * key answers its 404 and changes nothing; the key's own valid request succeeds (so the probes above
 * reached a working route). Each check sets up fresh workspaces, so checks never depend on each other.
 */
export function createSecurityChecks(server: TestServer) {
  const send = (route: AuthenticatedRoute, ids: ResourceIds, headers: Record<string, string>) =>
    server.api().send(route.method, fillPath(route, ids), route.body?.(ids), headers);

  /**
   * A workspace with a chatbot, a conversation of that chatbot, a spare API key, a signed-in owner, a member and
   * a pending invitation.
   */
  const createWorkspaceWithResources = async (name: string): Promise<SecurityWorkspace> => {
    const { workspaceId, apiKey } = await server.createWorkspace(1000, name);
    const client = server.api(apiKey);
    const chatbot = await server.createChatbot(apiKey, { name: `${name} bot` });
    const chat = await client.post(`/api/v1/chatbots/${chatbot.id}/chat`, { message: 'Hello' });
    expect(chat.status, chat.text).toBe(200);
    const spare = await client.post('/api/v1/api-keys', { name: `${name} spare key` });
    expect(spare.status, spare.text).toBe(201);
    const source = await client.post(`/api/v1/chatbots/${chatbot.id}/knowledge`, {
      kind: 'text',
      title: `${name} handbook`,
      content: 'We open at nine.',
    });
    expect(source.status, source.text).toBe(201);
    const publishable = await client.post(`/api/v1/chatbots/${chatbot.id}/publishable-keys`, {
      allowedOrigins: ['https://shop.example.com'],
    });
    expect(publishable.status, publishable.text).toBe(201);
    // Ingestion runs in the background: wait for it, so the checks' database snapshots hold still.
    await eventually(async () => {
      const read = await client.get(`/api/v1/chatbots/${chatbot.id}/knowledge/${source.body.data.id}`);
      return read.body.data?.status === 'ready';
    });
    // A reply still being generated (as an instance that stopped would leave it), so a cancel has one to stop.
    const generatingId = server.services.ids();
    await server.services.db
      .insertInto('messages')
      .values({
        id: generatingId,
        conversation_id: chat.body.data.conversationId,
        workspace_id: workspaceId,
        role: 'assistant',
        content: 'So far',
        metadata: null,
        user_id: null,
        status: 'generating',
        model: 'local/pollybot',
        input_tokens: null,
        output_tokens: null,
        credits: null,
        created_at: server.services.clock.now().toISOString(),
      })
      .execute();
    const owner = await server.createUser(workspaceId, 'owner');
    const member = await server.createUser(workspaceId, 'member');
    const session = await server.signIn(owner.userId, workspaceId);
    const invitation = await server
      .api()
      .post(
        '/api/v1/invitations',
        { email: `invitee-${workspaceId}@example.com`, role: 'member' },
        session.headers,
      );
    expect(invitation.status, invitation.text).toBe(201);
    return {
      workspaceId,
      apiKey,
      session: session.headers,
      ids: {
        chatbot: chatbot.id,
        conversation: chat.body.data.conversationId,
        message: generatingId,
        reply: chat.body.data.messageId,
        apiKey: spare.body.data.id,
        member: member.userId,
        invitation: invitation.body.data.id,
        knowledgeSource: source.body.data.id,
        publishableKey: publishable.body.data.id,
      },
    };
  };

  /** Session cookies that must open nothing: signed out, expired, of a removed member, or never issued. */
  const createBadSessions = async (owner: SecurityWorkspace): Promise<Credential[]> => {
    const signedOut = await server.signIn(owner.ids.member, owner.workspaceId);
    const logout = await server.api().post('/api/auth/logout', undefined, signedOut.headers);
    expect(logout.status, logout.text).toBe(200);
    const leaver = await server.createUser(owner.workspaceId, 'member');
    const removed = await server.signIn(leaver.userId, owner.workspaceId);
    const removal = await server.api().delete(`/api/v1/members/${leaver.userId}`, owner.session);
    expect(removal.status, removal.text).toBe(200);
    const valid = await server.signIn(owner.ids.member, owner.workspaceId);
    // Started eight days ago, so it lasted until yesterday. Started last: starting a session sweeps expired ones,
    // and this one must still be there to be refused for its age.
    const eightDaysAgo = { now: () => new Date(Date.now() - 8 * 24 * 60 * 60 * 1000) };
    const expired = await server.signIn(owner.ids.member, owner.workspaceId, eightDaysAgo);
    return [
      { label: 'a signed-out session', headers: signedOut.headers },
      { label: 'an expired session', headers: expired.headers },
      { label: 'the session of a removed member', headers: removed.headers },
      {
        label: 'a session cookie never issued',
        headers: sessionHeaders(randomBytes(32).toString('base64url'), valid.csrfToken),
      },
      { label: 'a malformed session cookie', headers: sessionHeaders('not-a-token', valid.csrfToken) },
      {
        label: 'a valid session token under another cookie name',
        headers: { cookie: `session=${valid.token}`, 'x-csrf-token': valid.csrfToken },
      },
      {
        label: 'a valid session cookie with a malformed Authorization header (the header decides)',
        headers: { ...valid.headers, authorization: 'Bearer not-a-key' },
      },
    ];
  };

  /** Every way to fail authentication: no header, malformed values, an unknown key, a revoked key. */
  const createBadCredentials = async (owner: SecurityWorkspace): Promise<Credential[]> => {
    const client = server.api(owner.apiKey);
    const created = await client.post('/api/v1/api-keys', { name: 'soon revoked' });
    expect(created.status, created.text).toBe(201);
    const revoked = await client.delete(`/api/v1/api-keys/${created.body.data.id}`);
    expect(revoked.status, revoked.text).toBe(200);
    const secret = owner.apiKey.slice('sk-workspace_'.length);
    const credentials: Credential[] = [
      { label: 'no Authorization header', headers: {} },
      { label: '"Bearer" alone', headers: { authorization: 'Bearer' } },
      { label: '"Basic xyz"', headers: { authorization: 'Basic xyz' } },
      {
        label: 'the valid key sent as Basic credentials',
        headers: { authorization: `Basic ${Buffer.from(`${owner.apiKey}:`).toString('base64')}` },
      },
      { label: 'the valid key without the Bearer scheme', headers: { authorization: owner.apiKey } },
      { label: '"Bearer not-a-key"', headers: { authorization: 'Bearer not-a-key' } },
      {
        label: 'the valid secret with a wrong prefix',
        headers: { authorization: `Bearer sk-live_${secret}` },
      },
      {
        label: 'an unknown well-formed key',
        headers: { authorization: `Bearer sk-workspace_${randomBase62(40)}` },
      },
      {
        label: 'the valid key with a character appended',
        headers: { authorization: `Bearer ${owner.apiKey}x` },
      },
      {
        label: 'a revoked key of the same workspace',
        headers: { authorization: `Bearer ${created.body.data.key}` },
      },
    ];
    const { adminToken } = server.services.config;
    if (adminToken)
      credentials.push({ label: 'the operator token', headers: { authorization: `Bearer ${adminToken}` } });
    return [...credentials, ...(await createBadSessions(owner))];
  };

  const expectFailure = (
    response: ApiResponse,
    status: number,
    code: keyof typeof errorCatalog,
    label: string,
  ) => {
    expect(response.status, `${label}: ${response.text}`).toBe(status);
    // The sentence may say more than the catalog's (which role, which rule); the code is what clients read.
    expect(response.body, label).toStrictEqual({ success: false, error: expect.any(String), code });
  };

  return {
    /**
     * 401 INVALID_API_KEY, exactly, for every bad credential, API key or session cookie (HEAD too for a GET
     * route); nothing changes.
     */
    async rejectsBadCredentials(route: AuthenticatedRoute): Promise<void> {
      const owner = await createWorkspaceWithResources('Owner');
      const credentials = await createBadCredentials(owner);
      const before = await snapshotDatabase(server);
      for (const credential of credentials) {
        const response = await send(route, owner.ids, credential.headers);
        const label = `${route.method} ${route.path} with ${credential.label}`;
        expect(response.status, `${label}: ${response.text}`).toBe(401);
        expect(response.text, label).toBe(JSON.stringify(INVALID_API_KEY_BODY));
        expect(response.headers.get('x-request-id'), label).toBeTruthy();
        expect(response.headers.get('x-ratelimit-limit'), label).toBeNull();
        if (route.method === 'GET') {
          const head = await send({ ...route, method: 'HEAD' }, owner.ids, credential.headers);
          expect(head.status, `HEAD ${route.path} with ${credential.label}`).toBe(401);
        }
      }
      expect(await snapshotDatabase(server), `${route.method} ${route.path} changed the database`).toEqual(
        before,
      );
    },

    /**
     * Another workspace's chatbot, conversation or API key, named in the path or the body, answers the
     * 404 of its kind, exactly as an unknown id does; no database row changes and the other workspace's
     * chatbot keeps its whole rate limit. No response names anything of the other workspace.
     */
    async hidesOtherWorkspaces(route: AuthenticatedRoute): Promise<void> {
      const own = await createWorkspaceWithResources('Own');
      const other = await createWorkspaceWithResources('Other');
      const kinds = [...new Set([...Object.values(route.params ?? {}), ...(route.bodyRefersTo ?? [])])];
      const before = await snapshotDatabase(server);
      for (const [mode, kind] of authModesOf(route).flatMap((mode) =>
        kinds.map((kind) => [mode, kind] as const),
      )) {
        const auth = authHeaders(own, mode);
        const mixed = { ...own.ids };
        const unknown = { ...own.ids };
        for (const contained of CONTAINED[kind]) {
          mixed[contained] = other.ids[contained];
          unknown[contained] = `unknown${randomBase62(20).toLowerCase()}`;
        }
        const code = NOT_FOUND_CODE[kind];
        const expected = { success: false, error: errorCatalog[code].message, code };
        const label = `${route.method} ${route.path} (${mode}) with another workspace's ${kind}`;
        const foreign = await send(route, mixed, auth);
        expect(foreign.status, `${label}: ${foreign.text}`).toBe(404);
        expect(foreign.body, label).toStrictEqual(expected);
        expectNoForeignData(foreign, other, label);
        const missing = await send(route, unknown, auth);
        expect(missing.text, `${label} answers unlike an unknown ${kind}`).toBe(foreign.text);
      }
      expect(
        await snapshotDatabase(server),
        `${route.method} ${route.path} changed the database with another workspace's ids`,
      ).toEqual(before);

      // The other workspace's chatbot served one chat (its conversation): no probe counted against it.
      const probe = await server.api(other.apiKey).post(`/api/v1/chatbots/${other.ids.chatbot}/chat`, {
        message: 'Still there?',
        conversationId: other.ids.conversation,
      });
      expect(probe.status, probe.text).toBe(200);
      expect(Number(probe.headers.get('x-ratelimit-remaining'))).toBe(
        Number(probe.headers.get('x-ratelimit-limit')) - 2,
      );
    },

    /** The own workspace's valid request succeeds, by key and by session, and names nothing of another workspace. */
    async servesOwnWorkspace(route: AuthenticatedRoute): Promise<void> {
      for (const mode of authModesOf(route)) {
        const own = await createWorkspaceWithResources('Own');
        const other = await createWorkspaceWithResources('Other');
        const response = await send(route, own.ids, authHeaders(own, mode));
        const label = `${route.method} ${route.path} (${mode})`;
        expect(response.status, `${label}: ${response.text}`).toBe(route.successStatus);
        // A stream succeeds when it ends with `done`, whose data is the success envelope.
        const success =
          response.headers.get('content-type')?.startsWith('text/event-stream') === true
            ? (eventsOnly(parseSse(response.text)).at(-1)?.data as { success?: boolean } | undefined)
            : response.body;
        expect(success?.success, label).toBe(true);
        expectNoForeignData(response, other, label);
      }
    },

    /**
     * A change made with the session cookie needs the session's own CSRF token: none, another session's, or a
     * mangled one is 403 CSRF_TOKEN_INVALID, and nothing changes. (API keys need none: see servesOwnWorkspace.)
     */
    async requiresCsrfToken(route: AuthenticatedRoute): Promise<void> {
      const own = await createWorkspaceWithResources('Own');
      const other = await createWorkspaceWithResources('Other');
      const { cookie = '' } = own.session;
      const token = own.session['x-csrf-token'] ?? '';
      const attempts: Credential[] = [
        { label: 'no X-CSRF-Token', headers: { cookie } },
        { label: 'an empty X-CSRF-Token', headers: { cookie, 'x-csrf-token': '' } },
        {
          label: 'another session’s token',
          headers: { cookie, 'x-csrf-token': other.session['x-csrf-token'] ?? '' },
        },
        {
          label: 'the token with a character changed',
          headers: { cookie, 'x-csrf-token': `${token.slice(0, -1)}!` },
        },
        { label: 'the token in the query', headers: { cookie } },
      ];
      const before = await snapshotDatabase(server);
      for (const attempt of attempts) {
        const path = attempt.label.includes('query') ? `?csrfToken=${encodeURIComponent(token)}` : '';
        const response = await server
          .api()
          .send(route.method, `${fillPath(route, own.ids)}${path}`, route.body?.(own.ids), attempt.headers);
        expectFailure(
          response,
          403,
          'CSRF_TOKEN_INVALID',
          `${route.method} ${route.path} with ${attempt.label}`,
        );
      }
      expect(await snapshotDatabase(server), `${route.method} ${route.path} changed the database`).toEqual(
        before,
      );
    },

    /** A route for people answers an API key 403 FORBIDDEN, and changes nothing. */
    async refusesApiKeys(route: AuthenticatedRoute): Promise<void> {
      const own = await createWorkspaceWithResources('Own');
      const before = await snapshotDatabase(server);
      const response = await send(route, own.ids, { authorization: `Bearer ${own.apiKey}` });
      expectFailure(response, 403, 'FORBIDDEN', `${route.method} ${route.path} with an API key`);
      expect(await snapshotDatabase(server), `${route.method} ${route.path} changed the database`).toEqual(
        before,
      );
    },

    /** A route for the owner and admins answers a member 403 FORBIDDEN, and changes nothing; an admin succeeds. */
    async refusesMembers(route: AuthenticatedRoute): Promise<void> {
      const own = await createWorkspaceWithResources('Own');
      const member = await server.createUser(own.workspaceId, 'member');
      const memberSession = await server.signIn(member.userId, own.workspaceId);
      const before = await snapshotDatabase(server);
      const refused = await send(route, own.ids, memberSession.headers);
      expectFailure(refused, 403, 'FORBIDDEN', `${route.method} ${route.path} as a member`);
      expect(await snapshotDatabase(server), `${route.method} ${route.path} changed the database`).toEqual(
        before,
      );

      const admin = await server.createUser(own.workspaceId, 'admin');
      const adminSession = await server.signIn(admin.userId, own.workspaceId);
      const allowed = await send(route, own.ids, adminSession.headers);
      expect(allowed.status, `${route.method} ${route.path} as an admin: ${allowed.text}`).toBe(
        route.successStatus,
      );
    },
  };
}
