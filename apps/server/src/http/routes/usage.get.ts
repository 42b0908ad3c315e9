import { successEnvelope, usageQuerySchema, usageReportSchema } from '@pollybot/contracts';
import { reportUsage } from '../../features/usage/report-usage.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { API_KEY_ERRORS, errorResponses, workspaceSecurity } from '../route-schemas.ts';

export function registerUsageGet(app: App, services: Services): void {
  app.get(
    '/api/v1/usage',
    {
      schema: {
        summary: 'Replies and credits per UTC day and per chatbot over the last `days` days, and the balance',
        description:
          'A reply is an assistant message that did not fail; its credits are what it cost. Days run oldest ' +
          'first, today last, every day listed; chatbots busiest first, only those with replies in the period.',
        tags: ['usage'],
        security: workspaceSecurity,
        querystring: usageQuerySchema,
        response: { 200: successEnvelope(usageReportSchema), ...errorResponses(API_KEY_ERRORS) },
      },
    },
    async (request) => ({
      success: true as const,
      data: await reportUsage(services, request.workspaceId, request.query.days),
    }),
  );
}
