import { listEnvelope, listQuerySchema, workspaceSchema } from '@pollybot/contracts';
import { listWorkspaceViews } from '../../features/workspaces/read-workspaces.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { ADMIN_ERRORS, adminSecurity, errorResponses } from '../route-schemas.ts';

export function registerAdminWorkspacesList(app: App, services: Services): void {
  app.get(
    '/api/admin/workspaces',
    {
      schema: {
        summary: 'List workspaces, newest first',
        tags: ['admin'],
        security: adminSecurity,
        querystring: listQuerySchema,
        response: { 200: listEnvelope(workspaceSchema), ...errorResponses(ADMIN_ERRORS) },
      },
    },
    async (request) => {
      const page = await listWorkspaceViews(services, request.query);
      return { success: true as const, data: page.items, nextCursor: page.nextCursor };
    },
  );
}
