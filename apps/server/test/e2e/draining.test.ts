import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXIT_TIMEOUT_MS,
  killStartedServers,
  requestOnFreshConnection,
  START_TIMEOUT_MS,
  startServer,
  waitForBaseUrl,
  waitUntilRefused,
} from '../helpers/server-process.ts';
import { apiClient } from '../helpers/test-server.ts';

// A stopping instance keeps listening for SHUTDOWN_READINESS_DELAY_MS: a balancer's probe, which opens a
// new connection each time, sees /readyz turn 503 (never a refused connection) and traffic still sent there
// meanwhile is served. Only then does the listener close and the drain begin.

const ADMIN_TOKEN = 'operator-token-draining-0123456789';
/** Long enough for the probes and the chat request below, however slow the machine. */
const READINESS_DELAY_MS = 6000;
const TEST_TIMEOUT_MS = START_TIMEOUT_MS + READINESS_DELAY_MS + EXIT_TIMEOUT_MS + 10_000;

const directories: string[] = [];

afterAll(async () => {
  await killStartedServers();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('stopping with a readiness delay', () => {
  it(
    'after SIGTERM, /readyz answers 503 on new connections and chat is still served, then the listener closes and the process exits 0',
    async () => {
      const directory = mkdtempSync(join(tmpdir(), 'pollybot-e2e-drain-'));
      directories.push(directory);
      const server = startServer({
        DATABASE_URL: `sqlite:${join(directory, 'db.sqlite')}`,
        POLLYBOT_DEMO: 'false',
        POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN,
        SHUTDOWN_READINESS_DELAY_MS: String(READINESS_DELAY_MS),
        LOG_LEVEL: 'warn',
      });
      const baseUrl = await waitForBaseUrl(server);
      const port = Number(new URL(baseUrl).port);
      const created = await apiClient(baseUrl, ADMIN_TOKEN).post('/api/admin/workspaces', {
        name: 'Draining',
        credits: 10,
      });
      expect(created.status).toBe(201);
      const { apiKey } = created.body.data as { apiKey: string };
      // The built-in model: no provider needed.
      const chatbot = await apiClient(baseUrl, apiKey).post('/api/v1/chatbots', { name: 'Still here' });
      expect(chatbot.status).toBe(201);
      const readyz = () => requestOnFreshConnection(port, { path: '/readyz' });
      expect(await readyz()).toMatchObject({ status: 200 });

      server.child.kill('SIGTERM');

      // Probes, each on a new connection, until the signal has been handled: then 503, not ECONNREFUSED.
      let probe = await readyz();
      for (let attempt = 0; attempt < 200 && 'status' in probe && probe.status === 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        probe = await readyz();
      }
      expect(probe).toEqual({
        status: 503,
        body: { status: 'unavailable', checks: { database: true, accepting: false } },
      });

      // A chat request arriving meanwhile (the balancer has not taken the instance out yet) is answered.
      const chat = await requestOnFreshConnection(port, {
        method: 'POST',
        path: `/api/v1/chatbots/${chatbot.body.data.id}/chat`,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: { message: 'Are you still there?', stream: false },
      });
      expect(chat).toMatchObject({ status: 200, body: { success: true } });
      expect((chat as { body: { data: { response: string } } }).body.data.response.length).toBeGreaterThan(0);
      expect(await readyz()).toMatchObject({ status: 503 });
      expect(server.isRunning()).toBe(true);

      // Then the listener closes and the process exits cleanly.
      expect(await waitUntilRefused(port, 2000)).toBe('ECONNREFUSED');
      expect(await server.waitForExit()).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a second signal during the delay stops waiting: the server closes and exits 0',
    async () => {
      const directory = mkdtempSync(join(tmpdir(), 'pollybot-e2e-drain-'));
      directories.push(directory);
      const server = startServer({
        DATABASE_URL: `sqlite:${join(directory, 'db.sqlite')}`,
        POLLYBOT_DEMO: 'false',
        // Far longer than the test may take: only the second signal can end it.
        SHUTDOWN_READINESS_DELAY_MS: '300000',
        LOG_LEVEL: 'warn',
      });
      const port = Number(new URL(await waitForBaseUrl(server)).port);
      // Once a request is answered, the start has run to its end, stop signals' handlers included.
      expect(await requestOnFreshConnection(port, { path: '/readyz' })).toMatchObject({ status: 200 });

      server.child.kill('SIGTERM');
      let probe = await requestOnFreshConnection(port, { path: '/readyz' });
      for (let attempt = 0; attempt < 200 && 'status' in probe && probe.status === 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        probe = await requestOnFreshConnection(port, { path: '/readyz' });
      }
      expect(probe).toMatchObject({ status: 503 });
      server.child.kill('SIGINT');

      expect(await server.waitForExit()).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );
});
