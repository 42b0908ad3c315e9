import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const modelPricesSchema = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON object such as {"openai/gpt-4o": 5}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), z.number().int().min(0)));

// false: clients connect directly. A number: that many proxies in front (1 for one nginx), whose
// X-Forwarded-For and X-Forwarded-Proto are believed. Otherwise the proxies' addresses or CIDR ranges
// (or proxy-addr's names: loopback, linklocal, uniquelocal).
const trustProxySchema = z
  .string()
  .regex(/^[\w.:/, -]+$/, 'must be true, false, a number of proxies, or their addresses')
  .transform((value): boolean | number | string[] => {
    if (value === 'true' || value === 'false') return value === 'true';
    if (/^\d+$/.test(value)) return Number(value);
    return value
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean);
  });

/** Where the dashboard's build lands (apps/web/dist), next to this server's sources. */
const BUILT_DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));
/** Where the website widget's build lands (apps/widget/dist). */
const BUILT_WIDGET_DIR = fileURLToPath(new URL('../../widget/dist', import.meta.url));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'must start with sqlite: or postgres://')
    .default('sqlite:./data/pollybot.db'),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_KEY_PREFIX: z.string().min(1).max(64).default('pollybot:'),
  POLLYBOT_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  POLLYBOT_DEMO: booleanFromEnv.default(true),
  POLLYBOT_DEFAULT_MODEL: z
    .string()
    .regex(/^[a-z]+\/.+$/, 'must look like provider/model')
    .optional(),
  POLLYBOT_MODEL_PRICES: modelPricesSchema.optional(),
  POLLYBOT_HISTORY_MESSAGES: z.coerce.number().int().min(0).max(200).default(20),
  POLLYBOT_DEMO_CREDITS: z.coerce.number().int().min(0).default(1000),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  OLLAMA_BASE_URL: z.string().url().default('http://127.0.0.1:11434'),
  AI_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  AI_PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(1),
  SSE_HEARTBEAT_MS: z.coerce.number().int().min(10).default(15_000),
  POLLYBOT_RESERVATION_TTL_MS: z.coerce.number().int().min(1000).default(900_000),
  POLLYBOT_REPLY_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(20_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  SHUTDOWN_READINESS_DELAY_MS: z.coerce.number().int().min(0).max(300_000).default(5000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  TRUST_PROXY: trustProxySchema.default(false),
  POLLYBOT_DASHBOARD_DIR: z.string().min(1).default(BUILT_DASHBOARD_DIR),
  POLLYBOT_WIDGET_DIR: z.string().min(1).default(BUILT_WIDGET_DIR),
  POLLYBOT_EMBEDDING_MODEL: z
    .string()
    .regex(
      /^[a-z]+\/.+$/,
      'must look like provider/model, e.g. local/sentence-encoder or openai/text-embedding-3-small',
    )
    .optional(),
  POLLYBOT_KNOWLEDGE_MAX_FILE_MB: z.coerce.number().int().min(1).max(1024).default(50),
  POLLYBOT_URL_IMPORT_ALLOW_PRIVATE: booleanFromEnv.default(false),
  POLLYBOT_URL_IMPORT_MAX_PAGES: z.coerce.number().int().min(1).max(10_000).default(200),
  POLLYBOT_INGESTION_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  POLLYBOT_KNOWLEDGE_MAX_TEXT_MB: z.coerce.number().positive().max(1024).default(10),
  POLLYBOT_KNOWLEDGE_MAX_CHUNKS: z.coerce.number().int().min(1).max(1_000_000).default(20_000),
  POLLYBOT_KNOWLEDGE_MAX_PDF_PAGES: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
  POLLYBOT_KNOWLEDGE_MAX_QUEUED: z.coerce.number().int().min(1).max(1_000_000).default(50),
  POLLYBOT_KNOWLEDGE_MAX_WORKSPACE_MB: z.coerce.number().positive().max(1_048_576).default(1024),
  POLLYBOT_KNOWLEDGE_WRITES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(120),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** The server's whole configuration, parsed once from the environment. */
export type Config = {
  port: number;
  host: string;
  databaseUrl: string;
  /** PostgreSQL cancels a statement that runs longer than this (0: never); the request answers 503. */
  databaseStatementTimeoutMs: number;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  /** A credit reservation still held this long after its request began was left by a crash. */
  reservationTtlMs: number;
  /**
   * How long a reply being generated stays held for its instance without a renewal; once it has run out (the
   * instance stopped) any instance ends the reply.
   */
  replyLeaseMs: number;
  adminToken: string | undefined;
  demo: boolean;
  demoCredits: number;
  defaultModel: string;
  modelPrices: Record<string, number>;
  historyMessages: number;
  providers: {
    openai: { apiKey: string | undefined; baseUrl: string | undefined };
    anthropic: { apiKey: string | undefined; baseUrl: string | undefined };
    ollama: { baseUrl: string };
    timeoutMs: number;
    maxRetries: number;
  };
  sseHeartbeatMs: number;
  shutdownGraceMs: number;
  /** After SIGTERM, how long the server keeps serving (with /readyz at 503) before it stops listening. */
  shutdownReadinessDelayMs: number;
  bodyLimitBytes: number;
  /** Fastify's trustProxy: which X-Forwarded-* headers to believe for the client's address and protocol. */
  trustProxy: boolean | number | string[];
  /** The dashboard's built files, served at `/`. */
  dashboardDir: string;
  /** The website widget's built files: /widget.js, /widget/assets/*, and the panel's frame.html. */
  widgetDir: string;
  knowledge: {
    /** `<provider>/<model>` of the embedding model for vector search; undefined for full-text search alone. */
    embeddingModel: string | undefined;
    maxFileBytes: number;
    /** Whether URL imports may reach private, loopback and link-local addresses (the server's own network). */
    urlImportAllowPrivate: boolean;
    urlImportMaxPages: number;
    /** How long an instance's claim on an ingestion holds without a heartbeat before another may take it over. */
    ingestionLeaseMs: number;
    /** The most text one source may give (extracted or given), in bytes; a DOCX may unpack to ten times this. */
    maxTextBytes: number;
    /** The most chunks one source may be cut into. */
    maxChunks: number;
    /** The most pages a PDF may have. */
    maxPdfPages: number;
    /** Per workspace: the most sources queued or being ingested at once. */
    maxQueuedSources: number;
    /** Per workspace: the most bytes its sources may store (files and text). */
    maxWorkspaceBytes: number;
    /** Per workspace: knowledge changes (create, upload, re-sync, delete) allowed per minute. */
    writesPerMinute: number;
  };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The built-in model every new chatbot gets when no other default is configured. */
export const LOCAL_MODEL = 'local/pollybot';

/** Parses the environment once; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL,
    databaseStatementTimeoutMs: values.DATABASE_STATEMENT_TIMEOUT_MS,
    redisUrl: values.REDIS_URL,
    redisKeyPrefix: values.REDIS_KEY_PREFIX,
    reservationTtlMs: values.POLLYBOT_RESERVATION_TTL_MS,
    replyLeaseMs: values.POLLYBOT_REPLY_LEASE_MS,
    adminToken: values.POLLYBOT_ADMIN_TOKEN,
    demo: values.POLLYBOT_DEMO,
    demoCredits: values.POLLYBOT_DEMO_CREDITS,
    defaultModel: values.POLLYBOT_DEFAULT_MODEL ?? LOCAL_MODEL,
    modelPrices: values.POLLYBOT_MODEL_PRICES ?? {},
    historyMessages: values.POLLYBOT_HISTORY_MESSAGES,
    providers: {
      openai: { apiKey: values.OPENAI_API_KEY, baseUrl: values.OPENAI_BASE_URL },
      anthropic: { apiKey: values.ANTHROPIC_API_KEY, baseUrl: values.ANTHROPIC_BASE_URL },
      ollama: { baseUrl: values.OLLAMA_BASE_URL },
      timeoutMs: values.AI_PROVIDER_TIMEOUT_MS,
      maxRetries: values.AI_PROVIDER_MAX_RETRIES,
    },
    sseHeartbeatMs: values.SSE_HEARTBEAT_MS,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    shutdownReadinessDelayMs: values.SHUTDOWN_READINESS_DELAY_MS,
    bodyLimitBytes: values.BODY_LIMIT_BYTES,
    trustProxy: values.TRUST_PROXY,
    dashboardDir: values.POLLYBOT_DASHBOARD_DIR,
    widgetDir: values.POLLYBOT_WIDGET_DIR,
    knowledge: {
      embeddingModel: values.POLLYBOT_EMBEDDING_MODEL,
      maxFileBytes: values.POLLYBOT_KNOWLEDGE_MAX_FILE_MB * 1024 * 1024,
      urlImportAllowPrivate: values.POLLYBOT_URL_IMPORT_ALLOW_PRIVATE,
      urlImportMaxPages: values.POLLYBOT_URL_IMPORT_MAX_PAGES,
      ingestionLeaseMs: values.POLLYBOT_INGESTION_LEASE_MS,
      maxTextBytes: Math.round(values.POLLYBOT_KNOWLEDGE_MAX_TEXT_MB * 1024 * 1024),
      maxChunks: values.POLLYBOT_KNOWLEDGE_MAX_CHUNKS,
      maxPdfPages: values.POLLYBOT_KNOWLEDGE_MAX_PDF_PAGES,
      maxQueuedSources: values.POLLYBOT_KNOWLEDGE_MAX_QUEUED,
      maxWorkspaceBytes: Math.round(values.POLLYBOT_KNOWLEDGE_MAX_WORKSPACE_MB * 1024 * 1024),
      writesPerMinute: values.POLLYBOT_KNOWLEDGE_WRITES_PER_MINUTE,
    },
    logLevel: values.LOG_LEVEL,
  };
}
