import { passwordChangedSchema, passwordResetRequestSchema, successEnvelope } from '@pollybot/contracts';
import { AppError } from '../../errors/app-error.ts';
import { resetPassword } from '../../features/accounts/change-password.ts';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';
import { ADMIN_ERRORS, adminSecurity, errorResponses } from '../route-schemas.ts';

export function registerAdminUsersPasswordCreate(app: App, services: Services): void {
  app.post(
    '/api/admin/users/password',
    {
      schema: {
        summary: 'Set a person’s password (there is no mail server for a reset link)',
        description:
          'Every session of the person ends. Tell them the new password by a channel you trust; they can ' +
          'change it in the dashboard (POST /api/auth/password).',
        tags: ['admin'],
        security: adminSecurity,
        body: passwordResetRequestSchema,
        response: {
          200: successEnvelope(passwordChangedSchema),
          ...errorResponses([...ADMIN_ERRORS, 'USER_NOT_FOUND']),
        },
      },
    },
    async (request) => {
      const result = await resetPassword(services, request.body);
      if (!result) throw new AppError('USER_NOT_FOUND');
      return {
        success: true as const,
        data: { passwordChanged: true as const, endedSessions: result.endedSessions },
      };
    },
  );
}
