import { listEnvelope, memberSchema } from '@pollybot/contracts';
import { listWorkspaceMembers } from '../../features/accounts/members.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, sessionSecurity } from '../route-schemas.ts';

export function registerMembersList(app: App, services: Services): void {
  app.get(
    '/api/v1/members',
    {
      schema: {
        summary: 'The people of the workspace, in the order they joined (the owner first)',
        description: 'For signed-in people of every role; an API key is answered 403 FORBIDDEN. One page.',
        tags: ['members'],
        security: sessionSecurity,
        response: { 200: listEnvelope(memberSchema), ...errorResponses([...API_KEY_ERRORS, 'FORBIDDEN']) },
      },
    },
    async (request) => ({
      success: true as const,
      data: await listWorkspaceMembers(services.db, request.workspaceId, request.role),
      nextCursor: null,
    }),
  );
}
