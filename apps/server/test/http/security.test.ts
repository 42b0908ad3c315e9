import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthenticatedRoute,
  authModesOf,
  createSecurityChecks,
  listRegisteredRoutes,
  routeShape,
  snapshotDatabase,
} from '../helpers/security.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const ADMIN_TOKEN = 'operator-token-for-the-tests-0123456789';

/**
 * Every route under /api/v1: a registered route missing here fails the first test below. Each is checked with
 * a workspace API key and with a signed-in owner's session cookie, unless it is for people only.
 */
const apiRoutes: AuthenticatedRoute[] = [
  { method: 'GET', path: '/api/v1/workspace', successStatus: 200 },
  { method: 'POST', path: '/api/v1/api-keys', body: () => ({ name: 'Deploy key' }), successStatus: 201 },
  { method: 'GET', path: '/api/v1/api-keys', successStatus: 200 },
  { method: 'DELETE', path: '/api/v1/api-keys/:id', params: { id: 'apiKey' }, successStatus: 200 },
  { method: 'POST', path: '/api/v1/chatbots', body: () => ({ name: 'New bot' }), successStatus: 201 },
  { method: 'GET', path: '/api/v1/chatbots', successStatus: 200 },
  { method: 'GET', path: '/api/v1/chatbots/:id', params: { id: 'chatbot' }, successStatus: 200 },
  {
    method: 'PATCH',
    path: '/api/v1/chatbots/:id',
    params: { id: 'chatbot' },
    body: () => ({ name: 'Renamed', instructions: 'Say nothing.', status: 'inactive' }),
    successStatus: 200,
  },
  { method: 'DELETE', path: '/api/v1/chatbots/:id', params: { id: 'chatbot' }, successStatus: 200 },
  {
    method: 'POST',
    path: '/api/v1/chatbots/:chatbotId/chat',
    params: { chatbotId: 'chatbot' },
    body: (ids) => ({ message: 'Hello again', conversationId: ids.conversation }),
    bodyRefersTo: ['conversation'],
    successStatus: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/chatbots/:id/conversations',
    params: { id: 'chatbot' },
    successStatus: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/chatbots/:id/conversations/:conversationId',
    params: { id: 'chatbot', conversationId: 'conversation' },
    successStatus: 200,
  },
  {
    method: 'DELETE',
    path: '/api/v1/chatbots/:id/conversations/:conversationId',
    params: { id: 'chatbot', conversationId: 'conversation' },
    successStatus: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/chatbots/:id/conversations/:conversationId/messages/:messageId',
    params: { id: 'chatbot', conversationId: 'conversation', messageId: 'message' },
    successStatus: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/chatbots/:id/conversations/:conversationId/messages/:messageId/stream',
    params: { id: 'chatbot', conversationId: 'conversation', messageId: 'reply' },
    successStatus: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/chatbots/:id/conversations/:conversationId/messages/:messageId/cancel',
    params: { id: 'chatbot', conversationId: 'conversation', messageId: 'message' },
    successStatus: 202,
  },
  {
    method: 'POST',
    path: '/api/v1/chatbots/:id/knowledge',
    params: { id: 'chatbot' },
    body: () => ({
      kind: 'qa',
      title: 'FAQ',
      pairs: [{ question: 'Parking?', answer: 'Free, behind the shop.' }],
    }),
    successStatus: 201,
  },
  {
    method: 'POST',
    path: '/api/v1/chatbots/:id/knowledge/files',
    params: { id: 'chatbot' },
    body: () => {
      const form = new FormData();
      form.append(
        'file',
        new Blob(['# Parking\nFree, behind the shop.'], { type: 'text/markdown' }),
        'faq.md',
      );
      return form;
    },
    successStatus: 201,
  },
  { method: 'GET', path: '/api/v1/chatbots/:id/knowledge', params: { id: 'chatbot' }, successStatus: 200 },
  {
    method: 'GET',
    path: '/api/v1/chatbots/:id/knowledge/:sourceId',
    params: { id: 'chatbot', sourceId: 'knowledgeSource' },
    successStatus: 200,
  },
  {
    method: 'DELETE',
    path: '/api/v1/chatbots/:id/knowledge/:sourceId',
    params: { id: 'chatbot', sourceId: 'knowledgeSource' },
    successStatus: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/chatbots/:id/knowledge/:sourceId/resync',
    params: { id: 'chatbot', sourceId: 'knowledgeSource' },
    successStatus: 202,
  },
  {
    method: 'POST',
    path: '/api/v1/chatbots/:id/publishable-keys',
    params: { id: 'chatbot' },
    body: () => ({ allowedOrigins: ['https://www.example.com'] }),
    successStatus: 201,
  },
  {
    method: 'GET',
    path: '/api/v1/chatbots/:id/publishable-keys',
    params: { id: 'chatbot' },
    successStatus: 200,
  },
  {
    method: 'PATCH',
    path: '/api/v1/chatbots/:id/publishable-keys/:keyId',
    params: { id: 'chatbot', keyId: 'publishableKey' },
    body: () => ({ allowedOrigins: ['https://www.example.com'] }),
    successStatus: 200,
  },
  {
    method: 'DELETE',
    path: '/api/v1/chatbots/:id/publishable-keys/:keyId',
    params: { id: 'chatbot', keyId: 'publishableKey' },
    successStatus: 200,
  },
  { method: 'GET', path: '/api/v1/chatbots/:id/widget', params: { id: 'chatbot' }, successStatus: 200 },
  {
    method: 'PUT',
    path: '/api/v1/chatbots/:id/widget',
    params: { id: 'chatbot' },
    body: () => ({ title: 'Ask us' }),
    successStatus: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/chatbots/:id/widget/identity-secret',
    params: { id: 'chatbot' },
    successStatus: 201,
  },
  { method: 'GET', path: '/api/v1/models', successStatus: 200 },
  { method: 'GET', path: '/api/v1/conversations', successStatus: 200 },
  { method: 'GET', path: '/api/v1/usage', successStatus: 200 },
  { method: 'GET', path: '/api/v1/credits/ledger', successStatus: 200 },
  { method: 'GET', path: '/api/v1/members', sessionOnly: true, successStatus: 200 },
  {
    method: 'POST',
    path: '/api/v1/invitations',
    body: () => ({ email: 'new.colleague@example.com', role: 'member' }),
    sessionOnly: true,
    adminOnly: true,
    successStatus: 201,
  },
  { method: 'GET', path: '/api/v1/invitations', sessionOnly: true, adminOnly: true, successStatus: 200 },
  {
    method: 'DELETE',
    path: '/api/v1/invitations/:invitationId',
    params: { invitationId: 'invitation' },
    sessionOnly: true,
    adminOnly: true,
    successStatus: 200,
  },
  {
    method: 'DELETE',
    path: '/api/v1/members/:userId',
    params: { userId: 'member' },
    sessionOnly: true,
    adminOnly: true,
    successStatus: 200,
  },
];

type AdminRoute = { method: string; path: string; url: (workspaceId: string) => string; body?: unknown };

/** Every route under /api/admin. */
const adminRoutes: AdminRoute[] = [
  {
    method: 'POST',
    path: '/api/admin/workspaces',
    url: () => '/api/admin/workspaces',
    body: { name: 'Acme', credits: 10 },
  },
  { method: 'GET', path: '/api/admin/workspaces', url: () => '/api/admin/workspaces' },
  {
    method: 'POST',
    path: '/api/admin/workspaces/:id/credits',
    url: (workspaceId) => `/api/admin/workspaces/${workspaceId}/credits`,
    body: { amount: 5 },
  },
  {
    method: 'POST',
    path: '/api/admin/workspaces/:id/invitations',
    url: (workspaceId) => `/api/admin/workspaces/${workspaceId}/invitations`,
    body: { email: 'first.owner@example.com' },
  },
  {
    method: 'POST',
    path: '/api/admin/users/password',
    url: () => '/api/admin/users/password',
    body: { email: 'reset.me@example.com', password: 'a long new password' },
  },
];

/**
 * Routes anyone may call: the API documentation, the health probes, the dashboard's files (`/*`) and signing in
 * (`/api/auth/*`, whose own tests are in accounts.test.ts).
 */
const isPublicPath = (path: string) =>
  path === '/docs' ||
  path.startsWith('/docs/') ||
  path.startsWith('/api/auth/') ||
  // The widget's public API (a publishable key or a visitor session; widget-*.test.ts) and its files.
  path.startsWith('/api/widget/') ||
  // The OpenAI-compatible door answers in OpenAI's error shape; its refusals are openai-errors.test.ts's.
  path.startsWith('/api/openai/') ||
  path === '/widget.js' ||
  path.startsWith('/widget/') ||
  ['/openapi.json', '/healthz', '/readyz', '/*', '*'].includes(path);

/** The table's routes in comparable form; a GET route also stands for the HEAD route Fastify adds to it. */
function shapesOf(routes: { method: string; path: string }[]): Set<string> {
  return new Set(
    routes.flatMap((route) =>
      route.method === 'GET'
        ? [routeShape('GET', route.path), routeShape('HEAD', route.path)]
        : [routeShape(route.method, route.path)],
    ),
  );
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN });
});

afterAll(async () => {
  await server.close();
});

describe('the security tables', () => {
  it('cover every route the app registers under /api/v1 and /api/admin, so a new route cannot escape the checks', () => {
    const registered = listRegisteredRoutes(server);
    const covered = shapesOf([...apiRoutes, ...adminRoutes]);
    const unchecked = registered
      .filter((route) => !isPublicPath(route.path))
      .map((route) => routeShape(route.method, route.path))
      .filter((shape) => !covered.has(shape));

    expect(unchecked).toEqual([]);
    expect(registered.filter((route) => route.path.startsWith('/api/v1/')).length).toBeGreaterThanOrEqual(
      apiRoutes.length,
    );
  });

  it('name only routes the app registers', () => {
    const registered = new Set(
      listRegisteredRoutes(server).map((route) => routeShape(route.method, route.path)),
    );

    const unknown = [...shapesOf([...apiRoutes, ...adminRoutes])].filter((shape) => !registered.has(shape));

    expect(unknown).toEqual([]);
  });
});

describe.each(apiRoutes)('$method $path', (route) => {
  const namesResources = Object.keys(route.params ?? {}).length > 0 || (route.bodyRefersTo ?? []).length > 0;

  it('answers exactly 401 INVALID_API_KEY to a missing, malformed, unknown or revoked key, and changes nothing', async () => {
    await createSecurityChecks(server).rejectsBadCredentials(route);
  });

  if (namesResources) {
    it('answers 404 to another workspace’s resource, exactly as to an unknown id, and changes nothing', async () => {
      await createSecurityChecks(server).hidesOtherWorkspaces(route);
    });
  }

  it(`answers ${route.successStatus} to a valid request of the own workspace (${authModesOf(route).join(' and ')}), naming nothing of another`, async () => {
    await createSecurityChecks(server).servesOwnWorkspace(route);
  });

  if (route.method !== 'GET') {
    it('answers 403 CSRF_TOKEN_INVALID to the session cookie without the session’s own X-CSRF-Token, and changes nothing', async () => {
      await createSecurityChecks(server).requiresCsrfToken(route);
    });
  }

  if (route.sessionOnly) {
    it('answers 403 FORBIDDEN to an API key, which is no one’s, and changes nothing', async () => {
      await createSecurityChecks(server).refusesApiKeys(route);
    });
  }

  if (route.adminOnly) {
    it('answers 403 FORBIDDEN to a member’s session, and changes nothing; an admin’s succeeds', async () => {
      await createSecurityChecks(server).refusesMembers(route);
    });
  }
});

describe('the operator API (/api/admin/*)', () => {
  const adminFailure = { success: false, error: 'Invalid admin token', code: 'INVALID_ADMIN_TOKEN' };

  it('does not exist without POLLYBOT_ADMIN_TOKEN: 404 NOT_FOUND as for an unknown route, whatever the token', async () => {
    const closed = await startTestServer();
    try {
      const { workspaceId, apiKey } = await closed.createWorkspace(10);
      const before = await snapshotDatabase(closed);
      for (const route of adminRoutes) {
        for (const headers of [
          {} as Record<string, string>,
          { authorization: `Bearer ${ADMIN_TOKEN}` },
          { authorization: `Bearer ${apiKey}` },
        ]) {
          const response = await closed.api().send(route.method, route.url(workspaceId), route.body, headers);
          expect(response.status, `${route.method} ${route.path}`).toBe(404);
          expect(response.body).toStrictEqual({
            success: false,
            error: `Route ${route.method} ${route.url(workspaceId)} not found`,
            code: 'NOT_FOUND',
          });
        }
      }
      expect(await snapshotDatabase(closed)).toEqual(before);
    } finally {
      await closed.close();
    }
  });

  it('answers exactly 401 INVALID_ADMIN_TOKEN to a missing or wrong token, and changes nothing', async () => {
    const { workspaceId, apiKey } = await server.createWorkspace(10);
    const wrongTokens: Record<string, string>[] = [
      {},
      { authorization: 'Bearer' },
      { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
      { authorization: ADMIN_TOKEN },
      { authorization: `Bearer ${ADMIN_TOKEN.replace(/.$/, 'X')}` },
      { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${ADMIN_TOKEN}0` },
      { authorization: `Bearer ${apiKey}` },
    ];
    const before = await snapshotDatabase(server);

    for (const route of adminRoutes) {
      for (const headers of wrongTokens) {
        const response = await server.api().send(route.method, route.url(workspaceId), route.body, headers);
        const label = `${route.method} ${route.path} with ${JSON.stringify(headers)}`;
        expect(response.status, label).toBe(401);
        expect(response.text, label).toBe(JSON.stringify(adminFailure));
        expect(response.headers.get('x-request-id'), label).toBeTruthy();
      }
    }
    expect(await snapshotDatabase(server)).toEqual(before);
  });

  it('opens every operator route to the right token', async () => {
    const { workspaceId } = await server.createWorkspace(10);
    // The person whose password the operator resets.
    await server.createUser(workspaceId, 'member', { email: 'reset.me@example.com' });
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

    for (const route of adminRoutes) {
      const response = await server.api().send(route.method, route.url(workspaceId), route.body, auth);
      expect(response.status, `${route.method} ${route.path}: ${response.text}`).toBeLessThan(300);
      expect(response.body.success).toBe(true);
    }
  });
});
