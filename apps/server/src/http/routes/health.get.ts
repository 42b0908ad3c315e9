import { z } from 'zod';
import type { Services } from '../../services.ts';
import type { App } from '../app-types.ts';

const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string(), z.boolean()).optional(),
});

export function registerHealth(app: App, services: Services): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: the process is up',
        tags: ['operations'],
        response: { 200: healthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary:
          'Readiness: the database (and Redis, when configured) answers and the process is not draining',
        tags: ['operations'],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const [database, redis] = await Promise.all([
        services.database.ping().catch(() => false),
        services.pingRedis(),
      ]);
      const accepting = !services.lifecycle.shuttingDown;
      const ready = database && redis && accepting;
      const checks: Record<string, boolean> = { database, accepting };
      if (services.config.redisUrl) checks.redis = redis;
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks });
    },
  );
}
