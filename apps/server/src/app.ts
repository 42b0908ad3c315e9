import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyReply, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from './errors/app-error.ts';
import type { App } from './http/app-types.ts';
import { registerOpenAiDoor } from './http/openai/openai-door.ts';
import { toOpenAiError } from './http/openai/openai-error.ts';
import { OPENAI_PREFIX } from './http/openai/openai-route-schemas.ts';
import { transformRouteSchema } from './http/openapi-transform.ts';
import { createAdminTokenHook, createApiKeyHook } from './http/plugins/authenticate.ts';
import { registerErrorHandlers, routeNotFound, toAppError } from './http/plugins/error-handler.ts';
import { generateRequestId } from './http/plugins/request-id.ts';
import {
  API_REFERENCE_CONTENT_SECURITY_POLICY,
  setSecurityHeaders,
} from './http/plugins/security-headers.ts';
import { registerAdminCreditsCreate } from './http/routes/admin-credits.create.ts';
import { registerAdminInvitationsCreate } from './http/routes/admin-invitations.create.ts';
import { registerAdminUsersPasswordCreate } from './http/routes/admin-users-password.create.ts';
import { registerAdminWorkspacesCreate } from './http/routes/admin-workspaces.create.ts';
import { registerAdminWorkspacesList } from './http/routes/admin-workspaces.list.ts';
import { registerApiKeysCreate } from './http/routes/api-keys.create.ts';
import { registerApiKeysDelete } from './http/routes/api-keys.delete.ts';
import { registerApiKeysList } from './http/routes/api-keys.list.ts';
import { registerAuthLoginCreate } from './http/routes/auth-login.create.ts';
import { registerAuthLogoutCreate } from './http/routes/auth-logout.create.ts';
import { registerAuthPasswordCreate } from './http/routes/auth-password.create.ts';
import { registerAuthSessionGet } from './http/routes/auth-session.get.ts';
import { registerAuthSetupCreate } from './http/routes/auth-setup.create.ts';
import { registerAuthStateGet } from './http/routes/auth-state.get.ts';
import { registerChatCreate } from './http/routes/chat.create.ts';
import { registerChatbotsCreate } from './http/routes/chatbots.create.ts';
import { registerChatbotsDelete } from './http/routes/chatbots.delete.ts';
import { registerChatbotsGet } from './http/routes/chatbots.get.ts';
import { registerChatbotsList } from './http/routes/chatbots.list.ts';
import { registerChatbotsUpdate } from './http/routes/chatbots.update.ts';
import { registerConversationsDelete } from './http/routes/conversations.delete.ts';
import { registerConversationsGet } from './http/routes/conversations.get.ts';
import { registerConversationsList } from './http/routes/conversations.list.ts';
import { registerCreditsLedgerList } from './http/routes/credits-ledger.list.ts';
import { registerDashboardGet } from './http/routes/dashboard.get.ts';
import { registerHealth } from './http/routes/health.get.ts';
import { registerInboxList } from './http/routes/inbox.list.ts';
import { registerInvitationsAccept } from './http/routes/invitations.accept.ts';
import { registerInvitationsCreate } from './http/routes/invitations.create.ts';
import { registerInvitationsDelete } from './http/routes/invitations.delete.ts';
import { registerInvitationsList } from './http/routes/invitations.list.ts';
import { registerInvitationsPreviewCreate } from './http/routes/invitations-preview.create.ts';
import { registerKnowledgeCreate } from './http/routes/knowledge.create.ts';
import { registerKnowledgeDelete } from './http/routes/knowledge.delete.ts';
import { registerKnowledgeGet } from './http/routes/knowledge.get.ts';
import { registerKnowledgeList } from './http/routes/knowledge.list.ts';
import { registerKnowledgeFilesCreate } from './http/routes/knowledge-files.create.ts';
import { registerKnowledgeResyncCreate } from './http/routes/knowledge-resync.create.ts';
import { registerMembersDelete } from './http/routes/members.delete.ts';
import { registerMembersList } from './http/routes/members.list.ts';
import { registerMessagesGet } from './http/routes/messages.get.ts';
import { registerMessagesCancelCreate } from './http/routes/messages-cancel.create.ts';
import { registerMessagesStreamGet } from './http/routes/messages-stream.get.ts';
import { registerModelsList } from './http/routes/models.list.ts';
import { registerPublishableKeysCreate } from './http/routes/publishable-keys.create.ts';
import { registerPublishableKeysDelete } from './http/routes/publishable-keys.delete.ts';
import { registerPublishableKeysList } from './http/routes/publishable-keys.list.ts';
import { registerPublishableKeysUpdate } from './http/routes/publishable-keys.update.ts';
import { registerUsageGet } from './http/routes/usage.get.ts';
import { registerWidgetChatCreate } from './http/routes/widget-chat.create.ts';
import { registerWidgetConfigGet } from './http/routes/widget-config.get.ts';
import { registerWidgetConversationsGet } from './http/routes/widget-conversations.get.ts';
import { registerWidgetConversationsList } from './http/routes/widget-conversations.list.ts';
import { registerWidgetFeedbackCreate } from './http/routes/widget-feedback.create.ts';
import { registerWidgetFrameGet } from './http/routes/widget-frame.get.ts';
import { registerWidgetIdentitySecretCreate } from './http/routes/widget-identity-secret.create.ts';
import { registerWidgetMessagesStreamGet } from './http/routes/widget-messages-stream.get.ts';
import { registerWidgetPreflightOptions } from './http/routes/widget-preflight.options.ts';
import { registerWidgetScriptGet } from './http/routes/widget-script.get.ts';
import { registerWidgetSessionsCreate } from './http/routes/widget-sessions.create.ts';
import { registerWidgetSettingsGet } from './http/routes/widget-settings.get.ts';
import { registerWidgetSettingsUpdate } from './http/routes/widget-settings.update.ts';
import { registerWorkspaceGet } from './http/routes/workspace.get.ts';
import { exposeWidgetRefusal, setVaryOrigin } from './http/widget-cors.ts';
import type { Services } from './services.ts';

const workspaceRoutes = [
  registerWorkspaceGet,
  registerApiKeysCreate,
  registerApiKeysList,
  registerApiKeysDelete,
  registerChatbotsCreate,
  registerChatbotsList,
  registerChatbotsGet,
  registerChatbotsUpdate,
  registerChatbotsDelete,
  registerChatCreate,
  registerConversationsList,
  registerConversationsGet,
  registerMessagesGet,
  registerMessagesCancelCreate,
  registerMessagesStreamGet,
  registerConversationsDelete,
  registerKnowledgeCreate,
  registerKnowledgeList,
  registerKnowledgeGet,
  registerKnowledgeDelete,
  registerKnowledgeResyncCreate,
  registerModelsList,
  registerInboxList,
  registerUsageGet,
  registerCreditsLedgerList,
  registerMembersList,
  registerInvitationsCreate,
  registerInvitationsList,
  registerInvitationsDelete,
  registerMembersDelete,
  registerPublishableKeysCreate,
  registerPublishableKeysList,
  registerPublishableKeysUpdate,
  registerPublishableKeysDelete,
  registerWidgetSettingsGet,
  registerWidgetSettingsUpdate,
  registerWidgetIdentitySecretCreate,
];

/** The website widget's public API: a publishable key, then a visitor session. */
const widgetRoutes = [
  registerWidgetPreflightOptions,
  registerWidgetConfigGet,
  registerWidgetSessionsCreate,
  registerWidgetChatCreate,
  registerWidgetConversationsList,
  registerWidgetConversationsGet,
  registerWidgetMessagesStreamGet,
  registerWidgetFeedbackCreate,
];

/** Signing in and out: no API key, the session cookie at most. */
const authRoutes = [
  registerAuthStateGet,
  registerAuthSetupCreate,
  registerAuthLoginCreate,
  registerAuthLogoutCreate,
  registerAuthSessionGet,
  registerAuthPasswordCreate,
  registerInvitationsPreviewCreate,
  registerInvitationsAccept,
];

/**
 * Probes keep answering while the server drains, so a load balancer sees /readyz turn 503 (it has answered 503
 * since the stop signal; every other request is served until the readiness delay ends).
 */
const PROBES = new Set(['/healthz', '/readyz']);

const adminRoutes = [
  registerAdminWorkspacesCreate,
  registerAdminWorkspacesList,
  registerAdminCreditsCreate,
  registerAdminInvitationsCreate,
  registerAdminUsersPasswordCreate,
];

/** A number of proxies means: believe that many hops of X-Forwarded-For, counted from this server. */
function toTrustProxy(setting: Services['config']['trustProxy']) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;
}

/** Builds the HTTP app on the given services; it never listens (main.ts and the tests do). */
export async function buildApp(services: Services): Promise<App> {
  const app = Fastify({
    loggerInstance: services.log as FastifyBaseLogger,
    genReqId: generateRequestId,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    bodyLimit: services.config.bodyLimitBytes,
    // An id of any length reaches its route and answers that resource's 404 (Node's 16 KB header limit
    // already bounds the URL), instead of the router's own 400 for a parameter over 100 characters.
    routerOptions: { maxParamLength: 16 * 1024 },
    // Behind a proxy, the client's address (per-IP sign-in limits) and protocol (Secure cookies).
    trustProxy: toTrustProxy(services.config.trustProxy),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Draining is answered by our own hook below, in the contract's envelope.
    return503OnClosing: false,
    // Failures before routing (a path that does not percent-decode, an over-long parameter) skip the
    // hooks and the error handler: answer them in the envelope, with the request id, all the same.
    frameworkErrors: (error, request, reply) => {
      const appError = toAppError(error);
      setSecurityHeaders(request, reply as FastifyReply);
      (reply as FastifyReply)
        .header('x-request-id', request.id)
        .code(appError.status)
        .send(request.url.startsWith(OPENAI_PREFIX) ? toOpenAiError(appError).body : appError.toEnvelope());
    },
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: Fastify parses text/plain by default, which would turn a 415 into a 400.
  app.removeContentTypeParser('text/plain');

  await app.register(fastifyCookie);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    setSecurityHeaders(request, reply);
    if (services.lifecycle.closing && !PROBES.has(request.url)) {
      reply.header('connection', 'close');
      throw new AppError('SERVICE_UNAVAILABLE');
    }
  });
  // A keep-alive connection outlives its last response and would hold a draining server open until the
  // client lets go of it (or the grace period ends): while draining, close connections once they are idle.
  app.addHook('onResponse', async () => {
    if (services.lifecycle.closing) app.server.closeIdleConnections();
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PollyBot API',
        version: '1.0.0',
        description:
          'Send messages to chatbots and manage them with a workspace API key, or, from the dashboard, with the ' +
          'session cookie of a signed-in person (changes then also need its X-CSRF-Token header). Every JSON ' +
          'response uses the envelope {success, data} or {success: false, error, code}.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'A workspace API key, sk-workspace_...' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'pollybot_session',
            description:
              'The dashboard’s session (POST /api/auth/login), named __Host-pollybot_session over HTTPS. ' +
              'Requests other than GET, HEAD and OPTIONS also ' +
              'send the session’s csrfToken as X-CSRF-Token.',
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'POLLYBOT_ADMIN_TOKEN' },
          visitorSession: {
            type: 'http',
            scheme: 'bearer',
            description: 'A website widget visitor’s session token (POST /api/widget/v1/sessions), vs_...',
          },
        },
      },
    },
    transform: transformRouteSchema,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: API_REFERENCE_CONTENT_SECURITY_POLICY,
    // No badge fetched from validator.swagger.io: the reference page reaches only this server.
    uiConfig: { validatorUrl: null },
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerHealth(app, services);
  for (const register of authRoutes) register(app, services);

  await app.register(async (scope) => {
    scope.addHook('onRequest', createApiKeyHook(services));
    for (const register of workspaceRoutes) register(scope, services);
    // Uploads parse multipart/form-data; no other route accepts it.
    await scope.register(async (uploads) => {
      await uploads.register(fastifyMultipart, {
        limits: {
          fileSize: services.config.knowledge.maxFileBytes,
          files: 1,
          fields: 4,
          fieldSize: 4096,
          parts: 6,
        },
      });
      registerKnowledgeFilesCreate(uploads, services);
    });
  });

  await app.register(async (scope) => {
    const { adminToken } = services.config;
    // Without a token the operator API does not exist: 404, as for any unknown route.
    scope.addHook(
      'onRequest',
      adminToken
        ? createAdminTokenHook(adminToken)
        : async (request) => {
            throw routeNotFound(request);
          },
    );
    for (const register of adminRoutes) register(scope, services);
  });

  await app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => setVaryOrigin(reply));
    scope.addHook('onError', exposeWidgetRefusal);
    for (const register of widgetRoutes) register(scope, services);
  });
  registerWidgetFrameGet(app, services);
  await registerWidgetScriptGet(app, services);

  await registerOpenAiDoor(app, services);

  await registerDashboardGet(app, services);

  return app;
}
