import { successEnvelope, workspaceCreateSchema, workspaceSchema } from '@pollybot/contracts';
import { z } from 'zod';
import { createWorkspace, toWorkspaceView } from '../../features/workspaces/create-workspace.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { ADMIN_ERRORS, adminSecurity, errorResponses } from '../route-schemas.ts';

export function registerAdminWorkspacesCreate(app: App, services: Services): void {
  app.post(
    '/api/admin/workspaces',
    {
      schema: {
        summary: 'Create a workspace with its first API key',
        tags: ['admin'],
        security: adminSecurity,
        body: workspaceCreateSchema,
        response: {
          201: successEnvelope(z.object({ workspace: workspaceSchema, apiKey: z.string() })),
          ...errorResponses(ADMIN_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const { workspace, apiKey } = await createWorkspace(services, {
        name: request.body.name,
        credits: request.body.credits ?? 0,
      });
      return reply.code(201).send({ success: true, data: { workspace: toWorkspaceView(workspace), apiKey } });
    },
  );
}
