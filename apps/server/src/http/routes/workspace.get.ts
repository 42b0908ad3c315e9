import { successEnvelope, workspaceSchema } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import { findWorkspaceView } from '../../features/workspaces/read-workspaces.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerWorkspaceGet(app: App, services: Services): void {
  app.get(
    '/api/v1/workspace',
    {
      schema: {
        summary: 'Read the key’s workspace and its credit balance',
        tags: ['workspace'],
        security: workspaceSecurity,
        response: { 200: successEnvelope(workspaceSchema), ...errorResponses(API_KEY_ERRORS) },
      },
    },
    async (request) => {
      const workspace = await findWorkspaceView(services, request.workspaceId);
      // The key's workspace is gone: the key no longer stands for anything.
      if (!workspace) throw new AppError('INVALID_API_KEY');
      return { success: true as const, data: workspace };
    },
  );
}
