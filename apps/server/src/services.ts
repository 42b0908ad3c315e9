import type { Kysely } from 'kysely';
import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';
import { connectDatabase, type DatabaseHandle } from './db/connect.ts';
import type { Database } from './db/database.ts';
import { composeLocalReply } from './features/chat/compose-local-reply.ts';
import { type CreditService, createCreditService } from './features/credits/credit-service.ts';
import { createMemoryRateLimiter, type RateLimiter } from './features/rate-limits/rate-limiter.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { createIdGenerator, type IdGenerator } from './lib/ids.ts';
import { createModelGateway, type ModelGateway } from './models/model-gateway.ts';

/** Everything the app needs, created once and passed down explicitly. */
export type Services = {
  config: Config;
  database: DatabaseHandle;
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  limiter: RateLimiter;
  credits: CreditService;
  models: ModelGateway;
  log: Logger;
  /** Set when the process is draining: readiness answers 503 from then on. */
  lifecycle: { shuttingDown: boolean };
  close: () => Promise<void>;
};

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.apiKey', '*.key'],
      censor: '[redacted]',
    },
  });
}

export function createServices(
  config: Config,
  overrides: { clock?: Clock; log?: Logger; ids?: IdGenerator } = {},
): Services {
  const database = connectDatabase(config.databaseUrl);
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? createIdGenerator();
  const log = overrides.log ?? createLogger(config);
  const models = createModelGateway(config.providers, {
    respondLocally: composeLocalReply,
    onProviderError: (detail) => log.warn({ provider: detail }, 'AI provider call failed'),
  });
  return {
    config,
    database,
    db: database.db,
    clock,
    ids,
    limiter: createMemoryRateLimiter(),
    // A reservation outlives its request only after a crash: by then every timeout has long passed.
    credits: createCreditService({
      db: database.db,
      clock,
      ids,
      reservationTtlMs: Math.max(15 * 60_000, config.providers.timeoutMs * 4),
    }),
    models,
    log,
    lifecycle: { shuttingDown: false },
    close: () => database.close(),
  };
}
