import {
  memberParamsSchema,
  memberRemovalQuerySchema,
  memberRemovedSchema,
  successEnvelope,
} from '@pollybot/contracts';
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
          '(403). The pending invitations they issued are revoked, and so are the API keys they created unless ' +
          '`revokeApiKeys=false`; the response counts both. An account left in no workspace is deleted.',
        tags: ['members'],
        security: sessionSecurity,
        params: memberParamsSchema,
        querystring: memberRemovalQuerySchema,
        response: {
          200: successEnvelope(memberRemovedSchema),
          ...errorResponses([...CHANGE_ERRORS, 'FORBIDDEN', 'MEMBER_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const { revokedApiKeyIds, revokedInvitations } = await removeMember(
        services,
        { workspaceId: request.workspaceId, role: request.role },
        request.params.userId,
        { revokeApiKeys: request.query.revokeApiKeys },
      );
      return {
        success: true as const,
        data: {
          id: request.params.userId,
          removed: true as const,
          revokedApiKeys: revokedApiKeyIds.length,
          revokedInvitations,
        },
      };
    },
  );
}
