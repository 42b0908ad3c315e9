import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.ts';
import type { RequestRole } from '../../features/accounts/roles.ts';
import { authenticateSession } from '../../features/accounts/sessions.ts';
import { readBearerToken } from '../../features/api-keys/api-key-secret.ts';
import { authenticateApiKey } from '../../features/api-keys/authenticate-api-key.ts';
import type { Services } from '../../services.ts';
import { hasCsrfToken, readSessionToken } from '../session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The workspace of the API key or session that authenticated this request. */
    workspaceId: string;
    /** The key's id; undefined for a session. */
    apiKeyId: string | undefined;
    /** The signed-in person; undefined for an API key. */
    userId: string | undefined;
    /** The person's role in the workspace, or 'api-key'. */
    role: RequestRole;
  }
}

/** Methods that change nothing: a cookie suffices for them; every other method also needs X-CSRF-Token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The onRequest hook of every workspace route: headers only, so it runs before the body is read.
 * A request with an Authorization header is judged by its API key alone; one without is judged by the
 * dashboard's session cookie, and a cookie-authenticated change must carry the session's CSRF token.
 * Anything else is 401 INVALID_API_KEY, as it always was.
 */
export function createApiKeyHook(services: Pick<Services, 'db' | 'clock' | 'caches'>) {
  const deps = { db: services.db, clock: services.clock, cache: services.caches.apiKeys };
  return async (request: FastifyRequest): Promise<void> => {
    if (request.headers.authorization === undefined) {
      const session = await authenticateSession(deps, readSessionToken(request));
      if (!session) throw new AppError('INVALID_API_KEY');
      if (!SAFE_METHODS.has(request.method) && !hasCsrfToken(request, session.csrfToken))
        throw new AppError('CSRF_TOKEN_INVALID');
      request.workspaceId = session.workspaceId;
      request.apiKeyId = undefined;
      request.userId = session.userId;
      request.role = session.role;
      return;
    }
    const principal = await authenticateApiKey(deps, request.headers.authorization);
    if (!principal) throw new AppError('INVALID_API_KEY');
    request.workspaceId = principal.workspaceId;
    request.apiKeyId = principal.apiKeyId;
    request.userId = undefined;
    request.role = 'api-key';
  };
}

/** The onRequest hook of the operator API: a constant-time comparison with POLLYBOT_ADMIN_TOKEN. */
export function createAdminTokenHook(adminToken: string) {
  const expected = Buffer.from(adminToken);
  return async (request: FastifyRequest): Promise<void> => {
    const given = Buffer.from(readBearerToken(request.headers.authorization) ?? '');
    const matches = given.length === expected.length && timingSafeEqual(given, expected);
    if (!matches) throw new AppError('INVALID_ADMIN_TOKEN');
  };
}
