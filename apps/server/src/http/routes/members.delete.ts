import { memberParamsSchema, successEnvelope } from '@pollybot/contracts';
import { z } from 'zod';
import { removeMember } from '../../features/accounts/members.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { CHANGE_ERRORS, errorResponses, sessionSecurity } from '../route-schemas.ts';

export function registerMembersDelete(app: App, services: Services): void {
  app.delete(
    '/api/v1/members/:userId',
    {
      schema: {
        summary: 'Remove someone from the workspace; their sessions there end at once',
        description:
          'For the owner and admins (403 FORBIDDEN otherwise, and for API keys). The owner cannot be removed ' +
          '(403). An account left in no workspace is deleted.',
        tags: ['members'],
        security: sessionSecurity,
        params: memberParamsSchema,
        response: {
          200: successEnvelope(z.object({ id: z.string(), removed: z.literal(true) })),
          ...errorResponses([...CHANGE_ERRORS, 'FORBIDDEN', 'MEMBER_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      await removeMember(
        services.db,
        { workspaceId: request.workspaceId, role: request.role },
        request.params.userId,
      );
      return { success: true as const, data: { id: request.params.userId, removed: true as const } };
    },
  );
}
