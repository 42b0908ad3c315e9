import type { FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';
import { connectDatabase, type DatabaseHandle } from './db/connect.ts';
import type { ChatbotRow, Database } from './db/database.ts';
import type { ApiKeyPrincipal } from './features/api-keys/authenticate-api-key.ts';
import {
  createLocalInvalidationBus,
  createRedisInvalidationBus,
  type InvalidationBus,
} from './features/cache/invalidation-bus.ts';
import { createTtlCache, type TtlCache } from './features/cache/ttl-cache.ts';
import { type Chat, createChat } from './features/chat/chat.ts';
import { composeLocalReply } from './features/chat/compose-local-reply.ts';
import { createGenerations, type Generations } from './features/chat/generations.ts';
import {
  createMemoryReplyJournal,
  createRedisReplyJournal,
  type ReplyJournal,
} from './features/chat/reply-journal.ts';
import { loadChatbot } from './features/chatbots/load-chatbot.ts';
import type { ChatbotCreateDeps } from './features/chatbots/save-chatbot.ts';
import { type CreditService, createCreditService } from './features/credits/credit-service.ts';
import type { DemoDeps } from './features/demo/seed-demo.ts';
import { createIngestionWorker, type IngestionWorker } from './features/knowledge/ingestion-worker.ts';
import type { KnowledgeChangeDeps } from './features/knowledge/knowledge-sources.ts';
import type { ChatbotTopics, KnowledgeSearchDeps } from './features/knowledge/search-knowledge.ts';
import { createVectorIndex } from './features/knowledge/vector-index.ts';
import {
  createMemoryRateLimiter,
  createRedisRateLimiter,
  type RateLimiter,
} from './features/rate-limits/rate-limiter.ts';
import { type Clock, systemClock } from './lib/clock.ts';
import { createIdGenerator, type IdGenerator } from './lib/ids.ts';
import { toLoggableUrl } from './lib/loggable-url.ts';
import { createEmbeddingService } from './models/embedding-gateway.ts';
import { createModelGateway, type ModelGateway } from './models/model-gateway.ts';

/** What a cached API key lookup holds: who it is and when its last use was written down. */
type CachedApiKey = ApiKeyPrincipal & { lastUsedAt: number };

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
  /** Reads and chunks knowledge sources in the background, sharing the work with every other instance. */
  ingestion: IngestionWorker;
  /** Where chat turns search the chatbots' knowledge (full text, and vectors with an embedding model). */
  knowledgeSearch: KnowledgeSearchDeps;
  invalidations: InvalidationBus;
  /** The replies this instance is generating, cancellable from any instance. */
  generations: Generations;
  /** The events of replies being generated, readable from any instance (Redis Streams with several). */
  replyJournal: ReplyJournal;
  caches: { apiKeys: TtlCache<CachedApiKey>; chatbots: TtlCache<ChatbotRow> };
  /** The chat pipeline every door (API route, dashboard, widget, OpenAI-compatible endpoint) calls. */
  chat: Chat;
  /** Answers true when Redis answers, or when there is no Redis to ask. */
  pingRedis: () => Promise<boolean>;
  log: Logger;
  /**
   * `shuttingDown` from the stop signal on: readiness answers 503, requests are still served. `closing` once
   * the readiness delay is over: the listener is closed and requests other than probes are refused.
   */
  lifecycle: { shuttingDown: boolean; closing: boolean };
  close: () => Promise<void>;
};

/** The server's logger; credentials (keys, cookies, CSRF tokens, passwords) are redacted wherever they appear. */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'req.headers.cookie',
        'headers.cookie',
        'req.headers["x-csrf-token"]',
        'headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.apiKey',
        '*.key',
        '*.password',
        '*.token',
        '*.visitorToken',
        '*.identityToken',
        '*.secret',
        '*.csrfToken',
      ],
      censor: '[redacted]',
    },
    // Fastify's own request serializer, with the query string's user data left out of the URL.
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: toLoggableUrl(request.url),
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

// Caches hold what every request reads (the key behind a bearer token, the chatbot it talks to);
// the bus clears them everywhere on a change, and the TTL bounds anything the bus could miss.
const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 10_000;

function connectRedis(url: string, log: Logger): { client: Redis; subscriber: Redis } {
  // No offline queue: while Redis is away a command fails at once instead of waiting for it.
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
  let reported = false;
  client.on('error', (error: Error) => {
    if (!reported) log.error({ err: { message: error.message } }, 'Redis is unreachable');
    reported = true;
  });
  client.on('ready', () => {
    if (reported) log.info('Redis is reachable again');
    reported = false;
  });
  subscriber.on('error', () => {});
  return { client, subscriber };
}

export function createServices(
  config: Config,
  overrides: { clock?: Clock; log?: Logger; ids?: IdGenerator } = {},
): Services {
  const log = overrides.log ?? createLogger(config);
  const database = connectDatabase(config.databaseUrl, {
    statementTimeoutMs: config.databaseStatementTimeoutMs,
    onIdleConnectionError: (error) =>
      log.warn({ err: { message: error.message } }, 'PostgreSQL closed an idle connection'),
  });
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? createIdGenerator();
  const models = createModelGateway(config.providers, {
    respondLocally: composeLocalReply,
    onProviderError: (detail) => log.warn({ provider: detail }, 'AI provider call failed'),
  });
  const embeddings = createEmbeddingService(
    config.knowledge.embeddingModel,
    {
      openaiApiKey: config.providers.openai.apiKey,
      openaiBaseUrl: config.providers.openai.baseUrl,
      ollamaBaseUrl: config.providers.ollama.baseUrl,
    },
    { timeoutMs: config.providers.timeoutMs, maxRetries: config.providers.maxRetries },
  );
  const redis = config.redisUrl ? connectRedis(config.redisUrl, log) : undefined;
  const invalidations = redis
    ? createRedisInvalidationBus({
        publisher: redis.client,
        subscriber: redis.subscriber,
        channel: `${config.redisKeyPrefix}invalidations`,
        onPublishError: (error) =>
          log.error({ err: { message: String(error) } }, 'could not publish a cache invalidation to Redis'),
      })
    : createLocalInvalidationBus();
  const cacheOptions = { clock, ttlMs: CACHE_TTL_MS, maxEntries: CACHE_MAX_ENTRIES, bus: invalidations };
  const knowledgeTopics = createTtlCache<ChatbotTopics>({
    ...cacheOptions,
    topic: 'knowledge',
    idOf: (entry) => entry.chatbotId,
  });
  const ingestion = createIngestionWorker({
    db: database.db,
    clock,
    ids,
    embeddings,
    leaseMs: config.knowledge.ingestionLeaseMs,
    webImport: {
      allowPrivateNetworks: config.knowledge.urlImportAllowPrivate,
      maxPages: config.knowledge.urlImportMaxPages,
      maxBytesPerPage: 10 * 1024 * 1024,
      timeoutMs: 15_000,
      concurrency: 4,
      userAgent: 'PollyBot (knowledge import)',
    },
    onError: (sourceId, error) =>
      log.warn({ sourceId, err: { message: String(error) } }, 'knowledge source ingestion failed'),
    onSourcesChanged: (chatbotId) => void invalidations.publish('knowledge', chatbotId),
    sourceLimits: config.knowledge,
    maxWorkspaceBytes: config.knowledge.maxWorkspaceBytes,
  });
  const knowledgeSearch: KnowledgeSearchDeps = {
    db: database.db,
    dialect: database.dialect,
    embeddings,
    vectors: embeddings ? createVectorIndex(database.db) : undefined,
    onEmbeddingError: (error) =>
      log.warn({ err: { message: String(error) } }, 'the embedding model failed: searching full text alone'),
    topics: knowledgeTopics,
  };

  const services: Omit<Services, 'chat'> = {
    config,
    database,
    db: database.db,
    clock,
    ids,
    limiter: redis ? createRedisRateLimiter(redis.client, config.redisKeyPrefix) : createMemoryRateLimiter(),
    credits: createCreditService({ db: database.db, clock, ids, reservationTtlMs: config.reservationTtlMs }),
    models,
    ingestion,
    knowledgeSearch,
    invalidations,
    generations: createGenerations(invalidations),
    replyJournal: redis
      ? createRedisReplyJournal({
          client: redis.client,
          prefix: config.redisKeyPrefix,
          onWriteError: (error) =>
            log.warn({ err: { message: String(error) } }, 'could not write reply events to Redis'),
        })
      : createMemoryReplyJournal(),
    caches: {
      apiKeys: createTtlCache<CachedApiKey>({
        ...cacheOptions,
        topic: 'api-key',
        idOf: (key) => key.apiKeyId,
      }),
      chatbots: createTtlCache<ChatbotRow>({
        ...cacheOptions,
        topic: 'chatbot',
        idOf: (chatbot) => chatbot.id,
      }),
    },
    pingRedis: async () => {
      if (!redis) return true;
      return (await redis.client.ping().catch(() => 'unreachable')) === 'PONG';
    },
    log,
    lifecycle: { shuttingDown: false, closing: false },
    close: async () => {
      await ingestion.stop();
      if (redis) {
        redis.subscriber.disconnect();
        await redis.client.quit().catch(() => redis.client.disconnect());
      }
      await database.close();
    },
  };
  return { ...services, chat: createChatFrom(services) };
}

/** The chat pipeline over the services: the settings it takes are read from the config here. */
function createChatFrom(services: Omit<Services, 'chat'>): Chat {
  const { config } = services;
  return createChat({
    database: services.database,
    knowledge: services.knowledgeSearch,
    clock: services.clock,
    ids: services.ids,
    models: services.models,
    journal: services.replyJournal,
    limiter: services.limiter,
    generations: services.generations,
    findChatbot: (workspaceId, chatbotId) => loadChatbot(services, workspaceId, chatbotId),
    reservationTtlMs: config.reservationTtlMs,
    replyLeaseMs: config.replyLeaseMs,
    historyMessages: config.historyMessages,
    modelPrices: config.modelPrices,
  });
}

// Features take the few services they use and the settings they need as their own small types; these build
// the ones that carry settings, so that no feature reads the configuration.

/** What creating a chatbot takes: the configured default model besides the services. */
export function chatbotCreateDeps(services: Services): ChatbotCreateDeps {
  const { db, clock, ids, models, config } = services;
  return { db, clock, ids, models, defaultModel: config.defaultModel };
}

/** What a knowledge change takes: the workspace quotas besides the services. */
export function knowledgeDeps(services: Services): KnowledgeChangeDeps {
  const { db, clock, ids, ingestion, invalidations, config } = services;
  return { db, clock, ids, ingestion, invalidations, quotas: config.knowledge };
}

/** What the demo seed takes: a workspace, a chatbot and knowledge sources, and the demo's starting credits. */
export function demoDeps(services: Services): DemoDeps {
  return {
    ...chatbotCreateDeps(services),
    ...knowledgeDeps(services),
    credits: services.credits,
    demoCredits: services.config.demoCredits,
  };
}
