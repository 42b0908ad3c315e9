import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../helpers/fake-openai.ts';
import {
  EXIT_TIMEOUT_MS,
  killStartedServers,
  openStream,
  type ServerProcess,
  START_TIMEOUT_MS,
  startServer,
  stopServer,
  waitForBaseUrl,
  waitUntilRefused,
} from '../helpers/server-process.ts';
import { eventsOnly, parseSse } from '../helpers/sse.ts';

// The server as a user starts it (see server-process.ts): the real entry point in its own process.

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
/** A test that waits for a start and an exit stays within both bounds. */
const TEST_TIMEOUT_MS = START_TIMEOUT_MS + EXIT_TIMEOUT_MS + 10_000;

const run = promisify(execFile);

const directories: string[] = [];

function makeDatabaseUrl(): { url: string; directory: string } {
  const directory = mkdtempSync(join(tmpdir(), 'pollybot-e2e-'));
  directories.push(directory);
  return { url: `sqlite:${join(directory, 'db.sqlite')}`, directory };
}

async function listWorkspacesAsOperator(baseUrl: string) {
  const response = await fetch(`${baseUrl}/api/admin/workspaces?limit=100`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: string; name: string }[] }).data;
}

let fake: FakeOpenAi;
let first: ServerProcess;
let firstDatabaseUrl: string;
let withoutDemo: ServerProcess;
let misconfigured: ServerProcess;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  firstDatabaseUrl = makeDatabaseUrl().url;
  // Started together: each start pays tsx's compile time, and they do not depend on each other.
  first = startServer({
    DATABASE_URL: firstDatabaseUrl,
    OPENAI_BASE_URL: fake.baseUrl,
    OPENAI_API_KEY: 'sk-upstream-e2e',
    POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
    SHUTDOWN_GRACE_MS: '60000',
  });
  withoutDemo = startServer({
    DATABASE_URL: makeDatabaseUrl().url,
    POLLYBOT_DEMO: 'false',
    POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  misconfigured = startServer({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
});

afterAll(async () => {
  await killStartedServers();
  await fake?.close();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('first start on an empty database', () => {
  it(
    'prints a curl command that, run as printed, gets a chat reply',
    async () => {
      const baseUrl = await waitForBaseUrl(first);
      const [, command] = await first.waitForStdout(/Try it:\n\n(curl [\s\S]+?)\n\n/);
      expect(command).toContain(baseUrl);
      expect((await run('bash', ['-c', 'command -v curl'])).stdout.trim()).not.toBe('');

      const { stdout } = await run('bash', ['-c', command as string], { timeout: 15_000 });

      // The demo chatbot answers from its documentation: once that is ingested, the reply also names `sources`.
      const { data: { sources, ...data } = {}, ...body } = JSON.parse(stdout);
      expect(sources === undefined || Array.isArray(sources)).toBe(true);
      expect({ ...body, data }).toEqual({
        success: true,
        data: {
          response: expect.stringMatching(/\S/),
          conversationId: expect.any(String),
          messageId: expect.any(String),
          usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number), credits: 1 },
        },
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'answers /healthz and /readyz with 200',
    async () => {
      const baseUrl = await waitForBaseUrl(first);

      const health = await fetch(`${baseUrl}/healthz`);
      const ready = await fetch(`${baseUrl}/readyz`);

      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: true, accepting: true } });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'on SIGTERM refuses new connections, lets the in-flight stream end with done, and exits 0 once it has',
    async () => {
      const baseUrl = await waitForBaseUrl(first);
      const port = Number(new URL(baseUrl).port);
      const [, demoKey] = await first.waitForStdout(/Bearer (sk-workspace_[0-9A-Za-z]+)/);
      const headers = { authorization: `Bearer ${demoKey}`, 'content-type': 'application/json' };
      const created = await fetch(`${baseUrl}/api/v1/chatbots`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'Drain test' }),
      });
      expect(created.status).toBe(201);
      const botId = ((await created.json()) as { data: { id: string } }).data.id;
      const patched = await fetch(`${baseUrl}/api/v1/chatbots/${botId}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ model: 'openai/gpt-test' }),
      });
      expect(patched.status).toBe(200);
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      // A slow stream, held after its first words until the test has seen the server stop accepting.
      fake.queue({
        text: 'Draining servers finish what they started before they exit.',
        interTokenDelayMs: 40,
        pauseAfterChunks: { count: 2, until: held },
      });
      // A client that keeps its connection open after the response, as browsers and SDK clients do: the server
      // must not wait for it to let go (its grace period is set far beyond the test's bound to exit).
      const agent = new Agent({ keepAlive: true });
      try {
        const stream = await openStream(agent, `${baseUrl}/api/v1/chatbots/${botId}/chat`, headers, {
          message: 'Tell me about draining',
          stream: true,
        });
        expect(stream.status).toBe(200);
        expect(stream.contentType).toContain('text/event-stream');
        await stream.waitForText('event: delta');

        first.child.kill('SIGTERM');
        expect(await waitUntilRefused(port)).toBe('ECONNREFUSED');
        expect(first.isRunning()).toBe(true);
        release();
        await stream.ended;
        const exit = await first.waitForExit();

        const events = eventsOnly(parseSse(stream.text()));
        expect(events[0]?.event).toBe('start');
        expect(events.filter((event) => event.event === 'done' || event.event === 'error')).toHaveLength(1);
        const last = events.at(-1) as {
          event: string;
          data: { success: boolean; data: { response: string } };
        };
        expect(last.event).toBe('done');
        expect(last.data.success).toBe(true);
        expect(last.data.data.response).toBe('Draining servers finish what they started before they exit.');
        const deltas = events
          .filter((event) => event.event === 'delta')
          .map((event) => event.data as { content: string });
        expect(deltas.map((delta) => delta.content).join('')).toBe(last.data.data.response);
        expect(fake.requests.at(-1)?.body.model).toBe('gpt-test');
        expect(exit).toEqual({ code: 0, signal: null });
      } finally {
        release();
        agent.destroy();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a second start on the same database keeps the first demo key working and prints no new one',
    async () => {
      await stopServer(first);
      const second = startServer({ DATABASE_URL: firstDatabaseUrl, POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN });

      const [, demoKey] = await first.waitForStdout(/Bearer (sk-workspace_[0-9A-Za-z]+)/);

      const baseUrl = await waitForBaseUrl(second);
      const workspaces = await listWorkspacesAsOperator(baseUrl);
      const withFirstKey = await fetch(`${baseUrl}/api/v1/workspace`, {
        headers: { authorization: `Bearer ${demoKey}` },
      });
      const exit = await stopServer(second);

      expect(second.stdout()).not.toMatch(/sk-workspace_/);
      expect(second.stdout()).not.toMatch(/curl /);
      expect(workspaces.map((workspace) => workspace.name)).toEqual(['Demo workspace']);
      expect(withFirstKey.status).toBe(200);
      expect(exit).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );
});

it(
  'with POLLYBOT_DEMO=false creates no workspace and prints no key',
  async () => {
    const baseUrl = await waitForBaseUrl(withoutDemo);

    const workspaces = await listWorkspacesAsOperator(baseUrl);
    const exit = await stopServer(withoutDemo);

    expect(workspaces).toEqual([]);
    expect(withoutDemo.stdout()).not.toMatch(/sk-workspace_|curl /);
    expect(exit).toEqual({ code: 0, signal: null });
  },
  TEST_TIMEOUT_MS,
);

it(
  'with a bad configuration exits non-zero, naming every bad variable',
  async () => {
    const exit = await misconfigured.waitForExit();

    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    const printed = misconfigured.stderr();
    expect(printed).toContain('Invalid configuration');
    expect(printed).toMatch(/PORT:/);
    expect(printed).toMatch(/DATABASE_URL:/);
    expect(printed).toMatch(/LOG_LEVEL:/);
    expect(printed).not.toMatch(/\n\s+at /);
    expect(misconfigured.stdout()).not.toContain('PollyBot is running');
  },
  TEST_TIMEOUT_MS,
);
