import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.ts';
import { readBearerToken } from '../../features/api-keys/api-key-secret.ts';
import { authenticateApiKey } from '../../features/api-keys/authenticate-api-key.ts';
import type { Services } from '../../services.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The workspace of the API key that authenticated this request. */
    workspaceId: string;
    apiKeyId: string;
  }
}

/** The onRequest hook of every workspace-key route: headers only, so it runs before the body is read. */
export function createApiKeyHook(services: Pick<Services, 'db' | 'clock' | 'caches'>) {
  const deps = { db: services.db, clock: services.clock, cache: services.caches.apiKeys };
  return async (request: FastifyRequest): Promise<void> => {
    const principal = await authenticateApiKey(deps, request.headers.authorization);
    if (!principal) throw new AppError('INVALID_API_KEY');
    request.workspaceId = principal.workspaceId;
    request.apiKeyId = principal.apiKeyId;
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
