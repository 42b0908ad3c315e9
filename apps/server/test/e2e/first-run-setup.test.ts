import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EXIT_TIMEOUT_MS,
  killStartedServers,
  START_TIMEOUT_MS,
  startServer,
  stopServer,
  waitForBaseUrl,
} from '../helpers/server-process.ts';

// First-run setup as an operator meets it: the server as a process, the setup token read from what it prints.

const ADMIN_TOKEN = 'operator-token-0123456789abcdef';
const TEST_TIMEOUT_MS = 2 * START_TIMEOUT_MS + EXIT_TIMEOUT_MS + 10_000;
const OWNER = { email: 'olive@example.com', name: 'Olive', password: 'olive-password-1' };
const SETUP_TOKEN = /setup token:\n\n {2}([A-Za-z0-9_-]{43})\n/;

const directories: string[] = [];

function makeDatabaseUrl(): string {
  const directory = mkdtempSync(join(tmpdir(), 'pollybot-e2e-setup-'));
  directories.push(directory);
  return `sqlite:${join(directory, 'db.sqlite')}`;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the envelope freely
  return { status: response.status, body: (await response.json()) as any };
}

afterAll(async () => {
  await killStartedServers();
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('first run, as the shipped compose file runs it (no demo, workspaces made by the operator)', () => {
  it(
    'prints a setup token that any instance accepts; without it setup is refused; it never joins the operator’s workspace',
    async () => {
      const databaseUrl = makeDatabaseUrl();
      const env = { DATABASE_URL: databaseUrl, POLLYBOT_DEMO: 'false', POLLYBOT_ADMIN_TOKEN: ADMIN_TOKEN };
      const first = startServer(env);
      const firstUrl = await waitForBaseUrl(first);
      const second = startServer(env);
      const secondUrl = await waitForBaseUrl(second);
      const [, printed] = await first.waitForStdout(SETUP_TOKEN);
      await second.waitForStdout(SETUP_TOKEN);
      const made = await post(
        `${firstUrl}/api/admin/workspaces`,
        { name: 'Customer' },
        { authorization: `Bearer ${ADMIN_TOKEN}` },
      );
      expect(made.status).toBe(201);

      const anonymous = await post(`${secondUrl}/api/auth/setup`, OWNER);
      const wrong = await post(`${secondUrl}/api/auth/setup`, { ...OWNER, setupToken: 'A'.repeat(43) });
      // The token the first instance printed, given to the second.
      const setup = await post(`${secondUrl}/api/auth/setup`, { ...OWNER, setupToken: printed });

      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('SETUP_TOKEN_INVALID');
      expect(wrong.body.code).toBe('SETUP_TOKEN_INVALID');
      expect(setup.status).toBe(201);
      expect(setup.body.data.role).toBe('owner');
      expect(setup.body.data.workspace.name).toBe('Default workspace');
      expect(setup.body.data.workspace.id).not.toBe(made.body.data.workspace.id);

      const again = await post(`${firstUrl}/api/auth/setup`, { ...OWNER, setupToken: printed });
      expect(again.body.code).toBe('SETUP_ALREADY_DONE');
      await stopServer(first);
      await stopServer(second);

      // Once the owner exists, a start prints no setup token.
      const third = startServer(env);
      await waitForBaseUrl(third);
      await third.waitForStdout(/Dashboard: /);
      expect(third.stdout()).not.toMatch(/setup token/);
      await stopServer(third);
    },
    TEST_TIMEOUT_MS,
  );
});

it(
  'with the demo, the printed token makes its owner the owner of the demo workspace',
  async () => {
    const server = startServer({ DATABASE_URL: makeDatabaseUrl() });
    const baseUrl = await waitForBaseUrl(server);
    const [, printed] = await server.waitForStdout(SETUP_TOKEN);

    const setup = await post(`${baseUrl}/api/auth/setup`, { ...OWNER, setupToken: printed });
    await stopServer(server);

    expect(setup.status).toBe(201);
    expect(setup.body.data.workspace.name).toBe('Demo workspace');
  },
  TEST_TIMEOUT_MS,
);
