import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { createTestDatabaseUrl } from '../test/helpers/databases.ts';
import { modelForShape, type ReplyShape } from './fake-upstream.ts';
import { type BenchProcess, startProcess } from './processes.ts';

// The servers a scenario measures, started on loopback: the fake upstream, the bare baseline proxy and
// PollyBot as a user starts it (on SQLite, and on PostgreSQL with Redis when their URLs are set), each
// in its own process. PollyBot is configured only by environment and set up only through its APIs.

export type Backing = 'sqlite' | 'postgres';

/** Something the load generators can send a chat message to. */
export type ChatTarget = {
  kind: 'upstream' | 'baseline' | 'pollybot';
  name: string;
  pid: number;
  /** The URL and headers of a chat request whose reply has this shape (PollyBot makes a chatbot the first time). */
  chatEndpoint: (shape: ReplyShape) => Promise<ChatEndpoint>;
};

export type ChatEndpoint = { url: string; headers: Record<string, string> };

export type PollyBotTarget = ChatTarget & {
  backing: Backing;
  baseUrl: string;
  /** The database PollyBot migrated, for scenarios that seed rows straight into it. */
  databaseUrl: string;
  apiKey: string;
  workspaceId: string;
  /** The chatbot that answers with this shape. */
  chatbotFor: (shape: ReplyShape) => Promise<string>;
};

export type Stack = {
  upstream: ChatTarget & { baseUrl: string };
  baseline: ChatTarget | undefined;
  pollybots: PollyBotTarget[];
  stop: () => Promise<void>;
};

/** The PollyBot backings this run can measure: SQLite always, PostgreSQL with Redis when both URLs are set. */
export function availableBackings(): Backing[] {
  return process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

const BACKING_LABEL: Record<Backing, string> = {
  sqlite: 'PollyBot, SQLite',
  postgres: 'PollyBot, PostgreSQL+Redis',
};

const JSON_HEADERS = { 'content-type': 'application/json' };

// Set-up calls come minutes apart, and a scenario that seeds a database blocks this process meanwhile, so it
// cannot see a server close an idle connection: each call has a connection of its own, closed after it.
async function call<T>(url: string, token: string, body: unknown): Promise<T> {
  const response = await request(url, {
    method: 'POST',
    reset: true,
    headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const envelope = (await response.body.json()) as { success: boolean; data: T };
  if (response.statusCode >= 300 || !envelope.success)
    throw new Error(`${url}: ${response.statusCode} ${JSON.stringify(envelope)}`);
  return envelope.data;
}

async function startPollyBot(
  backing: Backing,
  upstreamBaseUrl: string,
  extraEnv: Record<string, string>,
  onStarted: (child: BenchProcess, cleanUp: () => Promise<void>) => void,
): Promise<PollyBotTarget> {
  const adminToken = randomBytes(24).toString('hex');
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    POLLYBOT_DEMO: 'false',
    POLLYBOT_ADMIN_TOKEN: adminToken,
    OPENAI_BASE_URL: upstreamBaseUrl,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  let cleanUp: () => Promise<void>;
  if (backing === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pollybot-bench-'));
    env.DATABASE_URL = `sqlite:${join(dir, 'pollybot.db')}`;
    cleanUp = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const database = await createTestDatabaseUrl('postgres');
    const prefix = `pollybot-bench-${randomBytes(4).toString('hex')}:`;
    env.DATABASE_URL = database.url;
    env.REDIS_URL = process.env.TEST_REDIS_URL ?? '';
    env.REDIS_KEY_PREFIX = prefix;
    cleanUp = async () => {
      await database.drop();
      const redis = new Redis(env.REDIS_URL as string, { lazyConnect: true });
      await redis.connect();
      for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 1_000 })) {
        if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
      }
      redis.disconnect();
    };
  }
  const server = await startProcess({
    name: BACKING_LABEL[backing],
    script: 'apps/server/src/main.ts',
    // BENCH_CPU_PROF_DIR=<dir>: each PollyBot writes a CPU profile there as it stops (open it in DevTools).
    nodeArgs: process.env.BENCH_CPU_PROF_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`]
      : [],
    env,
    ready: /PollyBot is running at (http:\/\/\S+)/,
  }).catch(async (error: unknown) => {
    await cleanUp();
    throw error;
  });
  onStarted(server, cleanUp);
  const baseUrl = server.address;
  const created = await call<{ workspace: { id: string }; apiKey: string }>(
    `${baseUrl}/api/admin/workspaces`,
    adminToken,
    { name: 'Bench', credits: 1_000_000_000 },
  );
  const chatbots = new Map<string, Promise<string>>();
  const chatbotFor = (shape: ReplyShape) => {
    const model = modelForShape(shape);
    let id = chatbots.get(model);
    if (!id) {
      id = call<{ id: string }>(`${baseUrl}/api/v1/chatbots`, created.apiKey, {
        name: model,
        model: `openai/${model}`,
        instructions: 'You answer questions about the shop.',
        rateLimit: { requests: 1_000_000, windowSeconds: 60 },
      }).then((chatbot) => chatbot.id);
      chatbots.set(model, id);
    }
    return id;
  };
  const headers = { ...JSON_HEADERS, authorization: `Bearer ${created.apiKey}` };
  const target: PollyBotTarget = {
    kind: 'pollybot',
    name: BACKING_LABEL[backing],
    pid: server.pid,
    backing,
    baseUrl,
    databaseUrl: env.DATABASE_URL,
    apiKey: created.apiKey,
    workspaceId: created.workspace.id,
    chatbotFor,
    chatEndpoint: async (shape) => ({
      url: `${baseUrl}/api/v1/chatbots/${await chatbotFor(shape)}/chat`,
      headers,
    }),
  };
  return target;
}

/**
 * Starts the fake upstream (replies shaped by `defaults` unless a model name says otherwise), the baseline
 * when asked, and PollyBot on each backing. `stop()` ends them all and drops their databases.
 */
export async function startStack(options: {
  defaults?: ReplyShape;
  baseline?: boolean;
  backings?: Backing[];
  pollybotEnv?: Record<string, string>;
}): Promise<Stack> {
  const processes: BenchProcess[] = [];
  const cleanUps: (() => Promise<void>)[] = [];
  const stop = async () => {
    await Promise.all(processes.map((child) => child.stop()));
    for (const cleanUp of cleanUps) await cleanUp().catch(() => undefined);
  };
  try {
    const defaults = options.defaults ?? { tokens: 50, firstTokenDelayMs: 0, interTokenDelayMs: 0 };
    const fake = await startProcess({
      name: 'fake upstream',
      script: 'apps/server/bench/fake-upstream.ts',
      args: [String(defaults.tokens), String(defaults.firstTokenDelayMs), String(defaults.interTokenDelayMs)],
      ready: /listening at (http:\/\/\S+)/,
    });
    processes.push(fake);
    const upstreamBaseUrl = fake.address;
    // Each one is recorded as soon as it runs, so a failure of another still stops it.
    const [baselineProcess, ...pollybots] = await Promise.all([
      options.baseline
        ? startProcess({
            name: 'baseline',
            script: 'apps/server/bench/baseline-proxy.ts',
            args: [upstreamBaseUrl],
            ready: /listening at (http:\/\/\S+)/,
          }).then((baseline) => {
            processes.push(baseline);
            return baseline;
          })
        : undefined,
      ...(options.backings ?? availableBackings()).map((backing) =>
        startPollyBot(backing, upstreamBaseUrl, options.pollybotEnv ?? {}, (child, cleanUp) => {
          processes.push(child);
          cleanUps.push(cleanUp);
        }),
      ),
    ]);
    return {
      upstream: {
        kind: 'upstream',
        name: 'upstream alone',
        pid: fake.pid,
        baseUrl: upstreamBaseUrl,
        chatEndpoint: async () => ({ url: `${upstreamBaseUrl}/chat/completions`, headers: JSON_HEADERS }),
      },
      baseline: baselineProcess && {
        kind: 'baseline',
        name: 'baseline proxy',
        pid: baselineProcess.pid,
        chatEndpoint: async (shape) => ({
          url: `${baselineProcess.address}/api/v1/chatbots/${modelForShape(shape)}/chat`,
          headers: JSON_HEADERS,
        }),
      },
      pollybots: pollybots as PollyBotTarget[],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The body of a chat request to `target` (the upstream alone takes a Chat Completions body). */
export function chatBody(
  target: ChatTarget,
  shape: ReplyShape,
  options: { stream: boolean; conversationId?: string },
): string {
  const message = 'Hello, when does the shop open and how fast do you ship?';
  if (target.kind === 'upstream') {
    return JSON.stringify({
      model: modelForShape(shape),
      messages: [{ role: 'user', content: message }],
      stream: options.stream,
    });
  }
  return JSON.stringify({ message, stream: options.stream, conversationId: options.conversationId });
}
